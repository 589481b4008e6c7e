import { z } from 'zod';
import { AgsPrefix, GemeindeKey } from './ags.js';

/**
 * A funding programme's monitoring (the Regionalbudget Nordsachsen): named areas (the
 * Mittelzentren with the municipalities of their Mittelbereich), the marketing measures it
 * funds, and where an enquiry came from (channel, measure, the area whose marketing brought
 * it). Reference data, edited by operators (data/areas.json, data/measures.json); the
 * agreement that runs the programme names its areas, measures and steering group.
 */

export const AreaId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,62}$/, 'must be a lower-case slug such as torgau')
  .describe('Stable area slug from data/areas.json');

export const Area = z
  .object({
    id: AreaId,
    /** What staff call it: "Torgau". */
    name: z.string().min(1).max(80),
    kind: z.enum(['mittelzentrum', 'oberzentrum', 'grundzentrum', 'other']),
    /** The municipality of the centre itself. */
    centre: GemeindeKey,
    /** Every municipality of the area, the centre's included (its Mittelbereich). */
    municipalities: z.array(GemeindeKey).min(1),
  })
  .strict()
  .refine((a) => a.municipalities.includes(a.centre), {
    message: 'must include the centre',
    path: ['municipalities'],
  });
export type Area = z.infer<typeof Area>;

export const AreasFile = z
  .object({ source: z.string().min(1).describe('where the assignment comes from'), areas: z.array(Area) })
  .strict();
export type AreasFile = z.infer<typeof AreasFile>;

export const MeasureCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/, 'must be a measure code such as RB-NOS-1')
  .describe('A marketing measure or campaign code from data/measures.json');

export const Measure = z
  .object({
    code: MeasureCode,
    title: z.string().min(1).max(120),
    programme: z.string().min(1).max(120).describe('"Regionalbudget Nordsachsen"'),
    owner: z.string().describe('the agency that runs it'),
    funding: z.object({ from: z.iso.date(), to: z.iso.date() }).strict().describe('its funding period, both days in'),
  })
  .strict();
export type Measure = z.infer<typeof Measure>;

export const MeasuresFile = z.array(Measure);

/** How the enquiry reached the agency (Eingangsweg). */
export const Channel = z.enum(['website', 'campaign_page', 'fair', 'referral', 'phone', 'other']);
export type Channel = z.infer<typeof Channel>;

/** Where an enquiry came from, as the sender tells it or staff set it; an enquiry without it is "ohne Zuordnung". */
export const Source = z
  .object({
    channel: Channel,
    measure: MeasureCode.optional().describe('the measure or campaign that brought it'),
    area: AreaId.optional().describe('the area whose marketing brought it (a landing page per Mittelzentrum)'),
  })
  .strict();
export type Source = z.infer<typeof Source>;

/** A programme's monitoring under an agreement: what its figures cover and who gets the quarterly report. */
export const MonitoringTerms = z
  .object({
    programme: z.string().min(1).max(120),
    /** The programme's region: its enquiries, sites and settlements lie in it (the county). */
    region: AgsPrefix,
    areas: z.array(AreaId).min(1),
    measures: z.array(MeasureCode),
    steeringGroup: z.object({ name: z.string().min(1), email: z.email() }).strict(),
  })
  .strict();
export type MonitoringTerms = z.infer<typeof MonitoringTerms>;

/** The area a municipality lies in (the first area that lists it); none outside every area. */
export function areaOfPlace(areas: readonly Area[], ags: string | undefined): Area | undefined {
  if (!ags || ags.length < 8) return undefined;
  const key = ags.slice(0, 8);
  return areas.find((a) => a.municipalities.includes(key));
}

/** Unknown codes in a source, as the intake and staff must be told: field path and message. */
export function unknownCodes(
  source: Source | undefined,
  known: { areas: readonly Area[]; measures: readonly Measure[] },
): { path: string[]; message: string }[] {
  const found: { path: string[]; message: string }[] = [];
  if (source?.measure && !known.measures.some((m) => m.code === source.measure))
    found.push({ path: ['source', 'measure'], message: `unknown measure "${source.measure}"` });
  if (source?.area && !known.areas.some((a) => a.id === source.area))
    found.push({ path: ['source', 'area'], message: `unknown area "${source.area}"` });
  return found;
}
