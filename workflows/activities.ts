import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/** The activities as the enquiry workflow calls them, with their timeouts and retries. */

/** Lookups in the reference data and the site registry: quick, and free of side effects. */
export type Lookups = Pick<
  Activities,
  'determineJurisdiction' | 'findSites' | 'findPartnerCandidates' | 'forwardingTerms' | 'jointAgreement'
>;

// No maximum attempts: a lookup or an event waits out an outage instead of being dropped.
const retry = { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' } as const;
const options: ActivityOptions = { startToCloseTimeout: '30 seconds', retry };

const tasks = proxyActivities<Activities>(options);

/** As activity tasks through the Temporal server: enquiries taken in before local-steps keep this. */
const remoteLookups: Lookups = {
  determineJurisdiction: tasks.determineJurisdiction,
  findSites: tasks.findSites,
  findPartnerCandidates: tasks.findPartnerCandidates,
  forwardingTerms: tasks.forwardingTerms,
  jointAgreement: tasks.jointAgreement,
};

/**
 * In the worker, each recorded as one marker: a lookup takes milliseconds, so the server
 * round trip, three history events and a workflow task each were most of what it cost.
 */
const localLookups: Lookups = proxyLocalActivities<Activities>({ ...options, localRetryThreshold: '10 seconds' });

export const lookupsFor = (inWorker: boolean): Lookups => (inWorker ? localLookups : remoteLookups);

export const { publishLead } = tasks;
/** One event, or (since local-steps) every event waiting, in order, in one activity. */
export const { publishEvent, publishEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry,
});

// A partner's webhook gets a few tries with backoff; the lead on NATS does not depend on it.
export const { postLeadWebhook } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 8 },
});
