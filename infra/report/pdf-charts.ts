import type {} from 'pdfkit';
import type { ProgrammeFigures } from '../../domain/programme-figures.js';
import { count, quarterLabel } from './format.js';
import { BOLD, REGULAR } from './pdf-table.js';

/**
 * Bar charts drawn with pdfkit's vector graphics (no canvas, no image): each a tagged Figure
 * whose alternative text gives every bar's value, so the figures are there for a screen
 * reader too.
 */

export interface Series {
  name: string;
  values: number[];
}
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
type FigureOptions = PDFKit.Mixins.StructureElementOptions & { bbox: [number, number, number, number] };

export const CHART_HEIGHT = 140;
export const GROUPED_HEIGHT = 175;
const GAP = 16;
/** Told apart in grey print too: dark to light, blue and orange alternating. */
const COLOURS = ['#1f4e79', '#e08a1e', '#5b9bd5', '#8c4a0c', '#a9c6e8', '#f3c58a'];
const GRID = '#d5dbe1';
const INK = '#1b1b1b';

/** 0 to a round top in about four steps of 1, 2 or 5 times a power of ten (counts: at least 1). */
export function ticks(max: number): number[] {
  const raw = Math.max(max, 1) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw);
  const top = Math.max(step, Math.ceil(max / step) * step);
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}

type Align = 'left' | 'center' | 'right';
function label(doc: PDFKit.PDFDocument, text: string, at: { x: number; y: number; w: number }, align: Align) {
  doc.text(text, at.x, at.y, { width: at.w, align, lineBreak: false });
}

function legend(doc: PDFKit.PDFDocument, series: Series[], x: number, y: number) {
  let left = x;
  series.forEach((s, i) => {
    doc
      .rect(left, y + 1, 7, 7)
      .fillColor(COLOURS[i % COLOURS.length] ?? INK)
      .fill();
    doc.fillColor(INK);
    const w = doc.widthOfString(s.name);
    label(doc, s.name, { x: left + 10, y, w: w + 2 }, 'left');
    left += w + 24;
  });
}

/** Bars per label, one per series side by side, each with its value above; a legend for several series. */
function barChart(doc: PDFKit.PDFDocument, box: Box, title: string, labels: string[], series: Series[]) {
  doc.font(BOLD).fontSize(9).fillColor(INK);
  if (title) label(doc, title, { x: box.x, y: box.y, w: box.w }, 'left');
  const above = title ? 28 : 12;
  const below = series.length > 1 ? 30 : 16;
  const plot = { left: box.x + 30, right: box.x + box.w - 4, top: box.y + above, bottom: box.y + box.h - below };
  const scale = ticks(Math.max(0, ...series.flatMap((s) => s.values)));
  const top = scale.at(-1) ?? 1;
  const yOf = (v: number) => plot.bottom - (v / top) * (plot.bottom - plot.top);
  doc.font(REGULAR).fontSize(7);
  for (const t of scale) {
    doc.moveTo(plot.left, yOf(t)).lineTo(plot.right, yOf(t)).lineWidth(0.5).strokeColor(GRID).stroke();
    doc.fillColor(INK);
    label(doc, count(t), { x: box.x, y: yOf(t) - 3, w: plot.left - box.x - 4 }, 'right');
  }
  const slot = (plot.right - plot.left) / Math.max(1, labels.length);
  const barWidth = Math.min(28, (slot * 0.7) / series.length);
  labels.forEach((text, i) => {
    const x = plot.left + i * slot;
    series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const bx = x + (slot - barWidth * series.length) / 2 + j * barWidth;
      doc
        .rect(bx, yOf(v), barWidth, plot.bottom - yOf(v))
        .fillColor(COLOURS[j % COLOURS.length] ?? INK)
        .fill();
      doc.fillColor(INK);
      label(doc, count(v), { x: bx - 6, y: yOf(v) - 9, w: barWidth + 12 }, 'center');
    });
    label(doc, text, { x, y: plot.bottom + 4, w: slot }, 'center');
  });
  doc.moveTo(plot.left, plot.bottom).lineTo(plot.right, plot.bottom).lineWidth(0.8).strokeColor(INK).stroke();
  if (series.length > 1) legend(doc, series, plot.left, plot.bottom + 17);
}

function figure(doc: PDFKit.PDFDocument, parent: PDFKit.PDFStructureElement, box: Box, alt: string, draw: () => void) {
  const options: FigureOptions = { alt, bbox: [box.x, box.y, box.x + box.w, box.y + box.h] };
  parent.add(doc.struct('Figure', options, draw));
}

function altText(title: string, labels: string[], series: Series[]) {
  const values = (i: number) =>
    series.map((s) => (series.length > 1 ? `${s.name} ` : '') + count(s.values[i] ?? 0)).join(', ');
  return `${title}: ${labels.map((l, i) => `${l}: ${values(i)}`).join('; ')}`;
}

/** Per Mittelzentrum (not the rest of the region, nor outside it): a figure of each quarter. */
function perArea(f: ProgrammeFigures, pick: (q: { enquiries: number; settled: number }) => number): Series[] {
  return f.areas.flatMap((a) => {
    const id = a.part === 'area' ? a.area : null;
    if (!id) return [];
    return [{ name: a.name, values: f.quarters.map((q) => pick(q.areas[id] ?? { enquiries: 0, settled: 0 })) }];
  });
}

/** One chart of enquiries per quarter for each Mittelzentrum, two side by side. */
export function drawAreaCharts(doc: PDFKit.PDFDocument, parent: PDFKit.PDFStructureElement, f: ProgrammeFigures) {
  const left = doc.page.margins.left;
  const width = (doc.page.width - left - doc.page.margins.right - GAP) / 2;
  const labels = f.quarters.map((q) => quarterLabel(q.quarter));
  const charts = perArea(f, (q) => q.enquiries);
  for (let i = 0; i < charts.length; i += 2) {
    if (doc.y + CHART_HEIGHT > doc.page.maxY()) doc.addPage();
    const y = doc.y;
    charts.slice(i, i + 2).forEach((c, j) => {
      const box = { x: left + j * (width + GAP), y, w: width, h: CHART_HEIGHT };
      const alt = altText(`Anfragen je Quartal, ${c.name}`, labels, [c]);
      figure(doc, parent, box, alt, () => barChart(doc, box, c.name, labels, [c]));
    });
    doc.x = left;
    doc.y = y + CHART_HEIGHT + GAP;
  }
}

/** Settlements per quarter, the Mittelzentren side by side in each quarter. */
export function drawSettlementChart(doc: PDFKit.PDFDocument, parent: PDFKit.PDFStructureElement, f: ProgrammeFigures) {
  const left = doc.page.margins.left;
  const box = { x: left, y: doc.y, w: doc.page.width - left - doc.page.margins.right, h: GROUPED_HEIGHT };
  const labels = f.quarters.map((q) => quarterLabel(q.quarter));
  const series = perArea(f, (q) => q.settled);
  const title = 'Ansiedlungen je Quartal';
  figure(doc, parent, box, altText(title, labels, series), () => barChart(doc, box, '', labels, series));
  doc.x = left;
  doc.y = box.y + GROUPED_HEIGHT + GAP;
}
