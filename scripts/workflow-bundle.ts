import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from '../worker/bundle.js';

/**
 * The workflow code as one file, bundled ahead of time: a worker that loads it skips
 * bundling at its start (webpack in the worker's own memory, for good). `npm start` and
 * the container image build it; a worker started alone bundles itself unless
 * LOTSE_WORKFLOW_BUNDLE names the file.
 */
export async function buildWorkflowBundle(file: string): Promise<string> {
  const code = await bundleWorkflows();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, code);
  return file;
}

if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  buildWorkflowBundle(file).then(
    () => process.stderr.write(`workflow bundle written to ${file}\n`),
    (err: Error) => {
      process.stderr.write(`the workflow bundle could not be built: ${err.message}\n`);
      process.exit(1);
    },
  );
}
