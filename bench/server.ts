import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../infra/config.js';
import { startStack } from '../scripts/stack.js';
import { benchEnv, cpuMs, percentile, quiet, say, serverPid, sleep } from './common.js';
import * as sa from '../contract/search-attributes.js';
import type { Steps } from './server/workflows.js';

/**
 * `npm run bench:server`: what each step of an enquiry's first workflow task costs the
 * Temporal server. Workflows that only wait, and workflows with a patch marker, a search
 * attributes upsert, a timer, an activity or all that Lotse's path to `sites_proposed`
 * has, started in batches on the dev server `npm start` runs (eager activities, Lotse's
 * search attributes at start), in turns; the server's CPU per workflow from /proc.
 * BENCH_SERVER_N (300 a batch), BENCH_SERVER_ROUNDS (3, after one to warm up).
 */
const WAITS_ONLY = 'waits only';
const SHAPES: Record<string, Steps> = {
  [WAITS_ONLY]: {},
  'a patch marker': { patch: true },
  'a search attributes upsert': { upsert: true },
  'a timer': { timer: true },
  'an activity': { activity: true },
  "Lotse's path to sites_proposed (patch, upsert, activity)": { patch: true, upsert: true, activity: true },
};
const N = Number(process.env.BENCH_SERVER_N ?? 300);
const ROUNDS = Number(process.env.BENCH_SERVER_ROUNDS ?? 3);
const CLIENTS = 16;
const QUEUE = 'bench-server';

async function batch(client: Client, steps: Steps, tag: string) {
  let started = 0;
  const startedAt = new Date();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (started < N) {
        const i = started++;
        await client.workflow.start('stepsWorkflow', {
          taskQueue: QUEUE,
          workflowId: `${tag}-${i}`,
          args: [steps],
          // What the intake sets at the start.
          typedSearchAttributes: [
            { key: sa.Status, value: 'received' },
            { key: sa.Kind, value: 'new_settlement' },
            { key: sa.ReceivedBy, value: 'irl' },
            { key: sa.ReceivedAt, value: startedAt },
            { key: sa.Agencies, value: ['irl'] },
          ],
        });
      }
    }),
  );
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-bench-server-'));
  const env = await benchEnv(dataDir);
  say('starting Temporal and NATS on free ports…');
  const config = loadConfig(env);
  const stack = await startStack(config, say);
  const temporalPid = serverPid(dataDir, 'temporal');
  const connection = await NativeConnection.connect({ address: stack.temporalAddress });
  const worker = await Worker.create({
    connection,
    taskQueue: QUEUE,
    workflowsPath: require.resolve('./server/workflows.ts'),
    activities: { nothing: async () => {} },
    // As many as Lotse's worker caches (LOTSE_WORKFLOW_CACHE).
    maxCachedWorkflows: config.worker.cachedWorkflows,
  });
  const running = worker.run();
  const client = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });
  const perShape = new Map<string, number[]>();
  try {
    for (let round = 0; round <= ROUNDS; round++)
      for (const [shape, [name, steps]] of Object.entries(SHAPES).entries()) {
        await quiet([temporalPid]);
        const before = cpuMs(temporalPid);
        await batch(client, steps, `r${round}-${shape}`);
        await sleep(1000);
        await quiet([temporalPid]);
        const ms = (cpuMs(temporalPid) - before) / N;
        say(`round ${round}${round === 0 ? ' (warm-up)' : ''}: ${name} ${ms.toFixed(1)} ms`);
        if (round > 0) perShape.set(name, [...(perShape.get(name) ?? []), ms]);
      }
  } finally {
    worker.shutdown();
    await running;
    await client.connection.close();
    await connection.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const base = percentile(perShape.get(WAITS_ONLY)!, 50);
  const lines = [
    `| a workflow that waits, with … | Temporal server CPU per workflow (median of ${ROUNDS}) | more than one that only waits |`,
    '| --- | --- | --- |',
  ];
  for (const [name, xs] of perShape) {
    const median = percentile(xs, 50);
    lines.push(
      `| ${name} | ${median.toFixed(1)} ms | ${name === WAITS_ONLY ? '' : `${(median - base).toFixed(1)} ms`} |`,
    );
  }
  console.log(lines.join('\n'));
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
