import { createEvent, type EventAttributes } from 'ics';

/**
 * A planned firm visit as an iCalendar object (RFC 5545, with the iTIP methods of RFC 5546):
 * REQUEST invites, and invites again with a higher SEQUENCE when the visit moves; CANCEL takes
 * it out of the calendars. The UID names the firm and the visit, so every client files an
 * update or a cancellation under the invitation it had. Written by the `ics` package (see
 * docs/architecture.md, Bestandspflege): folding, escaping and the date forms are where
 * hand-written iCalendar goes wrong. Nothing in it but the firm's name and the people invited.
 */

export interface CalendarPerson {
  name?: string;
  email: string;
}

export interface VisitCalendar {
  method: 'REQUEST' | 'CANCEL';
  firmId: string;
  firmName: string;
  visit: { visitId: string; at: string; durationMinutes: number; sequence: number };
  organizer: CalendarPerson;
  attendees: CalendarPerson[];
  /** The firm's page in the web app: where the visit's place and people are. */
  link: string;
  /** When the change happened (DTSTAMP): the same event gives the same bytes. */
  stamp: string;
}

export const visitUid = (firmId: string, visitId: string) => `${firmId}.${visitId}@lotse`;

export const visitTitle = (firmName: string) => `Unternehmensbesuch: ${firmName}`;

/** The .ics text; throws only on a visit no calendar could take (the event was checked before). */
export function visitCalendar(c: VisitCalendar): string {
  const cancel = c.method === 'CANCEL';
  const attributes: EventAttributes & { timestamp: number } = {
    productId: '-//Lotse//Bestandspflege//DE',
    method: c.method,
    uid: visitUid(c.firmId, c.visit.visitId),
    // A cancellation is a revision of its own: clients ignore one that does not outrank the invitation they hold.
    sequence: c.visit.sequence + (cancel ? 1 : 0),
    timestamp: Date.parse(c.stamp),
    start: Date.parse(c.visit.at),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: c.visit.durationMinutes },
    title: visitTitle(c.firmName),
    description: `Ort, Teilnehmende und Vorbereitung in Lotse: ${c.link}`,
    url: c.link,
    status: cancel ? 'CANCELLED' : 'CONFIRMED',
    organizer: c.organizer,
    attendees: c.attendees.map((a) => ({
      ...a,
      rsvp: !cancel,
      role: 'REQ-PARTICIPANT',
      partstat: 'NEEDS-ACTION',
    })),
  };
  const { error, value } = createEvent(attributes);
  if (error || !value) throw new Error(`the visit's calendar entry cannot be written: ${error?.message}`);
  return value;
}

/** `Lotse <lotse@example.org>` or `lotse@example.org`: the organizer of the invitations. */
export function calendarPersonOf(from: string): CalendarPerson {
  const named = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  return named ? { ...(named[1] ? { name: named[1] } : {}), email: named[2]! } : { email: from.trim() };
}
