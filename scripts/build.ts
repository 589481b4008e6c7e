import path from 'node:path';
import { WORKFLOW_BUNDLE } from './processes.js';
import { buildServer, buildStart } from './server-build.js';
import { buildUiIfChanged } from './ui-build.js';
import { buildWorkflowBundleIfChanged } from './workflow-bundle.js';

/**
 * `npm start`'s first step (`npm run build` alone), in a process of its own that exits
 * before the service starts, so that no builder stays in its memory: the web app and the
 * workflow bundle, each again only when its inputs changed (scripts/build-inputs.ts), then
 * the server and npm start's supervisor, which esbuild writes in well under a second.
 */
async function main() {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const took = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
  const relative = (file: string) => path.relative(process.cwd(), file) || file;
  say('Building Lotse (what changed since the last build)…');
  let since = Date.now();
  const ui = await buildUiIfChanged();
  say(`  web app          ${ui ? `built (${took(since)})` : 'unchanged'} (ui/dist)`);
  since = Date.now();
  const bundled = await buildWorkflowBundleIfChanged(WORKFLOW_BUNDLE);
  say(`  workflow bundle  ${bundled ? `built (${took(since)})` : 'unchanged'} (${relative(WORKFLOW_BUNDLE)})`);
  since = Date.now();
  const [server, start] = [await buildServer(), await buildStart()];
  say(`  server           built (${relative(server)}, ${relative(start)}, ${took(since)})`);
}

main().catch((err: Error) => {
  process.stderr.write(`Lotse could not be built: ${err.message}\n`);
  process.exit(1);
});
