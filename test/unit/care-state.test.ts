import { describe, expect, it } from 'vitest';
import {
  carriedOver,
  concernClosed,
  concernsOpened,
  rhythmChanged,
  startCare,
  visitCancelled,
  visitDue,
  visitPlanned,
  visitRecorded,
  visitRescheduled,
  type NewConcern,
} from '../../domain/care-state.js';

/** Where a firm's care stands, step by step, and what it hands on when its workflow continues as new (issue 33). */

const firm = {
  firmId: 'wf-burgenlandkreis-stahlbau-zeitz-gmbh',
  agency: 'wf-burgenlandkreis',
  careLevel: 'key' as const,
};
const permit: NewConcern = {
  topic: 'permit',
  handledBy: 'wf-burgenlandkreis',
  due: '2026-12-17T16:00:00.000Z',
  remindAt: '2026-12-16T16:00:00.000Z',
  openedAt: '2026-12-03T10:00:00.000Z',
  via: 'visit',
  note: 'sealed:…',
};
const visit = {
  at: '2026-09-10T08:00:00Z',
  durationMinutes: 90,
  participants: [{ agency: 'img', sub: 'img.pm' }],
};

describe('a firm’s care', () => {
  it('is due for a visit the rhythm’s months after it entered the register, unless one is planned', () => {
    const care = startCare(firm, '2026-03-01', 6);
    expect(care.nextVisitDue).toBe('2026-09-01');
    expect(visitDue(care, '2026-08-31')).toBe(false);
    expect(visitDue(care, '2026-09-01')).toBe(true);
    expect(visitDue(visitPlanned(care, visit).state, '2026-09-02')).toBe(false);
  });

  it('numbers planned visits, raises the sequence of a moved one, and forgets a cancelled one', () => {
    const first = visitPlanned(startCare(firm, '2026-03-01', 6), visit);
    const second = visitPlanned(first.state, visit);
    expect([first.visit.visitId, second.visit.visitId]).toEqual(['v1', 'v2']);
    const moved = visitRescheduled(second.state, { ...visit, visitId: 'v1', at: '2026-09-11T08:00:00Z' });
    expect(moved.plannedVisits[0]).toMatchObject({ visitId: 'v1', at: '2026-09-11T08:00:00Z', sequence: 1 });
    expect(visitCancelled(moved, 'v1').plannedVisits.map((v) => v.visitId)).toEqual(['v2']);
  });

  it('counts from the last visit and drops the planned visit it was', () => {
    const planned = visitPlanned(startCare(firm, '2026-03-01', 6), visit).state;
    const after = visitRecorded(planned, { day: '2026-09-10', visitId: 'v1' });
    expect(after).toMatchObject({ lastVisitOn: '2026-09-10', nextVisitDue: '2027-03-10', visitsRecorded: 1 });
    expect(after.plannedVisits).toEqual([]);
  });

  it('opens concerns with ids of their own, remembers who was asked, and closes one by one', () => {
    const care = startCare(firm, '2026-03-01', 6);
    const { state, opened } = concernsOpened(care, [permit, { ...permit, handledBy: 'img' }]);
    expect(opened.map((c) => [c.concernId, c.reminded, c.overdue])).toEqual([
      ['c1', false, false],
      ['c2', false, false],
    ]);
    expect(state.concernAgencies).toEqual(['img', 'wf-burgenlandkreis']);
    const again = concernsOpened(concernClosed(state, 'c1'), [permit]).state;
    expect(again.openConcerns.map((c) => c.concernId)).toEqual(['c2', 'c3']);
    expect(again.concernAgencies).toEqual(['img', 'wf-burgenlandkreis']);
  });

  it('moves nothing for a report of an earlier visit, and follows a new rhythm from the last visit', () => {
    const care = visitRecorded(startCare(firm, '2026-03-01', 6), { day: '2026-09-10' });
    const late = visitRecorded(care, { day: '2026-05-01' });
    // Reported from before the firm entered the register: the next visit is due from that visit.
    expect(visitRecorded(startCare(firm, '2026-03-01', 6), { day: '2025-01-10' }).nextVisitDue).toBe('2025-07-10');
    expect(late).toMatchObject({ lastVisitOn: '2026-09-10', nextVisitDue: '2027-03-10', visitsRecorded: 2 });
    expect(rhythmChanged(care, 'regular', 24)).toMatchObject({ careLevel: 'regular', nextVisitDue: '2028-09-10' });
  });

  it('announces a due visit again only for a new due day', () => {
    const announced = { ...startCare(firm, '2026-03-01', 6), dueAnnounced: true };
    expect(rhythmChanged(announced, 'key', 6).dueAnnounced).toBe(true);
    // Saved without a change of rhythm, a visit not yet due stays not due.
    expect(rhythmChanged(startCare(firm, '2026-03-01', 6), 'key', 6).dueAnnounced).toBe(false);
    expect(visitRecorded(announced, { day: '2026-09-10' }).dueAnnounced).toBe(false);
  });

  it('hands everything on to the next run, which counts itself', () => {
    const ten = Array.from({ length: 20 }, (_, i) => `${2027 + Math.floor(i / 2)}-${i % 2 ? '09' : '03'}-15`);
    const care = ten.reduce((s, day) => visitRecorded(s, { day }), startCare(firm, '2026-12-01', 6));
    const next = carriedOver(care);
    expect(next).toEqual({ ...care, run: 2 });
    expect(next).toMatchObject({ visitsRecorded: 20, lastVisitOn: '2036-09-15', nextVisitDue: '2037-03-15' });
    expect(JSON.stringify(next).length).toBeLessThan(10_000);
  });
});
