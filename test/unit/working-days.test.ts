import { describe, expect, it } from 'vitest';
import { AgreementsFile } from '../../domain/reference.js';
import { berlinInstant, calendarOf, deadlineAfter, isWorkingDay, Period } from '../../domain/working-days.js';

const saxony = calendarOf({ covers: ['14713', '14729'] });
const anhalt = calendarOf({ covers: ['15084'] });
const thuringia = calendarOf({ covers: ['16'] });
const twoDays = { workingDays: 2 };
const due = (from: string, period: Period, calendar = saxony) =>
  deadlineAfter(new Date(from), period, calendar).toISOString();

describe('working-day deadlines', () => {
  it('counts a Friday-afternoon offer in Saxony with 2 Arbeitstage to Tuesday 17:00', () => {
    // Friday 13 November 2026, 15:30 in Leipzig.
    expect(due('2026-11-13T14:30:00Z', twoDays)).toBe('2026-11-17T16:00:00.000Z');
  });

  it('skips a holiday of the Land: Buß- und Bettag (18 November) in Saxony, not in Sachsen-Anhalt', () => {
    // Monday 16 November: Tuesday counts, Wednesday is Buß- und Bettag in Saxony.
    expect(due('2026-11-16T10:00:00Z', twoDays)).toBe('2026-11-19T16:00:00.000Z');
    expect(due('2026-11-16T10:00:00Z', twoDays, anhalt)).toBe('2026-11-18T16:00:00.000Z');
  });

  it('makes it Wednesday when the Monday is a holiday (Pfingstmontag, Ostermontag)', () => {
    // Friday 22 May 2026, 15:00; Monday 25 May is Pfingstmontag: Tuesday, Wednesday 17:00 (summer time).
    expect(due('2026-05-22T13:00:00Z', twoDays)).toBe('2026-05-27T15:00:00.000Z');
    // Thursday 25 March 2027: Karfreitag, the weekend and Ostermontag do not count.
    expect(due('2027-03-25T12:00:00Z', twoDays)).toBe('2027-03-31T15:00:00.000Z');
  });

  it('skips 6 January in Sachsen-Anhalt, not in Saxony; 20 September in Thüringen', () => {
    // Monday 5 January 2026.
    expect(due('2026-01-05T14:00:00Z', twoDays, anhalt)).toBe('2026-01-08T16:00:00.000Z');
    expect(due('2026-01-05T14:00:00Z', twoDays)).toBe('2026-01-07T16:00:00.000Z');
    expect(isWorkingDay('2027-09-20', thuringia)).toBe(false);
    expect(isWorkingDay('2027-09-20', saxony)).toBe(true);
  });

  it('ends at 17:00 Berlin time on either side of a clock change', () => {
    // Friday 23 October 2026 (summer time); the clocks go back on Sunday: Tuesday 17:00 is 16:00 UTC.
    expect(due('2026-10-23T13:00:00Z', twoDays)).toBe('2026-10-27T16:00:00.000Z');
    // Friday 27 March 2026 (winter time); summer time from Sunday: Tuesday 17:00 is 15:00 UTC.
    expect(due('2026-03-27T13:00:00Z', twoDays)).toBe('2026-03-31T15:00:00.000Z');
    expect(berlinInstant('2026-03-29', '17:00').toISOString()).toBe('2026-03-29T15:00:00.000Z');
    expect(berlinInstant('2026-10-25', '17:00').toISOString()).toBe('2026-10-25T16:00:00.000Z');
  });

  it('counts the day by Berlin’s date: 23:30 UTC on a Friday is already Saturday there', () => {
    expect(due('2026-11-13T23:30:00Z', twoDays)).toBe('2026-11-17T16:00:00.000Z');
    expect(due('2026-11-13T22:30:00Z', { workingDays: 1 })).toBe('2026-11-16T16:00:00.000Z');
  });

  it('honours an agency’s own closing days and end of day', () => {
    const closing = calendarOf({ covers: ['14713'], calendar: { closingDays: ['12-24', '12-31'], endOfDay: '15:30' } });
    // Wednesday 23 December 2026: 24th closed, 25th and 26th holidays, 28th, 29th.
    expect(due('2026-12-23T09:00:00Z', twoDays, closing)).toBe('2026-12-29T14:30:00.000Z');
    expect(due('2026-12-23T09:00:00Z', twoDays)).toBe('2026-12-28T16:00:00.000Z');
  });

  it('keeps calendar durations as they were', () => {
    expect(due('2026-11-13T14:30:00Z', 'P2D')).toBe('2026-11-15T14:30:00.000Z');
    expect(due('2026-11-13T14:30:00Z', 'PT2S')).toBe('2026-11-13T14:30:02.000Z');
  });

  it('counts an agency across several Länder by the holidays of all Germany only', () => {
    const federal = calendarOf({ covers: ['14', '15', '16'] });
    expect(federal.land).toBeNull();
    expect(isWorkingDay('2026-11-18', federal)).toBe(true);
    expect(isWorkingDay('2026-10-03', federal)).toBe(false); // a Saturday anyway
    expect(isWorkingDay('2026-12-25', federal)).toBe(false);
  });

  it('refuses any other form in the reference data, naming both allowed ones', () => {
    const agreement = (decisionWithin: unknown) => [
      {
        id: 'a-b',
        title: 'A',
        parties: ['irl', 'wfg-nordsachsen'],
        forwarding: { partnerResponseWithin: 'P5D', decisionWithin, reminderAfter: { workingDays: 1 } },
      },
    ];
    expect(AgreementsFile.safeParse(agreement({ workingDays: 2 })).success).toBe(true);
    for (const bad of ['2 Arbeitstage', { workingDays: 0 }, { workingDays: 1.5 }, { days: 2 }, 'P']) {
      const result = AgreementsFile.safeParse(agreement(bad));
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(result.error!.issues[0]!.message).toBe(
        'must be an ISO 8601 duration such as "P5D" or "PT12H", or working days as { "workingDays": 2 }',
      );
    }
  });
});
