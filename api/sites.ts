import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AgsPrefix } from '../domain/ags.js';
import { AgencyId, Site, Zoning } from '../domain/reference.js';
import type { SiteRegistry } from '../infra/site-registry.js';
import { callerOf, requireStaffOf } from './access.js';
import { parseOr400, Problem } from './problem.js';

export const SiteQuery = z
  .object({
    agency: AgencyId.optional(),
    ags: AgsPrefix.optional().describe('AGS prefix the site must lie in'),
    zoning: Zoning.optional(),
    minAreaM2: z.coerce.number().positive().optional(),
    rail: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  })
  .strict();

/** The body of PUT: a site; siteId and agency come from the path and the token and, if given, must agree. */
export const SiteInput = Site.extend({ siteId: Site.shape.siteId.optional(), agency: AgencyId.optional() }).strict();

export function registerSites(app: FastifyInstance, deps: { sites: SiteRegistry }) {
  const { sites } = deps;

  app.get<{ Querystring: Record<string, string> }>('/v1/sites', { config: { access: 'signed_in' } }, async (req) => {
    const q = parseOr400(SiteQuery, req.query, 'query string');
    await sites.catchUp();
    return [...sites.index.all()]
      .filter(
        (s) =>
          (!q.agency || s.agency === q.agency) &&
          (!q.ags || s.ags.startsWith(q.ags)) &&
          (!q.zoning || s.zoning === q.zoning) &&
          (q.minAreaM2 === undefined || s.areaM2 >= q.minAreaM2) &&
          (q.rail === undefined || s.railAccess === q.rail),
      )
      .sort((a, b) => a.agency.localeCompare(b.agency) || a.siteId.localeCompare(b.siteId));
  });

  app.put<{ Params: { siteId: string } }>('/v1/sites/:siteId', { config: { access: 'staff' } }, async (req, reply) => {
    const caller = callerOf(req);
    const siteId = parseOr400(Site.shape.siteId, req.params.siteId, 'site id');
    const input = parseOr400(SiteInput, req.body, 'site');
    const agency = input.agency ?? caller.agency;
    requireStaffOf(caller, agency, 'change this site');
    if (input.siteId !== undefined && input.siteId !== siteId) throw Problem.invalid('The body names another site.', [{ path: 'siteId', message: `must be "${siteId}" as in the path` }]);
    await sites.catchUp();
    const owner = sites.index.ownerOf(siteId);
    if (owner && owner !== caller.agency) throw Problem.forbidden(`Site "${siteId}" belongs to ${owner}; only its staff may change it.`);
    const site = parseOr400(Site, { ...input, siteId, agency }, 'site');
    await sites.put(site, `user:${caller.sub}@${caller.agency}`);
    await sites.catchUp();
    return reply.status(owner ? 200 : 201).send(site);
  });

  app.delete<{ Params: { siteId: string } }>('/v1/sites/:siteId', { config: { access: 'staff' } }, async (req, reply) => {
    const caller = callerOf(req);
    await sites.catchUp();
    const owner = sites.index.ownerOf(req.params.siteId);
    if (!owner) throw Problem.notFound(`There is no site "${req.params.siteId}".`);
    requireStaffOf(caller, owner, 'delete this site');
    await sites.delete(owner, req.params.siteId, `user:${caller.sub}@${caller.agency}`);
    await sites.catchUp();
    return reply.status(204).send();
  });

  app.get<{ Params: { siteId: string } }>('/v1/sites/:siteId/history', { config: { access: 'signed_in' } }, async (req) => {
    const siteId = req.params.siteId;
    const versions = Site.shape.siteId.safeParse(siteId).success ? await sites.history(siteId) : [];
    if (versions.length === 0) throw Problem.notFound(`There is no site "${siteId}".`);
    return versions;
  });
}
