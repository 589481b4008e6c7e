import { sql } from 'kysely';
import type { EnquiryRow } from '../../domain/enquiry-row.js';
import { toRow } from './rows.js';
import type { ReadDb } from './store.js';

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

export async function save(tx: ReadDb, row: EnquiryRow) {
  const values = toRow(row);
  const { enquiry_id: _id, ...rest } = values;
  await tx.updateTable('enquiries').set(rest).where('enquiry_id', '=', row.enquiryId).execute();
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
