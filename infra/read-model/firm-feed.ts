import type { JsMsg } from '@nats-io/jetstream';
import { FirmCloudEventSchema } from '../../domain/cloud-event.js';
import type { CloudEvent } from '../../domain/events.js';
import { FIRM_EVENTS_STREAM, firmEventTypeOf, type FirmSummary } from '../../domain/firm-events.js';
import { firmTasksOf } from '../../domain/firm-tasks.js';
import type { Logger } from '../logger.js';
import { startDurableFeed, type DurableFeed } from './batches.js';
import type { NatsConnection } from '../nats.js';
import type { ReadDb } from './tables.js';

/**
 * Keeps the firms' care in the read model: a durable consumer of FIRM_EVENTS (its name the
 * store's feed with `-firms`), each batch in one transaction, then acknowledged. Exactly once
 * by event id (`firm_steps`' key); the firm's row is the newest summary (by its step number),
 * whatever order the events arrive in, and its tasks are rebuilt with it.
 */

export type FirmFeed = DurableFeed;

export async function startFirmFeed(opts: {
  nats: NatsConnection;
  db: ReadDb;
  consumer: string;
  logger: Logger;
  replicas: number;
}): Promise<FirmFeed> {
  return startDurableFeed({
    ...opts,
    stream: FIRM_EVENTS_STREAM,
    name: `${opts.consumer}-firms`,
    what: 'the firm feed',
    apply: (batch) =>
      applyFirmEvents(
        opts.db,
        batch.map(eventOf).filter((e): e is CloudEvent => e !== null),
      ),
  });
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
