import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { ENQUIRY_EVENTS_STREAM, ENQUIRY_EVENTS_SUBJECTS, LEADS_STREAM, LEADS_SUBJECTS } from '../domain/events.js';
import { FIRM_EVENTS_STREAM, FIRM_EVENTS_SUBJECTS } from '../domain/firm-events.js';
import type { Logger } from './logger.js';

/** The one NATS connection module: connect, keep reconnecting, and set up what Lotse needs on JetStream. */

export type { NatsConnection, KV };

const NANOS_PER_MS = 1_000_000;
/**
 * Duplicate detection (Nats-Msg-Id) covers a day: an activity that published but
 * lost the ack retries with the same id for as long as an outage may last.
 */
const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;
export const SITES_BUCKET = 'sites';
/** Each enquiry's data key (infra/data-keys.ts): history 1, so a destroyed key leaves no older copy. */
export const DATA_KEYS_BUCKET = 'lotse-data-keys';
/** People's display names and roles from their tokens (infra/people.ts). */
export const PEOPLE_BUCKET = 'lotse-people';
/** The most history NATS KV keeps per key. */
const SITE_HISTORY = 64;

export async function connectNats(
  url: string,
  logger: Logger,
  name: string,
  auth?: { user: string; pass: string },
): Promise<NatsConnection> {
  const nc = await connect({
    // A cluster: every node's URL, comma-separated; the client moves to another when one fails.
    servers: url.split(',').map((u) => u.trim()),
    name,
    ...auth,
    // Never give up: a NATS outage must delay events, not lose the connection for good.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // No stack captured for every request in case it fails: a publish per event adds up (docs/capacity.md).
    noAsyncTraces: true,
  });
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect')
        logger.warn({ nats: s.type, server: s.server }, `NATS ${s.type}`);
    }
  })();
  return nc;
}

type StreamSpec = Partial<StreamConfig> & { name: string };

const streams: StreamSpec[] = [
  { name: ENQUIRY_EVENTS_STREAM, subjects: [ENQUIRY_EVENTS_SUBJECTS] },
  { name: LEADS_STREAM, subjects: [LEADS_SUBJECTS] },
  { name: FIRM_EVENTS_STREAM, subjects: [FIRM_EVENTS_SUBJECTS] },
].map((s) => ({
  ...s,
  storage: StorageType.File,
  retention: RetentionPolicy.Limits,
  duplicate_window: DUPLICATE_WINDOW_MS * NANOS_PER_MS,
}));

/**
 * Creates the streams and the buckets, or brings their configuration up to date (the
 * replicas too: 3 on a NATS cluster, so that a node may fail). Safe to run at every start.
 */
export async function ensureJetStream(nc: NatsConnection, replicas = 1): Promise<void> {
  // A cluster that has just started elects its leaders for a few seconds: JetStream answers late until then.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await setUpJetStream(nc, replicas);
    } catch (err) {
      if (Date.now() > deadline || !/timeout|no responders|temporarily unavailable/i.test((err as Error).message))
        throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function setUpJetStream(nc: NatsConnection, replicas: number) {
  const jsm = await jetstreamManager(nc);
  for (const config of streams) await ensureStream(jsm, { ...config, num_replicas: replicas });
  const kvm = new Kvm(nc);
  await kvm.create(SITES_BUCKET, { history: SITE_HISTORY, storage: StorageType.File, replicas });
  await kvm.create(DATA_KEYS_BUCKET, { history: 1, storage: StorageType.File, replicas });
  await kvm.create(PEOPLE_BUCKET, { history: 1, storage: StorageType.File, replicas });
  await takesPublishes(jsm);
}

/** Each stream Lotse sets up, the buckets' included, with a subject of it where nothing is published but a probe. */
export const LOTSE_STREAMS = [
  ...streams.map((st) => ({ name: st.name, probe: st.subjects![0]!.replace(/>$/, 'lotse-probe') })),
  ...[SITES_BUCKET, DATA_KEYS_BUCKET, PEOPLE_BUCKET].map((b) => ({ name: `KV_${b}`, probe: `$KV.${b}.lotse-probe` })),
];

/**
 * A replicated stream just made takes a moment to elect its leader, and the node we are
 * connected to a moment more to learn where it is: until then a publish finds no responder.
 * Each stream is asked to take a publish it must refuse (a last sequence it cannot have), so
 * it stores nothing; its refusal shows that a real publish from this connection reaches it.
 */
async function takesPublishes(jsm: JetStreamManager) {
  const js = jsm.jetstream();
  for (const { name, probe } of LOTSE_STREAMS) {
    const refusal: unknown = await js
      .publish(probe, new Uint8Array(), { expect: { lastSequence: Number.MAX_SAFE_INTEGER } })
      .catch((err: unknown) => err);
    const reached = refusal instanceof JetStreamApiError && refusal.code === JetStreamApiCodes.StreamWrongLastSequence;
    if (!reached) throw new Error(`stream ${name} does not take publishes yet: JetStream temporarily unavailable`);
  }
}

async function ensureStream(jsm: JetStreamManager, config: StreamSpec) {
  const name = config.name;
  const exists = await jsm.streams.info(name).then(
    () => true,
    (err: unknown) => {
      if (err instanceof Error && /stream not found/i.test(err.message)) return false;
      throw err;
    },
  );
  if (exists) await jsm.streams.update(name, config);
  else await jsm.streams.add(config);
}

export async function openSitesBucket(nc: NatsConnection): Promise<KV> {
  return new Kvm(nc).open(SITES_BUCKET);
}
