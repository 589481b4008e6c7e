import { loadConfig } from '../infra/config.js';
import { createLogger } from '../infra/logger.js';
import { startLotse } from './lotse.js';

/**
 * `tsx app/main.ts api|worker`: one half of Lotse alone, against an existing Temporal
 * and NATS (containers, scaled by count). `npm start` runs everything together.
 */
async function main(part: string | undefined) {
  if (part !== 'api' && part !== 'worker') throw new Error('usage: tsx app/main.ts api|worker');
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
    run: { api: part === 'api', worker: part === 'worker' },
  });
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
