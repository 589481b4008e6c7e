import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Each benchmark runs to its report with the smallest sizes: a bench that no longer runs
 * (bench:api failed for days once its payloads were encrypted) fails here, not in front of
 * whoever measures next. The timings of so small a run mean nothing and are not checked;
 * that each is a number is. What holds on any machine is: bench:load loses and doubles nothing.
 */

const root = path.resolve(__dirname, '../..');

async function bench(script: string, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench', script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bench/${script} exited with ${code}:\n${err.slice(-4000)}\n${out}`);
  return out;
}

/** A report whose figures are all numbers (no NaN), in more than `lines` lines. */
function expectReport(report: string, lines: number) {
  expect(report).not.toMatch(/NaN/);
  expect(report.trim().split('\n').length).toBeGreaterThan(lines);
}

/** The report's line that starts with `label`, which must hold a figure and no NaN. */
function expectFigureLine(report: string, label: string) {
  const line = report.split('\n').find((l) => l.replace(/^[|\s]+/, '').startsWith(label));
  expect(line, `no line "${label}" in:\n${report}`).toBeDefined();
  expect(line).toMatch(/\d/);
  expect(line).not.toMatch(/NaN|undefined/);
  return line!;
}

/** The figure in Lotse's column of a bench:load table's line. */
function lotseFigure(report: string, label: string) {
  return expectFigureLine(report, label).split('|')[2]!.trim();
}

describe('the benchmarks run to their reports', () => {
  it('bench:codec and bench:match', async () => {
    expectReport(await bench('codec.ts', { BENCH_ROUNDS: '20' }), 1);
    expect(await bench('match.ts', { BENCH_SITES: '200', BENCH_ENQUIRIES: '20' })).not.toMatch(/NaN/);
  }, 120_000);

  it('bench:workflow replays its histories', async () => {
    expectReport(await bench('workflow.ts', { BENCH_REPLAYS: '3' }), 1);
  }, 180_000);

  it('bench:api takes decisions through the api, raw and direct', async () => {
    const report = await bench('api.ts', { BENCH_DECISIONS: '5' });
    expectFigureLine(report, 'decision through the api');
    expectFigureLine(report, 'raw Update of a trivial workflow');
    expectFigureLine(report, 'the same decision as a direct Update');
    expectFigureLine(report, 'decision through the api, outside the cache');
  }, 240_000);

  it('bench:server measures each shape', async () => {
    expectReport(await bench('server.ts', { BENCH_SERVER_N: '5', BENCH_SERVER_ROUNDS: '1' }), 3);
  }, 240_000);

  it('bench:reads fills, reads each read and takes the lag', async () => {
    const report = await bench('reads.ts', {
      BENCH_READS_N: '30,90',
      BENCH_FILL: 'copies',
      BENCH_RATE_S: '0.5',
      BENCH_READS: '5',
      BENCH_WARMUP: '1',
    });
    expect(report).not.toMatch(/NaN/);
    expectFigureLine(report, 'GET /v1/tasks');
    expectFigureLine(report, 'GET /v1/stats');
    expectFigureLine(report, 'GET /v1/enquiries first page');
    expectFigureLine(report, 'GET /v1/enquiries/{id}');
    expectFigureLine(report, 'read model lag at 20/s');
    // Every enquiry sent is counted by the figures; a quarter of them wait on IRL's staff. Beyond the first 30,
    // 50 copies of their events (the last 10 through the webhook again) count as the enquiries they copy.
    const answered = expectFigureLine(report, 'answered:').split('|');
    expect(answered[2]!.trim(), report).toBe('8 / 30 / 30');
    const [tasks, counted, page] = answered[3]!.trim().split(' / ');
    expect([counted, page], report).toEqual(['90', '50']);
    const waiting = /"awaiting_forwarding_decision":(\d+)/.exec(report)?.[1];
    expect(tasks, report).toBe(waiting);
    expect(expectFigureLine(report, 'fill:'), report).toMatch(/50 of them copies/);
  }, 240_000);

  it('bench:load runs every phase', async () => {
    const report = await bench('load.ts', {
      BENCH_CLIENTS: '2',
      BENCH_INTAKE_S: '1',
      BENCH_INTAKE_ROUNDS: '1',
      BENCH_RATE: '5',
      BENCH_STEADY_S: '2',
      BENCH_BURST: '10',
      BENCH_OPEN: '20',
    });
    expect(report).not.toMatch(/NaN/);
    expect(lotseFigure(report, 'missing after 60 s'), report).toBe('0');
    expect(lotseFigure(report, 'lost / doubled'), report).toBe('0 / 0');
  }, 300_000);
});
