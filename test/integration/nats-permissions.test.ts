import { AckPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxPrefixOf } from '../../infra/nats-auth.js';
import { enquiry, eventually, referenceFolder, startHarness, type Harness } from '../harness.js';

/** NATS with one user per agency (as LOTSE_NATS_AUTH=1 runs it): a partner reads its own leads and nothing else. */

let h: Harness;
let wfg: NatsConnection;
let enquiryId: string;

beforeAll(async () => {
  h = await startHarness({ referenceDir: referenceFolder(), natsUsers: true });
  // Lotse itself works as the `lotse` user: a lead reaches WFG Nordsachsen.
  const irl = await h.token({ agency: 'irl' });
  ({ enquiryId } = await (
    await h.post(
      'irl',
      enquiry({
        preferredLocations: ['14713000'],
        siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true },
      }),
    )
  ).json());
  await eventually(async () =>
    expect((await (await h.get(`/v1/enquiries/${enquiryId}`, irl)).json()).status).toBe('awaiting_forwarding_decision'),
  );
  await h.call(`/v1/enquiries/${enquiryId}/forwarding`, { decision: 'approve', partners: ['wfg-nordsachsen'] }, irl);
  await eventually(async () => expect(await h.leads('wfg-nordsachsen', enquiryId)).toHaveLength(1));
  wfg = await connect({
    servers: h.nats.address,
    user: 'wfg-nordsachsen',
    pass: h.natsPasswords!['wfg-nordsachsen'],
    inboxPrefix: inboxPrefixOf('wfg-nordsachsen'),
  });
});
afterAll(async () => {
  await wfg?.close();
  await h?.close();
});

/** Resolves with the error the server answered a denied subscription with, or null if it was allowed. */
async function subscribeOutcome(nc: NatsConnection, subject: string): Promise<Error | null> {
  const sub = nc.subscribe(subject);
  const closed = sub.closed.then((e) => e ?? null);
  const allowed = new Promise<null>((r) => setTimeout(() => r(null), 750));
  const outcome = await Promise.race([closed, allowed]);
  sub.unsubscribe();
  return outcome;
}

describe('NATS permissions per agency', () => {
  it('refuses a wrong password', async () => {
    await expect(
      connect({ servers: h.nats.address, user: 'wfg-nordsachsen', pass: 'wrong', reconnect: false }),
    ).rejects.toThrow();
  });

  it('lets a partner read its own leads through its durable consumer', async () => {
    const jsm = await jetstreamManager(wfg, { checkAPI: false });
    await jsm.consumers.add('LEADS', {
      durable_name: 'wfg-nordsachsen',
      filter_subject: 'leads.wfg-nordsachsen',
      ack_policy: AckPolicy.Explicit,
    });
    // consume(), as docs/operating.md shows: on a cluster the new consumer's leader may not be known to
    // the partner's server yet, which a single next() reports as "no responders" and consume() outlasts.
    const messages = await (await jetstream(wfg).consumers.get('LEADS', 'wfg-nordsachsen')).consume({ expires: 2000 });
    const giveUp = setTimeout(() => void messages.close(), 15_000);
    let m: JsMsg | undefined;
    for await (const msg of messages) {
      m = msg;
      break;
    }
    clearTimeout(giveUp);
    expect(m?.subject).toBe('leads.wfg-nordsachsen');
    expect(m?.json<any>().subject).toBe(enquiryId);
    m?.ack();
  });

  it('lets it subscribe to its own subject live, and to no other agency’s', async () => {
    expect(await subscribeOutcome(wfg, 'leads.wfg-nordsachsen')).toBeNull();
    expect(String(await subscribeOutcome(wfg, 'leads.img'))).toMatch(/permission/i);
    expect(String(await subscribeOutcome(wfg, 'leads.>'))).toMatch(/permission/i);
    expect(String(await subscribeOutcome(wfg, 'enquiry.events.>'))).toMatch(/permission/i);
    expect(String(await subscribeOutcome(wfg, '_INBOX.>'))).toMatch(/permission/i);
  });

  it('refuses a consumer on another agency’s leads', async () => {
    const jsm = await jetstreamManager(wfg, { checkAPI: false, timeout: 1500 });
    await expect(
      jsm.consumers.add('LEADS', { durable_name: 'img', filter_subject: 'leads.img', ack_policy: AckPolicy.Explicit }),
    ).rejects.toThrow();
    await expect(
      jsm.consumers.add('LEADS', {
        durable_name: 'wfg-nordsachsen',
        filter_subject: 'leads.img',
        ack_policy: AckPolicy.Explicit,
      }),
    ).rejects.toThrow();
  });
});
