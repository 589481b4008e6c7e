import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { FirmCloudEventSchema } from '../../domain/cloud-event.js';
import type { CloudEvent } from '../../domain/events.js';
import { FIRM_EVENTS_STREAM, firmEventTypeOf, type FirmSummary } from '../../domain/firm-events.js';
import { firmTasksOf } from '../../domain/firm-tasks.js';
import type { Logger } from '../logger.js';
import { followInBatches } from './batches.js';
import type { NatsConnection } from '../nats.js';
import type { ReadDb } from './tables.js';

/**
 * Keeps the firms' care in the read model: a durable consumer of FIRM_EVENTS (its name the
 * store's feed with `-firms`), each batch in one transaction, then acknowledged. Exactly once
 * by event id (`firm_steps`' key); the firm's row is the newest summary (by its step number),
 * whatever order the events arrive in, and its tasks are rebuilt with it.
 */

const BATCH = 200;
const IDLE = 7 * 24 * 3600_000;

export interface FirmFeed {
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFirmFeed(opts: {
  nats: NatsConnection;
  db: ReadDb;
  consumer: string;
  logger: Logger;
  replicas: number;
}): Promise<FirmFeed> {
  const { nats, db, logger } = opts;
  const name = `${opts.consumer}-firms`;
  const jsm = await jetstreamManager(nats);
  await jsm.consumers.add(FIRM_EVENTS_STREAM, {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(30_000),
    max_ack_pending: 4 * BATCH,
    inactive_threshold: nanos(IDLE),
    num_replicas: opts.replicas,
  });
  const consumer = await jetstream(nats).consumers.get(FIRM_EVENTS_STREAM, name);
  let stopped = false;
  const settle = async (batch: JsMsg[]) => {
    for (let wait = 250; !stopped; wait = Math.min(wait * 2, 5000)) {
      try {
        await applyFirmEvents(
          db,
          batch.map(eventOf).filter((e): e is CloudEvent => e !== null),
        );
        for (const m of batch) m.ack();
        return;
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'read model: firm events could not be applied, trying again');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  };
  const feed = followInBatches({
    consumer,
    batch: BATCH,
    settle,
    stopped: () => stopped,
    logger,
    name: 'the firm feed',
  });
  return {
    async caughtUp() {
      const { state } = await jsm.streams.info(FIRM_EVENTS_STREAM);
      while (!stopped && (await jsm.consumers.info(FIRM_EVENTS_STREAM, name)).ack_floor.stream_seq < state.last_seq) {
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      stopped = true;
      await feed.close();
    },
  };
}

/** A firm event, or null for anything else on the stream (a probe): acknowledged and left alone. */
function eventOf(m: JsMsg): CloudEvent | null {
  const parsed = FirmCloudEventSchema.safeParse(m.json());
  return parsed.success && firmEventTypeOf(parsed.data as CloudEvent) ? (parsed.data as CloudEvent) : null;
}

export async function applyFirmEvents(db: ReadDb, events: CloudEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.transaction().execute(async (tx) => {
    const steps = events.map((e) => stepRow(e));
    const fresh = await tx
      .insertInto('firm_steps')
      .values(steps)
      .onConflict((oc) => oc.column('event_id').doNothing())
      .returning('event_id')
      .execute();
    const ids = new Set(fresh.map((r) => r.event_id));
    const newest = new Map<string, FirmSummary>();
    for (const e of events) {
      const summary = e.data.summary as FirmSummary | undefined;
      if (!ids.has(e.id) || !summary) continue;
      if ((newest.get(e.subject)?.asOf ?? -1) < summary.asOf) newest.set(e.subject, summary);
    }
    for (const summary of newest.values()) await keep(tx, summary);
  });
}

function stepRow(e: CloudEvent) {
  const { summary: _summary, firmId: _firmId, ...detail } = e.data;
  return {
    event_id: e.id,
    firm_id: e.subject,
    step: Number(e.id.slice(e.subject.length + 1).split('.')[0]) || 0,
    type: firmEventTypeOf(e)!,
    at: e.time,
    agency: e.source.replace(/^urn:lotse:agency:/, ''),
    detail: JSON.stringify(detail),
  };
}

/** The firm's row from the summary, unless a newer one is there; its tasks with it. */
async function keep(tx: ReadDb, s: FirmSummary) {
  const row = {
    firm_id: s.firmId,
    as_of: s.asOf,
    agency: s.agency,
    readers: s.readers,
    name: s.name,
    sector: s.sector,
    places: s.places,
    care_level: s.careLevel,
    next_visit_due: s.nextVisitDue,
    visit_due: s.visitDue,
    summary: JSON.stringify(s),
  };
  const { firm_id: _id, ...rest } = row;
  const kept = await tx
    .insertInto('firms')
    .values(row)
    .onConflict((oc) => oc.column('firm_id').doUpdateSet(rest).where('firms.as_of', '<', s.asOf))
    .returning('firm_id')
    .execute();
  if (kept.length === 0) return;
  await tx.deleteFrom('firm_tasks').where('firm_id', '=', s.firmId).execute();
  const tasks = firmTasksOf(s).map((t) => ({
    firm_id: t.firmId,
    kind: t.kind,
    ref: t.ref,
    agency: t.agency,
    sub: t.sub,
    due: t.due,
    detail: JSON.stringify(t.detail),
  }));
  if (tasks.length) await tx.insertInto('firm_tasks').values(tasks).execute();
}
