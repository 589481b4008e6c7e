import { withWorkflowSummary } from '../../domain/enquiry-row.js';
import type { EnquirySummary } from '../../domain/summary.js';
import { notify, save, type Applied } from './writes.js';
import { fromRow } from './rows.js';
import type { ReadDb } from './tables.js';

/**
 * Enquiries started before 1.1 publish no summaries: their events tell their status, not who
 * must act by when. After each batch their workflows are asked (a query; in parallel, each
 * with the connection's deadline) and the answer completes the row, unless a newer step was
 * folded meanwhile (its own batch asks again). An enquiry that cannot answer now keeps what its
 * events told.
 */
export type SummaryOf = (enquiryId: string) => Promise<EnquirySummary | null>;

export async function completeOlder(db: ReadDb, changes: Applied[], summaryOf: SummaryOf) {
  const older = changes.filter((c) => c.olderAt !== undefined);
  if (older.length === 0) return;
  const answers = await Promise.all(older.map((c) => summaryOf(c.enquiryId).catch(() => null)));
  await db.transaction().execute(async (tx) => {
    const done: Applied[] = [];
    for (const [i, change] of older.entries()) {
      const summary = answers[i];
      if (!summary) continue;
      const row = await tx
        .selectFrom('enquiries')
        .selectAll()
        .where('enquiry_id', '=', change.enquiryId)
        .where('as_of', '=', 0)
        .where('last_step', '=', change.olderAt!)
        .forUpdate()
        .executeTakeFirst();
      if (!row) continue;
      const before = fromRow(row);
      await save(tx, [{ before, after: withWorkflowSummary(before, summary) }]);
      done.push({ enquiryId: change.enquiryId, types: change.types });
    }
    await notify(tx, done);
  });
}
