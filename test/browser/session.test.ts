import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../harness.js';
import { expectAccessible, screenshot, signedIn, startBrowserStack, type BrowserStack } from './browser.js';

/**
 * A session's life in the web app: access tokens of 40 s here, renewed without a page
 * load; a session that cannot be renewed returns the person to the sign-in page and
 * back to the form as they left it; signing out ends it at the provider.
 */

const TOKEN_TTL_S = 40;
/** The app renews a token with less than 30 s left. */
const UNTIL_RENEWAL_MS = (TOKEN_TTL_S - 30 + 1) * 1000;

let h: Harness;
let browser: Browser;
let waiting: string;
let stack: BrowserStack;

beforeAll(async () => {
  stack = await startBrowserStack({ accessTokenTtlS: TOKEN_TTL_S });
  ({ h, browser, waiting } = stack);
});
afterAll(async () => stack?.close());

/** Every request the page sends to the identity provider, as "METHOD path grant_type". */
function providerRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.port !== String(stack.idpPort)) return;
    const grant = new URLSearchParams(r.postData() ?? '').get('grant_type');
    seen.push(`${r.method()} ${url.pathname}${grant ? ` ${grant}` : ''}`);
  });
  return seen;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a session', () => {
  it('renews its token with the refresh token, without sending the person to the sign-in page', async () => {
    const page = await signedIn(await browser.newContext({ locale: 'de-DE' }), h.baseUrl, 'irl.staff');
    await page.getByRole('row').filter({ hasText: waiting }).waitFor();
    const requests = providerRequests(page);
    await sleep(UNTIL_RENEWAL_MS);
    await page.getByRole('link', { name: 'Flächen' }).click();
    await page.getByRole('row').nth(1).waitFor();
    expect(requests).toContain('POST /token refresh_token');
    expect(requests.filter((r) => r.includes('/auth') || r.includes('/interaction'))).toEqual([]);
  });

  it('that cannot be renewed sends the person to sign in and back to the form with what they typed', async () => {
    const page = await signedIn(
      await browser.newContext({ locale: 'de-DE' }),
      `${h.baseUrl}/anfragen/${waiting}`,
      'irl.staff',
    );
    await page.getByLabel('Notiz (optional)').fill('Rückruf bei Frau Mustermann am Montag');
    // The provider restarts and forgets every session and refresh token (its keys stay).
    await stack.restartProvider();
    await sleep(UNTIL_RENEWAL_MS);

    await page.getByRole('button', { name: 'Weiterleitung ablehnen' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Weiterleitung ablehnen' }).click();
    await page.getByLabel('Benutzername').waitFor();
    await page.getByLabel('Benutzername').fill('irl.staff');
    await page.getByLabel('Passwort').fill('demo');
    await page.getByRole('button', { name: 'Anmelden' }).click();

    await page.getByRole('heading', { name: /^Anfrage / }).waitFor();
    expect(page.url()).toBe(`${h.baseUrl}/anfragen/${waiting}`);
    expect(await page.getByLabel('Notiz (optional)').inputValue()).toBe('Rückruf bei Frau Mustermann am Montag');
    // Nothing was decided on the way: the person decides again, now signed in.
    expect(await page.getByRole('button', { name: 'Weiterleitung ablehnen' }).count()).toBe(1);
  });

  it('ends at the provider on sign-out, with a German question and a German goodbye', async () => {
    const page = await signedIn(await browser.newContext({ locale: 'de-DE' }), h.baseUrl, 'wfg.staff');
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.getByRole('heading', { name: 'Von Lotse abmelden?' }).waitFor();
    await expectAccessible(page, 'Abmelden (Anbieter)');
    await page.getByRole('button', { name: 'Abmelden' }).click();

    await page.getByRole('heading', { name: 'Sie sind abgemeldet' }).waitFor();
    expect(page.url()).toBe(`${h.baseUrl}/abgemeldet`);
    await expectAccessible(page, 'Abgemeldet');
    await screenshot(page, 'abgemeldet');
    // The provider's session is over: signing in again asks for the password.
    await page.getByRole('button', { name: 'Wieder anmelden' }).click();
    await page.getByLabel('Benutzername').waitFor();
  });
});
