import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * Lotse's api or worker as a process of its own (`app/main.ts api|worker`), as containers
 * run them: `npm start` with LOTSE_WORKERS > 1, and `npm run bench:load`.
 */
export function spawnLotse(part: 'api' | 'worker', env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(__dirname, '../app/main.ts'), part], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
