import { WORKFLOW_STACK_FRAMES } from './stack-traces.js';

// Every workflow the Lotse worker runs.
export { enquiryWorkflow } from './enquiry.js';
export { erasePersonalData, retentionSweep } from './erasure.js';
export { firmCareWorkflow } from './firm-care.js';
export { programmeReport } from './report.js';

// Short stacks in the sandbox (see stack-traces.ts). This module is the bundle's entry, evaluated
// in the sandbox only, with the preloaded modules before the SDK freezes the sandbox's built-ins:
// Node's own Error outside is another object and keeps its limit.
Error.stackTraceLimit = WORKFLOW_STACK_FRAMES;
