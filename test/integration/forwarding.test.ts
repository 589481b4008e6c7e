import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../infra/webhook-signature.js';
import { WORKFLOW_STACK_FRAMES } from '../../workflows/stack-traces.js';
import { enquiry, eventually, quiescent, referenceFolder, startHarness, type Harness } from '../harness.js';

/**
 * The cooperation agreement at work: a Leipzig enquiry IRL cannot serve goes, with
 * a person's yes, to a partner that can. Deadlines are seconds (see referenceFolder):
 * reminder after 2 s, decision due after 4 s, partner answer within 5 s.
 */

let h: Harness;
let receiver: Server;
const received: { body: any; verified: boolean }[] = [];
/** How many of the next webhook calls the receiver answers with 503. */
let failNext = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const one = (k: string) => req.headers[k] as string | undefined;
      const verdict = verify(
        h.webhookSecrets['wfg-nordsachsen']!,
        { id: one('webhook-id'), timestamp: one('webhook-timestamp'), signature: one('webhook-signature') },
        raw,
      );
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return;
      }
      received.push({ body: JSON.parse(raw.toString()), verified: verdict.ok });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as AddressInfo).port;
  const referenceDir = referenceFolder(({ agencies, agreements }) => {
    agencies.find((a) => a.id === 'wfg-nordsachsen').leadWebhookUrl = `http://127.0.0.1:${port}/lotse/leads`;
    // A second forwarding partner for IRL, so that a decline has somewhere to go.
    agreements.push({
      id: 'test-irl-img',
      parties: ['irl', 'img'],
      forwarding: { partnerResponseWithin: 'PT5S', decisionWithin: 'PT4S', reminderAfter: 'PT2S' },
    });
  });
  h = await startHarness({ referenceDir, env: { LOTSE_LEAD_WEBHOOK_ALLOWLIST: `http://127.0.0.1:${port}/` } });
});
afterAll(async () => {
  await h?.close();
  receiver?.close();
});

/**
 * A Leipzig project needing a large GI site with rail (below the joint-handling
 * thresholds): IRL has none, WFG Nordsachsen and IMG have.
 */
const leipzigProject = (o: Parameters<typeof enquiry>[0] = {}) =>
  enquiry({
    preferredLocations: ['14713000'],
    siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true },
    ...o,
  });

const staff = (agency: string) => h.token({ agency, sub: `staff-${agency}` });

async function stateOf(id: string, agency = 'irl') {
  const res = await h.get(`/v1/enquiries/${id}`, await staff(agency));
  expect(res.status).toBe(200);
  return res.json();
}

async function until(id: string, status: string, agency = 'irl') {
  return eventually(async () => {
    const s = await stateOf(id, agency);
    expect(s.status).toBe(status);
    return s;
  });
}

async function submit(body = leipzigProject()) {
  const res = await h.post('irl', body);
  expect(res.status).toBe(202);
  const { enquiryId } = await res.json();
  return enquiryId as string;
}

const decide = async (id: string, body: unknown, agency = 'irl', roles: ('staff' | 'manager')[] = ['staff']) =>
  h.call(`/v1/enquiries/${id}/forwarding`, body, await h.token({ agency, roles, sub: `${roles[0]}-${agency}` }));
const answer = async (id: string, what: 'accept' | 'decline', agency: string) =>
  h.call(`/v1/leads/${id}/${what}`, {}, await staff(agency));

describe('the whole forwarding path', () => {
  it('Leipzig → no IRL site → WFG Nordsachsen approved, gets the lead, accepts, settles; every event once, in order', async () => {
    const body = leipzigProject();
    const id = await submit(body);
    const waiting = await until(id, 'awaiting_forwarding_decision');
    expect(waiting.forwarding.candidates.map((c: any) => c.agency).sort()).toEqual(['img', 'wfg-nordsachsen']);
    expect(waiting.unmatchedSites.length).toBeGreaterThan(0);
    expect(waiting.unmatchedSites.every((u: any) => u.agency === 'irl' && u.reasons.length > 0)).toBe(true);
    // Staff are asked with the deadline (counted in working days): in the state with the status, and in the event.
    expect(waiting.deadlines).toEqual([expect.objectContaining({ kind: 'forwarding_decision', who: 'staff:irl' })]);
    const request = await eventually(async () => {
      const found = (await h.events(id)).find((e) => e.subject.endsWith('.forwarding_requested'));
      expect(found).toBeDefined();
      return found!;
    });
    expect(request.event.data.due).toBe(waiting.deadlines[0].due);
    // Candidates, terms and deadline came from one activity.
    const { events: history } = await h.lotse.temporal.workflow.getHandle(id).fetchHistory();
    const activities = history!.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(activities.filter((a) => a !== 'publishEvents')).toEqual(['forwardingRequest']);

    // A candidate sees nothing until the lead reaches it.
    expect((await h.get(`/v1/enquiries/${id}`, await staff('wfg-nordsachsen'))).status).toBe(404);

    const approved = await decide(id, {
      decision: 'approve',
      partners: ['wfg-nordsachsen'],
      note: 'Großfläche mit Gleis',
    });
    expect(approved.status).toBe(200);
    const offered = await until(id, 'awaiting_partner');
    expect(offered.forwarding.offers).toEqual([expect.objectContaining({ partner: 'wfg-nordsachsen', answer: null })]);

    // The lead on leads.wfg-nordsachsen: confidential without consent, so no contact data and a code name.
    const [lead] = await eventually(async () => {
      const l = await h.leads('wfg-nordsachsen', id);
      expect(l).toHaveLength(1);
      return l;
    });
    const data = lead!.event.data.lead as any;
    expect(lead!.msgId).toBe(lead!.event.id);
    expect(data).toMatchObject({
      enquiryId: id,
      partner: 'wfg-nordsachsen',
      released: false,
      contact: null,
      company: { name: expect.stringMatching(/^Projekt /) },
    });
    expect(JSON.stringify(lead!.event)).not.toContain(body.contact.email);
    expect(JSON.stringify(lead!.event)).not.toContain(body.company.name);
    expect(data.sites.length).toBeGreaterThan(0);

    // …and at the partner's webhook, signed with its secret.
    await eventually(async () => expect(received.filter((r) => r.body.enquiryId === id)).toHaveLength(1));
    const hook = received.find((r) => r.body.enquiryId === id)!;
    expect(hook.verified).toBe(true);
    expect(hook.body.contact).toBeNull();

    // WFG sees it among its leads and in the enquiry, redacted.
    const leads = await (await h.get('/v1/leads', await staff('wfg-nordsachsen'))).json();
    expect(leads.map((l: any) => l.enquiryId)).toContain(id);
    const partnerView = await stateOf(id, 'wfg-nordsachsen');
    expect(partnerView.enquiry.contact.email).not.toBe(body.contact.email);
    expect(partnerView.enquiry.company.name).toMatch(/^Projekt /);

    expect((await answer(id, 'accept', 'wfg-nordsachsen')).status).toBe(200);
    const handled = await until(id, 'in_progress');
    expect(handled.handlingAgencies).toEqual(['wfg-nordsachsen']);

    const closed = await h.call(`/v1/enquiries/${id}/close`, { outcome: 'settled' }, await staff('wfg-nordsachsen'));
    expect(closed.status).toBe(200);
    expect((await closed.json()).outcome).toBe('settled');
    await h.lotse.temporal.workflow.getHandle(id).result();

    const events = await h.events(id);
    const types = events.map((e) => e.subject.replace('enquiry.events.', '')).filter((t) => t !== 'reminder_due');
    expect(types).toEqual([
      'received',
      'jurisdiction_determined',
      'forwarding_requested',
      'forwarding_decided',
      'lead_forwarded',
      'lead_accepted',
      'closed',
    ]);
    expect(new Set(events.map((e) => e.event.id)).size).toBe(events.length);
    expect(events.find((e) => e.subject.endsWith('forwarding_decided'))!.event.data).toMatchObject({
      actor: 'user:staff-irl@irl',
      decision: 'approve',
      partners: ['wfg-nordsachsen'],
    });
    expect(events.find((e) => e.subject.endsWith('closed'))!.event.data).toMatchObject({
      outcome: 'settled',
      actor: 'user:staff-wfg-nordsachsen@wfg-nordsachsen',
    });

    // The history shows every decision with its actor.
    const timeline = await (await h.get(`/v1/enquiries/${id}/history`, await staff('irl'))).json();
    const actors = Object.fromEntries(timeline.map((e: any) => [e.type, e.actor]));
    expect(actors).toMatchObject({
      forwarding_decided: 'user:staff-irl@irl',
      lead_accepted: 'user:staff-wfg-nordsachsen@wfg-nordsachsen',
      closed: 'user:staff-wfg-nordsachsen@wfg-nordsachsen',
    });
  });
});

describe('when a partner does not take the lead', () => {
  it('a decline passes the lead to the next chosen partner', async () => {
    const id = await submit();
    await until(id, 'awaiting_forwarding_decision');
    expect((await decide(id, { decision: 'approve', partners: ['wfg-nordsachsen', 'img'] })).status).toBe(200);
    await until(id, 'awaiting_partner');
    await eventually(async () => expect(await h.leads('wfg-nordsachsen', id)).toHaveLength(1));
    expect((await answer(id, 'decline', 'wfg-nordsachsen')).status).toBe(200);
    await eventually(async () => expect(await h.leads('img', id)).toHaveLength(1));
    expect((await answer(id, 'accept', 'img')).status).toBe(200);
    const s = await until(id, 'in_progress');
    expect(s.handlingAgencies).toEqual(['img']);
    // IMG does not learn that WFG Nordsachsen was asked first.
    const imgView = await stateOf(id, 'img');
    expect(imgView.forwarding.offers.map((o: any) => o.partner)).toEqual(['img']);
    expect(imgView.forwarding.candidates.map((c: any) => c.agency)).toEqual(['img']);
    expect(s.forwarding.offers.map((o: any) => [o.partner, o.answer])).toEqual([
      ['wfg-nordsachsen', 'declined'],
      ['img', 'accepted'],
    ]);
    // Events follow the state in the background, in order.
    await eventually(async () => {
      const types = (await h.events(id))
        .map((e) => e.subject.replace('enquiry.events.', ''))
        .filter((t) => t !== 'reminder_due');
      expect(types).toEqual([
        'received',
        'jurisdiction_determined',
        'forwarding_requested',
        'forwarding_decided',
        'lead_forwarded',
        'lead_declined',
        'lead_forwarded',
        'lead_accepted',
      ]);
    });
  });

  it('silence lets the lead expire with a reminder first; none left → the responsible agency, suggested to close as no_site', async () => {
    const id = await submit();
    await until(id, 'awaiting_forwarding_decision');
    expect((await decide(id, { decision: 'approve', partners: ['img'] })).status).toBe(200);
    const s = await eventually(async () => {
      const st = await stateOf(id);
      expect(st.forwarding.offers[0]?.answer).toBe('expired');
      expect(st.status).toBe('in_progress');
      return st;
    }, 20_000);
    expect(s.handlingAgencies).toEqual(['irl']);
    expect(s.forwarding.suggestion).toBe('close_as_no_site');
    const events = await h.settledEvents(id);
    const reminder = events.find((e) => e.subject.endsWith('reminder_due') && e.event.data.about === 'lead_answer');
    expect(reminder?.event.data).toMatchObject({ to: 'staff:img' });
    expect(events.map((e) => e.subject).slice(-1)).toEqual(['enquiry.events.lead_expired']);
    // The partner that let it expire answers too late.
    expect((await answer(id, 'accept', 'img')).status).toBe(409);
    expect((await h.call(`/v1/enquiries/${id}/close`, { outcome: 'no_site' }, await staff('irl'))).status).toBe(200);
  });

  it('a rejected forwarding stays with the responsible agency', async () => {
    const id = await submit();
    await until(id, 'awaiting_forwarding_decision');
    expect((await decide(id, { decision: 'reject', note: 'Wir prüfen selbst' })).status).toBe(200);
    const s = await until(id, 'in_progress');
    expect(s.handlingAgencies).toEqual(['irl']);
    expect(s.forwarding.decision).toMatchObject({
      decision: 'reject',
      partners: [],
      actor: 'user:staff-irl@irl',
      note: 'Wir prüfen selbst',
    });
    expect(await h.leads('wfg-nordsachsen', id)).toHaveLength(0);
  });
});

describe('a waiting enquiry', () => {
  it('shows where it waits in the stack-trace query, with short stacks (workflows/stack-traces.ts)', async () => {
    const id = await submit();
    await until(id, 'awaiting_forwarding_decision');
    const trace: string = await h.lotse.temporal.workflow.getHandle(id).query('__stack_trace');
    const stacks = trace.split(/\n\s*\n/).filter((s) => s.trim());
    expect(trace).toMatch(/at awaitForwardingDecision \(.*workflows\/forwarding\.ts:\d+:\d+\)/);
    // V8 keeps 10 frames by default; a waiting condition() alone showed 8 of them.
    expect(Math.max(...stacks.map((s) => s.trim().split('\n').length))).toBeLessThanOrEqual(WORKFLOW_STACK_FRAMES);
  });
});

describe('the partner webhook', () => {
  it('is retried with backoff when the partner answers with an error, and delivered once', async () => {
    const id = await submit();
    await until(id, 'awaiting_forwarding_decision');
    failNext = 1;
    await decide(id, { decision: 'approve', partners: ['wfg-nordsachsen'] });
    await eventually(async () => expect(received.filter((r) => r.body.enquiryId === id)).toHaveLength(1), 15_000);
    expect(failNext).toBe(0);
    expect(received.find((r) => r.body.enquiryId === id)!.verified).toBe(true);
    await answer(id, 'decline', 'wfg-nordsachsen');
  });
});

describe('consent', () => {
  it('releases the full lead to the partner that holds it', async () => {
    const body = leipzigProject();
    const id = await submit(body);
    await until(id, 'awaiting_forwarding_decision');
    await decide(id, { decision: 'approve', partners: ['wfg-nordsachsen'] });
    await eventually(async () => expect(await h.leads('wfg-nordsachsen', id)).toHaveLength(1));
    const consent = { givenOn: '2026-12-01', form: 'written', note: 'Schreiben vom 1.12.' };
    expect((await h.call(`/v1/enquiries/${id}/consent`, consent, await staff('wfg-nordsachsen'))).status).toBe(403);
    const answered = await h.call(`/v1/enquiries/${id}/consent`, consent, await staff('irl'));
    expect(answered.status).toBe(200);
    expect((await answered.json()).consent).toMatchObject({
      givenOn: '2026-12-01',
      form: 'written',
      by: expect.stringMatching(/@irl$/),
      note: 'Schreiben vom 1.12.',
    });
    const leads = await eventually(async () => {
      const l = await h.leads('wfg-nordsachsen', id);
      expect(l).toHaveLength(2);
      return l;
    });
    const full = leads[1]!.event.data.lead as any;
    expect(full).toMatchObject({
      released: true,
      codeName: null,
      contact: body.contact,
      company: { name: body.company.name },
    });
    await eventually(async () =>
      expect(received.filter((r) => r.body.enquiryId === id).map((r) => r.body.released)).toEqual([false, true]),
    );
    expect((await stateOf(id, 'wfg-nordsachsen')).enquiry.contact.email).toBe(body.contact.email);
    expect((await h.call(`/v1/enquiries/${id}/consent`, consent, await staff('irl'))).status).toBe(409);
    const timeline = await (await h.get(`/v1/enquiries/${id}/history`, await staff('irl'))).json();
    const recorded = timeline.find((x: { type: string }) => x.type === 'consent_recorded');
    expect(recorded).toMatchObject({ actor: expect.stringMatching(/@irl$/), detail: { givenOn: '2026-12-01' } });
    expect(recorded.detail).toMatchObject({ form: 'written', note: 'Schreiben vom 1.12.' });
  });

  it('asks for the day (not in the future) and the form: 400 with the field, nothing recorded', async () => {
    const id = await submit(leipzigProject());
    await until(id, 'awaiting_forwarding_decision');
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    for (const [body, field] of [
      [{}, 'givenOn'],
      [{ givenOn: '2026-12-01' }, 'form'],
      [{ givenOn: tomorrow, form: 'email' }, 'givenOn'],
      [{ givenOn: '01.12.2026', form: 'email' }, 'givenOn'],
      [{ givenOn: '2026-12-01', form: 'fax' }, 'form'],
    ] as const) {
      const res = await h.call(`/v1/enquiries/${id}/consent`, body, await staff('irl'));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = await res.json();
      expect(problem.errors.map((e: { path: string }) => e.path).join(' ')).toContain(field);
    }
    expect((await stateOf(id, 'irl')).enquiry.consentToShare).toBe(false);
    // A stranger learns nothing, whatever it sends.
    expect((await h.call(`/v1/enquiries/${id}/consent`, {}, await staff('leg'))).status).toBe(404);
  });

  it('a non-confidential enquiry reaches the partner in full from the start', async () => {
    const body = leipzigProject({ confidential: false });
    const id = await submit(body);
    await until(id, 'awaiting_forwarding_decision');
    await decide(id, { decision: 'approve', partners: ['img'] });
    const [lead] = await eventually(async () => {
      const l = await h.leads('img', id);
      expect(l).toHaveLength(1);
      return l;
    });
    expect(lead!.event.data.lead).toMatchObject({ released: true, contact: body.contact });
  });
});

describe('refused decisions leave no trace', () => {
  it('wrong agency, wrong role, unknown partner, twice, wrong state: refused, history unchanged', async () => {
    const id = await submit();
    await until(id, 'awaiting_forwarding_decision');
    const handle = h.lotse.temporal.workflow.getHandle(id);
    const historyLength = async () => (await handle.fetchHistory()).events!.length;
    const timeline = async () => (await h.get(`/v1/enquiries/${id}/history`, await staff('irl'))).json();
    // The status shows before the forwarding_requested event is out: wait until the workflow rests.
    await quiescent(handle);
    const before = { events: await historyLength(), timeline: await timeline() };

    expect((await decide(id, { decision: 'approve' }, 'wfg-nordsachsen')).status).toBe(404); // candidate, not yet offered
    expect((await decide(id, { decision: 'approve' }, 'leg')).status).toBe(404); // no part in it
    expect((await decide(id, { decision: 'approve' }, 'irl', ['manager'])).status).toBe(403); // not overdue yet
    expect((await decide(id, { decision: 'approve', partners: ['leg'] })).status).toBe(400); // not a candidate
    expect((await decide(id, { decision: 'maybe' })).status).toBe(400);
    expect((await answer(id, 'accept', 'irl')).status).toBe(409); // no lead is offered
    expect((await h.call(`/v1/enquiries/${id}/close`, { outcome: 'settled' }, await staff('irl'))).status).toBe(409);
    expect((await h.call(`/v1/enquiries/${id}/forwarding`, { decision: 'approve' })).status).toBe(401);

    expect(await historyLength()).toBe(before.events);
    expect(await timeline()).toEqual(before.timeline);

    expect((await decide(id, { decision: 'reject' })).status).toBe(200);
    const again = await decide(id, { decision: 'approve' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('an overdue decision reminds staff, then lets the managers decide too', async () => {
    const id = await submit();
    await until(id, 'awaiting_forwarding_decision');
    const s = await eventually(async () => {
      const st = await stateOf(id);
      expect(st.forwarding.escalated).toBe(true);
      return st;
    }, 15_000);
    expect(s.status).toBe('awaiting_forwarding_decision');
    expect(s.deadlines.map((d: any) => [d.kind, d.who])).toEqual([
      ['forwarding_decision_overdue', 'staff:irl'],
      ['forwarding_decision_overdue', 'manager:irl'],
    ]);
    const reminders = (await h.settledEvents(id))
      .filter((e) => e.subject.endsWith('reminder_due'))
      .map((e) => e.event.data.to);
    expect(reminders).toEqual(['staff:irl', 'manager:irl']);
    expect((await decide(id, { decision: 'reject' }, 'irl', ['manager'])).status).toBe(200);
    await until(id, 'in_progress');
  });
});
