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
