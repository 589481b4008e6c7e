import { z } from 'zod';
import { AgsPrefix } from './ags.js';

/**
 * How agencies look after resident firms together (../shared/FACTS.md, Bestandspflege):
 * an agreement's care terms say how often a firm of each care level is visited and for
 * which area its parties care together (IMG with the Burgenlandkreis for the county's
 * firms). Pure: the firm workflow, the api's access checks and the tests share it.
 */

export const CareTerms = z
  .object({
    /** Months between two visits of a firm, per care level (key firms more often). */
    visitEveryMonths: z.object({ key: z.int().min(1).max(60), regular: z.int().min(1).max(120) }).strict(),
    /** The firms cared for together: those with a site in one of these areas (AGS prefixes). */
    area: z.array(AgsPrefix).min(1),
  })
  .strict();
export type CareTerms = z.infer<typeof CareTerms>;

/** What care needs of a firm: whose it is and where its sites lie (domain/firms.ts). */
export interface CaredFirm {
  agency: string;
  sites: { ags: string }[];
}

/** How closely the agency looks after the firm (domain/firms.ts `CareLevel`). */
export type CareLevel = 'key' | 'regular';

/** The care terms of an agreement, as the reference data holds them. */
export interface WithCare {
  id: string;
  parties: string[];
  care?: CareTerms;
}

/** Without an agreement: a key firm every 6 months, any other every 24. */
export const DEFAULT_VISITS: CareTerms['visitEveryMonths'] = { key: 6, regular: 24 };

const inArea = (firm: CaredFirm, terms: CareTerms) =>
  firm.sites.some(({ ags }) => terms.area.some((prefix) => ags.startsWith(prefix)));

/** The agreements with care terms under which the firm's agency cares for it together with others. */
export function careAgreementsOf(firm: CaredFirm, agreements: WithCare[]): WithCare[] {
  return agreements.filter((a) => a.care && a.parties.includes(firm.agency) && inArea(firm, a.care));
}

/** The other agencies that care for the firm (co-carers): they see it, its visits and concerns. */
export function coCarersOf(firm: CaredFirm, agreements: WithCare[]): string[] {
  const parties = careAgreementsOf(firm, agreements).flatMap((a) => a.parties);
  return [...new Set(parties)].filter((p) => p !== firm.agency).sort();
}

/** Whether the agency may see the firm: its own, or one it cares for under an agreement. Nobody else. */
export function maySeeFirm(firm: CaredFirm, agency: string, agreements: WithCare[]): boolean {
  return firm.agency === agency || coCarersOf(firm, agreements).includes(agency);
}

/** How often the firm is visited: the closest rhythm any of its care agreements asks for. */
export function visitEveryMonths(firm: CaredFirm, level: CareLevel, agreements: WithCare[]) {
  const rhythms = careAgreementsOf(firm, agreements).map((a) => a.care!.visitEveryMonths[level]);
  return Math.min(DEFAULT_VISITS[level], ...rhythms);
}
