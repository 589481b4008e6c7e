import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enquiry, eventually, type Harness } from '../harness.js';
import {
  expectAccessible,
  SCREENSHOTS,
  signedIn,
  signedInAs,
  startBrowserStack,
  type BrowserStack,
} from './browser.js';

/**
 * The sites' map (issue 32): Flächen shows a marker per listed site, an Anfrage its proposed
 * sites and the others greyed with why, those in a Wunschort ringed; each marker is named and
 * opens by keyboard; axe passes; it fits a phone; and without tiles (the tests have no internet)
 * nothing is asked of a tile server, while configured tiles are drawn with their credit.
 */

let h: Harness;
let browser: Browser;
let stack: BrowserStack;
/** IRL's enquiry for a 6.000 m² GE site in Leipzig: some of IRL's sites fit, the others do not. */
let fitting: string;

beforeAll(async () => {
  stack = await startBrowserStack();
  ({ h, browser } = stack);
  const body = enquiry({
    preferredLocations: ['14713000'],
    siteRequirements: { areaM2Min: 6_000, zoning: ['GE'], railAccess: false },
  });
  fitting = (await (await h.post('irl', body)).json()).enquiryId as string;
  const handle = h.lotse.temporal.workflow.getHandle(fitting);
  await eventually(async () => {
    const state = await handle.query<{ matchedSites: unknown[]; unmatchedSites: unknown[] }>('state');
    expect(state.matchedSites.length).toBeGreaterThan(0);
    expect(state.unmatchedSites.length).toBeGreaterThan(0);
  });
});
afterAll(async () => stack?.close());

const open = (url: string, user: string, width?: number) => signedInAs(browser, `${h.baseUrl}${url}`, user, width);
const markers = (page: Page, kind = '') => page.locator(`.lotse-map .leaflet-marker-icon${kind}`);
const map = (page: Page, name: string) => page.getByRole('region', { name });

/** Every address the page asks for, from the moment it is called. */
function requestsOf(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

describe('the map', () => {
  it('shows a named, focusable marker for every site Flächen lists, and follows the search', async () => {
    const page = await open('/flaechen', 'irl.staff');
    const asked = requestsOf(page);
    await map(page, 'Karte der Flächen').waitFor();
    const rows = page.locator('table tbody tr');
    await eventually(async () => expect(await markers(page).count()).toBe(await rows.count()));
    expect(await rows.count()).toBeGreaterThan(20);
    const first = markers(page).first();
    expect(await first.getAttribute('role')).toBe('button');
    expect(await first.getAttribute('tabindex')).toBe('0');
    expect(await markers(page, '[aria-label^="Gewerbehof Plagwitz, Baufeld 1: IRL, 3.200 m²"]').count()).toBe(1);
    expect(await page.locator('.lotse-map-legend').innerText()).toContain('Dieselben Angaben stehen in der Liste.');
    await expectAccessible(page, 'Flächen mit Karte');

    await page.goto(`${h.baseUrl}/flaechen?agency=wfg-nordsachsen`);
    await eventually(async () => expect(await markers(page).count()).toBe(6));
    expect(await rows.count()).toBe(6);
    // No tiles configured (as without internet): the markers alone, and nothing asked of a tile server.
    expect(await page.locator('.leaflet-tile').count()).toBe(0);
    const config = await (await fetch(`${h.baseUrl}/ui-config.json`)).json();
    expect(config.map).toMatchObject({ tiles: null });
    expect(asked.filter((u) => !u.startsWith(h.baseUrl) && !u.startsWith('data:'))).toEqual([]);
  });

  it('lets a keyboard user skip the markers to the list, or open one with Enter', async () => {
    const page = await open('/flaechen?agency=irl', 'irl.staff');
    await eventually(async () => expect(await markers(page).count()).toBe(9));
    const skip = page.getByRole('link', { name: 'Karte überspringen, weiter zur Liste' });
    await skip.focus();
    expect(await skip.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('flaechen-liste');
    expect(page.url()).toBe(`${h.baseUrl}/flaechen?agency=irl`);

    await markers(page, '[aria-label^="Gewerbehof Plagwitz"]').focus();
    await page.keyboard.press('Enter');
    const popup = page.locator('.leaflet-popup');
    await popup.getByRole('link', { name: 'Gewerbehof Plagwitz, Baufeld 1' }).waitFor();
    expect(await popup.getByRole('button', { name: 'Schließen' }).count()).toBe(1);
    // Leaflet fades a popup in: axe judges its contrast once it stands, not half transparent.
    await page.waitForFunction(`getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'`);
    await expectAccessible(page, 'Flächen, eine Fläche auf der Karte geöffnet');
  });

  it('shows an Anfrage’s proposed sites, the others greyed with why, those in a Wunschort ringed', async () => {
    const page = await open(`/anfragen/${fitting}`, 'irl.staff');
    await map(page, 'Karte der Standorte').waitFor();
    const state = await h.lotse.temporal.workflow
      .getHandle(fitting)
      .query<{ matchedSites: unknown[]; unmatchedSites: unknown[] }>('state');
    await eventually(async () =>
      expect(await markers(page, '.lotse-pin--proposed').count()).toBe(state.matchedSites.length),
    );
    expect(await markers(page, '.lotse-pin--other').count()).toBe(state.unmatchedSites.length);
    const small = markers(page, '[aria-label^="Gewerbehof Plagwitz, Baufeld 1: passt nicht: zu klein"]');
    expect(await small.count()).toBe(1);
    expect(await small.getAttribute('title')).toContain('liegt in einem Wunschort');
    // Every site in Leipzig lies in the Wunschort; one outside it is not ringed.
    const leipzig = markers(page, '.lotse-pin--preferred');
    expect(await leipzig.count()).toBeGreaterThan(0);
    expect(await markers(page, '[aria-label*="außerhalb der Wunschorte"]').count()).toBeGreaterThan(0);
    expect(await markers(page, '.lotse-pin--preferred[aria-label*="außerhalb der Wunschorte"]').count()).toBe(0);
    const legend = await page.locator('.lotse-map-legend').innerText();
    expect(legend).toContain('vorgeschlagen');
    expect(legend).toContain('passt nicht (grau)');
    expect(legend).toContain('liegt in einem Wunschort (Ring)');
    await expectAccessible(page, 'Anfrage mit Karte');
    // The Standorte alone: the rest of the page is in anfrage.png.
    const section = page.locator('section[aria-labelledby=standorte]');
    await section.screenshot({ path: path.join(SCREENSHOTS, 'anfrage-karte.png') });
  });

  it('shows the partners’ sites proposed and the own ones greyed while forwarding is open', async () => {
    const page = await open(`/anfragen/${stack.waiting}`, 'irl.staff');
    await map(page, 'Karte der Standorte').waitFor();
    await eventually(async () => expect(await markers(page, '.lotse-pin--proposed').count()).toBeGreaterThan(0));
    expect(await markers(page, '.lotse-pin--other').count()).toBe(9);
    expect(await markers(page, '[aria-label^="Gewerbehof Plagwitz, Baufeld 1: passt nicht: "]').count()).toBe(1);
    await expectAccessible(page, 'Anfrage, Weiterleitung offen, mit Karte');
  });

  it('fits a phone at 390 px', async () => {
    for (const url of ['/flaechen', `/anfragen/${fitting}`]) {
      const page = await open(url, 'irl.staff', 390);
      await eventually(async () => expect(await markers(page).count()).toBeGreaterThan(0));
      const sideways = Number(await page.evaluate('document.documentElement.scrollWidth - innerWidth'));
      expect(sideways, url).toBeLessThanOrEqual(0);
      const box = await page.locator('.lotse-map').boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      await expectAccessible(page, `${url} at 390 px`);
      if (url === '/flaechen') {
        // The map as a phone shows it, not the whole long list below it.
        await page.locator('.lotse-map-frame').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SCREENSHOTS, 'flaechen-karte-390px.png') });
      }
      await page.context().close();
    }
  });

  it('draws configured tiles with their credit, and only from where they are configured', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    // The api's answer as LOTSE_MAP_TILES would make it, with tiles served here: there is no internet.
    await context.route('**/ui-config.json', async (route) => {
      const real = await (await route.fetch()).json();
      const map = { tiles: 'https://kacheln.test/{z}/{x}/{y}.png', attribution: '© Test & Co', attributionUrl: null };
      await route.fulfill({ json: { ...real, map } });
    });
    const tiles: string[] = [];
    await context.route('https://kacheln.test/**', (route) => {
      tiles.push(route.request().url());
      return route.fulfill({ contentType: 'image/png', body: PNG });
    });
    const page = await signedIn(context, `${h.baseUrl}/flaechen?agency=irl`, 'irl.staff');
    await eventually(async () => expect(await page.locator('.leaflet-tile-loaded').count()).toBeGreaterThan(0));
    expect(tiles.every((u) => /^https:\/\/kacheln\.test\/\d+\/\d+\/\d+\.png$/.test(u))).toBe(true);
    expect(await page.locator('.leaflet-control-attribution').innerText()).toContain('© Test & Co');
    await expectAccessible(page, 'Flächen, Karte mit Kacheln');
    await context.close();
  });
});

/** A transparent PNG of one pixel, for every tile. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
