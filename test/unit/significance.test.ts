import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jointAgreementFor, significance, voteOutcome } from '../../domain/significance.js';
import { loadReference } from '../../infra/reference.js';
import { enquiry } from '../harness.js';

const { agreements } = loadReference(path.join(__dirname, '../../data'));
const irlWfg = jointAgreementFor(agreements, 'irl')!;
const { jobs, investmentEur, areaM2 } = irlWfg.jointHandling!.thresholds as {
  jobs: number;
  investmentEur: number;
  areaM2: number;
};
const small = {
  project: { jobs: 10, investmentEur: 1_000_000 },
  siteRequirements: { areaM2Min: 5_000, zoning: ['GE' as const] },
};
const sig = (o: { jobs?: number; investmentEur?: number; areaM2?: number }) =>
  significance(
    irlWfg,
    enquiry({
      project: {
        ...small.project,
        ...(o.jobs !== undefined ? { jobs: o.jobs } : {}),
        ...(o.investmentEur !== undefined ? { investmentEur: o.investmentEur } : {}),
      },
      siteRequirements: { ...small.siteRequirements, ...(o.areaM2 !== undefined ? { areaM2Min: o.areaM2 } : {}) },
    }),
  );

describe('regional significance', () => {
  it('finds the joint agreement for either party, and none for others', () => {
    expect(jointAgreementFor(agreements, 'wfg-nordsachsen')?.id).toBe('irl-wfg-nordsachsen');
    expect(jointAgreementFor(agreements, 'img')).toBeUndefined();
    expect(significance(undefined, enquiry())).toBeNull();
  });
  it.each([
    ['jobs', { jobs: jobs - 1 }, { jobs }, { jobs: jobs + 1 }],
    ['investmentEur', { investmentEur: investmentEur - 1 }, { investmentEur }, { investmentEur: investmentEur + 1 }],
    ['areaM2', { areaM2: areaM2 - 1 }, { areaM2 }, { areaM2: areaM2 + 1 }],
  ] as const)('%s: just below is not significant, at and above are', (threshold, below, at, above) => {
    expect(sig(below)).toBeNull();
    expect(sig(at)).toEqual({ agreementId: 'irl-wfg-nordsachsen', reached: [threshold] });
    expect(sig(above)).toEqual({ agreementId: 'irl-wfg-nordsachsen', reached: [threshold] });
  });
  it('names every threshold reached', () => {
    expect(sig({ jobs: 400, investmentEur: 120_000_000, areaM2: 250_000 })?.reached).toEqual([
      'jobs',
      'investmentEur',
      'areaM2',
    ]);
  });
});

describe('the vote', () => {
  const three = ['ob-leipzig', 'landrat-lk-leipzig', 'landrat-nordsachsen'];
  it('all: approves when every office approves, rejects at the first no', () => {
    expect(voteOutcome('all', three, { 'ob-leipzig': 'approve', 'landrat-lk-leipzig': 'approve' })).toBeNull();
    expect(
      voteOutcome('all', three, {
        'ob-leipzig': 'approve',
        'landrat-lk-leipzig': 'approve',
        'landrat-nordsachsen': 'approve',
      }),
    ).toBe('approve');
    expect(voteOutcome('all', three, { 'landrat-nordsachsen': 'reject' })).toBe('reject');
  });
  it('majority: decides as soon as the outcome is certain', () => {
    expect(voteOutcome('majority', three, { 'ob-leipzig': 'approve' })).toBeNull();
    expect(voteOutcome('majority', three, { 'ob-leipzig': 'approve', 'landrat-nordsachsen': 'approve' })).toBe(
      'approve',
    );
    expect(voteOutcome('majority', three, { 'ob-leipzig': 'reject', 'landrat-nordsachsen': 'reject' })).toBe('reject');
    expect(voteOutcome('majority', ['a', 'b', 'c', 'd'], { a: 'approve', b: 'approve' })).toBeNull();
    expect(voteOutcome('majority', ['a', 'b', 'c', 'd'], { a: 'reject', b: 'reject' })).toBe('reject');
  });
  it('counts missing votes as no at the deadline', () => {
    expect(voteOutcome('all', three, { 'ob-leipzig': 'approve', 'landrat-lk-leipzig': 'approve' }, true)).toBe(
      'reject',
    );
    expect(voteOutcome('majority', three, { 'ob-leipzig': 'approve', 'landrat-lk-leipzig': 'approve' }, true)).toBe(
      'approve',
    );
    expect(voteOutcome('majority', three, { 'ob-leipzig': 'approve' }, true)).toBe('reject');
    expect(voteOutcome('all', three, {}, true)).toBe('reject');
  });
});
