import { describe, expect, it } from 'vitest';
import { enquiryEvent, type EventType } from '../../domain/events.js';
import { computeStats } from '../../domain/stats.js';

const t0 = new Date('2026-11-01T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const ev = (enquiryId: string, step: number, type: EventType, minutes: number, data: Record<string, unknown>) =>
  enquiryEvent({ enquiryId, step, type, agency: 'irl', time: at(minutes), data });

describe('figures from the events', () => {
  const events = [
    ev('a', 1, 'received', 0, { receivedBy: 'irl', status: 'received' }),
    ev('a', 2, 'jurisdiction_determined', 1, { responsibleAgency: 'irl', status: 'received' }),
    // Stored out of step order: the close overtook the proposal's publish.
    ev('a', 4, 'closed', 30, { status: 'closed', outcome: 'settled', handlingAgencies: ['irl', 'wfg-nordsachsen'], jobs: 400, investmentEur: 100 }),
    ev('a', 3, 'sites_proposed', 2, { status: 'in_progress' }),
    ev('b', 1, 'received', 10, { receivedBy: 'wfs', status: 'received' }),
    ev('b', 2, 'jurisdiction_determined', 11, { responsibleAgency: 'wfg-nordsachsen', status: 'received' }),
    ev('b', 3, 'closed', 20, { status: 'closed', outcome: 'settled', handlingAgencies: ['wfg-nordsachsen'], jobs: 50, investmentEur: 10 }),
    ev('c', 1, 'received', 5, { receivedBy: 'img', status: 'received' }),
  ];
  const stats = computeStats(events, { from: at(-1), to: at(60), agency: 'wfg-nordsachsen' });

  it('takes the status of the latest step, whatever the order in the stream', () => {
    expect(stats.byStatus).toEqual({ closed: 2 });
  });
  it('counts only enquiries the agency had a part in', () => {
    expect(stats.enquiries).toBe(2);
  });
  it('counts a joint project once, each agency with its share', () => {
    expect(stats.settled).toEqual({
      enquiries: 2,
      jobs: 450,
      investmentEur: 110,
      byAgency: { irl: { enquiries: 0.5, jobs: 200, investmentEur: 50 }, 'wfg-nordsachsen': { enquiries: 1.5, jobs: 250, investmentEur: 60 } },
    });
  });
  it('gives the median time from receipt to each decision', () => {
    expect(stats.medianSecondsFromReceipt.closed).toEqual({ median: (30 * 60 + 10 * 60) / 2, count: 2 });
    expect(stats.medianSecondsFromReceipt.jurisdiction_determined).toEqual({ median: 60, count: 2 });
  });
});
