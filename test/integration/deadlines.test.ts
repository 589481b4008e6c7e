import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enquiry, eventually, referenceFolder, startHarness, type Harness } from '../harness.js';

/**
 * One rule for every wait on a person: a reminder that would fall at or after the
 * deadline is not sent; the deadline's consequence is what people hear about then.
 */

let h: Harness;
beforeAll(async () => {
  const reference = referenceFolder(({ agreements }) => {
    for (const a of agreements) {
      if (a.forwarding) a.forwarding = { partnerResponseWithin: 'PT1S', decisionWithin: 'PT1S', reminderAfter: 'PT1S' };
    }
  });
  h = await startHarness({ referenceDir: reference });
});
afterAll(async () => h?.close());

describe('a reminder at the deadline', () => {
  it('is not sent: the forwarding decision escalates to the managers, the lead expires', async () => {
    const body = enquiry({
      preferredLocations: ['14713000'],
      siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true },
    });
    const { enquiryId: id } = await (await h.post('irl', body)).json();
    const staff = await h.token({ agency: 'irl' });
    const reminders = async () =>
      (await h.events(id)).filter((e) => e.subject.endsWith('reminder_due')).map((e) => e.event.data);
    // Overdue after 1 s: only the escalation, to the managers.
    await eventually(async () => expect(await reminders()).toHaveLength(1));
    expect((await reminders())[0]).toMatchObject({ about: 'forwarding_decision', to: 'manager:irl', escalated: true });

    const res = await h.call(`/v1/enquiries/${id}/forwarding`, { decision: 'approve' }, staff);
    expect(res.status).toBe(200);
    await eventually(async () => {
      const types = (await h.events(id)).map((e) => e.subject.replace('enquiry.events.', ''));
      expect(types).toContain('lead_expired');
    });
    // The partner got no reminder at its deadline either.
    expect((await reminders()).map((r) => r.about)).toEqual(['forwarding_decision']);
  });
});
