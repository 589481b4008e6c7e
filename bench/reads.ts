import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { jetstream } from '@nats-io/jetstream';
import { ENQUIRY_EVENTS_STREAM, eventSubject, typeOf, type CloudEvent } from '../domain/events.js';
import { readStream, type StoredEvent } from '../infra/event-log.js';
import { cpus, loadavg } from 'node:os';
import { mintToken } from '../api/auth.js';
import { startLotse } from '../app/lotse.js';
import { loadConfig } from '../infra/config.js';
import { createLogger } from '../infra/logger.js';
import { startStack } from '../scripts/stack.js';
import { benchEnv, percentile, postToIrl, quiet, say, serverPid, sleep, submission, withStarted } from './common.js';

/**
 * `npm run bench:reads`: the reads over many enquiries, from the read model (issue 31), as
 * the enquiries pile up. Lotse runs in this process (api and worker, as bench:api runs it)
 * on its own Temporal, NATS and PostgreSQL (free ports). The bench fills N enquiries through
 * IRL's signed webhook — a quarter waiting on a forwarding decision, the rest resting in
 * progress — the last ones at a steady 20 a second, during which it takes the read model's
 * lag per event (the projector's onLag, what `lotse_read_model_lag_seconds` observes); the
 * ones before as fast as the stack takes them, at most BENCH_CONCURRENCY at a time. Once
 * every enquiry rests where it waits and the read model caught up, it reads GET /v1/tasks,
 * /v1/stats, /v1/enquiries and /v1/enquiries/{id} 30 times each (after a warm-up, taking
 * turns) and reports p50 / p99 at each size. `BENCH_FULL=1`: 1,000, then on to 100,000.
 * Goals (printed, never the exit code): every read's p50 grows ≤ 2× from 1,000 to 100,000
 * and is ≤ 100 ms at 100,000; the lag's p99 ≤ 1 s at 20/s. Beyond the first size, BENCH_FULL
 * publishes copies of the first size's events under new enquiry ids (`BENCH_FILL=copies`): the
 * read side sees what it would see from as many workflows, in minutes rather than the two hours
 * the webhook takes on this machine; `BENCH_FILL=webhook` takes every one in through it.
 */

const full = process.env.BENCH_FULL === '1';
const opts = {
  sizes: (process.env.BENCH_READS_N ?? (full ? '1000,100000' : '1000'))
    .split(',')
    .map(Number)
    .filter((n, i, all) => all.indexOf(n) === i)
    .sort((a, b) => a - b),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 8),
  rate: Number(process.env.BENCH_RATE ?? 20),
  /** How long the steady phase at `rate` lasts (at most what is left to fill). */
  rateS: Number(process.env.BENCH_RATE_S ?? 30),
  /** How far the fill may run ahead of the enquiries at rest in the read model. */
  ahead: Number(process.env.BENCH_AHEAD ?? 1000),
  /**
   * How the enquiries beyond the first size go in: `copies` (BENCH_FULL's default) publishes
   * copies of the first size's events to the stream, each under a new enquiry id, as the
   * workflows would have published them; `webhook` takes every one in through the webhook
   * (on this machine about 15 a second: two hours for 100,000).
   */
  fill: (process.env.BENCH_FILL ?? (full ? 'copies' : 'webhook')) as 'copies' | 'webhook',
  reads: Number(process.env.BENCH_READS ?? 30),
  warmup: Number(process.env.BENCH_WARMUP ?? 5),
};
if (!['copies', 'webhook'].includes(opts.fill)) {
  say(`BENCH_FILL must be copies or webhook: ${opts.fill}`);
  process.exit(2);
}
if (opts.sizes.some((n) => !Number.isInteger(n) || n < 1)) {
  say(`BENCH_READS_N must be whole numbers ≥ 1, comma-separated: ${process.env.BENCH_READS_N}`);
  process.exit(2);
}

/** Where an enquiry of the bench rests: waiting on IRL's forwarding decision, or in progress with IRL's sites. */
const RESTING = ['awaiting_forwarding_decision', 'in_progress'];
// No own site fits (90,000 m² with rail in Leipzig): it waits for IRL's staff to decide on forwarding.
const waitsForDecision = () => submission({ areaM2Min: 90_000, zoning: ['GI'], railAccess: true });
// IRL has sites for it (Nordsachsen): it is matched and stays open in progress.
const staysInProgress = () => ({
  ...submission({ areaM2Min: 50_000, zoning: ['GI'], railAccess: true }),
  preferredLocations: ['14730'],
});

type Lotse = Awaited<ReturnType<typeof startLotse>>;
type ReadModel = NonNullable<Lotse['readModel']>;

const READS = [
  { name: 'GET /v1/tasks (IRL staff)', who: 'staff', path: () => '/v1/tasks' },
  { name: 'GET /v1/stats (IRL manager, this year)', who: 'manager', path: () => '/v1/stats' },
  { name: 'GET /v1/enquiries first page', who: 'staff', path: () => '/v1/enquiries' },
  { name: 'GET /v1/enquiries/{id} (its workflow)', who: 'staff', path: (id: string) => `/v1/enquiries/${id}` },
  // Counted from the period's rows at each request, not from counters: what its cost grows with shows here.
  {
    name: 'GET /v1/programmes/{id}/figures (WFG manager, this year)',
    who: 'programme',
    path: () => '/v1/programmes/regionalbudget-nordsachsen/figures',
  },
] as const;

interface SizeResult {
  size: number;
  /** ms per read, in READS' order. */
  reads: number[][];
  /** Seconds per event applied during the steady phase. */
  lag: number[];
  steady: { enquiries: number; seconds: number };
  /** All of this size's enquiries, and the part sent as fast as the stack took them, to rest in the read model. */
  fill: { enquiries: number; seconds: number; fast: number; fastSeconds: number; copied: boolean };
  answered: { tasks: number; statsEnquiries: number; firstPage: number };
}

async function main() {
  await withStarted('reads', async (dataDir, started) => {
    const env = await benchEnv(dataDir);
    const config = loadConfig(env);
    say(`options: ${JSON.stringify(opts)}`);
    say('starting Temporal, NATS and PostgreSQL on free ports…');
    const stack = await startStack(config, say);
    started(() => stack.stop());
    const lotse = await startLotse({
      config,
      logger: createLogger(config.logLevel),
      temporalAddress: stack.temporalAddress,
      natsUrl: stack.natsUrl,
      readModelUrl: stack.readModelUrl,
      run: { api: true, worker: true },
    });
    started(() => lotse.stop());
    const base = await lotse.api!.listen({ port: 0, host: '127.0.0.1' });
    const pids = [process.pid, serverPid(dataDir, 'temporal'), serverPid(dataDir, 'nats-server')];
    console.log(await run(lotse, base, pids));
  });
}

async function run(lotse: Lotse, base: string, pids: number[]): Promise<string> {
  const readModel = lotse.readModel!;
  const secret = lotse.secrets.webhook.irl!;
  const token = (role: 'staff' | 'manager', agency = 'irl') =>
    mintToken(lotse.secrets.jwtSecret, { sub: `bench-${role}`, agency, roles: [role], offices: [] });
  const tokens = {
    staff: await token('staff'),
    manager: await token('manager'),
    programme: await token('manager', 'wfg-nordsachsen'),
  };
  const lag = { collecting: false, seconds: [] as number[] };
  readModel.onLag((s) => {
    if (lag.collecting) lag.seconds.push(s);
  });
  const fill = filler(base, secret, readModel, lotse.nats);
  const results: SizeResult[] = [];
  const began = performance.now();
  // The machine is shared: how busy it was around the run says how far to trust it.
  const load = [loadavg()[0]!];
  for (const size of opts.sizes) {
    const more = size - fill.sent();
    if (more <= 0) continue;
    const steadyCount = Math.min(more, Math.round(opts.rate * opts.rateS));
    const t0 = performance.now();
    const copied = opts.fill === 'copies' && results.length > 0;
    say(
      `filling to ${size.toLocaleString('en')}: ${more - steadyCount} ` +
        (copied ? 'as copies of the first enquiries’ events…' : 'as fast as the stack takes them…'),
    );
    await (copied ? fill.copies(more - steadyCount) : fill.fast(more - steadyCount));
    await fill.atRest();
    const fastSeconds = (performance.now() - t0) / 1000;
    await quiet(pids);
    say(`  then ${steadyCount} at ${opts.rate}/s, taking the read model's lag…`);
    lag.seconds = [];
    lag.collecting = true;
    const s0 = performance.now();
    await fill.steady(steadyCount, opts.rate);
    const steadySeconds = (performance.now() - s0) / 1000;
    await fill.atRest();
    await readModel.caughtUp();
    lag.collecting = false;
    const fillSeconds = (performance.now() - t0) / 1000;
    say(`  ${size.toLocaleString('en')} at rest after ${minutes(fillSeconds)} (${(more / fillSeconds).toFixed(1)}/s)`);
    await quiet(pids);
    say(`reading, ${opts.warmup} + ${opts.reads} times each…`);
    const { times, answered } = await readAll(base, tokens, fill.sample());
    results.push({
      size,
      reads: times,
      lag: lag.seconds,
      steady: { enquiries: steadyCount, seconds: steadySeconds },
      fill: { enquiries: more, seconds: fillSeconds, fast: more - steadyCount, fastSeconds, copied },
      answered,
    });
    load.push(loadavg()[0]!);
    const table = report(results, { seconds: (performance.now() - began) / 1000, load }, await fill.statuses());
    if (size === opts.sizes.at(-1)) return table;
    // A long run that is stopped before its end still leaves the sizes it measured.
    say(`so far:${table}`);
  }
  throw new Error('no size to fill');
}

/**
 * Sends the enquiries, every fourth one waiting on a decision, and keeps a uniform sample of
 * their ids (for the single enquiry's read) instead of all of them.
 */
function filler(base: string, secret: string, readModel: ReadModel, nats: Lotse['nats']) {
  let sent = 0;
  let atRest = 0;
  const keep = opts.reads + opts.warmup;
  const sample: string[] = [];
  let originals: StoredEvent[][] | undefined;
  const post = async () => {
    const i = sent++;
    const enquiry = i % 4 === 0 ? waitsForDecision() : staysInProgress();
    for (let attempt = 1; ; attempt++) {
      try {
        const id = await postToIrl(base, secret, enquiry);
        // Reservoir sampling: each id sent so far is in the sample with the same chance.
        if (sample.length < keep) sample.push(id);
        else if (Math.random() < keep / (i + 1)) sample[Math.floor(Math.random() * keep)] = id;
        return;
      } catch (err) {
        if (attempt === 5) throw err;
        say(`  intake failed (${(err as Error).message.slice(0, 200)}), trying again…`);
        await sleep(1000 * attempt);
      }
    }
  };
  const restingNow = async () => {
    const r = await readModel.pool.query<{ n: number }>(
      'select count(*)::int as n from enquiries where status = any($1)',
      [RESTING],
    );
    atRest = r.rows[0]!.n;
    return atRest;
  };
  return {
    sent: () => sent,
    sample: () => [...sample],
    /** `count` more, at most BENCH_CONCURRENCY at a time and BENCH_AHEAD ahead of those at rest. */
    async fast(count: number) {
      const end = sent + count;
      const t0 = performance.now();
      let shown = t0;
      const progress = setInterval(() => void restingNow().catch(() => undefined), 1000);
      try {
        await Promise.all(
          Array.from({ length: opts.concurrency }, async () => {
            while (sent < end) {
              while (sent - atRest > opts.ahead) await sleep(200);
              if (sent >= end) return;
              await post();
              if (performance.now() - shown > 10_000) {
                shown = performance.now();
                const done = sent - (end - count);
                const perS = done / ((shown - t0) / 1000);
                say(
                  `  ${sent.toLocaleString('en')} sent (${perS.toFixed(1)}/s), ${atRest.toLocaleString('en')} at ` +
                    `rest, ${minutes((shown - t0) / 1000)} so far, about ${minutes((end - sent) / perS)} to go`,
                );
              }
            }
          }),
        );
      } finally {
        clearInterval(progress);
      }
    },
    /** `count` more as copies of the events of the enquiries sent so far (the first time: those of the first size). */
    async copies(count: number) {
      if (!originals) {
        const bySubject = new Map<string, StoredEvent[]>();
        for (const s of await readStream(nats, ENQUIRY_EVENTS_STREAM)) {
          bySubject.set(s.event.subject, [...(bySubject.get(s.event.subject) ?? []), s]);
        }
        originals = [...bySubject.values()];
      }
      const js = jetstream(nats);
      const t0 = performance.now();
      let done = 0;
      const copy = async (events: StoredEvent[]) => {
        const [was, now] = [events[0]!.event.subject, `irl-${randomBytes(10).toString('hex')}`];
        for (const { event } of events) {
          const copied = JSON.parse(JSON.stringify(event).replaceAll(was, now)) as CloudEvent;
          await js.publish(eventSubject(typeOf(copied)), JSON.stringify(copied), { msgID: copied.id });
        }
        sent++;
        if (++done % 10_000 === 0) {
          say(`  ${n(done)} copied (${(done / ((performance.now() - t0) / 1000)).toFixed(0)}/s), ${n(atRest)} at rest`);
        }
      };
      const progress = setInterval(() => void restingNow().catch(() => undefined), 2000);
      try {
        let next = 0;
        await Promise.all(
          Array.from({ length: 64 }, async () => {
            while (next < count) await copy(originals![next++ % originals!.length]!);
          }),
        );
      } finally {
        clearInterval(progress);
      }
    },
    /** `count` more at `rate` a second, each sent when due whether the ones before were answered or not. */
    async steady(count: number, rate: number) {
      const start = performance.now();
      const sends: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        await sleep(Math.max(0, start + (i * 1000) / rate - performance.now()));
        sends.push(post());
      }
      await Promise.all(sends);
    },
    /** Until every enquiry sent rests where it waits, as the read model shows it. */
    async atRest() {
      let last = -1;
      let since = performance.now();
      for (;;) {
        const n = await restingNow();
        if (n >= sent) return;
        if (n !== last) [last, since] = [n, performance.now()];
        if (performance.now() - since > 300_000) {
          throw new Error(`no progress for 5 min: ${n} of ${sent} at rest (${JSON.stringify(await this.statuses())})`);
        }
        await sleep(500);
      }
    },
    async statuses(): Promise<Record<string, number>> {
      const r = await readModel.pool.query<{ status: string; n: number }>(
        'select status, count(*)::int as n from enquiries group by status order by status',
      );
      return Object.fromEntries(r.rows.map((x) => [x.status, x.n]));
    },
  };
}

/** The benchmark's HTTP client, as bench/common.ts's: node:http with a kept-alive connection. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function get(url: string, token: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Each read, taking turns, `warmup` times unmeasured, then `reads` times; the single enquiry another each time. */
async function readAll(base: string, tokens: Record<(typeof READS)[number]['who'], string>, ids: string[]) {
  const times: number[][] = READS.map(() => []);
  const last: string[] = READS.map(() => '');
  for (let i = 0; i < opts.warmup + opts.reads; i++) {
    for (const [k, read] of READS.entries()) {
      const t = performance.now();
      const res = await get(`${base}${read.path(ids[i % ids.length]!)}`, tokens[read.who]);
      const ms = performance.now() - t;
      if (res.status !== 200) throw new Error(`${read.name} answered ${res.status}: ${res.text.slice(0, 300)}`);
      if (i >= opts.warmup) times[k]!.push(ms);
      last[k] = res.text;
    }
  }
  const [tasks, stats, page] = last.map((text) => JSON.parse(text) as Record<string, unknown>);
  const answered = {
    tasks: Number(tasks!.total),
    statsEnquiries: Number(stats!.enquiries),
    firstPage: (page!.items as unknown[]).length,
  };
  return { times, answered };
}

const minutes = (s: number) => (s < 120 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`);
const ms = (x: number) => x.toFixed(1);
const n = (x: number) => x.toLocaleString('en');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

function report(
  results: SizeResult[],
  run: { seconds: number; load: number[] },
  statuses: Record<string, number>,
): string {
  const first = results[0]!;
  const lastR = results.at(-1)!;
  const two = results.length > 1;
  const p50 = (r: SizeResult, k: number) => percentile(r.reads[k]!, 50);
  const head = [
    'figure',
    ...results.map((r) => `${n(r.size)}: p50 / p99`),
    ...(two ? [`p50 ${n(lastR.size)} / ${n(first.size)}`] : []),
    'goal',
  ];
  const rows: string[][] = READS.map((read, k) => [
    read.name,
    ...results.map((r) => `${ms(p50(r, k))} / ${ms(percentile(r.reads[k]!, 99))} ms`),
    ...(two ? [`${(p50(lastR, k) / p50(first, k)).toFixed(2)}×`] : []),
    'p50 ≤ 100 ms at 100,000; ≤ 2× from 1,000',
  ]);
  rows.push([
    `read model lag at ${opts.rate}/s, p50 / p99`,
    ...results.map((r) => `${ms(percentile(r.lag, 50) * 1000)} / ${ms(percentile(r.lag, 99) * 1000)} ms`),
    ...(two ? [''] : []),
    'p99 ≤ 1 s',
  ]);
  rows.push([
    '  events / enquiries at that rate',
    ...results.map((r) => `${n(r.lag.length)} / ${n(r.steady.enquiries)} in ${r.steady.seconds.toFixed(0)} s`),
    ...(two ? [''] : []),
    '',
  ]);
  rows.push([
    'fill: enquiries in; the fast part (per second)',
    ...results.map(
      (r) =>
        `${n(r.fill.enquiries)} in ${minutes(r.fill.seconds)}` +
        (r.fill.fast === 0
          ? ''
          : `; ${n(r.fill.fast)} of them ${r.fill.copied ? 'copies ' : ''}at rest after ` +
            `${minutes(r.fill.fastSeconds)} (${(r.fill.fast / r.fill.fastSeconds).toFixed(1)}/s)`),
    ),
    ...(two ? [''] : []),
    '',
  ]);
  rows.push([
    'answered: tasks total / stats enquiries / first page',
    ...results.map((r) => `${n(r.answered.tasks)} / ${n(r.answered.statsEnquiries)} / ${r.answered.firstPage}`),
    ...(two ? [''] : []),
    '',
  ]);
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;

  const goals: string[] = [];
  const biggest = lastR.size;
  if (two) {
    const growth = READS.map((_, k) => p50(lastR, k) / p50(first, k));
    const worst = growth.indexOf(Math.max(...growth));
    goals.push(
      `${verdict(growth[worst]! <= 2)}  every read's p50 grows ≤ 2× from ${n(first.size)} to ${n(biggest)}: ` +
        `at most ${growth[worst]!.toFixed(2)}× (${READS[worst]!.name})`,
    );
  } else {
    goals.push(`—     every read's p50 grows ≤ 2× from 1,000 to 100,000: not measured (one size; BENCH_FULL=1)`);
  }
  const slowest = Math.max(...READS.map((_, k) => p50(lastR, k)));
  goals.push(
    `${verdict(slowest <= 100)}  p50 ≤ 100 ms at ${n(biggest)}: the slowest ${ms(slowest)} ms` +
      (biggest < 100_000 ? ' (the goal is at 100,000: BENCH_FULL=1)' : ''),
  );
  for (const r of results) {
    const p99 = percentile(r.lag, 99);
    goals.push(`${verdict(p99 <= 1)}  lag p99 ≤ 1 s at ${opts.rate}/s with ${n(r.size)}: ${ms(p99 * 1000)} ms`);
  }
  return [
    `\nbench:reads — ${new Date().toISOString()}, ${cpus().length} cores, fill concurrency ${opts.concurrency}, ` +
      `${opts.reads} reads each after ${opts.warmup} to warm up, ${minutes(run.seconds)} in all`,
    `load average (1 min) at the start and after each size: ${run.load.map((l) => l.toFixed(1)).join(', ')}`,
    line(head),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
    `at the end, the read model's statuses: ${JSON.stringify(statuses)}`,
    'goals:',
    ...goals.map((g) => `  ${g}`),
  ].join('\n');
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
