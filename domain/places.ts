import { z } from 'zod';
import { normalise, spelled } from './words.js';

/**
 * Germany's municipalities, counties and Länder by their official keys (AGS), as the
 * Federal Statistical Office's Gemeindeverzeichnis (GV-ISys) lists them: the reference file
 * `places.json`, filled by `npm run import:places` (scripts/import-places.ts). Staff see and
 * type names ("Torgau (Nordsachsen)", "dippo"); the API keeps the keys.
 */

export const PlaceKind = z.enum(['land', 'kreis', 'gemeinde']);
export type PlaceKind = z.infer<typeof PlaceKind>;

export const Place = z
  .object({
    ags: z.string().regex(/^(\d{2}|\d{5}|\d{8})$/, 'must be 2 (Land), 5 (Kreis) or 8 (Gemeinde) digits'),
    name: z.string().min(1).max(200),
    kind: PlaceKind,
    /** A Kreis that is a city of its own (kreisfreie Stadt): its one municipality goes without the county's name. */
    cityCounty: z.boolean().optional(),
    validFrom: z.iso.date().optional(),
    validTo: z.iso.date().optional(),
    /** The key that replaced this one (a merger, a county reform). */
    successor: z.string().optional(),
  })
  .strict()
  .refine((p) => p.ags.length === { land: 2, kreis: 5, gemeinde: 8 }[p.kind], {
    message: 'the key’s length does not fit the kind',
    path: ['ags'],
  });
export type Place = z.infer<typeof Place>;

export const PlacesFile = z
  .object({
    /** Where the entries come from, and as of which day (the Gebietsstand). */
    source: z.string().min(1),
    asOf: z.iso.date().optional(),
    places: z.array(Place),
  })
  .strict();
export type PlacesFile = z.infer<typeof PlacesFile>;

/** A place as staff see it: its key, its kind and how it is named on screen. */
export interface PlaceLabel {
  ags: string;
  kind: PlaceKind;
  label: string;
  /** No longer valid: replaced by `successor`. */
  successor?: string;
}

/** "Torgau, Stadt" → "Torgau": the Gemeindeverzeichnis names the kind after a comma. */
export const plainName = (name: string) => name.split(',')[0]!.trim();

/** "Landkreis Nordsachsen", "Burgenlandkreis", "Leipzig (kreisfreie Stadt)". */
function countyLabel(name: string, cityCounty?: boolean) {
  if (cityCounty) return `${name} (kreisfreie Stadt)`;
  return /kreis$/i.test(name) ? name : `Landkreis ${name}`;
}

/** Names, search and keys of the places of one reference file. */
export class PlaceIndex {
  private readonly byAgs = new Map<string, Place>();
  private searchable?: { place: Place; label: string; forms: string[] }[];

  constructor(places: Place[]) {
    for (const p of places) this.byAgs.set(p.ags, p);
  }

  /** The names as typed, made on the first search: a process that never searches (the worker) never makes them. */
  private get entries() {
    this.searchable ??= [...this.byAgs.values()].map((place) => {
      const label = this.labelOf(place);
      return { place, label, forms: [...new Set([normalise(label), spelled(label)])] };
    });
    return this.searchable;
  }

  get size() {
    return this.byAgs.size;
  }

  /** How a key is named on screen: "Torgau (Nordsachsen)", "Leipzig", "Landkreis Nordsachsen", "Sachsen". */
  label(ags: string): PlaceLabel | undefined {
    const place = this.byAgs.get(ags);
    if (!place) return undefined;
    return {
      ags,
      kind: place.kind,
      label: this.labelOf(place),
      ...(place.successor ? { successor: place.successor } : {}),
    };
  }

  /**
   * The valid places whose name has a word starting with what was typed ("torg", "dippo",
   * "glashue", "nordsachsen"), names that start with it first, then municipalities before
   * counties before Länder, then alphabetically.
   */
  search(typed: string, limit = 10): PlaceLabel[] {
    const query = normalise(typed);
    if (!query) return [];
    const rank = (forms: string[]) => {
      if (forms.some((f) => f.startsWith(query))) return 0;
      if (forms.some((f) => f.includes(` ${query}`))) return 1;
      return -1;
    };
    const kindOrder = { gemeinde: 0, kreis: 1, land: 2 };
    return this.entries
      .filter((e) => !e.place.validTo)
      .map((e) => ({ e, r: rank(e.forms) }))
      .filter(({ r }) => r >= 0)
      .sort(
        (a, b) =>
          a.r - b.r ||
          kindOrder[a.e.place.kind] - kindOrder[b.e.place.kind] ||
          a.e.label.localeCompare(b.e.label, 'de'),
      )
      .slice(0, limit)
      .map(({ e }) => this.label(e.place.ags)!);
  }

  private labelOf(place: Place): string {
    const name = plainName(place.name);
    if (place.kind === 'land') return name;
    if (place.kind === 'kreis') return countyLabel(name, place.cityCounty);
    const county = this.byAgs.get(place.ags.slice(0, 5));
    return !county || county.cityCounty ? name : `${name} (${plainName(county.name)})`;
  }
}
