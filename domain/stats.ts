import { z } from 'zod';
import { AgencyId } from './reference.js';

/**
 * The managers' figures (GET /v1/stats), computed by the read model
 * (infra/read-model/figures.ts). A project handled jointly counts once in the totals;
 * each handling agency is shown its share, so the shares add up to the total.
 */

/** The longest period figures are asked for at once: longer ones are refused, not computed. */
export const LONGEST_PERIOD_YEARS = 10;

const Figures = z.object({ enquiries: z.number(), jobs: z.number(), investmentEur: z.number() });

/** The figures of GET /v1/stats. */
export const Stats = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  period: z
    .enum(['requested', 'calendar_year_default'])
    .describe('whether the period was asked for, or is this calendar year because none was'),
  agency: AgencyId,
  asOf: z.iso
    .datetime()
    .nullable()
    .describe('every step of an enquiry taken up to this moment is counted; null before the first'),
  enquiries: z.int(),
  byStatus: z.record(z.string(), z.int()),
  byResponsibleAgency: z.record(z.string(), z.int()),
  significant: z.int(),
  forwarding: z.object({
    requested: z.int(),
    leadsForwarded: z.int(),
    accepted: z.int(),
    declined: z.int(),
    expired: z.int(),
  }),
  outcomes: z.record(z.string(), z.int()),
  medianSecondsFromReceipt: z
    .record(z.string(), z.object({ median: z.number(), count: z.int() }))
    .describe(
      'median seconds from receipt to the first decision of each kind (exact below 32 ms, within 1.6 % above), ' +
        'and how many enquiries had one',
    ),
  settled: Figures.extend({ byAgency: z.record(z.string(), Figures) }),
  receivedByMonth: z
    .record(z.string(), z.int())
    .describe('enquiries received per calendar month (YYYY-MM, Europe/Berlin), every month of the period'),
  joint: z
    .object({ projects: z.int(), byAgency: z.record(z.string(), z.int()) })
    .describe('projects handled jointly after a vote, and in how many of them each agency takes part'),
});
export type Stats = z.infer<typeof Stats>;

/** The start of a day (YYYY-MM-DD) in Germany: midnight in Berlin, CET or CEST as the day has it. */
export function berlinMidnight(day: string): Date {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  // At midnight UTC it is 01:00 (CET) or 02:00 (CEST) in Berlin; the day began that many hours before.
  const hour = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Berlin',
    hour: '2-digit',
    hourCycle: 'h23',
  }).format(utcMidnight);
  return new Date(utcMidnight.getTime() - Number(hour) * 3600_000);
}

/** The calendar year (Europe/Berlin, where 1 January is always CET) that holds the moment. */
export function calendarYear(now: Date): { from: Date; to: Date } {
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Berlin', year: 'numeric' }).format(now));
  return { from: berlinMidnight(`${year}-01-01`), to: berlinMidnight(`${year + 1}-01-01`) };
}

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** YYYY-MM-DD: the calendar day in Berlin that holds the moment. */
export const berlinDay = (at: string | Date) => dayFormat.format(new Date(at));

/** The day after a day (YYYY-MM-DD). */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * A period as the read model sums its figures: the whole months in it (YYYY-MM-01), the
 * other whole days (YYYY-MM-DD), and what is left at either end that is not a whole day in
 * Berlin (a period given to the second), which is read from the enquiries themselves.
 */
export interface PeriodPieces {
  months: string[];
  days: string[];
  partial: { from: Date; to: Date }[];
}

export function periodPieces(from: Date, to: Date): PeriodPieces {
  let first = berlinDay(from);
  if (berlinMidnight(first) < from) first = nextDay(first);
  const end = berlinDay(to);
  if (first >= end) return { months: [], days: [], partial: from < to ? [{ from, to }] : [] };
  const partial = [
    { from, to: berlinMidnight(first) },
    { from: berlinMidnight(end), to },
  ].filter((p) => p.from < p.to);
  const months: string[] = [];
  const days: string[] = [];
  for (let day = first; day < end;) {
    const monthStart = `${day.slice(0, 7)}-01`;
    const nextMonth = nextDay(`${day.slice(0, 7)}-${daysIn(day)}`);
    if (day === monthStart && nextMonth <= end) {
      months.push(monthStart);
      day = nextMonth;
    } else {
      days.push(day);
      day = nextDay(day);
    }
  }
  return { months, days, partial };
}

/** How many days the month of the day has ("28" to "31"). */
function daysIn(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return String(new Date(Date.UTC(y, m, 0)).getUTCDate());
}
