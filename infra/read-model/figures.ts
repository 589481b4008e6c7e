import { sql } from 'kysely';
import { berlinDay, periodPieces } from '../../domain/stats.js';
import { figuresOf, tally, type Figures } from '../../domain/tally.js';
import { fromRow } from './rows.js';
import type { ReadDb } from './tables.js';

/**
 * The managers' figures for an agency and a period, from the counters the projector keeps
 * (infra/read-model/counters.ts): the sums of the period's whole months and whole days, and,
 * where the period starts or ends within a day, the enquiries of those hours counted as the
 * projector counts them. What a year's figures cost follows the days in it, not the
 * enquiries received in them.
 */

export type { Figures };

export async function figures(db: ReadDb, agency: string, from: Date, to: Date): Promise<Figures> {
  const { months, days, partial } = periodPieces(from, to);
  const inPeriod = sql`agency = ${agency} and ((span = 'month' and start = any(${months}::text[]))
    or (span = 'day' and start = any(${days}::text[])))`;
  const [summed, received, edges] = await Promise.all([
    sql<{ key: string; n: string }>`select key, sum(n) as n from figure_counts where ${inPeriod}
      group by key`.execute(db),
    sql<{ start: string; n: string }>`select start, n from figure_counts where ${inPeriod}
      and key = 'enquiries'`.execute(db),
    Promise.all(partial.map((p) => enquiriesBetween(db, agency, p.from, p.to))),
  ]);
  const sums = new Map(summed.rows.map((r) => [r.key, Number(r.n)]));
  const byMonth = everyMonth(from, to);
  const addMonth = (day: string, n: number) => (byMonth[day.slice(0, 7)] = (byMonth[day.slice(0, 7)] ?? 0) + n);
  for (const r of received.rows) addMonth(r.start, Number(r.n));
  for (const t of edges.flat().flatMap(tally)) {
    if (t.agency !== agency) continue;
    sums.set(t.key, (sums.get(t.key) ?? 0) + t.n);
    if (t.key === 'enquiries') addMonth(t.day, t.n);
  }
  return figuresOf(sums, byMonth);
}

/** The enquiries of the agency received within part of a day (at most a day's). */
async function enquiriesBetween(db: ReadDb, agency: string, from: Date, to: Date) {
  const rows = await db
    .selectFrom('enquiries')
    .selectAll()
    .where(sql<boolean>`agencies @> array[${agency}]::text[]`)
    .where('received_at', '>=', from)
    .where('received_at', '<', to)
    .execute();
  return rows.map(fromRow);
}

/** Every month of the period at 0 (YYYY-MM, Berlin), so that a chart shows the gaps. */
function everyMonth(from: Date, to: Date): Record<string, number> {
  const months: Record<string, number> = {};
  const last = berlinDay(new Date(to.getTime() - 1)).slice(0, 7);
  for (let m = berlinDay(from).slice(0, 7); m <= last; m = nextMonth(m)) months[m] = 0;
  return months;
}

function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}
