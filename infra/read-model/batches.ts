import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Logger } from '../logger.js';
import type { NatsConnection } from '../nats.js';

/**
 * Follows a durable consumer batch by batch until stopped: what has come in is settled together
 * once no more waits, on the server or in the consumer's buffer (it fetches ahead), or the batch
 * is full, so a store that fell behind catches up in large batches. A feed that breaks (NATS
 * away) is followed again after a second. Shared by the enquiries' projector and the firms' feed.
 */
export function followInBatches(opts: {
  consumer: Consumer;
  batch: number;
  settle: (batch: JsMsg[]) => Promise<void>;
  stopped: () => boolean;
  logger: Logger;
  /** What the log calls the feed. */
  name: string;
}) {
  let messages: ConsumerMessages | undefined;
  const done = (async () => {
    while (!opts.stopped()) {
      try {
        messages = await opts.consumer.consume({ max_messages: 2 * opts.batch });
        let batch: JsMsg[] = [];
        for await (const m of messages) {
          batch.push(m);
          if ((m.info.pending > 0 || messages.getPending() > 0) && batch.length < opts.batch) continue;
          await opts.settle(batch);
          batch = [];
        }
      } catch (err) {
        if (opts.stopped()) return;
        opts.logger.warn({ err: (err as Error).message }, `read model: ${opts.name} stopped, following it again`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();
  return {
    /** Ends the feed (after `stopped()` turned true): the batch in hand is settled first. */
    async close() {
      await messages?.close();
      await done;
    },
  };
}

export interface DurableFeed {
  /** Resolves once every message stored in the stream when it was called is applied. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A durable consumer of a stream that applies batch after batch until each is in (the store
 * may be away for a while), then acknowledges it. The firms' and the sites' feeds.
 */
export async function startDurableFeed(opts: {
  nats: NatsConnection;
  stream: string;
  name: string;
  replicas: number;
  logger: Logger;
  /** What the log calls it. */
  what: string;
  apply: (batch: JsMsg[]) => Promise<void>;
}): Promise<DurableFeed> {
  const { nats, stream, name, logger } = opts;
  const jsm = await jetstreamManager(nats);
  await jsm.consumers.add(stream, durableConsumer(name, FEED_BATCH, opts.replicas));
  const consumer = await jetstream(nats).consumers.get(stream, name);
  let stopped = false;
  const settle = async (batch: JsMsg[]) => {
    for (let wait = 250; !stopped; wait = Math.min(wait * 2, 5000)) {
      try {
        await opts.apply(batch);
        for (const m of batch) m.ack();
        return;
      } catch (err) {
        logger.warn({ err: (err as Error).message }, `read model: ${opts.what} could not be applied, trying again`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  };
  const stoppedNow = () => stopped;
  const feed = followInBatches({ consumer, batch: FEED_BATCH, settle, stopped: stoppedNow, logger, name: opts.what });
  return {
    async caughtUp() {
      const { state } = await jsm.streams.info(stream);
      while (!stopped && (await jsm.consumers.info(stream, name)).ack_floor.stream_seq < state.last_seq) {
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      stopped = true;
      await feed.close();
    },
  };
}

/**
 * A read model's durable consumer: from the stream's first message, each acknowledged, a few
 * batches in flight, gone after a week without its store (made anew, from the start, when it
 * comes back).
 */
export const durableConsumer = (name: string, batch: number, replicas: number) => ({
  durable_name: name,
  ack_policy: AckPolicy.Explicit,
  deliver_policy: DeliverPolicy.All,
  ack_wait: nanos(30_000),
  max_ack_pending: 4 * batch,
  inactive_threshold: nanos(FEED_IDLE_MS),
  num_replicas: replicas,
});

const FEED_BATCH = 200;
const FEED_IDLE_MS = 7 * 24 * 3600_000;
