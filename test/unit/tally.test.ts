import { describe, expect, it } from 'vitest';
import { blankRow, type EnquiryRow } from '../../domain/enquiry-row.js';
import { berlinMidnight, periodPieces } from '../../domain/stats.js';
import { bucketOf, figuresOf, medianOf, tally, tallyChange, type Tally } from '../../domain/tally.js';
import { tasksOf } from '../../domain/tasks.js';

const row = (over: Partial<EnquiryRow>): EnquiryRow => ({
  ...blankRow('irl-0123456789abcdef0123', '2026-03-10T09:00:00Z'),
  receivedBy: 'irl',
  receivedAt: '2026-03-10T09:00:00.000Z',
  agencies: ['irl'],
  ...over,
});

/** The sums of tallies, per agency, as the store keeps them. */
function sums(tallies: Tally[], agency = 'irl') {
  const out = new Map<string, number>();
  for (const t of tallies) if (t.agency === agency) out.set(t.key, (out.get(t.key) ?? 0) + t.n);
  return out;
}

/** PostgreSQL's percentile_cont(0.5): the middle value, or halfway between the two middle ones. */
function exactMedian(values: number[]) {
  const v = [...values].sort((a, b) => a - b);
  const p = (v.length - 1) / 2;
  return v[Math.floor(p)]! + (v[Math.ceil(p)]! - v[Math.floor(p)]!) * (p - Math.floor(p));
}

describe('decision times as a histogram', () => {
  it('is exact below 32 ms', () => {
    const values = [0, 3, 7, 7, 12, 31];
    expect(medianOf(values.map((v) => [bucketOf(v), 1]))).toBe(exactMedian(values) / 1000);
  });

  it('keeps a median within 1.6 % above, from seconds to weeks', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 60) }, () => Math.floor(random() ** 3 * 3e9));
      const buckets = new Map<number, number>();
      for (const v of values) buckets.set(bucketOf(v), (buckets.get(bucketOf(v)) ?? 0) + 1);
      const exact = exactMedian(values);
      const got = medianOf([...buckets]) * 1000;
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(Math.max(0.5, exact / 64));
    }
  });

  it('puts each value into a bucket no wider than 1/32 of it', () => {
    for (const v of [31, 32, 33, 63, 64, 65, 1000, 2 ** 20, 2 ** 20 - 1, 2 ** 33 + 5]) {
      const lowest = bucketOf(v);
      expect(lowest).toBeLessThanOrEqual(v);
      expect(v - lowest).toBeLessThanOrEqual(Math.max(0, v / 32));
    }
  });
});

describe('what an enquiry adds to the figures', () => {
  const received = row({ status: 'received' });
  const decided = row({
    status: 'in_progress',
    responsibleAgency: 'irl',
    firstAt: { jurisdiction_determined: '2026-03-10T09:00:01.500Z' },
  });
  const settled = row({
    ...decided,
    status: 'closed',
    outcome: 'settled',
    agencies: ['irl', 'wfg-nordsachsen'],
    handlingAgencies: ['irl', 'wfg-nordsachsen'],
    joint: true,
    jointPartners: ['wfg-nordsachsen'],
    jobs: 120,
    investmentEur: 30_000_000.5,
  });

  it('is nothing before the enquiry was received', () => {
    expect(tally(blankRow('irl-0123456789abcdef0123', '2026-03-10T09:00:00Z'))).toEqual([]);
  });

  it('changes by differences that add up to what the last row adds', () => {
    const steps = [received, decided, settled];
    const added = steps.flatMap((r, i) => tallyChange(steps[i - 1], r));
    for (const agency of ['irl', 'wfg-nordsachsen']) {
      const net = [...sums(added, agency)].filter(([, n]) => n !== 0);
      expect(new Map(net)).toEqual(sums(tally(settled), agency));
    }
    expect(tallyChange(settled, settled)).toEqual([]);
  });

  it('counts a joint project once in the totals and gives each handler its share', () => {
    const f = figuresOf(sums(tally(settled)), {});
    expect(f.enquiries).toBe(1);
    expect(f.settled).toEqual({
      enquiries: 1,
      jobs: 120,
      investmentEur: 30_000_000.5,
      byAgency: {
        irl: { enquiries: 0.5, jobs: 60, investmentEur: 15_000_000.25 },
        'wfg-nordsachsen': { enquiries: 0.5, jobs: 60, investmentEur: 15_000_000.25 },
      },
    });
    expect(f.joint).toEqual({ projects: 1, byAgency: { irl: 1, 'wfg-nordsachsen': 1 } });
    expect(f.byStatus).toEqual({ closed: 1 });
    expect(f.medianSecondsFromReceipt.jurisdiction_determined).toEqual({ median: expect.closeTo(1.5, 1), count: 1 });
    expect(f.medianSecondsFromReceipt.closed).toEqual({ median: 0, count: 0 });
  });

  it('counts it on its day of receipt in Berlin', () => {
    const lateEvening = row({ receivedAt: '2026-06-30T22:30:00.000Z' });
    expect(new Set(tally(lateEvening).map((t) => t.day))).toEqual(new Set(['2026-07-01']));
  });
});

describe('a period in whole months, whole days and the rest', () => {
  const length = (p: ReturnType<typeof periodPieces>) => {
    const day = (d: string) => berlinMidnight(d).getTime();
    const nextMonth = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 1));
    return (
      p.months.reduce((s, m) => s + day(nextMonth(m).toISOString().slice(0, 10)) - day(m), 0) +
      p.days.reduce((s, d) => s + dayLength(d), 0) +
      p.partial.reduce((s, x) => s + x.to.getTime() - x.from.getTime(), 0)
    );
  };
  const dayLength = (d: string) => {
    const next = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return berlinMidnight(next).getTime() - berlinMidnight(d).getTime();
  };

  it('is twelve months for a calendar year', () => {
    const p = periodPieces(berlinMidnight('2026-01-01'), berlinMidnight('2027-01-01'));
    expect(p.months).toHaveLength(12);
    expect(p.days).toEqual([]);
    expect(p.partial).toEqual([]);
  });

  it('takes the days around the whole months, across a change of clocks', () => {
    const [from, to] = [berlinMidnight('2026-03-28'), berlinMidnight('2026-05-02')];
    const p = periodPieces(from, to);
    expect(p.months).toEqual(['2026-04-01']);
    expect(p.days).toEqual(['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31', '2026-05-01']);
    expect(length(p)).toBe(to.getTime() - from.getTime());
  });

  it('leaves the hours of a period given to the second to the enquiries themselves', () => {
    const [from, to] = [new Date('2026-10-24T10:15:00Z'), new Date('2026-11-03T08:00:00Z')];
    const p = periodPieces(from, to);
    expect(p.partial).toEqual([
      { from, to: berlinMidnight('2026-10-25') },
      { from: berlinMidnight('2026-11-03'), to },
    ]);
    expect(length(p)).toBe(to.getTime() - from.getTime());
    const within = periodPieces(new Date('2026-10-24T10:00:00Z'), new Date('2026-10-24T12:00:00Z'));
    expect(within).toEqual({ months: [], days: [], partial: [expect.any(Object)] });
  });
});

describe('the Aufgaben an enquiry gives', () => {
  const due = (who: string, at: string) => ({ who, due: at, kind: 'forwarding_decision' });

  it('gives staff and manager a task while a forwarding decision waits', () => {
    const waiting = row({
      status: 'awaiting_forwarding_decision',
      deadlines: [due('staff:irl', '2026-03-17T09:00:00Z'), due('manager:irl', '2026-03-12T09:00:00Z')],
    } as Partial<EnquiryRow>);
    const deadline = '2026-03-12T09:00:00.000Z';
    expect(tasksOf(waiting)).toEqual([
      { who: 'staff:irl', status: 'awaiting_forwarding_decision', deadline, assignee: null },
      { who: 'manager:irl', status: 'awaiting_forwarding_decision', deadline, assignee: null },
    ]);
  });

  it('names who took a staff task, and only a staff task', () => {
    const taken = row({
      status: 'awaiting_forwarding_decision',
      deadlines: [due('staff:irl', '2026-03-17T09:00:00Z'), due('manager:irl', '2026-03-12T09:00:00Z')],
      assignees: { irl: 'anna', 'wfg-nordsachsen': 'jonas' },
    } as Partial<EnquiryRow>);
    expect(tasksOf(taken).map((t) => [t.who, t.assignee])).toEqual([
      ['staff:irl', 'anna'],
      ['manager:irl', null],
    ]);
  });

  it('gives none once the enquiry is in progress', () => {
    expect(tasksOf(row({ status: 'in_progress', deadlines: [] }))).toEqual([]);
  });
});
