import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENQUIRY_EVENTS_STREAM } from '../../domain/events.js';
import { CloudEventSchema } from '../../domain/cloud-event.js';
import { enquiry, eventually, startHarness, type Harness } from '../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('enquiry events on JetStream', () => {
  it('are CloudEvents 1.0 stored under Nats-Msg-Id = id, in order, without contact data', async () => {
    const body = enquiry({ preferredLocations: ['14628130'] });
    const { enquiryId } = await (await h.post('wfs', body)).json();
    const stored = await eventually(async () => {
      const e = await h.events(enquiryId);
      expect(e).toHaveLength(2);
      return e;
    });
    expect(stored.map((s) => s.subject)).toEqual(['enquiry.events.received', 'enquiry.events.jurisdiction_determined']);
    for (const s of stored) {
      expect(CloudEventSchema.safeParse(s.event).success).toBe(true);
      expect(s.msgId).toBe(s.event.id);
      expect(s.event.subject).toBe(enquiryId);
      const text = JSON.stringify(s.event);
      for (const secret of [body.contact.email, body.contact.name, body.company.name, body.contact.phone!])
        expect(text).not.toContain(secret);
    }
    const [received, jurisdiction] = stored as [(typeof stored)[0], (typeof stored)[0]];
    expect(received.event).toMatchObject({
      source: 'urn:lotse:agency:wfs',
      data: { enquiryId, receivedBy: 'wfs', kind: 'new_settlement', status: 'received' },
    });
    expect(jurisdiction.event).toMatchObject({
      source: 'urn:lotse:agency:kks-osterzgebirge',
      data: {
        enquiryId,
        responsibleAgency: 'kks-osterzgebirge',
        rule: 'most_specific_coverage',
        coveredBy: '14628130',
        status: 'received',
        actor: 'system',
      },
    });
    expect(Date.parse(jurisdiction.event.time)).toBeGreaterThanOrEqual(Date.parse(received.event.time));
  });

  it('are the same when the intake could not assess the enquiry and its workflow did', async () => {
    const submission = {
      preferredLocations: ['14730'],
      siteRequirements: { areaM2Min: 3_000, zoning: ['GE' as const] },
    };
    const { enquiryId } = await (await h.post('irl', enquiry(submission))).json();
    const unassessed = await h.startUnassessed('irl', enquiry(submission));
    const settled = async (id: string) => {
      const events = await h.settledEvents(id);
      // Each batch's summary tells where the enquiry stood when it went out: the batches differ, the end not.
      const { asOf: _, receivedAt: __, ...last } = events.at(-1)!.event.data.summary as Record<string, unknown>;
      const steps = events.map((e) => ({ subject: e.subject, data: { ...e.event.data, enquiryId: undefined } }));
      return { steps: steps.map((e) => ({ ...e, data: { ...e.data, summary: undefined } })), last };
    };
    const assessed = await settled(enquiryId);
    expect(assessed.steps.map((e) => e.subject)).toContain('enquiry.events.sites_proposed');
    expect(await settled(unassessed)).toEqual(assessed);
    // The intake's assessment spared the workflow its activity task.
    const activities = async (id: string) =>
      (await h.lotse.temporal.workflow.getHandle(id).fetchHistory()).events!.filter(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'assessEnquiry',
      ).length;
    expect([await activities(enquiryId), await activities(unassessed)]).toEqual([0, 1]);
  });

  it('reports a republish of the same event as duplicate and does not store it twice', async () => {
    const { enquiryId } = await (await h.post('irl', enquiry())).json();
    const [first] = await eventually(async () => {
      const e = await h.events(enquiryId);
      expect(e).toHaveLength(2);
      return e;
    });
    const js = jetstream(h.lotse.nats);
    const ack = await js.publish(first!.subject, JSON.stringify(first!.event), { msgID: first!.event.id });
    expect(ack.duplicate).toBe(true);
    expect(ack.seq).toBe(first!.seq);
    expect(await h.events(enquiryId)).toHaveLength(2);
  });

  it('keeps the stream durable with a duplicate window long enough for a NATS outage', async () => {
    const jsm = await jetstreamManager(h.lotse.nats);
    const { config } = await jsm.streams.info(ENQUIRY_EVENTS_STREAM);
    expect(config.storage).toBe('file');
    expect(config.duplicate_window).toBeGreaterThanOrEqual(60 * 60 * 1e9);
    expect(config.subjects).toEqual(['enquiry.events.>']);
  });
});
