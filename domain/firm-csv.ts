import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import { FirmInput, type Firm } from './firms.js';

/**
 * The firm register as the spreadsheet an agency exports from its old CRM: German headers,
 * semicolons, UTF-8 with or without a byte order mark, one firm per line with its main site
 * and its main contact (more of either are added in Lotse). An import is all or nothing:
 * every wrong line is reported (line number as a spreadsheet counts, with the header as
 * line 1), and nothing is written while one is wrong. csv-parse and csv-stringify do the
 * quoting (docs/architecture.md says why a library).
 */

/** The columns, in order, by their German heading. */
export const FIRM_COLUMNS = [
  ['Name', 'name'],
  ['Rechtsform', 'legalForm'],
  ['Registernummer', 'registerNumber'],
  ['WZ 2008', 'sector'],
  ['Gemeindeschlüssel', 'ags'],
  ['Anschrift', 'address'],
  ['Beschäftigte', 'employees'],
  ['Betreuungsstufe', 'careLevel'],
  ['Ansprechperson', 'contactName'],
  ['Funktion', 'contactRole'],
  ['E-Mail', 'contactEmail'],
  ['Telefon', 'contactPhone'],
] as const;

type Column = (typeof FIRM_COLUMNS)[number][1];
const REQUIRED: Column[] = ['name', 'legalForm', 'sector', 'ags', 'address', 'employees'];
/** The care level as the spreadsheet words it. */
const LEVELS: Record<string, 'key' | 'regular'> = { schlüsselunternehmen: 'key', regulär: 'regular', '': 'regular' };

export interface LineError {
  /** The line as a spreadsheet counts it: the header is line 1. */
  line: number;
  /** The column's German heading, or empty for the line as a whole. */
  column: string;
  message: string;
}

export type FirmImport = { firms: z.infer<typeof FirmInput>[]; errors: LineError[] };

/** Reads the file; `knownPlace` says whether a municipality key exists (the Gemeindeverzeichnis). */
export function readFirmCsv(text: string, knownPlace: (ags: string) => boolean): FirmImport {
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { delimiter: ';', relax_column_count: true, skip_empty_lines: true });
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    return {
      firms: [],
      errors: [
        {
          line,
          column: '',
          message: `Die Datei ist keine lesbare CSV-Datei (UTF-8, Semikolon als Trenner): ${(err as Error).message}`,
        },
      ],
    };
  }
  const [header = [], ...lines] = rows;
  const headerErrors = checkHeader(header);
  if (headerErrors.length) return { firms: [], errors: headerErrors };
  const firms: FirmImport['firms'] = [];
  const lineOf: number[] = [];
  const errors: LineError[] = [];
  lines.forEach((cells, i) => {
    const read = firmOfLine(cells, i + 2, knownPlace);
    if ('errors' in read) errors.push(...read.errors);
    else {
      firms.push(read.firm);
      lineOf.push(i + 2);
    }
  });
  errors.push(...twice(firms, lineOf));
  errors.sort((a, b) => a.line - b.line);
  return errors.length ? { firms: [], errors } : { firms, errors };
}

function checkHeader(header: string[]): LineError[] {
  const expected = FIRM_COLUMNS.map(([heading]) => heading);
  const missing = expected.filter((h, i) => header[i]?.trim() !== h);
  if (missing.length === 0) return [];
  return [
    { line: 1, column: '', message: `Die erste Zeile muss die Spaltenüberschriften enthalten: ${expected.join(';')}` },
  ];
}

function firmOfLine(
  cells: string[],
  line: number,
  knownPlace: (ags: string) => boolean,
): { firm: z.infer<typeof FirmInput> } | { errors: LineError[] } {
  const v = Object.fromEntries(FIRM_COLUMNS.map(([, key], i) => [key, (cells[i] ?? '').trim()])) as Record<
    Column,
    string
  >;
  const errors: LineError[] = REQUIRED.filter((k) => !v[k]).map((k) => ({
    line,
    column: heading(k),
    message: 'Das Feld ist leer.',
  }));
  if (v.ags && !errors.length && !knownPlace(v.ags))
    errors.push({ line, column: heading('ags'), message: `Keine Gemeinde hat den Schlüssel ${v.ags}.` });
  const level = LEVELS[v.careLevel.toLowerCase()];
  if (!level)
    errors.push({
      line,
      column: heading('careLevel'),
      message: 'Bitte „Schlüsselunternehmen“ oder „regulär“ angeben.',
    });
  if (errors.length) return { errors };
  const parsed = FirmInput.safeParse(inputOf(v, level!));
  if (parsed.success) return { firm: parsed.data };
  return {
    errors: parsed.error.issues.map((issue) => ({ line, column: columnOf(issue.path), message: issue.message })),
  };
}

function inputOf(v: Record<Column, string>, careLevel: 'key' | 'regular') {
  const contact = v.contactName
    ? [
        {
          name: v.contactName,
          ...(v.contactRole ? { role: v.contactRole } : {}),
          ...(v.contactEmail ? { email: v.contactEmail } : {}),
          ...(v.contactPhone ? { phone: v.contactPhone } : {}),
        },
      ]
    : [];
  return {
    name: v.name,
    legalForm: v.legalForm,
    ...(v.registerNumber ? { registerNumber: v.registerNumber } : {}),
    sector: v.sector,
    sites: [{ ags: v.ags, address: v.address }],
    // German numbers: "1.250" is one thousand two hundred and fifty.
    employees: /^\d{1,3}(\.\d{3})*$|^\d+$/.test(v.employees) ? Number(v.employees.replace(/\./g, '')) : NaN,
    contacts: contact,
    careLevel,
  };
}

const heading = (key: Column) => FIRM_COLUMNS.find(([, k]) => k === key)![0];

/** The heading of the column a schema issue is about (sites.0.ags → Gemeindeschlüssel). */
function columnOf(path: PropertyKey[]): string {
  const [first, , inner] = path;
  if (first === 'sites') return heading(inner === 'address' ? 'address' : 'ags');
  if (first === 'contacts') {
    const byField: Record<string, Column> = { name: 'contactName', role: 'contactRole', email: 'contactEmail' };
    return heading(byField[String(inner)] ?? 'contactPhone');
  }
  const found = FIRM_COLUMNS.find(([, k]) => k === first);
  return found ? found[0] : '';
}

/** A firm twice in one file (same name and municipality) is a mistake, not two firms. */
function twice(firms: FirmImport['firms'], lineOf: number[]): LineError[] {
  const seen = new Set<string>();
  const errors: LineError[] = [];
  firms.forEach((f, i) => {
    const key = `${f.name.toLowerCase()}|${f.sites[0]!.ags}`;
    if (seen.has(key))
      errors.push({ line: lineOf[i]!, column: 'Name', message: `„${f.name}“ steht zweimal in der Datei.` });
    seen.add(key);
  });
  return errors;
}

/** The register as the same spreadsheet: a byte order mark so that Excel reads the umlauts. */
export function writeFirmCsv(firms: Pick<Firm, keyof z.infer<typeof FirmInput>>[]): string {
  const rows = firms.map((f) => {
    const contact = f.contacts[0];
    const site = f.sites[0]!;
    const level = f.careLevel === 'key' ? 'Schlüsselunternehmen' : 'regulär';
    return [
      f.name,
      f.legalForm,
      f.registerNumber ?? '',
      f.sector,
      site.ags,
      site.address,
      new Intl.NumberFormat('de-DE').format(f.employees),
      level,
      contact?.name ?? '',
      contact?.role ?? '',
      contact?.email ?? '',
      contact?.phone ?? '',
    ];
  });
  const header = FIRM_COLUMNS.map(([h]) => h);
  return '\uFEFF' + stringify([header, ...rows], { delimiter: ';', record_delimiter: '\r\n' });
}
