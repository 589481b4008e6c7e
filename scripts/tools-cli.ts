import { loadConfig } from '../infra/config.js';
import { ensureTool, ensureTools, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL } from './tools.js';

/**
 * `npm run tools`: find or build the Temporal CLI and nats-server (CI runs this before the
 * tests); `npm run tools -- --cluster` also the Temporal server and its SQL tool of the
 * cluster profile.
 */
void (async () => {
  const { toolsDir } = loadConfig();
  const tools = await ensureTools(toolsDir);
  console.log(`temporal:          ${tools.temporal}\nnats-server:       ${tools.natsServer}`);
  if (process.argv.includes('--cluster')) {
    console.log(`temporal-server:   ${await ensureTool(TEMPORAL_SERVER, toolsDir)}`);
    console.log(`temporal-sql-tool: ${await ensureTool(TEMPORAL_SQL_TOOL, toolsDir)}`);
  }
})().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
