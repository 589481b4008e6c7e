import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { NativeConnection } from '@temporalio/worker';
import type { RunningWorker, WorkerOptions } from '../worker/index.js';
import type { Notifier } from '../notifier/index.js';
import { ALL_SEARCH_ATTRIBUTES } from '../contract/search-attributes.js';
import { stateQuery } from '../contract/enquiry-workflow.js';
import { summarise } from '../domain/summary.js';
import { isSealed } from '../domain/personal-data.js';
import { released } from '../domain/redaction.js';
import { AUDIENCE, OWN_CLAIMS } from '../contract/tokens.js';
import type { Config, OidcConfig } from '../infra/config.js';
import type { Logger } from '../infra/logger.js';
import { connectNats, ensureJetStream, type NatsConnection } from '../infra/nats.js';
import { createAssessment } from '../activities/assessment.js';
import { People } from '../infra/people.js';
import { DataKeys } from '../infra/data-keys.js';
import { KeyRingCodec, loadKeyRing } from '../infra/payload-codec.js';
import { IntakeGauge } from '../infra/intake-gauge.js';
import { ReferenceStore } from '../infra/reference.js';
import { loadSecrets, type Secrets } from '../infra/secrets.js';
import { SiteRegistry } from '../infra/site-registry.js';
import { connectTemporal, eagerStarter, ensureSearchAttributes, startsOn } from '../infra/temporal.js';
import { openReadModel, type ReadModel } from '../infra/read-model/index.js';
import { openReadStore, type ReadStore } from '../infra/read-model/store.js';
import { ReportStore } from '../infra/report-store.js';
import { createMailer } from '../infra/mailer.js';
import { openSentMails } from '../infra/mail-once.js';
import type { Identity } from '../infra/read-model/search.js';

/**
 * The composition root: connects to Temporal and NATS, prepares them, and runs the
 * worker, the api or both. `npm start`, the two container entry points and the tests
 * all come through here, so they run the same thing.
 */

/** Intakes in flight, on average over a second, from which the api's process counts as in a burst. */
const INTAKE_BURST = 4;

export interface LotseOptions {
  config: Config;
  logger: Logger;
  temporalAddress: string;
  natsUrl: string;
  natsAuth?: { user: string; pass: string };
  /** The read model's PostgreSQL: the api reads lists, tasks and figures from it and feeds it. */
  readModelUrl?: string;
  run: { api: boolean; worker: boolean };
  workflowBundlePath?: string;
  /** The embedded Temporal Web UI: it may call the codec endpoint from the browser. */
  temporalUi?: string;
  /** The embedded identity provider's issuer: its tokens are accepted beside Lotse's own. */
  embeddedIssuer?: string;
  /** Where the notifier sends mail (beside the worker); none: no mails. */
  smtpUrl?: string;
}

export interface Lotse {
  temporal: Client;
  nats: NatsConnection;
  /** The read model, where the api runs. */
  readModel?: ReadModel;
  reference: ReferenceStore;
  sites: SiteRegistry;
  secrets: Secrets;
  /** The key ring's file and whether it is the development ring. */
  payloadKeys: { file: string; development: boolean };
  payloadCodec: KeyRingCodec;
  dataKeys: DataKeys;
  api?: FastifyInstance;
  worker?: RunningWorker;
  /** The notifier, where the worker runs with an SMTP server. */
  notifier?: Notifier;
  /** What the worker's reports read, where they are kept and how they are mailed. */
  reporting?: Reporting;
  /** The connection the worker shares with the api's eager starts, when both run here. */
  sharedConnection?: NativeConnection;
  /** The api's intakes in flight, which the worker beside it gives way to in a burst. */
  intakeGauge?: IntakeGauge;
  seededSites: number;
  stop(): Promise<void>;
}

export async function startLotse(opts: LotseOptions): Promise<Lotse> {
  const { config, logger } = opts;
  const reference = new ReferenceStore(config.referenceDir, (err) =>
    logger.error({ err: err.message }, 'reference data edit rejected, keeping the last good data'),
  );
  const secrets = loadSecrets({
    dataDir: config.dataDir,
    webhookSecretsFile: config.webhookSecretsFile,
    jwtSecret: config.jwt.secret,
    agencies: reference.get().agencies.map((a) => a.id),
  });

  const nats = await connectNats(opts.natsUrl, logger, opts.run.api ? 'lotse-api' : 'lotse-worker', opts.natsAuth);
  await ensureJetStream(nats, config.natsReplicas);
  const sites = await SiteRegistry.open(nats, logger);
  const seededSites = await sites.seedIfEmpty(reference.get().sites);
  const keyRing = loadKeyRing({ file: config.payloadKeysFile, dataDir: config.dataDir });
  const payloadCodec = new KeyRingCodec(keyRing.ring);
  const temporal = await connectTemporal(opts.temporalAddress, config.temporal.namespace, payloadCodec);
  await ensureSearchAttributes(temporal, ALL_SEARCH_ATTRIBUTES);
  const dataKeys = await DataKeys.open(nats, payloadCodec);

  // Each half loads only its own modules: an api process carries no worker runtime, and back.
  // With both halves in one process, the worker gives the api's intakes way during a burst.
  const givesWay = opts.run.api && opts.run.worker && config.worker.burstHoldMs > 0;
  const intakeGauge = givesWay ? new IntakeGauge(INTAKE_BURST) : undefined;
  const workerModule = opts.run.worker ? await import('../worker/index.js') : undefined;
  if (workerModule) {
    await workerModule.ensureRetentionSchedule(temporal, config.temporal.taskQueue, config.worker.retentionSweepMs);
    const programmes = reference
      .get()
      .agreements.filter((a) => a.monitoring)
      .map((a) => a.id);
    await workerModule.ensureReportSchedules(temporal, config.temporal.taskQueue, programmes);
  }
  const reporting = opts.run.worker ? await openReporting(opts, nats, logger) : undefined;
  // Both halves in one process share the worker's connection: the intake's starts are eager.
  const shared =
    opts.run.api && workerModule ? await workerModule.connectWorker(opts.temporalAddress, logger) : undefined;
  const worker = workerModule
    ? await workerModule.startWorker({
        temporalAddress: opts.temporalAddress,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        nats,
        reference,
        sites,
        webhookSecrets: secrets.webhook,
        webhookAllowlist: config.leadWebhookAllowlist,
        logger,
        workflowBundlePath: opts.workflowBundlePath ?? config.worker.bundle,
        tuning: config.worker,
        payloadCodec,
        dataKeys,
        temporal,
        intakeGauge,
        connection: shared,
        ...reporting,
      })
    : undefined;
  const notifier =
    opts.run.worker && opts.smtpUrl
      ? await (
          await import('../notifier/index.js')
        ).startNotifier({
          nats,
          replicas: config.natsReplicas,
          reference,
          smtpUrl: opts.smtpUrl,
          from: config.mail.from,
          appUrl: config.mail.appUrl,
          logger,
        })
      : undefined;
  // Beside the worker: a co-carer's share of each firm step to the partner's own webhook.
  const firmWebhooks = opts.run.worker
    ? await (
        await import('../notifier/firm-webhooks.js')
      ).startFirmWebhooks({
        nats,
        replicas: config.natsReplicas,
        reference,
        webhookSecrets: secrets.webhook,
        allowlist: config.leadWebhookAllowlist,
        logger,
      })
    : undefined;
  const readModel = opts.run.api ? await openApiReadModel(opts, nats, temporal, dataKeys) : undefined;
  const people = readModel ? await People.open(nats, logger) : undefined;
  const api = readModel
    ? await (
        await import('../api/server.js')
      ).buildApi({
        logger,
        temporal,
        taskQueue: config.temporal.taskQueue,
        nats,
        readModel,
        people: people!,
        sites,
        agencies: () => reference.get().agencies,
        places: () => reference.get().places,
        webhookSecrets: secrets.webhook,
        jwt: { secret: secrets.jwtSecret, jwksUrl: config.jwt.jwksUrl, maxLifetimeS: config.jwt.maxLifetimeS },
        agreements: () => reference.get().agreements,
        programmes: () => reference.get(),
        reports: reporting?.reports ?? (await ReportStore.open(nats, config.natsReplicas)),
        assess: createAssessment(reference, sites, () => sites.ownWritesSeen()).assess,
        dataKeys,
        intakeGauge,
        starter: shared ? eagerStarter(shared, config.temporal.namespace, payloadCodec) : startsOn(temporal),
        codec: {
          codec: payloadCodec,
          origins: [...config.codecOrigins, ...(opts.temporalUi ? uiOrigins(opts.temporalUi) : [])],
        },
        oidc: config.oidc ?? (opts.embeddedIssuer ? embeddedOidc(opts.embeddedIssuer) : undefined),
        ownTokensToo: !config.oidc,
        oidcClientId: config.oidcClientId,
        map: config.map,
      })
    : undefined;

  const lotse: Lotse = {
    temporal,
    nats,
    readModel,
    reference,
    sites,
    secrets,
    payloadKeys: { file: keyRing.file, development: keyRing.development },
    payloadCodec,
    dataKeys,
    api,
    worker,
    notifier,
    sharedConnection: shared,
    reporting,
    intakeGauge,
    seededSites,
    async stop() {
      await api?.close();
      await readModel?.stop();
      people?.stop();
      // The notifier running now: a test may have replaced the first.
      await lotse.notifier?.stop();
      await firmWebhooks?.stop();
      // The worker running now: a test may have replaced the first.
      await lotse.worker?.stop();
      await reporting?.close();
      await shared?.close();
      sites.stop();
      await temporal.connection.close();
      await nats.drain();
    },
  };
  return lotse;
}

export type Reporting = Pick<WorkerOptions, 'readDb' | 'reports' | 'mail'> & { close(): Promise<void> };

/**
 * The read model's store (no feed: the api feeds it), opened at the first report, so that a worker
 * starts while PostgreSQL is away; the reports' object store; the SMTP server.
 */
async function openReporting(opts: LotseOptions, nats: NatsConnection, logger: Logger): Promise<Reporting> {
  const { config } = opts;
  const url = opts.readModelUrl;
  if (!url) logger.warn('no LOTSE_READ_MODEL_URL for the worker: programme reports wait until it has one');
  let store: Promise<ReadStore> | undefined;
  const readDb = async () => {
    if (!url) throw new Error('The report needs the read model: give the worker LOTSE_READ_MODEL_URL. Retrying.');
    store ??= openReadStore(url, { maxConnections: 2 }).catch((err: Error) => {
      store = undefined;
      throw err;
    });
    return (await store).db;
  };
  const reports = await ReportStore.open(nats, config.natsReplicas);
  const mailer = opts.smtpUrl ? createMailer(opts.smtpUrl, config.mail.from) : undefined;
  const mail = mailer ? { mailer, sent: await openSentMails(nats, config.natsReplicas) } : undefined;
  return {
    readDb,
    reports,
    mail,
    async close() {
      mailer?.close();
      await (await store?.catch(() => undefined))?.close();
    },
  };
}

async function openApiReadModel(
  opts: LotseOptions,
  nats: NatsConnection,
  temporal: Client,
  dataKeys: DataKeys,
): Promise<ReadModel> {
  if (!opts.readModelUrl) throw new Error('the api needs its read model: set LOTSE_READ_MODEL_URL (postgres://…)');
  // Enquiries started before 1.1 publish no summaries: their workflows tell where they stand.
  const summaryOf = async (id: string) => summarise(await temporal.workflow.getHandle(id).query(stateQuery), 1);
  const search = { key: await dataKeys.searchKey(), identityOf: identityOf(temporal, dataKeys) };
  const { config, logger } = opts;
  return openReadModel({ url: opts.readModelUrl, nats, logger, replicas: config.natsReplicas, summaryOf, search });
}

/** What the search index takes from an enquiry's workflow: its reference, whether released, the firm opened. */
function identityOf(temporal: Client, dataKeys: DataKeys) {
  return async (id: string): Promise<Identity | null> => {
    try {
      const state = await temporal.workflow.getHandle(id).query(stateQuery);
      const opener = await dataKeys.openerFor(id);
      const firm = state.enquiry.company.name;
      const firmName = opener.erasure ? null : isSealed(firm) ? opener.open(firm) : firm;
      const firmSealed = isSealed(firm) ? firm : null;
      return { externalRef: state.enquiry.externalRef, released: released(state), firmName, firmSealed };
    } catch (err) {
      // Gone from Temporal (past its retention): indexed by its code name alone.
      if (err instanceof WorkflowNotFoundError)
        return { externalRef: '', released: false, firmName: null, firmSealed: null };
      return null;
    }
  };
}

/** The embedded provider issues tokens for Lotse's audience with Lotse's own claim names. */
function embeddedOidc(issuer: string): OidcConfig {
  return { issuer, audience: AUDIENCE, claims: OWN_CLAIMS };
}

/** The UI as the browser may name it: by its address and as localhost. */
function uiOrigins(ui: string): string[] {
  const url = new URL(ui);
  return [url.origin, `${url.protocol}//localhost:${url.port}`];
}
