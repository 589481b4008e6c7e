import pg from 'pg';
import type { Logger } from '../logger.js';
import type { NatsConnection } from '../nats.js';
import { startFirmFeed } from './firm-feed.js';
import { startSiteFeed } from './site-feed.js';
import { startProjector, type Projector } from './projector.js';
import type { SummaryOf } from './older.js';
import type { SearchIndexing } from './search.js';
import { CHANGES, type Applied } from './writes.js';
import { openReadStore, type ReadDb } from './store.js';

/**
 * The read side of Lotse: the store, the projector that feeds it (in every api process; they
 * share its durable consumer), and the changes every process hears about.
 */
export interface ReadModel {
  db: ReadDb;
  /** The blind index's key (infra/read-model/search.ts); none where search is not set up. */
  searchKey?: Buffer;
  /** The connections behind `db`, for a plain SQL statement (a test's, an operator's script). */
  pool: pg.Pool;
  /** Up to when the answers are complete: now when nothing waits to be applied, else the newest event applied. */
  asOf(): Promise<string | null>;
  /** Resolves once every event stored when it was called is applied. */
  caughtUp(): Promise<void>;
  /** Called with the enquiries the read model just changed (in any process sharing the store). */
  onChange(listener: (changes: Applied[]) => void): () => void;
  /** Called with the seconds from each event's storage in the stream to its row's commit, in this process. */
  onLag(listener: (seconds: number) => void): () => void;
  stop(): Promise<void>;
}

export type { Applied };

export async function openReadModel(opts: {
  url: string;
  nats: NatsConnection;
  logger: Logger;
  replicas: number;
  /** Where an enquiry started before 1.1 stands, as its workflow answers (infra/read-model/older.ts). */
  summaryOf?: SummaryOf;
  /** What Anfragen are searched by (infra/read-model/search.ts). */
  search?: SearchIndexing;
}): Promise<ReadModel> {
  const store = await openReadStore(opts.url);
  const lagListeners = new Set<(seconds: number) => void>();
  const onLag = (seconds: number) => {
    for (const l of lagListeners) l(seconds);
  };
  const projector: Projector = await startProjector({ ...opts, store, onLag });
  // The firms' care beside the enquiries, on a consumer named after the store's (made by the projector).
  const { consumer } = await store.db.selectFrom('feed').select('consumer').executeTakeFirstOrThrow();
  const firms = await startFirmFeed({ ...opts, db: store.db, consumer });
  const sites = await startSiteFeed({ ...opts, db: store.db, consumer });
  const listeners = new Set<(changes: Applied[]) => void>();
  const listening = await listen(opts.url, opts.logger, (changes) => {
    for (const l of listeners) l(changes);
  });
  let cached: { at: number; value: string | null } | undefined;
  return {
    db: store.db,
    ...(opts.search ? { searchKey: opts.search.key } : {}),
    pool: store.pool,
    async asOf() {
      if (cached && Date.now() - cached.at < 1000) return cached.value;
      const value = (await projector.pending()) === 0 ? new Date().toISOString() : newest(projector);
      cached = { at: Date.now(), value };
      return value;
    },
    caughtUp: async () => {
      await projector.caughtUp();
      await firms.caughtUp();
      await sites.caughtUp();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onLag(listener) {
      lagListeners.add(listener);
      return () => lagListeners.delete(listener);
    },
    async stop() {
      await sites.stop();
      await firms.stop();
      await projector.stop();
      await listening.end();
      await store.close();
    },
  };
}

const newest = (p: Projector) => (p.stats.newestEventAt ? new Date(p.stats.newestEventAt).toISOString() : null);

/** A connection of its own that LISTENs on the changes channel, opened again when it drops. */
async function listen(url: string, logger: Logger, onChanges: (changes: Applied[]) => void) {
  let client: pg.Client | undefined;
  let ended = false;
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      try {
        onChanges(JSON.parse(n.payload ?? '[]') as Applied[]);
      } catch {
        // Not ours: nothing to announce.
      }
    });
    c.on('error', () => undefined);
    c.on('end', () => {
      if (!ended) setTimeout(() => void connect().catch(() => undefined), 1000);
    });
    await c.connect();
    await c.query(`listen ${CHANGES}`);
    client = c;
  };
  await connect().catch((err: Error) => logger.warn({ err: err.message }, 'read model: not listening for changes'));
  return {
    async end() {
      ended = true;
      await client?.end().catch(() => undefined);
    },
  };
}
