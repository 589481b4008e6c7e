/**
 * When a firm's next visit is due: pure date arithmetic, free of any schema library, so that
 * the firm's workflow (its bundle) and the api count alike.
 */

/**
 * The day the next visit is due: `months` calendar months after the last visit (or after the
 * firm entered the register), on the same day of the month or the month's last day
 * (31 August + 6 months: 28 or 29 February). Days are Berlin calendar days, YYYY-MM-DD.
 */
export function nextVisitDue(lastDay: string, months: number): string {
  const [y, m, d] = lastDay.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastOfMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, lastOfMonth);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
