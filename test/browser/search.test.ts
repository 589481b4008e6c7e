import type { Browser } from 'playwright-core';
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

beforeAll(async () => {
  stack = await startBrowserStack();
  ({ h, browser } = stack);
  // No own site fits (90,000 m² with rail in Leipzig): IRL's staff decide on forwarding.
  const sent = enquiry({
    company: { name: 'Müller Präzisionstechnik GmbH', sector: '28', country: 'DE' },
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

describe('enquiries by name', () => {
  it('names the task by its code name, and the Anfrage its Wunschorte by place', async () => {
    const page = await open('/', 'irl.staff');
    await page
      .getByRole('link', { name: codeName(id) })
      .first()
      .click();
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
    await page.getByRole('link', { name: codeName(id) }).waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(1);
    await expectAccessible(page, 'Anfragen gesucht');
    await page.getByLabel('Suche').fill('mü');
    await page.getByRole('button', { name: 'Filtern' }).click();
    await page.getByText('Bitte mindestens ein Wort mit drei Buchstaben oder Ziffern eingeben.').waitFor();
    expect(await page.getByLabel('Suche').getAttribute('aria-invalid')).toBe('true');
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
    await expectAccessible(page, 'Leads gesucht');
    await page.getByLabel('Suche').fill('müller');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByText('Kein Lead passt zu dieser Suche.').waitFor();
  });
});
