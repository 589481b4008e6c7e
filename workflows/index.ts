// Every workflow the Lotse worker runs.
export { enquiryWorkflow } from './enquiry.js';
