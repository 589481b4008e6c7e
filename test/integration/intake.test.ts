import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enquiryIdFor } from '../../domain/enquiry-id.js';
import { INTAKE_IDENTITY } from '../../infra/temporal.js';
import { enquiry, eventually, startHarness, type Harness } from '../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function workflowExists(agency: string, externalRef: string): Promise<boolean> {
  try {
    await h.lotse.temporal.workflow.getHandle(enquiryIdFor(agency, externalRef)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

describe('signed intake webhook', () => {
  it('accepts a valid enquiry with 202, starts one workflow and publishes received', async () => {
    const body = enquiry();
    const res = await h.post('irl', body);
    expect(res.status).toBe(202);
    const answer = await res.json();
    expect(answer).toEqual({
      enquiryId: enquiryIdFor('irl', body.externalRef),
      status: 'received',
      links: { self: `/v1/enquiries/${answer.enquiryId}` },
    });
    const events = await eventually(async () => {
      const e = await h.events(answer.enquiryId);
      expect(e.map((x) => x.event.type)).toEqual([
        'de.lotse.enquiry.received.v1',
        'de.lotse.enquiry.jurisdiction_determined.v1',
      ]);
      return e;
    });
    expect(events[0]!.event.source).toBe('urn:lotse:agency:irl');
  });

  it('answers a repeat of the same externalRef with 200 and the same enquiry: one workflow, one received event', async () => {
    const body = enquiry();
    const first = await h.post('irl', body);
    expect(first.status).toBe(202);
    const { enquiryId } = await first.json();

    const again = await h.post('irl', body);
    expect(again.status).toBe(200);
    expect((await again.json()).enquiryId).toBe(enquiryId);

    const concurrent = await Promise.all(Array.from({ length: 20 }, () => h.post('irl', body)));
    expect(concurrent.map((r) => r.status)).toEqual(Array(20).fill(200));
    const ids = new Set(await Promise.all(concurrent.map(async (r) => (await r.json()).enquiryId)));
    expect([...ids]).toEqual([enquiryId]);

    await eventually(async () =>
      expect((await h.events(enquiryId)).map((e) => e.event.type)).toContain(
        'de.lotse.enquiry.jurisdiction_determined.v1',
      ),
    );
    const received = (await h.events(enquiryId)).filter((e) => e.subject === 'enquiry.events.received');
    expect(received).toHaveLength(1);
    const runs = await h.lotse.temporal.workflow.count(`WorkflowId = '${enquiryId}'`);
    expect(runs.count).toBe(1);
  });

  it('starts exactly one enquiry when 20 copies of a new one arrive at once', async () => {
    const body = enquiry();
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.post('wfg-nordsachsen', body)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const ids = new Set(await Promise.all(answers.map(async (r) => (await r.json()).enquiryId)));
    expect(ids.size).toBe(1);
    const [enquiryId] = [...ids] as [string];
    await eventually(async () => expect((await h.events(enquiryId)).length).toBe(2));
    expect((await h.events(enquiryId)).filter((e) => e.subject === 'enquiry.events.received')).toHaveLength(1);
  });

  it('hands the first task to the worker beside the api with the start, except in a burst', async () => {
    const firstTaskTakenBy = async (enquiryId: string) => {
      await eventually(async () => expect(await h.events(enquiryId)).toHaveLength(2));
      const { events } = await h.lotse.temporal.workflow.getHandle(enquiryId).fetchHistory();
      expect(events![0]!.workflowExecutionStartedEventAttributes!.identity).toBe(INTAKE_IDENTITY);
      return events!.find((e) => e.workflowTaskStartedEventAttributes)!.workflowTaskStartedEventAttributes!.identity;
    };
    // After the tests before, whose concurrent copies count as a burst for about a second.
    await eventually(async () => expect(h.lotse.intakeGauge!.busy).toBe(false));
    const quiet = await (await h.post('irl', enquiry())).json();
    expect(await firstTaskTakenBy(quiet.enquiryId)).toBe(INTAKE_IDENTITY);

    // As many intakes in flight as a burst has, for long enough to count: the worker's slots
    // give them way, so the server keeps the first task in the task queue for a poll.
    const inFlight = Array.from({ length: 10 }, () => h.lotse.intakeGauge!.begin());
    await eventually(async () => expect(h.lotse.intakeGauge!.busy).toBe(true));
    const inBurst = await (await h.post('irl', enquiry())).json();
    for (const ended of inFlight) ended();
    expect(await firstTaskTakenBy(inBurst.enquiryId)).not.toBe(INTAKE_IDENTITY);
  });

  it('keeps the same externalRef from two agencies apart', async () => {
    const body = enquiry();
    const a = await (await h.post('irl', body)).json();
    const b = await (await h.post('wfg-nordsachsen', body)).json();
    expect(a.enquiryId).not.toBe(b.enquiryId);
    for (const id of [a.enquiryId, b.enquiryId])
      await eventually(async () => expect(await h.events(id)).toHaveLength(2));
  });
});

describe('refused requests change nothing', () => {
  const refusals: {
    name: string;
    status: number;
    send: (body: ReturnType<typeof enquiry>) => Promise<Response>;
    check?: (problem: any) => void;
  }[] = [
    {
      name: 'wrong signature',
      status: 401,
      send: (b) => h.post('irl', b, { secret: h.webhookSecrets['wfg-nordsachsen'] }),
    },
    {
      name: 'missing signature header',
      status: 401,
      send: (b) => h.post('irl', b, { headers: { 'webhook-signature': undefined } }),
    },
    { name: 'missing id header', status: 401, send: (b) => h.post('irl', b, { headers: { 'webhook-id': undefined } }) },
    {
      name: 'missing timestamp header',
      status: 401,
      send: (b) => h.post('irl', b, { headers: { 'webhook-timestamp': undefined } }),
    },
    { name: 'stale timestamp', status: 401, send: (b) => h.post('irl', b, { signedAt: Date.now() - 6 * 60_000 }) },
    {
      name: 'timestamp from the future',
      status: 401,
      send: (b) => h.post('irl', b, { signedAt: Date.now() + 6 * 60_000 }),
    },
    {
      name: 'body changed after signing',
      status: 401,
      send: async (b) => {
        const signed = await import('../../infra/webhook-signature.js');
        const raw = JSON.stringify(b);
        const headers = {
          'content-type': 'application/json',
          ...signed.signedHeaders(h.webhookSecrets.irl!, 'msg_x', raw),
        };
        return fetch(`${h.baseUrl}/v1/webhooks/irl/enquiries`, {
          method: 'POST',
          headers,
          body: raw.replace('120', '121'),
        });
      },
    },
    { name: 'unknown agency', status: 404, send: (b) => h.post('no-such-agency', b) },
    {
      name: 'invalid field',
      status: 400,
      send: (b) => h.post('irl', { ...b, siteRequirements: { ...b.siteRequirements, zoning: ['XX'] } }),
      check: (p) => expect(p.errors).toEqual([expect.objectContaining({ path: 'siteRequirements.zoning[0]' })]),
    },
    {
      name: 'unknown field',
      status: 400,
      send: (b) => h.post('irl', { ...b, company: { ...b.company, vatId: 'DE123' } }),
      check: (p) => expect(p.errors).toEqual([{ path: 'company.vatId', message: 'unknown field' }]),
    },
    {
      name: 'wrong type',
      status: 400,
      send: (b) => h.post('irl', { ...b, project: { ...b.project, jobs: 'many' } }),
      check: (p) => expect(p.errors).toEqual([expect.objectContaining({ path: 'project.jobs' })]),
    },
    {
      name: 'missing required field',
      status: 400,
      send: (b) => h.post('irl', { ...b, contact: { name: 'X' } }),
      check: (p) => expect(p.errors).toEqual([expect.objectContaining({ path: 'contact.email' })]),
    },
    {
      name: 'a location that is no AGS',
      status: 400,
      send: (b) => h.post('irl', { ...b, preferredLocations: ['1473'] }),
      check: (p) => expect(p.errors).toEqual([expect.objectContaining({ path: 'preferredLocations[0]' })]),
    },
    {
      name: 'areaM2Max below areaM2Min',
      status: 400,
      send: (b) =>
        h.post('irl', { ...b, siteRequirements: { ...b.siteRequirements, areaM2Min: 5000, areaM2Max: 1000 } }),
      check: (p) => expect(p.errors).toEqual([expect.objectContaining({ path: 'siteRequirements.areaM2Max' })]),
    },
    {
      name: 'body over 64 KiB',
      status: 413,
      send: (b) => h.post('irl', { ...b, project: { ...b.project, description: 'x'.repeat(65 * 1024) } }),
    },
    { name: 'not JSON (text/plain)', status: 415, send: (b) => h.post('irl', b, { contentType: 'text/plain' }) },
    {
      name: 'JSON content type with a broken body',
      status: 400,
      send: (b) => h.post('irl', b, { raw: `{"externalRef":"${b.externalRef}",` }),
    },
  ];

  for (const r of refusals) {
    it(`${r.name} → ${r.status}, no workflow, no event`, async () => {
      const body = enquiry();
      const res = await r.send(body);
      expect(res.status).toBe(r.status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = await res.json();
      expect(problem).toMatchObject({
        type: expect.stringMatching(/^urn:lotse:problem:/),
        title: expect.any(String),
        status: r.status,
        detail: expect.any(String),
      });
      r.check?.(problem);
      for (const agency of ['irl', 'no-such-agency'])
        expect(await workflowExists(agency, body.externalRef)).toBe(false);
      // Give a wrongly started workflow the time to publish, then look for its events.
      await new Promise((res) => setTimeout(res, 300));
      for (const agency of ['irl', 'no-such-agency']) {
        expect(await h.events(enquiryIdFor(agency, body.externalRef))).toEqual([]);
      }
    });
  }
});
