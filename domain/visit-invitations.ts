import { forwardTo, type FirmDraft, type FirmMailContext, type PlannedVisitData } from './firm-mail-data.js';
import { when } from './notifications.js';
import { visitCalendar, type CalendarPerson } from './visit-calendar.js';

/**
 * A visit's people hear of it by a calendar invitation: each at the address their sign-in told
 * Lotse, or, where Lotse knows none, at their agency's staff mailbox, which the mail asks to pass
 * it on (one mail per mailbox, naming everyone it is for). Everyone gets the same calendar
 * entry, with all of them as attendees, so that an update or a cancellation replaces it.
 */

type Change = 'new' | 'moved' | 'cancelled';

interface Invited {
  /** Where the invitation goes. */
  address: string;
  name?: string;
  /** Lotse knows no address of theirs: the agency's mailbox passes it on. */
  viaMailbox: boolean;
}

export function visitInvitations(change: Change, visit: PlannedVisitData, c: FirmMailContext): FirmDraft[] {
  const invited = visit.participants.flatMap((p) => invitedOf(p, c));
  if (invited.length === 0) return [];
  const method = change === 'cancelled' ? 'CANCEL' : 'REQUEST';
  const content = visitCalendar({
    method,
    firmId: c.firmId,
    firmName: c.firmName,
    visit,
    organizer: c.organizer,
    attendees: attendeesOf(invited),
    link: c.link,
    stamp: c.stamp,
  });
  return [...new Set(invited.map((i) => i.address))].map((address) => {
    const forwarded = invited.filter((i) => i.address === address && i.viaMailbox).map((i) => i.name!);
    return {
      to: address,
      subject: SUBJECTS[change](c.firmName),
      body: [...(forwarded.length ? [forwardTo(forwarded)] : []), ...bodyOf(change, visit, c)],
      calendar: { method, content },
    };
  });
}

function invitedOf(p: { agency: string; sub: string }, c: FirmMailContext): Invited[] {
  const person = c.person(p.agency, p.sub);
  if (person.email)
    return [{ address: person.email, ...(person.name ? { name: person.name } : {}), viaMailbox: false }];
  const mailbox = c.mailbox(p.agency, 'staff');
  // Named by their subject where Lotse has no name: the agency knows its own people by it.
  return mailbox ? [{ address: mailbox, name: person.name ?? p.sub, viaMailbox: true }] : [];
}

/** One attendee per address: the people a mailbox stands in for share it, named together. */
function attendeesOf(invited: Invited[]): CalendarPerson[] {
  const byAddress = new Map<string, string[]>();
  for (const i of invited) byAddress.set(i.address, [...(byAddress.get(i.address) ?? []), ...(i.name ? [i.name] : [])]);
  return [...byAddress].map(([email, names]) => ({ email, ...(names.length ? { name: names.join(', ') } : {}) }));
}

const SUBJECTS: Record<Change, (firm: string) => string> = {
  new: (firm) => `Einladung zum Unternehmensbesuch: ${firm}`,
  moved: (firm) => `Unternehmensbesuch verlegt: ${firm}`,
  cancelled: (firm) => `Unternehmensbesuch abgesagt: ${firm}`,
};

function bodyOf(change: Change, visit: PlannedVisitData, c: FirmMailContext): string[] {
  const at = `${when(visit.at)}, ${visit.durationMinutes} Minuten`;
  const first = {
    new: `Sie sind zum Unternehmensbesuch bei ${c.firmName} eingeladen: ${at}.`,
    moved: `Der Unternehmensbesuch bei ${c.firmName} ist verlegt, jetzt: ${at}. Die Einladung im Kalender ist aktualisiert.`,
    cancelled: `Der Unternehmensbesuch bei ${c.firmName} am ${when(visit.at)} ist abgesagt.`,
  }[change];
  return [first, `Ort, Teilnehmende und Vorbereitung in Lotse: ${c.link}`];
}
