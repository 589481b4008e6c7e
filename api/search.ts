import { z } from 'zod';
import type { PlaceIndex } from '../domain/places.js';
import type { ReadModel } from '../infra/read-model/index.js';
import { matches, searchWords } from '../infra/read-model/search.js';
import { Problem } from './problem.js';

/** Searching Anfragen and Leads in the read model (infra/read-model/search.ts), as both routes take it. */

export const SearchWords = z
  .string()
  .trim()
  .max(200)
  .optional()
  .describe(
    'words the enquiry must have, each the start of a word: of the firm (where the caller may see it), ' +
      'of the code name, of the sender’s reference, or of a place it wants',
  );

/** A search as the read model takes it: each word of three letters or more, with the places it names. */
export function searchFor(q: string, agency: string, deps: { readModel: ReadModel; places: () => PlaceIndex }) {
  const words = searchWords(q);
  if (words.length === 0) {
    throw Problem.invalid('Search for a word of three letters or more.', [
      { path: 'q', message: 'needs a word of three letters or more' },
    ]);
  }
  const places = deps.places();
  const named = words.map((word) => ({ word, placeKeys: places.search(word, 20).map((p) => p.ags) }));
  return matches(deps.readModel.searchKey, agency, named);
}
