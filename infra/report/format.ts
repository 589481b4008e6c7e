/**
 * Numbers and dates as German readers of the report expect them. The web app has its own
 * (ui/src/format.ts), which infra/ may not import; these are the few the report's files need.
 */

const whole = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 0 });
const upToOneDecimal = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 });
const oneDecimal = new Intl.NumberFormat('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const day = new Intl.DateTimeFormat('de-DE', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'Europe/Berlin',
});
const clock = new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Berlin' });

/** "1.250" */
export const count = (n: number) => whole.format(n);

/** "12,5 Mio. €" from a million on (as the web app shows investment), "850.000 €" below. */
export const euro = (eur: number) =>
  eur >= 1_000_000 ? `${upToOneDecimal.format(eur / 1_000_000)} Mio. €` : `${whole.format(eur)} €`;

/** Hectares with one decimal: 25 → "25,0" (the column names the unit). */
export const hectares = (ha: number) => oneDecimal.format(ha);

/** "2026-07-01" (a calendar day, no time zone to apply) → "01.07.2026". */
export const germanDay = (isoDay: string) => isoDay.slice(0, 10).split('-').reverse().join('.');

/** An instant as read on a Berlin clock: "01.10.2026, 06:00 Uhr". */
export const berlinDateTime = (iso: string) => {
  const at = new Date(iso);
  return `${day.format(at)}, ${clock.format(at)} Uhr`;
};

/** "2026-Q3" → "Q3 2026" */
export const quarterLabel = (quarter: string) => `${quarter.slice(5)} ${quarter.slice(0, 4)}`;
