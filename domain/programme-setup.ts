import { determineJurisdiction } from './jurisdiction.js';
import type { ProgrammeSetup } from './programme-count.js';
import type { Area, Measure } from './programme.js';
import type { ReferenceData } from './reference.js';

/** A programme as its figures are counted: the agreement's monitoring, its areas and measures, each area's agency. */

export type ProgrammeReference = Required<ReferenceData>;

/** The programme the agreement runs; undefined where there is none. */
export function programmeSetup(ref: ProgrammeReference, agreementId: string): ProgrammeSetup | undefined {
  const terms = ref.agreements.find((a) => a.id === agreementId)?.monitoring;
  if (!terms) return undefined;
  const areas = terms.areas.map((a) => ref.areas.find((x) => x.id === a)).filter((a): a is Area => !!a);
  const measures = ref.measures.filter((m): m is Measure => terms.measures.includes(m.code));
  const agencyOf = Object.fromEntries(areas.map((a) => [a.id, responsibleFor(ref, a.centre)] as const));
  return { id: agreementId, terms, areas, measures, agencyOf };
}

function responsibleFor(ref: ProgrammeReference, ags: string): string | null {
  const j = determineJurisdiction(ref.agencies, ref.successions, '', [ags]);
  return j.rule === 'most_specific_coverage' ? j.responsibleAgency : null;
}
