import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { enquiryEvent, type EventType } from '../../domain/events.js';
import { mailsFor, when } from '../../domain/notifications.js';
import { codeName } from '../../domain/redaction.js';
import { loadReference } from '../../infra/reference.js';

const reference = loadReference(path.join(__dirname, '../../data'));
const ID = 'irl-0123456789abcdef0123';
const APP = 'https://lotse.example';
const event = (type: EventType, agency: string, data: Record<string, unknown>) =>
  enquiryEvent({ enquiryId: ID, step: 3, type, agency, time: new Date('2026-11-20T10:00:00Z'), data });
const mails = (type: EventType, agency: string, data: Record<string, unknown>) =>
  mailsFor(event(type, agency, data), reference, APP);

describe('who is mailed what', () => {
  it('asks each office of the agreement to vote, with the deadline and the page to vote on', () => {
    const offices = ['ob-leipzig', 'landrat-lk-leipzig', 'landrat-nordsachsen'];
    const sent = mails('joint_handling_requested', 'irl', { offices, due: '2026-12-01T16:00:00Z' });
    expect(sent.map((m) => m.to)).toEqual([
      'ob-buero@leipzig.example',
      'landrat@lk-leipzig.example',
      'landrat@lra-nordsachsen.example',
    ]);
    expect(sent[0]!.subject).toBe(`Lotse: Abstimmung über gemeinsame Bearbeitung – ${codeName(ID)}`);
    expect(sent[0]!.text).toContain('Bitte stimmen Sie bis Dienstag, 01.12.2026, 17:00 Uhr ab');
    expect(sent[0]!.text).toContain(`${APP}/abstimmungen`);
    // One key per event and recipient: what makes a redelivery harmless.
    expect(new Set(sent.map((m) => m.key)).size).toBe(3);
    expect(sent[0]!.key).toBe(`${ID}.3.joint_handling_requested.ob-buero@leipzig.example`);
  });

  it('tells the responsible agency’s staff to decide a forwarding, and its managers when it is overdue', () => {
    const request = mails('forwarding_requested', 'irl', { candidates: [], due: '2026-11-24T16:00:00Z' });
    expect(request.map((m) => m.to)).toEqual(['anfragen@invest-region-leipzig.example']);
    expect(request[0]!.text).toContain('Bitte entscheiden Sie bis Dienstag, 24.11.2026, 17:00 Uhr, ob die Anfrage');
    const reminder = mails('reminder_due', 'irl', {
      about: 'forwarding_decision',
      to: 'staff:irl',
      due: '2026-11-24T16:00:00Z',
    });
    expect(reminder[0]!.subject).toMatch(/^Lotse: Erinnerung: die Entscheidung über die Weiterleitung/);
    const escalation = mails('reminder_due', 'irl', {
      about: 'forwarding_decision',
      to: 'manager:irl',
      escalated: true,
      due: '2026-11-24T16:00:00Z',
    });
    expect(escalation.map((m) => m.to)).toEqual(['geschaeftsfuehrung@invest-region-leipzig.example']);
    expect(escalation[0]!.subject).toMatch(/^Lotse: Überfällig/);
    expect(escalation[0]!.text).toContain(`${APP}/anfragen/${ID}`);
  });

  it('offers a lead to the partner’s staff, and tells the responsible one it was accepted', () => {
    const lead = mails('lead_forwarded', 'irl', { partner: 'wfg-nordsachsen', respondBy: '2026-11-24T16:00:00Z' });
    expect(lead.map((m) => [m.to, m.subject])).toEqual([
      ['anfragen@wfg-nordsachsen.example', `Lotse: Neuer Lead – ${codeName(ID)}`],
    ]);
    const accepted = mails('lead_accepted', 'wfg-nordsachsen', { partner: 'wfg-nordsachsen', responsible: 'irl' });
    expect(accepted.map((m) => m.to)).toEqual(['anfragen@invest-region-leipzig.example']);
    expect(accepted[0]!.text).toContain('WFG Wirtschaftsförderungsgesellschaft mbH des Landkreises Nordsachsen hat');
  });

  it('tells every voting office and every party’s staff how the vote went, each once', () => {
    const decided = mails('joint_handling_decided', 'irl', {
      outcome: 'approve',
      votes: [
        { office: 'ob-leipzig', decision: 'approve' },
        { office: 'landrat-lk-leipzig', decision: 'approve' },
      ],
      missing: ['landrat-nordsachsen'],
      deadlinePassed: true,
    });
    expect(decided.map((m) => m.to)).toEqual([
      'ob-buero@leipzig.example',
      'landrat@lk-leipzig.example',
      'landrat@lra-nordsachsen.example',
      'anfragen@invest-region-leipzig.example',
      'anfragen@wfg-nordsachsen.example',
    ]);
    expect(new Set(decided.map((m) => m.key)).size).toBe(5);
    expect(decided[0]!.subject).toBe(`Lotse: Gemeinsame Bearbeitung beschlossen – ${codeName(ID)}`);
    expect(decided[0]!.text).toContain(`${APP}/abstimmungen#abstimmung-${ID}`);
    expect(decided[2]!.text).toContain('Nicht abgegebene Stimmen zählten bei Fristende als Ablehnung.');
    expect(decided[3]!.text).toContain(`${APP}/anfragen/${ID}`);
  });

  it('mails nobody about steps that ask nothing of anyone, or where no address is known', () => {
    for (const type of ['received', 'jurisdiction_determined', 'sites_proposed', 'closed'] as const)
      expect(mails(type, 'irl', {})).toEqual([]);
    expect(mails('reminder_due', 'irl', { about: 'lead_answer', to: 'staff:unknown-agency' })).toEqual([]);
  });

  it('never carries what an event could hold of the investor: notes stay out, the firm is a code name', () => {
    const sent = mails('lead_accepted', 'wfg-nordsachsen', {
      partner: 'wfg-nordsachsen',
      responsible: 'irl',
      note: 'lotse:sealed:v1:abc',
    });
    expect(JSON.stringify(sent)).not.toContain('sealed');
    expect(JSON.stringify(sent)).toContain(codeName(ID));
  });

  it('writes dates as people in Berlin read them', () => {
    expect(when('2026-03-31T15:00:00Z')).toBe('Dienstag, 31.03.2026, 17:00 Uhr');
    expect(when('2026-10-27T16:00:00Z')).toBe('Dienstag, 27.10.2026, 17:00 Uhr');
  });
});
