import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Logger } from '../logger.js';

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
