import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/** The activities as the enquiry workflow calls them, with their timeouts and retries. */

export const {
  assessEnquiry,
  determineJurisdiction,
  findSites,
  findPartnerCandidates,
  forwardingTerms,
  jointAgreement,
  publishLead,
} = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

// A partner's webhook gets a few tries with backoff; the lead on NATS does not depend on it.
export const { postLeadWebhook } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 8 },
});
