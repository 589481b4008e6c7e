import { z } from 'zod';
import { namesAmount } from './duration.js';

/**
 * How long an agency keeps an enquiry's personal data after the enquiry closed (GDPR
 * Art. 5(1)(e)). Periods may name years and months: they count in the calendar.
 */

const PERIOD = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export const RetentionPeriod = z
  .string()
  .regex(PERIOD, 'must be an ISO 8601 period such as P2Y, P6M, P30D or PT10S')
  .refine(namesAmount, 'must name at least one amount')
  .describe('ISO 8601 period, e.g. P2Y or P6M');

export const Retention = z
  .object({
    afterClose: RetentionPeriod.describe('after an enquiry closed settled, lost or without a site'),
    afterWithdrawn: RetentionPeriod.optional().describe('after the investor withdrew; default: afterClose'),
  })
  .strict();
export type Retention = z.infer<typeof Retention>;

/** For agencies whose reference data names no period: two years, as agencies keep files of closed matters. */
export const DEFAULT_RETENTION: Retention = { afterClose: 'P2Y', afterWithdrawn: 'P6M' };

/** `from` plus the period, in UTC calendar arithmetic (31 January plus P1M is 3 March, as in JavaScript). */
export function addPeriod(from: Date, period: string): Date {
  const m = PERIOD.exec(period);
  if (!m) throw new Error(`not an ISO 8601 period: ${period}`);
  const [y, mo, w, d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0)) as number[];
  const at = new Date(from);
  at.setUTCFullYear(at.getUTCFullYear() + y!, at.getUTCMonth() + mo!, at.getUTCDate() + w! * 7 + d!);
  return new Date(at.getTime() + ((h! * 60 + min!) * 60 + s!) * 1000);
}

/** When the personal data of an enquiry closed at `closedAt` with `outcome` is to be erased. */
export function erasureDue(closedAt: Date, outcome: string | null, retention: Retention = DEFAULT_RETENTION): Date {
  const period = outcome === 'withdrawn' ? (retention.afterWithdrawn ?? retention.afterClose) : retention.afterClose;
  return addPeriod(closedAt, period);
}

/** The shortest period an agency's retention names: enquiries closed more recently are never due yet. */
export function shortestPeriodMs(retention: Retention, at: Date): number {
  const periods = [retention.afterClose, retention.afterWithdrawn].filter((p) => p !== undefined);
  return Math.min(...periods.map((p) => addPeriod(at, p).getTime() - at.getTime()));
}
