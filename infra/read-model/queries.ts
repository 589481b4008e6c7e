import { sql, type RawBuilder } from 'kysely';
import type { ReadDb } from './tables.js';

/**
 * The reads over many enquiries, each one query on indexed columns, paged by key (never by
 * offset), so that its cost follows the page, not the years of enquiries behind it.
 */

export interface EnquiryFilter {
  /** The caller's agency: only enquiries it has a part in. */
  visibleTo: string;
  status?: string;
  agency?: string;
  receivedBy?: string;
  responsibleAgency?: string;
  handlingAgency?: string;
  significant?: boolean;
  from?: Date;
  to?: Date;
  /** What a search must find (infra/read-model/search.ts, `matches`). */
  search?: RawBuilder<boolean>;
}

/** Where a page of the listing goes on: after this enquiry, newest first. */
export interface ListAfter {
  receivedAt: string;
  enquiryId: string;
}

const has = (column: string, value: string) => sql<boolean>`${sql.ref(column)} @> array[${value}]::text[]`;

function filtered(db: ReadDb, f: EnquiryFilter) {
  let q = db.selectFrom('enquiries').where(has('agencies', f.visibleTo)).where('received_at', 'is not', null);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.agency) q = q.where(has('agencies', f.agency));
  if (f.receivedBy) q = q.where('received_by', '=', f.receivedBy);
  if (f.responsibleAgency) q = q.where('responsible_agency', '=', f.responsibleAgency);
  if (f.handlingAgency) q = q.where(has('handling_agencies', f.handlingAgency));
  if (f.significant !== undefined) q = q.where('significant', '=', f.significant);
  if (f.from) q = q.where('received_at', '>=', f.from);
  if (f.to) q = q.where('received_at', '<', f.to);
  if (f.search) q = q.where(f.search);
  return q;
}

export async function listEnquiries(db: ReadDb, f: EnquiryFilter, limit: number, after?: ListAfter) {
  let q = filtered(db, f).selectAll();
  if (after) {
    q = q.where(sql<boolean>`(received_at, enquiry_id) < (${after.receivedAt}::timestamptz, ${after.enquiryId})`);
  }
  const rows = await q
    .orderBy('received_at', 'desc')
    .orderBy('enquiry_id', 'desc')
    .limit(limit + 1)
    .execute();
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  const next: ListAfter | null = last ? { receivedAt: iso(last.received_at)!, enquiryId: last.enquiry_id } : null;
  return { rows: rows.slice(0, limit), next };
}

export interface TaskAfter {
  deadline: string | null;
  enquiryId: string;
  who: string;
}

export interface TaskRow {
  enquiry_id: string;
  who: string;
  status: string;
  deadline: Date | null;
  assignee: string | null;
}

/**
 * One row per decision waiting on one of `mine` in one of `statuses`, earliest deadline first
 * (none last), and how many there are. Each pair of party and status is one range of the
 * index `tasks_waiting`, read no further than the page; the count is a sum of counters.
 */
export async function listTasks(
  db: ReadDb,
  { mine, statuses, assignee }: { mine: string[]; statuses: string[]; assignee?: string },
  limit: number,
  after?: TaskAfter,
) {
  const due = sql`coalesce(${after?.deadline ?? null}::timestamptz, 'infinity'::timestamptz)`;
  // Within one party's range the key is (deadline, enquiry); the party itself breaks a tie between parties.
  const cursor = after
    ? sql`and (t.deadline, t.enquiry_id) >= (${due}, ${after.enquiryId})
        and not (t.deadline = ${due} and t.enquiry_id = ${after.enquiryId} and t.who <= ${after.who})`
    : sql``;
  const taken = assignee === undefined ? sql`` : sql`and t.assignee = ${assignee}`;
  const [page, count] = await Promise.all([
    sql<TaskRow>`select p.enquiry_id, p.who, p.status, nullif(p.deadline, 'infinity') as deadline, p.assignee
      from unnest(${mine}::text[]) as m(who) cross join unnest(${statuses}::text[]) as s(status)
      cross join lateral (select * from tasks t where t.who = m.who and t.status = s.status ${taken} ${cursor}
        order by t.deadline, t.enquiry_id limit ${limit + 1}) p
      order by p.deadline, p.enquiry_id, p.who limit ${limit + 1}`.execute(db),
    // A person's own tasks are few: counted from their rows (index tasks_assigned), the rest from the counters.
    assignee === undefined
      ? sql<{ n: string | null }>`select sum(n) as n from task_counts
          where who = any(${mine}::text[]) and status = any(${statuses}::text[])`.execute(db)
      : sql<{ n: string | null }>`select count(*) as n from tasks t
          where t.assignee = ${assignee} and t.who = any(${mine}::text[])
          and t.status = any(${statuses}::text[])`.execute(db),
  ]);
  const rows = page.rows.slice(0, limit);
  const last = page.rows.length > limit ? rows.at(-1) : undefined;
  const next: TaskAfter | null = last
    ? { deadline: iso(last.deadline), enquiryId: last.enquiry_id, who: last.who }
    : null;
  return { rows, total: Number(count.rows[0]?.n ?? 0), next };
}

/** The enquiries a vote of these offices (`<agency>:<officeId>`) was asked on, newest first. */
export async function votedOn(db: ReadDb, offices: string[], limit: number) {
  return db
    .selectFrom('enquiries')
    .select('enquiry_id')
    .where(sql<boolean>`offices && ${offices}::text[]`)
    .orderBy('received_at', 'desc')
    .limit(limit)
    .execute();
}

/** The enquiries whose lead was offered to the agency, newest first. */
export async function offeredTo(db: ReadDb, agency: string, limit: number, search?: RawBuilder<boolean>) {
  return db
    .selectFrom('enquiries')
    .select('enquiry_id')
    .where(has('lead_partners', agency))
    .where(search ?? sql<boolean>`true`)
    .orderBy('received_at', 'desc')
    .limit(limit)
    .execute();
}

export function iso(d: Date | string | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}
