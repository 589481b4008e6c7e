import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SearchAttributeType } from '@temporalio/common';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

/** Starts and stops the Temporal dev server and nats-server as child processes. */

export interface RunningServer {
  /** host:port for Temporal, nats://host:port for NATS. */
  address: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, HOST, () => srv.close(() => resolve(true)));
  });
}

/**
 * Under vitest, each worker process takes ports from a block of its own below the OS's
 * ephemeral range (32768 and up): a port one test file picked is never handed to a
 * server another file starts at the same moment, nor to a port the OS picks for some
 * other program (Temporal's internal services) — a collision would let a server that
 * failed to bind pass its probe on the other one's port. LOTSE_TEST_PORTS moves the blocks
 * (e.g. to 8000), so that a second run on the machine never races the first.
 */
export const TEST_PORTS = { first: testPortsFirst(), blockSize: 1_000, blocks: 12 };

function testPortsFirst(): number {
  const first = Number(process.env.LOTSE_TEST_PORTS ?? 20_000);
  // The blocks stay below the OS's ephemeral range, or a port the OS hands another program could be ours.
  if (!Number.isInteger(first) || first < 1024 || first + 12 * 1_000 > 32_768) {
    throw new Error(`LOTSE_TEST_PORTS must be a port from 1024 to 20768 (its blocks end below 32768): ${first}`);
  }
  return first;
}
let nextTestPort = 0;

/** The first port of this vitest worker's block; undefined outside vitest. */
export function testPortBlock(): number | undefined {
  if (!process.env.VITEST) return undefined;
  const slot = Number(process.env.VITEST_POOL_ID ?? 0) % TEST_PORTS.blocks;
  return TEST_PORTS.first + slot * TEST_PORTS.blockSize;
}

export async function freePort(): Promise<number> {
  const block = testPortBlock();
  if (block !== undefined) {
    for (let tried = 0; tried < TEST_PORTS.blockSize; tried++) {
      const port = block + (nextTestPort++ % TEST_PORTS.blockSize);
      if (await isPortFree(port)) return port;
    }
    throw new Error(`no free port in ${block}–${block + TEST_PORTS.blockSize - 1}: stop the servers left running`);
  }
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The wanted port, or a free one when it is taken (the caller prints which). */
export async function portOr(wanted: number | undefined): Promise<number> {
  return wanted !== undefined && (await isPortFree(wanted)) ? wanted : freePort();
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A server left behind by a start that was killed outright still holds its data
 * folder; the pid file next to the data lets the next start stop it first.
 */
export async function stopLeftover(pidFile: string, binary: string) {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // Gone, or no /proc: nothing to stop.
  }
  if (pid > 0 && alive(pid) && cmdline.includes(path.basename(binary))) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile, { force: true });
}

export async function launch(binary: string, args: string[], logFile: string, pidFile?: string): Promise<ChildProcess> {
  mkdirSync(path.dirname(logFile), { recursive: true });
  if (pidFile) await stopLeftover(pidFile, binary);
  const log = openSync(logFile, 'a');
  // Own process group: Ctrl-C reaches us, and we stop the servers in order.
  const child = spawn(binary, args, { stdio: ['ignore', log, log], detached: true });
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid));
  if (pidFile) child.once('exit', () => rmSync(pidFile, { force: true }));
  return child;
}

/** SIGTERM, then SIGKILL if it has not stopped within the grace time. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export const stopper = (child: ChildProcess, graceMs?: number) => () => stopProcess(child, graceMs);

export async function waitUntil(
  what: string,
  child: ChildProcess,
  logFile: string,
  ready: () => Promise<unknown>,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}; see ${logFile}`);
    try {
      await ready();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${what} was not ready within ${timeoutMs / 1000} s (${String(lastError)}); see ${logFile}`);
}

export interface TemporalServerOptions {
  binary: string;
  port: number;
  uiPort?: number;
  /** Lotse's remote codec, which the UI decodes payloads through (POST <it>/decode). */
  uiCodecEndpoint?: string;
  /** SQLite file; without one, state lives in memory (tests). */
  dbFile?: string;
  logFile: string;
  /** Where the pid is kept, for a later start to stop a server left behind. */
  pidFile?: string;
  namespace?: string;
  /** Registered at start, so that workflows can upsert them at once. */
  searchAttributes: readonly { name: string; type: SearchAttributeType }[];
}

/** The type names `temporal server start-dev --search-attribute Name=Type` expects. */
const CLI_TYPE: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};
const cliSearchAttributeFlags = (keys: readonly { name: string; type: SearchAttributeType }[]) =>
  keys.flatMap((k) => ['--search-attribute', `${k.name}=${CLI_TYPE[k.type]}`]);

const withoutTemporalSettings = (env: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('TEMPORAL_')));

export async function startTemporal(opts: TemporalServerOptions): Promise<RunningServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    HOST,
    '--port',
    String(opts.port),
    '--log-level',
    'warn',
    ...cliSearchAttributeFlags(opts.searchAttributes),
    // An activity the workflow task schedules goes straight back to the worker that asked for it.
    '--dynamic-config-value',
    'system.enableActivityEagerExecution=true',
  ];
  args.push(...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']));
  if (opts.uiPort && opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  if (opts.namespace && opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  if (opts.dbFile) {
    mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    // A file-backed dev server is slow with SQLite's defaults.
    args.push(
      '--db-filename',
      opts.dbFile,
      '--sqlite-pragma',
      'journal_mode=WAL',
      '--sqlite-pragma',
      'synchronous=NORMAL',
    );
  }
  const child = await launch(opts.binary, args, opts.logFile, opts.pidFile);
  const address = `${HOST}:${opts.port}`;
  await waitUntil(
    'Temporal dev server',
    child,
    opts.logFile,
    // Asked with the CLI, the dev server's own binary: the process that starts it (npm start's
    // supervisor) carries no gRPC client. Its own TEMPORAL_* settings must not redirect it.
    () =>
      promisify(execFile)(
        opts.binary,
        ['operator', 'namespace', 'describe', '--address', address, '--namespace', opts.namespace ?? 'default'],
        { timeout: 5_000, env: withoutTemporalSettings(process.env) },
      ),
    60_000,
  );
  return { address, port: opts.port, process: child, stop: stopper(child) };
}

export interface NatsServerOptions {
  binary: string;
  port: number;
  storeDir: string;
  logFile: string;
  pidFile?: string;
  /** An `authorization { … }` block: users and their permissions. */
  authorization?: string;
  /** One node of a JetStream cluster: its name, its route port, and the routes to every node. */
  cluster?: { name: string; serverName: string; routePort: number; routes: string[] };
}

export async function startNats(
  opts: NatsServerOptions,
  probeAuth?: { user: string; pass: string },
): Promise<RunningServer> {
  mkdirSync(opts.storeDir, { recursive: true });
  const configFile = path.join(opts.storeDir, 'nats-server.conf');
  // sync_interval: always fsyncs before the ack, so an acknowledged event survives an OS crash.
  writeFileSync(
    configFile,
    [
      `listen: "${HOST}:${opts.port}"`,
      `server_name: ${opts.cluster?.serverName ?? 'lotse'}`,
      'jetstream {',
      `  store_dir: ${JSON.stringify(opts.storeDir)}`,
      '  sync_interval: always',
      '}',
      ...(opts.cluster
        ? [
            'cluster {',
            `  name: ${opts.cluster.name}`,
            `  listen: "${HOST}:${opts.cluster.routePort}"`,
            `  routes: [${opts.cluster.routes.map((r) => JSON.stringify(r)).join(', ')}]`,
            '}',
          ]
        : []),
      opts.authorization ?? '',
      '',
    ].join('\n'),
  );
  const child = await launch(opts.binary, ['-c', configFile], opts.logFile, opts.pidFile);
  const address = `nats://${HOST}:${opts.port}`;
  await waitUntil(
    'nats-server',
    child,
    opts.logFile,
    async () => {
      const nc = await connect({ servers: address, reconnect: false, timeout: 1_000, ...probeAuth });
      try {
        await (await jetstreamManager(nc)).getAccountInfo();
      } finally {
        await nc.close();
      }
    },
    30_000,
  );
  return { address, port: opts.port, process: child, stop: stopper(child) };
}
