import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideForwarding } from '../../contract/enquiry-workflow.js';
import { enquiry, eventually, type Harness } from '../harness.js';
import { expectAccessible, screenshot, signedInAs, startBrowserStack, type BrowserStack } from './browser.js';

/**
 * What people do on an enquiry, in the real browser against the real stack: every action
 * that cannot be taken back asks first in a modal that names the consequence, and every
 * action answers in a message that gets the focus; tasks open the place where they are
 * done; the three voters talk about one project.
 */

let h: Harness;
let browser: Browser;
let stack: BrowserStack;

beforeAll(async () => {
  stack = await startBrowserStack();
  ({ h, browser } = stack);
});
afterAll(async () => stack?.close());

const open = (user: string, path: string, width?: number) => signedInAs(browser, `${h.baseUrl}${path}`, user, width);

/** An enquiry taken in, once its workflow rests in `status`; its id. */
async function submitted(body: ReturnType<typeof enquiry>, status: string): Promise<string> {
  const id = (await (await h.post('irl', body)).json()).enquiryId as string;
  const handle = h.lotse.temporal.workflow.getHandle(id);
  await eventually(async () => expect((await handle.query<{ status: string }>('state')).status).toBe(status));
  return id;
}
const noOwnSite = () =>
  enquiry({
    preferredLocations: ['14713000'],
    siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true },
  });
/** An IRL site fits: handled by IRL at once. */
const ownSite = () =>
  enquiry({ preferredLocations: ['14713000'], siteRequirements: { areaM2Min: 5000, zoning: ['GE'] } });

/** What reaches beyond the screen's right edge, for the message of a failed reflow check. */
const widerThanScreen = (page: Page) =>
  page.locator('body').evaluate((body) => {
    const width = body.ownerDocument.defaultView!.innerWidth;
    return [...body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 12)
      .map((el) => {
        const box = el.getBoundingClientRect();
        const what = `${el.tagName.toLowerCase()}.${el.className}`;
        return `${what} ${Math.round(box.left)}–${Math.round(box.right)} "${(el.textContent ?? '').slice(0, 40)}"`;
      })
      .join('; ');
  });

/** The focused element's text, or what it is when it has none. */
const focusedText = (page: Page) =>
  page.locator('body').evaluate((body) => {
    const el = body.ownerDocument.activeElement;
    return el && el !== body ? (el.textContent ?? '').trim() || el.tagName : 'BODY';
  });

/** The action's answer is the focused element: a status or alert, never <body>. */
async function expectAnswerFocused(page: Page, text: string | RegExp) {
  const answer = page.locator('[role=status], [role=alert]').filter({ hasText: text });
  await answer.waitFor();
  await eventually(async () => expect(await answer.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true));
}

describe('Abschließen', () => {
  it('closes only with an outcome the person chose, after a question naming the consequence', async () => {
    const id = await submitted(ownSite(), 'in_progress');
    const page = await open('irl.staff', `/anfragen/${id}`);
    const outcome = page.getByLabel('Ergebnis');
    await outcome.waitFor();
    expect(await outcome.inputValue()).toBe('');
    // Without a choice: the field says so, and nothing is asked or sent.
    await page.getByRole('button', { name: 'Abschließen' }).click();
    await page.getByText('Bitte wählen Sie ein Ergebnis.').waitFor();
    expect(await outcome.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('dialog').count()).toBe(0);

    await outcome.selectOption('settled');
    const close = page.getByRole('button', { name: 'Abschließen' });
    await close.click();
    const dialog = page.getByRole('dialog', { name: 'Anfrage als „Angesiedelt“ abschließen?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('zählt so in den Kennzahlen');
    // The safe answer has the focus; the rest of the page is inert.
    expect(await focusedText(page)).toBe('Abbrechen');
    await expectAccessible(page, 'Abschließen?');
    await screenshot(page, 'abschliessen-frage');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await close.evaluate((b) => b === b.ownerDocument.activeElement)).toBe(true);
    expect(await page.getByText('In Bearbeitung').count()).toBeGreaterThan(0);

    await close.click();
    await dialog.getByRole('button', { name: 'Abschließen' }).click();
    await expectAnswerFocused(page, 'Die Anfrage ist als „Angesiedelt“ abgeschlossen.');
    await page.getByText(/Abgeschlossen: Angesiedelt \(Anna Berger, IRL\)/).waitFor();
    await expectAccessible(page, 'Anfrage abgeschlossen');
  });
});

describe('Gemeinsame Bearbeitung anregen und Weiterleitung freigeben', () => {
  it('asks before starting the vote, naming the offices; the answer is said and focused', async () => {
    const id = await submitted(ownSite(), 'in_progress');
    const page = await open('irl.staff', `/anfragen/${id}`);
    await page.getByRole('button', { name: 'Gemeinsame Bearbeitung anregen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Gemeinsame Bearbeitung anregen?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Oberbürgermeister der Stadt Leipzig');
    expect(await dialog.innerText()).toContain('lässt sich nicht abbrechen');
    await expectAccessible(page, 'Gemeinsame Bearbeitung anregen?');
    await dialog.getByRole('button', { name: 'Gemeinsame Bearbeitung anregen' }).click();
    await expectAnswerFocused(page, 'Die Abstimmung über die gemeinsame Bearbeitung hat begonnen.');
    await page.getByText(/Abstimmung der Ämter \(.*Landrat des Landkreises Nordsachsen\): noch/).waitFor();
    expect(await page.getByText('Abstimmung läuft').count()).toBeGreaterThan(0);
    // The Oberbürgermeister reads who suggested it, by name and agency, not as a code.
    const ob = await open('ob.leipzig', '/abstimmungen');
    const ballot = ob.getByRole('article').filter({ has: ob.locator(`[id="abstimmung-${id}"]`) });
    await ballot.getByText('Zur gemeinsamen Bearbeitung angeregt von irl.staff (IRL).').waitFor();
    expect(await ballot.innerText()).not.toContain('user:');
  });

  it('asks before releasing the lead, naming the partners in their order', async () => {
    const id = await submitted(noOwnSite(), 'awaiting_forwarding_decision');
    const page = await open('irl.staff', `/anfragen/${id}`);
    await page.getByRole('button', { name: 'Weiterleitung freigeben' }).click();
    const dialog = page.getByRole('dialog', { name: 'Weiterleitung freigeben?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Der Lead geht an WFG Nordsachsen');
    await expectAccessible(page, 'Weiterleitung freigeben?');
    await dialog.getByRole('button', { name: 'Abbrechen' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByText('Weiterleitung offen').count()).toBeGreaterThan(0);
  });
});

describe('Weiterleitung ablehnen und Einwilligung', () => {
  it('asks before rejecting; the focus goes to the answer, so Tab + Enter records nothing', async () => {
    const id = await submitted(noOwnSite(), 'awaiting_forwarding_decision');
    const page = await open('irl.staff', `/anfragen/${id}`);
    await page.getByText(/Entscheidung über die Weiterleitung: noch/).waitFor();
    await page.getByRole('button', { name: 'Weiterleitung ablehnen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Weiterleitung ablehnen?' });
    await dialog.waitFor();
    await expectAccessible(page, 'Weiterleitung ablehnen?');
    await dialog.getByRole('button', { name: 'Weiterleitung ablehnen' }).click();
    await expectAnswerFocused(page, 'Die Weiterleitung ist abgelehnt.');
    await page.getByText(/Weiterleitung abgelehnt \(Anna Berger, IRL\)/).waitFor();

    await page.keyboard.press('Tab');
    expect(await focusedText(page)).not.toBe('Einwilligung erfassen');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.getByText(/^Einwilligung erfasst/).count()).toBe(0);
  });

  it('records the consent with its day and form after a question, and says who recorded it', async () => {
    const id = await submitted(noOwnSite(), 'awaiting_forwarding_decision');
    const page = await open('irl.staff', `/anfragen/${id}`);
    const day = page.getByLabel('Tag der Einwilligung');
    await day.waitFor();
    const tomorrow = new Intl.DateTimeFormat('de-DE').format(new Date(Date.now() + 2 * 86_400_000));
    await day.fill(tomorrow);
    await page.getByRole('button', { name: 'Einwilligung erfassen' }).click();
    await page.getByText('nicht in der Zukunft').waitFor();
    await page.getByText('Bitte wählen Sie, wie der Investor eingewilligt hat.').waitFor();
    expect(await day.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await expectAccessible(page, 'Einwilligung mit Fehlern');

    await day.fill('31.02.2026');
    await page.getByRole('button', { name: 'Einwilligung erfassen' }).click();
    expect(await day.getAttribute('aria-invalid')).toBe('true');
    await day.fill('1.12.2026');
    await page.getByLabel('Form der Einwilligung').selectOption('written');
    await page.getByRole('button', { name: 'Einwilligung erfassen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Einwilligung erfassen?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('am 01.12.2026 schriftlich');
    expect(await dialog.innerText()).toContain('mit Firma und Kontaktdaten');
    await expectAccessible(page, 'Einwilligung erfassen?');
    await screenshot(page, 'einwilligung-frage');
    await dialog.getByRole('button', { name: 'Einwilligung erfassen' }).click();
    await expectAnswerFocused(page, 'Die Einwilligung ist erfasst.');
    await page
      .getByText(/Einwilligung erfasst \(gegeben am 01\.12\.2026, schriftlich\) \(Anna Berger, IRL\)/)
      .waitFor();
  });
});

describe('Leads', () => {
  it('the partner’s task opens Leads at the lead, with the requirements and IRL’s note; the answer is said', async () => {
    const id = await submitted(noOwnSite(), 'awaiting_forwarding_decision');
    const actor = { sub: 'anna', agency: 'irl', roles: ['staff'], offices: [] };
    await h.lotse.temporal.workflow.getHandle(id).executeUpdate(decideForwarding, {
      args: [{ decision: 'approve', partners: ['wfg-nordsachsen'], note: 'Torgau passt', actor }],
    });

    // IRL's view: with the partner, its deadline named, the decision with yes and partner.
    const irl = await open('irl.staff', `/anfragen/${id}`);
    await irl.getByText('Beim Partner: WFG Nordsachsen').waitFor();
    await irl.getByText(/Antwort des Partners \(WFG Nordsachsen\): noch/).waitFor();
    await irl.getByText(/Weiterleitung freigegeben an WFG Nordsachsen/).waitFor();
    await irl.getByText(/Lead an WFG Nordsachsen gesendet/).waitFor();

    const wfg = await open('wfg.staff', '/');
    const task = wfg.getByRole('row').filter({ hasText: id });
    await task.waitFor();
    await task.getByRole('link').click();
    await wfg.waitForURL(`${h.baseUrl}/leads#lead-${id}`);
    const heading = wfg.locator(`[id="lead-${id}"]`);
    await eventually(async () =>
      expect(await heading.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true),
    );
    const card = wfg.getByRole('article').filter({ has: heading });
    const text = await card.innerText();
    expect(text).toMatch(/Gesucht: ab \S+ (ha|m²), Gebietsart GI/);
    expect(text).toContain('mit Gleisanschluss');
    expect(text).toContain('Notiz von IRL: „Torgau passt“');
    await expectAccessible(wfg, 'Leads mit offenem Lead');
    await card.getByRole('button', { name: 'Lead annehmen' }).click();
    const question = wfg.getByRole('dialog', { name: /annehmen\?$/ });
    expect(await question.innerText()).toContain('Ihre Agentur übernimmt die Anfrage von IRL');
    await expectAccessible(wfg, 'Lead annehmen?');
    await question.getByRole('button', { name: 'Lead annehmen' }).click();
    await expectAnswerFocused(wfg, 'Der Lead ist angenommen');
    await wfg.getByRole('heading', { name: 'Beantwortet' }).waitFor();
    await card.getByText('Sie haben den Lead angenommen.').waitFor();

    // The lead links to its Anfrage, which shows the partner's fitting sites; back goes to the Leads.
    await card.getByRole('link', { name: /^Anfrage .* öffnen$/ }).click();
    await wfg.getByRole('heading', { name: /^Anfrage / }).waitFor();
    await wfg.getByRole('heading', { name: 'Ihre passenden Flächen' }).waitFor();
    expect(await wfg.getByRole('heading', { name: 'Vorgeschlagen' }).count()).toBe(0);
    await wfg.getByRole('link', { name: 'Zurück zu den Leads' }).click();
    await wfg.waitForURL(/\/leads/);
  });
});

describe('Abstimmungen', () => {
  it('the three voters see one project name, the rule, each other’s votes and notes, and the outcome', async () => {
    const big = enquiry({ preferredLocations: ['14713000'], project: { jobs: 420, investmentEur: 130_000_000 } });
    const id = await submitted(big, 'awaiting_joint_decision');
    const names: string[] = [];
    for (const [i, user] of ['ob.leipzig', 'landrat.lkl', 'landrat.nordsachsen'].entries()) {
      const page = await open(user, '/');
      // The vote task opens the ballot under Abstimmungen.
      const task = page.getByRole('row').filter({ hasText: id });
      await task.getByRole('link').click();
      await page.waitForURL(`${h.baseUrl}/abstimmungen#abstimmung-${id}`);
      const heading = page.locator(`[id="abstimmung-${id}"]`);
      await eventually(async () =>
        expect(await heading.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true),
      );
      names.push(await heading.innerText());
      const ballot = page.getByRole('article').filter({ has: heading });
      const text = await ballot.innerText();
      expect(text).toContain('Gemeinsame Bearbeitung nur, wenn alle drei Ämter zustimmen');
      expect(text).toContain('„Zustimmen“ heißt: IRL und WFG Nordsachsen bearbeiten das Vorhaben gemeinsam');
      // The firm only for the offices of the agency that may see it.
      expect(text.includes(big.company.name)).toBe(i < 2);
      if (i > 0) expect(text).toContain('Oberbürgermeister der Stadt Leipzig: Zustimmung – „Gut für die Region“');
      if (i === 0) {
        await expectAccessible(page, 'Abstimmungen');
        await ballot.getByLabel('Notiz (optional)').fill('Gut für die Region');
      }
      await ballot.getByRole('button', { name: 'Zustimmen' }).click();
      const question = page.getByRole('dialog', { name: 'Der gemeinsamen Bearbeitung zustimmen?' });
      expect(await question.innerText()).toContain('zählt sofort und lässt sich nicht ändern');
      if (i === 0) await expectAccessible(page, 'Zustimmen?');
      await question.getByRole('button', { name: 'Zustimmen' }).click();
      // The KERN alert's title ("Erledigt") comes first, then the answer.
      await expectAnswerFocused(page, /^Erledigt\s*Ihre Stimme ist abgegeben: Zustimmung\./);
      // It stays, below, as voted.
      await page.getByRole('heading', { name: 'Bereits abgestimmt' }).waitFor();
      await ballot.getByRole('button', { name: 'Zustimmen' }).waitFor({ state: 'detached' });
      if (i === 2) {
        await expectAnswerFocused(page, 'Ergebnis: gemeinsame Bearbeitung beschlossen.');
        await ballot.getByText('Ergebnis: gemeinsame Bearbeitung beschlossen.').waitFor();
        await expectAccessible(page, 'Abstimmungen, entschieden');
        await screenshot(page, 'abstimmungen-entschieden');
      }
    }
    expect(new Set(names).size).toBe(1);
    expect(names[0]).toMatch(/^Projekt /);

    // The first voter, coming back, finds the outcome; IRL's staff read it in the Verlauf.
    const ob = await open('ob.leipzig', '/abstimmungen');
    await ob
      .getByRole('article')
      .filter({ hasText: names[0]! })
      .getByText('Ergebnis: gemeinsame Bearbeitung beschlossen.')
      .waitFor();
    const anna = await open('irl.staff', `/anfragen/${id}`);
    await anna.getByText(/Gemeinsame Bearbeitung beschlossen \(Lotse\)/).waitFor();
    const joint = anna.getByRole('region', { name: 'Gemeinsame Bearbeitung' });
    expect(await joint.innerText()).toContain('Oberbürgermeister der Stadt Leipzig: Zustimmung – „Gut für die Region“');
    expect(await joint.innerText()).toContain('Ergebnis: gemeinsame Bearbeitung beschlossen.');
    await anna.getByText(/Stimme von Landrat des Landkreises Nordsachsen: Zustimmung/).waitFor();
  });
});

describe('Zurück', () => {
  it('goes back to the Anfragen, with their filters, when one came from there', async () => {
    await submitted(noOwnSite(), 'awaiting_forwarding_decision');
    const page = await open('irl.gf', '/anfragen?status=awaiting_forwarding_decision');
    const link = page.getByRole('row').nth(1).getByRole('link');
    await link.waitFor();
    await link.click();
    await page.getByRole('heading', { name: /^Anfrage / }).waitFor();
    await page.getByRole('link', { name: 'Zurück zu den Anfragen' }).click();
    await page.waitForURL(`${h.baseUrl}/anfragen?status=awaiting_forwarding_decision`);
    await page.getByRole('row').nth(1).waitFor();
  });

  it('has no sideways scroll on the Anfrage, Leads and Abstimmungen at 320 and 390 px', async () => {
    const id = await submitted(noOwnSite(), 'awaiting_forwarding_decision');
    for (const width of [320, 390]) {
      for (const [user, path] of [
        ['irl.staff', `/anfragen/${id}`],
        ['wfg.staff', '/leads'],
        ['ob.leipzig', '/abstimmungen'],
      ] as const) {
        const page = await open(user, path, width);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await eventually(async () => expect(await page.getByText('Wird geladen …').count()).toBe(0));
        const sideways = Number(await page.evaluate('document.documentElement.scrollWidth - innerWidth'));
        expect(sideways, `${path} at ${width} px: ${await widerThanScreen(page)}`).toBeLessThanOrEqual(0);
        if (width === 390 && path.startsWith('/anfragen')) await screenshot(page, 'anfrage-390px');
      }
    }
  });
});
