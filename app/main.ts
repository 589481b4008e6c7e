import { loadConfig } from '../infra/config.js';
import { createLogger } from '../infra/logger.js';
import { startLotse } from './lotse.js';

/**
 * `node dist/lotse.js api|worker|all` (built from here by `npm run build:server`): the api,
 * a worker, or both in one process (a small VM's choice: one Node runtime in memory, not
 * two), against an existing Temporal and NATS. `npm start` runs everything together.
 */
async function main(part: string | undefined) {
  if (part !== 'api' && part !== 'worker' && part !== 'all')
    throw new Error('usage: node dist/lotse.js api|worker|all');
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.temporal.address || !config.natsUrl) {
    throw new Error('TEMPORAL_ADDRESS and NATS_URL must be set (npm start runs everything together)');
  }
  const lotse = await startLotse({
    config,
    logger,
    temporalAddress: config.temporal.address,
    natsUrl: config.natsUrl,
    natsAuth: config.natsAuth,
    run: { api: part !== 'worker', worker: part !== 'api' },
    // Beside each worker the notifier, when there is an SMTP server to send through.
    smtpUrl: config.mail.smtpUrl,
  });
  // Started by a parent with a channel (npm start's extra workers, bench:load): it may ask for the memory in use.
  process.on('message', (m) => m === 'memory' && process.send?.({ memory: process.memoryUsage() }));
  const stop = () => void lotse.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (lotse.api) await lotse.api.listen({ port: config.port, host: config.host });
  if (lotse.worker) {
    logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
    await lotse.worker.done;
  }
}

const part = process.argv[2];
main(part).catch((err: Error) => {
  console.error(`${part ?? 'lotse'} could not start: ${err.message}`);
  process.exit(1);
});
