import { sql } from 'kysely';
import { count, type RowChange } from './counters.js';
import { toRow } from './rows.js';
import type { ReadDb } from './tables.js';

/** What the projector and the completion of older enquiries write: a row, and the news of it. */

/** The PostgreSQL channel on which every process hears which enquiries the read model just changed. */
export const CHANGES = 'lotse_read_model';

export interface Applied {
  enquiryId: string;
  types: string[];
  /** Started before 1.1 and open: its newest step folded without a summary (its workflow tells the rest). */
  olderAt?: number;
}

/** Tells every process sharing the store which enquiries changed (delivered when the transaction commits). */
export async function notify(tx: ReadDb, changes: Applied[]) {
  for (const chunk of chunks(changes, 40)) {
    const said = chunk.map(({ enquiryId, types }) => ({ enquiryId, types }));
    await sql`select pg_notify(${CHANGES}, ${JSON.stringify(said)})`.execute(tx);
  }
}

/** Writes the rows (each locked by the caller) and what their change does to the counters. */
export async function save(tx: ReadDb, changes: RowChange[]) {
  for (const { after } of changes) {
    const { enquiry_id: _id, ...rest } = toRow(after);
    await tx.updateTable('enquiries').set(rest).where('enquiry_id', '=', after.enquiryId).execute();
  }
  await count(tx, changes);
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
