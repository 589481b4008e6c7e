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
import { decideForwarding } from '../workflows/definitions.js';
import { benchEnv, percentile, postToIrl, submission } from './common.js';
import { bump, trivialWorkflow } from './raw/workflows.js';

/**
 * `npm run bench:api`: a human decision through the api (HTTP, token, one Temporal
 * Update, the answer as JSON) against a raw Update of a trivial workflow, on the same
 * Temporal dev server in the same run, alternating. Goal: p50 ≤ 1.5× and p99 ≤ 1.3×
 * the raw Update. A third series sends the same decision as an Update straight to the
 * enquiry workflow, without the api, to tell the api's share from the workflow's.
 */

const N = Number(process.env.BENCH_DECISIONS ?? 200);
const WARMUP = 10;
const say = (line: string) => process.stderr.write(`${line}\n`);

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
      run: { api: true, worker: true },
    });
    const base = await lotse.api!.listen({ port: 0, host: '127.0.0.1' });
    const rawQueue = `bench-raw-${randomUUID()}`;
    const rawConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    const rawWorker = await Worker.create({
      connection: rawConnection,
      taskQueue: rawQueue,
      workflowsPath: require.resolve('./raw/workflows.ts'),
    });
    const rawRun = rawWorker.run();
    try {
      await measure(lotse, base, rawQueue);
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

async function measure(lotse: Awaited<ReturnType<typeof startLotse>>, base: string, rawQueue: string) {
  const total = N + WARMUP;
  say(`taking in ${2 * total} enquiries and waiting until each awaits a forwarding decision…`);
  const secret = lotse.secrets.webhook.irl!;
  const ids: string[] = [];
  for (let i = 0; i < 2 * total; i++) {
    ids.push(await postToIrl(base, secret, waitsForForwarding()));
  }
  const token = await mintToken(lotse.secrets.jwtSecret, {
    sub: 'bench',
    agency: 'irl',
    roles: ['staff'],
    offices: [],
  });
  for (const [i, id] of ids.entries()) {
    for (;;) {
      const s = await (
        await fetch(`${base}/v1/enquiries/${id}`, { headers: { authorization: `Bearer ${token}` } })
      ).json();
      if (s.status === 'awaiting_forwarding_decision') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    if ((i + 1) % 100 === 0) say(`  ${i + 1}/${ids.length} waiting`);
  }
  // The yardstick is plain Temporal: its payloads go unencrypted, as its worker expects them.
  const plain = new Client({ connection: lotse.temporal.connection, namespace: lotse.temporal.options.namespace });
  const raws = await Promise.all(
    ids.slice(0, total).map((_, i) =>
      plain.workflow.start(trivialWorkflow, {
        taskQueue: rawQueue,
        workflowId: `bench-raw-${i}-${randomUUID()}`,
      }),
    ),
  );

  say(
    `measuring ${N} decisions through the api and ${N} raw Updates, alternating (after ${WARMUP} of each to warm up)…`,
  );
  const api: number[] = [];
  const direct: number[] = [];
  const raw: number[] = [];
  const actor = { sub: 'bench', agency: 'irl', roles: ['staff'], offices: [] };
  let bytes = 0;
  for (let i = 0; i < total; i++) {
    let t = performance.now();
    const res = await fetch(`${base}/v1/enquiries/${ids[i]}/forwarding`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ decision: 'reject', note: 'bench' }),
    });
    const text = await res.text();
    const apiMs = performance.now() - t;
    if (res.status !== 200 || JSON.parse(text).status !== 'in_progress')
      throw new Error(`decision answered ${res.status}: ${text.slice(0, 300)}`);
    t = performance.now();
    await raws[i]!.executeUpdate(bump, { args: [1] }).catch(failed('the raw Update'));
    const rawMs = performance.now() - t;
    t = performance.now();
    const handle = lotse.temporal.workflow.getHandle(ids[total + i]!);
    await handle
      .executeUpdate(decideForwarding, { args: [{ decision: 'reject', note: 'bench', actor }] })
      .catch(failed(`the direct decision on ${ids[total + i]}`));
    const directMs = performance.now() - t;
    if (i >= WARMUP) {
      api.push(apiMs);
      raw.push(rawMs);
      direct.push(directMs);
      bytes = Buffer.byteLength(text);
    }
  }
  await Promise.all(raws.map((r) => r.terminate('bench done')));

  const row = (name: string, xs: number[]) =>
    `${name.padEnd(34)} p50 ${percentile(xs, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(xs, 99).toFixed(1).padStart(6)} ms`;
  const ratio = (p: number) => percentile(api, p) / percentile(raw, p);
  console.log(`\n${N} decisions, one Temporal dev server, same run`);
  console.log(row('decision through the api', api));
  console.log(row('raw Update of a trivial workflow', raw));
  console.log(row('the same decision as a direct Update', direct));
  console.log(
    `ratio                              p50 ${ratio(50).toFixed(2)}×  (goal ≤ 1.5×)   p99 ${ratio(99).toFixed(2)}×  (goal ≤ 1.3×)`,
  );
  console.log(`answer size                        ${(bytes / 1024).toFixed(1)} kB`);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
