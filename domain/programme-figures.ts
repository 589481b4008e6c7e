import { z } from 'zod';
import { AreaId, Channel, MeasureCode } from './programme.js';

/**
 * A programme's figures for a period (GET /v1/programmes/{id}/figures, the quarterly report):
 * per area and per measure, from the read model (infra/read-model/programme-figures.ts).
 *
 * How they count, so that they add up:
 * - An enquiry belongs to the area of its first preferred place (the place that decides the
 *   jurisdiction), or, where that lies in no area, to the area its source names. It counts in
 *   one area row at most: the area rows, the rest of the region and the enquiries from outside
 *   that a measure of the programme brought add up to the total. The same enquiries split by
 *   measure (one each, or none: "ohne Zuordnung") add up to the same total.
 * - Enquiries, proposed sites and leads count by the day the enquiry was received; a
 *   settlement by the day it was closed as settled, with its jobs and investment once,
 *   however many agencies handled it (their shares are the enquiry figures' business).
 * - A proposed site counts in the area it lies in, whichever enquiry it was proposed to.
 * - Sites: those in the registry at the period's end, their area, and what left the registry
 *   in the period (withdrawn, or made smaller: sold, let, built on).
 */

export const Settled = z.object({
  enquiries: z.int().describe('enquiries closed as settled in the period'),
  jobs: z.number(),
  investmentEur: z.number(),
});
export type Settled = z.infer<typeof Settled>;

const Counts = z.object({
  enquiries: z.int().describe('enquiries received in the period'),
  proposedSites: z.int().describe('sites proposed to them (the area row: sites in the area, to any enquiry)'),
  leads: z.int().describe('enquiries whose lead went to a partner (the area row: to the area’s agency)'),
  settled: Settled,
});
export type Counts = z.infer<typeof Counts>;

export const SiteFigures = z.object({
  count: z.int().describe('sites in the registry at the end of the period'),
  availableM2: z.number().describe('their area'),
  takenM2: z.number().describe('area that left the registry in the period (withdrawn or made smaller)'),
});
export type SiteFigures = z.infer<typeof SiteFigures>;

export const AreaFigures = Counts.extend({
  part: z.enum(['area', 'rest_of_region', 'outside_region']),
  area: AreaId.nullable().describe('null for the rest of the region and for enquiries from outside it'),
  name: z.string().describe('"Torgau", "übriger Landkreis", "außerhalb (durch Maßnahmen)"'),
  agency: z.string().nullable().describe('the agency responsible for the area (its centre)'),
  sites: SiteFigures.nullable().describe('null for enquiries from outside the region'),
});
export type AreaFigures = z.infer<typeof AreaFigures>;

export const MeasureFigures = Counts.extend({
  measure: MeasureCode.nullable().describe('null: without a measure of the programme ("ohne Zuordnung")'),
  title: z.string(),
});
export type MeasureFigures = z.infer<typeof MeasureFigures>;

export const QuarterFigures = z.object({
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/),
  /** Per area id: enquiries received and settlements closed in the quarter. */
  areas: z.record(z.string(), z.object({ enquiries: z.int(), settled: z.int(), jobs: z.number() })),
});
export type QuarterFigures = z.infer<typeof QuarterFigures>;

export const ProgrammeFigures = z.object({
  programme: z.object({ id: z.string(), title: z.string() }),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  asOf: z.iso.datetime().nullable().describe('every step of an enquiry taken up to this moment is counted'),
  areas: z.array(AreaFigures).describe('each area, then the rest of the region, then enquiries from outside'),
  measures: z.array(MeasureFigures).describe('each measure of the programme, then "ohne Zuordnung"'),
  channels: z.partialRecord(z.union([Channel, z.literal('none')]), z.int()).describe('enquiries per channel'),
  total: Counts.describe(
    'the area table’s sum; enquiries and settlements are the measure table’s too (its proposed sites and leads count per measure)',
  ),
  quarters: z.array(QuarterFigures).describe('each quarter the period touches, oldest first'),
});
export type ProgrammeFigures = z.infer<typeof ProgrammeFigures>;

/** A stored report (Kennzahlen → Berichte). */
export const ReportMeta = z.object({
  reportId: z.string().regex(/^\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}$/),
  programme: z.string(),
  title: z.string().describe('"3. Quartal 2026" or "01.03.2026 – 31.05.2026"'),
  from: z.iso.date(),
  to: z.iso.date().describe('the last day in it'),
  builtAt: z.iso.datetime(),
  trigger: z.enum(['schedule', 'on_demand']),
  files: z.array(z.object({ kind: z.enum(['pdf', 'xlsx']), name: z.string(), bytes: z.int() })),
  mailed: z.object({ to: z.string().describe('the steering group’s name'), at: z.iso.datetime() }).nullable(),
});
export type ReportMeta = z.infer<typeof ReportMeta>;

/** Sums rows' counts: the total of a table. */
export function sumCounts(rows: readonly Counts[]): Counts {
  const total: Counts = {
    enquiries: 0,
    proposedSites: 0,
    leads: 0,
    settled: { enquiries: 0, jobs: 0, investmentEur: 0 },
  };
  for (const r of rows) {
    total.enquiries += r.enquiries;
    total.proposedSites += r.proposedSites;
    total.leads += r.leads;
    total.settled.enquiries += r.settled.enquiries;
    total.settled.jobs += r.settled.jobs;
    total.settled.investmentEur += r.settled.investmentEur;
  }
  return total;
}

/** A row's counts in the order of the tables' columns: enquiries, proposed sites, leads, settlements, jobs, euro. */
export const countValues = (c: Counts) => [
  c.enquiries,
  c.proposedSites,
  c.leads,
  c.settled.enquiries,
  c.settled.jobs,
  c.settled.investmentEur,
];
