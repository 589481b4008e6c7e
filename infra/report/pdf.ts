import PDFDocument from 'pdfkit';
import {
  areaTable,
  channelTable,
  COUNTING,
  measureTable,
  period,
  responsibility,
  stand,
  type ReportInput,
  type Table,
} from './content.js';
import { CHART_HEIGHT, drawAreaCharts, drawSettlementChart, GROUPED_HEIGHT } from './pdf-charts.js';
import { BOLD, prepareTable, REGULAR } from './pdf-table.js';

/**
 * The quarterly report as a tagged PDF (A4, German): headings, paragraphs, tables and
 * figures are structure elements; the page footers are artifacts. Helvetica is one of the
 * PDF's standard fonts: its WinAnsi encoding has ä, ö, ü, ß, € and the dash.
 */

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

const MARGIN = 42;
const INK = '#1b1b1b';
const MUTED = '#4a5560';
/** The channel table has one figure: narrow, not across the page. */
const CHANNEL_WIDTH = 240;

const contentWidth = (doc: Doc) => doc.page.width - MARGIN * 2;

function write(doc: Doc, parent: Struct, type: string, text: string, style: { font: string; size: number }) {
  doc
    .font(style.font)
    .fontSize(style.size)
    .fillColor(type === 'P' ? MUTED : INK);
  doc.text(text, MARGIN, doc.y, { width: contentWidth(doc), structParent: parent, structType: type });
}

/** A heading that starts a new page when what follows it (`keep` points) would not fit below it. */
function heading(doc: Doc, parent: Struct, text: string, keep: number) {
  doc.moveDown(0.8);
  if (doc.y + 24 + keep > doc.page.maxY()) doc.addPage();
  doc.outline.addItem(text);
  write(doc, parent, 'H2', text, { font: BOLD, size: 12 });
  doc.moveDown(0.4);
}

function table(doc: Doc, parent: Struct, t: Table, width = contentWidth(doc)) {
  const prepared = prepareTable(doc, t, width);
  // A table that fits on a page is kept on one; a longer one starts here and breaks between rows.
  const page = doc.page.maxY() - doc.page.margins.top - 40;
  heading(doc, parent, t.title, prepared.height <= page ? prepared.height : 80);
  doc.x = MARGIN;
  prepared.draw(parent);
}

function opening(doc: Doc, root: Struct, input: ReportInput, title: string) {
  write(doc, root, 'H1', title, { font: BOLD, size: 18 });
  doc.moveDown(0.2);
  write(doc, root, 'P', `${input.title}: ${period(input)}`, { font: BOLD, size: 12 });
  doc.moveDown(0.3);
  write(doc, root, 'P', `Stand: ${stand(input)} · Bericht an: ${input.steeringGroup}`, { font: REGULAR, size: 9 });
  doc.moveDown(0.6);
  write(doc, root, 'P', `So wird gezählt: ${COUNTING.join(' ')}`, { font: REGULAR, size: 9 });
}

/** "Seite 1 von 3" on every page, drawn once the number of pages is known; an artifact, not content. */
function footers(doc: Doc, text: string) {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Below the bottom margin pdfkit would start a new page: lift it while the footer is written.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 34;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font(REGULAR).fontSize(8).fillColor(MUTED);
    doc.text(text, MARGIN, y, { width: contentWidth(doc), align: 'left', lineBreak: false });
    doc.text(`Seite ${i - start + 1} von ${count}`, MARGIN, y, {
      width: contentWidth(doc),
      align: 'right',
      lineBreak: false,
    });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
}

function collect(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

export function renderPdf(input: ReportInput): Promise<Buffer> {
  const f = input.figures;
  const title = `Monitoring ${f.programme.title}`;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 48, bottom: 56, left: MARGIN, right: MARGIN },
    bufferPages: true,
    tagged: true,
    lang: 'de-DE',
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: `${title} – ${input.title}`,
      Author: 'Lotse',
      Subject: `${input.title}: ${period(input)}`,
      CreationDate: new Date(input.builtAt),
    },
  });
  const bytes = collect(doc);
  const root = doc.struct('Document');
  doc.addStructure(root);
  opening(doc, root, input, title);
  table(doc, root, areaTable(f));
  doc.moveDown(0.5);
  write(doc, root, 'P', `Zuständig: ${responsibility(input).join('; ')}`, { font: REGULAR, size: 8 });
  table(doc, root, measureTable(f));
  table(doc, root, channelTable(f), CHANNEL_WIDTH);
  heading(doc, root, 'Anfragen je Quartal und Mittelzentrum', CHART_HEIGHT);
  drawAreaCharts(doc, root, f);
  heading(doc, root, 'Ansiedlungen je Quartal und Mittelzentrum', GROUPED_HEIGHT);
  drawSettlementChart(doc, root, f);
  root.end();
  footers(doc, `${title} · ${input.title}`);
  doc.end();
  return bytes;
}
