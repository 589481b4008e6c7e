import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from '../harness.js';
import { expectAccessible, screenshot, signedInAs, startBrowserStack, type BrowserStack } from './browser.js';

/**
 * Flächen and Kennzahlen in a real browser against the real stack (issue 30): what was saved
 * is what the form shows, German numbers, a new site's errors at once and inside the agency's
 * area only, the partner's read-only view, the CSV's name and period, and phone widths.
 */

let h: Harness;
let browser: Browser;
let stack: BrowserStack;

beforeAll(async () => {
  stack = await startBrowserStack();
  ({ h, browser } = stack);
});
afterAll(async () => stack?.close());

const open = (url: string, user: string, width?: number) => signedInAs(browser, `${h.baseUrl}${url}`, user, width);
/** An IRL site of the sample data (data/sites.json). */
const SITE = 'le-plagwitz-ge1';

/** A fact of the site's "Angaben" (read-only). */
const fact = (page: Page, value: string) => page.getByRole('definition').filter({ hasText: value });

/** "Stand: 7. Dezember 2026, 10:42 Uhr" under the heading of Anfragen and Kennzahlen. */
const STAND = /^Stand: \d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4}, \d\d:\d\d Uhr$/;

/** The element that has the focus: its text and role. */
const focused = (page: Page) =>
  page.locator(':focus').evaluate((el) => ({ text: (el.textContent ?? '').trim(), role: el.getAttribute('role') }));

/** Screens at 390 px, to look at (not for the README): under the temporary directory. */
const PHONE_SHOTS = path.join(tmpdir(), 'lotse-390px');
async function phoneShot(page: Page, screen: string) {
  mkdirSync(PHONE_SHOTS, { recursive: true });
  const name = screen === '/' ? 'aufgaben' : screen.slice(1).replace(/\//g, '-');
  await page.screenshot({ path: path.join(PHONE_SHOTS, `${name}.png`), fullPage: true });
}

describe('Flächen and Kennzahlen', () => {
  it('keeps both of two edits: the form and the facts show what was saved, also after a reload', async () => {
    const page = await open(`/flaechen/${SITE}`, 'irl.staff');
    const size = page.getByLabel('Größe (m²)');
    await size.waitFor();
    expect(await size.getAttribute('inputmode')).toBe('decimal');

    await size.fill('2.8');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Der Punkt trennt Tausender (50.000)').waitFor();
    expect(await size.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'Fläche mit Fehler');

    await size.fill('50.000');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'Gespeichert' }).waitFor();
    expect((await focused(page)).text).toContain('Gespeichert');
    await fact(page, '50.000 m² (5 ha)').waitFor();
    expect(await size.inputValue()).toBe('50.000');

    const price = page.getByLabel('Preis je m² (€, optional)');
    await price.fill('32,5');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await fact(page, '32,5 € je m²').waitFor();
    expect(await size.inputValue()).toBe('50.000');
    expect(await price.inputValue()).toBe('32,5');

    await page.reload();
    await fact(page, '32,5 € je m²').waitFor();
    expect(await page.getByLabel('Größe (m²)').inputValue()).toBe('50.000');
    expect(await page.getByLabel('Preis je m² (€, optional)').inputValue()).toBe('32,5');
    const text = await page.locator('section[aria-labelledby=historie]').innerText();
    expect(text).toContain('Anna Berger (IRL): Größe (m²)');
    expect(text).toContain('→ 50.000 m² (5 ha)');
    expect(text).toContain('Preis je m² (€, optional): 145 → 32,5');
    expect(text).toContain('Beispieldaten beim ersten Start: angelegt');
    expect(text).not.toContain('user:');
    // The form sends what it does not edit as saved: the site keeps its place on the map.
    const history = await h.lotse.sites.history(SITE);
    expect(history.at(-1)!.site).toMatchObject({ lat: expect.any(Number), lon: expect.any(Number) });
    await expectAccessible(page, 'Fläche');
    await screenshot(page, 'flaeche');
  });

  it('shows a partner the site’s facts read-only, without the form', async () => {
    const page = await open(`/flaechen/${SITE}`, 'wfg.staff');
    await page.getByRole('heading', { name: 'Angaben' }).waitFor();
    for (const fact of ['Größe', 'Gebietsart', 'Gleisanschluss', 'Entfernung zur Autobahn', 'Anschlussleistung'])
      expect(
        await page
          .getByRole('term')
          .filter({ hasText: new RegExp(`^${fact}$`) })
          .count(),
      ).toBe(1);
    expect(
      await page
        .getByRole('definition')
        .filter({ hasText: / m² \(.* ha\)$/ })
        .count(),
    ).toBe(1);
    expect(await page.getByRole('button', { name: 'Speichern' }).count()).toBe(0);
    await expectAccessible(page, 'Fläche (Partner)');
  });

  it('searches "5.000" m² as 5,000 and an agency chosen by name; a refused link says why', async () => {
    const page = await open('/flaechen', 'irl.staff');
    await page.getByRole('row').nth(1).waitFor();
    const unfiltered = await page.getByRole('row').count();
    const minimum = page.getByLabel('Mindestgröße (m²)');
    await minimum.fill('5.000');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await eventually(async () => expect(page.url()).toContain('minAreaM2=5000'));
    // Fewer sites than all: the list has been asked again (the small ones are gone).
    await eventually(async () => expect(await page.getByRole('row').count()).toBeLessThan(unfiltered));
    expect(await minimum.inputValue()).toBe('5.000');
    const rows = await page.getByRole('row').count();
    expect(rows).toBeGreaterThan(2);

    // A link with a filter the api refuses: the page says why, with what was asked still in the address.
    await page.goto(`${h.baseUrl}/flaechen?agency=Invest%20Region`);
    await page.getByRole('alert').waitFor();
    await expectAccessible(page, 'Flächen mit Fehler');

    // The agency is chosen by its name from a list; its Kennung goes into the address.
    await page.getByLabel('Agentur', { exact: true }).selectOption({ label: 'IRL' });
    await page.getByRole('button', { name: 'Suchen' }).click();
    await eventually(async () => expect(page.url()).toContain('agency=irl'));
    await page.getByRole('row').nth(1).waitFor();
    // A focused link in the table shows its whole focus ring (4 px, 2 px apart), inside the scrolling box.
    const link = page.getByRole('row').nth(1).getByRole('link');
    await link.focus();
    const clipped = await link.evaluate((a) => {
      const box = a.closest('.lotse-scroll')!.getBoundingClientRect();
      const ring = a.getBoundingClientRect();
      return ring.left - 6 < box.left || ring.top - 6 < box.top || ring.right + 6 > box.right;
    });
    expect(clipped).toBe(false);
    await expectAccessible(page, 'Flächen');
    await screenshot(page, 'flaechen');
  });

  it('lists every error of a new site at once, refuses a key outside IRL’s area, and then links to it', async () => {
    const page = await open('/neue-flaeche', 'irl.staff');
    await page.getByRole('heading', { name: 'Neue Fläche anlegen' }).waitFor();
    expect(await page.getByLabel('Gebietsart').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Neue Fläche anlegen' }).click();
    await page.getByText('Nicht gespeichert').waitFor();
    const invalid = page.locator('[aria-invalid=true]');
    expect(await invalid.evaluateAll((els) => els.map((e) => e.id))).toEqual([
      'feld-name',
      'feld-ags',
      'feld-areaM2',
      'feld-zoning',
      'feld-motorwayKm',
      'feld-powerMw',
      'feld-availableFrom',
    ]);
    // Every error at its field, in German.
    await page.getByText('Bitte den Tag als TT.MM.JJJJ angeben').waitFor();
    await expectAccessible(page, 'Neue Fläche mit Fehlern');

    await page.getByLabel('Name').fill('Gewerbegebiet Süd-Ost Test');
    await page.getByText(/^gewerbegebiet-sued-ost-test-[a-z0-9]{4}$/).waitFor();
    // The municipality by name: Torgau, in Nordsachsen, outside IRL's area.
    const place = page.getByRole('combobox', { name: 'Gemeinde' });
    await place.fill('torg');
    await page.getByRole('option', { name: 'Torgau (Nordsachsen)' }).click();
    await page.getByLabel('Größe (m²)').fill('45.000');
    await page.getByLabel('Gebietsart').selectOption('GE');
    await page.getByLabel('Entfernung zur Autobahn (km)').fill('2,5');
    await page.getByLabel('Anschlussleistung (MW)').fill('8');
    await page.getByLabel('verfügbar ab (TT.MM.JJJJ)').fill('1.3.2027');
    await page.getByRole('button', { name: 'Neue Fläche anlegen' }).click();
    await page.getByText('liegt nicht im Gebiet Ihrer Agentur').waitFor();
    expect(await invalid.evaluateAll((els) => els.map((e) => e.id))).toEqual(['feld-ags']);
    expect(await page.getByLabel('Name').inputValue()).toBe('Gewerbegebiet Süd-Ost Test');
    await expectAccessible(page, 'Neue Fläche außerhalb des Gebiets');
    await screenshot(page, 'neue-flaeche');

    await place.fill('leipz');
    // A site lies in a municipality: the county and the city county of that name are not offered.
    const leipzig = page.getByRole('option', { name: 'Leipzig', exact: true });
    await leipzig.waitFor();
    expect(await page.getByRole('option', { name: /Landkreis Leipzig|kreisfreie Stadt/ }).count()).toBe(0);
    await leipzig.click();
    expect(await place.inputValue()).toBe('Leipzig');
    await page.getByRole('button', { name: 'Neue Fläche anlegen' }).click();
    const said = page.getByRole('status').filter({ hasText: 'Die Fläche „Gewerbegebiet Süd-Ost Test“ ist angelegt.' });
    await said.waitFor();
    expect((await focused(page)).text).toContain('ist angelegt');
    await expectAccessible(page, 'Neue Fläche angelegt');
    // The next Tab from the message goes to the new site.
    await page.keyboard.press('Tab');
    expect((await focused(page)).text).toBe('„Gewerbegebiet Süd-Ost Test“ öffnen');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Gewerbegebiet Süd-Ost Test' }).waitFor();
    expect(page.url()).toMatch(/\/flaechen\/gewerbegebiet-sued-ost-test-[a-z0-9]{4}$/);
    await fact(page, '45.000 m² (4,5 ha)').waitFor();

    // Withdrawing asks first; the question holds the focus, Escape gives it back to the button.
    const withdraw = page.getByRole('button', { name: 'Fläche zurückziehen' });
    await withdraw.click();
    const dialog = page.getByRole('dialog', { name: '„Gewerbegebiet Süd-Ost Test“ zurückziehen?' });
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.contains(d.ownerDocument.activeElement))).toBe(true);
    await expectAccessible(page, 'Fläche zurückziehen?');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await withdraw.evaluate((b) => b === b.ownerDocument.activeElement)).toBe(true);
    await withdraw.click();
    await dialog.getByRole('button', { name: 'Fläche zurückziehen' }).click();
    await page.getByRole('heading', { name: 'Zurückgezogen' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'ist zurückgezogen' }).waitFor();
    expect((await focused(page)).text).toContain('ist zurückgezogen');
  });

  it('names the CSV by the Berlin calendar days of the period and puts the medians in it', async () => {
    const page = await open('/kennzahlen', 'irl.gf');
    await page.getByText('dieses Jahr, da kein Zeitraum gewählt ist').waitFor();
    const year = new Date().getFullYear();
    const csv = page.getByRole('link', { name: 'Als CSV herunterladen' });
    const [download] = await Promise.all([page.waitForEvent('download'), csv.click()]);
    expect(download.suggestedFilename()).toBe(`kennzahlen-irl-${year}-01-01-bis-${year}-12-31.csv`);
    const file = readFileSync((await download.path())!, 'utf8');
    expect(file).toContain(`"Zeitraum";"01.01.${year} bis 31.12.${year}"`);
    expect(file).not.toMatch(/T\d\d:\d\d/);
    // When the figures were put together, in the header rows, as on the screen.
    expect(file).toMatch(
      /^\uFEFF"Kennzahl";"Wert"\r\n"Zeitraum";"[^"]+"\r\n"Stand der Zahlen";"\d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr"\r\n/,
    );
    await page.getByText(STAND).waitFor();
    const medians = await page
      .getByRole('listitem')
      .filter({ hasText: /: (unter einer Minute|\d)/ })
      .allInnerTexts();
    expect(medians.length).toBeGreaterThan(0);
    for (const shown of medians) expect(file).toContain(shown.slice(0, shown.indexOf(':')));
    expect(await page.getByText(/\b1 Minuten\b/).count()).toBe(0);

    // A period that ends before it starts: the field says so, the figures stay.
    const from = page.getByLabel('Eingegangen ab (TT.MM.JJJJ)');
    const to = page.getByLabel('Eingegangen vor (TT.MM.JJJJ)');
    await from.fill(`01.06.${year}`);
    await to.fill(`31.02.${year}`);
    await page.getByRole('button', { name: 'Anzeigen' }).click();
    await page.getByText('Bitte als Tag angeben, TT.MM.JJJJ').waitFor();
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    await to.fill(`01.05.${year}`);
    await page.getByRole('button', { name: 'Anzeigen' }).click();
    await page.getByText('muss nach „Eingegangen ab“ liegen').first().waitFor();
    expect(page.url()).toContain(`from=${year}-06-01`);
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    expect(await to.inputValue()).toBe(`01.05.${year}`);
    expect(await csv.count()).toBe(1);
    expect(await page.getByText(STAND).count()).toBe(1);
    await expectAccessible(page, 'Kennzahlen mit Fehler');
  });

  it('tells an office holder whose list Anfragen is, instead of an enquiry’s refusal', async () => {
    const page = await open('/anfragen', 'ob.leipzig');
    await page.getByText('Anfragen listen die Mitarbeitenden und die Geschäftsführung').waitFor();
    expect(await page.getByText('bei dieser Anfrage').count()).toBe(0);
    // No filters that would find nothing.
    expect(await page.getByRole('button', { name: 'Filtern' }).count()).toBe(0);
  });

  it('tells staff whose page Abstimmungen is, and management whose Leads are, instead of an enquiry’s refusal', async () => {
    const votes = await open('/abstimmungen', 'irl.staff');
    await votes.getByText('Abstimmungen sind Sache der Ämter').waitFor();
    expect(await votes.getByText('bei dieser Anfrage').count()).toBe(0);
    await expectAccessible(votes, 'Abstimmungen für Mitarbeitende');
    const leads = await open('/leads', 'irl.gf');
    await leads.getByText('Leads beantworten die Mitarbeitenden einer Agentur').waitFor();
    expect(await leads.getByText('bei dieser Anfrage').count()).toBe(0);
  });

  it('tells management that sites are created by staff, on the address of "Neue Fläche"', async () => {
    const page = await open('/neue-flaeche', 'irl.gf');
    await page.getByText('Flächen legen die Mitarbeitenden einer Agentur an').waitFor();
    expect(await page.getByLabel('Name').count()).toBe(0);
  });

  it('shows staff the Kennzahlen of Bestandspflege and says the enquiries’ are for management', async () => {
    const page = await open('/kennzahlen', 'irl.staff');
    await page.getByText('Die Kennzahlen der Anfragen sieht die Geschäftsführung').waitFor();
    await page.getByRole('heading', { name: 'Bestandspflege' }).waitFor();
    expect(await page.getByText('bei dieser Anfrage').count()).toBe(0);
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Kennzahlen' }).count()).toBe(1);
    await expectAccessible(page, 'Kennzahlen für Mitarbeitende');
  });

  it('starts the sign-in in "Benutzername" and answers /favicon.ico', async () => {
    const page = await (await browser.newContext({ locale: 'de-DE' })).newPage();
    const missing: string[] = [];
    page.on('response', (r) => r.status() === 404 && missing.push(r.url()));
    await page.goto(h.baseUrl);
    await page.getByLabel('Benutzername').waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('benutzername');
    const icon = await fetch(`${h.baseUrl}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    expect((await fetch(`${h.baseUrl}/favicon.svg`)).status).toBe(200);
    expect(missing).toEqual([]);
  });

  it('has no sideways scroll at 320 and 390 px on Aufgaben, Anfragen, Flächen, a site, Neue Fläche, Kennzahlen', async () => {
    const screens = ['/', '/anfragen', '/flaechen', `/flaechen/${SITE}`, '/neue-flaeche', '/kennzahlen'];
    for (const width of [320, 390]) {
      for (const user of ['irl.gf', 'irl.staff']) {
        const page = await open('/', user, width);
        for (const screen of screens) {
          await page.goto(h.baseUrl + screen);
          await page.getByRole('heading', { level: 1 }).waitFor();
          await eventually(async () => expect(await page.getByText('Wird geladen …').count()).toBe(0));
          const sideways = Number(await page.evaluate('document.documentElement.scrollWidth - innerWidth'));
          expect(sideways, `${screen} for ${user} at ${width} px`).toBeLessThanOrEqual(0);
          // Nor is a table cut off inside its box: on a phone its rows are cards ("Stand" whole).
          const cut = await page.evaluate(
            '[...document.querySelectorAll(".lotse-scroll")].filter((b) => b.scrollWidth > b.clientWidth).length',
          );
          expect(cut, `a table cut off on ${screen} at ${width} px`).toBe(0);
          if (width === 390 && user === 'irl.staff') {
            // Tables as cards on a phone are still tables to a screen reader and to axe.
            await expectAccessible(page, `${screen} at 390 px`);
            await phoneShot(page, screen);
          }
        }
        await page.context().close();
      }
    }
  });
});
