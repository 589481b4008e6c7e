import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { eventTypeOf, type CloudEvent } from '../domain/events.js';
import { loadConfig } from '../infra/config.js';
import { readEventsSince } from '../infra/event-log.js';
import { loadSecrets } from '../infra/secrets.js';
import { connectTemporal } from '../infra/temporal.js';
import { memoryOf, spawnLotse, type LotsePart } from '../scripts/processes.js';
import { freePort, stopProcess } from '../scripts/servers.js';
import { startStack } from '../scripts/stack.js';
import { buildServer } from '../scripts/server-build.js';
import { buildWorkflowBundle } from '../scripts/workflow-bundle.js';
import {
  benchEnv,
  cpuMs,
  percentile,
  postToIrl,
  quiet,
  say,
  serverPid,
  sleep,
  submission,
  withStarted,
} from './common.js';
import { trivialWorkflow } from './raw/workflows.js';

/**
 * `npm run bench:load`: Lotse as an agency's VM runs it — the api and the worker as their
 * own processes on a real Temporal dev server and nats-server (free ports) — measured from
 * outside, side by side with a trivial raw workflow on the same server in the same run:
 * intake throughput, webhook → `jurisdiction_determined` latency at a steady rate, a burst,
 * CPU per enquiry (service and Temporal server, from /proc), and memory as open enquiries
 * pile up. `BENCH_FULL=1` is the full run of docs/capacity.md; each figure has its own option.
 */

const full = process.env.BENCH_FULL === '1';
const num = (name: string, short: number, long: number) => Number(process.env[name] ?? (full ? long : short));
const opts = {
  clients: num('BENCH_CLIENTS', 16, 16),
  intakeS: num('BENCH_INTAKE_S', 5, 10),
  // Lotse and raw take turns this many times; the ratio is the median of the rounds'.
  intakeRounds: num('BENCH_INTAKE_ROUNDS', 1, 3),
  rate: num('BENCH_RATE', 20, 20),
  steadyS: num('BENCH_STEADY_S', 20, 60),
  burst: num('BENCH_BURST', 500, 2000),
  open: (process.env.BENCH_OPEN ?? (full ? '1000,5000,10000' : '1000')).split(',').map(Number),
  workers: num('BENCH_WORKERS', 1, 1),
  // one: the api and the first worker in one process (as npm start runs them); split: each its own.
  layout: process.env.BENCH_LAYOUT === 'split' ? 'split' : 'one',
};
if (opts.workers === 0 && opts.layout === 'one') {
  say('BENCH_WORKERS=0 needs BENCH_LAYOUT=split: in one process the api brings its worker along');
  process.exit(2);
}
/** IRL has own sites for it: it is matched, proposed, and stays open in progress. */
const staysOpen = () => submission({ areaM2Min: 3_000, zoning: ['GE', 'MI'], railAccess: false });

interface Lotse {
  /** The process that answers HTTP (in the one-process layout, the worker's too). */
  api: ChildProcess;
  processes: { part: LotsePart; child: ChildProcess }[];
  base: string;
  secret: string;
}

async function startLotseProcesses(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  onStop: (stop: () => Promise<unknown>) => void,
): Promise<Lotse> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // BENCH_PROFILE=<dir>: each process writes a V8 CPU profile there when it stops (--cpu-prof).
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`]
    : [];
  // BENCH_NODE_ARGS: Node or V8 flags to try on Lotse's processes, after the ones they run with.
  const flags = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const start = (part: LotsePart) => {
    const child = spawnLotse(part, { ...env, PORT: String(port) }, [...profile, ...flags]);
    onStop(() => stopProcess(child));
    return { part, child };
  };
  const first = start(opts.layout === 'one' ? 'all' : 'api');
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
  const more = opts.workers - (first.part === 'all' ? 1 : 0);
  const processes = [first, ...Array.from({ length: more }, () => start('worker'))];
  const secret = loadSecrets({ dataDir, agencies: ['irl'] }).webhook.irl!;
  return { api: first.child, processes, base, secret };
}

const pidsOf = (lotse: Lotse) => lotse.processes.map((p) => p.child.pid!);

/** RSS and the main thread's V8 heap of each Lotse process, as each reports them. */
async function memory(lotse: Lotse): Promise<string> {
  const mb = (bytes: number) => bytes / 2 ** 20;
  const each = await Promise.all(lotse.processes.map((p) => memoryOf(p.child)));
  const rss = each.reduce((n, m) => n + mb(m.rss), 0);
  const parts = each.map(
    (m, i) => `${lotse.processes[i]!.part} ${mb(m.rss).toFixed(0)} (${mb(m.heapUsed).toFixed(0)})`,
  );
  return parts.length === 1
    ? `${rss.toFixed(0)} (${mb(each[0]!.heapUsed).toFixed(0)}) MB`
    : `${parts.join(' + ')} = ${rss.toFixed(0)} MB`;
}

/** The Temporal server's RSS beside Lotse's, for sizing the machine they share (not part of the goal). */
function temporalRss(pid: number): string[] {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return ['  the Temporal server', `${(kb / 1024).toFixed(0)} MB`, '—', ''];
}

/** The trivial workflow's worker, in a process of its own so that its CPU can be told apart. */
async function startRawWorker(address: string, queue: string, cache: number): Promise<ChildProcess> {
  const worker = require.resolve('./raw/worker.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', worker, address, queue, String(cache)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the raw worker stopped (exit code ${code})`)));
  });
  return child;
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
  await withStarted('load', async (dataDir, started) => {
    console.log(await run(dataDir, started));
  });
}

async function run(dataDir: string, onStop: (stop: () => Promise<unknown>) => void): Promise<string> {
  const env = await benchEnv(dataDir);
  const config = loadConfig(env);
  say(`options: ${JSON.stringify(opts)}`);
  say('starting Temporal and NATS on free ports…');
  const stack = await startStack(config, say);
  onStop(() => stack.stop());
  say('bundling the workflow code once, as npm start does…');
  const bundle = await buildWorkflowBundle(path.join(dataDir, 'workflow-bundle.js'));
  await buildServer();
  const childEnv = {
    ...env,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    NATS_URL: stack.natsUrl,
    LOTSE_READ_MODEL_URL: stack.readModelUrl,
    LOTSE_WORKFLOW_BUNDLE: bundle,
    // The notifier beside the worker, as npm start runs it: mails go to the stack's catcher.
    ...(stack.mailCatcher ? { LOTSE_SMTP_URL: stack.mailCatcher.url } : {}),
  };
  const temporalPid = serverPid(dataDir, 'temporal');
  const natsPid = serverPid(dataDir, 'nats-server');
  const lotse = await startLotseProcesses(childEnv, dataDir, onStop);
  const nc = await connect({ servers: stack.natsUrl });
  onStop(() => nc.close());
  const client = await connectTemporal(stack.temporalAddress, 'default');
  onStop(() => client.connection.close());
  const rawQueue = `bench-raw-${randomUUID()}`;
  const rawWorker = await startRawWorker(stack.temporalAddress, rawQueue, config.worker.cachedWorkflows);
  onStop(() => stopProcess(rawWorker));
  const watch = new Watch();
  const sub = nc.subscribe('enquiry.events.>');
  onStop(async () => sub.unsubscribe());
  void (async () => {
    for await (const m of sub) {
      const e = m.json<CloudEvent>();
      const key = `${e.subject}:${eventTypeOf(e)}`;
      if (!watch.seen.has(key)) watch.seen.set(key, performance.now());
    }
  })();
  return measure(lotse, watch, { client, rawQueue, rawPid: rawWorker.pid!, temporalPid, natsPid, nc });
}

/**
 * BENCH_DEBUG: the service's CPU per enquiry sent in each 10 s of a steady phase, to tell
 * a warm-up from the machine's swings. Call it with the number sent so far.
 */
function tenSecondWindows(rate: number, serviceCpuMs: () => number) {
  let last = { cpu: serviceCpuMs(), sent: 0 };
  return (sent: number) => {
    if (!process.env.BENCH_DEBUG || sent % Math.round(rate * 10) !== 0) return;
    const cpu = serviceCpuMs();
    say(`  +${(sent / rate).toFixed(0)} s: service ${((cpu - last.cpu) / (sent - last.sent)).toFixed(1)} ms/enquiry`);
    last = { cpu, sent };
  };
}

interface Ctx {
  client: Awaited<ReturnType<typeof connectTemporal>>;
  rawQueue: string;
  rawPid: number;
  temporalPid: number;
  natsPid: number;
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
  const service = () => pidsOf(lotse).reduce((n, pid) => n + cpuMs(pid), 0);
  const who = lotse.processes.map((p) => p.part).join(' + ');
  const rows: string[][] = [];
  await sleep(3000);
  rows.push([`RSS (heap) fresh: ${who}`, await memory(lotse), '—', '']);
  rows.push(temporalRss(ctx.temporalPid));
  // Memory with open enquiries, taken whenever the run is at rest with at least the next
  // number asked for open (the phases before the last leave thousands): reported at the end.
  const memoryRows: string[][] = [];
  const sizes = [...opts.open].sort((a, b) => a - b);
  const measureOpen = async () => {
    if (sizes.length === 0 || ids.length < sizes[0]!) return;
    while (sizes.length > 0 && sizes[0]! <= ids.length) sizes.shift();
    await sleep(3000);
    const goal = ids.length >= 10_000 ? '≤ 300 MB RSS' : '';
    memoryRows.push([`RSS (heap) with ${ids.length} open: ${who}`, await memory(lotse), '—', goal]);
    memoryRows.push(temporalRss(ctx.temporalPid));
  };

  // 1. Intake throughput, then raw starts, each with the same concurrent clients, in turns.
  say(`intake: ${opts.clients} clients for ${opts.intakeS} s, Lotse then raw, ${opts.intakeRounds} round(s)…`);
  const rounds: { lotse: number; raw: number }[] = [];
  let rawStarts = 0;
  const rawCpu = { temporal: 0, worker: 0 };
  const named = processesOf(lotse, ctx);
  const everyone = Object.values(named);
  for (let round = 0; round < opts.intakeRounds; round++) {
    // Each side starts on a machine at rest: what the other left behind (Temporal's
    // transfer and visibility tasks, a worker's first tasks) is not charged to it.
    await quiet(everyone);
    const l0 = cpuSince(named);
    const lotseRate = await closedLoop(opts.clients, opts.intakeS, post);
    if (process.env.BENCH_DEBUG) say(`  Lotse CPU ms/request: ${l0.per(lotseRate * opts.intakeS)}`);
    if (opts.workers > 0) await watch.until('sites_proposed', ids, 300_000);
    await quiet(everyone);
    const r0 = cpuSince(named);
    const rawRate = await closedLoop(opts.clients, opts.intakeS, async () => {
      await ctx.client.workflow.start(trivialWorkflow, { taskQueue: ctx.rawQueue, workflowId: `raw-${randomUUID()}` });
      rawStarts++;
    });
    if (process.env.BENCH_DEBUG) say(`  raw CPU ms/start: ${r0.per(rawRate * opts.intakeS)}`);
    // What the starts left to do (each workflow's first task) is part of their cost.
    await quiet(everyone);
    await measureOpen();
    const used = r0.used();
    rawCpu.temporal += used.temporal!;
    rawCpu.worker += used.raw!;
    rounds.push({ lotse: lotseRate, raw: rawRate });
    say(`  round ${round + 1}: Lotse ${lotseRate.toFixed(0)}/s, raw ${rawRate.toFixed(0)}/s`);
  }
  const raw = { temporal: rawCpu.temporal / rawStarts, worker: rawCpu.worker / rawStarts };
  const median = (f: (r: (typeof rounds)[number]) => number) => percentile(rounds.map(f), 50);
  rows.push([
    `intake, requests/s${opts.intakeRounds > 1 ? ` (median of ${opts.intakeRounds} rounds)` : ''}`,
    median((r) => r.lotse).toFixed(0),
    median((r) => r.raw).toFixed(0),
    `${median((r) => r.lotse / r.raw).toFixed(2)}× (≥ 0.8×)`,
  ]);

  // BENCH_WORKERS=0: the api alone takes in, nothing processes; the other figures need a worker.
  if (opts.workers === 0) return table([...rows, ...memoryRows]);

  // 2. A steady rate: latency to jurisdiction_determined, CPU per enquiry to sites_proposed.
  await quiet(everyone);
  say(`steady: ${opts.rate}/s for ${opts.steadyS} s…`);
  const steady: string[] = [];
  const cpu0 = { service: service(), api: cpuMs(lotse.api.pid!), temporal: cpuMs(ctx.temporalPid) };
  const threads0 = threadCpuSince(pidsOf(lotse));
  const sends: Promise<unknown>[] = [];
  const every = 1000 / opts.rate;
  const start = performance.now();
  const windowDone = tenSecondWindows(opts.rate, service);
  for (let i = 0; i < opts.rate * opts.steadyS; i++) {
    const due = start + i * every;
    await sleep(Math.max(0, due - performance.now()));
    sends.push(post().then((id) => steady.push(id)));
    windowDone(i + 1);
  }
  await Promise.all(sends);
  const allThere = await watch.until('sites_proposed', steady, 60_000);
  const cpu = {
    service: (service() - cpu0.service) / steady.length,
    api: (cpuMs(lotse.api.pid!) - cpu0.api) / steady.length,
    temporal: (cpuMs(ctx.temporalPid) - cpu0.temporal) / steady.length,
  };
  if (process.env.BENCH_DEBUG) say(`  service CPU ms/enquiry by thread: ${threads0.per(steady.length)}`);
  const latency = steady.flatMap((id) => {
    const seen = watch.seen.get(`${id}:jurisdiction_determined`);
    return seen === undefined ? [] : [seen - sentAt.get(id)!];
  });
  if (process.env.BENCH_DEBUG)
    for (const id of steady) {
      const l = (watch.seen.get(`${id}:jurisdiction_determined`) ?? NaN) - sentAt.get(id)!;
      if (l > 300) say(`slow: sent at +${((sentAt.get(id)! - start) / 1000).toFixed(2)} s, ${l.toFixed(0)} ms`);
    }
  rows.push([
    `webhook → jurisdiction_determined at ${opts.rate}/s, p50 / p99`,
    `${percentile(latency, 50).toFixed(0)} / ${percentile(latency, 99).toFixed(0)} ms`,
    '—',
    '≤ 100 / ≤ 300 ms',
  ]);
  rows.push(['  missing after 60 s', String(steady.length - latency.length), '—', '0']);
  rows.push([
    'CPU per enquiry to sites_proposed: service / Temporal',
    `${cpu.service.toFixed(1)}${opts.layout === 'split' ? ` (api ${cpu.api.toFixed(1)})` : ''} / ` +
      `${cpu.temporal.toFixed(1)} ms${allThere ? '' : ' (not all done)'}`,
    `${raw.worker.toFixed(1)} / ${raw.temporal.toFixed(1)} ms per start`,
    '≤ 15 / ≤ 30 ms',
  ]);
  await quiet(everyone);
  await measureOpen();

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
  await watch.until('sites_proposed', burst, 120_000);
  await quiet(everyone);
  await measureOpen();

  // 4. Memory as open enquiries pile up to the numbers not reached yet.
  // measureOpen takes each number off the list once it is measured.
  for (let target = sizes[0]; target !== undefined; target = sizes[0]) {
    say(`filling up to ${target} open enquiries…`);
    const batch: string[] = [];
    await pool(opts.clients, Math.max(0, target - ids.length), async () => void batch.push(await post()));
    await watch.until('sites_proposed', batch, 600_000);
    await measureOpen();
  }
  if (process.env.BENCH_DEBUG) for (const pid of pidsOf(lotse)) say(biggestMappings(pid));
  return table([...rows, ...memoryRows]);
}

/** Every process of the run by name, for the CPU each uses. */
function processesOf(lotse: Lotse, ctx: Ctx): Record<string, number> {
  const pids: Record<string, number> = { temporal: ctx.temporalPid, nats: ctx.natsPid, raw: ctx.rawPid };
  lotse.processes.forEach((p, i) => (pids[`${p.part}${i}`] = p.child.pid!));
  return pids;
}

/** CPU ms of each process (and of the bench itself) from now on. */
function cpuSince(pids: Record<string, number>) {
  return usedSince(() => ({
    ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMs(pid)])),
    bench: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  }));
}

/**
 * Debugging (BENCH_DEBUG=1): the processes' CPU by thread from now on — the main thread,
 * the workflow thread, the Temporal core's tokio threads, V8's helpers — and, as 'ended',
 * threads that ended meanwhile (Node's watchdog for each call into the sandbox).
 */
function threadCpuSince(pids: number[]) {
  return usedSince(() => {
    const byName: Record<string, number> = {};
    let live = 0;
    for (const pid of pids)
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        // Node's worker threads (the workflow thread) keep the process's name.
        const name = tid === String(pid) ? 'main' : comm === 'node' ? `node#${tid}` : comm.replace(/[\d-]+$/, '');
        const ms = cpuMs(Number(tid), `/proc/${pid}/task`);
        byName[name] = (byName[name] ?? 0) + ms;
        live += ms;
      }
    return { ...byName, ended: pids.reduce((n, pid) => n + cpuMs(pid), 0) - live };
  });
}

/** What `take` counts, from now on; `per(n)`: each one per request, largest first (BENCH_DEBUG=1). */
function usedSince(take: () => Record<string, number>) {
  const start = take();
  const used = () => Object.fromEntries(Object.entries(take()).map(([k, v]) => [k, v - (start[k] ?? 0)]));
  return {
    used,
    per: (n: number) =>
      Object.entries(used())
        .map(([k, v]) => [k, v / n] as const)
        .filter(([, v]) => v >= 0.005)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', '),
  };
}

/** Debugging: where a process's resident memory lies, by mapping (BENCH_DEBUG=1). */
function biggestMappings(pid: number): string {
  const byName = new Map<string, number>();
  let name = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) name = head[1] || '[anonymous]';
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) byName.set(name, (byName.get(name) ?? 0) + Number(rss[1]));
  }
  return [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([n, kb]) => `${(kb / 1024).toFixed(1).padStart(7)} MB  ${n}`)
    .join('\n');
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
    `\nbench:load — ${opts.layout === 'one' ? 'api and worker in one process' : 'api and worker apart'}, ` +
      `${opts.workers} worker(s), ${new Date().toISOString()}`,
    line(head),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
