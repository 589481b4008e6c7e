/** ISO 8601 duration without years and months (their length varies): P5D, PT2S, P1DT12H. */
export const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of a duration that passed IsoDuration. */
export function durationMs(iso: string): number {
  const m = ISO_DURATION.exec(iso);
  if (!m) throw new Error(`not an ISO 8601 duration: ${iso}`);
  const [, w, d, h, min, s] = m.map((v) => Number(v ?? 0));
  return ((((w! * 7 + d!) * 24 + h!) * 60 + min!) * 60 + s!) * 1000;
}

/** An ISO 8601 period names at least one amount: not a bare `P`, not a `T` with nothing after it. */
export const namesAmount = (iso: string) => iso !== 'P' && !iso.endsWith('T');
