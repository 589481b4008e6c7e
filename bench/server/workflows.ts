import { condition, patched, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { Status, WaitingOn } from '../../contract/search-attributes.js';

/** What `npm run bench:server` starts: a workflow that waits, with one or more of an enquiry's steps before it. */
export interface Steps {
  patch?: boolean;
  upsert?: boolean;
  timer?: boolean;
  activity?: boolean;
}

const { nothing } = proxyActivities<{ nothing(): Promise<void> }>({ startToCloseTimeout: '15 seconds' });

export async function stepsWorkflow(steps: Steps): Promise<void> {
  // A patch marker, with the upsert of TemporalChangeVersion the SDK adds to it.
  if (steps.patch) patched('bench-server');
  // A deadline days away, as a person's wait has.
  const deadline = steps.timer ? condition(() => false, '5 days') : null;
  if (steps.upsert)
    upsertSearchAttributes([
      { key: Status, value: 'in_progress' },
      { key: WaitingOn, value: ['staff:irl'] },
    ]);
  // An activity (Lotse's publishes events), and the workflow task its completion brings.
  if (steps.activity) await nothing();
  await condition(() => false);
  await deadline;
}
