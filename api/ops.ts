import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problems } from './docs.js';
import { Health, Ready } from './schemas.js';
import type { NatsConnection } from '../infra/nats.js';
import type { ReadModel } from '../infra/read-model/index.js';
import type { Metrics } from './metrics.js';
import { Problem } from './problem.js';

const PROBE_TIMEOUT_MS = 2_000;

const op = (operationId: string, summary: string) => ({ tags: ['Operations'], operationId, summary });

export interface OpsDeps {
  temporal: Client;
  nats: NatsConnection;
  readModel: ReadModel;
  metrics: Metrics;
}

export function registerOps(root: FastifyInstance, deps: OpsDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: { ...op('healthz', 'The process is up'), response: { 200: Health } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        ...op('readyz', 'Temporal, NATS and the read model are reachable'),
        response: { 200: Ready, ...problems(503) },
      },
    },
    async () => {
      const [temporal, nats, readModel] = await Promise.all([
        probe(() => deps.temporal.workflowService.getSystemInfo({})),
        probe(() => deps.nats.rtt()),
        probe(() => deps.readModel.pool.query('select 1')),
      ]);
      if (temporal !== 'ok' || nats !== 'ok' || readModel !== 'ok') {
        throw Problem.unavailable(`temporal: ${temporal}; nats: ${nats}; read model: ${readModel}`);
      }
      return { status: 'ready' as const, temporal, nats, readModel };
    },
  );

  app.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: {
        ...op('metrics', 'Prometheus metrics (text format)'),
        response: { 200: z.string().describe('Prometheus text format') },
      },
    },
    async (_req, reply) => {
      reply.type(deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  );
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (err) {
    return (err as Error).message;
  } finally {
    clearTimeout(timer);
  }
}
