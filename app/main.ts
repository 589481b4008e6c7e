import { parseArgs } from 'node:util';
import { loadConfig } from '../infra/config.js';
import { createLogger } from '../infra/logger.js';
import type { Secrets } from '../infra/secrets.js';
import { startLotse } from './lotse.js';

/**
 * `node dist/lotse.js api|worker|all` (built from here by `npm run build:server`): the api,
 * a worker, or both in one process (a small VM's choice: one Node runtime in memory, not
 * two), against an existing Temporal and NATS. `npm start` runs `all` so too, beside the
 * servers it starts, and names two of them: `--embedded-issuer URL`, its development sign-in
 * (whose tokens the api accepts beside Lotse's own), and `--temporal-ui URL`, its Temporal
 * Web UI (which may call the codec endpoint).
 *
 * Started by a parent with a channel (npm start, bench:load, the tests): it tells the parent
 * what it started with once it runs (`Started`), answers `memory` with its memory in use,
 * and stops when the parent is gone.
 */

/** What the process tells its parent once it runs: npm start prints it. */
export interface Started {
  secrets: Pick<Secrets, 'webhook' | 'webhookFile' | 'development'>;
  /** The key ring's file and whether it is the development ring. */
  payloadKeys: { file: string; development: boolean };
  /** Sample sites put into an empty site registry at this start. */
  seededSites: number;
}

async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'embedded-issuer': { type: 'string' }, 'temporal-ui': { type: 'string' } },
  });
  const part = positionals[0];
  if ((part !== 'api' && part !== 'worker' && part !== 'all') || positionals.length > 1)
    throw new Error('usage: node dist/lotse.js api|worker|all [--embedded-issuer URL] [--temporal-ui URL]');
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.temporal.address || !config.natsUrl) {
    throw new Error('TEMPORAL_ADDRESS and NATS_URL must be set (npm start runs everything together)');
  }
  if (part !== 'worker' && !config.readModel.url) {
    throw new Error('LOTSE_READ_MODEL_URL must be set for the api (postgres://…; npm start runs one itself)');
  }
  const lotse = await startLotse({
    config,
    logger,
    temporalAddress: config.temporal.address,
    natsUrl: config.natsUrl,
    natsAuth: config.natsAuth,
    readModelUrl: config.readModel.url,
    run: { api: part !== 'worker', worker: part !== 'api' },
    embeddedIssuer: values['embedded-issuer'],
    temporalUi: values['temporal-ui'],
    // Beside each worker the notifier, when there is an SMTP server to send through.
    smtpUrl: config.mail.smtpUrl,
  });
  process.on('message', (m) => m === 'memory' && process.send?.({ memory: process.memoryUsage() }));
  // Once: Ctrl-C reaches npm start's processes together, and npm start then asks them to stop as well.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    lotse
      .stop()
      .catch((err: Error) => console.error(`while stopping: ${err.message}`))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The parent gone (npm start killed outright), now or while this started: stop rather than hold the port.
  process.on('disconnect', stop);
  if (process.send && !process.connected) return stop();
  if (lotse.api) await lotse.api.listen({ port: config.port, host: config.host });
  const { webhook, webhookFile, development } = lotse.secrets;
  const started: Started = {
    secrets: { webhook, webhookFile, development },
    payloadKeys: lotse.payloadKeys,
    seededSites: lotse.seededSites,
  };
  if (process.connected) process.send?.({ started });
  if (lotse.worker) {
    logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
    await lotse.worker.done;
  }
}

const argv = process.argv.slice(2);
main(argv).catch((err: Error) => {
  const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
  console.error(`${argv[0] ?? 'lotse'} could not start: ${err.message}${taken ? ' (set PORT to a free port)' : ''}`);
  process.exit(1);
});
