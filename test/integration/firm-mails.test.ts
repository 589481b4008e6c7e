import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AckPolicy, DeliverPolicy, jetstreamManager } from '@nats-io/jetstream';
import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRM_EVENTS_STREAM, firmEventSubject } from '../../domain/firm-events.js';
import { MAILED_FIRM_EVENTS } from '../../domain/firm-mail-data.js';
import { createLogger } from '../../infra/logger.js';
import { People } from '../../infra/people.js';
import { FIRM_NOTIFIER_CONSUMER, startNotifier } from '../../notifier/index.js';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../scripts/mail-catcher.js';
import { freePort } from '../../scripts/servers.js';
import { eventually, startHarness, type Harness } from '../harness.js';

/**
 * Bestandspflege's mails on the real servers (Temporal, NATS, PostgreSQL, an SMTP server): a
 * visit's people get a calendar invitation at the address their sign-in told Lotse, its update
 * when it moves and its cancellation; a concern reaches the handling agency's mailbox; a
 * notifier that starts again and is sent every event anew mails nobody twice; no address in
 * the logs.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'lotse-firm-mail-'));
const logFile = path.join(dir, 'lotse.log');
let h: Harness;
let catcher: MailCatcher;

const paul = {
  agency: 'wf-burgenlandkreis',
  sub: 'paul.richter',
  name: 'Paul Richter',
  email: 'paul.richter@burgenlandkreis.example',
};
const stefan = {
  agency: 'img',
  sub: 'stefan.hoffmann',
  name: 'Stefan Hoffmann',
  email: 'stefan.hoffmann@img-sachsen-anhalt.example',
};
const IMG_STAFF = 'anfragen@img-sachsen-anhalt.example';
type Person = typeof paul;
const send = async (p: Person, url: string, body: unknown, method = 'POST') => {
  const res = await h.call(url, body, await h.token(p), method);
  return { status: res.status, body: await res.json() };
};
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
let firmId: string;
const firmName = `Stahlbau Zeitz ${Date.now()} GmbH`;

beforeAll(async () => {
  catcher = await startMailCatcher({ port: await freePort(), folder: path.join(dir, 'mails') });
  h = await startHarness({ logFile, smtpUrl: catcher.url, env: { LOG_LEVEL: 'info' } });
  // Each signs in once: the people directory learns their names and addresses from their tokens.
  for (const p of [paul, stefan]) expect((await h.get('/v1/firms', await h.token(p))).status).toBe(200);
  const people = await People.open(h.lotse.nats, createLogger('silent'));
  await eventually(async () => {
    for (const p of [paul, stefan]) expect(people.addressOf(p.agency, p.sub)).toBe(p.email);
  });
  people.stop();
  const firm = await send(paul, '/v1/firms', {
    name: firmName,
    legalForm: 'GmbH',
    sector: '25.11',
    sites: [{ ags: '15084590', address: 'Industriestraße 4, 06712 Zeitz' }],
    employees: 180,
    contacts: [{ name: 'Erika Vogelsang', email: 'e.vogelsang@stahlbau.example' }],
    carer: paul.sub,
    careLevel: 'key',
  });
  expect(firm.status).toBe(201);
  firmId = firm.body.firmId;
}, 120_000);
afterAll(async () => {
  await h?.close();
  await catcher?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The mails to an address about this firm whose subject matches. */
const to = (address: string, subject: RegExp) =>
  catcher.mails.filter((m) => m.to.includes(address) && subject.test(m.subject) && m.text.includes(firmId));

/** The one mail to each address, once it is there; the calendar entry it carries, read back by ical.js. */
async function invitationsTo(addresses: string[], subject: RegExp) {
  const mails = await eventually(async () => {
    const found = addresses.map((a) => to(a, subject));
    for (const f of found) expect(f).toHaveLength(1);
    return found.map((f) => f[0]!);
  });
  return Promise.all(mails.map(calendarOf));
}

async function calendarOf(mail: CaughtMail) {
  const parsed = await simpleParser(mail.raw);
  const part = parsed.attachments.find((a) => a.contentType === 'text/calendar');
  expect(part, 'a text/calendar part').toBeDefined();
  const calendar = new ICAL.Component(ICAL.parse(part!.content.toString('utf8')));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  return {
    mail,
    partMethod: (part!.headers.get('content-type') as { params?: { method?: string } }).params?.method,
    method: calendar.getFirstPropertyValue('method'),
    uid: vevent.getFirstPropertyValue('uid'),
    sequence: vevent.getFirstPropertyValue('sequence'),
    start: (vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
  };
}

describe('a visit’s invitations', () => {
  const people = [paul.email, stefan.email];
  const firstAt = new Date(Date.parse(inDays(7))).toISOString().slice(0, 16) + ':00.000Z';
  const movedAt = new Date(Date.parse(inDays(9))).toISOString().slice(0, 16) + ':00.000Z';
  const participants = [
    { agency: paul.agency, sub: paul.sub },
    { agency: stefan.agency, sub: stefan.sub },
  ];

  it('invites each participant once, at their own address, with a text/calendar REQUEST', async () => {
    const planned = await send(paul, `/v1/firms/${firmId}/visits`, { at: firstAt, participants });
    expect(planned.status).toBe(200);
    const invitations = await invitationsTo(people, /^Lotse: Einladung zum Unternehmensbesuch/);
    for (const i of invitations) {
      expect(i).toMatchObject({ partMethod: 'REQUEST', method: 'REQUEST', uid: `${firmId}.v1@lotse`, sequence: 0 });
      expect(i.start).toBe(firstAt);
      expect(i.mail.subject).toContain(firmName);
      expect(i.mail.text).toContain(`/unternehmen/${firmId}`);
    }
  });

  it('moved: an update under the same UID with SEQUENCE 1', async () => {
    const moved = await send(paul, `/v1/firms/${firmId}/visits/v1`, { at: movedAt, participants }, 'PUT');
    expect(moved.status).toBe(200);
    const updates = await invitationsTo(people, /^Lotse: Unternehmensbesuch verlegt/);
    for (const u of updates) {
      expect(u).toMatchObject({ method: 'REQUEST', uid: `${firmId}.v1@lotse`, sequence: 1 });
      expect(u.start).toBe(movedAt);
    }
  });

  it('cancelled: METHOD:CANCEL for the same UID', async () => {
    const cancelled = await send(stefan, `/v1/firms/${firmId}/visits/v1/cancel`, { reason: 'Termin passt nicht' });
    expect(cancelled.status).toBe(200);
    const cancels = await invitationsTo(people, /^Lotse: Unternehmensbesuch abgesagt/);
    for (const c of cancels) {
      expect(c).toMatchObject({ partMethod: 'CANCEL', method: 'CANCEL', uid: `${firmId}.v1@lotse`, sequence: 2 });
    }
  });
});

describe('a concern for another agency', () => {
  it('reaches that agency’s staff mailbox, once', async () => {
    const opened = await send(paul, `/v1/firms/${firmId}/concerns`, {
      topic: 'funding',
      handledBy: 'img',
      note: 'GRW-Förderung für die neue Halle prüfen',
    });
    expect(opened.status).toBe(200);
    const [mail] = await eventually(async () => {
      const found = to(IMG_STAFF, /^Lotse: Neues Anliegen/);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(mail!.text).toContain('Förderung und Finanzierung');
    expect(mail!.text).not.toContain('GRW');
  });
});

describe('what the notifier is sent', () => {
  it('only the firm events that mail someone', async () => {
    const jsm = await jetstreamManager(h.lotse.nats);
    const { config } = await jsm.consumers.info(FIRM_EVENTS_STREAM, FIRM_NOTIFIER_CONSUMER);
    const filter = [...(config.filter_subjects ?? [])].sort();
    expect(filter).toEqual(MAILED_FIRM_EVENTS.map(firmEventSubject).sort());
    for (const type of ['firm_registered', 'visit_recorded', 'concern_answered'] as const)
      expect(filter).not.toContain(firmEventSubject(type));
  });
});

describe('exactly once', () => {
  it('a notifier that starts again and is sent every firm event anew mails nobody twice', async () => {
    const before = catcher.mails.filter((m) => m.text.includes(firmId)).length;
    expect(before).toBe(7);
    await h.lotse.notifier!.stop();
    // Rewound: the consumer delivers the stream from its start, as after a lost acknowledgement, only all of it.
    const jsm = await jetstreamManager(h.lotse.nats);
    await jsm.consumers.delete(FIRM_EVENTS_STREAM, FIRM_NOTIFIER_CONSUMER);
    await jsm.consumers.add(FIRM_EVENTS_STREAM, {
      durable_name: FIRM_NOTIFIER_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subjects: MAILED_FIRM_EVENTS.map(firmEventSubject),
    });
    h.lotse.notifier = await startNotifier({
      nats: h.lotse.nats,
      replicas: h.config.natsReplicas,
      reference: h.lotse.reference,
      smtpUrl: catcher.url,
      from: h.config.mail.from,
      appUrl: h.config.mail.appUrl,
      logger: createLogger('silent'),
    });
    await eventually(async () => {
      const info = await jsm.consumers.info(FIRM_EVENTS_STREAM, FIRM_NOTIFIER_CONSUMER);
      expect(info.delivered.stream_seq).toBeGreaterThan(0);
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    });
    expect(catcher.mails.filter((m) => m.text.includes(firmId))).toHaveLength(before);
  });

  it('puts no person’s address and no contact person into the logs', () => {
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('notifier started');
    for (const secret of [paul.email, stefan.email, 'Vogelsang', 'GRW']) expect(log).not.toContain(secret);
  });
});
