import type { DataKeys } from '../infra/data-keys.js';
import type { ReadDb } from '../infra/read-model/tables.js';

/**
 * The firm's name for the rows of a list, where the viewer may see it: the agency that
 * received it or is responsible for it, or anyone it was offered to once released (not
 * confidential, or the investor agreed). The read model holds the name sealed with the
 * enquiry's data key (infra/read-model/search.ts); it is opened here, per page, and never
 * kept. Where it cannot be opened (erased, not indexed yet, NATS away) the list shows the
 * code name.
 */
export async function firmNamesFor(
  db: ReadDb,
  dataKeys: DataKeys,
  viewer: string,
  enquiryIds: string[],
): Promise<Map<string, string>> {
  if (enquiryIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('enquiry_search as s')
    .innerJoin('enquiries as e', 'e.enquiry_id', 's.enquiry_id')
    .select(['s.enquiry_id', 's.firm_sealed', 's.released', 'e.received_by', 'e.responsible_agency'])
    .where('s.enquiry_id', 'in', enquiryIds)
    .where('s.firm_sealed', 'is not', null)
    .execute()
    .catch(() => []);
  const seen = rows.filter((r) => r.released || r.received_by === viewer || r.responsible_agency === viewer);
  const opened = await Promise.all(
    seen.map(async (r) => {
      try {
        const opener = await dataKeys.openerFor(r.enquiry_id);
        return opener.erasure ? null : ([r.enquiry_id, opener.open(r.firm_sealed!)] as const);
      } catch {
        return null;
      }
    }),
  );
  return new Map(opened.filter((x): x is readonly [string, string] => x !== null && x[1] !== 'nicht lesbar'));
}

/** `{ firmName }` where the page has it, for spreading into an item. */
export const firmOf = (names: Map<string, string>, enquiryId: string) => {
  const firmName = names.get(enquiryId);
  return firmName ? { firmName } : {};
};
