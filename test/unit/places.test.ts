import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergePlaces, parseGemeindenCsv, parseGv100ad } from '../../domain/gv-isys.js';
import { PlaceIndex, PlacesFile } from '../../domain/places.js';
import { normalise } from '../../domain/words.js';

const bundled = PlacesFile.parse(JSON.parse(readFileSync('data/places.json', 'utf8')));
const index = new PlaceIndex(bundled.places);

describe('places by name', () => {
  it('names a municipality with its county, a city county alone', () => {
    expect(index.label('14730310')?.label).toBe('Torgau (Nordsachsen)');
    expect(index.label('14713000')?.label).toBe('Leipzig');
    expect(index.label('14730')?.label).toBe('Landkreis Nordsachsen');
    expect(index.label('15084')?.label).toBe('Burgenlandkreis');
    expect(index.label('14713')?.label).toBe('Leipzig (kreisfreie Stadt)');
    expect(index.label('14')?.label).toBe('Sachsen');
    expect(index.label('99999999')).toBeUndefined();
  });

  it('finds what staff type: the start of a word, umlauts either way, any case', () => {
    expect(index.search('torg')[0]?.label).toBe('Torgau (Nordsachsen)');
    expect(index.search('dippo')[0]?.label).toBe('Dippoldiswalde (Sächsische Schweiz-Osterzgebirge)');
    for (const typed of ['glashü', 'glashu', 'GLASHUE', 'Glashütte']) {
      expect(
        index.search(typed).map((p) => p.ags),
        typed,
      ).toContain('14628130');
    }
    expect(index.search('nordsachsen').map((p) => p.label)).toContain('Landkreis Nordsachsen');
    expect(index.search('sachsen').map((p) => p.label)).toContain('Sachsen');
    expect(index.search('')).toEqual([]);
    expect(index.search('xyz')).toEqual([]);
  });

  it('offers no key that is no longer valid, but still names it with its successor', () => {
    expect(index.search('delitzsch').map((p) => p.ags)).toEqual(['14730070']);
    expect(index.label('14374060')).toMatchObject({ label: 'Delitzsch (Delitzsch)', successor: '14730070' });
  });

  it('reads letters as people type them', () => {
    expect(normalise('  Weißenfels, Stadt ')).toBe('weissenfels stadt');
    expect(normalise('Naumburg (Saale)')).toBe('naumburg saale');
  });
});

/** A GV100AD record: Satzart, Gebietsstand, key from column 11, name from 23, Textkennzeichen at 123. */
const record = (kind: string, key: string, name: string, mark = '') =>
  `${kind}20241231${key.padEnd(12)}${name.padEnd(50)}${''.padEnd(50)}${mark.padEnd(2)}`;

describe('the Gemeindeverzeichnis (GV-ISys)', () => {
  const gv100ad = [
    record('10', '14', 'Sachsen'),
    record('20', '147', 'Leipzig'),
    record('40', '14713', 'Leipzig, Stadt', '41'),
    record('40', '14730', 'Nordsachsen', '44'),
    record('50', '147300000310', 'Torgau, Stadt'),
    record('60', '147303100310', 'Torgau, Stadt', '63'),
    record('60', '147130000000', 'Leipzig, Stadt', '61'),
  ].join('\r\n');

  it('reads the fixed-width GV100AD file', () => {
    const read = parseGv100ad(gv100ad);
    expect(read.errors).toEqual([]);
    expect(read.asOf).toBe('2024-12-31');
    expect(read.places).toEqual([
      { ags: '14', name: 'Sachsen', kind: 'land' },
      { ags: '14713', name: 'Leipzig, Stadt', kind: 'kreis', cityCounty: true },
      { ags: '14730', name: 'Nordsachsen', kind: 'kreis' },
      { ags: '14730310', name: 'Torgau, Stadt', kind: 'gemeinde' },
      { ags: '14713000', name: 'Leipzig, Stadt', kind: 'gemeinde' },
    ]);
  });

  it('names every line it cannot read', () => {
    expect(parseGv100ad(`${gv100ad}\nsomething else\n${record('60', '1473031', '')}`).errors).toEqual([
      { line: 8, message: 'not a GV100AD record (Satzart and Gebietsstand in columns 1–10)' },
      { line: 9, message: 'key "1473031" is not valid' },
    ]);
  });

  it('reads the table of all municipalities saved as CSV, header rows, BOM and dropped zeros too', () => {
    const csv = [
      '\uFEFFAlle politisch selbständigen Gemeinden mit ausgewählten Merkmalen;;;;',
      'Gebietsstand: 31.12.2024;;;;',
      'Satz-art;Textkenn-zeichen;Land;RB;Kreis;VB;Gem;Gemeindename;Fläche km2',
      '10;;14;;;;;Sachsen;18449,93',
      '40;44;14;7;30;;;Nordsachsen;2020,3',
      '60;63;14;7;30;0310;310;"Torgau, Stadt";102,8',
      '60;61;1;0;1;;0;"Flensburg, Stadt";56,7',
    ].join('\n');
    const read = parseGemeindenCsv(csv);
    expect(read.errors).toEqual([]);
    expect(read.asOf).toBe('2024-12-31');
    expect(read.places.map((p) => [p.ags, p.name])).toEqual([
      ['14', 'Sachsen'],
      ['14730', 'Nordsachsen'],
      ['14730310', 'Torgau, Stadt'],
      ['01001000', 'Flensburg, Stadt'],
    ]);
  });

  it('keeps a key the next file no longer has, ended the day before, with its successor', () => {
    const first = mergePlaces(undefined, parseGv100ad(gv100ad), 'GV100AD_31122024.txt', []);
    expect(first.places.find((p) => p.ags === '14730310')).toEqual({
      ags: '14730310',
      name: 'Torgau, Stadt',
      kind: 'gemeinde',
    });
    const next = parseGv100ad(gv100ad.replaceAll('20241231', '20250630').replace(/\r\n60.*Torgau.*$/m, ''));
    const successions = [{ old: '14730310', new: '14730999' }];
    const merged = mergePlaces(first, next, 'GV100AD_30062025.txt', successions);
    expect(merged.asOf).toBe('2025-06-30');
    expect(merged.places.find((p) => p.ags === '14730310')).toMatchObject({
      validTo: '2025-06-29',
      successor: '14730999',
    });
    expect(merged.places.find((p) => p.ags === '14713000')?.validTo).toBeUndefined();
    expect(PlacesFile.safeParse(merged).success).toBe(true);
  });
});
