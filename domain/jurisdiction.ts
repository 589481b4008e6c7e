import { z } from 'zod';
import { currentKey, type KeySuccession } from './ags.js';
import { AgencyId, type Agency } from './reference.js';

/**
 * Which agency is responsible for an enquiry: the most specific one whose
 * jurisdiction covers the preferred location (longest AGS prefix). Without a
 * location, or where no agency covers it, the receiving agency keeps it.
 */
export const Jurisdiction = z.object({
  responsibleAgency: AgencyId,
  rule: z.enum(['most_specific_coverage', 'no_location_given', 'location_not_covered']),
  /** The preferred location that decided, as the enquiry gave it. */
  location: z.string().optional(),
  /** The same location after old keys were replaced by their successors. */
  currentLocation: z.string().optional(),
  /** The AGS prefix of the responsible agency that covers the location. */
  coveredBy: z.string().optional(),
  /** Old→new key replacements applied, e.g. "14374060→14730070 (Delitzsch, since 2008-08-01)". */
  successions: z.array(z.string()).optional(),
});
export type Jurisdiction = z.infer<typeof Jurisdiction>;

export function determineJurisdiction(
  agencies: readonly Agency[],
  successions: readonly KeySuccession[],
  receivedBy: string,
  preferredLocations: readonly string[] = [],
): Jurisdiction {
  const location = preferredLocations[0];
  if (location === undefined) return { responsibleAgency: receivedBy, rule: 'no_location_given' };

  const current = currentKey(location, successions);
  const replaced = current.via.map((s) => `${s.old}→${s.new} (${s.name}, since ${s.since})`);
  const found = mostSpecificCoverage(agencies, current.key);
  const where = {
    location,
    ...(replaced.length > 0 ? { currentLocation: current.key, successions: replaced } : {}),
  };
  if (!found) return { responsibleAgency: receivedBy, rule: 'location_not_covered', ...where };
  return { responsibleAgency: found.agency.id, rule: 'most_specific_coverage', coveredBy: found.prefix, ...where };
}

/** Whether the location (an AGS of 2, 5 or 8 digits) lies in what the agency covers. */
export function coversLocation(agency: Pick<Agency, 'covers'>, location: string): boolean {
  return agency.covers.some((prefix) => location.startsWith(prefix));
}

/** Lower in the hierarchy is more specific: it wins when two agencies cover the same prefix. */
const LEVEL_RANK: Record<Agency['level'], number> = {
  municipal: 0,
  intermunicipal: 1,
  county: 2,
  region: 3,
  state: 4,
  federal: 5,
};

/**
 * A location lies within a prefix when it starts with it. A Land-level location
 * ("14") is not covered by a county agency, only by agencies covering the whole Land.
 * Longest prefix first; on a tie (GTAI and WFS both cover "14") the lower level.
 */
function mostSpecificCoverage(agencies: readonly Agency[], location: string) {
  let best: { agency: Agency; prefix: string } | undefined;
  for (const agency of agencies) {
    for (const prefix of agency.covers) {
      if (!location.startsWith(prefix)) continue;
      const better =
        !best ||
        prefix.length > best.prefix.length ||
        (prefix.length === best.prefix.length && LEVEL_RANK[agency.level] < LEVEL_RANK[best.agency.level]);
      if (better) best = { agency, prefix };
    }
  }
  return best;
}
