import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startIdentityProvider } from '../../idp/provider.js';
import { freePort } from '../../scripts/servers.js';
import { enquiry, eventually, startHarness, type Harness } from '../harness.js';

/**
 * Debian's Chromium, driven by playwright-core, headless and without the network it
 * would try to reach; and the WCAG 2.1 AA audit (axe-core) every screen must pass.
 */

export const CHROMIUM = process.env.LOTSE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(__dirname, '../../docs/screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does), or set LOTSE_CHROMIUM.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** No WCAG 2.1 A/AA violation on the page as it is now. */
export async function expectAccessible(page: Page, screen: string) {
  await page.addScriptTag({ content: AXE });
  // Runs in the page: axe reads the document as a browser shows it.
  const violations = await page.evaluate(async () => {
    type Violation = { id: string; help: string; nodes: { target: string[] }[] };
    const page = globalThis as unknown as {
      axe: { run: (context: unknown, options: object) => Promise<{ violations: Violation[] }> };
      document: unknown;
    };
    const wcag21aa = { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] };
    const result = await page.axe.run(page.document, { runOnly: wcag21aa });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  expect(violations, `axe on ${screen}`).toEqual([]);
}

export const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** A new German browser (at this width, if given) with the person signed in, on the page of `url`. */
export async function signedInAs(browser: Browser, url: string, username: string, width?: number): Promise<Page> {
  const viewport = width ? { viewport: { width, height: 900 } } : {};
  return signedIn(await browser.newContext({ locale: 'de-DE', ...viewport }), url, username);
}

/** Signs in on the provider's page when the web app sends the person there. */
export async function signedIn(context: BrowserContext, url: string, username: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  const form = page.getByLabel('Benutzername');
  const app = page.getByText(/Angemeldet als/);
  await Promise.race([form.waitFor(), app.waitFor()]);
  if (await form.isVisible()) {
    await form.fill(username);
    await page.getByLabel('Passwort').fill('demo');
    await page.getByRole('button', { name: 'Anmelden' }).click();
  }
  await app.waitFor();
  return page;
}

/** Lotse on real servers, the OpenID provider it trusts, Chromium, and one enquiry waiting for IRL's decision. */
export interface BrowserStack {
  h: Harness;
  browser: Browser;
  idpPort: number;
  /** The enquiry that waits for IRL's forwarding decision. */
  waiting: string;
  /** Stops the provider and starts it again on the same port and keys: every session and refresh token is gone. */
  restartProvider(): Promise<void>;
  close(): Promise<void>;
}

export async function startBrowserStack(opts: { accessTokenTtlS?: number } = {}): Promise<BrowserStack> {
  const idpPort = await freePort();
  const idpData = mkdtempSync(path.join(tmpdir(), 'lotse-idp-'));
  const h = await startHarness({ env: { LOTSE_OIDC_ISSUER: `http://127.0.0.1:${idpPort}` } });
  const startProvider = () =>
    startIdentityProvider({
      port: idpPort,
      dataDir: idpData,
      accessTokenTtlS: opts.accessTokenTtlS,
      redirectUris: [`${h.baseUrl}/anmeldung`],
      postLogoutRedirectUris: [`${h.baseUrl}/abgemeldet`],
    });
  let idp = await startProvider();
  const browser = await launchBrowser();
  const waiting = await enquiryAwaitingForwarding(h);
  return {
    h,
    browser,
    idpPort,
    waiting,
    async restartProvider() {
      await idp.stop();
      idp = await startProvider();
    },
    async close() {
      await browser.close();
      await h.close();
      await idp.stop();
      rmSync(idpData, { recursive: true, force: true });
    },
  };
}

/** An enquiry IRL has no site for, taken in and waiting for IRL's forwarding decision; its id. */
export async function enquiryAwaitingForwarding(h: Harness): Promise<string> {
  const noOwnSite = enquiry({
    preferredLocations: ['14713000'],
    siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true },
  });
  const id = (await (await h.post('irl', noOwnSite)).json()).enquiryId as string;
  // Only the provider's tokens count in these tests: ask the workflow itself.
  const handle = h.lotse.temporal.workflow.getHandle(id);
  await eventually(async () =>
    expect((await handle.query<{ status: string }>('state')).status).toBe('awaiting_forwarding_decision'),
  );
  return id;
}
