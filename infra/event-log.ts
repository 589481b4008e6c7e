import { DeliverPolicy, JetStreamError, jetstream, jetstreamManager } from '@nats-io/jetstream';
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
  // Nothing to read ends here: a fetch would wait out its expiry for messages that never come.
  const { state } = await (await jetstreamManager(nc)).streams.info(stream);
  if (state.messages === 0 || (since && Date.parse(state.last_ts) < since.getTime())) return [];
  const consumer = await jetstream(nc).consumers.get(
    stream,
    since ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: since.toISOString() } : {},
  );
  const events: StoredEvent[] = [];
  for (let refused = 0; ;) {
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
      // A JetStream cluster may answer the first pull on a consumer it has just made with
      // 503 (no responders) before that consumer is ready; the ordered consumer is then made
      // again at the next fetch, after the last message read, so nothing comes twice.
      if (!noResponders(err) || ++refused > MAX_REFUSALS) throw err;
      await new Promise((r) => setTimeout(r, 50 * refused));
      continue;
    }
    if (pending === undefined || pending === 0) {
      batch.stop();
      return events;
    }
  }
}

const MAX_REFUSALS = 5;
const noResponders = (err: unknown) => err instanceof JetStreamError && (err as { code?: number }).code === 503;

/**
 * Follows the enquiry events published from now on (an ordered consumer: nothing kept on
 * the server, re-created after a NATS outage). Resolves `stop` to end it.
 */
export function followEvents(nc: NatsConnection, onEvent: (e: CloudEvent) => void): { stop(): void } {
  let stopped = false;
  let current: { close(): Promise<void | Error> } | undefined;
  void (async () => {
    const consumer = await jetstream(nc).consumers.get(ENQUIRY_EVENTS_STREAM, { deliver_policy: DeliverPolicy.New });
    if (stopped) return;
    const messages = await consumer.consume();
    current = messages;
    for await (const m of messages) {
      const parsed = CloudEventSchema.safeParse(m.json());
      if (parsed.success) onEvent(parsed.data);
    }
  })().catch(() => {
    // The connection closed under it: nothing to follow any more.
  });
  return {
    stop() {
      stopped = true;
      void current?.close();
    },
  };
}
