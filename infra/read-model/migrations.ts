import { sql, type Kysely, type Migration } from 'kysely';
import { recount } from './counters.js';
import type { ReadDb } from './tables.js';

/**
 * The read model's tables, one migration per change, applied in order by Kysely's
 * Migrator when a process opens the store (infra/read-model/store.ts). Never edit one
 * that has shipped: add the next. Everything here can be rebuilt from the event stream.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '2026-12-07-001-enquiries': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('enquiries')
        .addColumn('enquiry_id', 'text', (c) => c.primaryKey())
        .addColumn('as_of', 'integer', (c) => c.notNull())
        .addColumn('last_step', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('kind', 'text')
        .addColumn('received_by', 'text', (c) => c.notNull())
        .addColumn('received_at', 'timestamptz')
        .addColumn('responsible_agency', 'text')
        .addColumn('agencies', sql`text[]`, (c) => c.notNull())
        .addColumn('handling_agencies', sql`text[]`, (c) => c.notNull())
        .addColumn('lead_partners', sql`text[]`, (c) => c.notNull())
        .addColumn('significant', 'boolean', (c) => c.notNull())
        .addColumn('offices', sql`text[]`, (c) => c.notNull())
        .addColumn('waiting_on', sql`text[]`, (c) => c.notNull())
        .addColumn('deadline', 'timestamptz')
        .addColumn('deadlines', 'jsonb', (c) => c.notNull())
        .addColumn('outcome', 'text')
        .addColumn('places', sql`text[]`, (c) => c.notNull())
        .addColumn('jobs', 'integer')
        .addColumn('investment_eur', 'double precision')
        .addColumn('forwarding_requested', 'boolean', (c) => c.notNull())
        .addColumn('leads', 'jsonb', (c) => c.notNull())
        .addColumn('first_at', 'jsonb', (c) => c.notNull())
        .addColumn('joint', 'boolean', (c) => c.notNull())
        .addColumn('joint_partners', sql`text[]`, (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .execute();
      // Listings: newest first within what an agency may see; tasks: who must act, earliest deadline first.
      await sql`create index enquiries_received on enquiries (received_at desc, enquiry_id desc)`.execute(db);
      await sql`create index enquiries_agencies on enquiries using gin (agencies)`.execute(db);
      await sql`create index enquiries_waiting on enquiries using gin (waiting_on)`.execute(db);
      await sql`create index enquiries_partners on enquiries using gin (lead_partners)`.execute(db);
      await sql`create index enquiries_offices on enquiries using gin (offices)`.execute(db);
      // Exactly once: an event id is applied in the same transaction that records it here.
      await db.schema
        .createTable('applied_events')
        .addColumn('event_id', 'text', (c) => c.primaryKey())
        .addColumn('stream_seq', 'bigint', (c) => c.notNull())
        .execute();
      // Which durable consumer feeds this store: a new store gets a new one, which starts at the stream's first event.
      await db.schema
        .createTable('feed')
        .addColumn('consumer', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
  '2026-12-07-002-counters': {
    // The sums the figures and the Aufgaben read (infra/read-model/counters.ts), counted from the rows once.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('figure_counts')
        .addColumn('agency', 'text', (c) => c.notNull())
        .addColumn('span', 'text', (c) => c.notNull().check(sql`span in ('day', 'month')`))
        .addColumn('start', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('n', 'numeric', (c) => c.notNull())
        .addPrimaryKeyConstraint('figure_counts_pk', ['agency', 'span', 'start', 'key'])
        .execute();
      await db.schema
        .createTable('tasks')
        .addColumn('enquiry_id', 'text', (c) => c.notNull())
        .addColumn('who', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        // 'infinity' where the enquiry has no deadline: such a task comes last.
        .addColumn('deadline', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('tasks_pk', ['enquiry_id', 'who'])
        .execute();
      await sql`create index tasks_waiting on tasks (who, status, deadline, enquiry_id)`.execute(db);
      await db.schema
        .createTable('task_counts')
        .addColumn('who', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('task_counts_pk', ['who', 'status'])
        .execute();
      await recount(db as unknown as ReadDb);
    },
  },
  '2026-12-07-003-search': {
    // What Anfragen are searched by (infra/read-model/search.ts); every enquiry there is marked to be indexed.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('enquiry_search')
        .addColumn('enquiry_id', 'text', (c) => c.primaryKey())
        .addColumn('pending', 'boolean', (c) => c.notNull())
        .addColumn('words', 'text', (c) => c.notNull())
        .addColumn('released', 'boolean', (c) => c.notNull())
        .addColumn('firm_terms', sql`text[]`, (c) => c.notNull())
        .execute();
      await sql`create index enquiry_search_firm on enquiry_search using gin (firm_terms)`.execute(db);
      await sql`create index enquiry_search_pending on enquiry_search (enquiry_id) where pending`.execute(db);
      await sql`insert into enquiry_search (enquiry_id, pending, words, released, firm_terms)
        select enquiry_id, true, '', false, '{}' from enquiries`.execute(db);
    },
  },
  '2026-12-07-004-assignees': {
    // Who has an enquiry's task, per agency (its summary says), and on each task row: the "meine" filter.
    async up(db: Kysely<unknown>) {
      await sql`alter table enquiries add column assignees jsonb not null default '{}'`.execute(db);
      await sql`alter table tasks add column assignee text`.execute(db);
      await sql`create index tasks_assigned on tasks (assignee, deadline, enquiry_id) where assignee is not null`.execute(
        db,
      );
    },
  },
  '2026-12-07-005-firm-names': {
    // The firm's name as its workflow keeps it, sealed: lists name the firm for those who may see it. Indexed
    // anew where a firm name was indexed (an erased or never-named one has none to seal).
    async up(db: Kysely<unknown>) {
      await sql`alter table enquiry_search add column firm_sealed text`.execute(db);
      await sql`update enquiry_search set pending = true where firm_terms <> '{}'`.execute(db);
    },
  },
  '2026-12-08-006-firms': {
    // The firms' care (Bestandspflege), from FIRM_EVENTS: a row per firm from its newest summary, each step for
    // the firm's timeline (notes only sealed), and what waits on whom (Aufgaben), rebuilt with each summary.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('firms')
        .addColumn('firm_id', 'text', (c) => c.primaryKey())
        .addColumn('as_of', 'integer', (c) => c.notNull())
        .addColumn('agency', 'text', (c) => c.notNull())
        .addColumn('readers', sql`text[]`, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sector', 'text', (c) => c.notNull())
        .addColumn('places', sql`text[]`, (c) => c.notNull())
        .addColumn('care_level', 'text', (c) => c.notNull())
        .addColumn('next_visit_due', 'text', (c) => c.notNull())
        .addColumn('visit_due', 'boolean', (c) => c.notNull())
        .addColumn('summary', 'jsonb', (c) => c.notNull())
        .execute();
      await sql`create index firms_readers on firms using gin (readers)`.execute(db);
      await db.schema
        .createTable('firm_steps')
        .addColumn('event_id', 'text', (c) => c.primaryKey())
        .addColumn('firm_id', 'text', (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('agency', 'text', (c) => c.notNull())
        .addColumn('detail', 'jsonb', (c) => c.notNull())
        .execute();
      await sql`create index firm_steps_firm on firm_steps (firm_id, step)`.execute(db);
      await db.schema
        .createTable('firm_tasks')
        .addColumn('firm_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('agency', 'text', (c) => c.notNull())
        .addColumn('sub', 'text')
        .addColumn('due', 'timestamptz', (c) => c.notNull())
        .addColumn('detail', 'jsonb', (c) => c.notNull())
        .execute();
      await sql`create index firm_tasks_agency on firm_tasks (agency, due)`.execute(db);
      await sql`create index firm_tasks_firm on firm_tasks (firm_id)`.execute(db);
    },
  },
  '2026-12-08-007-programmes': {
    // Where an enquiry came from and where its proposed sites lie, and every version of every
    // site: what a programme's figures per area and measure read (infra/read-model/programme-figures.ts).
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('enquiries')
        .addColumn('channel', 'text')
        .addColumn('measure', 'text')
        .addColumn('source_area', 'text')
        .addColumn('proposed_places', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
        .execute();
      // The settled ones, by the day they were closed: few, found by this partial index.
      await sql`create index enquiries_settled on enquiries (enquiry_id) where outcome = 'settled'`.execute(db);
      await sql`create index enquiries_proposed on enquiries using gin (proposed_places)`.execute(db);
      await db.schema
        .createTable('site_versions')
        .addColumn('revision', 'bigint', (c) => c.primaryKey())
        .addColumn('site_key', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('ags', 'text')
        .addColumn('area_m2', 'double precision')
        .execute();
      await sql`create index site_versions_key on site_versions (site_key, revision)`.execute(db);
    },
  },
};
