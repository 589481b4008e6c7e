import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { calendarYear, computeStats, type Listed } from '../domain/stats.js';
import { readEventsSince } from '../infra/event-log.js';
import type { NatsConnection } from '../infra/nats.js';
import { callerOf } from './access.js';
import { bearer, problems } from './docs.js';
import { listQuery, Moment } from './listing.js';
import { StatsSchema } from './schemas.js';
import { everyOne, type VisibilityDeps } from './visibility.js';

/** Figures for managers: of the enquiries they may list (listing.ts), and from the events. */

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
  .refine((q) => q.from < q.to, { message: 'must be after from', path: ['to'] });

export interface StatsDeps extends VisibilityDeps {
  nats: NatsConnection;
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
      const q = req.query;
      const caller = callerOf(req);
      const listed: Listed[] = [];
      const query = listQuery(deps.taskQueue, caller, { from: q.from, to: q.to });
      for await (const e of everyOne(deps.temporal, query, 1000)) {
        const { enquiryId, receivedBy, responsibleAgency, receivedAt } = e;
        const status = e.status ?? 'received';
        listed.push({ enquiryId, status, receivedBy: receivedBy ?? '', responsibleAgency, receivedAt });
      }
      const events = await readEventsSince(deps.nats, q.from);
      return computeStats(events, { ...q, agency: caller.agency, listed });
    },
  );
}
