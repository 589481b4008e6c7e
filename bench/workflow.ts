import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { encryptedDataConverter, KeyRingCodec, loadKeyRing } from '../infra/payload-codec.js';
import { buildWorkflowBundle } from '../scripts/workflow-bundle.js';
import { percentile } from './common.js';

/**
 * `npm run bench:workflow`: what the workflow code itself costs the worker, without a
 * server's noise: recorded enquiry histories replayed many times in this process (its CPU,
 * the SDK's workflow thread included, per replay). For changes to workflows/: run before
 * and after. BENCH_REPLAYS (200). Beside it, what one call into a workflow sandbox costs as
 * such, with and without the timeout the SDK gives every call (docs/capacity.md).
 */
const FIXTURES = path.join(__dirname, '../test/fixtures/histories');
const HISTORIES = ['sites-proposed', 'forwarding-awaiting-decision', 'lead-accepted'];
const replays = Number(process.env.BENCH_REPLAYS ?? 200);
const ROUNDS = 5;

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const bundle = await buildWorkflowBundle(path.join(mkdtempSync(path.join(tmpdir(), 'lotse-bench-')), 'wb.js'));
  // The fixtures are encrypted with the tests' key ring, as Temporal stores enquiries.
  const ring = loadKeyRing({ file: path.join(FIXTURES, '../payload-keys.json'), dataDir: FIXTURES }).ring;
  const options = {
    workflowBundle: { codePath: bundle },
    replayName: 'bench-workflow',
    dataConverter: encryptedDataConverter(new KeyRingCodec(ring)),
  };
  const lines = ['| history | events | CPU per replay (median of 5) |', '| --- | --- | --- |'];
  for (const name of HISTORIES) {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')));
    const many = Array.from({ length: replays }, (_, i) => ({ workflowId: `${name}-${i}`, history }));
    const replay = async (histories: typeof many) => {
      for await (const r of Worker.runReplayHistories(options, histories)) if (r.error) throw r.error;
    };
    await replay(many.slice(0, 20));
    const cpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) cpu.push((await cpuMicros(() => replay(many))) / 1000 / replays);
    const median = percentile(cpu, 50);
    lines.push(`| ${name} | ${history.events!.length} | ${median.toFixed(2)} ms |`);
    process.stderr.write(`${name}: done\n`);
  }
  console.log([...lines, '', ...(await sandboxCalls())].join('\n'));
}

/**
 * The SDK enters a workflow's V8 context with Node's `vm` and a timeout
 * (`isolateExecutionTimeout`, 5 s), for which Node starts and joins a watchdog thread on
 * every call; an enquiry to `sites_proposed` takes nine such calls. A trivial script, so
 * that what is measured is the entering itself.
 */
async function sandboxCalls(): Promise<string[]> {
  const context = vm.createContext({}, { microtaskMode: 'afterEvaluate' });
  const script = new vm.Script('globalThis.n = (globalThis.n ?? 0) + 1; Promise.resolve().then(() => n)');
  const calls = Math.max(100, replays * 10);
  const cpuPerCall = async (options: vm.RunningScriptOptions) => {
    // The calls one after the other, as the SDK makes them; what the script returns is not awaited.
    const all = () => {
      for (let i = 0; i < calls; i++) script.runInContext(context, options);
    };
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push((await cpuMicros(all)) / calls);
    return percentile(rounds, 50);
  };
  const timed = await cpuPerCall({ timeout: 5000 });
  const untimed = await cpuPerCall({});
  return [
    '| one call into a workflow sandbox (Node `vm`, a trivial script) | CPU per call (median of 5) |',
    '| --- | --- |',
    `| with a timeout, as the SDK calls (a watchdog thread each) | ${timed.toFixed(1)} µs |`,
    `| without a timeout | ${untimed.toFixed(1)} µs |`,
  ];
}

/** This process's CPU (user and system, µs) while `work` runs. */
async function cpuMicros(work: () => Promise<unknown> | void): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
