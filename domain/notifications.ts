import { eventTypeOf, type CloudEvent, type EventType } from './events.js';
import { codeName } from './redaction.js';
import type { Agency, Agreement } from './reference.js';

/**
 * Who is told what, by e-mail, when an enquiry takes a step: a new task (a forwarding
 * to decide, a lead to answer, a vote), a reminder, an escalation to the managers, a
 * decision that concerns them. German, with a link to where they act, and never the
 * investor's personal data: the enquiry appears under its code name.
 */

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** One mail per event and recipient, whatever repeats: the notifier's idempotency key. */
  key: string;
  /** An iCalendar invitation or cancellation (domain/visit-calendar.ts), sent as text/calendar beside the text. */
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

export interface Recipients {
  agencies: readonly Pick<Agency, 'id' | 'name' | 'mail'>[];
  agreements: readonly Pick<Agreement, 'jointHandling'>[];
}

type Role = 'staff' | 'manager';

/** The mails an event asks for; none for events that ask nobody to act. */
export function mailsFor(event: CloudEvent, recipients: Recipients, appUrl: string): Mail[] {
  const type = eventTypeOf(event);
  const compose = type && MAILS[type];
  if (!compose) return [];
  const id = event.subject;
  const ctx: Context = {
    data: event.data,
    source: event.source.replace(/^urn:lotse:agency:/, ''),
    officeAgency: (office) =>
      recipients.agreements.flatMap((a) => a.jointHandling?.offices ?? []).find((o) => o.id === office)?.agency,
    project: codeName(id),
    agencyName: (a) => recipients.agencies.find((x) => x.id === a)?.name ?? a,
    enquiryLink: `${appUrl}/anfragen/${id}`,
    // Where the task is done, at this enquiry: the web app focuses the lead or the ballot.
    leadLink: `${appUrl}/leads#lead-${id}`,
    voteLink: `${appUrl}/abstimmungen#abstimmung-${id}`,
  };
  const seen = new Set<string>();
  return compose(ctx)
    .flatMap(({ to, subject, body }) => addressesOf(to, recipients).map((address) => ({ address, subject, body })))
    .filter(({ address }) => !seen.has(address) && seen.add(address))
    .map(({ address, subject, body }) => ({
      to: address,
      subject: `Lotse: ${subject}`,
      text: `${body.join('\n\n')}\n\n--\nLotse, Anfragen zwischen Wirtschaftsförderungen\n`,
      key: `${event.id}.${address}`,
    }));
}

interface Context {
  data: Record<string, unknown>;
  /** The agency on whose behalf the step happened. */
  source: string;
  officeAgency: (office: string) => string | undefined;
  /** The code name: a mail never names the firm. */
  project: string;
  agencyName: (id: string) => string;
  enquiryLink: string;
  leadLink: string;
  voteLink: string;
}

/** Whom a mail is for: `staff:<agency>`, `manager:<agency>` or `office:<officeId>`. */
interface Draft {
  to: string;
  subject: string;
  body: string[];
}

const MAILS: Partial<Record<EventType, (c: Context) => Draft[]>> = {
  forwarding_requested: (c) => [
    {
      to: `staff:${c.source}`,
      subject: `Weiterleitung entscheiden – ${c.project}`,
      body: [
        `Für die Anfrage ${c.project} hat Ihre Agentur keine passende eigene Fläche; Partneragenturen haben welche.`,
        `Bitte entscheiden Sie bis ${when(String(c.data.due))}, ob die Anfrage weitergeleitet wird:`,
        c.enquiryLink,
      ],
    },
  ],
  lead_forwarded: (c) => {
    const partner = String(c.data.partner);
    const respondBy = typeof c.data.respondBy === 'string' ? c.data.respondBy : null;
    return [
      {
        to: `staff:${partner}`,
        subject: respondBy ? `Neuer Lead – ${c.project}` : `Gemeinsame Bearbeitung – ${c.project}`,
        body: respondBy
          ? [
              `Ihrer Agentur wurde das Vorhaben ${c.project} angeboten.`,
              `Bitte nehmen Sie den Lead bis ${when(respondBy)} an oder lehnen Sie ihn ab:`,
              c.leadLink,
            ]
          : [`Ihre Agentur bearbeitet das Vorhaben ${c.project} gemeinsam mit der zuständigen Agentur.`, c.leadLink],
      },
    ];
  },
  joint_handling_requested: (c) =>
    stringsOf(c.data.offices).map((office) => ({
      to: `office:${office}`,
      subject: `Abstimmung über gemeinsame Bearbeitung – ${c.project}`,
      body: [
        `Das Vorhaben ${c.project} erreicht die Schwellen der Kooperationsvereinbarung.`,
        `Bitte stimmen Sie bis ${when(String(c.data.due))} ab, ob es gemeinsam bearbeitet wird:`,
        c.voteLink,
      ],
    })),
  reminder_due: (c) => {
    const to = String(c.data.to);
    const escalated = c.data.escalated === true;
    const what = ABOUT[String(c.data.about)] ?? 'eine Entscheidung';
    const due = typeof c.data.due === 'string' ? when(c.data.due) : null;
    return [
      {
        to,
        subject: `${escalated ? 'Überfällig' : 'Erinnerung'}: ${what} – ${c.project}`,
        body: [
          escalated
            ? `Die Frist für ${what} zum Vorhaben ${c.project} ist ${due ? `am ${due} ` : ''}abgelaufen. ` +
              'Als Geschäftsführung können Sie jetzt selbst entscheiden.'
            : `Zum Vorhaben ${c.project} wartet ${what} auf Sie${due ? `, Frist: ${due}` : ''}.`,
          to.startsWith('office:')
            ? c.voteLink
            : to.startsWith('staff:') && c.data.about === 'lead_answer'
              ? c.leadLink
              : c.enquiryLink,
        ],
      },
    ];
  },
  lead_accepted: (c) => [
    {
      to: `staff:${String(c.data.responsible ?? '')}`,
      subject: `Lead angenommen – ${c.project}`,
      body: [`${c.agencyName(String(c.data.partner))} hat den Lead ${c.project} angenommen.`, c.enquiryLink],
    },
  ],
  joint_handling_decided: (c) => {
    const approved = c.data.outcome === 'approve';
    const offices = [
      ...(Array.isArray(c.data.votes) ? c.data.votes : []).map((v) => String(v?.office)),
      ...stringsOf(c.data.missing),
    ];
    const agencies = [c.source, ...offices.map((o) => c.officeAgency(o)).filter((a) => a !== undefined)];
    const subject = `Gemeinsame Bearbeitung ${approved ? 'beschlossen' : 'abgelehnt'} – ${c.project}`;
    const outcome = approved
      ? `Das Vorhaben ${c.project} wird gemeinsam bearbeitet.`
      : `Das Vorhaben ${c.project} wird nicht gemeinsam bearbeitet.`;
    const late = c.data.deadlinePassed === true ? ' Nicht abgegebene Stimmen zählten bei Fristende als Ablehnung.' : '';
    // Every office that had a vote hears the outcome, as do the staff of the agencies concerned.
    return [
      ...[...new Set(offices)].map((office) => ({
        to: `office:${office}`,
        subject,
        body: [`${outcome}${late}`, c.voteLink],
      })),
      ...[...new Set(agencies)].map((agency) => ({ to: `staff:${agency}`, subject, body: [outcome, c.enquiryLink] })),
    ];
  },
};

/** The events that mail someone: the notifier is sent these and no others. */
export const MAILED_EVENTS = Object.keys(MAILS) as EventType[];

const ABOUT: Record<string, string> = {
  forwarding_decision: 'die Entscheidung über die Weiterleitung',
  lead_answer: 'die Antwort auf einen Lead',
  joint_vote: 'Ihre Stimme zur gemeinsamen Bearbeitung',
};

const stringsOf = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

/** The addresses behind `staff:<agency>`, `manager:<agency>` or `office:<id>`, from the reference data. */
function addressesOf(to: string, r: Recipients): string[] {
  const [kind, id] = to.split(':') as [string, string];
  if (kind === 'office') {
    const offices = r.agreements.flatMap((a) => a.jointHandling?.offices ?? []);
    return offices.filter((o) => o.id === id && o.email).map((o) => o.email!);
  }
  const address = r.agencies.find((a) => a.id === id)?.mail?.[kind as Role];
  return address ? [address] : [];
}

/** "Dienstag, 17.11.2026, 17:00 Uhr", as it is in Berlin. */
export function when(iso: string): string {
  const at = new Date(iso);
  const day = new Intl.DateTimeFormat('de-DE', { weekday: 'long', timeZone: 'Europe/Berlin' }).format(at);
  const date = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'Europe/Berlin' }).format(at);
  const time = new Intl.DateTimeFormat('de-DE', { timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(at);
  return `${day}, ${date}, ${time} Uhr`;
}
