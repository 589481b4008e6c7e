import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kvm } from '@nats-io/kv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdsSealed } from '../../domain/personal-data.js';
import { DATA_KEYS_BUCKET } from '../../infra/nats.js';
import { decodeEverywhere } from '../../infra/payload-codec.js';
import type { RunningServer } from '../../scripts/servers.js';
import {
  enquiry,
  eventually,
  startOwnTemporal,
  onCluster,
  referenceFolder,
  startHarness,
  type Harness,
} from '../harness.js';

/**
 * Personal data as the GDPR asks: sealed with the enquiry's own key everywhere Lotse
 * stores it, readable to whom may see it, exported on request, and erased for good by
 * destroying the key — on a manager's request or when the agency's retention has passed.
 * Every store is checked by its raw bytes: Temporal's database file, the NATS store
 * directory and the log file.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'lotse-personal-'));
const dataDir = mkdtempSync(path.join(dir, 'data-'));
const logFile = path.join(dir, 'lotse.log');
let temporal: RunningServer;
let h: Harness;

// Leipzig, a large GI site with rail: IRL has none, WFG Nordsachsen has; released, so its lead carries the contact.
const released = enquiry({
  contact: { name: 'Ilse Vertraulich', email: 'ilse.vertraulich@example.org', phone: '+49 341 7654321' },
  company: { name: 'Geheimglas Vertraulich GmbH', sector: 'C23.1', country: 'DE' },
  project: { jobs: 80, investmentEur: 9_000_000, description: 'Pläne der Firma Geheimglas' },
  preferredLocations: ['14713000'],
  siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true },
  consentToShare: true,
});
const EMAIL = released.contact.email;

beforeAll(async () => {
  temporal = await startOwnTemporal(dir);
  // IRL keeps personal data for seconds after a close (a test's retention), withdrawn ones for one.
  const reference = referenceFolder(({ agencies, agreements }) => {
    for (const a of agreements)
      if (a.forwarding) a.forwarding = { partnerResponseWithin: 'P5D', decisionWithin: 'P2D', reminderAfter: 'P1D' };
    agencies.find((a) => a.id === 'irl').personalDataRetention = { afterClose: 'PT4S', afterWithdrawn: 'PT1S' };
  });
  h = await startHarness({
    temporalAddress: temporal.address,
    referenceDir: reference,
    dataDir,
    logFile,
    env: { LOTSE_RETENTION_SWEEP: 'PT1S', LOG_LEVEL: 'debug' },
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await temporal?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const token = (agency: string, role: 'staff' | 'manager' = 'staff') =>
  h.token({ agency, roles: [role], sub: `${role}-${agency}` });
const stateOf = async (id: string, agency = 'irl') => (await h.get(`/v1/enquiries/${id}`, await token(agency))).json();

/** Every file below a folder whose bytes hold the text. */
function filesHolding(folder: string, text: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(folder, entry);
    try {
      if (statSync(file).isFile() && readFileSync(file).includes(text)) found.push(path.relative(dir, file));
    } catch (err) {
      // A server writes on meanwhile: a file gone between the listing and the read held nothing to find.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return found;
}

async function forwardedWithLead(body = released) {
  const id = (await (await h.post('irl', body)).json()).enquiryId as string;
  await eventually(async () => expect((await stateOf(id)).status).toBe('awaiting_forwarding_decision'), 30_000);
  const decided = await h.call(
    `/v1/enquiries/${id}/forwarding`,
    { decision: 'approve', partners: ['wfg-nordsachsen'], note: 'Frau Vertraulich bat um Eile' },
    await token('irl'),
  );
  expect(decided.status).toBe(200);
  // The answer opens with the key the note was sealed with, read once for both.
  const answer = await decided.json();
  expect(answer.forwarding.decision.note).toBe('Frau Vertraulich bat um Eile');
  expect(answer.enquiry.contact.email).toBe(body.contact.email);
  expect(holdsSealed(answer)).toBe(false);
  await eventually(async () => expect(await h.leads('wfg-nordsachsen', id)).toHaveLength(1), 30_000);
  return id;
}

describe('personal data of an enquiry', () => {
  let id: string;
  beforeAll(async () => {
    // Other enquiries' leads before and after its own: a lead in the middle of a file block is not simply cut off.
    const neighbour = () =>
      forwardedWithLead({
        ...released,
        externalRef: `web-${randomUUID()}`,
        contact: { name: 'Nachbar', email: `nachbar-${randomUUID()}@example.org` },
      });
    await neighbour();
    id = await forwardedWithLead();
    await neighbour();
  }, 60_000);

  it('is sealed with its own key wherever Lotse keeps it, and readable to whom may see it', async () => {
    const state = await stateOf(id);
    expect(state.enquiry.contact.email).toBe(EMAIL);
    expect(state.forwarding.decision.note).toBe('Frau Vertraulich bat um Eile');
    expect(holdsSealed(state)).toBe(false);
    // The partner got the lead released: its contact in plain text, on NATS and from the api.
    const [lead] = await h.leads('wfg-nordsachsen', id);
    expect((lead!.event.data.lead as { contact: { email: string } }).contact.email).toBe(EMAIL);
    const leads = await (await h.get('/v1/leads', await token('wfg-nordsachsen'))).json();
    expect(leads.find((l: { enquiryId: string }) => l.enquiryId === id).contact.email).toBe(EMAIL);

    // Inside Temporal, even with the payload keys: tokens only.
    const history = await decodeEverywhere(
      await h.lotse.temporal.workflow.getHandle(id).fetchHistory(),
      h.lotse.payloadCodec,
    );
    const json = JSON.stringify(history.events!.map((e) => e.workflowExecutionStartedEventAttributes?.input));
    expect(json).not.toContain(EMAIL);
    // The events carry the note sealed: nobody reading NATS learns it.
    const events = await h.events(id);
    expect(JSON.stringify(events)).not.toContain('Vertraulich');
    expect(holdsSealed(events)).toBe(true);
    expect(filesHolding(dir, 'Frau Vertraulich bat um Eile')).toEqual([]);
  });

  it('never reaches a file unencrypted while not released: not Temporal’s, not NATS’s, not the log', async () => {
    const secret = { ...released, externalRef: `web-${randomUUID()}`, consentToShare: false };
    secret.contact = { name: 'Otto Geheim', email: `otto.geheim-${randomUUID()}@example.org` };
    secret.company = { ...secret.company, name: 'Stillschweig Anlagenbau AG' };
    secret.project = { ...secret.project, description: 'Verlagerung aus Bayern, noch geheim' };
    const other = await forwardedWithLead(secret);
    expect((await stateOf(other)).enquiry.contact.email).toBe(secret.contact.email);
    const [lead] = await h.leads('wfg-nordsachsen', other);
    expect(lead!.event.data.lead).toMatchObject({ released: false, contact: null });
    for (const text of [secret.contact.email, 'Otto Geheim', secret.company.name, secret.project.description!])
      expect(filesHolding(dir, text), text).toEqual([]);
    // The read model (a PostgreSQL the run shares): every row of every table, as text.
    await h.lotse.readModel!.caughtUp();
    const { rows } = await h.lotse.readModel!.pool.query(
      `select string_agg(t::text, ' ') as dump from (select row_to_json(e) as t from enquiries e
        union all select row_to_json(a) from applied_events a union all select row_to_json(f) from feed f) x`,
    );
    expect(rows[0].dump).toContain(other);
    for (const text of [secret.contact.email, 'Otto Geheim', secret.company.name, secret.project.description!])
      expect(rows[0].dump, text).not.toContain(text);
  });

  it('is exported in full to a manager of a party (Art. 15), as far as that party may see it', async () => {
    expect((await h.get(`/v1/enquiries/${id}/export`, await token('irl'))).status).toBe(403);
    expect((await h.get(`/v1/enquiries/${id}/export`, await token('leg', 'manager'))).status).toBe(404);
    const res = await h.get(`/v1/enquiries/${id}/export`, await token('irl', 'manager'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="lotse-${id}.json"`);
    const doc = await res.json();
    expect(doc.enquiry.enquiry.contact).toEqual(released.contact);
    expect(doc.enquiry.enquiry.project.description).toBe(released.project.description);
    expect(doc.timeline.map((e: { type: string }) => e.type)).toContain('forwarding_decided');
    expect(JSON.stringify(doc.events)).toContain('Frau Vertraulich bat um Eile');
    expect(doc.leads).toHaveLength(1);
    expect(doc.personalData).toEqual({ status: 'kept', erasedAt: null, reason: null, erasureDueAt: null });
    expect(holdsSealed(doc)).toBe(false);
    // The partner's managers: what their agency did and received.
    const partner = await (await h.get(`/v1/enquiries/${id}/export`, await token('wfg-nordsachsen', 'manager'))).json();
    expect(partner.leads).toHaveLength(1);
    expect(
      partner.events.every((m: { event: { source: string } }) => m.event.source.endsWith(':wfg-nordsachsen')),
    ).toBe(true);
  });

  it('is erased at once on a manager’s request: no store can give it back, the figures stay', async () => {
    const manager = await token('irl', 'manager');
    // The figures, without the moment they are as of (now, each time they are complete).
    const stats = async () => ({ ...(await (await h.get('/v1/stats', manager)).json()), asOf: undefined });
    const figures = await stats();
    const partnerLeads = (await h.leads('wfg-nordsachsen')).length;
    const kv = await new Kvm(h.lotse.nats).open(DATA_KEYS_BUCKET);
    const wrapped = JSON.parse((await kv.get(id))!.string()).key as string;
    const store = path.relative(dir, dataDir);
    // Before: the released lead holds the e-mail in NATS's files, the key bucket the wrapped key.
    expect(filesHolding(dataDir, EMAIL).length).toBeGreaterThan(0);
    expect(filesHolding(dataDir, wrapped).length).toBeGreaterThan(0);

    const erase = (t: string, body: unknown = { reason: 'Antrag nach Art. 17 DSGVO' }) =>
      h.call(`/v1/enquiries/${id}/erasure`, body, t);
    expect((await erase(await token('irl'))).status).toBe(403);
    expect((await erase(await token('wfg-nordsachsen', 'manager'))).status).toBe(403);
    expect((await erase(await token('leg', 'manager'))).status).toBe(404);
    expect((await erase(manager, { reason: '' })).status).toBe(400);
    const res = await erase(manager);
    expect(res.status).toBe(200);
    const after = await res.json();
    expect(after.personalDataErasedAt).toEqual(expect.any(String));
    expect(after.enquiry.contact.email).toMatch(/^gelöscht am \d{2}\.\d{2}\.\d{4}$/);
    expect(after.enquiry.company.name).toMatch(/^gelöscht am /);
    expect(after.forwarding.decision.note).toMatch(/^gelöscht am /);
    // Its non-personal facts stay.
    expect(after).toMatchObject({ responsibleAgency: 'irl', status: 'awaiting_partner', kind: released.kind });
    expect(after.enquiry.project.jobs).toBe(80);
    // Asked again: the first erasure stands, and is announced once.
    expect((await (await erase(manager, { reason: 'noch einmal' })).json()).personalDataErasedAt).toBe(
      after.personalDataErasedAt,
    );
    const erased = (await h.events(id)).filter((e) => e.subject === 'enquiry.events.personal_data_erased');
    expect(erased).toHaveLength(1);
    expect(erased[0]!.event.data).toMatchObject({ reason: 'Antrag nach Art. 17 DSGVO', leadsPurged: 1 });

    expect(await h.leads('wfg-nordsachsen', id)).toEqual([]);
    expect(await h.leads('wfg-nordsachsen')).toHaveLength(partnerLeads - 1);
    const timeline = await (await h.get(`/v1/enquiries/${id}/history`, manager)).json();
    expect(timeline.at(-1)).toMatchObject({ type: 'personal_data_erased', actor: 'user:manager-irl@irl' });
    const doc = await (await h.get(`/v1/enquiries/${id}/export`, manager)).json();
    expect(doc.personalData).toMatchObject({ status: 'erased', reason: 'Antrag nach Art. 17 DSGVO' });
    expect(JSON.stringify(doc)).not.toContain(EMAIL);
    expect(await stats()).toEqual(figures);

    // No store holds it any more: not NATS's files (lead and key overwritten), not Temporal's, not the log.
    // On a NATS cluster each node's raft log keeps the overwritten messages until its next
    // snapshot, which NATS takes within three minutes of a change (docs/operating.md, "Personal data").
    await eventually(
      async () => {
        expect(filesHolding(dataDir, EMAIL)).toEqual([]);
        expect(filesHolding(dataDir, wrapped)).toEqual([]);
      },
      onCluster() ? 240_000 : 5_000,
      2000,
    );
    expect(filesHolding(dir, EMAIL).filter((f) => !f.startsWith(store))).toEqual([]);
    // Temporal holds the tokens still, and with the payload keys too they open to nothing.
    const history = await decodeEverywhere(
      await h.lotse.temporal.workflow.getHandle(id).fetchHistory(),
      h.lotse.payloadCodec,
    );
    const { submission } = JSON.parse(
      Buffer.from(history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!.data!).toString(),
    );
    expect(submission.contact.email).toMatch(/^lotse:sealed:v1:/);
    expect(await h.lotse.dataKeys.readable(id, submission.contact.email)).toMatch(/^gelöscht am /);
    // And an intake of the same enquiry again changes nothing.
    const again = await h.post('irl', released);
    expect(again.status).toBe(200);
    expect((await stateOf(id)).enquiry.contact.email).toMatch(/^gelöscht am /);
  }, 300_000);
});

describe('the agency’s retention', () => {
  it('erases the personal data of a closed enquiry once its time has passed, by itself', async () => {
    const id = (await (await h.post('irl', enquiry({ preferredLocations: ['14713000'] }))).json()).enquiryId;
    await eventually(async () => expect((await stateOf(id)).status).toBe('in_progress'), 30_000);
    const closed = await h.call(`/v1/enquiries/${id}/close`, { outcome: 'withdrawn' }, await token('irl'));
    expect(closed.status).toBe(200);
    expect((await closed.json()).personalDataErasedAt).toBeNull();
    const erased = await eventually(async () => {
      const s = await stateOf(id);
      expect(s.personalDataErasedAt).not.toBeNull();
      return s;
    }, 30_000);
    expect(erased.enquiry.contact.name).toMatch(/^gelöscht am /);
    expect(erased.outcome).toBe('withdrawn');
    const timeline = await (await h.get(`/v1/enquiries/${id}/history`, await token('irl'))).json();
    expect(timeline.at(-1)).toMatchObject({
      type: 'personal_data_erased',
      actor: 'system',
      detail: { reason: 'retention' },
    });
    // Still open ones keep theirs, whatever their age.
    const open = (await (await h.post('irl', enquiry({ preferredLocations: ['14713000'] }))).json()).enquiryId;
    await new Promise((r) => setTimeout(r, 3000));
    expect((await stateOf(open)).personalDataErasedAt).toBeNull();
  }, 60_000);
});

describe('the logs', () => {
  it('never hold the contact, even at debug level', () => {
    const log = readFileSync(logFile, 'utf8');
    expect(log.length).toBeGreaterThan(1000);
    expect(log).not.toContain(EMAIL);
    expect(log).not.toContain('Geheimglas');
  });
});
