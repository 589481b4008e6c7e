import { stringify } from 'csv-stringify/sync';
import { countValues, type ProgrammeFigures } from './programme-figures.js';

/** A programme's figures as a CSV file for spreadsheets: German headings, semicolons, a byte order mark. */

const HEADER = [
  'Tabelle',
  'Zeile',
  'Anfragen',
  'vorgeschlagene Flächen',
  'Leads',
  'Ansiedlungen',
  'Arbeitsplätze',
  'Investition (EUR)',
  'Flächen (Anzahl)',
  'Flächen verfügbar (m²)',
  'Flächenabgang (m²)',
];

export function programmeCsv(f: ProgrammeFigures): string {
  const counts = countValues;
  const rows = [
    ...f.areas.map((a) => [
      'Mittelzentrum',
      a.name,
      ...counts(a),
      ...(a.sites ? [a.sites.count, a.sites.availableM2, a.sites.takenM2] : ['', '', '']),
    ]),
    ['Mittelzentrum', 'Summe', ...counts(f.total), '', '', ''],
    ...f.measures.map((m) => ['Maßnahme', m.measure ? `${m.measure} ${m.title}` : m.title, ...counts(m), '', '', '']),
  ];
  // Numbers in German form: a spreadsheet opened in German reads "1,5" as a number.
  const german = rows.map((r) => r.map((v) => (typeof v === 'number' ? String(v).replace('.', ',') : v)));
  return '\uFEFF' + stringify([HEADER, ...german], { delimiter: ';', record_delimiter: '\r\n' });
}
