import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Started } from '../app/main.js';

/**
 * Lotse's api or worker as a process of its own (`app/main.ts api|worker|all`), as containers
 * run them: `npm start`, and `npm run bench:load`. Runs the built server (`buildServer()`
 * first), with a channel to its parent: the parent may ask for its memory (`memoryOf`),
 * learns what it started with (`startedOf`), and the process stops when its parent is gone.
 */
export type LotsePart = 'api' | 'worker' | 'all';

/** Where `buildServer()` (scripts/server-build.ts) writes the server. */
export const SERVER_BUNDLE = path.join(__dirname, '../dist/lotse.js');
/** The workflow bundle `npm start`'s build writes (scripts/build.ts) and its processes load. */
export const WORKFLOW_BUNDLE = path.join(__dirname, '../dist/workflow-bundle.js');

/**
 * How a Lotse process runs on a small VM (docs/capacity.md): glibc keeps one malloc
 * arena, not one per thread (the Temporal core runs many); V8 collects garbage on the
 * thread that made it (helper threads cost more CPU than they save on two cores, which
 * Temporal and NATS share) with a young generation of 8 MB a half (fewer collections
 * than with 2, less memory than the default 16). The container image sets the same.
 */
export const LEAN = {
  env: { MALLOC_ARENA_MAX: '1' },
  nodeArgs: ['--max-semi-space-size=8', '--single-threaded-gc'],
};

/** `args` follow the part: `--embedded-issuer URL` and `--temporal-ui URL` (app/main.ts). */
export function spawnLotse(
  part: LotsePart,
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
  args: string[] = [],
): ChildProcess {
  return spawn(process.execPath, [...LEAN.nodeArgs, ...nodeArgs, SERVER_BUNDLE, part, ...args], {
    env: { ...LEAN.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The memory a process from spawnLotse uses, as it reports it (process.memoryUsage()). */
export function memoryOf(child: ChildProcess): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve, reject) => {
    const answer = (m: { memory?: NodeJS.MemoryUsage }) => {
      if (!m?.memory) return;
      clearTimeout(timer);
      child.off('message', answer);
      resolve(m.memory);
    };
    const timer = setTimeout(() => {
      child.off('message', answer);
      reject(new Error(`process ${child.pid} did not report its memory`));
    }, 5_000);
    child.on('message', answer);
    child.send('memory');
  });
}

/** What a process from spawnLotse started with, once it runs; rejects when it exits first. */
export function startedOf(child: ChildProcess): Promise<Started> {
  return new Promise((resolve, reject) => {
    const started = (m: { started?: Started }) => {
      if (!m?.started) return;
      child.off('exit', exited);
      child.off('message', started);
      resolve(m.started);
    };
    const exited = (code: number | null, signal: NodeJS.Signals | null) => {
      child.off('message', started);
      reject(new Error(`it exited before it ran (${signal ?? `exit code ${code}`})`));
    };
    child.on('message', started);
    child.once('exit', exited);
  });
}
