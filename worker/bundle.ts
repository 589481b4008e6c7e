import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../infra/payload-codec.js';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * The workflow code as one script, as a worker loads it: `npm start`, the container image
 * and the tests build it once ahead of time (`scripts/workflow-bundle.ts`); a worker given
 * none builds it at its start.
 */
export async function bundleWorkflows(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows/index.ts'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: quiet,
  });
  return code;
}
