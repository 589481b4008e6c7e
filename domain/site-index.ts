import { rank, reasonsAgainst, score, type Requirements, type SiteMatch } from './matching.js';
import type { Site } from './reference.js';

/**
 * The registry in memory, for matching without scanning every site: per agency and
 * zoning, sites sorted by area, so a match looks only at sites of the right agency,
 * zoning and size and checks the remaining requirements on those.
 */
export class SiteIndex {
  /** agency → zoning → sites sorted by area (ascending). */
  private readonly shelves = new Map<string, Map<string, Site[]>>();
  private readonly byKey = new Map<string, Site>();

  get size(): number {
    return this.byKey.size;
  }

  /** Every site of one agency, in no particular order. */
  sitesOf(agency: string): Site[] {
    return [...(this.shelves.get(agency)?.values() ?? [])].flat();
  }

  /** Every site, for listing; in no particular order. */
  all(): IterableIterator<Site> {
    return this.byKey.values();
  }

  /** The agency that holds a site with this id, if any does. */
  ownerOf(siteId: string): string | undefined {
    for (const site of this.byKey.values()) if (site.siteId === siteId) return site.agency;
    return undefined;
  }

  upsert(site: Site): void {
    this.remove(site.agency, site.siteId);
    this.byKey.set(`${site.agency}.${site.siteId}`, site);
    const zones = this.shelves.get(site.agency) ?? new Map<string, Site[]>();
    this.shelves.set(site.agency, zones);
    const shelf = zones.get(site.zoning) ?? [];
    zones.set(site.zoning, shelf);
    shelf.splice(firstAtLeast(shelf, site.areaM2), 0, site);
  }

  remove(agency: string, siteId: string): void {
    const old = this.byKey.get(`${agency}.${siteId}`);
    if (!old) return;
    this.byKey.delete(`${agency}.${siteId}`);
    const shelf = this.shelves.get(agency)?.get(old.zoning);
    if (shelf) shelf.splice(shelf.indexOf(old), 1);
  }

  /** The sites of these agencies that meet every requirement, best first. */
  match(
    agencies: readonly string[],
    req: Requirements,
    opts: { locations?: readonly string[]; today: string },
  ): SiteMatch[] {
    const matches: SiteMatch[] = [];
    for (const agency of agencies) {
      const zones = this.shelves.get(agency);
      if (!zones) continue;
      for (const zoning of req.zoning) {
        const shelf = zones.get(zoning);
        if (!shelf) continue;
        for (let i = firstAtLeast(shelf, req.areaM2Min); i < shelf.length; i++) {
          const site = shelf[i]!;
          if (req.areaM2Max !== undefined && site.areaM2 > req.areaM2Max) break;
          if (reasonsAgainst(site, req, opts.locations).length === 0)
            matches.push({ site, score: score(site, req, opts.today) });
        }
      }
    }
    return rank(matches);
  }
}

/** Index of the first site with at least this area (binary search). */
function firstAtLeast(shelf: Site[], area: number): number {
  let lo = 0;
  let hi = shelf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (shelf[mid]!.areaM2 < area) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
