import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { expect, inject } from 'vitest';
import { mintToken, type Caller } from '../api/auth.js';
import type { EnquirySubmission } from '../domain/enquiry.js';
import { ENQUIRY_EVENTS_STREAM, LEADS_STREAM, type CloudEvent } from '../domain/events.js';
import { CloudEventSchema } from '../domain/cloud-event.js';
import { loadConfig, type Config } from '../infra/config.js';
import { createLogger } from '../infra/logger.js';
import { startLotse, type Lotse } from '../app/lotse.js';
import { loadReference } from '../infra/reference.js';
import { authorizationBlock, devNatsPasswords, SERVICE_USER } from '../infra/nats-auth.js';
import { signedHeaders } from '../infra/webhook-signature.js';
import { startsOn } from '../infra/temporal.js';
import { startNatsCluster, type NatsCluster } from '../scripts/cluster/nats-cluster.js';
import { freePort, startNats, startTemporal } from '../scripts/servers.js';
import { ensureTools } from '../scripts/tools.js';
import { ALL_SEARCH_ATTRIBUTES } from '../contract/search-attributes.js';
import { startWorker } from '../worker/index.js';
import { startWorkflow } from '../api/intake.js';

/**
 * One Lotse per test file, on real servers: its own nats-server and data folder,
 * the shared Temporal dev server with a task queue of its own, the api on a free port.
 */
export interface Harness {
  baseUrl: string;
  /** NATS passwords per user, when started with natsUsers. */
  natsPasswords?: Record<string, string>;
  config: Config;
  lotse: Lotse;
  /** NATS under the test: one server, or (cluster profile) three nodes. */
  nats: NatsUnderTest;
  webhookSecrets: Record<string, string>;
  jwtSecret: string;
  post(agency: string, body: unknown, opts?: PostOptions): Promise<Response>;
  get(urlPath: string, token?: string): Promise<Response>;
  token(claims: Partial<Caller> & { agency: string }): Promise<string>;
  /**
   * Every enquiry event in the stream, with the Nats-Msg-Id it was stored under; the steps of
   * the contract, without the `status_changed` that carry only a summary unless asked for.
   */
  events(enquiryId?: string, opts?: { statusChanges?: boolean }): Promise<StoredEvent[]>;
  /**
   * Every event of the enquiry once its workflow rests: events publish in the
   * background, so a status can show before the events that announce it are out.
   */
  settledEvents(enquiryId: string): Promise<StoredEvent[]>;
  /** Every lead published on leads.<agency>. */
  leads(agency: string, enquiryId?: string): Promise<StoredEvent[]>;
  /** A JSON request to the api with a bearer token. */
  call(urlPath: string, body: unknown, token?: string, method?: string): Promise<Response>;
  restartWorker(): Promise<void>;
  /**
   * Starts an enquiry as an intake that could not assess it in time does: without the
   * assessment in its input. Answers its id.
   */
  startUnassessed(agency: string, submission: EnquirySubmission): Promise<string>;
  /** Stops nats-server, runs the callback while it is down, starts it again on the same port and store. */
  withNatsDown(during: () => Promise<void>): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface PostOptions {
  /** Raw body bytes instead of JSON.stringify(body). */
  raw?: string | Buffer;
  contentType?: string;
  secret?: string;
  /** Milliseconds since the epoch to sign with. */
  signedAt?: number;
  /** Headers to leave out or override after signing. */
  headers?: Record<string, string | undefined>;
}

export interface StoredEvent {
  seq: number;
  subject: string;
  msgId: string | undefined;
  event: CloudEvent;
}

export interface HarnessOptions {
  referenceDir?: string;
  env?: Record<string, string>;
  natsUsers?: boolean;
  /** Another Temporal than the run's shared dev server (a test that stops it). */
  temporalAddress?: string;
  /** An SMTP server for the notifier (which runs only with one). */
  smtpUrl?: string;
  /** Where the logs go (a test reads them), instead of stdout. */
  logFile?: string;
  /** A data folder of the test's own (NATS store, secrets): kept after close, for a second harness on it. */
  dataDir?: string;
  /** The read model's database (a name on the run's PostgreSQL); default: a new one. */
  readModelDatabase?: string;
}

export interface NatsUnderTest {
  /** One server's URL, for a client of the test's own. */
  address: string;
  /** Every server's URL, comma-separated: what Lotse connects to. */
  urls: string;
  /** The three nodes, on the cluster profile. */
  cluster?: NatsCluster;
  stop(): Promise<void>;
  /** Starts it again on the same ports and store. */
  restart(): Promise<void>;
}

/** The profile the run uses (npm run test:cluster: Temporal on PostgreSQL, three NATS nodes). */
export const onCluster = () => inject('profile') === 'cluster';

async function startNatsUnderTest(
  options: Parameters<typeof startNats>[0],
  auth?: { user: string; pass: string },
): Promise<NatsUnderTest> {
  if (onCluster()) {
    const dir = options.storeDir;
    const clientPorts = await Promise.all([0, 1, 2].map(() => freePort()));
    const routePorts = await Promise.all([0, 1, 2].map(() => freePort()));
    const cluster = await startNatsCluster({
      binary: options.binary,
      dir,
      clientPorts,
      routePorts,
      authorization: options.authorization,
      probeAuth: auth,
    });
    return {
      address: cluster.nodes[0]!.address,
      urls: cluster.urls,
      cluster,
      stop: () => cluster.stop(),
      restart: async () => void (await Promise.all(cluster.nodes.map((n) => n.restart()))),
    };
  }
  let server = await startNats(options, auth);
  return {
    get address() {
      return server.address;
    },
    get urls() {
      return server.address;
    },
    stop: () => server.stop(),
    restart: async () => void (server = await startNats(options, auth)),
  };
}

/** A Temporal dev server of a test file's own, on a database file in `dir` whose bytes the test may read. */
export async function startOwnTemporal(dir: string) {
  const tools = await ensureTools(loadConfig().toolsDir, () => {});
  return startTemporal({
    searchAttributes: ALL_SEARCH_ATTRIBUTES,
    binary: tools.temporal,
    port: await freePort(),
    dbFile: path.join(dir, 'temporal.sqlite'),
    logFile: path.join(dir, 'temporal.log'),
  });
}

/** Test-only keys (never use them anywhere else): the ring the recorded fixtures are encrypted with. */
export const TEST_PAYLOAD_KEYS = path.join(__dirname, 'fixtures/payload-keys.json');

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'lotse-harness-'));
  const agencies = loadReference(opts.referenceDir ?? path.join(__dirname, '../data')).agencies.map((a) => a.id);
  // With natsUsers, NATS runs as LOTSE_NATS_AUTH=1 runs it: a user per agency.
  const natsPasswords = opts.natsUsers ? devNatsPasswords(dataDir, agencies) : undefined;
  const natsAuth = natsPasswords && { user: SERVICE_USER, pass: natsPasswords[SERVICE_USER]! };
  const natsOptions = {
    binary: inject('natsServerBinary'),
    port: await freePort(),
    storeDir: path.join(dataDir, 'nats'),
    logFile: path.join(dataDir, 'nats-server.log'),
    authorization: natsPasswords && authorizationBlock(agencies, (u) => natsPasswords[u]!),
  };
  const nats = await startNatsUnderTest(natsOptions, natsAuth);
  const webhookSecrets = Object.fromEntries(agencies.map((a) => [a, `whsec_${randomBytes(24).toString('base64')}`]));
  const secretsFile = path.join(dataDir, 'webhook-secrets.json');
  writeFileSync(secretsFile, JSON.stringify(webhookSecrets));
  const jwtSecret = randomBytes(32).toString('base64url');
  const config = loadConfig({
    LOTSE_DATA_DIR: dataDir,
    LOTSE_WEBHOOK_SECRETS: secretsFile,
    LOTSE_JWT_SECRET: jwtSecret,
    // A fixed ring, so that histories recorded by the harness replay (test/integration/replay.test.ts).
    LOTSE_PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    LOTSE_TASK_QUEUE: `test-${randomUUID()}`,
    ...(opts.referenceDir ? { LOTSE_REFERENCE_DIR: opts.referenceDir } : {}),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    LOTSE_NATS_REPLICAS: onCluster() ? '3' : '1',
    // No internet here: the map shows its markers without tiles.
    LOTSE_MAP_TILES: 'none',
    ...opts.env,
  });
  const logger = createLogger(config.logLevel, 'lotse', opts.logFile);
  const workflowBundlePath = inject('workflowBundlePath');
  const temporalAddress = opts.temporalAddress ?? inject('temporalAddress');
  const lotse = await startLotse({
    config,
    logger,
    temporalAddress,
    natsUrl: nats.urls,
    natsAuth,
    readModelUrl: readModelUrl(opts.readModelDatabase ?? newDatabaseName()),
    run: { api: true, worker: true },
    workflowBundlePath,
    smtpUrl: opts.smtpUrl,
  });
  const baseUrl = await lotse.api!.listen({ port: 0, host: '127.0.0.1' });

  async function readStream(stream: string): Promise<StoredEvent[]> {
    const jsm = await jetstreamManager(lotse.nats);
    const { state } = await jsm.streams.info(stream);
    const all: StoredEvent[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq });
      if (m)
        all.push({
          seq,
          subject: m.subject,
          msgId: m.header?.get('Nats-Msg-Id'),
          event: CloudEventSchema.parse(m.json()),
        });
    }
    return all;
  }

  async function eventsOf(enquiryId?: string, o: { statusChanges?: boolean } = {}) {
    const all = (await readStream(ENQUIRY_EVENTS_STREAM)).filter(
      (e) => o.statusChanges || e.subject !== 'enquiry.events.status_changed',
    );
    return enquiryId ? all.filter((e) => e.event.subject === enquiryId) : all;
  }

  const newWorker = () =>
    startWorker({
      temporalAddress,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      nats: lotse.nats,
      reference: lotse.reference,
      sites: lotse.sites,
      webhookSecrets: lotse.secrets.webhook,
      webhookAllowlist: config.leadWebhookAllowlist,
      tuning: config.worker,
      logger,
      workflowBundlePath,
      payloadCodec: lotse.payloadCodec,
      dataKeys: lotse.dataKeys,
      temporal: lotse.temporal,
      connection: lotse.sharedConnection,
      ...lotse.reporting,
    });

  return {
    baseUrl,
    natsPasswords,
    config,
    lotse,
    get nats() {
      return nats;
    },
    webhookSecrets,
    jwtSecret,
    async post(agency, body, o = {}) {
      const raw = o.raw ?? JSON.stringify(body);
      const secret = o.secret ?? webhookSecrets[agency] ?? webhookSecrets.irl!;
      const headers: Record<string, string> = {
        'content-type': o.contentType ?? 'application/json',
        ...signedHeaders(secret, `msg_${randomUUID()}`, raw, o.signedAt),
      };
      for (const [k, v] of Object.entries(o.headers ?? {})) {
        if (v === undefined) delete headers[k];
        else headers[k] = v;
      }
      return fetch(`${baseUrl}/v1/webhooks/${agency}/enquiries`, { method: 'POST', headers, body: raw });
    },
    get(urlPath, token) {
      return fetch(`${baseUrl}${urlPath}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    },
    token(claims) {
      return mintToken(jwtSecret, { sub: 'tester', roles: ['staff'], offices: [], ...claims });
    },
    events: eventsOf,
    async settledEvents(enquiryId) {
      await quiescent(lotse.temporal.workflow.getHandle(enquiryId));
      return eventsOf(enquiryId);
    },
    async leads(agency, enquiryId) {
      const all = (await readStream(LEADS_STREAM)).filter((e) => e.subject === `leads.${agency}`);
      return enquiryId ? all.filter((e) => e.event.subject === enquiryId) : all;
    },
    call(urlPath, body, token, method = 'POST') {
      return fetch(`${baseUrl}${urlPath}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    },
    async stopWorker() {
      await lotse.worker?.stop();
    },
    async startUnassessed(agency, submission) {
      return startWorkflow(startsOn(lotse.temporal), config.temporal.taskQueue, { agency, submission });
    },
    async restartWorker() {
      await lotse.worker?.stop();
      lotse.worker = await newWorker();
    },
    async withNatsDown(during) {
      await nats.stop();
      try {
        await during();
      } finally {
        await nats.restart();
      }
    },
    async close() {
      await lotse.stop();
      await nats.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A database of its own on the run's PostgreSQL, for one read model. */
export const newDatabaseName = () => `lotse_${randomBytes(8).toString('hex')}`;
export const readModelUrl = (database: string) => `${inject('readModelServer')}/${database}`;

/**
 * A copy of the project's reference folder with deadlines of seconds, edited further
 * by the test (an extra agreement, a partner's webhook URL).
 */
export function referenceFolder(edit: (ref: { agencies: any[]; agreements: any[] }) => void = () => {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lotse-ref-'));
  const data = path.join(__dirname, '../data');
  for (const f of ['ags-successions.json', 'sites.json', 'places.json', 'areas.json', 'measures.json'])
    writeFileSync(path.join(dir, f), readFileSync(path.join(data, f)));
  const agencies = JSON.parse(readFileSync(path.join(data, 'agencies.json'), 'utf8'));
  const agreements = JSON.parse(readFileSync(path.join(data, 'agreements.json'), 'utf8'));
  for (const a of agreements) {
    if (a.forwarding) a.forwarding = { partnerResponseWithin: 'PT5S', decisionWithin: 'PT4S', reminderAfter: 'PT2S' };
  }
  edit({ agencies, agreements });
  writeFileSync(path.join(dir, 'agencies.json'), JSON.stringify(agencies));
  writeFileSync(path.join(dir, 'agreements.json'), JSON.stringify(agreements));
  return dir;
}

/** A valid submission; override what a test is about. */
export function enquiry(overrides: Partial<EnquirySubmission> = {}): EnquirySubmission {
  return {
    externalRef: `web-${randomUUID()}`,
    kind: 'new_settlement',
    company: { name: 'Glaswerk Beispiel GmbH', sector: 'C23.1', country: 'DE' },
    contact: { name: 'Erika Mustermann', email: 'erika.mustermann@example.org', phone: '+49 341 1234567' },
    project: { jobs: 120, investmentEur: 30_000_000, description: 'Floatglas-Linie' },
    siteRequirements: { areaM2Min: 20_000, areaM2Max: 60_000, zoning: ['GI', 'GE'], railAccess: true },
    preferredLocations: ['14730310'],
    confidential: true,
    consentToShare: false,
    ...overrides,
  };
}

/** Polls until the check passes or the time is up; the last failure is what the test reports. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

/** Waits until the workflow rests: no workflow task and no activity pending, so its history stops growing. */
export async function quiescent(handle: {
  describe(): Promise<{ raw: { pendingActivities?: unknown[] | null; pendingWorkflowTask?: unknown } }>;
}) {
  await eventually(async () => {
    const { raw } = await handle.describe();
    expect(raw.pendingActivities ?? []).toHaveLength(0);
    expect(raw.pendingWorkflowTask ?? null).toBeNull();
  });
}
