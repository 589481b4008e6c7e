import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { buildWorkflowBundle } from '../scripts/workflow-bundle.js';
import { percentile } from './common.js';

/**
 * `npm run bench:workflow`: what the workflow code itself costs the worker, without a
 * server's noise: recorded enquiry histories replayed many times in this process (its CPU,
 * the SDK's workflow thread included, per replay). For changes to workflows/: run before
 * and after. BENCH_REPLAYS (200).
 */
const FIXTURES = path.join(__dirname, '../test/fixtures/histories');
const HISTORIES = [
  'sites-proposed.one-assessment',
  'forwarding-awaiting-decision.one-assessment',
  'lead-accepted.one-assessment',
];
const replays = Number(process.env.BENCH_REPLAYS ?? 200);
const ROUNDS = 5;

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const bundle = await buildWorkflowBundle(path.join(mkdtempSync(path.join(tmpdir(), 'lotse-bench-')), 'wb.js'));
  const options = { workflowBundle: { codePath: bundle }, replayName: 'bench-workflow' };
  const lines = ['| history | events | CPU per replay (median of 5) |', '| --- | --- | --- |'];
  for (const name of HISTORIES) {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')));
    const many = Array.from({ length: replays }, (_, i) => ({ workflowId: `${name}-${i}`, history }));
    const replay = async (histories: typeof many) => {
      for await (const r of Worker.runReplayHistories(options, histories)) if (r.error) throw r.error;
    };
    await replay(many.slice(0, 20));
    const cpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = process.cpuUsage();
      await replay(many);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000 / replays);
    }
    const median = percentile(cpu, 50);
    lines.push(`| ${name} | ${history.events!.length} | ${median.toFixed(2)} ms |`);
    process.stderr.write(`${name}: done\n`);
  }
  console.log(lines.join('\n'));
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
