import { z } from 'zod';
import { CareTerms } from './care.js';
import { MonitoringTerms, type Area, type Measure } from './programme.js';
import { AgsPrefix, KeySuccession, Location } from './ags.js';
import { ISO_DURATION, namesAmount } from './duration.js';
import { Retention } from './retention.js';
import { AgencyCalendar, Period } from './working-days.js';

/** ISO 8601 duration without years and months (their length varies): P5D, PT2S, P1DT12H. */
export const IsoDuration = z
  .string()
  .regex(ISO_DURATION, 'must be an ISO 8601 duration such as P5D, PT12H or PT2S (no years or months)')
  .refine(namesAmount, 'must name at least one amount')
  .describe('ISO 8601 duration, e.g. P5D or PT2S');

/** Reference data: who the agencies are and what they agreed. Edited by operators, validated at start. */

export const AgencyId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,62}$/, 'must be a lower-case slug such as irl or wfg-nordsachsen')
  .describe('Stable agency slug from the reference data');
export type AgencyId = z.infer<typeof AgencyId>;

export const OfficeId = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'must be a lower-case slug such as ob-leipzig');

export const AgencyLevel = z.enum(['federal', 'state', 'region', 'county', 'intermunicipal', 'municipal']);

export const Agency = z
  .object({
    id: AgencyId,
    /** What staff call it ("IRL", "WFG Nordsachsen"): the web app shows this, the full name on hover. */
    shortName: z.string().min(1).max(40),
    name: z.string().min(1),
    level: AgencyLevel,
    // Empty: an agency that handles no enquiry (a Landratsamt reading its programme's figures).
    covers: z.array(AgsPrefix),
    parent: AgencyId.optional(),
    // https, or an operator's allowlist (LOTSE_LEAD_WEBHOOK_ALLOWLIST): checked at delivery.
    leadWebhookUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** How long the personal data of enquiries it received is kept after they closed (default P2Y, withdrawn P6M). */
    personalDataRetention: Retention.optional(),
    /** Whose holidays and which closing days count for its working-day deadlines. */
    calendar: AgencyCalendar.optional(),
    /** Where Lotse mails what waits on the agency's staff and managers (the notifier). */
    mail: z.object({ staff: z.email().optional(), manager: z.email().optional() }).strict().optional(),
  })
  .strict();
export type Agency = z.infer<typeof Agency>;

export const ForwardingTerms = z
  .object({
    partnerResponseWithin: Period,
    decisionWithin: Period,
    reminderAfter: Period,
  })
  .strict();

export type ForwardingTerms = z.infer<typeof ForwardingTerms>;

export const Office = z
  .object({
    id: OfficeId,
    title: z.string().min(1),
    agency: AgencyId,
    email: z.email().optional().describe('where Lotse mails the votes waiting on the office'),
  })
  .strict();

export const JointHandlingTerms = z
  .object({
    offices: z.array(Office).min(1),
    rule: z.enum(['all', 'majority']),
    thresholds: z
      .object({
        jobs: z.int().positive().optional(),
        investmentEur: z.number().positive().optional(),
        areaM2: z.number().positive().optional(),
      })
      .strict(),
    decisionWithin: Period,
    reminderAfter: Period,
  })
  .strict();
export type JointHandlingTerms = z.infer<typeof JointHandlingTerms>;

export const Agreement = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
    title: z.string().min(1).optional(),
    // One party is enough for an office that several municipalities set up together.
    parties: z.array(AgencyId).min(1),
    forwarding: ForwardingTerms.optional(),
    jointHandling: JointHandlingTerms.optional(),
    /** Caring for resident firms together (Bestandspflege): visit rhythm and the area (domain/care.ts). */
    care: CareTerms.optional(),
    /** A funding programme's monitoring: its areas, measures and steering group (domain/programme.ts). */
    monitoring: MonitoringTerms.optional(),
  })
  .strict();
export type Agreement = z.infer<typeof Agreement>;

export const Zoning = z.enum(['GI', 'GE', 'MI', 'SO']).describe('GI industrial, GE commercial, MI mixed, SO special');

export const Site = z
  .object({
    siteId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lower-case slug'),
    agency: AgencyId,
    ags: Location,
    name: z.string().min(1).max(200),
    areaM2: z.number().positive(),
    zoning: Zoning,
    railAccess: z.boolean(),
    motorwayKm: z.number().nonnegative(),
    powerMw: z.number().nonnegative(),
    availableFrom: z.iso.date(),
    pricePerM2Eur: z.number().nonnegative().optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
  })
  .strict();
export type Site = z.infer<typeof Site>;

/** One version of a site in the registry: who changed it when, and what it was then (null once withdrawn). */
export const SiteVersion = z.object({
  revision: z.int(),
  at: z.iso.datetime(),
  author: z.string().nullable(),
  operation: z.enum(['PUT', 'DEL', 'PURGE']),
  site: Site.nullable(),
});
export type SiteVersion = z.infer<typeof SiteVersion>;

export const AgenciesFile = z.array(Agency);
export const AgreementsFile = z.array(Agreement);
export const SitesFile = z.array(Site);
export const SuccessionsFile = z.array(KeySuccession);

export interface ReferenceData {
  agencies: Agency[];
  agreements: Agreement[];
  successions: KeySuccession[];
  /** Named areas (data/areas.json) and marketing measures (data/measures.json); none where the files are missing. */
  areas?: Area[];
  measures?: Measure[];
}

/** A problem found across files: which file, which entry, which field. */
export interface ReferenceIssue {
  file: string;
  path: (string | number)[];
  message: string;
}

/** Checks what no single schema can: unique ids and references between entries. */
export function crossCheck(ref: ReferenceData, sites: Site[] = []): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const ids = new Set<string>();
  ref.agencies.forEach((a, i) => {
    if (ids.has(a.id))
      issues.push({ file: 'agencies.json', path: [i, 'id'], message: `duplicate agency id "${a.id}"` });
    ids.add(a.id);
  });
  ref.agencies.forEach((a, i) => {
    if (a.parent && !ids.has(a.parent)) {
      issues.push({ file: 'agencies.json', path: [i, 'parent'], message: `unknown agency "${a.parent}"` });
    }
  });
  const offices = new Set<string>();
  ref.agreements.forEach((ag, i) => {
    ag.parties.forEach((p, j) => {
      if (!ids.has(p))
        issues.push({ file: 'agreements.json', path: [i, 'parties', j], message: `unknown agency "${p}"` });
    });
    ag.jointHandling?.offices.forEach((o, j) => {
      const at = [i, 'jointHandling', 'offices', j];
      if (!ag.parties.includes(o.agency)) {
        issues.push({
          file: 'agreements.json',
          path: [...at, 'agency'],
          message: `"${o.agency}" is not a party to this agreement`,
        });
      }
      if (offices.has(o.id))
        issues.push({ file: 'agreements.json', path: [...at, 'id'], message: `duplicate office id "${o.id}"` });
      offices.add(o.id);
    });
  });
  issues.push(...programmeIssues(ref, ids));
  const siteKeys = new Set<string>();
  sites.forEach((s, i) => {
    if (!ids.has(s.agency))
      issues.push({ file: 'sites.json', path: [i, 'agency'], message: `unknown agency "${s.agency}"` });
    const key = `${s.agency}.${s.siteId}`;
    if (siteKeys.has(key)) issues.push({ file: 'sites.json', path: [i, 'siteId'], message: `duplicate site "${key}"` });
    siteKeys.add(key);
  });
  return issues;
}

/** Areas, measures and the agreements' monitoring refer to each other and to agencies by id. */
function programmeIssues(ref: ReferenceData, agencyIds: Set<string>): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const areas = ref.areas ?? [];
  const measures = ref.measures ?? [];
  duplicates(areas.map((a) => a.id)).forEach((i) =>
    issues.push({ file: 'areas.json', path: ['areas', i, 'id'], message: `duplicate area id "${areas[i]!.id}"` }),
  );
  duplicates(measures.map((m) => m.code)).forEach((i) =>
    issues.push({ file: 'measures.json', path: [i, 'code'], message: `duplicate measure "${measures[i]!.code}"` }),
  );
  measures.forEach((m, i) => {
    if (!agencyIds.has(m.owner))
      issues.push({ file: 'measures.json', path: [i, 'owner'], message: `unknown agency "${m.owner}"` });
  });
  ref.agreements.forEach((ag, i) => {
    ag.monitoring?.areas.forEach((id, j) => {
      if (!areas.some((a) => a.id === id))
        issues.push({ file: 'agreements.json', path: [i, 'monitoring', 'areas', j], message: `unknown area "${id}"` });
    });
    ag.monitoring?.measures.forEach((code, j) => {
      if (!measures.some((m) => m.code === code)) {
        const path = [i, 'monitoring', 'measures', j];
        issues.push({ file: 'agreements.json', path, message: `unknown measure "${code}"` });
      }
    });
  });
  return issues;
}

/** The positions of entries whose id came before. */
function duplicates(ids: string[]): number[] {
  const seen = new Set<string>();
  return ids.flatMap((id, i) => (seen.has(id) ? [i] : (seen.add(id), [])));
}
