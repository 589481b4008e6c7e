import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AgsPrefix } from '../domain/ags.js';
import { personOf } from '../domain/decisions.js';
import { coversLocation } from '../domain/jurisdiction.js';
import { AgencyId, Site, SiteVersion, Zoning, type Agency } from '../domain/reference.js';
import type { SiteRegistry } from '../infra/site-registry.js';
import type { People } from '../infra/people.js';
import { callerOf, requireStaffOf } from './access.js';
import { bearer, problems } from './docs.js';
import { parseOr400, Problem } from './problem.js';
import { SiteSchema } from './schemas.js';

export const SiteQuery = z
  .object({
    agency: AgencyId.optional(),
    ags: AgsPrefix.optional().describe('AGS prefix the site must lie in'),
    zoning: Zoning.optional(),
    minAreaM2: z.coerce.number().positive().optional(),
    rail: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();

/** A site named in the path: unknown ones are a 404, as for a site that does not exist. */
const SiteParams = z.object({ siteId: z.string() });

/** The body of PUT: a site; siteId and agency come from the path and the token and, if given, must agree. */
export const SiteInput = Site.extend({ siteId: Site.shape.siteId.optional(), agency: AgencyId.optional() }).strict();

/**
 * An agency keeps the sites of its own area only: a site whose AGS lies outside what the
 * agency covers (data/agencies.json) is refused at the field, on creation and on change.
 */
function requireWithinArea(site: Site, agencies: Agency[]) {
  const owner = agencies.find((a) => a.id === site.agency);
  if (!owner || coversLocation(owner, site.ags)) return;
  throw Problem.invalid(`AGS ${site.ags} lies outside the area of ${owner.id}.`, [
    { path: 'ags', message: `outside the jurisdiction of ${owner.id} (${owner.covers.join(', ')})` },
  ]);
}

export function registerSites(
  root: FastifyInstance,
  deps: { sites: SiteRegistry; agencies: () => Agency[]; people: People },
) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { sites } = deps;

  app.get(
    '/v1/sites',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['Sites'],
        operationId: 'listSites',
        summary: 'The shared site registry, filtered',
        security: bearer,
        querystring: SiteQuery,
        response: { 200: z.array(SiteSchema), ...problems(400, 401) },
      },
    },
    async (req) => {
      const q = req.query;
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
    },
  );

  app.put(
    '/v1/sites/:siteId',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['Sites'],
        operationId: 'putSite',
        summary: 'Create or change a site (staff of the owning agency)',
        security: bearer,
        params: z.object({ siteId: Site.shape.siteId }),
        // Loose: every other header (authorization) stays as it came.
        headers: z.looseObject({
          'if-none-match': z
            .literal('*')
            .optional()
            .describe('"*": create only; a site of this id that exists is a 412, not overwritten'),
        }),
        body: SiteInput,
        response: {
          200: SiteSchema.describe('Changed'),
          201: SiteSchema.describe('Created'),
          ...problems(400, 401, 403, 412),
        },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const { siteId } = req.params;
      const input = req.body;
      const agency = input.agency ?? caller.agency;
      requireStaffOf(caller, agency, 'change this site');
      if (input.siteId !== undefined && input.siteId !== siteId)
        throw Problem.invalid('The body names another site.', [
          { path: 'siteId', message: `must be "${siteId}" as in the path` },
        ]);
      await sites.catchUp();
      const owner = sites.index.ownerOf(siteId);
      if (owner && req.headers['if-none-match'] === '*')
        throw new Problem(412, 'exists', 'Precondition failed', `Site "${siteId}" exists already.`);
      if (owner && owner !== caller.agency)
        throw Problem.forbidden(`Site "${siteId}" belongs to ${owner}; only its staff may change it.`);
      const site = parseOr400(Site, { ...input, siteId, agency }, 'site');
      requireWithinArea(site, deps.agencies());
      await sites.put(site, `user:${caller.sub}@${caller.agency}`);
      await sites.catchUp();
      return reply.status(owner ? 200 : 201).send(site);
    },
  );

  app.delete(
    '/v1/sites/:siteId',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['Sites'],
        operationId: 'deleteSite',
        summary: 'Delete a site (staff of the owning agency)',
        security: bearer,
        params: SiteParams,
        response: { 204: z.null().describe('Deleted'), ...problems(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      await sites.catchUp();
      const owner = sites.index.ownerOf(req.params.siteId);
      if (!owner) throw Problem.notFound(`There is no site "${req.params.siteId}".`);
      requireStaffOf(caller, owner, 'delete this site');
      await sites.delete(owner, req.params.siteId, `user:${caller.sub}@${caller.agency}`);
      await sites.catchUp();
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/sites/:siteId/history',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['Sites'],
        operationId: 'getSiteHistory',
        summary: 'Every version of the site, oldest first, with time and author',
        security: bearer,
        params: SiteParams,
        response: {
          200: z.array(
            SiteVersion.extend({ authorName: z.string().optional().describe('the author’s display name, if known') }),
          ),
          ...problems(401, 404),
        },
      },
    },
    async (req) => {
      const siteId = req.params.siteId;
      const versions = Site.shape.siteId.safeParse(siteId).success ? await sites.history(siteId) : [];
      if (versions.length === 0) throw Problem.notFound(`There is no site "${siteId}".`);
      return versions.map((v) => ({ ...v, ...authorName(deps.people, v.author) }));
    },
  );
}

/** The author of a version by name, where Lotse knows the person (`user:<sub>@<agency>`). */
function authorName(people: People, author: string | null) {
  const person = personOf(author);
  const name = person ? people.nameOf(person.agency, person.sub) : undefined;
  return name ? { authorName: name } : {};
}
