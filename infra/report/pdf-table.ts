// The PDFKit namespace of @types/pdfkit comes with its module (tsconfig names only node's types).
import type {} from 'pdfkit';
import type { Row, Table, Unit } from './content.js';
import { count, euro, hectares } from './format.js';

/**
 * A report table with pdfkit's table: it tags the table (Table, TR, TH, TD, with each header
 * cell's scope) when given a structure parent, so a screen reader reads a cell with its
 * column and row. @types/pdfkit 0.17 lacks the options pdfkit 0.20 reads for that: added here.
 */
type Cell = PDFKit.Mixins.CellOptions & { scope?: 'Column' | 'Row' };
type TableOptions = PDFKit.Mixins.TableOptionsWithData & { structParent: PDFKit.PDFStructureElement };

export const REGULAR = 'Helvetica';
export const BOLD = 'Helvetica-Bold';
const SIZE = 8;
const HEADER_SIZE = 7.5;
const PAD = { top: 3, bottom: 3, left: 3.5, right: 3.5 };
/**
 * Shaded rows rather than rules: pdfkit tags a cell's border colours with null for a side
 * without a border, which is no colour (readers warn), so the cells have no borders at all.
 */
const SHADE = { header: '#dde4eb', stripe: '#f2f5f8', total: '#dde4eb' };

export const show = (value: number | null, unit: Unit) =>
  value === null ? '–' : unit === 'eur' ? euro(value) : unit === 'ha' ? hectares(value) : count(value);

function headerRow(t: Table): Cell[] {
  return [t.labelHeader, ...t.columns.map((c) => c.header)].map((text, i) => ({
    text,
    type: 'TH',
    scope: 'Column',
    font: { src: BOLD, size: HEADER_SIZE },
    backgroundColor: SHADE.header,
    align: { x: i === 0 ? 'left' : 'right', y: 'bottom' },
  }));
}

function bodyRow(t: Table, r: Row, index: number): Cell[] {
  // Every other row shaded to guide the eye along a row; the Summe row bold on a darker shade.
  const shade = r.total ? SHADE.total : index % 2 === 1 ? SHADE.stripe : undefined;
  const style: Cell = { font: { src: r.total ? BOLD : REGULAR, size: SIZE }, backgroundColor: shade };
  const label: Cell = { ...style, text: r.label, type: 'TH', scope: 'Row' };
  const figures = r.values.map((v, i): Cell => {
    const unit = t.columns[i]?.unit ?? 'count';
    return { ...style, text: show(v, unit), align: { x: 'right', y: 'top' } };
  });
  return [label, ...figures];
}

/** The height each row will take: what fits on a page, and whether a table fits on one. */
function heights(doc: PDFKit.PDFDocument, rows: Cell[][], widths: number[]): number[] {
  return rows.map((row) => {
    const cells = row.map((c, i) => {
      doc.font(c.font?.src ?? REGULAR).fontSize(c.font?.size ?? SIZE);
      return doc.heightOfString(c.text ?? '', { width: (widths[i] ?? 0) - PAD.left - PAD.right });
    });
    return Math.max(...cells) + PAD.top + PAD.bottom;
  });
}

function textWidth(doc: PDFKit.PDFDocument, c: Cell | undefined, text = c?.text ?? '') {
  doc.font(c?.font?.src ?? REGULAR).fontSize(c?.font?.size ?? SIZE);
  return doc.widthOfString(text);
}
const widestWord = (doc: PDFKit.PDFDocument, c: Cell | undefined) =>
  Math.max(0, ...(c?.text ?? '').split(' ').map((word) => textWidth(doc, c, word)));

/**
 * Each figure column as wide as its widest value or header word (a header wraps between
 * words only, a figure never); the label column takes the rest, up to its longest label, and
 * wraps; what is left over widens the figure columns evenly.
 */
function fitWidths(doc: PDFKit.PDFDocument, data: Cell[][], width: number): number[] {
  const [header = [], ...body] = data;
  const pad = PAD.left + PAD.right + 1;
  const figures = header
    .slice(1)
    .map((h, i) => pad + Math.max(widestWord(doc, h), ...body.map((r) => textWidth(doc, r[i + 1]))));
  const rest = width - figures.reduce((a, b) => a + b, 0);
  const label = Math.min(rest, pad + Math.max(...data.map((r) => textWidth(doc, r[0]))));
  const spare = (rest - label) / Math.max(1, figures.length);
  return [label, ...figures.map((w) => w + spare)];
}

export interface PreparedTable {
  height: number;
  draw(parent: PDFKit.PDFStructureElement): void;
}

/**
 * Lays out a table `width` points wide at doc.x, doc.y; its height lets the caller keep it on
 * one page. A longer one is drawn as one table per page, each with the header row, rather
 * than as pdfkit would break it, with the rows on the next page under no header.
 */
export function prepareTable(doc: PDFKit.PDFDocument, t: Table, width: number): PreparedTable {
  const header = headerRow(t);
  const body = t.rows.map((r, i) => bodyRow(t, r, i));
  const widths = fitWidths(doc, [header, ...body], width);
  const [headerHeight = 0, ...rowHeights] = heights(doc, [header, ...body], widths);
  const draw = (parent: PDFKit.PDFStructureElement, rows: Cell[][]) => {
    const data = [header, ...rows];
    const options: TableOptions = {
      structParent: parent,
      columnStyles: widths,
      defaultStyle: { padding: PAD, border: 0 },
      data,
    };
    doc.table(options);
  };
  return {
    height: headerHeight + rowHeights.reduce((a, b) => a + b, 0),
    draw(parent) {
      for (let from = 0; from < body.length;) {
        let to = from + 1;
        let y = doc.y + headerHeight + (rowHeights[from] ?? 0);
        // A point to spare: should pdfkit measure a row a little taller, it must not break it off itself.
        while (to < body.length && y + (rowHeights[to] ?? 0) < doc.page.maxY() - 1) y += rowHeights[to++] ?? 0;
        draw(parent, body.slice(from, to));
        from = to;
        if (from < body.length) doc.addPage();
      }
    },
  };
}
