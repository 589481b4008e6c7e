import type { ReportInput } from './content.js';
import { renderPdf } from './pdf.js';
import { renderXlsx } from './xlsx.js';

/**
 * The quarterly monitoring report of a funding programme (the Regionalbudget Nordsachsen):
 * the same figures as a PDF to read and as a workbook to work on.
 */

export type { ReportInput } from './content.js';

export async function renderReport(input: ReportInput): Promise<{ pdf: Buffer; xlsx: Buffer }> {
  const [pdf, xlsx] = await Promise.all([renderPdf(input), renderXlsx(input)]);
  return { pdf, xlsx };
}
