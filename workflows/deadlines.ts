import { condition } from '@temporalio/workflow';

/**
 * The one way Lotse waits for a person: until `done`, for at most `withinMs`, with one
 * reminder at `reminderAfterMs`. The rule for a reminder that would fall at or after
 * the deadline: it is not sent — the deadline's own consequence (escalation, expiry, a
 * missing vote counting as no) is what the people concerned hear about then.
 * Resolves true when done in time.
 */
export async function waitWithReminder(
  done: () => boolean,
  withinMs: number,
  reminderAfterMs: number,
  remind: () => Promise<void>,
): Promise<boolean> {
  if (reminderAfterMs >= withinMs) return condition(done, withinMs);
  if (await condition(done, reminderAfterMs)) return true;
  await remind();
  return condition(done, withinMs - reminderAfterMs);
}
