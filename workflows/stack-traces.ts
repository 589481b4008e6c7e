/**
 * How many frames V8 keeps of a stack inside the workflow sandbox (its default is 10;
 * the bundle's entry, workflows/index.ts, sets it). For the stack-trace query, the Temporal
 * SDK captures a stack for every promise a workflow makes and maps each frame through the
 * bundle's source map; with three frames a replay to `sites_proposed` takes about a fifth
 * less CPU (`npm run bench:workflow`, docs/capacity.md). The query still shows where each
 * waiting promise was made; an error thrown in a workflow shows its three innermost frames.
 */
export const WORKFLOW_STACK_FRAMES = 3;
