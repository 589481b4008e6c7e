import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../harness.js';
import { expectAccessible, signedInAs, startBrowserStack, type BrowserStack } from './browser.js';

/**
 * Places by name (issue 32): the Flächen search's place field finds municipalities, counties
 * and Länder as staff type them, by keyboard and by mouse, announced to screen readers, and
 * a site's facts name its municipality; the address keeps the key (AGS).
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
const field = (page: Page) => page.getByRole('combobox', { name: 'Ort oder Gebiet' });
const siteNames = (page: Page) => page.locator('table tbody tr td:first-child').allInnerTexts();

describe('the place field', () => {
  it('offers Torgau for "torg" and finds WFG Nordsachsen’s site there, by keyboard', async () => {
    const page = await open('/flaechen', 'irl.staff');
    await field(page).click();
    await page.keyboard.type('torg');
    const option = page.getByRole('option', { name: 'Torgau (Nordsachsen)' });
    await option.waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Ort' }).innerText()).toBe('1 Ort gefunden');
    expect(await field(page).getAttribute('aria-expanded')).toBe('true');
    await expectAccessible(page, 'Flächen: Ortsauswahl offen');
    await page.keyboard.press('ArrowDown');
    expect(await field(page).getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    expect(await option.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    expect(await field(page).inputValue()).toBe('Torgau (Nordsachsen)');
    expect(await field(page).getAttribute('aria-expanded')).toBe('false');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.waitForURL(/ags=14730310/);
    await page.getByRole('link', { name: 'Industriepark Torgau' }).waitFor();
    expect(await siteNames(page)).toEqual(['Industriepark Torgau']);
    await expectAccessible(page, 'Flächen in Torgau');
    // The address keeps the key; the field shows its name again.
    await page.reload();
    await page.getByRole('link', { name: 'Industriepark Torgau' }).waitFor();
    await expect.poll(() => field(page).inputValue()).toBe('Torgau (Nordsachsen)');
  });

  it('takes a click, umlauts typed either way, and a county as an area', async () => {
    const page = await open('/flaechen', 'wfg.staff', 390);
    await field(page).fill('glashue');
    await page.getByRole('option', { name: 'Glashütte (Sächsische Schweiz-Osterzgebirge)' }).waitFor();
    await field(page).fill('dippo');
    await page.getByRole('option', { name: 'Dippoldiswalde (Sächsische Schweiz-Osterzgebirge)' }).click();
    expect(await field(page).inputValue()).toBe('Dippoldiswalde (Sächsische Schweiz-Osterzgebirge)');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByRole('link', { name: 'Gewerbegebiet Dippoldiswalde Nord' }).waitFor();

    await field(page).fill('nordsachsen');
    await page.getByRole('option', { name: 'Landkreis Nordsachsen' }).click();
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.waitForURL(/ags=14730(&|$)/);
    await page.getByRole('link', { name: 'Industriepark Torgau' }).waitFor();
    const names = await siteNames(page);
    expect(names.length).toBeGreaterThanOrEqual(6);
    expect(names).toContain('Industriegebiet Schkeuditz Nord');
    expect(names).not.toContain('Gewerbegebiet Dippoldiswalde Nord');
  });

  it('opens its offers under the field, takes the only offer on Enter and a name typed in full', async () => {
    const page = await open('/flaechen', 'irl.staff');
    await field(page).fill('nordsachsen');
    const list = page.getByRole('listbox', { name: 'Ort oder Gebiet' });
    await list.getByRole('option').first().waitFor();
    const [input, offers] = [await field(page).boundingBox(), await list.boundingBox()];
    expect(offers!.y).toBeGreaterThanOrEqual(input!.y + input!.height - 1);
    await field(page).fill('torgau');
    await page.getByRole('status').filter({ hasText: '1 Ort gefunden' }).waitFor();
    await field(page).press('Enter');
    expect(await field(page).inputValue()).toBe('Torgau (Nordsachsen)');
    await field(page).fill('Leipzig');
    await page.getByRole('option', { name: 'Leipzig', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.waitForURL(/ags=14713000/);
    expect(await field(page).getAttribute('aria-invalid')).toBeNull();
  });

  it('says to choose a place when one was typed but none chosen, and searches nothing', async () => {
    const page = await open('/flaechen', 'irl.staff');
    await page.getByRole('link', { name: 'Industriepark Torgau' }).waitFor();
    await field(page).fill('Torgauer Straße');
    await page.getByRole('status').filter({ hasText: 'Kein Ort gefunden' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByText('Bitte einen Ort aus der Liste wählen.').first().waitFor();
    expect(await field(page).getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).not.toContain('ags=');
    await expectAccessible(page, 'Flächen: Ort nicht gewählt');
  });

  it('names a site’s municipality in its facts', async () => {
    const page = await open('/flaechen/torgau-gi-industriepark', 'irl.staff');
    await page.getByRole('definition').filter({ hasText: 'Torgau (Nordsachsen)' }).waitFor();
  });
});
