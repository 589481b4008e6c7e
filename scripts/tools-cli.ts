import { loadConfig } from '../infra/config.js';
import { ensureTools } from './tools.js';

// `npm run tools`: find or build the Temporal CLI and nats-server (CI runs this before the tests).
void (async () => {
  const tools = await ensureTools(loadConfig().toolsDir);
  console.log(`temporal:    ${tools.temporal}\nnats-server: ${tools.natsServer}`);
})().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
