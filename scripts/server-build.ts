import path from 'node:path';
import { build } from 'esbuild';
import { SERVER_BUNDLE } from './processes.js';

/**
 * The api and the worker as one plain JavaScript file (`dist/lotse.js`, packages stay in
 * node_modules): a process started from it carries no TypeScript loader and loads one
 * module instead of a hundred, which saves it tens of MB (docs/capacity.md). It sits
 * one folder below the project root like the sources, so that their paths relative to
 * `__dirname` (the web app, the reference data) hold. `npm start`, `npm run api|worker`,
 * the benchmarks and the container image run it.
 */
export { SERVER_BUNDLE };

/** `npm start`'s supervisor (scripts/start.ts), built the same way: it runs without a TypeScript loader too. */
export const START_BUNDLE = path.join(__dirname, '../dist/start.js');

/** Node code, its packages left in node_modules. */
const forNode = { bundle: true, packages: 'external', platform: 'node', format: 'cjs', target: 'node20' } as const;

export async function buildServer(): Promise<string> {
  // Temporal loads the failure converter by path: it sits beside the server (FAILURE_CONVERTER_PATH).
  await build({
    ...forNode,
    entryPoints: [path.join(__dirname, '../infra/failure-converter.ts')],
    outfile: path.join(path.dirname(SERVER_BUNDLE), 'failure-converter.js'),
    logLevel: 'warning',
  });
  await build({
    ...forNode,
    entryPoints: [path.join(__dirname, '../app/main.ts')],
    outfile: SERVER_BUNDLE,
    sourcemap: 'linked',
    logLevel: 'warning',
    // A worker started without LOTSE_WORKFLOW_BUNDLE bundles the workflow sources it finds from here.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return SERVER_BUNDLE;
}

export async function buildStart(): Promise<string> {
  await build({
    ...forNode,
    entryPoints: [path.join(__dirname, 'start.ts')],
    outfile: START_BUNDLE,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return START_BUNDLE;
}

if (require.main === module) {
  buildServer().then(
    (file) => process.stderr.write(`server written to ${path.relative(process.cwd(), file)}\n`),
    (err: Error) => {
      process.stderr.write(`the server could not be built: ${err.message}\n`);
      process.exit(1);
    },
  );
}
