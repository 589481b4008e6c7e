import { condition } from '@temporalio/workflow';
import type { DeadlineAt } from '../contract/assessment.js';
import type { Period } from '../domain/working-days.js';
import { deadlineFor } from './activities.js';

/**
 * A deadline may count Arbeitstage, in the calendar of the agency that must act (its
 * Land's holidays, its closing days, its end of day). The instant is computed in an
 * activity, so the workflow replays the instant it got. (Not a local activity: those met
 * patch markers out of place on replay (docs/capacity.md).)
 */
export interface Deadline {
  /** The instant shown in the state, the tasks and the events (ISO 8601). */
  due: string;
  withinMs: number;
  reminderAfterMs: number;
}

/** When a wait that starts now ends and when it reminds, in the calendar of the agency that must act. */
export async function deadlineIn(agency: string, within: Period, reminderAfter: Period): Promise<Deadline> {
  return waitUntil(await deadlineFor({ agency, from: new Date().toISOString(), within, reminderAfter }));
}

/** A wait that starts now, until instants an activity computed. */
export function waitUntil(at: DeadlineAt): Deadline {
  const now = Date.now();
  // A timer needs at least a millisecond; a deadline already passed ends the wait at once.
  const msUntil = (iso: string) => Math.max(1, Date.parse(iso) - now);
  return { due: at.due, withinMs: msUntil(at.due), reminderAfterMs: msUntil(at.remindAt) };
}

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
  remind: () => void,
): Promise<boolean> {
  if (reminderAfterMs >= withinMs) return condition(done, withinMs);
  if (await condition(done, reminderAfterMs)) return true;
  remind();
  return condition(done, withinMs - reminderAfterMs);
}
