/**
 * Which period a programme's report covers: the quarter just ended, on the first working day of
 * the next one (the schedule fires on the first days of every quarter; on the other days the
 * report workflow ends at once), or a period a manager asks for.
 */

export interface ReportPeriod {
  /** `<from>_<to>`: the report's id within its programme. */
  reportId: string;
  /** YYYY-MM-DD, the first day in it. */
  from: string;
  /** YYYY-MM-DD, the last day in it. */
  to: string;
  /** "3. Quartal 2026", or "01.03.2026 – 31.05.2026". */
  title: string;
}

/** The quarter before the day's, when the day is the first working day of its quarter; else null. */
export function quarterlyPeriod(day: string, isWorkingDay: (day: string) => boolean): ReportPeriod | null {
  const [year, month] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  const start = `${year}-${pad(month - ((month - 1) % 3))}-01`;
  let first = start;
  while (!isWorkingDay(first)) first = addDays(first, 1);
  if (first !== day) return null;
  const previous = month <= 3 ? `${year - 1}-10-01` : `${year}-${pad(month - ((month - 1) % 3) - 3)}-01`;
  return periodOf(previous, addDays(start, -1));
}

/** The report of a period (both days in). */
export function periodOf(from: string, to: string): ReportPeriod {
  return { reportId: `${from}_${to}`, from, to, title: titleOf(from, to) };
}

function titleOf(from: string, to: string): string {
  const quarter = (Number(from.slice(5, 7)) - 1) / 3 + 1;
  const isQuarter = from.slice(8) === '01' && Number.isInteger(quarter) && addDays(to, 1) === nextQuarterStart(from);
  return isQuarter ? `${quarter}. Quartal ${from.slice(0, 4)}` : `${german(from)} – ${german(to)}`;
}

function nextQuarterStart(from: string): string {
  const [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  return m >= 10 ? `${y + 1}-01-01` : `${y}-${pad(m + 3)}-01`;
}

const german = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}.${day.slice(0, 4)}`;
const pad = (n: number) => String(n).padStart(2, '0');

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
