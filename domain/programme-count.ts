import {
  sumCounts,
  type AreaFigures,
  type Counts,
  type MeasureFigures,
  type ProgrammeFigures,
  type QuarterFigures,
  type SiteFigures,
} from './programme-figures.js';
import { areaOfPlace, type Area, type Measure, type MonitoringTerms } from './programme.js';
import { berlinDay } from './stats.js';

/**
 * Counts a programme's figures (domain/programme-figures.ts says how) from what the read model
 * sums for the period (infra/read-model/programme-figures.ts): enquiries grouped by what decides
 * where they count, so that a year of a region costs a few hundred groups, not its rows. Pure,
 * so that the sums can be checked without a database.
 */

type SourceOf = { channel: string; measure?: string; area?: string } | null;

/** Enquiries received in the period alike in what decides their row: `n` of them. */
export interface ReceivedGroup {
  firstPlace: string | null;
  source: SourceOf;
  leadPartners: string[];
  /** "2026-Q3", Berlin. */
  quarter: string;
  n: number;
  /** Sites proposed to them, together. */
  proposed: number;
}

/** Enquiries closed as settled in the period alike in what decides their row, with their jobs and investment. */
export interface SettledGroup {
  firstPlace: string | null;
  source: SourceOf;
  quarter: string;
  n: number;
  jobs: number;
  investmentEur: number;
}

/** Sites proposed to enquiries received in the period, per place (AGS). */
export interface Proposals {
  ags: string;
  n: number;
}

export interface PeriodSums {
  received: ReceivedGroup[];
  settled: SettledGroup[];
  proposals: Proposals[];
}

/** A version of a site of the registry, oldest first; a withdrawal has no ags and no area. */
export interface SiteVersionRow {
  key: string;
  at: string;
  ags: string | null;
  areaM2: number | null;
}

export interface ProgrammeSetup {
  id: string;
  terms: MonitoringTerms;
  /** The programme's areas, in the order the agreement names them. */
  areas: Area[];
  measures: Measure[];
  /** The agency responsible for each area's centre (its leads). */
  agencyOf: Record<string, string | null>;
}

const OUTSIDE = '\u0000outside';
const REST = '\u0000rest';

type Placed<T> = T & { part: string; measure: string | null };

export function countProgramme(
  setup: ProgrammeSetup,
  sums: PeriodSums,
  sites: SiteVersionRow[],
  period: { from: Date; to: Date },
): Omit<ProgrammeFigures, 'asOf'> {
  const measures = new Set(setup.terms.measures);
  const place = <T extends { firstPlace: string | null; source: SourceOf }>(g: T): Placed<T>[] => {
    const part = partOf(setup, g);
    const measure = g.source?.measure && measures.has(g.source.measure) ? g.source.measure : null;
    return part ? [{ ...g, part, measure }] : [];
  };
  const received = sums.received.flatMap(place);
  const settled = sums.settled.flatMap(place);
  const inArea = (a: Area) => (ags: string) => a.municipalities.includes(ags.slice(0, 8));
  const inAnyArea = (ags: string) => setup.areas.some((a) => inArea(a)(ags));
  const areaRows: AreaFigures[] = setup.areas.map((a) => ({
    part: 'area',
    area: a.id,
    name: a.name,
    agency: setup.agencyOf[a.id] ?? null,
    ...countsOf(
      received.filter((g) => g.part === a.id),
      settled.filter((g) => g.part === a.id),
      (g) => g.leadPartners.includes(setup.agencyOf[a.id] ?? ''),
    ),
    proposedSites: sums.proposals.filter((p) => inArea(a)(p.ags)).reduce((n, p) => n + p.n, 0),
    sites: siteFigures(sites, inArea(a), period),
  }));
  const anyLead = (g: ReceivedGroup) => g.leadPartners.length > 0;
  const rest = (part: string) =>
    countsOf(
      received.filter((g) => g.part === part),
      settled.filter((g) => g.part === part),
      anyLead,
    );
  const inRest = (ags: string) => ags.startsWith(setup.terms.region) && !inAnyArea(ags);
  const areas: AreaFigures[] = [
    ...areaRows,
    {
      part: 'rest_of_region',
      area: null,
      name: 'übriger Landkreis',
      agency: null,
      ...rest(REST),
      sites: siteFigures(sites, inRest, period),
    },
    {
      part: 'outside_region',
      area: null,
      name: 'außerhalb (durch Maßnahmen)',
      agency: null,
      ...rest(OUTSIDE),
      sites: null,
    },
  ];
  const measureRow = (code: string | null, title: string): MeasureFigures => ({
    measure: code,
    title,
    ...countsOf(
      received.filter((g) => g.measure === code),
      settled.filter((g) => g.measure === code),
      anyLead,
    ),
  });
  return {
    programme: { id: setup.id, title: setup.terms.programme },
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    areas,
    measures: [
      ...setup.terms.measures.map((c) => measureRow(c, setup.measures.find((m) => m.code === c)?.title ?? c)),
      measureRow(null, 'ohne Zuordnung'),
    ],
    channels: channels(received),
    total: sumCounts(areas),
    quarters: quarters(setup, received, settled, period),
  };
}

/**
 * Which row of the area table the enquiries count in: the area of their first place, else the
 * area their source names, else the rest of the region; outside it only when a measure of the
 * programme brought them. Null: no enquiries of the programme.
 */
function partOf(setup: ProgrammeSetup, g: { firstPlace: string | null; source: SourceOf }): string | null {
  const area = areaOfPlace(setup.areas, g.firstPlace ?? undefined);
  if (area) return area.id;
  const named = g.source?.area;
  if (named && setup.areas.some((a) => a.id === named)) return named;
  if (g.firstPlace?.startsWith(setup.terms.region)) return REST;
  return g.source?.measure && setup.terms.measures.includes(g.source.measure) ? OUTSIDE : null;
}

function countsOf(received: ReceivedGroup[], settled: SettledGroup[], isLead: (g: ReceivedGroup) => boolean): Counts {
  const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((n, r) => n + f(r), 0);
  return {
    enquiries: sum(received, (g) => g.n),
    proposedSites: sum(received, (g) => g.proposed),
    leads: sum(received.filter(isLead), (g) => g.n),
    settled: {
      enquiries: sum(settled, (g) => g.n),
      jobs: sum(settled, (g) => g.jobs),
      investmentEur: sum(settled, (g) => g.investmentEur),
    },
  };
}

/** The sites at the period's end and what left the registry in it, of the sites where `lies` holds. */
function siteFigures(versions: SiteVersionRow[], lies: (ags: string) => boolean, period: { from: Date; to: Date }) {
  const current = new Map<string, SiteVersionRow>();
  let takenM2 = 0;
  for (const v of versions) {
    const at = Date.parse(v.at);
    if (at >= +period.to) continue;
    const before = current.get(v.key);
    const wasHere = before?.ags && lies(before.ags) ? (before.areaM2 ?? 0) : 0;
    const nowHere = v.ags && lies(v.ags) ? (v.areaM2 ?? 0) : 0;
    if (at >= +period.from && before?.ags && lies(before.ags) && (!v.ags || lies(v.ags)))
      takenM2 += Math.max(0, wasHere - nowHere);
    current.set(v.key, v);
  }
  const here = [...current.values()].filter((v) => v.ags && lies(v.ags));
  const figures: SiteFigures = {
    count: here.length,
    availableM2: here.reduce((n, v) => n + (v.areaM2 ?? 0), 0),
    takenM2,
  };
  return figures;
}

function channels(received: ReceivedGroup[]): ProgrammeFigures['channels'] {
  const out: Record<string, number> = {};
  for (const g of received) out[g.source?.channel ?? 'none'] = (out[g.source?.channel ?? 'none'] ?? 0) + g.n;
  return out as ProgrammeFigures['channels'];
}

/** "2026-Q3": the quarter (Berlin) that holds the moment. */
export function quarterOf(at: string | Date): string {
  const day = berlinDay(at);
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

function quarters(
  setup: ProgrammeSetup,
  received: Placed<ReceivedGroup>[],
  settled: Placed<SettledGroup>[],
  period: { from: Date; to: Date },
): QuarterFigures[] {
  const all = new Map<string, QuarterFigures>();
  const last = quarterOf(new Date(+period.to - 1));
  for (let q = quarterOf(period.from); q <= last; q = nextQuarter(q))
    all.set(q, { quarter: q, areas: Object.fromEntries(setup.areas.map((a) => [a.id, zero()])) });
  // Areas only: the rest of the region and the enquiries from outside have no chart.
  for (const g of received) {
    const f = all.get(g.quarter)?.areas[g.part];
    if (f) f.enquiries += g.n;
  }
  for (const g of settled) {
    const f = all.get(g.quarter)?.areas[g.part];
    if (f) {
      f.settled += g.n;
      f.jobs += g.jobs;
    }
  }
  return [...all.values()];
}

const zero = () => ({ enquiries: 0, settled: 0, jobs: 0 });

function nextQuarter(q: string): string {
  const [y, n] = [Number(q.slice(0, 4)), Number(q.slice(6))];
  return n === 4 ? `${y + 1}-Q1` : `${y}-Q${n + 1}`;
}
