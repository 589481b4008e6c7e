import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * How often the event loop's delay is sampled for `lotse_nodejs_eventloop_lag_*`. prom-client's
 * 10 ms woke the process a hundred times a second even when idle: two thirds of an idle
 * service's CPU (11.7 against 3.7 ms a second on the main thread), and on a busy one a timer
 * between every two tasks. A tenth of a second still shows a loop that falls behind.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/** Prometheus metrics of one api instance (its own registry, so several can run in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lotse_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  return {
    registry,
    requests: new Histogram({
      name: 'lotse_http_request_duration_seconds',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    readModelLag: new Histogram({
      name: 'lotse_read_model_lag_seconds',
      help: 'From an event stored in the stream to its row in the read model, as this process applied it',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    intake: new Counter({
      name: 'lotse_intake_total',
      help: 'Webhook enquiries by agency and result (created, repeated, refused_<status>, error)',
      labelNames: ['agency', 'result'],
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

export function instrument(app: FastifyInstance, metrics: Metrics) {
  app.addHook('onResponse', async (req, reply) => {
    metrics.requests.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
