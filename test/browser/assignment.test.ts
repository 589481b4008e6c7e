import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Harness } from '../harness.js';
import {
  enquiryAwaitingForwarding,
  expectAccessible,
  screenshot,
  signedInAs,
  startBrowserStack,
  type BrowserStack,
} from './browser.js';

/**
 * Claim and assign in the browser (issue 32): Anna Berger takes a forwarding decision on the
 * Anfrage ("Ich übernehme das"); her colleague Tobias Neumann sees it in his Aufgaben without
 * a reload; she gives it to him, and his filter "Meine" shows it; the Verlauf names them.
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

const waitingForDecision = () => enquiryAwaitingForwarding(h);

/** The row of the enquiry in the Aufgaben table. */
const rowOf = (page: Page, id: string) => page.locator(`tr[data-task="${id} staff:irl"]`);

describe('Bearbeitung', () => {
  it('shows a taken task to a colleague without a reload, and a given one under "Meine"', async () => {
    const id = await waitingForDecision();
    // Tobias signs in first: from then on Lotse knows him, and Anna can give him the task.
    const tobias = await open('irl.staff2', '/');
    await rowOf(tobias, id).waitFor();
    expect(await rowOf(tobias, id).innerText()).not.toContain('Anna Berger');

    const anna = await open('irl.staff', `/anfragen/${id}`);
    await anna.getByText('Noch niemand hat die Aufgabe übernommen.').waitFor();
    await expectAccessible(anna, 'Bearbeitung offen');
    await anna.getByRole('button', { name: 'Ich übernehme das' }).click();
    await anna
      .locator('[role=status], [role=alert]')
      .filter({ hasText: 'Sie haben die Aufgabe übernommen.' })
      .waitFor();
    await anna.getByText(/Sie bearbeiten diese Anfrage/).waitFor();
    await anna.getByText(/Aufgabe übernommen \(Anna Berger, IRL\)/).waitFor();

    // No reload: the live stream tells Tobias's Aufgaben.
    await eventually(async () => expect(await rowOf(tobias, id).innerText()).toContain('Anna Berger'), 30_000);

    // Save twice: choosing nobody says so and sends nothing.
    await anna.getByRole('button', { name: 'Abgeben', exact: true }).click();
    await anna.getByText('Bitte wählen Sie eine Kollegin oder einen Kollegen.').waitFor();
    expect(await anna.getByLabel('An Kollegin oder Kollegen abgeben').getAttribute('aria-invalid')).toBe('true');
    await anna.getByLabel('An Kollegin oder Kollegen abgeben').selectOption({ label: 'Tobias Neumann' });
    await anna.getByRole('button', { name: 'Abgeben', exact: true }).click();
    await anna.getByText('Die Aufgabe ist an Tobias Neumann abgegeben.').waitFor();
    await anna.getByText(/Tobias Neumann bearbeitet diese Anfrage/).waitFor();
    await anna.getByText(/Aufgabe an Tobias Neumann abgegeben \(Anna Berger, IRL\)/).waitFor();
    await screenshot(anna, 'anfrage-bearbeitung');

    await eventually(async () => expect(await rowOf(tobias, id).innerText()).toContain('Tobias Neumann'), 30_000);
    await tobias.getByLabel('Bearbeitung').selectOption({ label: 'meine' });
    await rowOf(tobias, id).waitFor();
    // Only his: the stack's other enquiry waiting on IRL, which nobody took, is not among them.
    expect(await tobias.locator('tr[data-task]').count()).toBe(1);
    expect(tobias.url()).toContain('bearbeitung=meine');
    await expectAccessible(tobias, 'Aufgaben, meine');
    await screenshot(tobias, 'aufgaben-meine');
    await tobias.getByLabel('Bearbeitung').selectOption({ label: 'noch nicht übernommen' });
    await eventually(async () => expect(await rowOf(tobias, id).count()).toBe(0));
  });

  it('says who decided and who had the task, when they differ', async () => {
    const id = await waitingForDecision();
    await open('irl.staff2', '/');
    const anna = await open('irl.staff', `/anfragen/${id}`);
    await anna.getByLabel('An Kollegin oder Kollegen abgeben').selectOption({ label: 'Tobias Neumann' });
    await anna.getByRole('button', { name: 'Abgeben', exact: true }).click();
    await anna.getByText(/Tobias Neumann bearbeitet diese Anfrage/).waitFor();
    await anna.getByRole('button', { name: 'Weiterleitung ablehnen' }).click();
    await anna.getByRole('dialog').getByRole('button', { name: 'Weiterleitung ablehnen' }).click();
    await anna.getByText(/Weiterleitung abgelehnt \(Anna Berger, IRL; zugewiesen war Tobias Neumann\)/).waitFor();
  });
});
