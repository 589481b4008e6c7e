import type { Assessment, AssessmentQuery, OwnSites, SiteQuery } from '../contract/assessment.js';
import { currentKey } from '../domain/ags.js';
import type { MatchedSite } from '../domain/enquiry.js';
import { determineJurisdiction, type Jurisdiction } from '../domain/jurisdiction.js';
import { matchSites, type SiteMatch } from '../domain/matching.js';
import { nextToFirst } from '../domain/expansion.js';
import type { Agreement } from '../domain/reference.js';
import { jointAgreementFor } from '../domain/significance.js';
import type { ReferenceStore } from '../infra/reference.js';
import type { SiteRegistry } from '../infra/site-registry.js';

/** What the registry and the reference data say about an enquiry, read as they are now. */

export const TOP_SITES = 3;
const MAX_UNMATCHED = 50;
export const today = () => new Date().toISOString().slice(0, 10);

export const siteSummary = (m: SiteMatch): MatchedSite => ({
  siteId: m.site.siteId,
  agency: m.site.agency,
  name: m.site.name,
  areaM2: m.site.areaM2,
  score: m.score,
  ags: m.site.ags,
});

/**
 * `upToDate` says how current the site index must be before a match: the worker asks the
 * registry (`catchUp`), the intake waits only for its own writes (`ownWritesSeen`).
 */
export function createAssessment(
  reference: ReferenceStore,
  sites: SiteRegistry,
  upToDate: () => Promise<void> = () => sites.catchUp(),
) {
  function jurisdictionOf(query: { receivedBy: string; preferredLocations?: string[] }): Jurisdiction {
    const { agencies, successions } = reference.get();
    return determineJurisdiction(agencies, successions, query.receivedBy, query.preferredLocations);
  }

  function jointAgreementOf(responsible: string): Agreement | null {
    return jointAgreementFor(reference.get().agreements, responsible) ?? null;
  }

  /** The agency's own sites within the locations (or all sites of several agencies). */
  function sitesFor(query: SiteQuery): OwnSites {
    const { successions } = reference.get();
    const near = query.existingSite && currentKey(query.existingSite, successions).key;
    // An expansion looks at all the agency's sites, those next to the existing site first.
    const locations = near ? undefined : query.locations?.map((l) => currentKey(l, successions).key);
    const pool = (query.agencies ?? [query.agency!]).flatMap((a) => sites.index.sitesOf(a));
    const result = matchSites(pool, query.requirements, { locations, today: today() });
    const matches = near ? nextToFirst(result.matches, near) : result.matches;
    return {
      matches: matches.slice(0, TOP_SITES).map(siteSummary),
      unmatched: result.rejected.slice(0, MAX_UNMATCHED),
    };
  }

  async function assess(query: AssessmentQuery): Promise<Assessment> {
    await upToDate();
    const jurisdiction = jurisdictionOf(query);
    const responsible = jurisdiction.responsibleAgency;
    return {
      jurisdiction,
      jointAgreement: jointAgreementOf(responsible),
      ownSites: sitesFor({
        agency: responsible,
        requirements: query.requirements,
        locations: query.preferredLocations,
        ...(query.existingSite ? { existingSite: query.existingSite } : {}),
      }),
    };
  }

  return { sitesFor, assess };
}
