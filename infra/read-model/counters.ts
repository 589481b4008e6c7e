import { sql } from 'kysely';
import type { EnquiryRow } from '../../domain/enquiry-row.js';
import { tallyChange } from '../../domain/tally.js';
import { tasksOf, type OpenTask } from '../../domain/tasks.js';
import { fromRow } from './rows.js';
import type { ReadDb } from './tables.js';

/**
 * What the figures and the Aufgaben read, kept up to date with the rows: the sums of the
 * figures' counters per agency and day and per agency and month (domain/tally.ts), one row
 * per open task and the number of tasks per party and status (domain/tasks.ts). Written in
 * the transaction that changes the enquiries' rows, from the difference between each row
 * before and after, in one order (sorted keys) so that processes sharing the store never
 * wait on each other in a circle.
 */

export interface RowChange {
  before: EnquiryRow | undefined;
  after: EnquiryRow;
}

/** In one order of their keys (code-unit order, as every process sorts them), so that locks are taken alike. */
const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/** Rows per statement: well below PostgreSQL's 65,535 parameters. */
const CHUNK = 1000;

export async function count(tx: ReadDb, changes: RowChange[]) {
  await countFigures(tx, changes);
  await countTasks(tx, changes);
}

async function countFigures(tx: ReadDb, changes: RowChange[]) {
  const sums = new Map<string, { agency: string; span: string; start: string; key: string; n: number }>();
  for (const { before, after } of changes) {
    for (const t of tallyChange(before, after)) {
      for (const [span, start] of [
        ['day', t.day],
        ['month', `${t.day.slice(0, 7)}-01`],
      ] as const) {
        const id = [t.agency, span, start, t.key].join('\u0000');
        const found = sums.get(id);
        if (found) found.n += t.n;
        else sums.set(id, { agency: t.agency, span, start, key: t.key, n: t.n });
      }
    }
  }
  const rows = [...sums.entries()].sort(byKey).map(([, v]) => v);
  for (let i = 0; i < rows.length; i += CHUNK) {
    await tx
      .insertInto('figure_counts')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(['agency', 'span', 'start', 'key']).doUpdateSet({ n: sql`figure_counts.n + excluded.n` }),
      )
      .execute();
  }
}

async function countTasks(tx: ReadDb, changes: RowChange[]) {
  const moved = changes
    .map(({ before, after }) => ({ id: after.enquiryId, was: before ? tasksOf(before) : [], now: tasksOf(after) }))
    .filter(({ was, now }) => JSON.stringify(was) !== JSON.stringify(now));
  if (moved.length === 0) return;
  const deltas = new Map<string, number>();
  const add = (tasks: OpenTask[], sign: number) => {
    for (const t of tasks)
      deltas.set(`${t.who}\u0000${t.status}`, (deltas.get(`${t.who}\u0000${t.status}`) ?? 0) + sign);
  };
  for (const m of moved) {
    add(m.was, -1);
    add(m.now, 1);
  }
  await tx
    .deleteFrom('tasks')
    .where(
      'enquiry_id',
      'in',
      moved.map((m) => m.id),
    )
    .execute();
  const rows = moved.flatMap((m) =>
    m.now.map((t) => ({
      enquiry_id: m.id,
      who: t.who,
      status: t.status,
      deadline: t.deadline ?? 'infinity',
      // Named only when someone has it: migration 002 recounts before 004 adds the column.
      ...(t.assignee ? { assignee: t.assignee } : {}),
    })),
  );
  for (let i = 0; i < rows.length; i += CHUNK)
    await tx
      .insertInto('tasks')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  const counts = [...deltas]
    .filter(([, n]) => n !== 0)
    .sort(byKey)
    .map(([k, n]) => {
      const [who, status] = k.split('\u0000') as [string, string];
      return { who, status, n };
    });
  if (counts.length === 0) return;
  await tx
    .insertInto('task_counts')
    .values(counts)
    .onConflict((oc) => oc.columns(['who', 'status']).doUpdateSet({ n: sql`task_counts.n + excluded.n` }))
    .execute();
}

/**
 * Counts every row again from nothing: for a migration that adds or changes what is counted
 * (the rows themselves stay; nothing is read from the stream).
 */
export async function recount(db: ReadDb) {
  await sql`truncate figure_counts, tasks, task_counts`.execute(db);
  for (let after = ''; ;) {
    const rows = await db
      .selectFrom('enquiries')
      .selectAll()
      .where('enquiry_id', '>', after)
      .orderBy('enquiry_id')
      .limit(CHUNK)
      .execute();
    if (rows.length === 0) return;
    await count(
      db,
      rows.map((r) => ({ before: undefined, after: fromRow(r) })),
    );
    after = rows.at(-1)!.enquiry_id;
  }
}
