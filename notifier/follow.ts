import { AckPolicy, DeliverPolicy, jetstream, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { Mail } from '../domain/notifications.js';
import { sendOnce, type Sending } from '../infra/mail-once.js';
import type { NatsConnection } from '../infra/nats.js';

/**
 * One stream the notifier follows, with a durable consumer of its own: it is sent only the
 * subjects that mail someone. A message is acked only after each of its mails went out or was
 * refused for good; a record per event and recipient (the KV bucket of sent mails) keeps a
 * redelivered event from mailing anyone twice. An SMTP server that is away delays the mails,
 * and loses none.
 */

export interface Feed {
  stream: string;
  consumer: string;
  subjects: string[];
  /** The mails a message asks for; null for one that is not what the stream promises. */
  mailsFor(message: unknown): Mail[] | null;
}

export type { Sending };

const RETRY_MS = 2000;
const NANOS = 1_000_000;

/** Follows the feed until stopped. */
export async function follow(nc: NatsConnection, jsm: JetStreamManager, feed: Feed, s: Sending, replicas: number) {
  await ensureConsumer(jsm, feed, replicas);
  const consumer = await jetstream(nc).consumers.get(feed.stream, feed.consumer);
  const messages = await consumer.consume({ max_messages: 20 });
  const done = (async () => {
    for await (const m of messages) {
      await notify(m, feed, s).catch((err: Error) => {
        // Its record of sent mails cannot be read right now (NATS electing a leader): the event comes back.
        s.log.warn({ err: err.message, stream: feed.stream }, 'event not mailed yet, retrying');
        m.nak(RETRY_MS);
      });
    }
  })().catch((err: Error) => s.log.error({ err: err.message, stream: feed.stream }, 'the notifier stopped'));
  return {
    async stop() {
      await messages.close();
      await done;
    },
  };
}

/**
 * The durable consumer, made once: from then on it remembers how far it got, across restarts.
 * One made before a type was added learns of it here.
 */
async function ensureConsumer(jsm: JetStreamManager, feed: Feed, replicas: number) {
  const filter_subjects = feed.subjects;
  const existing = await jsm.consumers.info(feed.stream, feed.consumer).catch(() => null);
  if (!existing) {
    await jsm.consumers.add(feed.stream, {
      durable_name: feed.consumer,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      ack_wait: 60_000 * NANOS,
      max_ack_pending: 100,
      num_replicas: replicas,
      filter_subjects,
    });
  } else if (String([...(existing.config.filter_subjects ?? [])].sort()) !== String([...filter_subjects].sort())) {
    await jsm.consumers.update(feed.stream, feed.consumer, { filter_subjects });
  }
}

async function notify(m: JsMsg, feed: Feed, s: Sending) {
  const mails = feed.mailsFor(safeJson(m));
  if (!mails) {
    // Retrying cannot help; where it was is all the log says (its data may hold what a log must not).
    s.log.warn({ stream: feed.stream, seq: m.seq, subject: m.subject }, 'event not understood, not mailed');
    return m.term();
  }
  for (const mail of mails) {
    if (!(await sendOnce(mail, s))) {
      // The server is away: the event comes back later, and what went out already is not sent again.
      m.nak(RETRY_MS);
      return;
    }
  }
  m.ack();
}

function safeJson(m: JsMsg): unknown {
  try {
    return m.json();
  } catch {
    return undefined;
  }
}
