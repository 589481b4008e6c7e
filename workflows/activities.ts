import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/** The activities as the enquiry workflow calls them, with their timeouts and retries. */

// No maximum attempts: a lookup or an event waits out an outage instead of being dropped.
const retry = { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' } as const;
const options: ActivityOptions = { startToCloseTimeout: '30 seconds', retry };

const tasks = proxyActivities<Activities>(options);

/** Lookups in the reference data and the site registry: quick, and free of side effects. */
export const { determineJurisdiction, findSites, findPartnerCandidates, forwardingTerms, jointAgreement } = tasks;

export const { publishLead } = tasks;
/** One event, or (since batched-events) every event waiting, in order, in one activity. */
export const { publishEvent, publishEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry,
});

// A partner's webhook gets a few tries with backoff; the lead on NATS does not depend on it.
export const { postLeadWebhook } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 8 },
});
