import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enquiry, eventually, referenceFolder, startHarness, type Harness } from '../harness.js';

/**
 * A decision answers with the state after it took effect (status, handling agencies,
 * the vote's outcome), not the state before: no second GET needed to see what happened.
 */

let h: Harness;
const longDeadlines = referenceFolder(({ agreements }) => {
  for (const a of agreements)
    if (a.forwarding) a.forwarding = { partnerResponseWithin: 'P5D', decisionWithin: 'P2D', reminderAfter: 'P1D' };
});
beforeAll(async () => {
  h = await startHarness({ referenceDir: longDeadlines });
});
afterAll(async () => h?.close());

const irl = () => h.token({ agency: 'irl' });
const wfg = () => h.token({ agency: 'wfg-nordsachsen' });
const noOwnSite = {
  preferredLocations: ['14713000'],
  siteRequirements: { areaM2Min: 90_000, zoning: ['GI' as const], railAccess: true },
};

async function submitUntil(body: ReturnType<typeof enquiry>, status: string): Promise<string> {
  const { enquiryId } = await (await h.post('irl', body)).json();
  const token = await irl();
  await eventually(async () =>
    expect((await (await h.get(`/v1/enquiries/${enquiryId}`, token)).json()).status).toBe(status),
  );
  return enquiryId;
}

async function decide(url: string, body: unknown, token: string) {
  const res = await h.call(url, body, token);
  expect(res.status, url).toBe(200);
  return res.json();
}

describe('a decision answers with the state after it', () => {
  it('approving forwarding answers awaiting_partner with the offer; the partner accepting answers in_progress, handled by it', async () => {
    const id = await submitUntil(enquiry(noOwnSite), 'awaiting_forwarding_decision');
    const approved = await decide(`/v1/enquiries/${id}/forwarding`, { decision: 'approve' }, await irl());
    expect(approved.status).toBe('awaiting_partner');
    expect(approved.forwarding.offers).toEqual([expect.objectContaining({ partner: 'wfg-nordsachsen', answer: null })]);
    expect(approved.deadlines).toEqual([
      expect.objectContaining({ kind: 'lead_answer', who: 'staff:wfg-nordsachsen' }),
    ]);

    const accepted = await decide(`/v1/leads/${id}/accept`, {}, await wfg());
    expect(accepted).toMatchObject({ status: 'in_progress', handlingAgencies: ['wfg-nordsachsen'], deadlines: [] });
    // The partner's answer is redacted as its GET would be: no contact data before consent.
    expect(JSON.stringify(accepted)).not.toContain('Erika');
    expect(accepted.enquiry.codeName).toMatch(/^Projekt /);
  });

  it('declining, with no partner left, answers in_progress at the responsible agency', async () => {
    const id = await submitUntil(enquiry(noOwnSite), 'awaiting_forwarding_decision');
    await decide(`/v1/enquiries/${id}/forwarding`, { decision: 'approve' }, await irl());
    const declined = await decide(`/v1/leads/${id}/decline`, { note: 'keine Fläche' }, await wfg());
    expect(declined.status).toBe('in_progress');
    expect(declined.forwarding.offers).toEqual([
      expect.objectContaining({ partner: 'wfg-nordsachsen', answer: 'declined' }),
    ]);
    const irlView = await (await h.get(`/v1/enquiries/${id}`, await irl())).json();
    expect(irlView).toMatchObject({ status: 'in_progress', handlingAgencies: ['irl'] });
  });

  it('rejecting forwarding answers in_progress; closing answers closed', async () => {
    const id = await submitUntil(enquiry(noOwnSite), 'awaiting_forwarding_decision');
    expect(await decide(`/v1/enquiries/${id}/forwarding`, { decision: 'reject' }, await irl())).toMatchObject({
      status: 'in_progress',
      deadlines: [],
    });
    expect(await decide(`/v1/enquiries/${id}/close`, { outcome: 'no_site' }, await irl())).toMatchObject({
      status: 'closed',
      outcome: 'no_site',
    });
  });

  it('the deciding vote answers with the outcome in effect: approved, in progress, handled by both', async () => {
    const big = enquiry({ preferredLocations: ['14713000'], project: { jobs: 400, investmentEur: 120_000_000 } });
    const id = await submitUntil(big, 'awaiting_joint_decision');
    const vote = async (office: string, agency: string) =>
      decide(
        `/v1/enquiries/${id}/joint-handling/votes`,
        { office, decision: 'approve' },
        await h.token({ agency, roles: [], offices: [office] }),
      );
    const first = await vote('ob-leipzig', 'irl');
    expect(first).toMatchObject({ status: 'awaiting_joint_decision', jointHandling: { status: 'voting' } });
    expect(first.jointHandling.votes).toHaveLength(1);
    await vote('landrat-lk-leipzig', 'irl');
    const last = await vote('landrat-nordsachsen', 'wfg-nordsachsen');
    expect(last).toMatchObject({
      status: 'in_progress',
      handlingAgencies: ['irl', 'wfg-nordsachsen'],
      jointHandling: { status: 'approved' },
    });
    expect(last.jointHandling.votes).toHaveLength(3);
  });
});
