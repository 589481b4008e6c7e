import { describe, expect, it } from 'vitest';
import { refuseVisitPlan, refuseVisitReport, VisitPlan, VisitReport } from '../../domain/visits.js';

/** A visit planned ahead with the carers' people, reported afterwards with its concerns (issue 33). */

const now = new Date('2026-12-07T10:00:00Z');
const img = { agency: 'img', sub: 'lea.wagner' };
const blk = { agency: 'wf-burgenlandkreis', sub: 'paul.richter' };
const carers = ['wf-burgenlandkreis', 'img'];

describe('planning a visit', () => {
  const plan = VisitPlan.parse({ at: '2026-12-10T09:00:00+01:00', participants: [img, blk] });

  it('takes a joint visit still to come, ninety minutes unless said', () => {
    expect(plan.durationMinutes).toBe(90);
    expect(refuseVisitPlan(plan, now, carers)).toBeNull();
  });

  it('refuses one in the past, and a participant of an agency that does not care for the firm', () => {
    expect(refuseVisitPlan({ ...plan, at: '2026-12-01T09:00:00+01:00' }, now, carers)).toMatch(/still to come/);
    const irl = { agency: 'irl', sub: 'anna' };
    expect(refuseVisitPlan({ ...plan, participants: [blk, irl] }, now, carers)).toMatch(/not irl/);
  });
});

describe('reporting a visit', () => {
  const report = VisitReport.parse({
    at: '2026-12-03T09:00:00+01:00',
    participants: [img, blk],
    topics: ['expansion', 'permit'],
    concerns: [{ topic: 'permit', handledBy: 'wf-burgenlandkreis', note: 'Bauvoranfrage Halle 3 beschleunigen' }],
  });

  it('takes a visit that took place, with concerns for agencies of the agreements', () => {
    expect(refuseVisitReport(report, now, carers)).toBeNull();
  });

  it('refuses a report of a visit still to come, and a concern for an agency outside the agreements', () => {
    expect(refuseVisitReport({ ...report, at: '2026-12-09T09:00:00Z' }, now, carers)).toMatch(/once it took place/);
    const elsewhere = { ...report.concerns[0]!, handledBy: 'irl' };
    expect(refuseVisitReport({ ...report, concerns: [elsewhere] }, now, carers)).toMatch(/not irl/);
  });

  it('refuses a topic off the list', () => {
    expect(VisitReport.safeParse({ ...report, topics: ['Kaffee'] }).success).toBe(false);
  });
});
