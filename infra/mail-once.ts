import { createHash } from 'node:crypto';
import { Kvm, type KV } from '@nats-io/kv';
import type { Logger } from './logger.js';
import type { Mailer, OutgoingMail } from './mailer.js';
import type { NatsConnection } from './nats.js';

/**
 * A mail goes out once: a record per mail (its key: event or report, and recipient) in a KV
 * bucket, looked at before sending and written after. A repeat (a redelivered event, a retried
 * activity) finds the record and sends nothing. Only a crash between the server's acceptance
 * and the record could send it twice; its Message-ID, fixed by the key, lets a mailbox tell.
 */

const SENT_BUCKET = 'lotse-mails-sent';
/** Long enough for any redelivery; the record of a mail is not kept for ever. */
const SENT_KEPT_MS = 30 * 24 * 3600 * 1000;

export interface Sending {
  sent: KV;
  mailer: Mailer;
  log: Logger;
}

export async function openSentMails(nats: NatsConnection, replicas: number): Promise<KV> {
  return new Kvm(nats).create(SENT_BUCKET, { history: 1, ttl: SENT_KEPT_MS, replicas });
}

/** Sends the mail once: false while the SMTP server cannot take it (try again later). */
export async function sendOnce(mail: OutgoingMail, s: Sending): Promise<boolean> {
  const key = createHash('sha256').update(mail.key).digest('hex');
  if (await s.sent.get(key)) return true;
  try {
    const delivery = await s.mailer.send(mail);
    // A person's address is personal data: the log names the mail by its record, and no address.
    if (!delivery.sent)
      s.log.warn({ mail: key.slice(0, 16), reason: withoutAddresses(delivery.refused) }, 'mail refused, not retried');
    await s.sent.put(key, JSON.stringify({ at: new Date().toISOString(), sent: delivery.sent }));
    return true;
  } catch (err) {
    s.log.warn({ err: (err as Error).message }, 'SMTP server unavailable, mails wait');
    return false;
  }
}

/** An SMTP server's answer often repeats the address it refused. */
const withoutAddresses = (text: string) => text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<Adresse>');
