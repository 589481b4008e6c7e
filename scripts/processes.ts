import { spawn, type ChildProcess } from 'node:child_process';
import { SERVER_BUNDLE } from './server-build.js';

/**
 * Lotse's api or worker as a process of its own (`app/main.ts api|worker`), as containers
 * run them: `npm start` with LOTSE_WORKERS > 1, and `npm run bench:load`. Runs the built
 * server (`buildServer()` first).
 */
export type LotsePart = 'api' | 'worker' | 'all';

/**
 * How a Lotse process runs on a small VM (README, "Capacity"): glibc keeps one malloc
 * arena, not one per thread (the Temporal core runs many); V8 collects garbage on the
 * thread that made it (helper threads cost more CPU than they save on two cores, which
 * Temporal and NATS share) with a young generation of 8 MB a half (fewer collections
 * than with 2, less memory than the default 16). The container image sets the same.
 */
export const LEAN = {
  env: { MALLOC_ARENA_MAX: '1' },
  nodeArgs: ['--max-semi-space-size=8', '--single-threaded-gc'],
};

export function spawnLotse(part: LotsePart, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...LEAN.nodeArgs, ...nodeArgs, SERVER_BUNDLE, part], {
    env: { ...LEAN.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The memory a process from spawnLotse uses, as it reports it (process.memoryUsage()). */
export function memoryOf(child: ChildProcess): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process ${child.pid} did not report its memory`)), 5_000);
    child.once('message', (m: { memory: NodeJS.MemoryUsage }) => {
      clearTimeout(timer);
      resolve(m.memory);
    });
    child.send('memory');
  });
}
