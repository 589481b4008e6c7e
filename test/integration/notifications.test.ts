import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENQUIRY_EVENTS_STREAM, ENQUIRY_EVENTS_SUBJECTS, eventSubject } from '../../domain/events.js';
import { MAILED_EVENTS, when } from '../../domain/notifications.js';
import { createLogger } from '../../infra/logger.js';
import { NOTIFIER_CONSUMER, startNotifier } from '../../notifier/index.js';
import { codeName } from '../../domain/redaction.js';
import { loadReference } from '../../infra/reference.js';
import { calendarOf, deadlineAfter } from '../../domain/working-days.js';
import { startMailCatcher, type MailCatcher } from '../../scripts/mail-catcher.js';
import { freePort } from '../../scripts/servers.js';
import { enquiry, eventually, referenceFolder, startHarness, type Harness } from '../harness.js';

/**
 * People are told by e-mail what waits on them, once each, in German, without the
 * investor's data; an SMTP server that is away delays mails and loses none. Deadlines
 * count working days in the calendar of the agency that must act. Real servers: Temporal,
 * NATS and an SMTP server (the development mail catcher).
 */

const dir = mkdtempSync(path.join(tmpdir(), 'lotse-mail-'));
const logFile = path.join(dir, 'lotse.log');
let h: Harness;
let catcher: MailCatcher;
let smtpPort: number;
const refused = (address: string) => address.endsWith('@refused.example');
const startCatcher = () => startMailCatcher({ port: smtpPort, folder: path.join(dir, 'mails'), refuse: refused });

const reference = referenceFolder(({ agencies, agreements }) => {
  for (const a of agreements) {
    if (a.forwarding)
      a.forwarding = { decisionWithin: 'PT3S', reminderAfter: 'PT1S', partnerResponseWithin: { workingDays: 2 } };
    if (a.jointHandling) Object.assign(a.jointHandling, { decisionWithin: 'PT30S', reminderAfter: 'PT2S' });
  }
  // WFG Nordsachsen's staff mailbox refuses mail: that must hold up no one else's.
  agencies.find((a) => a.id === 'wfg-nordsachsen').mail.staff = 'anfragen@refused.example';
});

beforeAll(async () => {
  smtpPort = await freePort();
  catcher = await startCatcher();
  h = await startHarness({ referenceDir: reference, logFile, smtpUrl: catcher.url, env: { LOG_LEVEL: 'info' } });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await catcher?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The mails to an address whose subject matches and whose text names the enquiry (or the page). */
const to = (address: string, subject: RegExp, link: string) =>
  catcher.mails.filter((m) => m.to.includes(address) && subject.test(m.subject) && m.text.includes(link));
const messageIds = () => catcher.mails.map((m) => m.messageId);

describe('mails for what waits on people', () => {
  it('asks the three offices to vote, once each, without the investor’s data', async () => {
    const body = enquiry({ preferredLocations: ['14713000'], project: { jobs: 400, investmentEur: 120_000_000 } });
    const id = (await (await h.post('irl', body)).json()).enquiryId as string;
    const offices = ['ob-buero@leipzig.example', 'landrat@lk-leipzig.example', 'landrat@lra-nordsachsen.example'];
    for (const office of offices)
      await eventually(async () => expect(to(office, /^Lotse: Abstimmung/, codeName(id))).toHaveLength(1));
    const mail = to(offices[0]!, /Abstimmung/, codeName(id))[0]!.text;
    expect(mail).toMatch(/Bitte stimmen Sie bis \w+, \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr ab/);
    expect(mail).toMatch(/Projekt [A-Z][a-zä]+-[0-9A-F]{4}/);
    // Two seconds on, a reminder for the votes still missing, once each.
    for (const office of offices)
      await eventually(async () => expect(to(office, /^Lotse: Erinnerung/, codeName(id))).toHaveLength(1), 15_000);
    for (const m of catcher.mails) {
      for (const secret of [body.contact.email, body.contact.name, body.company.name])
        expect(m.raw).not.toContain(secret);
    }
  });

  it('tells every voting office and the staff of the parties the outcome of the vote, once each', async () => {
    const body = enquiry({ preferredLocations: ['14713000'], project: { jobs: 300, investmentEur: 90_000_000 } });
    const id = (await (await h.post('irl', body)).json()).enquiryId as string;
    const ballots = [
      ['ob-leipzig', 'irl'],
      ['landrat-lk-leipzig', 'irl'],
      ['landrat-nordsachsen', 'wfg-nordsachsen'],
    ] as const;
    for (const [office, agency] of ballots) {
      const token = await h.token({ agency, roles: [], offices: [office] });
      await eventually(async () => {
        const res = await h.call(`/v1/enquiries/${id}/joint-handling/votes`, { office, decision: 'approve' }, token);
        expect(res.status).toBe(200);
      }, 15_000);
    }
    const told = [
      'ob-buero@leipzig.example',
      'landrat@lk-leipzig.example',
      'landrat@lra-nordsachsen.example',
      'anfragen@invest-region-leipzig.example',
    ];
    for (const address of told) {
      await eventually(
        async () => expect(to(address, /^Lotse: Gemeinsame Bearbeitung beschlossen/, codeName(id))).toHaveLength(1),
        15_000,
      );
    }
    expect(to(told[0]!, /beschlossen/, codeName(id))[0]!.text).toContain('/abstimmungen');
    // Redelivered or not, nobody hears it twice (WFG's staff mailbox refuses mail in this test).
    await new Promise((r) => setTimeout(r, 1000));
    for (const address of told) expect(to(address, /beschlossen/, codeName(id))).toHaveLength(1);
    for (const m of catcher.mails) expect(m.raw).not.toContain(body.company.name);
  });

  it('reminds the staff, escalates to the managers, and a refused mailbox holds up no one', async () => {
    const body = enquiry({
      preferredLocations: ['14713000'],
      siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true },
    });
    const id = (await (await h.post('irl', body)).json()).enquiryId as string;
    const staff = 'anfragen@invest-region-leipzig.example';
    const managers = 'geschaeftsfuehrung@invest-region-leipzig.example';
    const [request] = await eventually(async () => {
      const found = to(staff, /Weiterleitung entscheiden/, id);
      expect(found).toHaveLength(1);
      return found;
    }, 15_000);
    // The request names the deadline, as the enquiry shows it.
    const [deadline] = (await (await h.get(`/v1/enquiries/${id}`, await h.token({ agency: 'irl' }))).json()).deadlines;
    expect(request!.text).toContain(`Bitte entscheiden Sie bis ${when(deadline.due)}, ob`);
    await eventually(async () => expect(to(staff, /Erinnerung/, id)).toHaveLength(1), 15_000);
    const [escalation] = await eventually(async () => {
      const found = to(managers, /^Lotse: Überfällig/, id);
      expect(found).toHaveLength(1);
      return found;
    }, 15_000);
    expect(escalation!.text).toContain('Als Geschäftsführung können Sie jetzt selbst entscheiden.');
    expect(escalation!.text).toContain(`/anfragen/${id}`);

    const manager = await h.token({ agency: 'irl', roles: ['manager'] });
    const approved = await h.call(
      `/v1/enquiries/${id}/forwarding`,
      { decision: 'approve', partners: ['wfg-nordsachsen'] },
      manager,
    );
    expect(approved.status).toBe(200);
    // The lead's mail to WFG Nordsachsen is refused; its acceptance still reaches IRL's staff.
    await eventually(async () => expect(readFileSync(logFile, 'utf8')).toContain('mail refused, not retried'), 15_000);
    const partner = await h.token({ agency: 'wfg-nordsachsen' });
    expect((await h.call(`/v1/leads/${id}/accept`, {}, partner)).status).toBe(200);
    await eventually(async () => expect(to(staff, /Lead angenommen/, id)).toHaveLength(1), 15_000);
    expect(catcher.mails.some((m) => m.to.some(refused))).toBe(false);
  });

  it('waits out an SMTP outage: every mail arrives afterwards, none twice', async () => {
    await catcher.stop();
    const staff = 'anfragen@invest-region-leipzig.example';
    const body = enquiry({
      preferredLocations: ['14713000'],
      siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true },
    });
    const id = (await (await h.post('irl', body)).json()).enquiryId as string;
    // Requested, reminded and escalated while nobody takes mail.
    await new Promise((r) => setTimeout(r, 5000));
    const caughtBefore = catcher.mails;
    catcher = await startCatcher();
    catcher.mails.push(...caughtBefore);
    await eventually(async () => {
      expect(to(staff, /Weiterleitung entscheiden/, id)).toHaveLength(1);
      expect(to(staff, /Erinnerung/, id)).toHaveLength(1);
      expect(to('geschaeftsfuehrung@invest-region-leipzig.example', /^Lotse: Überfällig/, id)).toHaveLength(1);
    }, 30_000);
    // A little longer: nothing comes twice.
    await new Promise((r) => setTimeout(r, 3000));
    const ids = messageIds();
    expect(new Set(ids).size).toBe(ids.length);
  }, 60_000);
});

describe('working-day deadlines on the real servers', () => {
  it('gives the partner 2 Arbeitstage in its own calendar, ending 17:00, shown in the state, tasks and event', async () => {
    const body = enquiry({
      preferredLocations: ['14713000'],
      siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true },
    });
    const id = (await (await h.post('irl', body)).json()).enquiryId as string;
    const irl = await h.token({ agency: 'irl' });
    await eventually(async () =>
      expect((await (await h.get(`/v1/enquiries/${id}`, irl)).json()).status).toBe('awaiting_forwarding_decision'),
    );
    await h.call(`/v1/enquiries/${id}/forwarding`, { decision: 'approve', partners: ['wfg-nordsachsen'] }, irl);
    const offer = await eventually(async () => {
      const state = await (await h.get(`/v1/enquiries/${id}`, irl)).json();
      expect(state.status).toBe('awaiting_partner');
      return state.forwarding.offers[0];
    });
    const wfg = loadReference(reference).agencies.find((a) => a.id === 'wfg-nordsachsen')!;
    const expected = deadlineAfter(new Date(offer.offeredAt), { workingDays: 2 }, calendarOf(wfg)).toISOString();
    expect(offer.respondBy).toBe(expected);
    expect(
      new Intl.DateTimeFormat('de-DE', { timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(new Date(expected)),
    ).toBe('17:00');
    const tasks = await eventually(async () => {
      const { items } = await (await h.get('/v1/tasks', await h.token({ agency: 'wfg-nordsachsen' }))).json();
      expect(items.map((t: { enquiryId: string }) => t.enquiryId)).toContain(id);
      return items;
    });
    expect(tasks.find((t: { enquiryId: string }) => t.enquiryId === id).deadline).toBe(expected);
    const events = await eventually(async () => {
      const e = (await h.events(id)).filter((x) => x.subject === 'enquiry.events.lead_forwarded');
      expect(e).toHaveLength(1);
      return e;
    });
    expect(events[0]!.event.data.respondBy).toBe(expected);
  });
});

describe('what the notifier is sent', () => {
  it('only the events that mail someone; a consumer made before the filter is narrowed at the next start', async () => {
    const jsm = await jetstreamManager(h.lotse.nats);
    const filter = async () =>
      [...((await jsm.consumers.info(ENQUIRY_EVENTS_STREAM, NOTIFIER_CONSUMER)).config.filter_subjects ?? [])].sort();
    const mailed = MAILED_EVENTS.map(eventSubject).sort();
    expect(mailed).toContain('enquiry.events.forwarding_requested');
    // An enquiry that finds its sites mails nobody and costs the notifier nothing.
    for (const type of ['received', 'jurisdiction_determined', 'sites_proposed'] as const)
      expect(mailed).not.toContain(eventSubject(type));
    expect(await filter()).toEqual(mailed);

    // As an earlier Lotse made it: sent every event.
    await jsm.consumers.update(ENQUIRY_EVENTS_STREAM, NOTIFIER_CONSUMER, {
      filter_subjects: [ENQUIRY_EVENTS_SUBJECTS],
    });
    expect(await filter()).toEqual([ENQUIRY_EVENTS_SUBJECTS]);
    const next = await startNotifier({
      nats: h.lotse.nats,
      replicas: h.config.natsReplicas,
      reference: h.lotse.reference,
      smtpUrl: catcher.url,
      from: h.config.mail.from,
      appUrl: h.config.mail.appUrl,
      logger: createLogger('silent'),
    });
    await next.stop();
    expect(await filter()).toEqual(mailed);
  });
});
