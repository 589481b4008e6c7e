import { createHash } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { CloudEventSchema } from '../domain/cloud-event.js';
import { ENQUIRY_EVENTS_STREAM, eventSubject } from '../domain/events.js';
import { MAILED_EVENTS, mailsFor, type Mail } from '../domain/notifications.js';
import type { Logger } from '../infra/logger.js';
import { createMailer, type Mailer } from '../infra/mailer.js';
import type { NatsConnection } from '../infra/nats.js';
import type { ReferenceStore } from '../infra/reference.js';

/**
 * The notifier: follows the enquiry events with a durable consumer and mails the people
 * concerned (domain/notifications.ts). A message is acked only after each of its mails
 * went out or was refused for good; a record per event and recipient (a KV bucket)
 * keeps a redelivered event from mailing anyone twice. An SMTP server that is away
 * delays the mails, and loses none.
 */

export const NOTIFIER_CONSUMER = 'lotse-notifier';
const SENT_BUCKET = 'lotse-mails-sent';
/** Long enough for any redelivery; the record of a mail is not kept for ever. */
const SENT_KEPT_MS = 30 * 24 * 3600 * 1000;
const RETRY_MS = 2000;
const NANOS = 1_000_000;

export interface NotifierOptions {
  nats: NatsConnection;
  /** Of its bucket, as of Lotse's others (infra/nats.ts). */
  replicas: number;
  reference: ReferenceStore;
  smtpUrl: string;
  from: string;
  /** Where the web app is, for the links in the mails. */
  appUrl: string;
  logger: Logger;
}

export interface Notifier {
  stop(): Promise<void>;
}

export async function startNotifier(opts: NotifierOptions): Promise<Notifier> {
  const log = opts.logger.child({ component: 'notifier' });
  await followMailedEvents(await jetstreamManager(opts.nats), opts.replicas);
  const sent = await new Kvm(opts.nats).create(SENT_BUCKET, { history: 1, ttl: SENT_KEPT_MS, replicas: opts.replicas });
  const mailer = createMailer(opts.smtpUrl, opts.from);
  const consumer = await jetstream(opts.nats).consumers.get(ENQUIRY_EVENTS_STREAM, NOTIFIER_CONSUMER);
  const messages = await consumer.consume({ max_messages: 20 });
  const done = (async () => {
    for await (const m of messages) {
      await notify(m, { ...opts, log, sent, mailer }).catch((err: Error) => {
        // Its record of sent mails cannot be read right now (NATS electing a leader): the event comes back.
        log.warn({ err: err.message }, 'event not mailed yet, retrying');
        m.nak(RETRY_MS);
      });
    }
  })().catch((err: Error) => log.error({ err: err.message }, 'the notifier stopped'));
  log.info({ smtp: new URL(opts.smtpUrl).host }, 'notifier started');
  return {
    async stop() {
      await messages.close();
      await done;
      mailer.close();
    },
  };
}

/**
 * The durable consumer, made once: from then on it remembers how far it got, across
 * restarts. It is sent only the events that mail someone (an enquiry that finds its sites
 * costs the notifier nothing); one made before a type was added learns of it here.
 */
async function followMailedEvents(jsm: JetStreamManager, replicas: number) {
  const filter_subjects = MAILED_EVENTS.map(eventSubject);
  const existing = await jsm.consumers.info(ENQUIRY_EVENTS_STREAM, NOTIFIER_CONSUMER).catch(() => null);
  if (!existing) {
    await jsm.consumers.add(ENQUIRY_EVENTS_STREAM, {
      durable_name: NOTIFIER_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      ack_wait: 60_000 * NANOS,
      max_ack_pending: 100,
      num_replicas: replicas,
      filter_subjects,
    });
  } else if (String([...(existing.config.filter_subjects ?? [])].sort()) !== String([...filter_subjects].sort())) {
    await jsm.consumers.update(ENQUIRY_EVENTS_STREAM, NOTIFIER_CONSUMER, { filter_subjects });
  }
}

interface Context extends NotifierOptions {
  log: Logger;
  sent: KV;
  mailer: Mailer;
}

async function notify(m: JsMsg, ctx: Context) {
  const parsed = CloudEventSchema.safeParse(m.json());
  if (!parsed.success) return m.term();
  const { agencies, agreements } = ctx.reference.get();
  for (const mail of mailsFor(parsed.data, { agencies, agreements }, ctx.appUrl)) {
    if (!(await deliver(mail, ctx))) {
      // The server is away: the event comes back later, and what went out already is not sent again.
      m.nak(RETRY_MS);
      return;
    }
  }
  m.ack();
}

/** Sends one mail once: false while the SMTP server cannot take it. */
async function deliver(mail: Mail, ctx: Context): Promise<boolean> {
  const key = createHash('sha256').update(mail.key).digest('hex');
  if (await ctx.sent.get(key)) return true;
  try {
    const delivery = await ctx.mailer.send(mail);
    if (!delivery.sent) ctx.log.warn({ to: mail.to, reason: delivery.refused }, 'mail refused, not retried');
    await ctx.sent.put(key, JSON.stringify({ at: new Date().toISOString(), sent: delivery.sent }));
    return true;
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message }, 'SMTP server unavailable, mails wait');
    return false;
  }
}
