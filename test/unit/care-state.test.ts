import { describe, expect, it } from 'vitest';
import {
  carriedOver,
  concernClosed,
  rhythmChanged,
  startCare,
  visitDue,
  visitRecorded,
} from '../../domain/care-state.js';

/** Where a firm's care stands, step by step, and what it hands on when its workflow continues as new (issue 33). */

const firm = {
  firmId: 'wf-burgenlandkreis-stahlbau-zeitz-gmbh',
  agency: 'wf-burgenlandkreis',
  careLevel: 'key' as const,
};
const permit = { topic: 'permit' as const, handledBy: 'wf-burgenlandkreis', due: '2026-12-17T16:00:00.000Z' };

describe('a firm’s care', () => {
  it('is due for a visit the rhythm’s months after it entered the register, unless one is planned', () => {
    const care = startCare(firm, '2026-03-01', 6);
    expect(care.nextVisitDue).toBe('2026-09-01');
    expect(visitDue(care, '2026-08-31')).toBe(false);
    expect(visitDue(care, '2026-09-01')).toBe(true);
    const planned = { ...care, plannedVisits: [{ visitId: 'v1', at: '2026-09-10T08:00:00Z', participants: [] }] };
    expect(visitDue(planned, '2026-09-02')).toBe(false);
  });

  it('counts from the last visit, opens its concerns with ids of their own, and drops the planned visit it was', () => {
    const planned = {
      ...startCare(firm, '2026-03-01', 6),
      plannedVisits: [{ visitId: 'v1', at: '2026-09-10T08:00:00Z', participants: [] }],
    };
    const after = visitRecorded(planned, { day: '2026-09-10', visitId: 'v1', concerns: [permit, permit] });
    expect(after).toMatchObject({ lastVisitOn: '2026-09-10', nextVisitDue: '2027-03-10', visitsRecorded: 1 });
    expect(after.plannedVisits).toEqual([]);
    expect(after.openConcerns.map((c) => c.concernId)).toEqual([`${firm.firmId}-c1`, `${firm.firmId}-c2`]);
    const answered = concernClosed(after, `${firm.firmId}-c1`);
    const again = visitRecorded(answered, { day: '2026-10-01', concerns: [permit] });
    expect(again.openConcerns.map((c) => c.concernId)).toEqual([`${firm.firmId}-c2`, `${firm.firmId}-c3`]);
  });

  it('moves nothing for a report of an earlier visit, and follows a new rhythm from the last visit', () => {
    const care = visitRecorded(startCare(firm, '2026-03-01', 6), { day: '2026-09-10', concerns: [] });
    const late = visitRecorded(care, { day: '2026-05-01', concerns: [] });
    expect(late).toMatchObject({ lastVisitOn: '2026-09-10', nextVisitDue: '2027-03-10', visitsRecorded: 2 });
    expect(rhythmChanged(care, 'regular', 24)).toMatchObject({ careLevel: 'regular', nextVisitDue: '2028-09-10' });
  });

  it('hands everything on to the next run, which counts itself', () => {
    const ten = Array.from({ length: 20 }, (_, i) => `${2027 + Math.floor(i / 2)}-${i % 2 ? '09' : '03'}-15`);
    const care = ten.reduce(
      (s, day) => visitRecorded(s, { day, concerns: [permit] }),
      startCare(firm, '2026-12-01', 6),
    );
    const next = carriedOver(care);
    expect(next).toEqual({ ...care, run: 2 });
    expect(next).toMatchObject({ visitsRecorded: 20, lastVisitOn: '2036-09-15', nextVisitDue: '2037-03-15' });
    expect(JSON.stringify(next).length).toBeLessThan(10_000);
  });
});
