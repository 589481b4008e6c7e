import { z } from 'zod';

const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** ISO 8601 duration without years and months (their length varies): P5D, PT2S, P1DT12H. */
export const IsoDuration = z
  .string()
  .regex(ISO_DURATION, 'must be an ISO 8601 duration such as P5D, PT12H or PT2S (no years or months)')
  .refine((s) => s !== 'P' && !s.endsWith('T'), 'must name at least one amount')
  .describe('ISO 8601 duration, e.g. P5D or PT2S');

/** Milliseconds of a duration that passed IsoDuration. */
export function durationMs(iso: string): number {
  const m = ISO_DURATION.exec(iso);
  if (!m) throw new Error(`not an ISO 8601 duration: ${iso}`);
  const [, w, d, h, min, s] = m.map((v) => Number(v ?? 0));
  return ((((w! * 7 + d!) * 24 + h!) * 60 + min!) * 60 + s!) * 1000;
}
