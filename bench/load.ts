import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { connect } from '@nats-io/transport-node';
import { loadConfig } from '../infra/config.js';
import { readEventsSince } from '../infra/event-log.js';
import { loadSecrets } from '../infra/secrets.js';
import { connectTemporal } from '../infra/temporal.js';
import { spawnLotse } from '../scripts/processes.js';
import { freePort, stopProcess } from '../scripts/servers.js';
import { startStack } from '../scripts/stack.js';
import { buildWorkflowBundle } from '../scripts/workflow-bundle.js';
import { percentile, postToIrl, submission } from './common.js';
import { trivialWorkflow } from './raw/workflows.js';

/**
 * `npm run bench:load`: Lotse as an agency's VM runs it — the api and the worker as their
 * own processes on a real Temporal dev server and nats-server (free ports) — measured from
 * outside, side by side with a trivial raw workflow on the same server in the same run:
 * intake throughput, webhook → `jurisdiction_determined` latency at a steady rate, a burst,
 * CPU per enquiry (service and Temporal server, from /proc), and memory as open enquiries
 * pile up. `BENCH_FULL=1` is the full run of the README; each figure has its own option.
 */

const full = process.env.BENCH_FULL === '1';
const num = (name: string, short: number, long: number) => Number(process.env[name] ?? (full ? long : short));
const opts = {
  clients: num('BENCH_CLIENTS', 16, 16),
  intakeS: num('BENCH_INTAKE_S', 5, 10),
  rate: num('BENCH_RATE', 20, 20),
  steadyS: num('BENCH_STEADY_S', 20, 60),
  burst: num('BENCH_BURST', 500, 2000),
  open: (process.env.BENCH_OPEN ?? (full ? '1000,5000,10000' : '1000')).split(',').map(Number),
  workers: num('BENCH_WORKERS', 1, 1),
};
const say = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU milliseconds (user + system) a process has used so far. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** IRL has own sites for it: it is matched, proposed, and stays open in progress. */
const staysOpen = () => submission({ areaM2Min: 3_000, zoning: ['GE', 'MI'], railAccess: false });

interface Lotse {
  api: ChildProcess;
  workers: ChildProcess[];
  base: string;
  secret: string;
}

async function startLotseProcesses(env: NodeJS.ProcessEnv, dataDir: string): Promise<Lotse> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // BENCH_PROFILE=<dir>: each process writes a V8 CPU profile there when it stops (--cpu-prof).
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`]
    : [];
  const run = (part: 'api' | 'worker') => spawnLotse(part, { ...env, PORT: String(port) }, profile);
  const api = run('api');
  for (let i = 0; ; i++) {
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 600) throw new Error('the api did not get ready in 60 s');
    await sleep(100);
  }
  const workers = Array.from({ length: opts.workers }, () => run('worker'));
  const secret = loadSecrets({ dataDir, agencies: ['irl'] }).webhook.irl!;
  return { api, workers, base, secret };
}

/** Events seen on NATS, first sighting per enquiry and type. */
class Watch {
  readonly seen = new Map<string, number>();
  count(type: string, ids: Iterable<string>) {
    let n = 0;
    for (const id of ids) if (this.seen.has(`${id}:${type}`)) n++;
    return n;
  }
  async until(type: string, ids: string[], timeoutMs: number): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (this.count(type, ids) < ids.length) {
      if (Date.now() > end) return false;
      await sleep(50);
    }
    return true;
  }
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-bench-load-'));
  const env = {
    ...process.env,
    LOTSE_DATA_DIR: dataDir,
    LOTSE_TEMPORAL_PORT: String(await freePort()),
    LOTSE_TEMPORAL_UI_PORT: String(await freePort()),
    LOTSE_NATS_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  const config = loadConfig(env);
  say(`options: ${JSON.stringify(opts)}`);
  say('starting Temporal and NATS on free ports…');
  const stack = await startStack(config, say);
  say('bundling the workflow code once, as npm start does…');
  const bundle = await buildWorkflowBundle(path.join(dataDir, 'workflow-bundle.js'));
  const childEnv = {
    ...env,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    NATS_URL: stack.natsUrl,
    LOTSE_WORKFLOW_BUNDLE: bundle,
  };
  const temporalPid = Number(readFileSync(path.join(dataDir, 'temporal.pid'), 'utf8'));
  const lotse = await startLotseProcesses(childEnv, dataDir);
  const nc = await connect({ servers: stack.natsUrl });
  const client = await connectTemporal(stack.temporalAddress, 'default');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const rawQueue = `bench-raw-${randomUUID()}`;
  const rawConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const rawWorker = await Worker.create({
    connection: rawConnection,
    taskQueue: rawQueue,
    workflowsPath: require.resolve('./raw/workflows.ts'),
    maxCachedWorkflows: 100,
  });
  const rawRun = rawWorker.run();
  const watch = new Watch();
  const sub = nc.subscribe('enquiry.events.>');
  void (async () => {
    for await (const m of sub) {
      const e = m.json<{ subject: string; type: string }>();
      const key = `${e.subject}:${e.type.replace(/^de\.lotse\.enquiry\./, '').replace(/\.v1$/, '')}`;
      if (!watch.seen.has(key)) watch.seen.set(key, performance.now());
    }
  })();
  try {
    const report = await measure(lotse, watch, { client, rawQueue, temporalPid, nc });
    console.log(report);
  } finally {
    sub.unsubscribe();
    rawWorker.shutdown();
    await rawRun;
    await rawConnection.close();
    await client.connection.close();
    await nc.close();
    await Promise.all([lotse.api, ...lotse.workers].map((p) => stopProcess(p)));
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Ctx {
  client: Awaited<ReturnType<typeof connectTemporal>>;
  rawQueue: string;
  temporalPid: number;
  nc: Awaited<ReturnType<typeof connect>>;
}

async function measure(lotse: Lotse, watch: Watch, ctx: Ctx): Promise<string> {
  const ids: string[] = [];
  const sentAt = new Map<string, number>();
  const post = async () => {
    const t = performance.now();
    const id = await postToIrl(lotse.base, lotse.secret, staysOpen());
    ids.push(id);
    sentAt.set(id, t);
    return id;
  };
  const service = () => [lotse.api, ...lotse.workers].reduce((n, p) => n + cpuMs(p.pid!), 0);
  const rows: string[][] = [];
  await sleep(3000);
  const freshApi = rssMb(lotse.api.pid!);
  const freshWorkers = lotse.workers.reduce((n, p) => n + rssMb(p.pid!), 0);
  rows.push(['RSS fresh: api + worker', `${freshApi.toFixed(0)} + ${freshWorkers.toFixed(0)} MB`, '—', '']);

  // 1. Intake throughput, then raw starts, each with the same concurrent clients.
  say(`intake: ${opts.clients} clients for ${opts.intakeS} s, Lotse then raw…`);
  const lotseRate = await closedLoop(opts.clients, opts.intakeS, post);
  let rawStarts = 0;
  const rawTemporalBefore = cpuMs(ctx.temporalPid);
  const rawRate = await closedLoop(opts.clients, opts.intakeS, async () => {
    await ctx.client.workflow.start(trivialWorkflow, { taskQueue: ctx.rawQueue, workflowId: `raw-${randomUUID()}` });
    rawStarts++;
  });
  const rawTemporalMs = (cpuMs(ctx.temporalPid) - rawTemporalBefore) / rawStarts;
  rows.push([
    'intake, requests/s',
    lotseRate.toFixed(0),
    rawRate.toFixed(0),
    `${(lotseRate / rawRate).toFixed(2)}× (≥ 0.8×)`,
  ]);
  await watch.until('sites_proposed', ids, 300_000);

  // 2. A steady rate: latency to jurisdiction_determined, CPU per enquiry to sites_proposed.
  say(`steady: ${opts.rate}/s for ${opts.steadyS} s…`);
  const steady: string[] = [];
  const cpu0 = { service: service(), api: cpuMs(lotse.api.pid!), temporal: cpuMs(ctx.temporalPid) };
  const sends: Promise<unknown>[] = [];
  const every = 1000 / opts.rate;
  const start = performance.now();
  for (let i = 0; i < opts.rate * opts.steadyS; i++) {
    const due = start + i * every;
    await sleep(Math.max(0, due - performance.now()));
    sends.push(post().then((id) => steady.push(id)));
  }
  await Promise.all(sends);
  const allThere = await watch.until('sites_proposed', steady, 60_000);
  const cpu = {
    service: (service() - cpu0.service) / steady.length,
    api: (cpuMs(lotse.api.pid!) - cpu0.api) / steady.length,
    temporal: (cpuMs(ctx.temporalPid) - cpu0.temporal) / steady.length,
  };
  const latency = steady.flatMap((id) => {
    const seen = watch.seen.get(`${id}:jurisdiction_determined`);
    return seen === undefined ? [] : [seen - sentAt.get(id)!];
  });
  rows.push([
    `webhook → jurisdiction_determined at ${opts.rate}/s, p50 / p99`,
    `${percentile(latency, 50).toFixed(0)} / ${percentile(latency, 99).toFixed(0)} ms`,
    '—',
    '≤ 100 / ≤ 300 ms',
  ]);
  rows.push(['  missing after 60 s', String(steady.length - latency.length), '—', '0']);
  rows.push([
    'CPU per enquiry to sites_proposed: service / Temporal',
    `${cpu.service.toFixed(1)} (api ${cpu.api.toFixed(1)}) / ${cpu.temporal.toFixed(1)} ms${allThere ? '' : ' (not all done)'}`,
    `— / ${rawTemporalMs.toFixed(1)} ms per start`,
    '≤ 15 / ≤ 30 ms',
  ]);

  // 3. A burst: all accepted, none lost, none doubled, drained within a minute.
  say(`burst: ${opts.burst} intakes with ${opts.clients} clients…`);
  const burstStart = new Date();
  const burst: string[] = [];
  const t0 = performance.now();
  await pool(opts.clients, opts.burst, async () => void burst.push(await post()));
  const accepted = (performance.now() - t0) / 1000;
  await watch.until('jurisdiction_determined', burst, 120_000);
  const last = Math.max(...burst.map((id) => watch.seen.get(`${id}:jurisdiction_determined`) ?? Number.NaN));
  const stored = await readEventsSince(ctx.nc as never, burstStart);
  const perId = new Map<string, number>();
  for (const e of stored)
    if (e.type.endsWith('.jurisdiction_determined.v1')) perId.set(e.subject, (perId.get(e.subject) ?? 0) + 1);
  const lost = burst.filter((id) => !perId.has(id)).length;
  const doubled = [...perId.values()].filter((n) => n > 1).length;
  rows.push([
    `burst of ${opts.burst}: accepted in / drained after`,
    `${accepted.toFixed(1)} s / ${((last - t0) / 1000).toFixed(1)} s`,
    '—',
    '— / ≤ 60 s',
  ]);
  rows.push(['  lost / doubled', `${lost} / ${doubled}`, '—', '0 / 0']);

  // 4. Memory as open enquiries pile up.
  for (const target of opts.open) {
    if (ids.length < target) say(`filling up to ${target} open enquiries…`);
    const batch: string[] = [];
    await pool(opts.clients, Math.max(0, target - ids.length), async () => void batch.push(await post()));
    await watch.until('sites_proposed', batch, 600_000);
    await sleep(3000);
    const workers = lotse.workers.reduce((n, p) => n + rssMb(p.pid!), 0);
    const api = rssMb(lotse.api.pid!);
    rows.push([
      `RSS with ${ids.length} open: api + worker${lotse.workers.length > 1 ? 's' : ''}`,
      `${api.toFixed(0)} + ${workers.toFixed(0)} = ${(api + workers).toFixed(0)} MB`,
      '—',
      target >= 10_000 ? '≤ 300 MB' : '',
    ]);
  }
  return table(rows);
}

/** `clients` loops sending one after another for `seconds`; answers requests per second. */
async function closedLoop(clients: number, seconds: number, call: () => Promise<unknown>): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        await call();
        done++;
      }
    }),
  );
  return done / seconds;
}

/** `total` calls, at most `clients` at a time. */
async function pool(clients: number, total: number, call: () => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        next++;
        await call();
      }
    }),
  );
}

function table(rows: string[][]): string {
  const head = ['figure', 'Lotse', 'raw Temporal, same run', 'goal'];
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    `\nbench:load — ${opts.workers} worker process(es), ${new Date().toISOString()}`,
    line(head),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
