import { nanos } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamError,
  jetstream,
  jetstreamManager,
  type Consumer,
} from '@nats-io/jetstream';
import { ENQUIRY_EVENTS_STREAM, type CloudEvent } from '../domain/events.js';
import { CloudEventSchema } from '../domain/cloud-event.js';
import type { NatsConnection } from './nats.js';

/** Reads the enquiry events stored since a moment, oldest first (an ordered consumer, nothing kept on the server). */
export async function readEventsSince(nc: NatsConnection, since: Date): Promise<CloudEvent[]> {
  return (await readStream(nc, ENQUIRY_EVENTS_STREAM, since)).map((s) => s.event);
}

export interface StoredEvent {
  seq: number;
  event: CloudEvent;
}

/** The events a stream holds (since a moment, or all), oldest first, with their sequence numbers. */
export async function readStream(nc: NatsConnection, stream: string, since?: Date): Promise<StoredEvent[]> {
  const jsm = await jetstreamManager(nc);
  // Nothing to read ends here: a fetch would wait out its expiry for messages that never come.
  const { state } = await jsm.streams.info(stream);
  if (state.messages === 0 || (since && Date.parse(state.last_ts) < since.getTime())) return [];
  // A plain ephemeral consumer, not an ordered one: on a JetStream cluster a pull on a consumer
  // just made may be refused (503, no responders) until the node that holds it is known to the
  // node we are connected to. An ordered consumer answers that by making a new consumer, which
  // is refused again; this one is simply asked again, and it delivers each message once.
  const { name } = await jsm.consumers.add(stream, {
    ack_policy: AckPolicy.None,
    ...(since
      ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: since.toISOString() }
      : { deliver_policy: DeliverPolicy.All }),
    inactive_threshold: nanos(READ_CONSUMER_IDLE_MS),
    mem_storage: true,
    num_replicas: 1,
  });
  try {
    return await readAll(await jetstream(nc).consumers.get(stream, name));
  } finally {
    jsm.consumers.delete(stream, name).catch(() => {
      // Left behind, it goes by itself after READ_CONSUMER_IDLE_MS.
    });
  }
}

const READ_CONSUMER_IDLE_MS = 60_000;
const REFUSED_FOR_AT_MOST_MS = 10_000;

async function readAll(consumer: Consumer): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  const giveUpAt = Date.now() + REFUSED_FOR_AT_MOST_MS;
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 1000, expires: 1000 });
    let pending: number | undefined;
    try {
      for await (const m of batch) {
        const parsed = CloudEventSchema.safeParse(m.json());
        if (parsed.success) events.push({ seq: m.seq, event: parsed.data });
        pending = m.info.pending;
        // The last one there is: stop now rather than when the fetch expires.
        if (pending === 0) break;
      }
    } catch (err) {
      if (!noResponders(err) || Date.now() > giveUpAt) throw err;
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    if (pending === undefined || pending === 0) {
      batch.stop();
      return events;
    }
  }
}

const noResponders = (err: unknown) => err instanceof JetStreamError && (err as { code?: number }).code === 503;
