import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { FirmCloudEventSchema } from '../domain/cloud-event.js';
import { FIRM_EVENTS_STREAM } from '../domain/firm-events.js';
import { firmSharesFor } from '../domain/firm-share.js';
import type { Logger } from '../infra/logger.js';
import { NotDeliverable, postSigned } from '../infra/webhook-post.js';
import type { NatsConnection } from '../infra/nats.js';
import type { ReferenceStore } from '../infra/reference.js';

/**
 * Posts a co-carer's share of each firm step (domain/firm-share.ts) to the partner agency's own
 * webhook (`leadWebhookUrl`, signed like its leads), beside the worker. A durable consumer:
 * an event is acked once every share of it was delivered (2xx) or refused for good; a webhook
 * that is away gets the event again with a growing delay, under the same message id per agency,
 * so a receiver that saw it before drops it (Standard Webhooks' webhook-id). A retried step may
 * arrive after later ones: the step number in the event's id (`<firmId>.<step>.<type>`) orders them.
 */

export const FIRM_WEBHOOKS_CONSUMER = 'lotse-firm-webhooks';
const MAX_DELIVERIES = 12;

export interface FirmWebhookOptions {
  nats: NatsConnection;
  replicas: number;
  reference: ReferenceStore;
  webhookSecrets: Record<string, string>;
  allowlist: readonly string[];
  logger: Logger;
}

export async function startFirmWebhooks(opts: FirmWebhookOptions) {
  const log = opts.logger.child({ component: 'firm-webhooks' });
  const jsm = await jetstreamManager(opts.nats);
  await jsm.consumers.add(FIRM_EVENTS_STREAM, {
    durable_name: FIRM_WEBHOOKS_CONSUMER,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(60_000),
    max_deliver: MAX_DELIVERIES,
    num_replicas: opts.replicas,
  });
  const consumer = await jetstream(opts.nats).consumers.get(FIRM_EVENTS_STREAM, FIRM_WEBHOOKS_CONSUMER);
  const messages = await consumer.consume({ max_messages: 20 });
  const done = (async () => {
    for await (const m of messages) await deliver(m, opts, log);
  })().catch((err: Error) => log.error({ err: err.message }, 'firm webhooks stopped'));
  return {
    async stop() {
      await messages.close();
      await done;
    },
  };
}

async function deliver(m: JsMsg, opts: FirmWebhookOptions, log: Logger) {
  const parsed = FirmCloudEventSchema.safeParse(m.json());
  if (!parsed.success) return m.ack();
  const { agencies } = opts.reference.get();
  try {
    for (const share of firmSharesFor(parsed.data)) {
      const partner = agencies.find((a) => a.id === share.agency);
      const secret = opts.webhookSecrets[share.agency];
      if (!partner?.leadWebhookUrl || !secret) continue;
      const messageId = `${share.event.id}.${share.agency}`;
      const url = partner.leadWebhookUrl;
      await postSigned({ url, secret, messageId, body: share.event, allowlist: opts.allowlist });
    }
    m.ack();
  } catch (err) {
    const attempt = m.info.deliveryCount;
    log.warn({ eventId: parsed.data.id, attempt, err: (err as Error).message }, 'firm step not delivered yet');
    // A refusal for good (not https, not allowlisted) is not retried; anything else after 2, 4, 8 … s.
    if (err instanceof NotDeliverable) m.term();
    else m.nak(Math.min(2000 * 2 ** (attempt - 1), 300_000));
  }
}
