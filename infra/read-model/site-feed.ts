import type { JsMsg } from '@nats-io/jetstream';
import { Site } from '../../domain/reference.js';
import type { Logger } from '../logger.js';
import { SITES_BUCKET, type NatsConnection } from '../nats.js';
import { startDurableFeed, type DurableFeed } from './batches.js';
import type { ReadDb } from './tables.js';

/**
 * Every version of every site of the registry (the KV bucket's stream) in the read model, kept
 * for good: the bucket keeps 64 versions a site, the programme figures need what left the
 * registry in any quarter. Exactly once by revision (the stream sequence, the table's key).
 */

export const SITES_STREAM = `KV_${SITES_BUCKET}`;
const KEY_OF = new RegExp(`^\\$KV\\.${SITES_BUCKET}\\.(.+)$`);

export async function startSiteFeed(opts: {
  nats: NatsConnection;
  db: ReadDb;
  consumer: string;
  logger: Logger;
  replicas: number;
}): Promise<DurableFeed> {
  return startDurableFeed({
    ...opts,
    stream: SITES_STREAM,
    name: `${opts.consumer}-sites`,
    what: 'the site feed',
    apply: (batch) => applySiteVersions(opts.db, batch),
  });
}

async function applySiteVersions(db: ReadDb, batch: JsMsg[]) {
  const rows = batch.flatMap(versionOf);
  if (rows.length === 0) return;
  await db
    .insertInto('site_versions')
    .values(rows)
    .onConflict((oc) => oc.column('revision').doNothing())
    .execute();
}

/** A version of a site; none for a probe or anything that is not a site. */
interface Version {
  revision: number;
  site_key: string;
  at: string;
  operation: string;
  ags: string | null;
  area_m2: number | null;
}

function versionOf(m: JsMsg): Version[] {
  const key = KEY_OF.exec(m.subject)?.[1];
  if (!key || key === 'lotse-probe') return [];
  const operation = m.headers?.get('KV-Operation') || 'PUT';
  const at = new Date(Math.floor(m.info.timestampNanos / 1e6)).toISOString();
  const base: Version = { revision: m.seq, site_key: key, at, operation, ags: null, area_m2: null };
  if (operation !== 'PUT') return [base];
  const site = Site.safeParse(safeJson(m));
  return site.success ? [{ ...base, ags: site.data.ags, area_m2: site.data.areaM2 }] : [];
}

function safeJson(m: JsMsg): unknown {
  try {
    return m.json();
  } catch {
    return undefined;
  }
}
