import { describe, expect, it } from 'vitest';
import { FIRM_COLUMNS, readFirmCsv, writeFirmCsv } from '../../domain/firm-csv.js';

/** The firm register to and from an agency's spreadsheet: all or nothing, every wrong line named (issue 33). */

const HEADER = FIRM_COLUMNS.map(([h]) => h).join(';');
const known = new Set(['15084590', '15084550', '14628130']);
const knownPlace = (ags: string) => known.has(ags);
const line = (...cells: string[]) => cells.join(';');
const STAHLBAU = line(
  'Stahlbau Zeitz GmbH',
  'GmbH',
  'HRB 12345',
  'C25.1',
  '15084590',
  '"Industriestraße 4; Tor 2, 06712 Zeitz"',
  '1.250',
  'Schlüsselunternehmen',
  'Petra Lehmann',
  'Geschäftsführerin',
  'p.lehmann@stahlbau-zeitz.example',
  '03441 12345',
);
const UHREN = line('Uhrenmanufaktur Glashütte eG', 'eG', '', '32.1', '14628130', 'Altenberger Str. 1', '40', 'regulär');

describe('reading the register from a spreadsheet', () => {
  it('reads German headers, semicolons, quoted cells, German numbers, with or without a BOM', () => {
    for (const bom of ['', '\uFEFF']) {
      const { firms, errors } = readFirmCsv(`${bom}${HEADER}\r\n${STAHLBAU}\r\n${UHREN}\r\n`, knownPlace);
      expect(errors).toEqual([]);
      expect(firms).toHaveLength(2);
      expect(firms[0]).toMatchObject({
        name: 'Stahlbau Zeitz GmbH',
        registerNumber: 'HRB 12345',
        sites: [{ ags: '15084590', address: 'Industriestraße 4; Tor 2, 06712 Zeitz' }],
        employees: 1250,
        careLevel: 'key',
        contacts: [{ name: 'Petra Lehmann', role: 'Geschäftsführerin', phone: '03441 12345' }],
      });
      expect(firms[1]).toMatchObject({ careLevel: 'regular', contacts: [] });
      expect(firms[1]!.registerNumber).toBeUndefined();
    }
  });

  it('reports every wrong line by its spreadsheet number and column, and takes none of the file', () => {
    const wrongSector = STAHLBAU.replace('C25.1', 'Metallbau');
    const unknownPlace = UHREN.replace('14628130', '14628999');
    const noName = UHREN.replace('Uhrenmanufaktur Glashütte eG', '');
    const { firms, errors } = readFirmCsv([HEADER, wrongSector, UHREN, unknownPlace, noName].join('\n'), knownPlace);
    expect(firms).toEqual([]);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'WZ 2008'],
      [4, 'Gemeindeschlüssel'],
      [5, 'Name'],
    ]);
    expect(errors[1]!.message).toContain('14628999');
  });

  it('refuses a wrong header, a firm twice, an unknown care level and a number with a decimal comma', () => {
    expect(readFirmCsv(`Name,Rechtsform\n${STAHLBAU}`, knownPlace).errors).toEqual([
      { line: 1, column: '', message: expect.stringContaining('Name;Rechtsform;Registernummer') },
    ]);
    expect(readFirmCsv([HEADER, STAHLBAU, STAHLBAU].join('\n'), knownPlace).errors).toEqual([
      { line: 3, column: 'Name', message: '„Stahlbau Zeitz GmbH“ steht zweimal in der Datei.' },
    ]);
    const level = readFirmCsv([HEADER, UHREN.replace('regulär', 'wichtig')].join('\n'), knownPlace).errors;
    expect(level.map((e) => e.column)).toEqual(['Betreuungsstufe']);
    const comma = readFirmCsv([HEADER, UHREN.replace(';40;', ';40,5;')].join('\n'), knownPlace).errors;
    expect(comma.map((e) => e.column)).toEqual(['Beschäftigte']);
  });

  it('writes what it reads: the export reads back as the same firms', () => {
    const { firms } = readFirmCsv([HEADER, STAHLBAU, UHREN].join('\n'), knownPlace);
    const written = writeFirmCsv(firms);
    expect(written.startsWith('\uFEFF')).toBe(true);
    expect(written).toContain('"Industriestraße 4; Tor 2, 06712 Zeitz"');
    expect(readFirmCsv(written, knownPlace)).toEqual({ firms, errors: [] });
  });
});
