import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AreaId, MeasureCode, type Area, type Measure } from '../domain/programme.js';
import { AgencyId, OfficeId, type Agency, type Agreement } from '../domain/reference.js';
import { bearer, problems } from './docs.js';
import { named } from './schemas.js';

/**
 * The names the web app shows instead of Lotse's codes: every agency by its short and full
 * name, every office that votes by its title. Reference data, the same for every signed-in
 * caller; no mail addresses, webhooks or areas (those stay with operators).
 */

export const ReferenceNames = named(
  'ReferenceNames',
  z.object({
    agencies: z.array(
      z.object({
        id: AgencyId,
        shortName: z.string().describe('what staff call it: "IRL", "WFG Nordsachsen"'),
        name: z.string().describe('the full name: "Invest Region Leipzig GmbH"'),
      }),
    ),
    offices: z.array(
      z.object({
        id: OfficeId,
        title: z.string().describe('"Oberbürgermeister der Stadt Leipzig"'),
        agency: AgencyId.describe('the agency the office belongs to'),
      }),
    ),
    areas: z.array(z.object({ id: AreaId, name: z.string().describe('"Torgau"') })),
    measures: z.array(
      z.object({
        code: MeasureCode,
        title: z.string().describe('"Ansiedlungskampagne"'),
        programme: z.string().describe('"Regionalbudget Nordsachsen"'),
      }),
    ),
  }),
  {
    description: 'Agencies and offices by name (data/agencies.json, data/agreements.json)',
    examples: [
      {
        agencies: [{ id: 'irl', shortName: 'IRL', name: 'Invest Region Leipzig GmbH' }],
        offices: [{ id: 'ob-leipzig', title: 'Oberbürgermeister der Stadt Leipzig', agency: 'irl' }],
        areas: [{ id: 'torgau', name: 'Torgau' }],
        measures: [{ code: 'RB-NOS-1', title: 'Ansiedlungskampagne', programme: 'Regionalbudget Nordsachsen' }],
      },
    ],
  },
);
export type ReferenceNames = z.infer<typeof ReferenceNames>;

export interface ReferenceDeps {
  agencies: () => Agency[];
  agreements: () => Agreement[];
  areas: () => Area[];
  measures: () => Measure[];
}

/** The names, read from the reference data as it is now (operators may edit it without a restart). */
export function referenceNames(
  agencies: Agency[],
  agreements: Agreement[],
  areas: Area[],
  measures: Measure[],
): ReferenceNames {
  const offices = new Map<string, ReferenceNames['offices'][number]>();
  // An office votes under one agreement; listed once even if an operator names it twice.
  for (const o of agreements.flatMap((a) => a.jointHandling?.offices ?? []))
    if (!offices.has(o.id)) offices.set(o.id, { id: o.id, title: o.title, agency: o.agency });
  return {
    agencies: agencies.map(({ id, shortName, name }) => ({ id, shortName, name })),
    offices: [...offices.values()],
    areas: areas.map(({ id, name }) => ({ id, name })),
    measures: measures.map(({ code, title, programme }) => ({ code, title, programme })),
  };
}

export function registerReference(root: FastifyInstance, deps: ReferenceDeps) {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/v1/reference',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['Reference'],
        operationId: 'getReferenceNames',
        summary: 'Agencies, offices, areas and measures by name, for showing them instead of their ids',
        security: bearer,
        response: { 200: ReferenceNames, ...problems(401) },
      },
    },
    async (_req, reply) => {
      // Changes only when an operator edits the reference data: a tab may keep it a few minutes.
      reply.header('cache-control', 'private, max-age=300');
      return referenceNames(deps.agencies(), deps.agreements(), deps.areas(), deps.measures());
    },
  );
}
