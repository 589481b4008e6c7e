import { jetstreamManager } from '@nats-io/jetstream';
import { CloudEventSchema, FirmCloudEventSchema } from '../domain/cloud-event.js';
import { ENQUIRY_EVENTS_STREAM, eventSubject } from '../domain/events.js';
import { FIRM_EVENTS_STREAM, firmEventSubject } from '../domain/firm-events.js';
import { MAILED_FIRM_EVENTS } from '../domain/firm-mail-data.js';
import { firmMailsFor } from '../domain/firm-notifications.js';
import { MAILED_EVENTS, mailsFor } from '../domain/notifications.js';
import { calendarPersonOf } from '../domain/visit-calendar.js';
import type { Logger } from '../infra/logger.js';
import { createMailer } from '../infra/mailer.js';
import type { NatsConnection } from '../infra/nats.js';
import { openSentMails } from '../infra/mail-once.js';
import { People } from '../infra/people.js';
import type { ReferenceStore } from '../infra/reference.js';
import { follow, type Feed } from './follow.js';

/**
 * The notifier: follows the enquiry events and the firm events (Bestandspflege), each with a
 * durable consumer of its own, and mails the people concerned (domain/notifications.ts,
 * domain/firm-notifications.ts). Agencies' and offices' mailboxes come from the reference data,
 * people's addresses from the people directory (what their sign-in told Lotse). Every mail goes
 * out once per event and recipient, however often an event is delivered (notifier/follow.ts).
 */

export const NOTIFIER_CONSUMER = 'lotse-notifier';
export const FIRM_NOTIFIER_CONSUMER = 'lotse-firm-notifier';

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
  const jsm = await jetstreamManager(opts.nats);
  const sent = await openSentMails(opts.nats, opts.replicas);
  const mailer = createMailer(opts.smtpUrl, opts.from);
  const people = await People.open(opts.nats, log);
  const sending = { sent, mailer, log };
  const followers = await Promise.all(
    [enquiryFeed(opts), firmFeed(opts, people)].map((feed) => follow(opts.nats, jsm, feed, sending, opts.replicas)),
  );
  log.info({ smtp: new URL(opts.smtpUrl).host }, 'notifier started');
  return {
    async stop() {
      await Promise.all(followers.map((f) => f.stop()));
      people.stop();
      mailer.close();
    },
  };
}

/** An enquiry that finds its sites costs the notifier nothing: it is sent only the types that mail someone. */
function enquiryFeed(opts: NotifierOptions): Feed {
  return {
    stream: ENQUIRY_EVENTS_STREAM,
    consumer: NOTIFIER_CONSUMER,
    subjects: MAILED_EVENTS.map(eventSubject),
    mailsFor(message) {
      const event = CloudEventSchema.safeParse(message);
      if (!event.success) return null;
      const { agencies, agreements } = opts.reference.get();
      return mailsFor(event.data, { agencies, agreements }, opts.appUrl);
    },
  };
}

function firmFeed(opts: NotifierOptions, people: People): Feed {
  const organizer = calendarPersonOf(opts.from);
  const person = (agency: string, sub: string) => {
    const email = people.addressOf(agency, sub);
    return { ...people.named(agency, sub), ...(email ? { email } : {}) };
  };
  return {
    stream: FIRM_EVENTS_STREAM,
    consumer: FIRM_NOTIFIER_CONSUMER,
    subjects: MAILED_FIRM_EVENTS.map(firmEventSubject),
    mailsFor(message) {
      const event = FirmCloudEventSchema.safeParse(message);
      if (!event.success) return null;
      const { agencies } = opts.reference.get();
      return firmMailsFor(event.data, { agencies, person, appUrl: opts.appUrl, organizer });
    },
  };
}
