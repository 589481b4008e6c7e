import type { CloudEvent } from './events.js';
import { firmEventTypeOf } from './firm-events.js';
import {
  day,
  FirmMailData,
  forwardTo,
  TOPIC_WORDS,
  type FirmDraft,
  type FirmMailContext,
  type FirmRecipients,
  type MailedFirmEvent,
  type PlannedVisitData,
} from './firm-mail-data.js';
import { when, type Mail } from './notifications.js';
import { visitInvitations } from './visit-invitations.js';

/**
 * Who is told what, by e-mail, when a firm's care takes a step (Bestandspflege): the people of
 * a visit get a calendar invitation (and its update or cancellation), the Betreuer hears that a
 * visit is due, the agency a concern waits on gets it, a reminder, and once its day has passed
 * its managers do. German, short, with a link to the firm's page; no personal data but the
 * firm's name and, in an invitation, the people invited. Pure: the notifier sends what this
 * answers.
 */

export type { FirmRecipients };

/**
 * The mails a firm event asks for: none for a step that asks nobody to act, null for an event
 * whose data is not what its type promises (the notifier sets it aside).
 */
export function firmMailsFor(event: CloudEvent, r: FirmRecipients): Mail[] | null {
  const type = firmEventTypeOf(event);
  if (!type || !(type in FirmMailData)) return [];
  const drafts = draftsFor(type as MailedFirmEvent, event, r);
  if (!drafts) return null;
  const seen = new Set<string>();
  return drafts
    .filter(({ to }) => !seen.has(to) && seen.add(to))
    .map(({ to, subject, body, calendar }) => ({
      to,
      subject: `Lotse: ${subject}`,
      text: `${body.join('\n\n')}\n\n--\nLotse, Bestandspflege der Wirtschaftsförderungen\n`,
      key: `${event.id}.${to}`,
      ...(calendar ? { calendar } : {}),
    }));
}

function draftsFor<T extends MailedFirmEvent>(type: T, event: CloudEvent, r: FirmRecipients): FirmDraft[] | null {
  const parsed = FirmMailData[type].safeParse(event.data);
  if (!parsed.success) return null;
  const { summary } = parsed.data;
  const c: FirmMailContext = {
    ...r,
    firmId: summary.firmId,
    firmName: summary.name,
    link: `${r.appUrl}/unternehmen/${encodeURIComponent(summary.firmId)}`,
    stamp: event.time,
    source: event.source.replace(/^urn:lotse:agency:/, ''),
    agencyName: (id) => r.agencies.find((a) => a.id === id)?.name ?? id,
    mailbox: (agency, role) => r.agencies.find((a) => a.id === agency)?.mail?.[role],
  };
  // TypeScript cannot follow T from the schema to its rule: each rule is keyed by the type it parses.
  return (RULES[type] as (d: FirmMailData<T>, c: FirmMailContext) => FirmDraft[])(parsed.data as FirmMailData<T>, c);
}

type Rules = { [T in MailedFirmEvent]: (d: FirmMailData<T>, c: FirmMailContext) => FirmDraft[] };

const RULES: Rules = {
  visit_planned: (d, c) => [
    ...visitInvitations(d.rescheduled ? 'moved' : 'new', d.visit, c),
    ...visitInvitations('cancelled', { ...d.visit, participants: droppedFrom(d) }, c),
  ],
  visit_cancelled: (d, c) => visitInvitations('cancelled', d.visit, c),
  visit_due: (d, c) => {
    const carer = d.summary.carer ? c.person(d.summary.agency, d.summary.carer) : undefined;
    const to = carer?.email ?? c.mailbox(d.summary.agency, 'staff');
    if (!to) return [];
    const passOn = carer && !carer.email ? [forwardTo([carer.name ?? d.summary.carer!])] : [];
    return [
      {
        to,
        subject: `Besuch fällig: ${c.firmName}`,
        body: [
          ...passOn,
          `Der nächste Besuch bei ${c.firmName} ist seit dem ${day(d.nextVisitDue)} fällig; geplant ist keiner.`,
          `Bitte planen Sie ihn in Lotse: ${c.link}`,
        ],
      },
    ];
  },
  concern_opened: (d, c) => {
    const how = d.via === 'handed_on' ? 'weitergegeben' : 'aufgenommen';
    const subject = d.via === 'handed_on' ? `Anliegen weitergegeben: ${c.firmName}` : `Neues Anliegen: ${c.firmName}`;
    return mailboxMail(c, d.handledBy, 'staff', subject, [
      `Ein Anliegen von ${c.firmName} wartet auf Ihre Agentur: ${TOPIC_WORDS[d.topic]} (${how} von ${c.agencyName(c.source)}).`,
      `Bitte beantworten Sie es bis ${when(d.due)}: ${c.link}`,
    ]);
  },
  concern_reminder_due: (d, c) =>
    mailboxMail(c, d.handledBy, 'staff', `Erinnerung: Anliegen von ${c.firmName}`, [
      `Das Anliegen von ${c.firmName} (${TOPIC_WORDS[d.topic]}) wartet noch auf die Antwort Ihrer Agentur, Frist: ${when(d.due)}.`,
      c.link,
    ]),
  // The agreement's co-carers hear of an expansion: they may join its handling without a vote.
  expansion_started: (d, c) =>
    [d.summary.agency, ...d.summary.coCarers]
      .filter((agency) => agency !== c.source)
      .flatMap((agency) =>
        mailboxMail(c, agency, 'staff', `Erweiterungsprojekt: ${c.firmName}`, [
          `${c.agencyName(c.source)} hat ein Erweiterungsprojekt von ${c.firmName} aufgenommen: ${d.jobs} neue und ` +
            `${d.jobsSecured} gesicherte Arbeitsplätze.`,
          `Ihre Agentur betreut das Unternehmen mit und kann sich ohne Abstimmung beteiligen: ` +
            `${c.appUrl}/anfragen/${encodeURIComponent(d.enquiryId)}`,
        ]),
      ),
  // As a forwarding decision does: past its day, the handling agency's managers hear of it.
  concern_overdue: (d, c) =>
    mailboxMail(c, d.handledBy, 'manager', `Überfällig: Anliegen von ${c.firmName}`, [
      `Die Frist für das Anliegen von ${c.firmName} (${TOPIC_WORDS[d.topic]}) ist am ${when(d.due)} abgelaufen, ohne Antwort Ihrer Agentur.`,
      `Bitte sorgen Sie für eine Antwort: ${c.link}`,
    ]),
};

function mailboxMail(c: FirmMailContext, agency: string, role: 'staff' | 'manager', subject: string, body: string[]) {
  const to = c.mailbox(agency, role);
  return to ? [{ to, subject, body }] : [];
}

/** The people a moved visit no longer has: invited before, not now. */
function droppedFrom(d: { visit: PlannedVisitData; before?: { participants: PlannedVisitData['participants'] } }) {
  const now = new Set(d.visit.participants.map((p) => `${p.agency}/${p.sub}`));
  return (d.before?.participants ?? []).filter((p) => !now.has(`${p.agency}/${p.sub}`));
}
