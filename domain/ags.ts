import { z } from 'zod';

/**
 * Official municipality keys (Amtlicher Gemeindeschlüssel, AGS): 2 digits Land,
 * 3 Regierungsbezirk, 5 Kreis / kreisfreie Stadt, 8 Gemeinde.
 */
const LAND = '(0[1-9]|1[0-6])';

/** A location named by an enquiry or a site: Land, Kreis or Gemeinde. */
export const Location = z
  .string()
  .regex(
    new RegExp(`^${LAND}(\\d{3}(\\d{3})?)?$`),
    'must be an AGS of 2, 5 or 8 digits starting with a Land code 01–16',
  )
  .describe('Official municipality key (AGS) or its prefix: 2 digits Land, 5 Kreis, 8 Gemeinde');

/** A Gemeinde key, 8 digits. */
export const GemeindeKey = z
  .string()
  .regex(new RegExp(`^${LAND}\\d{6}$`), 'must be an 8-digit Gemeinde AGS starting with a Land code 01–16');

/** What an agency's jurisdiction covers: any AGS prefix from Land to Gemeinde. */
export const AgsPrefix = z
  .string()
  .regex(new RegExp(`^${LAND}\\d{0,6}$`), 'must be an AGS prefix of 2 to 8 digits starting with a Land code 01–16');

/**
 * A key that was replaced by a county reform or a merger. Keys with `old` as prefix
 * are read as if they carried `new` instead, from `since` on.
 */
export const KeySuccession = z
  .object({
    old: AgsPrefix,
    new: AgsPrefix,
    since: z.iso.date(),
    name: z.string().min(1),
  })
  .strict()
  .refine((s) => s.old.length === s.new.length, {
    message: 'old and new key must have the same length',
    path: ['new'],
  });
export type KeySuccession = z.infer<typeof KeySuccession>;

export interface CurrentKey {
  key: string;
  /** The successions applied, oldest first; empty when the key is current. */
  via: KeySuccession[];
}

/**
 * Follows the succession table until the key is current. Exact matches win over
 * prefix matches (a merged Gemeinde before its old county); chains are followed,
 * cycles in operator-edited data are cut off.
 */
export function currentKey(key: string, successions: readonly KeySuccession[]): CurrentKey {
  const via: KeySuccession[] = [];
  let current = key;
  for (let step = 0; step < 8; step++) {
    const next = successions
      .filter((s) => current.startsWith(s.old) && !via.includes(s))
      .sort((a, b) => b.old.length - a.old.length)[0];
    if (!next) break;
    via.push(next);
    current = next.new + current.slice(next.old.length);
  }
  return { key: current, via };
}
