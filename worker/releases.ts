import type { Client } from '@temporalio/client';
import { enquiriesOf } from '../contract/enquiry-workflow.js';
import * as sa from '../contract/search-attributes.js';

/**
 * Lotse 1.0 was cut without the patches of the code before it (CHANGELOG.md): this worker
 * cannot replay an enquiry that code started — neither to go on with an open one nor to
 * answer a read of a closed one (every query replays the history). A worker does not
 * start beside such enquiries: it names them and says how to reset.
 */
export class EnquiriesBeforeRelease extends Error {
  constructor(
    readonly count: number,
    readonly examples: string[],
    where: { address: string; namespace: string; taskQueue: string },
  ) {
    const many = count > examples.length ? ', …' : '';
    super(
      [
        `Temporal (${where.address}, namespace "${where.namespace}", task queue "${where.taskQueue}") holds ` +
          `${count} ${count === 1 ? 'enquiry' : 'enquiries'} started before Lotse 1.0 ` +
          `(${examples.join(', ')}${many}), whose histories this release cannot replay.`,
        'Reset: with the embedded servers (npm start), stop Lotse and delete its data folder (LOTSE_DATA_DIR, ' +
          'default .data), then start again; or delete those enquiries from Temporal:',
        `  temporal workflow delete --address ${where.address} --namespace ${where.namespace} ` +
          `--query "${beforeRelease(where.taskQueue)}"`,
      ].join('\n'),
    );
    this.name = 'EnquiriesBeforeRelease';
  }
}

/** Enquiries, open or closed, that no intake of 1.0 or later started. */
const beforeRelease = (taskQueue: string) => `${enquiriesOf(taskQueue)} AND ${sa.Release.name} IS NULL`;

/** Throws EnquiriesBeforeRelease when the task queue has enquiries of the code before 1.0. */
export async function refuseEnquiriesBeforeRelease(temporal: Client, where: { address: string; taskQueue: string }) {
  const query = beforeRelease(where.taskQueue);
  const { count } = await temporal.workflow.count(query);
  if (count === 0) return;
  const examples: string[] = [];
  for await (const wf of temporal.workflow.list({ query, pageSize: 3 })) {
    examples.push(wf.workflowId);
    if (examples.length === 3) break;
  }
  throw new EnquiriesBeforeRelease(count, examples, { ...where, namespace: temporal.options.namespace });
}
