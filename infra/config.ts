import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { durationMs } from '../domain/duration.js';
import { IsoDuration } from '../domain/reference.js';

/** The one place that reads the environment. Every variable of CONTRACT.md, and a few internal ones. */

const PROJECT_ROOT = path.resolve(__dirname, '..');

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const optional = z.string().trim().min(1).optional().catch(undefined);

/** OpenStreetMap's own tiles: fine for an agency's few users, not for heavy use (docs/operating.md). */
const OSM_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
/** A tile URL template, or none: `none` or empty leaves the map without tiles (no internet, the tests). */
const MapTiles = z
  .string()
  .trim()
  .default(OSM_TILES)
  .refine((v) => v === '' || v === 'none' || (/^https?:\/\/[^\s]+$/.test(v) && /\{z\}.*\{x\}.*\{y\}/.test(v)), {
    message: 'a tile URL template with {z}, {x} and {y} (https://…/{z}/{x}/{y}.png), or none',
  })
  .transform((v) => (v === '' || v === 'none' ? null : v));

const Env = z
  .object({
    PORT: port(3000),
    HOST: z.string().default('127.0.0.1'),
    TEMPORAL_ADDRESS: optional,
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    NATS_URL: optional,
    NATS_USER: optional,
    NATS_PASSWORD: optional,
    LOTSE_NATS_AUTH: z
      .enum(['0', '1', 'true', 'false', ''])
      .default('0')
      .transform((v) => v === '1' || v === 'true'),
    LOTSE_TEMPORAL_PORT: port(7233),
    LOTSE_TEMPORAL_UI_PORT: port(8233),
    LOTSE_NATS_PORT: port(4222),
    LOTSE_OIDC_PORT: port(8280),
    LOTSE_SMTP_PORT: port(2525),
    // The production-shaped profile (docs/operating.md): Temporal on PostgreSQL, three NATS nodes.
    LOTSE_PROFILE: z.enum(['dev', 'cluster']).default('dev'),
    LOTSE_POSTGRES_PORT: port(55432),
    LOTSE_NATS_REPLICAS: z.coerce.number().int().min(1).max(5).optional(),
    LOTSE_SMTP_URL: z
      .url({ protocol: /^smtps?$/ })
      .optional()
      .or(z.literal('').transform(() => undefined)),
    LOTSE_MAIL_FROM: z.string().min(3).default('Lotse <lotse@localhost>'),
    LOTSE_APP_URL: z
      .url({ protocol: /^https?$/ })
      .optional()
      .or(z.literal('').transform(() => undefined)),
    LOTSE_DATA_DIR: z.string().min(1).default('.data'),
    LOTSE_REFERENCE_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, 'data')),
    LOTSE_WEBHOOK_SECRETS: optional,
    LOTSE_PAYLOAD_KEYS: optional,
    LOTSE_CODEC_ORIGINS: z.string().default(''),
    LOTSE_JWT_SECRET: optional,
    LOTSE_TOKEN_MAX_LIFETIME: IsoDuration.default('PT12H'),
    LOTSE_OIDC_ISSUER: z
      .url()
      .optional()
      .or(z.literal('').transform(() => undefined)),
    LOTSE_OIDC_AUDIENCE: z.string().min(1).default('lotse-api'),
    LOTSE_OIDC_CLIENT_ID: z.string().min(1).default('lotse-ui'),
    LOTSE_OIDC_CLAIM_AGENCY: z.string().min(1).default('agency'),
    LOTSE_OIDC_CLAIM_ROLES: z.string().min(1).default('roles'),
    LOTSE_OIDC_CLAIM_OFFICES: z.string().min(1).default('offices'),
    LOTSE_JWKS_URL: z
      .url()
      .optional()
      .or(z.literal('').transform(() => undefined)),
    LOTSE_LEAD_WEBHOOK_ALLOWLIST: z.string().default(''),
    LOTSE_MAP_TILES: MapTiles,
    LOTSE_MAP_ATTRIBUTION: z.string().trim().min(1).default('© OpenStreetMap-Mitwirkende'),
    LOTSE_MAP_ATTRIBUTION_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://www.openstreetmap.org/copyright')
      .or(z.literal('').transform(() => undefined)),
    // The read model's PostgreSQL; unset: npm start runs an embedded one (the cluster profile: a database on its own).
    LOTSE_READ_MODEL_URL: z
      .url({ protocol: /^postgres(ql)?$/ })
      .optional()
      .or(z.literal('').transform(() => undefined)),
    LOTSE_READ_MODEL_PORT: port(5433),
    LOTSE_TASK_QUEUE: z.string().min(1).default('lotse-enquiries'),
    // Sized for a 1–2 GB VM: an open enquiry outside the cache costs nothing until its next step replays it.
    LOTSE_WORKFLOW_CACHE: z.coerce.number().int().min(2).default(50),
    LOTSE_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(2).default(8),
    // Two is the SDK's least with a workflow cache (one poll for the sticky queue, one for the shared).
    LOTSE_WORKFLOW_POLLERS: z.coerce.number().int().min(2).optional(),
    LOTSE_ACTIVITY_SLOTS: z.coerce.number().int().min(1).default(32),
    LOTSE_ACTIVITY_POLLERS: z.coerce.number().int().min(1).optional(),
    LOTSE_WORKERS: z.coerce.number().int().min(1).max(16).default(1),
    // How long a worker beside the api holds a task slot back while a burst of intakes comes in; 0: never.
    LOTSE_BURST_HOLD_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
    // How often personal data past its retention is looked for (docs/operating.md, "Personal data").
    LOTSE_RETENTION_SWEEP: IsoDuration.default('PT1H'),
    LOTSE_WORKFLOW_BUNDLE: optional,
    LOTSE_TOOLS_DIR: z
      .string()
      .min(1)
      .default(path.join(homedir(), '.cache', 'lotse', 'bin')),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((e, ctx) => {
    // A waiting poll holds a slot, so a worker with fewer slots than pollers never starts.
    const w = workerSizes(e);
    if (w.workflowTaskSlots < w.workflowPollers)
      ctx.addIssue({
        code: 'custom',
        path: ['LOTSE_WORKFLOW_POLLERS'],
        message:
          `${w.workflowPollers} pollers need as many workflow task slots ` +
          `(LOTSE_WORKFLOW_TASK_SLOTS and LOTSE_WORKFLOW_CACHE, the smaller counts: ${w.workflowTaskSlots})`,
      });
    if (e.LOTSE_ACTIVITY_SLOTS < w.activityPollers)
      ctx.addIssue({
        code: 'custom',
        path: ['LOTSE_ACTIVITY_POLLERS'],
        message: `${w.activityPollers} pollers need as many activity slots (LOTSE_ACTIVITY_SLOTS: ${e.LOTSE_ACTIVITY_SLOTS})`,
      });
  });

export interface Config {
  port: number;
  host: string;
  temporal: { address?: string; namespace: string; taskQueue: string };
  natsUrl?: string;
  /** Credentials for NATS_URL, when that server wants them. */
  natsAuth?: { user: string; pass: string };
  /** The embedded NATS runs with one user per agency (LOTSE_NATS_AUTH=1). */
  embeddedNatsAuth: boolean;
  embedded: { temporalPort: number; temporalUiPort: number; natsPort: number; oidcPort: number; smtpPort: number };
  /** `dev`: the Temporal dev server and one nats-server; `cluster`: Temporal on PostgreSQL, three NATS nodes. */
  profile: 'dev' | 'cluster';
  cluster: { postgresPort: number };
  /** Replicas of Lotse's streams and buckets (3 on a NATS cluster). */
  natsReplicas: number;
  /** The notifier's SMTP server (unset: npm start runs a development mail catcher), sender, and link target. */
  mail: { smtpUrl?: string; from: string; appUrl: string };
  dataDir: string;
  referenceDir: string;
  webhookSecretsFile?: string;
  /** The key ring that encrypts what Temporal stores; unset: a development ring in the data folder. */
  payloadKeysFile?: string;
  /** Browser origins (the Temporal Web UI's) allowed to call the codec endpoint; npm start adds its UI's. */
  codecOrigins: string[];
  jwt: { secret?: string; jwksUrl?: string; maxLifetimeS: number };
  /** The web app's client id at the identity provider (public client, code flow with PKCE). */
  oidcClientId: string;
  /** The agency's identity provider: its tokens are accepted, their claims mapped by these paths. */
  oidc?: OidcConfig;
  /** URL prefixes a lead may be posted to without https. */
  leadWebhookAllowlist: string[];
  /** The web app's map of sites: where its tiles come from, and whose they are. */
  map: MapConfig;
  /** The read model's store (postgres://…); unset: npm start runs one, on `port` unless it is taken. */
  readModel: { url?: string; port: number };
  /** How much the worker holds and runs at once, and how many worker processes `npm start` runs. */
  worker: {
    cachedWorkflows: number;
    workflowTaskSlots: number;
    workflowPollers: number;
    activitySlots: number;
    activityPollers: number;
    processes: number;
    /** How long a worker in the api's process holds a slot back during a burst of intakes, in ms; 0: never. */
    burstHoldMs: number;
    /** The workflow code bundled ahead of time (npm run build:workflows); without it the worker bundles at start. */
    bundle?: string;
    /** How often the retention schedule looks for personal data due for erasure, in ms. */
    retentionSweepMs: number;
  };
  toolsDir: string;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
}

export interface OidcConfig {
  issuer: string;
  audience: string;
  claims: { agency: string; roles: string; offices: string };
}

/** What the web app's map is drawn on; without tiles it shows the sites' markers only. */
export interface MapConfig {
  /** A URL template (`…/{z}/{x}/{y}.png`), or null: no tiles. */
  tiles: string | null;
  /** The credit the tiles' licence asks for, as text, linked to `attributionUrl` if given. */
  attribution: string;
  attributionUrl?: string;
}

export class ConfigError extends Error {}

type EnvValues = z.infer<typeof Env>;

/**
 * A worker's slots and pollers. A workflow task runs on a cached workflow: never more
 * slots than the cache holds. Workflow pollers by default half the slots (at least the
 * SDK's two), so that a waiting poll never waits for a slot while others are free: task
 * slots that give the intake way (worker/intake-first.ts) cannot tell the SDK how many
 * there are, so it cannot share them out between the sticky and the shared queue itself.
 * Activity pollers as the SDK chooses (as many as slots, at most 10).
 */
function workerSizes(e: EnvValues) {
  const workflowTaskSlots = Math.min(e.LOTSE_WORKFLOW_TASK_SLOTS, e.LOTSE_WORKFLOW_CACHE);
  return {
    workflowTaskSlots,
    workflowPollers: e.LOTSE_WORKFLOW_POLLERS ?? Math.max(2, Math.floor(workflowTaskSlots / 2)),
    activityPollers: e.LOTSE_ACTIVITY_POLLERS ?? Math.min(10, e.LOTSE_ACTIVITY_SLOTS),
  };
}

/** Where this machine reaches the api (all interfaces: through loopback). */
export const localApiUrl = (config: Pick<Config, 'host' | 'port'>) =>
  `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.LOTSE_TASK_QUEUE },
    natsUrl: e.NATS_URL,
    natsAuth: e.NATS_USER && e.NATS_PASSWORD ? { user: e.NATS_USER, pass: e.NATS_PASSWORD } : undefined,
    embeddedNatsAuth: e.LOTSE_NATS_AUTH,
    profile: e.LOTSE_PROFILE,
    cluster: { postgresPort: e.LOTSE_POSTGRES_PORT },
    natsReplicas: e.LOTSE_NATS_REPLICAS ?? (e.LOTSE_PROFILE === 'cluster' ? 3 : 1),
    mail: {
      smtpUrl: e.LOTSE_SMTP_URL,
      from: e.LOTSE_MAIL_FROM,
      appUrl: (e.LOTSE_APP_URL ?? localApiUrl({ host: e.HOST, port: e.PORT })).replace(/\/$/, ''),
    },
    embedded: {
      temporalPort: e.LOTSE_TEMPORAL_PORT,
      temporalUiPort: e.LOTSE_TEMPORAL_UI_PORT,
      natsPort: e.LOTSE_NATS_PORT,
      smtpPort: e.LOTSE_SMTP_PORT,
      oidcPort: e.LOTSE_OIDC_PORT,
    },
    dataDir: path.resolve(e.LOTSE_DATA_DIR),
    referenceDir: path.resolve(e.LOTSE_REFERENCE_DIR),
    webhookSecretsFile: e.LOTSE_WEBHOOK_SECRETS && path.resolve(e.LOTSE_WEBHOOK_SECRETS),
    payloadKeysFile: e.LOTSE_PAYLOAD_KEYS && path.resolve(e.LOTSE_PAYLOAD_KEYS),
    codecOrigins: e.LOTSE_CODEC_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    jwt: {
      secret: e.LOTSE_JWT_SECRET,
      jwksUrl: e.LOTSE_JWKS_URL,
      maxLifetimeS: durationMs(e.LOTSE_TOKEN_MAX_LIFETIME) / 1000,
    },
    oidcClientId: e.LOTSE_OIDC_CLIENT_ID,
    oidc: e.LOTSE_OIDC_ISSUER
      ? {
          issuer: e.LOTSE_OIDC_ISSUER,
          audience: e.LOTSE_OIDC_AUDIENCE,
          claims: {
            agency: e.LOTSE_OIDC_CLAIM_AGENCY,
            roles: e.LOTSE_OIDC_CLAIM_ROLES,
            offices: e.LOTSE_OIDC_CLAIM_OFFICES,
          },
        }
      : undefined,
    worker: {
      cachedWorkflows: e.LOTSE_WORKFLOW_CACHE,
      activitySlots: e.LOTSE_ACTIVITY_SLOTS,
      ...workerSizes(e),
      processes: e.LOTSE_WORKERS,
      burstHoldMs: e.LOTSE_BURST_HOLD_MS,
      bundle: e.LOTSE_WORKFLOW_BUNDLE && path.resolve(e.LOTSE_WORKFLOW_BUNDLE),
      retentionSweepMs: durationMs(e.LOTSE_RETENTION_SWEEP),
    },
    leadWebhookAllowlist: e.LOTSE_LEAD_WEBHOOK_ALLOWLIST.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    map: {
      tiles: e.LOTSE_MAP_TILES,
      attribution: e.LOTSE_MAP_ATTRIBUTION,
      attributionUrl: e.LOTSE_MAP_ATTRIBUTION_URL,
    },
    readModel: { url: e.LOTSE_READ_MODEL_URL, port: e.LOTSE_READ_MODEL_PORT },
    toolsDir: e.LOTSE_TOOLS_DIR,
    logLevel: e.LOG_LEVEL,
  };
}
