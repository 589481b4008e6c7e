import type { Place, PlacesFile } from './places.js';

/**
 * Reading the Federal Statistical Office's Gemeindeverzeichnis (GV-ISys) in the two forms it
 * is published in: the fixed-width file GV100AD (GV100AD_<TTMMJJJJ>.txt, one record per line,
 * its layout in the "Datensatzbeschreibung GV100AD": Satzart in columns 1–2, Gebietsstand 3–10
 * as JJJJMMTT, the regional key from column 11 — Land 2, Regierungsbezirk 1, Kreis 2, and for a
 * municipality (Satzart 60) its 3 digits, then the Gemeindeverband in 19–22 — the name in
 * 23–72 and the Textkennzeichen in 123–124), and the table "Alle politisch selbständigen
 * Gemeinden mit ausgewählten Merkmalen" saved as CSV (columns Satzart, Textkennzeichen, Land,
 * RB, Kreis, VB, Gem, Gemeindename, …). Only Länder (10), Kreise (40) and Gemeinden (60) are
 * kept; Regierungsbezirke, Regionen and Gemeindeverbände are not places staff choose.
 */

export interface ImportLine {
  line: number;
  message: string;
}

export interface Imported {
  asOf?: string;
  places: Place[];
  errors: ImportLine[];
}

/** Textkennzeichen of a Kreis that is a city of its own: kreisfreie Stadt (41), Stadtkreis (42). */
const CITY_COUNTY = new Set(['41', '42']);

export function parseGv100ad(text: string): Imported {
  const places: Place[] = [];
  const errors: ImportLine[] = [];
  let asOf: string | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    const field = (from: number, to: number) => raw.slice(from - 1, to).trim();
    const kind = field(1, 2);
    const stand = field(3, 10);
    if (!/^\d{2}$/.test(kind) || !/^\d{8}$/.test(stand)) {
      errors.push({ line: i + 1, message: 'not a GV100AD record (Satzart and Gebietsstand in columns 1–10)' });
      return;
    }
    asOf ??= `${stand.slice(0, 4)}-${stand.slice(4, 6)}-${stand.slice(6, 8)}`;
    const name = field(23, 72);
    const place = recordOf(kind, { land: field(11, 12), kreis: field(11, 15), gemeinde: field(11, 18) }, name, () =>
      CITY_COUNTY.has(field(123, 124)),
    );
    if (typeof place === 'string') errors.push({ line: i + 1, message: place });
    else if (place) places.push(place);
  });
  return { asOf, places, errors };
}

/** The CSV of "Alle politisch selbständigen Gemeinden" as a spreadsheet saves it: `;` or `,`, header rows above. */
export function parseGemeindenCsv(text: string): Imported {
  const places: Place[] = [];
  const errors: ImportLine[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const separator = (lines.find((l) => /^\s*"?(10|40|60)"?[;,]/.test(l)) ?? ';').includes(';') ? ';' : ',';
  let asOf: string | undefined;
  lines.forEach((raw, i) => {
    const cells = splitCsv(raw, separator);
    const kind = cells[0] ?? '';
    if (!/^\d{2}$/.test(kind)) {
      // A title or header row: the Gebietsstand is named in one of them ("Gebietsstand: 31.12.2024").
      const day = /(\d{1,2})\.(\d{1,2})\.(\d{4})/.exec(raw);
      if (day && /stand/i.test(raw)) asOf ??= `${day[3]}-${day[2]!.padStart(2, '0')}-${day[1]!.padStart(2, '0')}`;
      return;
    }
    const [, mark = '', land = '', rb = '', kreis = '', , gem = '', name = ''] = cells;
    const key = {
      land: land.padStart(2, '0'),
      kreis: `${land.padStart(2, '0')}${rb}${kreis.padStart(2, '0')}`,
      gemeinde: `${land.padStart(2, '0')}${rb}${kreis.padStart(2, '0')}${gem.padStart(3, '0')}`,
    };
    const place = recordOf(kind, key, name, () => CITY_COUNTY.has(mark));
    if (typeof place === 'string') errors.push({ line: i + 1, message: place });
    else if (place) places.push(place);
  });
  return { asOf, places, errors };
}

/** One record as a place; undefined for the kinds not kept; a string says what is wrong. */
function recordOf(
  kind: string,
  key: { land: string; kreis: string; gemeinde: string },
  name: string,
  cityCounty: () => boolean,
): Place | string | undefined {
  const wanted = { '10': 'land', '40': 'kreis', '60': 'gemeinde' } as const;
  const k = wanted[kind as keyof typeof wanted];
  if (!k) return undefined;
  const ags = key[k];
  if (!/^\d+$/.test(ags) || ags.length !== { land: 2, kreis: 5, gemeinde: 8 }[k]) return `key "${ags}" is not valid`;
  if (!name) return `${k} ${ags} has no name`;
  return { ags, name, kind: k, ...(k === 'kreis' && cityCounty() ? { cityCounty: true } : {}) };
}

function splitCsv(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === separator && !quoted) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * The reference file after an import: what the import lists is valid (kept from the day it
 * first appeared), what it no longer lists ends the day before its Gebietsstand, with its
 * successor where the key table (ags-successions.json) names one.
 */
export function mergePlaces(
  before: PlacesFile | undefined,
  imported: Imported,
  source: string,
  successions: { old: string; new: string }[],
): PlacesFile {
  const day = imported.asOf;
  const was = new Map((before?.places ?? []).map((p) => [p.ags, p]));
  const now = new Map(imported.places.map((p) => [p.ags, p]));
  const firstImport = was.size === 0;
  const places: Place[] = [];
  for (const p of imported.places) {
    const old = was.get(p.ags);
    const validFrom = old && !old.validTo ? old.validFrom : firstImport ? undefined : day;
    places.push({ ...p, ...(validFrom ? { validFrom } : {}) });
  }
  for (const p of was.values()) {
    if (now.has(p.ags)) continue;
    const successor = p.successor ?? successions.find((s) => s.old === p.ags)?.new;
    const validTo = p.validTo ?? (day ? dayBefore(day) : undefined);
    places.push({ ...p, ...(validTo ? { validTo } : {}), ...(successor ? { successor } : {}) });
  }
  places.sort((a, b) => a.ags.localeCompare(b.ags));
  return { source, ...(day ? { asOf: day } : {}), places };
}

function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
