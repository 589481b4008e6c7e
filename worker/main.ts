import { loadConfig } from '../infra/config.js';
import { createLogger } from '../infra/logger.js';
import { startLotse } from '../infra/lotse.js';

/** The worker alone, against an existing Temporal and NATS (containers, scaled by count). */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (!config.temporal.address || !config.natsUrl) throw new Error('TEMPORAL_ADDRESS and NATS_URL must be set (npm start runs everything together)');
  const lotse = await startLotse({ config, logger, temporalAddress: config.temporal.address, natsUrl: config.natsUrl, natsAuth: config.natsAuth, run: { api: false, worker: true } });
  logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  const stop = () => void lotse.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await lotse.worker!.done;
}

main().catch((err: Error) => {
  console.error(`worker could not start: ${err.message}`);
  process.exit(1);
});
