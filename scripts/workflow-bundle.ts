import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FAILURE_CONVERTER_PATH } from '../infra/payload-codec.js';
import { bundleWorkflows } from '../worker/bundle.js';
import { digestOf, ROOT, sourcesOf, Stamp } from './build-inputs.js';

/**
 * The workflow code as one file, bundled ahead of time: a worker that loads it skips
 * bundling at its start (webpack in the worker's own memory, for good). `npm start` and
 * the container image build it; a worker started alone bundles itself unless
 * LOTSE_WORKFLOW_BUNDLE names the file.
 */
export async function buildWorkflowBundle(file: string): Promise<string> {
  // Built by hand from other sources: what npm start's stamp says about the file holds no more.
  rmSync(stampOf(file), { force: true });
  const code = await bundleWorkflows();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, code);
  return file;
}

const stampOf = (file: string) => `${file}.inputs`;

/**
 * `npm start`'s build: the bundle again only when a workflow source (what
 * `workflows/index.ts` imports, and the failure converter bundled with it), the bundler's
 * options or the packages changed. Answers whether it built.
 */
export async function buildWorkflowBundleIfChanged(file: string): Promise<boolean> {
  const sources = await sourcesOf([path.join(ROOT, 'workflows/index.ts'), FAILURE_CONVERTER_PATH]);
  const digest = digestOf([...sources, path.join(ROOT, 'worker/bundle.ts'), __filename]);
  return new Stamp(stampOf(file)).refresh(digest, [file], () => buildWorkflowBundle(file));
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
