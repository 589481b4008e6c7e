import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { decideForwarding } from '../../contract/enquiry-workflow.js';
import { codeName } from '../../domain/redaction.js';
import { enquiry, eventually, type Harness } from '../harness.js';
import { expectAccessible, signedInAs, startBrowserStack, type BrowserStack } from './browser.js';

/**
 * Enquiries by name (issue 32): Aufgaben and Anfragen name each by its code name, Anfragen
 * and Leads are searched as staff type, an Anfrage's and a lead's Wunschorte are places by name.
 */

let h: Harness;
let browser: Browser;
let stack: BrowserStack;
let id: string;
const FIRM = 'Müller Präzisionstechnik GmbH';

beforeAll(async () => {
  stack = await startBrowserStack();
  ({ h, browser } = stack);
  // No own site fits (90,000 m² with rail in Leipzig): IRL's staff decide on forwarding.
  const sent = enquiry({
    company: { name: FIRM, sector: '28', country: 'DE' },
    preferredLocations: ['14713000'],
    siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true },
  });
  id = (await (await h.post('irl', sent)).json()).enquiryId;
  // Indexed for search: its entry no longer waits for its workflow's answer.
  await eventually(async () => {
    const { rows } = await sql<{ pending: boolean }>`select pending from enquiry_search
      where enquiry_id = ${id}`.execute(h.lotse.readModel!.db);
    expect(rows).toEqual([{ pending: false }]);
  }, 60_000);
});
afterAll(async () => stack?.close());

const open = (url: string, user: string) => signedInAs(browser, `${h.baseUrl}${url}`, user);

/** The search's status line (role="status", announced politely) says this, in the end. */
const statusSays = (page: Page, text: string) =>
  eventually(async () => expect(await page.locator('.lotse-search-status').innerText()).toContain(text), 10_000);

/** The search field marked as wrong, its message tied to it, and the focus on it. */
async function expectMarked(page: Page) {
  const field = page.getByLabel('Suche');
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  expect(await field.getAttribute('aria-describedby')).toContain('filter-q-fehler');
  expect(await page.evaluate('document.activeElement?.id')).toBe('filter-q');
}

/** Nothing wider than the window, no cell's text beyond its row (a label beside a value), and axe content. */
async function expectFits(page: Page, screen: string) {
  await eventually(async () => expect(await page.getByText('Wird geladen …').count()).toBe(0));
  expect(Number(await page.evaluate('document.documentElement.scrollWidth - innerWidth')), screen).toBeLessThanOrEqual(
    0,
  );
  // A cell's label is drawn in its padding on a phone: taller than its value, it would run into the next row.
  const spilled = await page.evaluate(`[...document.querySelectorAll('td')]
    .filter((td) => td.scrollHeight > td.clientHeight + 1 || td.scrollWidth > td.clientWidth + 1)
    .map((td) => td.dataset.label)`);
  expect(spilled, `cells that spill over on ${screen}`).toEqual([]);
  await expectAccessible(page, screen);
}

describe('enquiries by name', () => {
  it('names the task by the firm for the agency that may see it, and the Anfrage its Wunschorte by place', async () => {
    const page = await open('/', 'irl.staff');
    await page.getByRole('link', { name: 'Müller Präzisionstechnik GmbH' }).first().click();
    await page.waitForURL(new RegExp(`/anfragen/${id}$`));
    await page
      .getByRole('definition')
      .filter({ hasText: /^Leipzig$/ })
      .waitFor();
  });

  it('finds an Anfrage by the start of the firm’s words, and says when a search is too short', async () => {
    const page = await open('/anfragen', 'irl.gf');
    const search = page.getByLabel('Suche');
    await search.fill('müller präz');
    await page.getByRole('button', { name: 'Filtern' }).click();
    await page.waitForURL(/q=m%C3%BCller/);
    // IRL received it: its list names the firm.
    await page.getByRole('link', { name: FIRM }).waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(1);
    // What was searched and how many were found, in a polite status line.
    const found = '1 Anfrage zu „müller präz“ gefunden.';
    await statusSays(page, found);
    await expectAccessible(page, 'Anfragen gesucht');
    // Too short: the field is marked and focused, nothing is asked, the address and the list stay, and say so.
    const searched = page.url();
    await page.getByLabel('Suche').fill('mü');
    await page.getByRole('button', { name: 'Filtern' }).click();
    await page.getByText('Bitte mindestens ein Wort mit drei Buchstaben oder Ziffern eingeben.').waitFor();
    await expectMarked(page);
    await statusSays(page, `Die Liste unten ist unverändert. Sie zeigt weiter: ${found}`);
    expect(page.url()).toBe(searched);
    expect(await page.locator('table tbody tr').count()).toBe(1);
    await expectAccessible(page, 'Anfragen, Suche zu kurz');
    // Enter searches; nothing found is said with what was searched.
    await page.getByLabel('Suche').fill('zzzqx');
    await page.getByLabel('Suche').press('Enter');
    await page.waitForURL(/q=zzzqx/);
    await statusSays(page, 'Keine Anfrage zu „zzzqx“ gefunden.');
    // The form is made anew with the address: the focus stays on the field searched from.
    expect(await page.evaluate('document.activeElement?.id')).toBe('filter-q');
    expect(await page.getByLabel('Suche').getAttribute('aria-invalid')).toBeNull();
  });

  it('resets the Anfragen’s search only, keeps the other filters, and fits 390 px', async () => {
    const page = await signedInAs(
      browser,
      `${h.baseUrl}/anfragen?status=awaiting_forwarding_decision&q=m%C3%BCller`,
      'irl.gf',
      390,
    );
    await statusSays(page, '1 Anfrage zu „müller“ mit den gewählten Filtern gefunden.');
    await page.screenshot({ path: path.join(tmpdir(), 'anfragen-gesucht-390px.png'), fullPage: true });
    await expectFits(page, 'Anfragen gesucht at 390 px');
    await page.getByRole('button', { name: 'Suche zurücksetzen' }).click();
    await page.waitForURL(`${h.baseUrl}/anfragen?status=awaiting_forwarding_decision`);
    await statusSays(page, 'Suche zurückgesetzt: Die Liste zeigt wieder alle Anfragen der gewählten Filter.');
    expect(await page.getByLabel('Suche').inputValue()).toBe('');
    expect(await page.evaluate('document.activeElement?.id')).toBe('filter-q');
    expect(await page.getByLabel('Stand', { exact: true }).inputValue()).toBe('awaiting_forwarding_decision');
    await page.getByRole('link', { name: FIRM }).waitFor();
    await page.screenshot({ path: path.join(tmpdir(), 'anfragen-390px.png'), fullPage: true });
    await expectFits(page, 'Anfragen at 390 px');
  });

  it('finds a lead by its code name, not by the firm before consent', async () => {
    const actor = { sub: 'irl.staff', agency: 'irl', roles: ['staff'], offices: [] };
    await h.lotse.temporal.workflow.getHandle(id).executeUpdate(decideForwarding, {
      args: [{ decision: 'approve', partners: ['wfg-nordsachsen'], actor }],
    });
    await h.lotse.readModel!.caughtUp();
    const page = await open('/leads', 'wfg.staff');
    const hex = codeName(id).split('-').at(-1)!;
    await eventually(async () => {
      await page.getByLabel('Suche').fill(hex);
      await page.getByRole('button', { name: 'Suchen' }).click();
      await page.getByRole('heading', { name: new RegExp(codeName(id)) }).waitFor({ timeout: 2000 });
    }, 30_000);
    await page.getByText(/Wunschorte: Leipzig/).waitFor();
    await statusSays(page, `1 Lead zu „${hex}“ gefunden.`);
    await expectAccessible(page, 'Leads gesucht');
    await page.getByLabel('Suche').fill('müller');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await statusSays(page, 'Kein Lead zu „müller“ gefunden.');
    expect(await page.getByRole('heading', { name: new RegExp(codeName(id)) }).count()).toBe(0);
    // Too short: marked, focused, not asked; the address and the list stay.
    const searched = page.url();
    await page.getByLabel('Suche').fill('mü');
    await page.getByLabel('Suche').press('Enter');
    await expectMarked(page);
    await statusSays(page, 'Die Liste unten ist unverändert. Sie zeigt weiter: Kein Lead zu „müller“ gefunden.');
    expect(page.url()).toBe(searched);
    await expectAccessible(page, 'Leads, Suche zu kurz');
    // The reset shows every lead again, and the keyboard goes on from the empty field.
    await page.getByRole('button', { name: 'Suche zurücksetzen' }).click();
    await page.waitForURL(`${h.baseUrl}/leads`);
    await page.getByRole('heading', { name: new RegExp(codeName(id)) }).waitFor();
    await statusSays(page, 'Suche zurückgesetzt: Die Liste zeigt wieder alle Leads.');
    expect(await page.evaluate('document.activeElement?.id')).toBe('filter-q');
    await page.setViewportSize({ width: 390, height: 900 });
    await expectFits(page, 'Leads at 390 px');
  });
});
