/** Dates, deadlines and amounts as German agency staff write them. */

const date = new Intl.DateTimeFormat('de-DE', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'Europe/Berlin',
});
const time = new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Berlin' });

/** "12.03.2027" */
export const day = (iso: string | number) => date.format(new Date(iso));

/** "12.03.2027, 14:30 Uhr" */
export const dateTime = (iso: string) => `${date.format(new Date(iso))}, ${time.format(new Date(iso))} Uhr`;

const monthYear = new Intl.DateTimeFormat('de-DE', { month: 'long', year: 'numeric', timeZone: 'Europe/Berlin' });

/** "2026-03" → "März 2026" */
export const month = (yyyyMm: string) => monthYear.format(new Date(`${yyyyMm}-15T12:00:00Z`));

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "noch 2 Tage", "heute fällig", "seit 3 Stunden überfällig" */
export function relativeDeadline(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  const hours = Math.floor(Math.abs(ms) / 3_600_000);
  const days = Math.floor(hours / 24);
  if (ms < 0) {
    if (days >= 1) return `seit ${plural(days, 'Tag', 'Tagen')} überfällig`;
    if (hours >= 1) return `seit ${plural(hours, 'Stunde', 'Stunden')} überfällig`;
    return 'gerade überfällig';
  }
  // Two working days given at noon are "noch 2 Tage", not "noch 1 Tag" a minute later.
  const daysLeft = Math.round(hours / 24);
  if (daysLeft >= 1) return `noch ${plural(daysLeft, 'Tag', 'Tage')}`;
  return hours >= 1 ? `noch ${plural(hours, 'Stunde', 'Stunden')} – heute fällig` : 'heute fällig';
}

const number = new Intl.NumberFormat('de-DE');

/** "8.500 m²" below a hectare, "25 ha" from there on. */
export const area = (m2: number) =>
  m2 >= 10_000 ? `${number.format(Math.round(m2 / 1000) / 10)} ha` : `${number.format(m2)} m²`;

/** "120 Mio. €", "850.000 €" */
export const euro = (eur: number) =>
  eur >= 1_000_000 ? `${number.format(Math.round(eur / 100_000) / 10)} Mio. €` : `${number.format(eur)} €`;

export const count = (n: number) => number.format(n);
