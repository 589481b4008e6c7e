import type { Client } from '@temporalio/client';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Agency } from '../domain/reference.js';
import type { Logger } from '../infra/logger.js';
import type { NatsConnection } from '../infra/nats.js';
import { registerAccess } from './access.js';
import { createAuthenticator } from './auth.js';
import { registerEnquiries } from './enquiries.js';
import { registerIntake } from './intake.js';
import { registerManager } from './manager.js';
import { createMetrics, instrument } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { registerOps } from './ops.js';
import { registerProblemHandlers } from './problem.js';
import { registerSites } from './sites.js';
import type { SiteRegistry } from '../infra/site-registry.js';

export interface ApiDeps {
  logger: Logger;
  temporal: Client;
  taskQueue: string;
  nats: NatsConnection;
  sites: SiteRegistry;
  agencies: () => Agency[];
  webhookSecrets: Record<string, string>;
  jwt: { secret: string; jwksUrl?: string };
}

/** The stateless HTTP api: validates, authenticates, authorises, and talks to Temporal and NATS. */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.logger.child({ component: 'api' }) as FastifyBaseLogger });
  const metrics = createMetrics();
  registerProblemHandlers(app);
  instrument(app, metrics);

  const authenticate = createAuthenticator({ jwtSecret: deps.jwt.secret, jwksUrl: deps.jwt.jwksUrl });
  registerAccess(app, authenticate);

  const document = openApiDocument();
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { access: 'public' } }, async () => document);

  registerOps(app, { temporal: deps.temporal, nats: deps.nats, metrics });
  registerIntake(app, { temporal: deps.temporal, taskQueue: deps.taskQueue, agencies: deps.agencies, webhookSecrets: deps.webhookSecrets, metrics });
  registerEnquiries(app, { temporal: deps.temporal, taskQueue: deps.taskQueue });
  registerSites(app, { sites: deps.sites });
  registerManager(app, { temporal: deps.temporal, nats: deps.nats, taskQueue: deps.taskQueue });
  return app;
}
