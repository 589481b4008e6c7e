import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { sql } from 'kysely';
import { foldEvent, parseEnquiryEvent, type EnquiryRow } from '../../domain/enquiry-row.js';
import { ENQUIRY_EVENTS_STREAM, typeOf, type CloudEvent } from '../../domain/events.js';
import type { Logger } from '../logger.js';
import { durableConsumer, followInBatches } from './batches.js';
import type { NatsConnection } from '../nats.js';
import { completeOlder, type SummaryOf } from './older.js';
import { INDEXED_AFTER, indexMarked, markForIndex, type SearchIndexing } from './search.js';
import { notify, save, type Applied } from './writes.js';
import { fromRow, toRow } from './rows.js';
import type { ReadStore } from './store.js';
import type { ReadDb } from './tables.js';

/**
 * Keeps the read model up to date: a durable JetStream consumer of ENQUIRY_EVENTS, each
 * fetched batch applied in one transaction, then acknowledged. Exactly once by event id
 * (`applied_events`, written in the same transaction): a redelivered or replayed event
 * changes nothing. Several api processes may share the consumer: each row is locked while
 * it is folded, and where an enquiry stands comes from the newest summary, whatever order
 * the events arrive in. After each batch the store notifies its listeners (`CHANGES`).
 */

const BATCH = 500;

export interface ProjectorStats {
  /** Stream time of the newest event applied (ms since the epoch), 0 before any. */
  newestEventAt: number;
}

export interface Projector {
  /** Resolves once every event stored when it was called is applied. */
  caughtUp(): Promise<void>;
  /** Events stored but not yet applied (by any process sharing the consumer). */
  pending(): Promise<number>;
  stats: ProjectorStats;
  stop(): Promise<void>;
}

export async function startProjector(opts: {
  nats: NatsConnection;
  store: ReadStore;
  logger: Logger;
  replicas: number;
  onLag?: (seconds: number) => void;
  /** Where an enquiry started before 1.1 stands, as its workflow answers (null: it cannot now). */
  summaryOf?: SummaryOf;
  /** What Anfragen are searched by (infra/read-model/search.ts); none: nothing is indexed. */
  search?: SearchIndexing;
}): Promise<Projector> {
  const { nats, store, logger } = opts;
  const name = await consumerName(store.db);
  const jsm = await jetstreamManager(nats);
  await jsm.consumers.add(ENQUIRY_EVENTS_STREAM, durableConsumer(name, BATCH, opts.replicas));
  await warnIfIncomplete(jsm, store, logger);
  const consumer = await jetstream(nats).consumers.get(ENQUIRY_EVENTS_STREAM, name);
  const stats: ProjectorStats = { newestEventAt: 0 };
  const indexing = indexer(store.db, opts.search, logger);
  let stopped = false;
  /** Applies a batch until it is in (the store may be away for a while), then acknowledges it. */
  const settle = async (batch: JsMsg[]) => {
    for (let wait = 250; ; wait = Math.min(wait * 2, 5000)) {
      try {
        const changes = await applyBatch(store.db, batch);
        if (opts.summaryOf) await completeOlder(store.db, changes, opts.summaryOf);
        if (opts.search) indexing.soon();
        break;
      } catch (err) {
        if (stopped) return;
        logger.warn({ err: (err as Error).message }, 'read model: a batch could not be applied, trying again');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    const now = Date.now();
    for (const m of batch) {
      m.ack();
      const storedAt = Math.floor(m.info.timestampNanos / 1_000_000);
      stats.newestEventAt = Math.max(stats.newestEventAt, storedAt);
      opts.onLag?.((now - storedAt) / 1000);
    }
  };
  const feed = followInBatches({ consumer, batch: BATCH, settle, stopped: () => stopped, logger, name: 'the feed' });
  const info = () => jsm.consumers.info(ENQUIRY_EVENTS_STREAM, name);
  return {
    stats,
    async pending() {
      const i = await info();
      return i.num_pending + i.num_ack_pending;
    },
    async caughtUp() {
      const { state } = await jsm.streams.info(ENQUIRY_EVENTS_STREAM);
      while (!stopped && (await info()).ack_floor.stream_seq < state.last_seq) {
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      stopped = true;
      await feed.close();
      await indexing.stop();
    },
  };
}

/** Applies the events of one batch that were not applied before, in stream order, in one transaction. */
export async function applyBatch(db: ReadDb, batch: JsMsg[]): Promise<Applied[]> {
  const events = new Map<string, { seq: number; event: CloudEvent }>();
  for (const m of batch) {
    const event = parseEnquiryEvent(m.json());
    // Not an enquiry event (a probe, a later contract's type): acknowledged and left alone.
    if (event && !events.has(event.id)) events.set(event.id, { seq: m.info.streamSequence, event });
  }
  return applyEvents(db, [...events.values()]);
}

export async function applyEvents(db: ReadDb, events: { seq: number; event: CloudEvent }[]): Promise<Applied[]> {
  if (events.length === 0) return [];
  return db.transaction().execute(async (tx) => {
    const fresh = await tx
      .insertInto('applied_events')
      .values(events.map((e) => ({ event_id: e.event.id, stream_seq: e.seq })))
      .onConflict((oc) => oc.column('event_id').doNothing())
      .returning('event_id')
      .execute();
    const ids = new Set(fresh.map((r) => r.event_id));
    const todo = events.filter((e) => ids.has(e.event.id)).sort((a, b) => a.seq - b.seq);
    if (todo.length === 0) return [];
    const subjects = [...new Set(todo.map((e) => e.event.subject))].sort();
    const rows = await lockRows(tx, subjects, todo);
    const before = new Map(rows);
    const applied = new Map<string, Set<string>>();
    for (const { event } of todo) {
      rows.set(event.subject, foldEvent(rows.get(event.subject), event));
      (applied.get(event.subject) ?? applied.set(event.subject, new Set()).get(event.subject)!).add(typeOf(event));
    }
    await save(
      tx,
      subjects.map((s) => ({ before: before.get(s), after: rows.get(s)! })),
    );
    const changes = [...applied].map(([enquiryId, types]): Applied => {
      const row = rows.get(enquiryId)!;
      const older = row.asOf === 0 && row.status !== 'closed';
      return { enquiryId, types: [...types], ...(older ? { olderAt: row.lastStep } : {}) };
    });
    await markForIndex(
      tx,
      todo.filter(({ event }) => INDEXED_AFTER.includes(typeOf(event))).map(({ event }) => event.subject),
    );
    await notify(tx, changes);
    return changes;
  });
}

/**
 * The rows of these enquiries, locked until the transaction ends; a blank one made first for
 * a new enquiry, so that two processes folding its first events take turns instead of both
 * starting from nothing.
 */
async function lockRows(tx: ReadDb, subjects: string[], todo: { event: CloudEvent }[]) {
  const firstTime = new Map(todo.map((e) => [e.event.subject, e.event.time]));
  const blanks = subjects.map((s) => toRow(foldEvent(undefined, placeholder(s, firstTime.get(s)!))));
  await tx
    .insertInto('enquiries')
    .values(blanks)
    .onConflict((oc) => oc.column('enquiry_id').doNothing())
    .execute();
  const found = await tx.selectFrom('enquiries').selectAll().where('enquiry_id', 'in', subjects).forUpdate().execute();
  return new Map<string, EnquiryRow>(found.map((r) => [r.enquiry_id, fromRow(r)]));
}

/** No event of any type: a blank row with the enquiry's id and time. */
const placeholder = (subject: string, time: string): CloudEvent => ({
  specversion: '1.0',
  id: `${subject}.0.placeholder`,
  source: 'urn:lotse:agency:lotse',
  type: 'de.lotse.enquiry.placeholder.v1',
  subject,
  time,
  datacontenttype: 'application/json',
  data: {},
});

/**
 * The durable consumer of this store: made with the store, so a new or emptied store reads
 * the stream from its start.
 */
async function consumerName(db: ReadDb): Promise<string> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(4242001)`.execute(tx);
    const found = await tx.selectFrom('feed').select('consumer').executeTakeFirst();
    if (found) return found.consumer;
    const consumer = `lotse-read-model-${randomBytes(6).toString('hex')}`;
    await tx.insertInto('feed').values({ consumer }).execute();
    return consumer;
  });
}

/** A stream that no longer holds its first events cannot rebuild a store: say so, loudly. */
async function warnIfIncomplete(jsm: Awaited<ReturnType<typeof jetstreamManager>>, store: ReadStore, logger: Logger) {
  const { state } = await jsm.streams.info(ENQUIRY_EVENTS_STREAM);
  if (state.first_seq <= 1) return;
  const applied = await store.db
    .selectFrom('applied_events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(applied.n) === 0) {
    logger.error(
      { firstSeq: state.first_seq, store: store.where },
      'read model: the event stream no longer holds its first events; enquiries whose events are gone are missing ' +
        'from lists and figures (docs/operating.md, "Rebuilding the read model")',
    );
  }
}

/**
 * Indexes the marked enquiries for search, one run at a time, beside the feed: after each
 * batch, and every 2 s for those that were not yet resting or could not answer before.
 */
function indexer(db: ReadDb, search: SearchIndexing | undefined, logger: Logger) {
  let running: Promise<void> | null = null;
  let again = false;
  // Once stopped, no run starts and a run ends after its batch: its workflow queries must be over before the
  // Temporal connection closes (a query retried on a closed connection throws from a timer).
  let stopped = false;
  const run = async () => {
    try {
      while (!stopped && (await indexMarked(db, search!)) > 0);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'read model: search index not updated, trying again');
    }
  };
  const soon = () => {
    if (!search || stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = run().finally(() => {
      running = null;
      if (again) {
        again = false;
        soon();
      }
    });
  };
  const timer = search ? setInterval(soon, 2000) : undefined;
  return {
    soon,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
