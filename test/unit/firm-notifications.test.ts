import path from 'node:path';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { firmEvent, type FirmEventType } from '../../domain/firm-events.js';
import { MAILED_FIRM_EVENTS } from '../../domain/firm-mail-data.js';
import { firmMailsFor, type FirmRecipients } from '../../domain/firm-notifications.js';
import { calendarPersonOf } from '../../domain/visit-calendar.js';
import { loadReference } from '../../infra/reference.js';

/** Bestandspflege's mails: who hears of which step, and the calendar entry a visit's people get. */

const { agencies } = loadReference(path.join(__dirname, '../../data'));
const APP = 'https://lotse.example';
const FIRM = 'f-0123456789abcdef';
const paul = { agency: 'wf-burgenlandkreis', sub: 'paul.richter' };
const stefan = { agency: 'img', sub: 'stefan.hoffmann' };
const directory: Record<string, { name?: string; email?: string }> = {
  'wf-burgenlandkreis/paul.richter': { name: 'Paul Richter', email: 'paul.richter@burgenlandkreis.example' },
  'img/stefan.hoffmann': { name: 'Stefan Hoffmann' },
};
const recipients: FirmRecipients = {
  agencies,
  person: (agency, sub) => directory[`${agency}/${sub}`] ?? {},
  appUrl: APP,
  organizer: calendarPersonOf('Lotse <lotse@lotse.example>'),
};
const summary = {
  firmId: FIRM,
  agency: 'wf-burgenlandkreis',
  name: 'Stahlbau Zeitz GmbH',
  carer: 'paul.richter',
  coCarers: ['img'],
};
const visit = {
  visitId: 'v1',
  at: '2026-05-20T08:00:00.000Z',
  durationMinutes: 90,
  participants: [paul, stefan],
  place: 'sealed:v1:abc',
  sequence: 0,
};
const event = (type: FirmEventType, data: Record<string, unknown>, agency = 'wf-burgenlandkreis', step = 4) =>
  firmEvent({
    firmId: FIRM,
    step,
    type,
    agency,
    time: new Date('2026-05-01T10:00:00Z'),
    data: { actor: 'user:paul.richter@wf-burgenlandkreis', summary, ...data },
  });
const mails = (type: FirmEventType, data: Record<string, unknown>, agency?: string, step?: number) =>
  firmMailsFor(event(type, data, agency, step), recipients)!;

/** The VEVENT of a mail's calendar entry, read back by a real iCalendar parser (ical.js). */
function calendarOf(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: vevent.getFirstPropertyValue('uid'),
    sequence: vevent.getFirstPropertyValue('sequence'),
    start: (vevent.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
    minutes: (vevent.getFirstPropertyValue('duration') as ICAL.Duration).toSeconds() / 60,
    summary: vevent.getFirstPropertyValue('summary'),
    status: vevent.getFirstPropertyValue('status'),
    url: vevent.getFirstPropertyValue('url'),
    organizer: String(vevent.getFirstPropertyValue('organizer')),
    attendees: vevent.getAllProperties('attendee').map((a) => ({
      address: String(a.getFirstValue()).replace(/^mailto:/i, ''),
      name: a.getParameter('cn'),
    })),
  };
}

describe('a planned visit', () => {
  it('invites each participant: at their own address, or their agency’s staff mailbox naming them', () => {
    const sent = mails('visit_planned', { visit });
    expect(sent.map((m) => m.to)).toEqual([
      'paul.richter@burgenlandkreis.example',
      'anfragen@img-sachsen-anhalt.example',
    ]);
    expect(sent[0]!.subject).toBe('Lotse: Einladung zum Unternehmensbesuch: Stahlbau Zeitz GmbH');
    expect(sent[0]!.text).toContain('Mittwoch, 20.05.2026, 10:00 Uhr, 90 Minuten');
    expect(sent[0]!.text).toContain(`${APP}/unternehmen/${FIRM}`);
    expect(sent[0]!.text).not.toContain('Weitergabe');
    expect(sent[1]!.text).toMatch(/^Zur Weitergabe an Stefan Hoffmann: Lotse kennt keine E-Mail-Adresse\./);
    // One key per event and recipient: what makes a redelivery harmless.
    expect(sent.map((m) => m.key)).toEqual([
      `${FIRM}.4.visit_planned.paul.richter@burgenlandkreis.example`,
      `${FIRM}.4.visit_planned.anfragen@img-sachsen-anhalt.example`,
    ]);
  });

  it('carries an iCalendar REQUEST: a stable UID, SEQUENCE, start, duration, organizer and attendees', () => {
    const [mail] = mails('visit_planned', { visit });
    expect(mail!.calendar!.method).toBe('REQUEST');
    const ics = calendarOf(mail!.calendar!.content);
    expect(ics).toMatchObject({
      method: 'REQUEST',
      uid: `${FIRM}.v1@lotse`,
      sequence: 0,
      start: '2026-05-20T08:00:00.000Z',
      minutes: 90,
      summary: 'Unternehmensbesuch: Stahlbau Zeitz GmbH',
      status: 'CONFIRMED',
      url: `${APP}/unternehmen/${FIRM}`,
    });
    expect(ics.organizer.toLowerCase()).toBe('mailto:lotse@lotse.example');
    expect(ics.attendees).toEqual([
      { address: 'paul.richter@burgenlandkreis.example', name: 'Paul Richter' },
      { address: 'anfragen@img-sachsen-anhalt.example', name: 'Stefan Hoffmann' },
    ]);
    // Every participant's entry is the same: an update finds it under its UID in every calendar.
    const [, other] = mails('visit_planned', { visit });
    expect(other!.calendar!.content).toBe(mail!.calendar!.content);
  });

  it('moved: the same UID with the higher SEQUENCE, and the new time', () => {
    const moved = { ...visit, at: '2026-05-27T12:30:00.000Z', sequence: 1 };
    const sent = mails('visit_planned', { visit: moved, rescheduled: true }, undefined, 5);
    expect(sent[0]!.subject).toBe('Lotse: Unternehmensbesuch verlegt: Stahlbau Zeitz GmbH');
    expect(sent[0]!.text).toContain('jetzt: Mittwoch, 27.05.2026, 14:30 Uhr');
    const ics = calendarOf(sent[0]!.calendar!.content);
    expect(ics).toMatchObject({ method: 'REQUEST', uid: `${FIRM}.v1@lotse`, sequence: 1 });
    expect(ics.start).toBe('2026-05-27T12:30:00.000Z');
  });

  it('an expansion: the co-carer hears of it with the link to join, the agency that started it does not', () => {
    const sent = mails('expansion_started', { enquiryId: 'wf-burgenlandkreis-0123', jobs: 40, jobsSecured: 180 });
    expect(sent.map((m) => [m.to, m.subject])).toEqual([
      ['anfragen@img-sachsen-anhalt.example', 'Lotse: Erweiterungsprojekt: Stahlbau Zeitz GmbH'],
    ]);
    expect(sent[0]!.text).toContain('40 neue und 180 gesicherte Arbeitsplätze');
    expect(sent[0]!.text).toContain(`${APP}/anfragen/wf-burgenlandkreis-0123`);
    const fromImg = mails('expansion_started', { enquiryId: 'x', jobs: 1, jobsSecured: 2 }, 'img');
    expect(fromImg.map((m) => m.to)).toEqual([expect.stringContaining('burgenlandkreis')]);
  });

  it('moved without someone: the others get the update, the one left out a cancellation', () => {
    const [kept, dropped] = visit.participants;
    const moved = { ...visit, participants: [kept!], sequence: 1 };
    const sent = mails('visit_planned', {
      visit: moved,
      rescheduled: true,
      before: { participants: visit.participants },
    });
    expect(sent.map((m) => [m.subject, m.calendar!.method])).toEqual([
      ['Lotse: Unternehmensbesuch verlegt: Stahlbau Zeitz GmbH', 'REQUEST'],
      ['Lotse: Unternehmensbesuch abgesagt: Stahlbau Zeitz GmbH', 'CANCEL'],
    ]);
    expect(sent[1]!.to).not.toBe(sent[0]!.to);
    expect(dropped).toBeDefined();
  });

  it('cancelled: METHOD:CANCEL for the same UID, outranking the last invitation', () => {
    const last = { ...visit, sequence: 1 };
    const sent = mails('visit_cancelled', { visit: last, reason: 'Firma bittet um neuen Termin' });
    expect(sent.map((m) => m.to)).toHaveLength(2);
    expect(sent[0]!.subject).toBe('Lotse: Unternehmensbesuch abgesagt: Stahlbau Zeitz GmbH');
    expect(sent[0]!.calendar!.method).toBe('CANCEL');
    const ics = calendarOf(sent[0]!.calendar!.content);
    expect(ics).toMatchObject({ method: 'CANCEL', uid: `${FIRM}.v1@lotse`, sequence: 2, status: 'CANCELLED' });
    // The reason is free text staff typed: it stays in Lotse.
    expect(sent[0]!.text).not.toContain('Termin');
  });

  it('two people without an address at one agency: one mail to its mailbox, naming both', () => {
    const lea = { agency: 'img', sub: 'lea.wagner' };
    const sent = mails('visit_planned', { visit: { ...visit, participants: [paul, stefan, lea] } });
    expect(sent.map((m) => m.to)).toEqual([
      'paul.richter@burgenlandkreis.example',
      'anfragen@img-sachsen-anhalt.example',
    ]);
    expect(sent[1]!.text).toContain('Zur Weitergabe an Stefan Hoffmann und lea.wagner:');
    expect(calendarOf(sent[1]!.calendar!.content).attendees).toContainEqual({
      address: 'anfragen@img-sachsen-anhalt.example',
      name: 'Stefan Hoffmann, lea.wagner',
    });
  });
});

describe('a visit due and concerns', () => {
  it('tells the Betreuer a visit is due, or the agency’s mailbox when Lotse knows no address', () => {
    const due = { nextVisitDue: '2026-06-01', lastVisitOn: '2025-12-01', carer: 'paul.richter' };
    const [mail] = mails('visit_due', due, 'wf-burgenlandkreis');
    expect(mail).toMatchObject({
      to: 'paul.richter@burgenlandkreis.example',
      subject: 'Lotse: Besuch fällig: Stahlbau Zeitz GmbH',
    });
    expect(mail!.text).toContain('seit dem 01.06.2026 fällig');
    expect(mail!.calendar).toBeUndefined();
    const unknown = firmMailsFor(event('visit_due', { ...due, summary: { ...summary, carer: 'nobody' } }), recipients)!;
    expect(unknown.map((m) => m.to)).toEqual(['anfragen@burgenlandkreis.example']);
    expect(unknown[0]!.text).toMatch(/^Zur Weitergabe an nobody:/);
    const noCarer = firmMailsFor(event('visit_due', { ...due, summary: { ...summary, carer: null } }), recipients)!;
    expect(noCarer.map((m) => m.to)).toEqual(['anfragen@burgenlandkreis.example']);
    expect(noCarer[0]!.text).not.toContain('Weitergabe');
  });

  const concern = { concernId: 'c2', topic: 'funding', handledBy: 'img', due: '2026-05-15T15:00:00.000Z' };

  it('gives a concern to the handling agency’s staff, reminds them, and escalates to its managers', () => {
    const opened = mails('concern_opened', { ...concern, via: 'visit', note: 'sealed:v1:xyz', visitId: 'r1' });
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      to: 'anfragen@img-sachsen-anhalt.example',
      subject: 'Lotse: Neues Anliegen: Stahlbau Zeitz GmbH',
    });
    expect(opened[0]!.text).toContain(
      'Förderung und Finanzierung (aufgenommen von Wirtschaftsförderung des Burgenlandkreises)',
    );
    expect(opened[0]!.text).toContain('Bitte beantworten Sie es bis Freitag, 15.05.2026, 17:00 Uhr');
    expect(opened[0]!.text).not.toContain('sealed');
    const reminder = mails('concern_reminder_due', concern, 'img');
    expect(reminder).toMatchObject([
      { to: 'anfragen@img-sachsen-anhalt.example', subject: 'Lotse: Erinnerung: Anliegen von Stahlbau Zeitz GmbH' },
    ]);
    const overdue = mails('concern_overdue', concern, 'img');
    expect(overdue).toMatchObject([
      {
        to: 'geschaeftsfuehrung@img-sachsen-anhalt.example',
        subject: 'Lotse: Überfällig: Anliegen von Stahlbau Zeitz GmbH',
      },
    ]);
  });

  it('a concern handed on: one mail to the new agency, on the concern it opens there', () => {
    const handed = mails('concern_handed_on', { concernId: 'c1', to: 'img', note: 'sealed:v1:abc' });
    expect(handed).toEqual([]);
    const reopened = mails('concern_opened', { ...concern, via: 'handed_on', note: 'sealed:v1:abc' });
    expect(reopened).toMatchObject([
      { to: 'anfragen@img-sachsen-anhalt.example', subject: 'Lotse: Anliegen weitergegeben: Stahlbau Zeitz GmbH' },
    ]);
    expect(reopened[0]!.text).toContain('weitergegeben von Wirtschaftsförderung des Burgenlandkreises');
  });
});

describe('what mails nobody', () => {
  it('the steps nobody must act on, and an event whose data is not what its type promises', () => {
    for (const type of ['firm_registered', 'firm_updated', 'visit_recorded', 'concern_answered'] as const) {
      expect(mails(type, {})).toEqual([]);
      expect(MAILED_FIRM_EVENTS).not.toContain(type);
    }
    expect(firmMailsFor(event('visit_planned', { visit: { ...visit, at: 'morgen' } }), recipients)).toBeNull();
    expect(firmMailsFor(event('concern_overdue', { ...{ concernId: 'c1' } }), recipients)).toBeNull();
  });

  it('no personal data but the firm’s name and the people invited', () => {
    const all = [
      ...mails('visit_planned', { visit }),
      ...mails('concern_opened', {
        concernId: 'c1',
        topic: 'site',
        handledBy: 'img',
        due: visit.at,
        note: 'sealed:v1:n',
      }),
    ];
    for (const m of all) {
      expect(m.text).not.toMatch(/sealed|paul\.richter@/);
      expect(m.subject).not.toMatch(/Richter|Hoffmann/);
    }
  });
});
