import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../../api/auth.js';
import { enquiry, eventually, referenceFolder, startHarness, type Harness } from '../harness.js';

/**
 * GET /v1/live: the web app's Server-Sent Events. Each person hears of the enquiries
 * they may see, and of no other: checked on the raw bytes of every stream.
 */

let h: Harness;
beforeAll(async () => {
  const longDeadlines = referenceFolder(({ agreements }) => {
    for (const a of agreements)
      if (a.forwarding) a.forwarding = { partnerResponseWithin: 'P5D', decisionWithin: 'P2D', reminderAfter: 'P1D' };
  });
  h = await startHarness({ referenceDir: longDeadlines });
});
afterAll(async () => h?.close());

interface Listening {
  text(): string;
  ended: Promise<void>;
  close(): void;
}

async function listen(token: string): Promise<Listening> {
  const abort = new AbortController();
  const res = await fetch(`${h.baseUrl}/v1/live`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  let text = '';
  const decoder = new TextDecoder();
  const ended = (async () => {
    for await (const chunk of res.body!) text += decoder.decode(chunk as Uint8Array, { stream: true });
  })().catch(() => {});
  return { text: () => text, ended, close: () => abort.abort() };
}

const noOwnSite = {
  preferredLocations: ['14713000'],
  siteRequirements: { areaM2Min: 90_000, zoning: ['GI' as const], railAccess: true },
};

describe('live changes', () => {
  it('tell each person of the enquiries they may see and of no other, without personal data', async () => {
    const irl = await listen(await h.token({ agency: 'irl' }));
    const wfg = await listen(await h.token({ agency: 'wfg-nordsachsen' }));
    const kks = await listen(await h.token({ agency: 'kks-osterzgebirge' }));
    try {
      const leipzig = (await (await h.post('irl', enquiry(noOwnSite))).json()).enquiryId as string;
      const altenberg = (
        await (await h.post('kks-osterzgebirge', enquiry({ preferredLocations: ['14628010'] }))).json()
      ).enquiryId as string;
      await eventually(async () => expect(irl.text()).toContain(`"enquiryId":"${leipzig}"`));
      await eventually(async () => expect(kks.text()).toContain(`"enquiryId":"${altenberg}"`));
      expect(irl.text()).toMatch(/^event: change$/m);

      // Offered the lead, WFG Nordsachsen hears of it.
      const token = await h.token({ agency: 'irl' });
      await eventually(async () =>
        expect((await (await h.get(`/v1/enquiries/${leipzig}`, token)).json()).status).toBe(
          'awaiting_forwarding_decision',
        ),
      );
      expect((await h.call(`/v1/enquiries/${leipzig}/forwarding`, { decision: 'approve' }, token)).status).toBe(200);
      await eventually(async () => expect(wfg.text()).toContain(`"enquiryId":"${leipzig}"`));
      expect(wfg.text()).toContain('lead_forwarded');

      expect(kks.text()).not.toContain(leipzig);
      expect(irl.text()).not.toContain(altenberg);
      expect(wfg.text()).not.toContain(altenberg);
      for (const l of [irl, wfg, kks]) {
        for (const personal of ['Erika', 'erika.mustermann', 'Glaswerk', '1234567', 'Floatglas']) {
          expect(l.text()).not.toContain(personal);
        }
      }
    } finally {
      for (const l of [irl, wfg, kks]) l.close();
    }
  });

  it('ends when the token expires, so the app reconnects with a fresh one', async () => {
    const short = await mintToken(h.jwtSecret, { sub: 'anna', agency: 'irl', roles: ['staff'], offices: [] }, '2s');
    const l = await listen(short);
    const ended = await Promise.race([l.ended.then(() => 'ended'), sleep(10_000).then(() => 'still open')]);
    l.close();
    expect(ended).toBe('ended');
  });

  it('refuses a request without a token with a problem', async () => {
    const res = await fetch(`${h.baseUrl}/v1/live`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
