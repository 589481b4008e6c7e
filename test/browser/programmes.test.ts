import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { programmeSetup, type ProgrammeReference } from '../../domain/programme-setup.js';
import { programmeFigures } from '../../infra/read-model/programme-figures.js';
import { enquiry, eventually, type Harness } from '../harness.js';
import { expectAccessible, screenshot, signedInAs, startBrowserStack, type BrowserStack } from './browser.js';

/**
 * Kennzahlen → Regionalbudget in a real browser against the real stack: enquiries through the
 * signed webhook into the five Mittelzentren of Nordsachsen, some brought by the measure
 * RB-NOS-1; the Landratsamt (a manager's agency that handles no enquiry itself) reads them per
 * Mittelzentrum, measure and channel, builds a report and downloads it; IRL's staff correct an
 * enquiry's source on its page, twice, and the figures follow; IRL's management sees no programme.
 */

let h: Harness;
let browser: Browser;
let stack: BrowserStack;

const PROGRAMME = 'regionalbudget-nordsachsen';
const CAMPAIGN = { channel: 'campaign_page' as const, measure: 'RB-NOS-1' };

/** The enquiries, by Mittelzentrum: where they want to settle and whether the campaign brought them. */
const SENT = [
  { place: '14730310', area: 'Torgau', source: CAMPAIGN },
  { place: '14730310', area: 'Torgau', source: CAMPAIGN },
  { place: '14730070', area: 'Delitzsch', source: CAMPAIGN },
  { place: '14730110', area: 'Eilenburg', source: undefined },
  { place: '14730230', area: 'Oschatz', source: undefined },
  { place: '14730270', area: 'Schkeuditz', source: undefined },
];
/** How many each Mittelzentrum got. */
const PER_AREA: Record<string, number> = { Torgau: 2, Delitzsch: 1, Eilenburg: 1, Oschatz: 1, Schkeuditz: 1 };
const ids: string[] = [];

beforeAll(async () => {
  stack = await startBrowserStack();
  ({ h, browser } = stack);
  for (const s of SENT) {
    const body = enquiry({ preferredLocations: [s.place], ...(s.source ? { source: s.source } : {}) });
    const res = await h.post('irl', body);
    expect(res.status).toBe(202);
    ids.push(((await res.json()) as { enquiryId: string }).enquiryId);
  }
  await programmeCounted((f) => expect(f.total.enquiries).toBe(SENT.length));
});
afterAll(async () => stack?.close());

/** Waits until the read model counts the programme's enquiries of this year as `check` wants them. */
async function programmeCounted(check: (f: Awaited<ReturnType<typeof programmeFigures>>) => void) {
  const setup = programmeSetup(h.lotse.reference.get() as ProgrammeReference, PROGRAMME)!;
  const year = new Date().getFullYear();
  await eventually(
    async () =>
      check(
        await programmeFigures(
          h.lotse.readModel!.db,
          setup,
          new Date(`${year}-01-01T00:00:00+01:00`),
          new Date(`${year + 1}-01-01T00:00:00+01:00`),
        ),
      ),
    60_000,
    250,
  );
}

const open = (url: string, user: string, width?: number) => signedInAs(browser, `${h.baseUrl}${url}`, user, width);

/** The element that has the focus: its text, accessible name and whether it shows its focus. */
const focused = (page: Page) =>
  page.locator(':focus').evaluate((el) => {
    const style = el.ownerDocument.defaultView!.getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('aria-label') ?? (el.textContent ?? '').trim(),
      outlined: (style.outlineStyle !== 'none' && style.outlineWidth !== '0px') || style.boxShadow !== 'none',
    };
  });

/** What an action answered: a focused, announced message. */
async function answered(page: Page, text: string | RegExp) {
  await page.locator('[role=status], [role=alert]').filter({ hasText: text }).first().waitFor();
  await eventually(async () =>
    expect(
      String(await page.evaluate("document.activeElement?.closest('[role=status],[role=alert]')?.textContent")),
    ).toMatch(text),
  );
}

/** A row of a table by its row heading, as its cells' texts. */
async function row(table: Locator, heading: string | RegExp): Promise<string[]> {
  const r = table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name: heading }) });
  await r.waitFor();
  return (await r.getByRole('cell').allInnerTexts()).map((c) => c.replace(/\s+/g, ' ').trim());
}

/** A fact of a description list ("Eingangsweg" → "Messe"). */
const fact = (page: Page, term: string) =>
  page
    .locator('.kern-description-list-item')
    .filter({ has: page.getByRole('term').filter({ hasText: new RegExp(`^${term.replace(/[()]/g, '\\$&')}$`) }) })
    .getByRole('definition');

/** The quarter we are in, as the api names its report: first and last day, German and ISO, and its title. */
function thisQuarter() {
  const now = new Date();
  const year = now.getFullYear();
  const q = Math.floor(now.getMonth() / 3);
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = new Date(Date.UTC(year, q * 3 + 3, 0)).getUTCDate();
  return {
    from: `01.${pad(q * 3 + 1)}.${year}`,
    to: `${pad(lastDay)}.${pad(q * 3 + 3)}.${year}`,
    title: `${q + 1}. Quartal ${year}`,
  };
}

describe('Kennzahlen → Regionalbudget', () => {
  it('shows the Landratsamt the Mittelzentren, the measures and the channels; no zeros of its own', async () => {
    const page = await open('/kennzahlen', 'lra.nordsachsen');
    const programme = page.getByRole('region', { name: 'Regionalbudget Nordsachsen' });
    await programme.getByRole('heading', { name: 'Regionalbudget Nordsachsen', level: 2 }).waitFor();

    const byArea = programme.getByRole('table', { name: 'Regionalbudget Nordsachsen: Nach Mittelzentrum' });
    for (const [area, n] of Object.entries(PER_AREA)) expect((await row(byArea, area))[0], area).toBe(String(n));
    const sum = await row(byArea, 'Summe');
    expect(sum[0]).toBe(String(SENT.length));
    // Hectares to one decimal, sites from the registry ("–" for enquiries from outside the county).
    expect(sum[7]).toMatch(/^\d{1,3}(\.\d{3})*,\d ha$/);
    expect((await row(byArea, 'außerhalb (durch Maßnahmen)'))[6]).toBe('–');

    const byMeasure = programme.getByRole('table', { name: 'Regionalbudget Nordsachsen: Nach Maßnahme' });
    expect((await row(byMeasure, 'RB-NOS-1 Ansiedlungskampagne'))[0]).toBe('3');
    expect((await row(byMeasure, 'RB-NOS-2 Gewerbeflächenmarketing'))[0]).toBe('0');
    expect((await row(byMeasure, 'ohne Zuordnung'))[0]).toBe('3');
    expect((await row(byMeasure, 'Summe'))[0]).toBe(String(SENT.length));

    const byChannel = programme.getByRole('table', { name: 'Regionalbudget Nordsachsen: Nach Eingangsweg' });
    expect((await row(byChannel, 'Kampagnenseite'))[0]).toBe('3');
    expect((await row(byChannel, 'ohne Angabe'))[0]).toBe('3');

    // A chart per Mittelzentrum over the quarters, each with its table.
    const quarter = thisQuarter().title;
    for (const [area, n] of Object.entries(PER_AREA)) {
      await programme
        .getByRole('img', {
          name: `Balkendiagramm „${area}: Anfragen je Quartal“; die Zahlen stehen in der Tabelle daneben.`,
        })
        .waitFor();
      const table = programme.getByRole('table', { name: `${area}: Anfragen je Quartal` });
      expect((await row(table, quarter))[0], area).toBe(String(n));
    }

    // No codes on the screen, and no block of the Landratsamt's own enquiries, all zero: a note instead.
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/campaign_page|rest_of_region|torgau\b|lra-nordsachsen/);
    expect(await page.getByRole('heading', { name: 'Eingang nach Monat' }).count()).toBe(0);
    await page.getByText('Bei Ihrer Agentur sind im Zeitraum keine eigenen Anfragen eingegangen').waitFor();
    // The programme comes first: its heading before Bestandspflege's, headings in order.
    const headings = await page
      .locator('main')
      .locator('h1, h2, h3, h4')
      .evaluateAll((hs) => hs.map((el) => `${el.tagName}:${(el.textContent ?? '').trim()}`));
    expect(headings.slice(0, 4)).toEqual([
      'H1:Kennzahlen',
      'H2:Regionalbudget Nordsachsen',
      'H3:Nach Mittelzentrum',
      'H3:Nach Maßnahme',
    ]);
    expect(headings.indexOf('H2:Regionalbudget Nordsachsen')).toBeLessThan(headings.indexOf('H2:Bestandspflege'));
    for (let i = 1; i < headings.length; i++)
      expect(Number(headings[i]![1]) - Number(headings[i - 1]![1]), headings[i]).toBeLessThanOrEqual(1);
    await page
      .getByText(/^Stand: \d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4}, \d\d:\d\d Uhr$/)
      .first()
      .waitFor();

    // The CSV, fetched with the person's token and saved.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      programme.getByRole('button', { name: 'Als CSV herunterladen' }).click(),
    ]);
    const year = new Date().getFullYear();
    expect(download.suggestedFilename()).toBe(`kennzahlen-${PROGRAMME}-${year}-01-01-bis-${year}-12-31.csv`);
    expect(readFileSync((await download.path())!, 'utf8')).toContain('Torgau');
    await answered(page, 'ist heruntergeladen');

    await expectAccessible(page, 'Kennzahlen → Regionalbudget');
    await screenshot(page, 'kennzahlen-regionalbudget');
    await page.context().close();
  });

  it('has no sideways scroll at 390 and 320 px, and no table cut off in its box', async () => {
    for (const width of [390, 320]) {
      const page = await open('/kennzahlen', 'lra.nordsachsen', width);
      await page.getByRole('heading', { name: 'Nach Mittelzentrum' }).waitFor();
      await page.getByRole('heading', { name: 'Berichte' }).waitFor();
      await eventually(async () => expect(await page.getByText('Wird geladen …').count()).toBe(0));
      const sideways = Number(await page.evaluate('document.documentElement.scrollWidth - innerWidth'));
      expect(sideways, `at ${width} px`).toBeLessThanOrEqual(0);
      const cut = await page.evaluate(
        '[...document.querySelectorAll(".lotse-scroll")].filter((b) => b.scrollWidth > b.clientWidth).length',
      );
      expect(cut, `a table cut off at ${width} px`).toBe(0);
      if (width === 390) {
        await expectAccessible(page, 'Kennzahlen → Regionalbudget at 390 px');
        await screenshot(page, 'kennzahlen-regionalbudget-390px');
      }
      await page.context().close();
    }
  });

  it('builds a report for a period by the keyboard alone and lists it with its PDF and Excel', async () => {
    const page = await open('/kennzahlen', 'lra.nordsachsen');
    const reports = page.getByRole('region', { name: 'Berichte', exact: true });
    await reports.getByText('Noch kein Bericht').waitFor();
    const { from, to, title } = thisQuarter();

    // A mistyped day is said at its field, and nothing is asked of the api.
    const von = page.getByLabel('Von (TT.MM.JJJJ)');
    const bis = page.getByLabel('Bis (einschließlich) (TT.MM.JJJJ)');
    await von.fill('31.02.2026');
    await bis.fill(to);
    await page.getByRole('button', { name: 'Bericht erstellen' }).click();
    await page.getByText('Bitte den ersten Tag angeben').waitFor();
    expect(await von.getAttribute('aria-invalid')).toBe('true');
    expect(await von.getAttribute('aria-describedby')).toBe(
      await page.getByText('Bitte den ersten Tag angeben').getAttribute('id'),
    );
    expect((await focused(page)).id).toBe(await von.getAttribute('id'));
    await expectAccessible(page, 'Bericht erstellen mit Fehler');

    // From the CSV button on, every stop by Tab shows its focus, and the form is reached.
    await page.getByRole('button', { name: 'Als CSV herunterladen' }).focus();
    const stops: string[] = [];
    for (let i = 0; i < 40 && (await focused(page)).id !== (await von.getAttribute('id')); i++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      expect(now.outlined, `tab stop ${i}: ${JSON.stringify(now)}`).toBe(true);
      stops.push(now.name);
    }
    // The tables' boxes scroll by the keyboard too: each is a stop, named by its table.
    expect(stops).toContain('Regionalbudget Nordsachsen: Nach Mittelzentrum');
    expect(stops).toContain('Torgau: Anfragen je Quartal');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(from);
    await page.keyboard.press('Tab');
    expect((await focused(page)).id).toBe(await bis.getAttribute('id'));
    await page.keyboard.press('Tab');
    expect((await focused(page)).tag).toBe('input');
    await page.keyboard.press('Tab');
    expect((await focused(page)).name).toBe('Bericht erstellen');
    await page.keyboard.press('Enter');
    await page.getByText('Bericht wird erstellt …').waitFor();
    await answered(page, `Bericht erstellt: ${title}.`);

    const table = reports.getByRole('table', { name: 'Berichte: Regionalbudget Nordsachsen' });
    const cells = await row(table, new RegExp(`^${title}`));
    expect(cells[0]).toMatch(/^\d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr$/);
    expect(cells[1]).toBe('auf Anforderung');
    expect(cells[2]).toBe('nicht versandt');
    const pdf = reports.getByRole('button', { name: `PDF des Berichts ${title}` });
    const [download] = await Promise.all([page.waitForEvent('download'), pdf.click()]);
    expect(download.suggestedFilename()).toBe(`bericht-${PROGRAMME}-${isoPeriod(from, to)}.pdf`);
    expect(readFileSync((await download.path())!, 'latin1').startsWith('%PDF')).toBe(true);
    const excel = reports.getByRole('button', { name: `Excel-Datei des Berichts ${title}` });
    const [workbook] = await Promise.all([page.waitForEvent('download'), excel.click()]);
    expect(workbook.suggestedFilename()).toBe(`bericht-${PROGRAMME}-${isoPeriod(from, to)}.xlsx`);
    // An XLSX is a zip file.
    expect(readFileSync((await workbook.path())!, 'latin1').startsWith('PK')).toBe(true);
    await expectAccessible(page, 'Berichte');
    await screenshot(page, 'kennzahlen-berichte');

    // Sending it to the steering group asks first, naming them; Abbrechen sends nothing.
    await page.getByLabel('An die Steuerungsgruppe senden (Steuerungsgruppe Regionalbudget Nordsachsen)').check();
    await page.getByRole('button', { name: 'Bericht erstellen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bericht erstellen und versenden?' });
    await dialog.getByText('per E-Mail an die Steuerungsgruppe Regionalbudget Nordsachsen').waitFor();
    await expectAccessible(page, 'Bericht versenden?');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByText('Bericht wird erstellt …').count()).toBe(0);
    await page.context().close();
  });
});

/** "01.10.2026", "31.12.2026" → "2026-10-01_2026-12-31": the report's id. */
const isoPeriod = (from: string, to: string) => [from, to].map((d) => d.split('.').reverse().join('-')).join('_');

describe('Anfrage → Herkunft', () => {
  it('lets IRL’s staff change where an enquiry came from; saved twice, it stays; the figures follow', async () => {
    const id = ids[3]!; // Eilenburg, without a source
    const page = await open(`/anfragen/${id}`, 'irl.staff');
    await page.getByRole('heading', { name: /^Anfrage / }).waitFor();
    expect(await fact(page, 'Eingangsweg').innerText()).toBe('ohne Angabe');
    expect(await fact(page, 'Maßnahme').innerText()).toBe('ohne Zuordnung');
    expect(await fact(page, 'Mittelzentrum (Kampagne)').innerText()).toBe('keins');

    const change = page.getByRole('button', { name: 'Herkunft ändern' });
    await change.click();
    expect(await change.getAttribute('aria-expanded')).toBe('true');
    const channel = page.getByLabel('Eingangsweg');
    const measure = page.getByLabel('Maßnahme');
    const area = page.getByLabel('Mittelzentrum (Kampagne)');
    // The form opens on its first field.
    await eventually(async () => expect((await focused(page)).id).toBe('herkunft-eingangsweg'));

    // A measure without a channel is said at the channel's field.
    await measure.selectOption({ label: 'RB-NOS-2 Gewerbeflächenmarketing' });
    await page.getByRole('button', { name: 'Herkunft speichern' }).click();
    await page.getByText('Bitte wählen Sie den Eingangsweg').waitFor();
    expect(await channel.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'Herkunft ändern mit Fehler');
    await screenshot(page, 'anfrage-herkunft');

    await channel.selectOption({ label: 'Messe' });
    await area.selectOption({ label: 'Eilenburg' });
    const saved = 'Die Herkunft ist gespeichert: Messe, RB-NOS-2 Gewerbeflächenmarketing, Mittelzentrum Eilenburg.';
    await page.getByRole('button', { name: 'Herkunft speichern' }).click();
    await answered(page, saved);
    const shows = async () => {
      expect(await fact(page, 'Eingangsweg').innerText()).toBe('Messe');
      expect(await fact(page, 'Maßnahme').innerText()).toBe('RB-NOS-2 Gewerbeflächenmarketing');
      expect(await fact(page, 'Mittelzentrum (Kampagne)').innerText()).toBe('Eilenburg');
    };
    await eventually(shows);
    await expectAccessible(page, 'Herkunft gespeichert');

    // After a reload the page shows what was saved, and the form opens on it.
    await page.reload();
    await page.getByRole('heading', { name: /^Anfrage / }).waitFor();
    await eventually(shows);
    // By the keyboard: Enter opens the form on its first field, Tab goes through the three and to "speichern".
    await page.getByRole('button', { name: 'Herkunft ändern' }).focus();
    await page.keyboard.press('Enter');
    await eventually(async () => expect((await focused(page)).id).toBe('herkunft-eingangsweg'));
    expect(await channel.inputValue()).toBe('fair');
    expect(await measure.inputValue()).toBe('RB-NOS-2');
    expect(await area.inputValue()).toBe('eilenburg');
    for (const next of ['herkunft-massnahme', 'herkunft-mittelzentrum']) {
      await page.keyboard.press('Tab');
      expect(await focused(page)).toMatchObject({ id: next, outlined: true });
    }
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ name: 'Herkunft speichern', outlined: true });

    // Saved again unchanged: it stays, nothing reverts, the Verlauf names the change once.
    await page.keyboard.press('Enter');
    await answered(page, saved);
    await shows();
    await page.waitForTimeout(1000);
    await shows();
    const verlauf = page.locator('section[aria-labelledby=verlauf]');
    await verlauf
      .getByText('Herkunft geändert: Messe, RB-NOS-2 Gewerbeflächenmarketing, Mittelzentrum Eilenburg')
      .waitFor();
    expect(await verlauf.getByText('Herkunft geändert').count()).toBe(1);
    await page.context().close();

    // The figures count it under its new source.
    await programmeCounted((f) => {
      expect(f.measures.find((m) => m.measure === 'RB-NOS-2')?.enquiries).toBe(1);
      expect(f.channels.fair).toBe(1);
    });
    const lra = await open('/kennzahlen', 'lra.nordsachsen');
    const byMeasure = lra.getByRole('table', { name: 'Regionalbudget Nordsachsen: Nach Maßnahme' });
    expect((await row(byMeasure, 'RB-NOS-2 Gewerbeflächenmarketing'))[0]).toBe('1');
    expect((await row(byMeasure, 'ohne Zuordnung'))[0]).toBe('2');
    await lra.context().close();
  });

  it('shows WFG’s management its own figures first, then the Regionalbudget it is party to', async () => {
    const page = await open('/kennzahlen', 'wfg.gf');
    await page.getByRole('heading', { name: 'Regionalbudget Nordsachsen', level: 2 }).waitFor();
    const headings = await page.locator('main').locator('h2').allInnerTexts();
    expect(headings.indexOf('Eingang nach Monat')).toBeGreaterThanOrEqual(0);
    expect(headings.indexOf('Eingang nach Monat')).toBeLessThan(headings.indexOf('Regionalbudget Nordsachsen'));
    expect(await page.getByText('Bei Ihrer Agentur sind im Zeitraum keine eigenen Anfragen').count()).toBe(0);
    await page.context().close();
  });

  it('shows IRL’s management no Regionalbudget: IRL is no party to it', async () => {
    const page = await open('/kennzahlen', 'irl.gf');
    await page.getByRole('heading', { name: 'Eingang nach Monat' }).waitFor();
    await page.getByRole('heading', { name: 'Bestandspflege' }).waitFor();
    expect(await page.getByText('Regionalbudget').count()).toBe(0);
    expect(await page.getByText('Bei Ihrer Agentur sind im Zeitraum keine eigenen Anfragen').count()).toBe(0);
    await page.context().close();
  });
});
