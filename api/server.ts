import type { Client } from '@temporalio/client';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { Agency, Agreement } from '../domain/reference.js';
import type { MapConfig, OidcConfig } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import type { NatsConnection } from '../infra/nats.js';
import type { ReadModel } from '../infra/read-model/index.js';
import { registerAccess } from './access.js';
import { createAuthenticator } from './auth.js';
import { registerEnquiries } from './enquiries.js';
import { registerDecisions, registerJointHandling } from './decisions.js';
import { registerAssignment } from './assignment.js';
import { registerLeads } from './leads.js';
import { registerCodec, type CodecDeps } from './codec.js';
import type { DataKeys } from '../infra/data-keys.js';
import { registerPersonalData } from './personal-data.js';
import type { IntakeGauge } from '../infra/intake-gauge.js';
import type { Starter } from '../infra/temporal.js';
import { registerSource } from './source.js';
import { registerIntake, type IntakeDeps } from './intake.js';
import { registerProgrammes, type ProgrammeReference } from './programmes.js';
import { registerReports } from './reports.js';
import type { ReportStore } from '../infra/report-store.js';
import { registerLive } from './live.js';
import { registerListing } from './listing.js';
import { registerTasks } from './tasks.js';
import { registerVotes } from './votes.js';
import { registerStats } from './stats.js';
import { cursorCodec } from './cursor.js';
import { createMetrics, instrument } from './metrics.js';
import { describingResponses, TAGS } from './docs.js';
import { registerOps } from './ops.js';
import { registerReference } from './reference.js';
import { clientErrorHandler, frameworkErrors, registerProblemHandlers, zodValidator } from './problem.js';
import { apiSchemas } from './schemas.js';
import { registerPlaces } from './places.js';
import type { PlaceIndex } from '../domain/places.js';
import { registerSites } from './sites.js';
import { registerFirms } from './firms.js';
import { registerFirmCare } from './firm-care.js';
import { registerFirmImport } from './firm-import.js';
import { registerFirmTasks } from './firm-tasks.js';
import { takeConcern } from './concern-intake.js';
import { registerExpansions } from './firm-expansions.js';
import { registerFirmStats } from './firm-stats.js';
import { registerFirmPersonalData } from './firm-personal-data.js';
import { registerUi } from './ui.js';
import type { SiteRegistry } from '../infra/site-registry.js';
import type { People } from '../infra/people.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, for the test that the OpenAPI document misses none. */
    lotseRoutes: { method: string; url: string }[];
  }
}

export interface ApiDeps {
  logger: Logger;
  temporal: Client;
  taskQueue: string;
  nats: NatsConnection;
  /** Lists, tasks and figures: the read model (infra/read-model/). */
  readModel: ReadModel;
  /** People's display names from their tokens (infra/people.ts). */
  people: People;
  sites: SiteRegistry;
  agencies: () => Agency[];
  /** Municipalities, counties and Länder by name (the reference folder's places.json). */
  places: () => PlaceIndex;
  webhookSecrets: Record<string, string>;
  agreements: () => Agreement[];
  /** The reference data with the programmes' areas and measures (data/areas.json, data/measures.json), as it is now. */
  programmes: () => ProgrammeReference;
  /** The programmes' reports (infra/report-store.ts). */
  reports: ReportStore;
  assess: IntakeDeps['assess'];
  dataKeys: DataKeys;
  /** Counts the intakes in flight for a worker in the same process (infra/intake-gauge.ts). */
  intakeGauge?: IntakeGauge;
  /** Starts the intake's workflows: eagerly with a worker in the same process (infra/temporal.ts). */
  starter: Starter;
  /** The payload codec and who may call it from a browser (api/codec.ts). */
  codec: CodecDeps;
  jwt: { secret: string; jwksUrl?: string; maxLifetimeS: number };
  oidc?: OidcConfig;
  /** The web app's client id at the identity provider. */
  oidcClientId?: string;
  /** Lotse's own tokens too (the embedded development stack). */
  ownTokensToo?: boolean;
  /** Where the web app's map gets its tiles (LOTSE_MAP_TILES). */
  map?: MapConfig;
}

/** The stateless HTTP api: validates, authenticates, authorises, and talks to Temporal and NATS. */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'api' }) as FastifyBaseLogger,
    // Every answer is problem+json, even for requests refused before a route runs.
    frameworkErrors,
    clientErrorHandler,
  });
  const metrics = createMetrics();
  registerProblemHandlers(app);
  // The staff API takes JSON only: anything else is a 415, not a string for the schema to refuse.
  app.removeContentTypeParser('text/plain');
  instrument(app, metrics);

  const authenticate = createAuthenticator({
    jwtSecret: deps.jwt.secret,
    jwksUrl: deps.jwt.jwksUrl,
    oidc: deps.oidc,
    ownTokensToo: deps.ownTokensToo,
    maxLifetimeS: deps.jwt.maxLifetimeS,
    agreements: deps.agreements,
  });
  registerAccess(app, authenticate, (caller) => deps.people.saw(caller));

  // Requests are parsed by the zod schemas on each route; answers are written as they are.
  app.setValidatorCompiler(zodValidator);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => {
    // The web app's pages and assets are no part of the API.
    if ((r.schema as { hide?: boolean } | undefined)?.hide || r.url.startsWith('/assets/')) return;
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  app.decorate('lotseRoutes', routes);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Lotse API',
        version: '0.3.0',
        description: 'Routes site and investment enquiries between economic-development agencies.',
      },
      tags: [...TAGS],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          webhookSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'webhook-signature',
            description: 'Standard Webhooks v1 signature',
          },
        },
      },
    },
    transform: describingResponses(createJsonSchemaTransform({ schemaRegistry: apiSchemas })),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: apiSchemas }),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  registerOps(app, { temporal: deps.temporal, nats: deps.nats, readModel: deps.readModel, metrics });
  registerIntake(app, {
    temporal: deps.temporal,
    taskQueue: deps.taskQueue,
    agencies: deps.agencies,
    programmeCodes: deps.programmes,
    webhookSecrets: deps.webhookSecrets,
    metrics,
    assess: deps.assess,
    dataKeys: deps.dataKeys,
    gauge: deps.intakeGauge,
    starter: deps.starter,
    concern: (agency, body) => takeConcern(firmDeps(), agency, body),
  });
  const firmDeps = () => ({ ...enquiryDeps, starter: deps.starter, agreements: deps.agreements });
  const enquiryDeps = {
    temporal: deps.temporal,
    taskQueue: deps.taskQueue,
    codec: deps.codec.codec,
    dataKeys: deps.dataKeys,
    people: deps.people,
    nats: deps.nats,
    readModel: deps.readModel,
    agencies: deps.agencies,
    places: deps.places,
  };
  registerEnquiries(app, enquiryDeps);
  registerDecisions(app, enquiryDeps);
  registerJointHandling(app, enquiryDeps);
  registerAssignment(app, enquiryDeps);
  registerSource(app, { ...enquiryDeps, programmeCodes: deps.programmes });
  registerLeads(app, enquiryDeps);
  registerPersonalData(app, enquiryDeps);
  registerCodec(app, deps.codec);
  registerSites(app, { sites: deps.sites, agencies: deps.agencies, people: deps.people });
  registerPlaces(app, { places: deps.places });
  registerLive(app, { readModel: deps.readModel });
  deps.readModel.onLag((seconds) => metrics.readModelLag.observe(seconds));
  const managerDeps = {
    readModel: deps.readModel,
    cursors: cursorCodec(deps.jwt.secret),
    places: deps.places,
    people: deps.people,
    dataKeys: deps.dataKeys,
  };
  registerListing(app, managerDeps);
  registerTasks(app, managerDeps);
  registerVotes(app, enquiryDeps);
  registerStats(app, managerDeps);
  registerProgrammes(app, { readModel: deps.readModel, reference: deps.programmes });
  registerReports(app, {
    temporal: deps.temporal,
    taskQueue: deps.taskQueue,
    reports: deps.reports,
    reference: deps.programmes,
  });
  registerReference(app, {
    agencies: deps.agencies,
    agreements: deps.agreements,
    areas: () => deps.programmes().areas,
    measures: () => deps.programmes().measures,
  });
  registerFirmImport(app, firmDeps());
  registerFirms(app, firmDeps());
  registerFirmCare(app, firmDeps());
  registerFirmTasks(app, firmDeps());
  registerExpansions(app, { ...firmDeps(), assess: deps.assess });
  registerFirmStats(app, { readModel: deps.readModel });
  registerFirmPersonalData(app, firmDeps());
  await registerUi(app, { oidc: deps.oidc, clientId: deps.oidcClientId ?? 'lotse-ui', map: deps.map });
  return app;
}
