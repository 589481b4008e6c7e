import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProgrammeFigures } from '../../domain/programme-figures.js';
import { euro, hectares } from '../../infra/report/format.js';
import { renderReport, type ReportInput } from '../../infra/report/index.js';

/**
 * The quarterly report's files (infra/report/): the PDF read back as text with unpdf, the
 * workbook with exceljs, against figures that add up as the read model's do.
 */

/** Each page's text items with their height above the page's bottom edge (PDF points). */
async function extractTextItems(pdf: Uint8Array) {
  const doc = await getDocumentProxy(pdf);
  const items: { str: string; y: number }[][] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    items.push(content.items.flatMap((i) => ('str' in i ? [{ str: i.str, y: i.transform[5] as number }] : [])));
  }
  return { totalPages: doc.numPages, items };
}

const settled = (enquiries: number, jobs: number, investmentEur: number) => ({ enquiries, jobs, investmentEur });
/** Enquiries, proposed sites, leads, and the settlements with their jobs and investment. */
const counts = (enquiries: number, proposedSites: number, leads: number, s: [number, number, number]) => ({
  enquiries,
  proposedSites,
  leads,
  settled: settled(...s),
});
const sites = (count: number, availableM2: number, takenM2: number) => ({ count, availableM2, takenM2 });
const centre = (id: string, name: string) => ({ part: 'area', area: id, name, agency: 'wfg-nordsachsen' });
const ids = ['torgau', 'delitzsch', 'eilenburg', 'oschatz', 'schkeuditz'];
/** Per Mittelzentrum (in the order of ids): enquiries, settlements, jobs. */
const quarter = (q: string, rows: [number, number, number][]) => ({
  quarter: q,
  areas: Object.fromEntries(rows.map(([enquiries, settled, jobs], i) => [ids[i], { enquiries, settled, jobs }])),
});

// Every table adds up to the total, as the read model's figures do: 65 enquiries, 2,095 jobs, €63.7m.
const figures = ProgrammeFigures.parse({
  programme: { id: 'regionalbudget-nordsachsen', title: 'Regionalbudget Nordsachsen' },
  from: '2026-06-30T22:00:00Z',
  to: '2026-09-30T22:00:00Z',
  asOf: '2026-10-01T04:00:00Z',
  areas: [
    { ...centre('torgau', 'Torgau'), ...counts(14, 9, 3, [2, 1250, 12_500_000]), sites: sites(6, 250_000, 12_000) },
    { ...centre('delitzsch', 'Delitzsch'), ...counts(11, 7, 2, [1, 180, 800_000]), sites: sites(4, 184_000, 0) },
    { ...centre('eilenburg', 'Eilenburg'), ...counts(8, 5, 1, [0, 0, 0]), sites: sites(3, 96_000, 9_000) },
    { ...centre('oschatz', 'Oschatz'), ...counts(5, 2, 0, [1, 45, 2_400_000]), sites: sites(2, 41_000, 0) },
    { ...centre('schkeuditz', 'Schkeuditz'), ...counts(17, 12, 4, [3, 620, 48e6]), sites: sites(7, 412_000, 35_000) },
    {
      ...{ part: 'rest_of_region', area: null, name: 'übriger Landkreis', agency: 'wfg-nordsachsen' },
      ...counts(6, 3, 1, [0, 0, 0]),
      sites: sites(5, 120_000, 0),
    },
    {
      ...{ part: 'outside_region', area: null, name: 'außerhalb (durch Maßnahmen)', agency: null },
      ...counts(4, 0, 2, [0, 0, 0]),
      sites: null,
    },
  ],
  measures: [
    { measure: 'RB-NOS-1', title: 'Ansiedlungskampagne', ...counts(22, 14, 5, [3, 1430, 13_400_000]) },
    { measure: 'RB-NOS-2', title: 'Gewerbeflächenmarketing', ...counts(15, 11, 3, [1, 45, 2_300_000]) },
    { measure: null, title: 'ohne Zuordnung', ...counts(28, 13, 5, [3, 620, 48e6]) },
  ],
  channels: { website: 21, campaign_page: 14, fair: 6, referral: 9, phone: 8, other: 3, none: 4 },
  total: counts(65, 38, 13, [7, 2095, 63_700_000]),
  quarters: [
    quarter('2025-Q4', [
      [9, 0, 0],
      [7, 1, 60],
      [6, 0, 0],
      [4, 0, 0],
      [12, 1, 240],
    ]),
    quarter('2026-Q1', [
      [11, 1, 85],
      [6, 0, 0],
      [9, 1, 30],
      [3, 0, 0],
      [15, 2, 410],
    ]),
    quarter('2026-Q2', [
      [12, 0, 0],
      [10, 0, 0],
      [7, 0, 0],
      [6, 1, 25],
      [19, 1, 150],
    ]),
    quarter('2026-Q3', [
      [14, 2, 1250],
      [11, 1, 180],
      [8, 0, 0],
      [5, 1, 45],
      [17, 3, 620],
    ]),
  ],
});

const input: ReportInput = {
  figures,
  title: '3. Quartal 2026',
  from: '2026-07-01',
  to: '2026-09-30',
  builtAt: '2026-10-01T04:05:00Z',
  steeringGroup: 'Lenkungsgruppe Regionalbudget Nordsachsen',
  agencyNames: { 'wfg-nordsachsen': 'WFG Nordsachsen' },
};

describe("the report's German numbers", () => {
  it.each([
    [850_000, '850.000 €'],
    [12_500_000, '12,5 Mio. €'],
    [120_000_000, '120 Mio. €'],
  ])('%d € → %s', (eur, text) => expect(euro(eur)).toBe(text));
  it('shows hectares with one decimal', () => {
    expect(hectares(25)).toBe('25,0');
    expect(hectares(110.25)).toBe('110,3');
  });
});

describe('the quarterly report as a PDF', () => {
  let pdf: Buffer;
  let text: string;
  let pages: number;
  beforeAll(async () => {
    ({ pdf } = await renderReport(input));
    // To look at the layout: REPORT_SAMPLE=/tmp/report-sample.pdf npx vitest run test/unit/report-files.test.ts
    if (process.env.REPORT_SAMPLE) writeFileSync(process.env.REPORT_SAMPLE, pdf);
    const extracted = await extractText(new Uint8Array(pdf), { mergePages: true });
    // A cell's text may wrap onto two lines: compare words, not line breaks.
    text = extracted.text.replace(/\s+/g, ' ');
    pages = extracted.totalPages;
  });

  it('is a PDF 1.7 with German text, umlauts and € included', () => {
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    for (const words of [
      'Monitoring Regionalbudget Nordsachsen',
      '3. Quartal 2026: 01.07.2026 – 30.09.2026',
      'Stand: 01.10.2026, 06:00 Uhr',
      'Bericht an: Lenkungsgruppe Regionalbudget Nordsachsen',
      'Zuständig: WFG Nordsachsen für Torgau, Delitzsch, Eilenburg, Oschatz, Schkeuditz, übriger Landkreis',
      'nach dem Tag des Eingangs der Anfrage',
    ])
      expect(text).toContain(words);
  });

  it('has the area table with every row and the Summe from the total', () => {
    expect(text).toContain('Nach Mittelzentrum');
    for (const name of ['Torgau', 'Delitzsch', 'Eilenburg', 'Oschatz', 'Schkeuditz', 'übriger Landkreis'])
      expect(text).toContain(name);
    expect(text).toContain('außerhalb (durch Maßnahmen)');
    expect(text).toContain('Torgau 14 9 3 2 1.250 12,5 Mio. € 6 25,0 1,2');
    expect(text).toContain('Delitzsch 11 7 2 1 180 800.000 € 4 18,4 0,0');
    // Outside the region there are no sites: dashes, and the Summe adds the sites of the other rows.
    expect(text).toContain('außerhalb (durch Maßnahmen) 4 0 2 0 0 0 € – – –');
    expect(text).toContain('Summe 65 38 13 7 2.095 63,7 Mio. € 27 110,3 5,6');
  });

  it('has the measure and the channel tables with German labels', () => {
    expect(text).toContain('Nach Maßnahme');
    expect(text).toContain('RB-NOS-1 Ansiedlungskampagne 22 14 5 3 1.430 13,4 Mio. €');
    expect(text).toContain('RB-NOS-2 Gewerbeflächenmarketing 15 11 3 1 45 2,3 Mio. €');
    expect(text).toContain('ohne Zuordnung 28 13 5 3 620 48 Mio. €');
    expect(text).toContain('Nach Eingangsweg');
    for (const row of [
      'Website-Formular 21',
      'Kampagnenseite 14',
      'Messe 6',
      'Empfehlung (GTAI/WFS) 9',
      'Telefon 8',
      'sonstiger Weg 3',
      'ohne Angabe 4',
      'Summe 65',
    ])
      expect(text).toContain(row);
  });

  it("charts each Mittelzentrum's enquiries per quarter, with the values on the bars", () => {
    expect(text).toContain('Anfragen je Quartal und Mittelzentrum');
    for (const q of ['Q4 2025', 'Q1 2026', 'Q2 2026', 'Q3 2026']) expect(text).toContain(q);
    // The figures' alternative text gives every bar's value to a screen reader.
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/Alt (Anfragen je Quartal, Schkeuditz: Q4 2025: 12; Q1 2026: 15; Q2 2026: 19; Q3 2026: 17)');
    // Five Mittelzentren's enquiries, and the settlements of all five in one figure.
    expect(raw.match(/\/S \/Figure/g)).toHaveLength(6);
    expect(text).toContain('Ansiedlungen je Quartal und Mittelzentrum');
    expect(raw).toContain(
      '/Alt (Ansiedlungen je Quartal: Q4 2025: Torgau 0, Delitzsch 1, Eilenburg 0, Oschatz 0, Schkeuditz 1; ' +
        'Q1 2026: Torgau 1, Delitzsch 0, Eilenburg 1, Oschatz 0, Schkeuditz 2; ' +
        'Q2 2026: Torgau 0, Delitzsch 0, Eilenburg 0, Oschatz 1, Schkeuditz 1; ' +
        'Q3 2026: Torgau 2, Delitzsch 1, Eilenburg 0, Oschatz 1, Schkeuditz 3)',
    );
  });

  it('numbers its pages and is tagged', async () => {
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain('Seite 1 von ' + pages);
    expect(text).toContain(`Seite ${pages} von ${pages}`);
    const raw = pdf.toString('latin1');
    for (const mark of ['/StructTreeRoot', '/Marked true', '/Lang (de-DE)', '/DisplayDocTitle true', '/S /Table'])
      expect(raw).toContain(mark);
    expect(raw).toContain('/S /TH');
    expect(raw).toContain('/S /H1');
    const { info } = await getMeta(new Uint8Array(pdf));
    expect(info).toMatchObject({ Title: 'Monitoring Regionalbudget Nordsachsen – 3. Quartal 2026', Author: 'Lotse' });
  });
});

describe('a table longer than a page', () => {
  // A programme of 70 areas: the area table is longer than a page and must break between rows.
  const many = {
    ...figures,
    areas: Array.from({ length: 70 }, (_, i) => ({ ...figures.areas[0]!, area: `gemeinde-${i}`, name: `Gebiet ${i}` })),
  };

  it('breaks between rows and keeps every line above the footer', async () => {
    const { pdf } = await renderReport({ ...input, figures: many });
    if (process.env.REPORT_SAMPLE_LONG) writeFileSync(process.env.REPORT_SAMPLE_LONG, pdf);
    const { totalPages, items } = await extractTextItems(new Uint8Array(pdf));
    const text = items.flat().map((item) => item.str);
    for (let i = 0; i < 70; i++) expect(text).toContain(`Gebiet ${i}`);
    // It starts on the first page, below the opening, and goes on on the second.
    expect(items[0]!.map((item) => item.str)).toContain('Gebiet 0');
    expect(items[1]!.map((item) => item.str)).toContain('Gebiet 69');
    // The second page's part has the header row again.
    const words = items[1]!.map((item) => item.str).filter((str) => str.trim());
    expect(words.slice(0, 3)).toEqual(['Gebiet', 'Anfragen', 'vorgeschlagene']);
    const footer = /^(Seite \d+ von \d+|Monitoring Regionalbudget Nordsachsen · 3\. Quartal 2026)$/;
    // The footers sit at 34 pt from the bottom edge, everything else above the 56-pt bottom margin.
    const low = items.flat().filter((item) => item.str.trim() && !footer.test(item.str) && item.y < 56);
    expect(low).toEqual([]);
    expect(items.flat().filter((item) => footer.test(item.str))).toHaveLength(totalPages * 2);
  });
});

describe('the quarterly report as a workbook', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    const { xlsx } = await renderReport(input);
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  });
  const sheet = (name: string) => {
    const ws = wb.getWorksheet(name);
    if (!ws) throw new Error(`no sheet ${name}`);
    return ws;
  };
  const rowOf = (ws: ExcelJS.Worksheet, label: string) => {
    const found = ws.getColumn(1).values.findIndex((v) => v === label);
    if (found < 1) throw new Error(`no row ${label} in ${ws.name}`);
    return ws.getRow(found);
  };
  /** A row's cells from the second column on, as stored. */
  const figuresOf = (row: ExcelJS.Row) => (row.values as ExcelJS.CellValue[]).slice(2);

  it('has the five sheets, titled and by Lotse', () => {
    expect(wb.worksheets.map((ws) => ws.name)).toEqual([
      'Mittelzentren',
      'Maßnahmen',
      'Eingangswege',
      'Quartale',
      'Hinweise',
    ]);
    expect(wb.creator).toBe('Lotse');
    expect(wb.title).toBe('Monitoring Regionalbudget Nordsachsen – 3. Quartal 2026');
  });

  it('has a bold, frozen header row on each sheet', () => {
    const areas = sheet('Mittelzentren');
    expect((areas.getRow(1).values as ExcelJS.CellValue[]).slice(1)).toEqual([
      'Gebiet',
      'Anfragen',
      'vorgeschlagene Flächen',
      'Leads',
      'Ansiedlungen',
      'Arbeitsplätze',
      'Investition',
      'Flächen (Anzahl)',
      'verfügbar (ha)',
      'Abgang (ha)',
    ]);
    for (const ws of wb.worksheets) {
      expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
  });

  it('holds the figures as numbers with German-friendly formats', () => {
    const torgau = rowOf(sheet('Mittelzentren'), 'Torgau');
    expect(figuresOf(torgau)).toEqual([14, 9, 3, 2, 1250, 12_500_000, 6, 25, 1.2]);
    expect(torgau.getCell(6).numFmt).toBe('#,##0');
    expect(torgau.getCell(7).numFmt).toBe('#,##0 "€"');
    expect(torgau.getCell(9).numFmt).toBe('#,##0.0');
    // Outside the region there are no sites: empty cells, not zeros.
    expect(figuresOf(rowOf(sheet('Mittelzentren'), 'außerhalb (durch Maßnahmen)'))).toEqual([4, 0, 2, 0, 0, 0]);
  });

  it('has Summe rows equal to the total', () => {
    const total = [65, 38, 13, 7, 2095, 63_700_000];
    const areaSum = rowOf(sheet('Mittelzentren'), 'Summe');
    expect(figuresOf(areaSum)).toEqual([...total, 27, 110.3, 5.6]);
    expect(areaSum.getCell(1).font?.bold).toBe(true);
    expect(figuresOf(rowOf(sheet('Maßnahmen'), 'Summe'))).toEqual(total);
    expect(figuresOf(rowOf(sheet('Maßnahmen'), 'ohne Zuordnung'))).toEqual([28, 13, 5, 3, 620, 48_000_000]);
    expect(figuresOf(rowOf(sheet('Maßnahmen'), 'RB-NOS-1 Ansiedlungskampagne'))[0]).toBe(22);
    expect(figuresOf(rowOf(sheet('Eingangswege'), 'Empfehlung (GTAI/WFS)'))).toEqual([9]);
    expect(figuresOf(rowOf(sheet('Eingangswege'), 'Summe'))).toEqual([65]);
  });

  it('has each Mittelzentrum per quarter, and notes with the Stand', () => {
    const quarters = sheet('Quartale');
    expect(quarters.rowCount).toBe(1 + 5 * 4);
    expect((quarters.getRow(2).values as ExcelJS.CellValue[]).slice(1)).toEqual(['Torgau', 'Q4 2025', 9, 0, 0]);
    expect((quarters.getRow(5).values as ExcelJS.CellValue[]).slice(1)).toEqual(['Torgau', 'Q3 2026', 14, 2, 1250]);
    expect((quarters.getRow(21).values as ExcelJS.CellValue[]).slice(1)).toEqual(['Schkeuditz', 'Q3 2026', 17, 3, 620]);
    const notes = sheet('Hinweise');
    expect(rowOf(notes, 'Stand').getCell(2).value).toBe('01.10.2026, 06:00 Uhr');
    expect(rowOf(notes, 'Zeitraum').getCell(2).value).toBe('01.07.2026 – 30.09.2026');
    expect(rowOf(notes, 'Bericht an').getCell(2).value).toBe('Lenkungsgruppe Regionalbudget Nordsachsen');
  });

  it('takes the Stand from when it was built when the figures have no asOf', async () => {
    const { xlsx } = await renderReport({ ...input, figures: { ...figures, asOf: null } });
    const other = new ExcelJS.Workbook();
    await other.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
    const notes = other.getWorksheet('Hinweise')!;
    expect(notes.getRow(5).values).toEqual([undefined, 'Stand', '01.10.2026, 06:05 Uhr']);
  });
});
