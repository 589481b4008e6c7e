import { z } from 'zod';
import type { Mail } from './notifications.js';
import type { Agency } from './reference.js';
import type { CalendarPerson } from './visit-calendar.js';
import { VisitTopic } from './visits.js';

/**
 * What a firm's mails are made of (domain/firm-notifications.ts): the part of a firm event's
 * `data` (domain/firm-events.ts) the notifier reads, checked before it is trusted, since the
 * stream is a boundary. Only the facts a mail needs; the rest (sealed notes and places, the
 * actor) is dropped here, so that it cannot reach a mail by mistake.
 */

const Summary = z.object({
  firmId: z.string().min(1),
  agency: z.string().min(1),
  name: z.string().min(1),
  carer: z.string().min(1).nullable(),
  coCarers: z.array(z.string()).default([]),
});

export const PlannedVisitData = z.object({
  visitId: z.string().min(1),
  at: z.iso.datetime(),
  durationMinutes: z.int().positive(),
  participants: z.array(z.object({ agency: z.string().min(1), sub: z.string().min(1) })),
  sequence: z.int().min(0),
});
export type PlannedVisitData = z.infer<typeof PlannedVisitData>;

const Concern = z.object({
  concernId: z.string().min(1),
  topic: VisitTopic,
  handledBy: z.string().min(1),
  due: z.iso.datetime(),
});

export const FirmMailData = {
  visit_planned: z.object({
    summary: Summary,
    visit: PlannedVisitData,
    rescheduled: z.boolean().default(false),
    /** A moved visit: who was invited before (the people no longer taking part get a cancellation). */
    before: z.object({ participants: PlannedVisitData.shape.participants }).optional(),
  }),
  visit_cancelled: z.object({ summary: Summary, visit: PlannedVisitData }),
  visit_due: z.object({ summary: Summary, nextVisitDue: z.iso.date() }),
  concern_opened: Concern.extend({ summary: Summary, via: z.string().optional() }),
  concern_reminder_due: Concern.extend({ summary: Summary }),
  concern_overdue: Concern.extend({ summary: Summary }),
  expansion_started: z.object({
    summary: Summary,
    enquiryId: z.string().min(1),
    jobs: z.int().min(0),
    jobsSecured: z.int().min(0),
  }),
};
export type MailedFirmEvent = keyof typeof FirmMailData;
export type FirmMailData<T extends MailedFirmEvent> = z.infer<(typeof FirmMailData)[T]>;

/** The firm events that mail someone: the notifier's consumer is sent these and no others. */
export const MAILED_FIRM_EVENTS = Object.keys(FirmMailData) as MailedFirmEvent[];

/** What a concern is about, as the mails say it. */
export const TOPIC_WORDS: Record<VisitTopic, string> = {
  expansion: 'Erweiterung',
  site: 'Fläche oder Standort',
  skilled_labour: 'Fachkräfte',
  permit: 'Genehmigung',
  funding: 'Förderung und Finanzierung',
  succession: 'Unternehmensnachfolge',
  internationalisation: 'Internationalisierung',
  other: 'Sonstiges',
};

export interface FirmRecipients {
  agencies: readonly Pick<Agency, 'id' | 'name' | 'mail'>[];
  /** What the people directory knows of a person (infra/people.ts). */
  person: (agency: string, sub: string) => { name?: string; email?: string };
  /** Where the web app is, for the links. */
  appUrl: string;
  /** The mails' sender: the invitations' ORGANIZER. */
  organizer: CalendarPerson;
}

/** A mail before its frame (subject prefix, signature, key): `to` is an address. */
export interface FirmDraft {
  to: string;
  subject: string;
  body: string[];
  calendar?: Mail['calendar'];
}

export interface FirmMailContext extends FirmRecipients {
  firmId: string;
  firmName: string;
  /** The firm's page. */
  link: string;
  /** When the step happened. */
  stamp: string;
  /** The agency on whose behalf the step happened. */
  source: string;
  agencyName: (id: string) => string;
  mailbox: (agency: string, role: 'staff' | 'manager') => string | undefined;
}

/** The line that opens a mail to an agency's mailbox for people whose address Lotse does not know. */
export const forwardTo = (names: string[]) =>
  `Zur Weitergabe an ${names.join(' und ')}: Lotse kennt keine E-Mail-Adresse.`;

/** "20.05.2026" for "2026-05-20". */
export const day = (iso: string) =>
  new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
