import ExcelJS from 'exceljs';
import {
  areaTable,
  channelTable,
  COUNTING,
  measureTable,
  period,
  quarterRows,
  responsibility,
  stand,
  type ReportInput,
  type Table,
  type Unit,
} from './content.js';
import { berlinDateTime } from './format.js';

/**
 * The quarterly report as a workbook to work on: the PDF's tables as numbers (not text), with
 * number formats that German Excel shows as 1.250, 25,0 and 12.500.000 €; hectares exact.
 */

const FORMATS: Record<Unit, string> = { count: '#,##0', eur: '#,##0 "€"', ha: '#,##0.0' };

/** A sheet whose first row is a bold header that stays in view while scrolling. */
function sheet(wb: ExcelJS.Workbook, name: string, columns: { header: string; width: number; numFmt?: string }[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).alignment = { vertical: 'top', wrapText: true };
  return ws;
}

function tableSheet(wb: ExcelJS.Workbook, name: string, t: Table, labelWidth: number) {
  const ws = sheet(wb, name, [
    { header: t.labelHeader, width: labelWidth },
    ...t.columns.map((c) => ({ header: c.header, width: Math.max(12, c.header.length + 2), numFmt: FORMATS[c.unit] })),
  ]);
  for (const r of t.rows) {
    const row = ws.addRow([r.label, ...r.values]);
    if (r.total) row.font = { bold: true };
  }
}

function quarterSheet(wb: ExcelJS.Workbook, input: ReportInput) {
  const ws = sheet(wb, 'Quartale', [
    { header: 'Mittelzentrum', width: 20 },
    { header: 'Quartal', width: 10 },
    { header: 'Anfragen', width: 12, numFmt: FORMATS.count },
    { header: 'Ansiedlungen', width: 14, numFmt: FORMATS.count },
    { header: 'Arbeitsplätze', width: 14, numFmt: FORMATS.count },
  ]);
  for (const q of quarterRows(input.figures)) ws.addRow([q.area, q.quarter, q.enquiries, q.settled, q.jobs]);
}

function notesSheet(wb: ExcelJS.Workbook, input: ReportInput) {
  const ws = sheet(wb, 'Hinweise', [
    { header: 'Angabe', width: 22 },
    { header: 'Inhalt', width: 110 },
  ]);
  ws.addRows([
    ['Programm', input.figures.programme.title],
    ['Bericht', input.title],
    ['Zeitraum', period(input)],
    ['Stand', stand(input)],
    ['Erstellt', berlinDateTime(input.builtAt)],
    ['Bericht an', input.steeringGroup],
    ...responsibility(input).map((line) => ['Zuständig', line]),
    ...COUNTING.map((line) => ['So wird gezählt', line]),
  ]);
  ws.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
}

export async function renderXlsx(input: ReportInput): Promise<Buffer> {
  const f = input.figures;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Lotse';
  wb.title = `Monitoring ${f.programme.title} – ${input.title}`;
  wb.subject = period(input);
  wb.created = new Date(input.builtAt);
  wb.modified = wb.created;
  tableSheet(wb, 'Mittelzentren', areaTable(f), 28);
  tableSheet(wb, 'Maßnahmen', measureTable(f), 40);
  tableSheet(wb, 'Eingangswege', channelTable(f), 24);
  quarterSheet(wb, input);
  notesSheet(wb, input);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
