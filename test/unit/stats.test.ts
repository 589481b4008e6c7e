import { describe, expect, it } from 'vitest';
import { enquiryEvent, type EventType } from '../../domain/events.js';
import { calendarYear, computeStats } from '../../domain/stats.js';

const t0 = new Date('2026-11-01T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const ev = (enquiryId: string, step: number, type: EventType, minutes: number, data: Record<string, unknown>) =>
  enquiryEvent({ enquiryId, step, type, agency: 'irl', time: at(minutes), data });

const scope = () => ({ from: at(-1), to: at(60), agency: 'irl', period: 'requested' as const, listed: [] });

describe('figures from the listing and the events', () => {
  const events = [
    ev('a', 1, 'received', 0, { receivedBy: 'irl', status: 'received' }),
    ev('a', 2, 'jurisdiction_determined', 1, { responsibleAgency: 'irl', status: 'received' }),
    // Stored out of step order: the close overtook the proposal's publish.
    ev('a', 4, 'closed', 30, {
      status: 'closed',
      outcome: 'settled',
      handlingAgencies: ['irl', 'wfg-nordsachsen'],
      jobs: 400,
      investmentEur: 100,
    }),
    ev('a', 3, 'sites_proposed', 2, { status: 'in_progress' }),
    ev('b', 1, 'received', 10, { receivedBy: 'wfs', status: 'received' }),
    ev('b', 2, 'jurisdiction_determined', 11, { responsibleAgency: 'wfg-nordsachsen', status: 'received' }),
    ev('b', 3, 'closed', 20, {
      status: 'closed',
      outcome: 'settled',
      handlingAgencies: ['wfg-nordsachsen'],
      jobs: 50,
      investmentEur: 10,
    }),
    ev('c', 1, 'received', 5, { receivedBy: 'img', status: 'received' }),
  ];
  // What the manager of WFG Nordsachsen may list: a and b, not c.
  const listed = [
    { enquiryId: 'a', status: 'closed', receivedBy: 'irl', responsibleAgency: 'irl', receivedAt: null },
    { enquiryId: 'b', status: 'closed', receivedBy: 'wfs', responsibleAgency: 'wfg-nordsachsen', receivedAt: null },
  ];
  const stats = computeStats(events, {
    from: at(-1),
    to: at(60),
    agency: 'wfg-nordsachsen',
    period: 'requested',
    listed,
  });

  it('takes the status from the listing, whatever the events say', () => {
    expect(stats.byStatus).toEqual({ closed: 2 });
    const moved = computeStats(events, { ...scope(), listed: [{ ...listed[0]!, status: 'in_progress' }] });
    expect(moved.byStatus).toEqual({ in_progress: 1 });
  });
  it('counts exactly the enquiries the manager may list', () => {
    expect(stats.enquiries).toBe(2);
    expect(computeStats(events, { ...scope(), listed: [] }).enquiries).toBe(0);
  });
  it('counts an enquiry whose status changed without any event after its receipt', () => {
    const quiet = [ev('d', 1, 'received', 0, { receivedBy: 'irl', status: 'received' })];
    const s = computeStats(quiet, {
      ...scope(),
      listed: [
        { enquiryId: 'd', status: 'in_progress', receivedBy: 'irl', responsibleAgency: 'irl', receivedAt: null },
      ],
    });
    expect(s.byStatus).toEqual({ in_progress: 1 });
    expect(s.byResponsibleAgency).toEqual({ irl: 1 });
  });
  it('counts a joint project once, each agency with its share', () => {
    expect(stats.settled).toEqual({
      enquiries: 2,
      jobs: 450,
      investmentEur: 110,
      byAgency: {
        irl: { enquiries: 0.5, jobs: 200, investmentEur: 50 },
        'wfg-nordsachsen': { enquiries: 1.5, jobs: 250, investmentEur: 60 },
      },
    });
  });
  it('gives the median time from receipt to each decision', () => {
    expect(stats.medianSecondsFromReceipt.closed).toEqual({ median: (30 * 60 + 10 * 60) / 2, count: 2 });
    expect(stats.medianSecondsFromReceipt.jurisdiction_determined).toEqual({ median: 60, count: 2 });
  });
});

describe('figures over time and joint projects', () => {
  const listed = (id: string, receivedAt: string) => ({
    enquiryId: id,
    status: 'in_progress',
    receivedBy: 'irl',
    responsibleAgency: 'irl',
    receivedAt,
  });
  const year = { ...calendarYear(new Date('2026-06-01T12:00:00Z')), agency: 'irl', period: 'requested' as const };

  it('counts enquiries per Berlin month, every month of the period, empty ones too', () => {
    const s = computeStats([], {
      ...year,
      listed: [
        listed('a', '2026-01-15T10:00:00Z'),
        listed('b', '2026-01-31T23:30:00Z'), // already 1 February in Berlin
        listed('c', '2026-03-02T08:00:00Z'),
      ],
    });
    expect(Object.keys(s.receivedByMonth)).toHaveLength(12);
    expect(s.receivedByMonth['2026-01']).toBe(1);
    expect(s.receivedByMonth['2026-02']).toBe(1);
    expect(s.receivedByMonth['2026-03']).toBe(1);
    expect(s.receivedByMonth['2026-12']).toBe(0);
  });

  it('counts a project handled jointly after the vote once, and each taking part in it', () => {
    const events = [
      ev('j', 1, 'received', 0, { receivedBy: 'irl' }),
      ev('j', 2, 'jurisdiction_determined', 1, { responsibleAgency: 'irl' }),
      ev('j', 3, 'joint_handling_requested', 2, {}),
      ev('j', 4, 'joint_handling_decided', 3, { outcome: 'approve' }),
      ev('j', 5, 'lead_forwarded', 4, { partner: 'wfg-nordsachsen', because: 'joint_handling' }),
      ev('r', 1, 'received', 0, { receivedBy: 'irl' }),
      ev('r', 2, 'joint_handling_requested', 2, {}),
      ev('r', 3, 'joint_handling_decided', 3, { outcome: 'reject' }),
    ];
    const s = computeStats(events, {
      ...scope(),
      listed: [listed('j', at(0).toISOString()), listed('r', at(0).toISOString())],
    });
    expect(s.joint).toEqual({ projects: 1, byAgency: { irl: 1, 'wfg-nordsachsen': 1 } });
    expect(s.significant).toBe(2);
  });
});

describe('the default period', () => {
  it('is the calendar year in Berlin', () => {
    expect(calendarYear(new Date('2026-11-23T12:00:00Z'))).toEqual({
      from: new Date('2025-12-31T23:00:00Z'),
      to: new Date('2026-12-31T23:00:00Z'),
    });
    // 23:30 UTC on 31 December is already the new year in Berlin.
    expect(calendarYear(new Date('2026-12-31T23:30:00Z')).from).toEqual(new Date('2026-12-31T23:00:00Z'));
  });
});
