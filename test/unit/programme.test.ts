import { describe, expect, it } from 'vitest';
import { loadReference } from '../../infra/reference.js';
import { countProgramme, quarterOf, type PeriodSums, type SiteVersionRow } from '../../domain/programme-count.js';
import { programmeSetup } from '../../domain/programme-setup.js';
import { quarterlyPeriod, periodOf } from '../../domain/report-period.js';
import { calendarOf, isWorkingDay } from '../../domain/working-days.js';
import { unknownCodes } from '../../domain/programme.js';
import path from 'node:path';

const ref = loadReference(path.join(__dirname, '../../data'));
const setup = programmeSetup(ref, 'regionalbudget-nordsachsen')!;
const q3 = { from: new Date('2026-06-30T22:00:00Z'), to: new Date('2026-09-30T22:00:00Z') };

/** An enquiry as the read model holds it, for the test: what its groups are summed from. */
interface ProgrammeRow {
  receivedAt: string;
  firstPlace: string | null;
  source: { channel: string; measure?: string; area?: string } | null;
  proposedPlaces: string[];
  leadPartners: string[];
  settledAt: string | null;
  jobs: number;
  investmentEur: number;
}

/** What PostgreSQL sums (infra/read-model/programme-figures.ts), one group per enquiry. */
function sums(rows: ProgrammeRow[], period = q3): PeriodSums {
  const inPeriod = (at: string | null) => !!at && Date.parse(at) >= +period.from && Date.parse(at) < +period.to;
  const received = rows.filter((r) => inPeriod(r.receivedAt));
  const proposals = new Map<string, number>();
  for (const p of received.flatMap((r) => r.proposedPlaces)) proposals.set(p, (proposals.get(p) ?? 0) + 1);
  return {
    received: received.map((r) => ({
      firstPlace: r.firstPlace,
      source: r.source,
      leadPartners: r.leadPartners,
      quarter: quarterOf(r.receivedAt),
      n: 1,
      proposed: r.proposedPlaces.length,
    })),
    settled: rows.filter((r) => inPeriod(r.settledAt)).map((r) => ({ ...r, quarter: quarterOf(r.settledAt!), n: 1 })),
    proposals: [...proposals].map(([ags, n]) => ({ ags, n })),
  };
}

const row = (over: Partial<ProgrammeRow>): ProgrammeRow => ({
  receivedAt: '2026-08-03T08:00:00Z',
  firstPlace: null,
  source: null,
  proposedPlaces: [],
  leadPartners: [],
  settledAt: null,
  jobs: 0,
  investmentEur: 0,
  ...over,
});

describe('a programme’s figures (Regionalbudget Nordsachsen)', () => {
  it('knows its five Mittelzentren, its measures and the agency of each area', () => {
    expect(setup.areas.map((a) => a.name)).toEqual(['Torgau', 'Delitzsch', 'Eilenburg', 'Oschatz', 'Schkeuditz']);
    expect(setup.measures.map((m) => m.code)).toEqual(['RB-NOS-1', 'RB-NOS-2']);
    expect(Object.values(setup.agencyOf)).toEqual(Array(5).fill('wfg-nordsachsen'));
  });

  it('counts each enquiry in one area by its first place, else its source’s area; the rows add up to the total', () => {
    const rows = [
      row({ firstPlace: '14730310', source: { channel: 'campaign_page', measure: 'RB-NOS-1' } }),
      // Bad Düben lies in Delitzsch's Mittelbereich; its second place does not count twice.
      row({ firstPlace: '14730020', source: { channel: 'website' } }),
      row({ firstPlace: '14713000', source: { channel: 'fair', measure: 'RB-NOS-1', area: 'oschatz' } }),
      // In the county but in no area: the rest of the region.
      row({ firstPlace: '14730', leadPartners: ['irl'] }),
      // Leipzig, brought by the campaign: outside the region, counted for the measure.
      row({ firstPlace: '14713000', source: { channel: 'campaign_page', measure: 'RB-NOS-1' } }),
      // Leipzig without a measure: no enquiry of the programme.
      row({ firstPlace: '14713000' }),
      // Settled in the quarter, received before it: its settlement counts, not its receipt.
      row({
        firstPlace: '14730270',
        receivedAt: '2026-02-01T09:00:00Z',
        settledAt: '2026-09-01T09:00:00Z',
        jobs: 120,
        investmentEur: 8e6,
      }),
    ];
    const f = countProgramme(setup, sums(rows), [], q3);
    const byName = Object.fromEntries(f.areas.map((a) => [a.name, a]));
    expect(byName.Torgau!.enquiries).toBe(1);
    expect(byName.Delitzsch!.enquiries).toBe(1);
    expect(byName.Oschatz!.enquiries).toBe(1);
    expect(byName.Schkeuditz!.enquiries).toBe(0);
    expect(byName.Schkeuditz!.settled).toEqual({ enquiries: 1, jobs: 120, investmentEur: 8e6 });
    expect(byName['übriger Landkreis']!.enquiries).toBe(1);
    expect(byName['übriger Landkreis']!.leads).toBe(1);
    expect(byName['außerhalb (durch Maßnahmen)']!.enquiries).toBe(1);
    expect(f.total.enquiries).toBe(5);
    const measures = Object.fromEntries(f.measures.map((m) => [m.measure ?? 'none', m.enquiries]));
    expect(measures).toEqual({ 'RB-NOS-1': 3, 'RB-NOS-2': 0, none: 2 });
    expect(f.measures.reduce((n, m) => n + m.enquiries, 0)).toBe(f.total.enquiries);
    expect(f.measures.reduce((n, m) => n + m.settled.jobs, 0)).toBe(f.total.settled.jobs);
    expect(f.channels).toEqual({ campaign_page: 2, website: 1, fair: 1, none: 1 });
    expect(f.quarters.map((q) => q.quarter)).toEqual(['2026-Q3']);
    expect(f.quarters[0]!.areas.torgau).toEqual({ enquiries: 1, settled: 0, jobs: 0 });
    expect(f.quarters[0]!.areas.schkeuditz).toEqual({ enquiries: 0, settled: 1, jobs: 120 });
  });

  it('counts proposed sites in the area they lie in, whichever enquiry they were proposed to', () => {
    const rows = [row({ firstPlace: '14713000', proposedPlaces: ['14730310', '14730310', '14713000'] })];
    const f = countProgramme(setup, sums(rows), [], q3);
    expect(f.areas.find((a) => a.area === 'torgau')!.proposedSites).toBe(2);
  });

  it('counts the registry’s sites at the period’s end and what left it in the period', () => {
    const v = (key: string, at: string, ags: string | null, areaM2: number | null): SiteVersionRow => ({
      key,
      at,
      ags,
      areaM2,
    });
    const sites = [
      v('wfg.torgau-a', '2026-01-01T00:00:00Z', '14730310', 300_000),
      v('wfg.torgau-b', '2026-01-01T00:00:00Z', '14730310', 50_000),
      // Partly sold in the quarter, then withdrawn in the quarter: 100,000 + 200,000 m² left.
      v('wfg.torgau-a', '2026-08-01T00:00:00Z', '14730310', 200_000),
      v('wfg.torgau-a', '2026-09-01T00:00:00Z', null, null),
      // After the period: not seen.
      v('wfg.torgau-b', '2026-11-01T00:00:00Z', null, null),
    ];
    const torgau = countProgramme(setup, sums([]), sites, q3).areas.find((a) => a.area === 'torgau')!;
    expect(torgau.sites).toEqual({ count: 1, availableM2: 50_000, takenM2: 300_000 });
  });

  it('names the quarter of a moment in Berlin', () => {
    expect(quarterOf('2026-09-30T22:30:00Z')).toBe('2026-Q4');
    expect(quarterOf('2026-12-31T22:59:00Z')).toBe('2026-Q4');
    expect(quarterOf('2026-12-31T23:00:00Z')).toBe('2027-Q1');
  });
});

describe('the quarterly report’s period', () => {
  const sachsen = calendarOf({ covers: ['14730'] });
  const working = (d: string) => isWorkingDay(d, sachsen);

  it('is the quarter just ended, on the first working day of the next one only', () => {
    expect(quarterlyPeriod('2026-10-01', working)).toEqual({
      reportId: '2026-07-01_2026-09-30',
      from: '2026-07-01',
      to: '2026-09-30',
      title: '3. Quartal 2026',
    });
    expect(quarterlyPeriod('2026-10-02', working)).toBeNull();
    // 1 January is a holiday, 2 January 2027 a Saturday: the first working day is Monday the 4th.
    expect(quarterlyPeriod('2027-01-01', working)).toBeNull();
    expect(quarterlyPeriod('2027-01-04', working)?.title).toBe('4. Quartal 2026');
    expect(quarterlyPeriod('2027-01-04', working)?.from).toBe('2026-10-01');
  });

  it('names a period that is no quarter by its days', () => {
    expect(periodOf('2026-03-01', '2026-05-31').title).toBe('01.03.2026 – 31.05.2026');
    expect(periodOf('2026-01-01', '2026-03-31').title).toBe('1. Quartal 2026');
  });
});

describe('a source’s codes', () => {
  it('are checked against the reference data', () => {
    expect(unknownCodes({ channel: 'fair', measure: 'RB-NOS-1', area: 'torgau' }, ref)).toEqual([]);
    expect(unknownCodes({ channel: 'fair', measure: 'RB-NOS-9', area: 'torgua' }, ref)).toEqual([
      { path: ['source', 'measure'], message: 'unknown measure "RB-NOS-9"' },
      { path: ['source', 'area'], message: 'unknown area "torgua"' },
    ]);
  });
});
