import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Each benchmark runs to its report with the smallest sizes: a bench that no longer runs
 * (bench:api failed for days once its payloads were encrypted) fails here, not in front of
 * whoever measures next. The figures of so small a run mean nothing and are not checked;
 * that each is a number is.
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

/** The report's line that starts with `label`, which must hold a figure and no NaN. */
function figureLine(report: string, label: string): string {
  const line = report.split('\n').find((l) => l.trimStart().startsWith(label));
  expect(line, `no line "${label}" in:\n${report}`).toBeDefined();
  expect(line).toMatch(/\d/);
  expect(line).not.toMatch(/NaN|undefined/);
  return line!;
}

describe('the benchmarks run to their reports', () => {
  it('bench:codec and bench:match', async () => {
    const codec = await bench('codec.ts', { BENCH_ROUNDS: '20' });
    expect(codec).not.toMatch(/NaN/);
    expect(codec.trim().split('\n').length).toBeGreaterThan(1);
    const match = await bench('match.ts', { BENCH_SITES: '200', BENCH_ENQUIRIES: '20' });
    expect(match).not.toMatch(/NaN/);
  }, 120_000);

  it('bench:workflow replays its histories', async () => {
    const report = await bench('workflow.ts', { BENCH_REPLAYS: '3' });
    expect(report).not.toMatch(/NaN/);
    expect(report.trim().split('\n').length).toBeGreaterThan(1);
  }, 180_000);

  it('bench:api takes decisions through the api, raw and direct', async () => {
    const report = await bench('api.ts', { BENCH_DECISIONS: '5' });
    figureLine(report, 'decision through the api');
    figureLine(report, 'raw Update of a trivial workflow');
    figureLine(report, 'the same decision as a direct Update');
  }, 240_000);

  it('bench:server measures each shape', async () => {
    const report = await bench('server.ts', { BENCH_SERVER_N: '5', BENCH_SERVER_ROUNDS: '1' });
    expect(report).not.toMatch(/NaN/);
    expect(report.trim().split('\n').length).toBeGreaterThan(3);
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
    expect(report).toMatch(/lost/);
    expect(report).not.toMatch(/NaN/);
  }, 300_000);
});
