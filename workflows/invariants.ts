/**
 * A value the process is sure of at this point (a validator checked it, or the stage
 * set it before): named, so that a broken invariant fails the workflow task with the
 * reason instead of an anonymous TypeError, and Temporal retries it after a fix.
 */
export function given<T>(value: T | null | undefined, invariant: string): T {
  if (value === null || value === undefined) throw new Error(`invariant broken: ${invariant}`);
  return value;
}
