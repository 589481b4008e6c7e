import type { Agreement } from './reference.js';

/**
 * The offices that vote on joint handling (Oberbürgermeister, Landrat) belong to one
 * agency each, as the agreement names it. A token counts for an office only when it
 * is a token of that agency: anything else it claims is dropped.
 */
export function officesHeldBy(agreements: Agreement[], agency: string, claimed: string[]): string[] {
  const ofAgency = new Set(
    agreements
      .flatMap((a) => a.jointHandling?.offices ?? [])
      .filter((o) => o.agency === agency)
      .map((o) => o.id),
  );
  return claimed.filter((office) => ofAgency.has(office));
}
