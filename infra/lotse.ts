import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/server.js';
import { startWorker, type RunningWorker } from '../worker/index.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { connectNats, ensureJetStream, type NatsConnection } from './nats.js';
import { ReferenceStore } from './reference.js';
import { loadSecrets, type Secrets } from './secrets.js';
import { SiteRegistry } from './site-registry.js';
import { connectTemporal, ensureSearchAttributes } from './temporal.js';

/**
 * The composition root: connects to Temporal and NATS, prepares them, and runs the
 * worker, the api or both. `npm start`, the two container entry points and the tests
 * all come through here, so they run the same thing.
 */

export interface LotseOptions {
  config: Config;
  logger: Logger;
  temporalAddress: string;
  natsUrl: string;
  natsAuth?: { user: string; pass: string };
  run: { api: boolean; worker: boolean };
  workflowBundlePath?: string;
}

export interface Lotse {
  temporal: Client;
  nats: NatsConnection;
  reference: ReferenceStore;
  sites: SiteRegistry;
  secrets: Secrets;
  api?: FastifyInstance;
  worker?: RunningWorker;
  seededSites: number;
  stop(): Promise<void>;
}

export async function startLotse(opts: LotseOptions): Promise<Lotse> {
  const { config, logger } = opts;
  const reference = new ReferenceStore(config.referenceDir, (err) => logger.error({ err: err.message }, 'reference data edit rejected, keeping the last good data'));
  const secrets = loadSecrets({
    dataDir: config.dataDir,
    webhookSecretsFile: config.webhookSecretsFile,
    jwtSecret: config.jwt.secret,
    agencies: reference.get().agencies.map((a) => a.id),
  });

  const nats = await connectNats(opts.natsUrl, logger, opts.run.api ? 'lotse-api' : 'lotse-worker', opts.natsAuth);
  await ensureJetStream(nats);
  const sites = await SiteRegistry.open(nats, logger);
  const seededSites = await sites.seedIfEmpty(reference.get().sites);
  const temporal = await connectTemporal(opts.temporalAddress, config.temporal.namespace);
  await ensureSearchAttributes(temporal);

  const worker = opts.run.worker
    ? await startWorker({
        temporalAddress: opts.temporalAddress,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        nats,
        reference,
        sites,
        webhookSecrets: secrets.webhook,
        webhookAllowlist: config.leadWebhookAllowlist,
        logger,
        workflowBundlePath: opts.workflowBundlePath,
      })
    : undefined;
  const api = opts.run.api
    ? await buildApi({
        logger,
        temporal,
        taskQueue: config.temporal.taskQueue,
        nats,
        sites,
        agencies: () => reference.get().agencies,
        webhookSecrets: secrets.webhook,
        jwt: { secret: secrets.jwtSecret, jwksUrl: config.jwt.jwksUrl },
      })
    : undefined;

  return {
    temporal,
    nats,
    reference,
    sites,
    secrets,
    api,
    worker,
    seededSites,
    async stop() {
      await api?.close();
      await worker?.stop();
      sites.stop();
      await temporal.connection.close();
      await nats.drain();
    },
  };
}
