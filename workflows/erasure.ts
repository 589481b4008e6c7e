import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { erasureWorkflowId, type ErasureInput } from '../contract/erasure.js';
import { enquiryEvent } from '../domain/events.js';

/**
 * Erasure of an enquiry's personal data (GDPR Art. 17), on the investor's request or
 * when its retention has passed: its own workflow, so that it finishes whatever fails
 * on the way. The enquiry's non-personal facts stay, and with them the figures.
 */

const untilDone = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' };
const { destroyDataKey, purgeLeads, publishEvents, enquiriesDueForErasure } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: untilDone,
});

export async function erasePersonalData(input: ErasureInput) {
  // First the key: from this moment nothing sealed with it can be read again.
  const erasure = await destroyDataKey(input);
  // Then the leads that carried the data in plain text to partners.
  const { purged } = await purgeLeads({ enquiryId: input.enquiryId });
  const event = enquiryEvent({
    enquiryId: input.enquiryId,
    step: 0,
    type: 'personal_data_erased',
    agency: input.agency,
    time: new Date(erasure.erasedAt),
    data: { erasedAt: erasure.erasedAt, by: erasure.by, reason: erasure.reason, leadsPurged: purged },
  });
  // One erasure per enquiry: its event id says so, whatever repeats it.
  await publishEvents([{ ...event, id: `${input.enquiryId}.erasure.personal_data_erased` }]);
  return erasure;
}

/** Run by a schedule: erases what the agencies' retention says is due, one child workflow per enquiry. */
export async function retentionSweep(): Promise<{ erased: number }> {
  const at = new Date().toISOString();
  const due = await enquiriesDueForErasure({ now: at });
  for (const { enquiryId, agency } of due) {
    await executeChild(erasePersonalData, {
      workflowId: erasureWorkflowId(enquiryId),
      taskQueue: workflowInfo().taskQueue,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      args: [{ enquiryId, reason: 'retention', by: 'system', at, agency }],
    });
  }
  return { erased: due.length };
}
