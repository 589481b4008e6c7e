import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../infra/payload-codec.js';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * The workflow code as one script, as a worker loads it: `npm start`, the container image
 * and the tests build it once ahead of time (`scripts/workflow-bundle.ts`); a worker given
 * none builds it at its start.
 */
export async function bundleWorkflows(): Promise<string> {
  const workflowsPath = require.resolve('../workflows/index.ts');
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    // Lotse's workflow modules are evaluated once per V8 context and shared by every workflow
    // in it, not evaluated again for each new or replayed enquiry (1–2 ms of the worker's
    // CPU each, docs/capacity.md). They keep no state at module level
    // (test/unit/workflow-bundle.test.ts), and the SDK freezes what they export, so a
    // change that writes to it fails at once instead of leaking between enquiries.
    preloadModules: [workflowsPath],
    logger: quiet,
  });
  return code;
}
