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
 * Counts a programme's figures (domain/programme-figures.ts says how) from the read model's
 * rows of the period: pure, so that the sums can be checked without a database.
 */

/** An enquiry as the figures need it: received in the period, or closed as settled in it. */
export interface ProgrammeRow {
  receivedAt: string;
  firstPlace: string | null;
  source: { channel: string; measure?: string; area?: string } | null;
  proposedPlaces: string[];
  leadPartners: string[];
  /** When it was closed as settled; null otherwise. */
  settledAt: string | null;
  jobs: number;
  investmentEur: number;
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

export function countProgramme(
  setup: ProgrammeSetup,
  rows: ProgrammeRow[],
  sites: SiteVersionRow[],
  period: { from: Date; to: Date },
): Omit<ProgrammeFigures, 'asOf'> {
  const inPeriod = (at: string | null) => !!at && Date.parse(at) >= +period.from && Date.parse(at) < +period.to;
  const measures = new Set(setup.terms.measures);
  const counted = rows.flatMap((r) => {
    const part = partOf(setup, r);
    const measure = r.source?.measure && measures.has(r.source.measure) ? r.source.measure : null;
    return part ? [{ r, part, measure, received: inPeriod(r.receivedAt), settled: inPeriod(r.settledAt) }] : [];
  });
  const byArea = (area: string) => counted.filter((c) => c.part === area);
  const areaRows: AreaFigures[] = setup.areas.map((a) => ({
    part: 'area',
    area: a.id,
    name: a.name,
    agency: setup.agencyOf[a.id] ?? null,
    ...countsOf(byArea(a.id), (c) => c.r.leadPartners.includes(setup.agencyOf[a.id] ?? '')),
    proposedSites: proposalsIn(
      rows.filter((r) => inPeriod(r.receivedAt)),
      a,
    ),
    sites: siteFigures(sites, (ags) => a.municipalities.includes(ags.slice(0, 8)), period),
  }));
  const inAnyArea = (ags: string) => setup.areas.some((a) => a.municipalities.includes(ags.slice(0, 8)));
  const rest: AreaFigures = {
    part: 'rest_of_region',
    area: null,
    name: 'übriger Landkreis',
    agency: null,
    ...countsOf(byArea(REST), (c) => c.r.leadPartners.length > 0),
    sites: siteFigures(sites, (ags) => ags.startsWith(setup.terms.region) && !inAnyArea(ags), period),
  };
  const outside: AreaFigures = {
    part: 'outside_region',
    area: null,
    name: 'außerhalb (durch Maßnahmen)',
    agency: null,
    ...countsOf(byArea(OUTSIDE), (c) => c.r.leadPartners.length > 0),
    sites: null,
  };
  const areas = [...areaRows, rest, outside];
  const lead = (c: Counted) => c.r.leadPartners.length > 0;
  const measureRows: MeasureFigures[] = [
    ...setup.terms.measures.map((code) => ({
      measure: code,
      title: setup.measures.find((m) => m.code === code)?.title ?? code,
      ...countsOf(
        counted.filter((c) => c.measure === code),
        lead,
      ),
    })),
    {
      measure: null,
      title: 'ohne Zuordnung',
      ...countsOf(
        counted.filter((c) => c.measure === null),
        lead,
      ),
    },
  ];
  return {
    programme: { id: setup.id, title: setup.terms.programme },
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    areas,
    measures: measureRows,
    channels: channels(counted.filter((c) => c.received)),
    total: sumCounts(areas),
    quarters: quarters(setup, counted, period),
  };
}

type Counted = { r: ProgrammeRow; part: string; measure: string | null; received: boolean; settled: boolean };

/**
 * Which row of the area table the enquiry counts in: the area of its first place, else the
 * area its source names, else the rest of the region; outside it only when a measure of the
 * programme brought it. Null: no enquiry of the programme.
 */
function partOf(setup: ProgrammeSetup, r: ProgrammeRow): string | null {
  const area = areaOfPlace(setup.areas, r.firstPlace ?? undefined);
  if (area) return area.id;
  const named = r.source?.area;
  if (named && setup.areas.some((a) => a.id === named)) return named;
  if (r.firstPlace?.startsWith(setup.terms.region)) return REST;
  return r.source?.measure && setup.terms.measures.includes(r.source.measure) ? OUTSIDE : null;
}

function countsOf(rows: Counted[], isLead: (c: Counted) => boolean): Counts {
  const received = rows.filter((c) => c.received);
  const settled = rows.filter((c) => c.settled);
  return {
    enquiries: received.length,
    proposedSites: received.reduce((n, c) => n + c.r.proposedPlaces.length, 0),
    leads: received.filter(isLead).length,
    settled: {
      enquiries: settled.length,
      jobs: settled.reduce((n, c) => n + c.r.jobs, 0),
      investmentEur: settled.reduce((n, c) => n + c.r.investmentEur, 0),
    },
  };
}

/** Sites in the area proposed to any enquiry received in the period. */
const proposalsIn = (received: ProgrammeRow[], area: Area) =>
  received.reduce((n, r) => n + r.proposedPlaces.filter((p) => area.municipalities.includes(p.slice(0, 8))).length, 0);

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

function channels(received: Counted[]): ProgrammeFigures['channels'] {
  const out: Record<string, number> = {};
  for (const c of received) out[c.r.source?.channel ?? 'none'] = (out[c.r.source?.channel ?? 'none'] ?? 0) + 1;
  return out as ProgrammeFigures['channels'];
}

/** "2026-Q3": the quarter (Berlin) that holds the moment. */
export function quarterOf(at: string | Date): string {
  const day = berlinDay(at);
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

function quarters(setup: ProgrammeSetup, counted: Counted[], period: { from: Date; to: Date }): QuarterFigures[] {
  const all = new Map<string, QuarterFigures>();
  const last = quarterOf(new Date(+period.to - 1));
  for (let q = quarterOf(period.from); q <= last; q = nextQuarter(q))
    all.set(q, { quarter: q, areas: Object.fromEntries(setup.areas.map((a) => [a.id, zero()])) });
  for (const c of counted) {
    // Areas only: the rest of the region and the enquiries from outside have no chart.
    const figures = (at: string) => all.get(quarterOf(at))?.areas[c.part];
    const received = c.received ? figures(c.r.receivedAt) : undefined;
    if (received) received.enquiries++;
    const settled = c.settled ? figures(c.r.settledAt!) : undefined;
    if (settled) {
      settled.settled++;
      settled.jobs += c.r.jobs;
    }
  }
  return [...all.values()];
}

const zero = () => ({ enquiries: 0, settled: 0, jobs: 0 });

function nextQuarter(q: string): string {
  const [y, n] = [Number(q.slice(0, 4)), Number(q.slice(6))];
  return n === 4 ? `${y + 1}-Q1` : `${y}-Q${n + 1}`;
}
