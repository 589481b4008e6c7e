// Every workflow the Lotse worker runs.
export { enquiryWorkflow } from './enquiry.js';
export { erasePersonalData, retentionSweep } from './erasure.js';
