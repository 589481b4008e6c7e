import { spawn, type ChildProcess } from 'node:child_process';
import { SERVER_BUNDLE } from './server-build.js';

/**
 * Lotse's api or worker as a process of its own (`app/main.ts api|worker`), as containers
 * run them: `npm start` with LOTSE_WORKERS > 1, and `npm run bench:load`. Runs the built
 * server (`buildServer()` first).
 */
export type LotsePart = 'api' | 'worker' | 'all';

/**
 * How a Lotse process keeps its memory small (README, "Capacity"): glibc keeps two malloc
 * arenas, not one per thread (the Temporal core runs many); V8's young generation stays
 * at 2 MB a half instead of growing to 16. The container image sets the same.
 */
export const LEAN = { env: { MALLOC_ARENA_MAX: '2' }, nodeArgs: ['--max-semi-space-size=2'] };

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
