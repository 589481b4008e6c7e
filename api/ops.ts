import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { NatsConnection } from '../infra/nats.js';
import type { Metrics } from './metrics.js';
import { Problem } from './problem.js';

const PROBE_TIMEOUT_MS = 2_000;

export function registerOps(app: FastifyInstance, deps: { temporal: Client; nats: NatsConnection; metrics: Metrics }) {
  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { access: 'public' } }, async () => {
    const [temporal, nats] = await Promise.all([
      probe(() => deps.temporal.workflowService.getSystemInfo({})),
      probe(() => deps.nats.rtt()),
    ]);
    if (temporal !== 'ok' || nats !== 'ok') throw Problem.unavailable(`temporal: ${temporal}; nats: ${nats}`);
    return { status: 'ready', temporal, nats };
  });

  app.get('/metrics', { config: { access: 'public' } }, async (_req, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
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
