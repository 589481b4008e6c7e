import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { firmFigures } from '../infra/read-model/firm-figures.js';
import type { ReadModel } from '../infra/read-model/index.js';
import { callerOf } from './access.js';
import { bearer, problems } from './docs.js';
import { readModelProblem } from './problem.js';
import { named } from './schemas.js';
import { StatsQuery } from './stats.js';

/** Kennzahlen of Bestandspflege for the caller's agency, for a period (default: this calendar year). */

const FirmStats = named(
  'FirmStats',
  z.object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    agency: z.string(),
    visitsByQuarter: z
      .array(z.object({ quarter: z.string().describe('YYYY-Qn'), agency: z.string(), visits: z.int() }))
      .describe('visits that took place in the period, by quarter and the agency that reported them'),
    concernsByTopic: z
      .array(
        z.object({
          topic: z.string(),
          opened: z.int(),
          answered: z.int(),
          medianDays: z.number().nullable().describe('from opened to answered or handed on, of those answered'),
        }),
      )
      .describe('concerns opened in the period'),
    expansions: z
      .array(
        z.object({
          outcome: z.string().describe('the enquiry’s outcome, or open'),
          projects: z.int(),
          jobs: z.int().describe('jobs created (neu)'),
          jobsSecured: z.int().describe('jobs secured (gesichert)'),
        }),
      )
      .describe('expansion projects started in the period'),
  }),
);

export function registerFirmStats(root: FastifyInstance, deps: { readModel: ReadModel }) {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/v1/firm-stats',
    {
      config: { access: 'staff_or_manager' },
      schema: {
        tags: ['Firms'],
        operationId: 'getFirmStats',
        summary: 'Kennzahlen of Bestandspflege: visits per quarter and agency, concerns per topic, expansion projects',
        security: bearer,
        querystring: StatsQuery,
        response: { 200: FirmStats, ...problems(400, 401, 403, 503) },
      },
    },
    async (req) => {
      const { from, to } = req.query;
      const { agency } = callerOf(req);
      try {
        const found = await firmFigures(deps.readModel.db, agency, from, to);
        return { from: from.toISOString(), to: to.toISOString(), agency, ...found };
      } catch (err) {
        throw readModelProblem(err) ?? err;
      }
    },
  );
}
