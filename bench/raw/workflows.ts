import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/** The yardstick for `npm run bench:api`: a workflow that does nothing but answer an Update. */
export const bump = defineUpdate<number, [number]>('bump');

export async function trivialWorkflow(): Promise<void> {
  let count = 0;
  // A validator too, as every Lotse decision has one.
  const validator = (by: number) => {
    if (by <= 0) throw new Error('bump by a positive number');
  };
  setHandler(bump, (by) => (count += by), { validator });
  await condition(() => count < 0);
}
