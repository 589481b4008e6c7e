import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/** The activities as the enquiry workflow calls them, with their timeouts and retries. */

// No maximum attempts: a lookup or an event waits out an outage instead of being dropped.
const untilDone = { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' };

export const { assessEnquiry, findSites, forwardingRequest, publishLead } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: untilDone,
});

/** When a wait ends and reminds, in the calendar of the agency that must act (workflows/deadlines.ts). */
export const { deadlineFor } = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: untilDone });

/** A workflow task's events, in order, in one activity. */
export const { publishEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: untilDone,
});

// A partner's webhook gets a few tries with backoff; the lead on NATS does not depend on it.
export const { postLeadWebhook } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 8 },
});

/** A firm's events of one round, in order, in one activity (the same rule as the enquiry's). */
export const { publishFirmEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: untilDone,
});
