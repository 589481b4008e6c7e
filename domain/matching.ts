import type { EnquirySubmission } from './enquiry.js';
import type { Site } from './reference.js';

/**
 * Site matching: hard requirements decide whether a site fits, a score ranks the
 * sites that do, and every site that does not gets the reasons why, so that staff
 * can see what to relax when nothing matched.
 */

export type Requirements = EnquirySubmission['siteRequirements'];

export const REASONS = [
  'too_small',
  'too_large',
  'wrong_zoning',
  'no_rail',
  'too_far_from_motorway',
  'not_enough_power',
  'not_available_in_time',
  'outside_preferred_locations',
] as const;
export type Reason = (typeof REASONS)[number];

export interface SiteMatch {
  site: Site;
  /** 0–100, higher is better. */
  score: number;
}

export interface Rejection {
  siteId: string;
  agency: string;
  reasons: Reason[];
}

export interface MatchResult {
  matches: SiteMatch[];
  rejected: Rejection[];
}

/** Every hard requirement the site fails; empty when it fits. */
export function reasonsAgainst(site: Site, req: Requirements, locations?: readonly string[]): Reason[] {
  const reasons: Reason[] = [];
  if (site.areaM2 < req.areaM2Min) reasons.push('too_small');
  if (req.areaM2Max !== undefined && site.areaM2 > req.areaM2Max) reasons.push('too_large');
  if (!req.zoning.includes(site.zoning)) reasons.push('wrong_zoning');
  if (req.railAccess && !site.railAccess) reasons.push('no_rail');
  if (req.maxMotorwayKm !== undefined && site.motorwayKm > req.maxMotorwayKm) reasons.push('too_far_from_motorway');
  if (req.minPowerMw !== undefined && site.powerMw < req.minPowerMw) reasons.push('not_enough_power');
  if (req.availableBy !== undefined && site.availableFrom > req.availableBy) reasons.push('not_available_in_time');
  if (locations && locations.length > 0 && !locations.some((l) => site.ags.startsWith(l)))
    reasons.push('outside_preferred_locations');
  return reasons;
}

/**
 * How well a fitting site suits: an area near what was asked for counts most, then
 * the motorway, power headroom, early availability and a rail siding nobody required.
 */
export function score(site: Site, req: Requirements, today: string): number {
  const target = req.areaM2Max !== undefined ? (req.areaM2Min + req.areaM2Max) / 2 : req.areaM2Min * 1.25;
  const areaFit = 1 - Math.min(1, Math.abs(site.areaM2 - target) / target);
  const motorway = 1 / (1 + site.motorwayKm / 10);
  const power = req.minPowerMw ? Math.min(1, site.powerMw / (2 * req.minPowerMw)) : Math.min(1, site.powerMw / 20);
  const waitDays = Math.max(0, (Date.parse(site.availableFrom) - Date.parse(today)) / 86_400_000);
  const availability = 1 - Math.min(1, waitDays / 365);
  const rail = site.railAccess ? 1 : 0;
  return Math.round(100 * (0.4 * areaFit + 0.25 * motorway + 0.15 * power + 0.15 * availability + 0.05 * rail));
}

/** Best first; equal scores by site id, so the order never depends on the registry's. */
export function rank(matches: SiteMatch[]): SiteMatch[] {
  return matches.sort((a, b) => b.score - a.score || a.site.siteId.localeCompare(b.site.siteId));
}

/** Checks every site: the baseline the index is measured against, and the explanation of a miss. */
export function matchSites(
  sites: Iterable<Site>,
  req: Requirements,
  opts: { locations?: readonly string[]; today: string },
): MatchResult {
  const matches: SiteMatch[] = [];
  const rejected: Rejection[] = [];
  for (const site of sites) {
    const reasons = reasonsAgainst(site, req, opts.locations);
    if (reasons.length === 0) matches.push({ site, score: score(site, req, opts.today) });
    else rejected.push({ siteId: site.siteId, agency: site.agency, reasons });
  }
  return { matches: rank(matches), rejected };
}
