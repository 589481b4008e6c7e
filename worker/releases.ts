import type { Client } from '@temporalio/client';
import { ENQUIRY_WORKFLOW } from '../contract/enquiry-workflow.js';
import * as sa from '../contract/search-attributes.js';

/**
 * Lotse 1.0 was cut without the patches of the code before it (CHANGELOG.md): an enquiry
 * that code started cannot be replayed by this worker, and would fail on its next task. A
 * worker does not start beside such enquiries: it names them and says how to reset.
 */
export class EnquiriesBeforeRelease extends Error {
  constructor(
    readonly count: number,
    readonly examples: string[],
    where: { address: string; namespace: string; taskQueue: string },
  ) {
    const query = openBeforeRelease(where.taskQueue);
    super(
      [
        `Temporal (${where.address}, namespace "${where.namespace}", task queue "${where.taskQueue}") holds ` +
          `${count} open ${count === 1 ? 'enquiry' : 'enquiries'} started before Lotse 1.0 ` +
          `(${examples.join(', ')}${count > examples.length ? ', …' : ''}), whose histories this release cannot replay.`,
        'Reset: with the embedded servers (npm start), stop Lotse and delete its data folder (LOTSE_DATA_DIR, ' +
          'default .data), then start again; or end those enquiries in Temporal:',
        `  temporal workflow terminate --address ${where.address} --namespace ${where.namespace} ` +
          `--query "${query}" --reason "cut of Lotse 1.0"`,
      ].join('\n'),
    );
    this.name = 'EnquiriesBeforeRelease';
  }
}

const openBeforeRelease = (taskQueue: string) =>
  `TaskQueue = '${taskQueue}' AND WorkflowType = '${ENQUIRY_WORKFLOW}' ` +
  `AND ExecutionStatus = 'Running' AND ${sa.Release.name} IS NULL`;

/** Throws EnquiriesBeforeRelease when the task queue has open enquiries of the code before 1.0. */
export async function refuseEnquiriesBeforeRelease(temporal: Client, where: { address: string; taskQueue: string }) {
  const query = openBeforeRelease(where.taskQueue);
  const { count } = await temporal.workflow.count(query);
  if (count === 0) return;
  const examples: string[] = [];
  for await (const wf of temporal.workflow.list({ query, pageSize: 3 })) {
    examples.push(wf.workflowId);
    if (examples.length === 3) break;
  }
  throw new EnquiriesBeforeRelease(count, examples, { ...where, namespace: temporal.options.namespace });
}
