import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { mintToken } from '../api/auth.js';
import { loadConfig } from '../infra/config.js';
import { createLogger } from '../infra/logger.js';
import { startLotse } from '../app/lotse.js';
import { startStack } from '../scripts/stack.js';
import { decideForwarding } from '../contract/enquiry-workflow.js';
import { benchEnv, percentile, postToIrl, submission } from './common.js';
import { bump, trivialWorkflow } from './raw/workflows.js';

/**
 * `npm run bench:api`: a human decision through the api (HTTP, token, one Temporal
 * Update, the answer as JSON) against a raw Update of a trivial workflow, on the same
 * Temporal dev server in the same run, alternating. Goal: p50 ≤ 1.5× and p99 ≤ 1.3×
 * the raw Update. Both workflows are new and in their worker's cache, and both workers
 * cache as many (LOTSE_WORKFLOW_CACHE): like for like. A third series sends the same
 * decision as an Update straight to the enquiry workflow, without the api, to tell the
 * api's share from the workflow's; a fourth decides enquiries taken in long before, out
 * of the worker's cache, which the worker replays from their history first — what most
 * decisions cost, days after the intake.
 */

const N = Number(process.env.BENCH_DECISIONS ?? 200);
const WARMUP = 10;
/** New enquiries and raw workflows are made a few at a time and decided at once: all in their worker's cache. */
const BATCH = 10;
const say = (line: string) => process.stderr.write(`${line}\n`);
type Lotse = Awaited<ReturnType<typeof startLotse>>;

// No IRL site fits: each enquiry waits for a forwarding decision.
const waitsForForwarding = () => submission({ areaM2Min: 90_000, zoning: ['GI'], railAccess: true });

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-bench-api-'));
  const config = loadConfig(await benchEnv(dataDir));
  const logger = createLogger(config.logLevel);
  say('starting Temporal and NATS on free ports…');
  const stack = await startStack(config, say);
  try {
    const lotse = await startLotse({
      config,
      logger,
      temporalAddress: stack.temporalAddress,
      natsUrl: stack.natsUrl,
      readModelUrl: stack.readModelUrl,
      run: { api: true, worker: true },
    });
    const base = await lotse.api!.listen({ port: 0, host: '127.0.0.1' });
    const rawQueue = `bench-raw-${randomUUID()}`;
    const rawConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    const rawWorker = await Worker.create({
      connection: rawConnection,
      taskQueue: rawQueue,
      workflowsPath: require.resolve('./raw/workflows.ts'),
      maxCachedWorkflows: config.worker.cachedWorkflows,
    });
    const rawRun = rawWorker.run();
    try {
      await measure(lotse, base, rawQueue, config.worker.cachedWorkflows);
    } finally {
      rawWorker.shutdown();
      await rawRun;
      await rawConnection.close();
      await lotse.stop();
    }
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Rethrows an Update's failure with the reason the workflow gave (the SDK's message says only that it failed). */
const failed = (what: string) => (err: Error) => {
  throw new Error(`${what} failed: ${err.cause instanceof Error ? err.cause.message : err.message}`);
};

async function measure(lotse: Lotse, base: string, rawQueue: string, cache: number) {
  const total = N + WARMUP;
  const token = await mintToken(lotse.secrets.jwtSecret, {
    sub: 'bench',
    agency: 'irl',
    roles: ['staff'],
    offices: [],
  });
  const takeIn = enquiriesWaiting(base, lotse.secrets.webhook.irl!, token);
  // Decided long after their intake, as most are: by then out of the worker's cache, pushed out by newer ones.
  say(`taking in ${total} enquiries to decide later, then ${cache} more (the worker's cache)…`);
  const old = await takeIn(total);
  await takeIn(cache);
  // The yardstick is plain Temporal: its payloads go unencrypted, as its worker expects them.
  const plain = new Client({ connection: lotse.temporal.connection, namespace: lotse.temporal.options.namespace });
  const startRaw = () =>
    plain.workflow.start(trivialWorkflow, { taskQueue: rawQueue, workflowId: `bench-raw-${randomUUID()}` });

  say(`measuring ${N} of each, alternating, in batches of ${BATCH} new enquiries (after ${WARMUP} to warm up)…`);
  const series = { api: [] as number[], raw: [] as number[], direct: [] as number[], outside: [] as number[] };
  const decide = decisions(lotse, base, token);
  const raws: Awaited<ReturnType<typeof startRaw>>[] = [];
  let bytes = 0;
  for (let i = 0; i < total; i += BATCH) {
    // The raw workflows first: their first tasks are done while the enquiries are taken in.
    const rawBatch = await Promise.all(Array.from({ length: Math.min(BATCH, total - i) }, startRaw));
    const fresh = await takeIn(2 * rawBatch.length);
    raws.push(...rawBatch);
    for (let j = 0; j < rawBatch.length; j++) {
      const api = await decide.viaApi(fresh[2 * j]!);
      const raw = await timed(() => rawBatch[j]!.executeUpdate(bump, { args: [1] }).catch(failed('the raw Update')));
      const direct = await decide.direct(fresh[2 * j + 1]!);
      const outside = await decide.viaApi(old[i + j]!);
      if (i + j < WARMUP) continue;
      series.api.push(api.ms);
      series.raw.push(raw.ms);
      series.direct.push(direct.ms);
      series.outside.push(outside.ms);
      bytes = api.bytes;
    }
  }
  await Promise.all(raws.map((r) => r.terminate('bench done')));
  report(series, bytes, cache);
}

/** Takes in enquiries that each wait for a forwarding decision; answers their ids once every one does. */
function enquiriesWaiting(base: string, secret: string, token: string) {
  return async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await postToIrl(base, secret, waitsForForwarding()));
    for (const id of ids) {
      for (;;) {
        const res = await fetch(`${base}/v1/enquiries/${id}`, { headers: { authorization: `Bearer ${token}` } });
        if ((await res.json()).status === 'awaiting_forwarding_decision') break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return ids;
  };
}

/** How long `work` took, in ms, and what it answered. */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await work();
  return { ms: performance.now() - t, value };
}

/** One forwarding decision (reject, with a note) through the api, or as an Update straight to the workflow. */
function decisions(lotse: Lotse, base: string, token: string) {
  const actor = { sub: 'bench', agency: 'irl', roles: ['staff'], offices: [] };
  return {
    async viaApi(id: string) {
      const { ms, value: res } = await timed(async () => {
        const answer = await fetch(`${base}/v1/enquiries/${id}/forwarding`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ decision: 'reject', note: 'bench' }),
        });
        return { status: answer.status, text: await answer.text() };
      });
      if (res.status !== 200 || JSON.parse(res.text).status !== 'in_progress')
        throw new Error(`decision answered ${res.status}: ${res.text.slice(0, 300)}`);
      return { ms, bytes: Buffer.byteLength(res.text) };
    },
    direct: (id: string) =>
      timed(() =>
        lotse.temporal.workflow
          .getHandle(id)
          .executeUpdate(decideForwarding, { args: [{ decision: 'reject', note: 'bench', actor }] })
          .catch(failed(`the direct decision on ${id}`)),
      ),
  };
}

function report(series: Record<'api' | 'raw' | 'direct' | 'outside', number[]>, bytes: number, cache: number) {
  const row = (name: string, xs: number[]) =>
    `${name.padEnd(44)} p50 ${percentile(xs, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(xs, 99).toFixed(1).padStart(6)} ms`;
  const ratio = (xs: number[], p: number) => (percentile(xs, p) / percentile(series.raw, p)).toFixed(2);
  console.log(`\n${N} decisions of each kind, one Temporal dev server, same run, a worker cache of ${cache}`);
  console.log(row('decision through the api', series.api));
  console.log(row('raw Update of a trivial workflow', series.raw));
  console.log(row('the same decision as a direct Update', series.direct));
  console.log(row('decision through the api, outside the cache', series.outside));
  console.log(
    `${'ratio'.padEnd(44)} p50 ${ratio(series.api, 50)}×  (goal ≤ 1.5×)   p99 ${ratio(series.api, 99)}×  (goal ≤ 1.3×)`,
  );
  console.log(
    `${'  outside the cache (replayed first)'.padEnd(44)} p50 ${ratio(series.outside, 50)}×` +
      `                 p99 ${ratio(series.outside, 99)}×`,
  );
  console.log(`${'answer size'.padEnd(44)} ${(bytes / 1024).toFixed(1)} kB`);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
