import type { EnquirySubmission } from './enquiry.js';
import type { SiteMatch } from './matching.js';

/**
 * An expansion of a firm already here (Bestandspflege, issue 33): routed by the firm's
 * existing site, not only by where it would like to go, and matched first against land next
 * to that site (the same municipality), then the responsible agency's other sites; where none
 * fits, it is forwarded like any enquiry.
 */

/** The firm's existing site, where the enquiry is an expansion that names one. */
export const existingSiteOf = (s: Pick<EnquirySubmission, 'kind' | 'company'>) =>
  s.kind === 'expansion' ? s.company.existingSiteAgs : undefined;

/** The locations that decide jurisdiction: the existing site first, then the wishes. */
export function routingLocations(s: Pick<EnquirySubmission, 'kind' | 'company' | 'preferredLocations'>) {
  const site = existingSiteOf(s);
  if (!site) return s.preferredLocations;
  return [site, ...(s.preferredLocations ?? []).filter((l) => l !== site)];
}

/** Sites in the existing site's municipality first, each group best first (the order `rank` gave). */
export function nextToFirst(matches: SiteMatch[], existingSite: string): SiteMatch[] {
  const near = matches.filter((m) => m.site.ags.startsWith(existingSite));
  return [...near, ...matches.filter((m) => !m.site.ags.startsWith(existingSite))];
}
