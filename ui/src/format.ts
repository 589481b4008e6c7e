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

const longDay = new Intl.DateTimeFormat('de-DE', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Berlin',
});

/** "7. Dezember 2026, 10:42 Uhr": the moment a list or figures were put together ("Stand"). */
export const longDateTime = (iso: string) => `${longDay.format(new Date(iso))}, ${time.format(new Date(iso))} Uhr`;

const monthYear = new Intl.DateTimeFormat('de-DE', { month: 'long', year: 'numeric', timeZone: 'Europe/Berlin' });

/** "2026-03" → "März 2026" */
export const month = (yyyyMm: string) => monthYear.format(new Date(`${yyyyMm}-15T12:00:00Z`));

/** "2026-Q3" → "3. Quartal 2026"; anything else as it is. */
export function quarterName(q: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(q);
  return m ? `${m[2]}. Quartal ${m[1]}` : q;
}

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
/** Every decimal a person typed comes back as they typed it: "2,75", "1.234,5". */
const precise = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 6 });

/** "50.000", "2,8": a number as a German reads and types it (the value of a number field, too). */
export const decimal = (n: number) => precise.format(n);

/** "8.500 m²" below a hectare, "25 ha" from there on. */
export const area = (m2: number) =>
  m2 >= 10_000 ? `${number.format(Math.round(m2 / 1000) / 10)} ha` : `${number.format(m2)} m²`;

const oneDecimal = new Intl.NumberFormat('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** "25,0 ha", "0,4 ha": areas of a region side by side in a table, all in hectares to one decimal. */
export const hectares = (m2: number) => `${oneDecimal.format(m2 / 10_000)}\u00a0ha`;

/** "150.000 m² (15 ha)": a site's size, exact and at a glance. */
export const areaBoth = (m2: number) => `${precise.format(m2)} m² (${precise.format(Math.round(m2 / 100) / 100)} ha)`;

/** A suitability score of 0–100 (domain/matching.ts) as "82 %". */
export const percent = (score0to100: number) => `${number.format(Math.round(score0to100))}\u00a0%`;

/** How long something took: "unter einer Minute", "1 Minute", "5 Minuten", "1 Stunde", "2,5 Stunden", "3 Tage". */
export function duration(seconds: number): string {
  if (seconds < 60) return 'unter einer Minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return plural(minutes, 'Minute', 'Minuten');
  const hours = Math.round(seconds / 360) / 10;
  if (hours < 24) return `${precise.format(hours)} ${hours === 1 ? 'Stunde' : 'Stunden'}`;
  const days = Math.round(seconds / 8640) / 10;
  return `${precise.format(days)} ${days === 1 ? 'Tag' : 'Tage'}`;
}

/** "2026-01-01": the calendar day in Berlin, for file names and spreadsheets. */
export const isoDay = (iso: string | number) => {
  const parts = Object.fromEntries(date.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
};

/** "2026-06-01" (a day in the address) as "01.06.2026" in a field; anything else as it is. */
export const shownDay = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? germanDay(v) : v);

/**
 * A day as Germans write it: "1.12.2026" or "01.12.2026" (also ISO "2026-12-01", as a
 * pasted value may be). A text field, not type=date: the browser's date field shows its
 * own language's order (12/01/2026), whatever the page's.
 */
export function parseGermanDay(text: string): string | null {
  const t = text.trim();
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const [y, m, d] = german ? [german[3], german[2], german[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (!y || !m || !d) return null;
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  // 31.02. is no day: the Date rolls it over into March.
  if (day.getUTCFullYear() !== Number(y) || day.getUTCMonth() !== Number(m) - 1 || day.getUTCDate() !== Number(d))
    return null;
  return day.toISOString().slice(0, 10);
}

/** Today where the person is, as YYYY-MM-DD. */
export function todayHere(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** "2026-12-01" → "01.12.2026". */
export const germanDay = (iso: string) => iso.split('-').reverse().join('.');

export type ParsedNumber = { ok: true; value: number } | { ok: false; reason: 'empty' | 'ambiguous' | 'invalid' };

/**
 * A number as Germans type it: the dot groups thousands, the comma starts the decimals.
 * "50.000" → 50000, "2,8" → 2.8, "1.234,5" → 1234.5, "1 500" → 1500. "2.8" could be an
 * English 2.8 or a mistyped 2.800: refused as ambiguous rather than guessed.
 */
export function parseGermanNumber(text: string): ParsedNumber {
  const s = text.trim().replace(/[\s\u00a0\u202f](?=\d{3}(\D|$))/g, '.');
  if (s === '') return { ok: false, reason: 'empty' };
  const m = /^(-?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/.exec(s);
  if (m) return { ok: true, value: Number(`${m[1]}${m[2]!.replace(/\./g, '')}.${m[3] ?? '0'}`) };
  return { ok: false, reason: /^-?[\d.,]+$/.test(s) ? 'ambiguous' : 'invalid' };
}

/** "120 Mio. €", "850.000 €" */
export const euro = (eur: number) =>
  eur >= 1_000_000 ? `${number.format(Math.round(eur / 100_000) / 10)} Mio. €` : `${number.format(eur)} €`;

export const count = (n: number) => number.format(n);

/** "14:30" in Berlin, for a time field. */
export const clock = (iso: string) => time.format(new Date(iso));

/** Minutes east of UTC in Berlin at an instant: 60 in winter, 120 in summer. */
function berlinOffsetMinutes(at: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'longOffset' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** "14:30" or "9:05" as hours and minutes; null for anything else. */
export function parseClock(text: string): { h: number; m: number } | null {
  const m = /^(\d{1,2})[:.](\d{2})(\s*Uhr)?$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 23 && min <= 59 ? { h, m: min } : null;
}

/**
 * A day and a time as read on a Berlin clock, as an instant with its offset
 * ("2027-03-12T14:30:00+01:00"), as the api takes it; null when either does not read.
 */
export function berlinInstant(dayText: string, clockText: string): string | null {
  const isoDay = parseGermanDay(dayText);
  const c = parseClock(clockText);
  if (!isoDay || !c) return null;
  const [y, mo, d] = isoDay.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, c.h, c.m);
  let offset = berlinOffsetMinutes(wall - berlinOffsetMinutes(wall) * 60_000);
  offset = berlinOffsetMinutes(wall - offset * 60_000);
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const sign = offset < 0 ? '-' : '+';
  return `${isoDay}T${pad(c.h)}:${pad(c.m)}:00${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}
