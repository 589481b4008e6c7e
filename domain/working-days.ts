import { getHolidays } from 'feiertagejs';
import { z } from 'zod';
import { durationMs, ISO_DURATION, namesAmount } from './duration.js';

/**
 * Deadlines as agencies count them. An agreement's "within 2 days" may mean two
 * Arbeitstage at the agency that must act: weekends, its Land's public holidays and its
 * own closing days do not count, and the deadline falls at the end of the last working
 * day (17:00 in Berlin unless the agency says otherwise), whatever the clocks do in
 * between. Calendar durations (P5D, PT2S) count as they always did.
 */

export const Land = z.enum([
  'BW',
  'BY',
  'BE',
  'BB',
  'HB',
  'HE',
  'HH',
  'MV',
  'NI',
  'NW',
  'RP',
  'SL',
  'SN',
  'ST',
  'SH',
  'TH',
]);
export type Land = z.infer<typeof Land>;

/** The Länder by the first two digits of their AGS (Amtlicher Gemeindeschlüssel). */
const LAND_OF_AGS: Record<string, Land> = {
  '01': 'SH', '02': 'HH', '03': 'NI', '04': 'HB', '05': 'NW', '06': 'HE', '07': 'RP', '08': 'BW',
  '09': 'BY', '10': 'SL', '11': 'BE', '12': 'BB', '13': 'MV', '14': 'SN', '15': 'ST', '16': 'TH',
}; // prettier-ignore

export const WorkingDays = z
  .object({ workingDays: z.int().positive().max(250) })
  .strict()
  .describe('Arbeitstage at the agency that must act, ending at its end of day');
export type WorkingDays = z.infer<typeof WorkingDays>;

const FORMS = 'an ISO 8601 duration such as "P5D" or "PT12H", or working days as { "workingDays": 2 }';

export type Period = string | WorkingDays;

/** A deadline's length: calendar time, or working days; anything else is refused naming both forms. */
export const Period = z.custom<Period>(
  (v) => (typeof v === 'string' ? ISO_DURATION.test(v) && namesAmount(v) : WorkingDays.safeParse(v).success),
  { message: `must be ${FORMS}` },
);

export const ClosingDay = z
  .string()
  .regex(/^(\d{4}-)?\d{2}-\d{2}$/, 'must be a date such as 2026-12-24, or 12-24 for every year')
  .describe('MM-DD every year, or YYYY-MM-DD once');

export const AgencyCalendar = z
  .object({
    land: Land.optional().describe('whose public holidays count; default: the Land of all the agency covers'),
    closingDays: z.array(ClosingDay).default([]),
    endOfDay: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 17:00')
      .default('17:00'),
  })
  .strict();
export type AgencyCalendar = z.infer<typeof AgencyCalendar>;

/** What counting working days needs of an agency: whose holidays, which extra days closed, when the day ends. */
export interface WorkCalendar {
  /** Null: only the holidays of all of Germany (an agency across several Länder). */
  land: Land | null;
  closingDays: string[];
  endOfDay: string;
}

/** The calendar of an agency: its own settings, else the Land every AGS prefix it covers lies in. */
export function calendarOf(agency: { covers: string[]; calendar?: Partial<AgencyCalendar> }): WorkCalendar {
  const lands = new Set(agency.covers.map((ags) => LAND_OF_AGS[ags.slice(0, 2)]));
  const derived = lands.size === 1 ? ([...lands][0] ?? null) : null;
  return {
    land: agency.calendar?.land ?? derived,
    closingDays: agency.calendar?.closingDays ?? [],
    endOfDay: agency.calendar?.endOfDay ?? '17:00',
  };
}

/** When a deadline of `period`, starting at `from`, falls for the agency with this calendar. */
export function deadlineAfter(from: Date, period: Period, calendar: WorkCalendar): Date {
  if (typeof period === 'string') return new Date(from.getTime() + durationMs(period));
  let day = berlinDate(from);
  for (let counted = 0; counted < period.workingDays;) {
    day = nextDay(day);
    if (isWorkingDay(day, calendar)) counted++;
  }
  return berlinInstant(day, calendar.endOfDay);
}

/** Monday to Friday, not a public holiday of the Land (or of Germany), not a closing day of the agency. */
export function isWorkingDay(day: string, calendar: WorkCalendar): boolean {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  if (holidaysOf(Number(day.slice(0, 4)), calendar.land).has(day)) return false;
  return !calendar.closingDays.some((c) => c === day || c === day.slice(5));
}

const holidayCache = new Map<string, Set<string>>();
function holidaysOf(year: number, land: Land | null): Set<string> {
  const key = `${year}:${land ?? 'BUND'}`;
  let days = holidayCache.get(key);
  if (!days) holidayCache.set(key, (days = new Set(getHolidays(year, land ?? 'BUND').map((h) => h.dateString))));
  return days;
}

const BERLIN = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function berlinParts(at: Date) {
  const parts = Object.fromEntries(BERLIN.formatToParts(at).map((p) => [p.type, p.value]));
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;
}

/** The date (YYYY-MM-DD) it is in Berlin at that instant. */
export function berlinDate(at: Date): string {
  const p = berlinParts(at);
  return `${p.year}-${p.month}-${p.day}`;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The instant it is `time` (HH:MM) in Berlin on that date, in winter (CET) and summer time (CEST) alike. */
export function berlinInstant(day: string, time: string): Date {
  const wall = Date.parse(`${day}T${time}:00Z`);
  const offsetAt = (instant: number) => {
    const p = berlinParts(new Date(instant));
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - instant;
  };
  // The offset of the guess, then of the instant it gives: right on either side of a change.
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first));
}
