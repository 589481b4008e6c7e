import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ProgrammeSetup } from '../domain/programme-count.js';
import { programmeSetup, type ProgrammeReference } from '../domain/programme-setup.js';
import { programmeCsv } from '../domain/programme-csv.js';
import { ProgrammeFigures } from '../domain/programme-figures.js';
import { AreaId, MeasureCode } from '../domain/programme.js';
import { programmeFigures } from '../infra/read-model/programme-figures.js';
import type { ReadModel } from '../infra/read-model/index.js';
import { callerOf } from './access.js';
import type { Caller } from './auth.js';
import { bearer, problems } from './docs.js';
import { Problem } from './problem.js';
import { named } from './schemas.js';
import { StatsQuery } from './stats.js';
import { berlinDay } from '../domain/stats.js';

/**
 * A funding programme's figures per area and measure (the Regionalbudget Nordsachsen), for the
 * managers of the agencies party to the agreement that runs it; anyone else learns of none.
 */

export type { ProgrammeReference };

export interface ProgrammeDeps {
  readModel: ReadModel;
  reference: () => ProgrammeReference;
}

const ProgrammeList = named(
  'Programmes',
  z.object({
    items: z.array(
      z.object({
        id: z.string().describe('the agreement that runs it'),
        title: z.string().describe('"Regionalbudget Nordsachsen"'),
        steeringGroup: z.string().describe('who gets the quarterly report'),
        areas: z.array(z.object({ id: AreaId, name: z.string() })),
        measures: z.array(z.object({ code: MeasureCode, title: z.string() })),
      }),
    ),
  }),
  { description: 'The programmes whose figures the caller’s agency reads' },
);

const ProgrammeParams = z.object({ programme: z.string().max(64) });

/** The programme's setup, when the caller's agency is party to it; else 404, as for one that does not exist. */
export function programmeFor(ref: ProgrammeReference, caller: Caller, id: string): ProgrammeSetup {
  const party = ref.agreements.some((a) => a.id === id && a.parties.includes(caller.agency));
  const setup = party ? programmeSetup(ref, id) : undefined;
  if (!setup) throw Problem.notFound(`There is no programme "${id}" for agency "${caller.agency}".`);
  return setup;
}

/** The programme's figures for the period, counted from the read model. */
export async function figuresOf(readModel: ReadModel, setup: ProgrammeSetup, from: Date, to: Date) {
  const [figures, asOf] = await Promise.all([programmeFigures(readModel.db, setup, from, to), readModel.asOf()]);
  return { ...figures, asOf };
}

export function registerProgrammes(root: FastifyInstance, deps: ProgrammeDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/v1/programmes',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['Managers'],
        operationId: 'listProgrammes',
        summary: 'The funding programmes (Regionalbudget) whose figures the manager’s agency reads',
        security: bearer,
        response: { 200: ProgrammeList, ...problems(401, 403) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const ref = deps.reference();
      const items = ref.agreements
        .filter((a) => a.monitoring && a.parties.includes(caller.agency))
        .map((a) => programmeFor(ref, caller, a.id))
        .map((p) => ({
          id: p.id,
          title: p.terms.programme,
          steeringGroup: p.terms.steeringGroup.name,
          areas: p.areas.map((a) => ({ id: a.id, name: a.name })),
          measures: p.measures.map((m) => ({ code: m.code, title: m.title })),
        }));
      return { items };
    },
  );
  const figures = async (
    req: FastifyRequest,
    asked: { params: { programme: string }; query: { from: Date; to: Date } },
  ) => {
    const setup = programmeFor(deps.reference(), callerOf(req), asked.params.programme);
    return figuresOf(deps.readModel, setup, asked.query.from, asked.query.to);
  };
  const common = {
    config: { access: 'manager' as const },
  };
  app.get(
    '/v1/programmes/:programme/figures',
    {
      ...common,
      schema: {
        tags: ['Managers'],
        operationId: 'getProgrammeFigures',
        summary: 'A programme’s figures per area (Mittelzentrum) and measure for a period (default: this year)',
        security: bearer,
        params: ProgrammeParams,
        querystring: StatsQuery,
        response: { 200: named('ProgrammeFigures', ProgrammeFigures), ...problems(400, 401, 403, 404, 503) },
      },
    },
    async (req) => figures(req, req),
  );
  app.get(
    '/v1/programmes/:programme/figures.csv',
    {
      ...common,
      schema: {
        tags: ['Managers'],
        operationId: 'getProgrammeFiguresCsv',
        summary: 'The same figures as a CSV file (German headings, semicolons, byte order mark)',
        security: bearer,
        params: ProgrammeParams,
        querystring: StatsQuery,
        response: { 200: z.string().describe('text/csv'), ...problems(400, 401, 403, 404, 503) },
      },
    },
    async (req, reply) => {
      const found = await figures(req, req);
      const days = `${berlinDay(found.from)}-bis-${berlinDay(new Date(Date.parse(found.to) - 1))}`;
      const name = `kennzahlen-${req.params.programme}-${days}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(programmeCsv(found));
    },
  );
}
