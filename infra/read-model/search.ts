import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { codeName } from '../../domain/redaction.js';
import { LONGEST, normalise, SHORTEST, startsOf, wordsOf } from '../../domain/words.js';
import type { ReadDb } from './tables.js';

/**
 * What Anfragen can be searched by, without the firm's name in the read model: per
 * enquiry its code name and the sender's reference as words, and the firm's name as a
 * blind index — a keyed hash (HMAC-SHA-256, the key kept wrapped by the payload key ring in
 * the data-keys bucket) of every start of every word of it, three letters and up. A search
 * hashes what was typed with the same key and looks for the hash; the store holds no name,
 * and without the key its hashes cannot be tried against a list of names. Filled after an
 * enquiry's first step, and again after consent and erasure, from what its workflow
 * answers (the api opens the sealed name); erasure empties the hashes.
 */

/** What the workflow answers for the index: null where it cannot now (it is asked again). */
export interface Identity {
  externalRef: string;
  /** Whether partners may see the firm (not confidential, or the investor agreed). */
  released: boolean;
  /** The firm's name, or null once it was erased. */
  firmName: string | null;
  /**
   * The name as the workflow keeps it, sealed with the enquiry's data key (null where it is
   * not sealed): lists open it for those who may see the firm; erasure makes it unreadable.
   */
  firmSealed: string | null;
}

export interface SearchIndexing {
  key: Buffer;
  identityOf: (enquiryId: string) => Promise<Identity | null>;
}

/** The event types after which an enquiry's entry is made again (consent re-sends the lead: lead_forwarded). */
export const INDEXED_AFTER = ['received', 'lead_forwarded', 'personal_data_erased'];

const hash = (key: Buffer, word: string) => createHmac('sha256', key).update(word).digest('base64url').slice(0, 16);

/** The hashes of every start of every word of the firm's name. */
export function firmTerms(key: Buffer, firmName: string): string[] {
  return [
    ...new Set(
      wordsOf(firmName)
        .flatMap(startsOf)
        .map((w) => hash(key, w)),
    ),
  ];
}

/** The words of a search, each as the start of a word it must find (too short ones are left out). */
export function searchWords(typed: string): string[] {
  return [...new Set(normalise(typed).split(' '))].filter((w) => w.length >= SHORTEST).slice(0, 5);
}

/** The hash a typed word is looked up by. */
export const termOf = (key: Buffer, word: string) => hash(key, word.slice(0, LONGEST));

/** Marks the enquiries to (re)index, in the transaction that applied their events. */
export async function markForIndex(tx: ReadDb, enquiryIds: string[]) {
  if (enquiryIds.length === 0) return;
  const rows = [...new Set(enquiryIds)].sort().map((id) => ({
    enquiry_id: id,
    pending: true,
    words: normalise(codeName(id)),
    released: false,
    firm_terms: [],
  }));
  await tx
    .insertInto('enquiry_search')
    .values(rows)
    .onConflict((oc) => oc.column('enquiry_id').doUpdateSet({ pending: true }))
    .execute();
}

/** How long an enquiry's last step must lie back before its workflow is asked: one at work is left alone. */
const RESTING_MS = 3000;

/**
 * Indexes what is marked, once its enquiry rests (no step for RESTING_MS: a workflow busy with a
 * burst is not queried on top); one that cannot answer stays marked.
 */
export async function indexMarked(db: ReadDb, indexing: SearchIndexing, limit = 50): Promise<number> {
  const marked = await db
    .selectFrom('enquiry_search')
    .innerJoin('enquiries', 'enquiries.enquiry_id', 'enquiry_search.enquiry_id')
    .select('enquiry_search.enquiry_id')
    .where('enquiry_search.pending', '=', true)
    .where('enquiries.updated_at', '<', new Date(Date.now() - RESTING_MS))
    .limit(limit)
    .execute();
  let done = 0;
  for (const { enquiry_id: id } of marked) {
    const identity = await indexing.identityOf(id).catch(() => null);
    if (!identity) continue;
    const words = normalise(`${codeName(id)} ${identity.externalRef}`);
    const terms = identity.firmName ? firmTerms(indexing.key, identity.firmName) : [];
    await db
      .updateTable('enquiry_search')
      .set({
        pending: false,
        words,
        released: identity.released,
        firm_terms: terms,
        firm_sealed: identity.firmName ? identity.firmSealed : null,
      })
      .where('enquiry_id', '=', id)
      .execute();
    done++;
  }
  return done;
}

/**
 * The condition that each typed word finds the enquiry: the start of a word of its code name
 * or reference, a place it wants (`placeKeys`: the keys of the places whose name the word
 * starts), or — for an agency that may see the firm — the start of a word of the firm's name.
 */
export function matches(key: Buffer | undefined, viewer: string, words: { word: string; placeKeys: string[] }[]) {
  const e = sql.raw('enquiries');
  const seesFirm = sql`(s.released or ${e}.received_by = ${viewer} or ${e}.responsible_agency = ${viewer})`;
  const inFirm = (word: string) =>
    key ? sql`(s.firm_terms @> array[${termOf(key, word)}]::text[] and ${seesFirm})` : sql`false`;
  const each = words.map(
    ({ word, placeKeys }) => sql`(
      (' ' || s.words) like ${`% ${word.replace(/[%_\\]/g, '')}%`}
      or ${inFirm(word)}
      or exists (select 1 from unnest(${e}.places) p, unnest(${placeKeys}::text[]) k where p like k || '%'))`,
  );
  return sql<boolean>`exists (select 1 from enquiry_search s where s.enquiry_id = ${e}.enquiry_id
    and ${sql.join(each, sql` and `)})`;
}
