import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendarYear, LONGEST_PERIOD_YEARS } from '../domain/stats.js';
import type { ReadModel } from '../infra/read-model/index.js';
import { figures } from '../infra/read-model/figures.js';
import { callerOf } from './access.js';
import { bearer, problems } from './docs.js';
import { Moment } from './listing.js';
import { StatsSchema } from './schemas.js';

/** Figures for managers: of the enquiries they may list (listing.ts), from the read model. */

export const StatsQuery = z
  .object({
    from: Moment.optional().describe('received at or after; default: 1 January of this year (Europe/Berlin)'),
    to: Moment.optional().describe('received before; default: 1 January of the next year'),
  })
  .strict()
  .transform((q) => {
    const year = calendarYear(q.from ?? q.to ?? new Date());
    return {
      from: q.from ?? year.from,
      to: q.to ?? year.to,
      period: q.from || q.to ? ('requested' as const) : ('calendar_year_default' as const),
    };
  })
  .refine((q) => q.from < q.to, { message: 'must be after from', path: ['to'] })
  .refine((q) => q.to.getTime() - q.from.getTime() <= LONGEST_PERIOD_YEARS * 366 * 24 * 3600_000, {
    message: `the period must not be longer than ${LONGEST_PERIOD_YEARS} years`,
    path: ['to'],
  });

export interface StatsDeps {
  readModel: ReadModel;
}

export function registerStats(root: FastifyInstance, deps: StatsDeps) {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/v1/stats',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['Managers'],
        operationId: 'getStats',
        summary: 'Figures of the enquiries the manager may list, received in the period (default: this calendar year)',
        security: bearer,
        querystring: StatsQuery,
        response: { 200: StatsSchema, ...problems(400, 401, 403, 503) },
      },
    },
    async (req) => {
      const { from, to, period } = req.query;
      const { agency } = callerOf(req);
      const asOf = await deps.readModel.asOf();
      const found = await figures(deps.readModel.db, agency, from, to);
      return { from: from.toISOString(), to: to.toISOString(), period, agency, asOf, ...found };
    },
  );
}
