import type { Site } from '../domain/reference.js';
import type { KV } from './nats.js';

/** The shared site registry: one KV key per site, `<agencyId>.<siteId>`. */

export const siteKey = (site: Pick<Site, 'agency' | 'siteId'>) => `${site.agency}.${site.siteId}`;

/** Seeds the registry from the sample sites while it holds none; an edited registry is never overwritten. */
export async function seedSitesIfEmpty(kv: KV, sites: Site[]): Promise<number> {
  const keys = await kv.keys();
  for await (const _ of keys) return 0;
  for (const site of sites) await kv.create(siteKey(site), JSON.stringify(site));
  return sites.length;
}
