import { deprecatePatch, patched } from '@temporalio/workflow';

/**
 * Every change of the enquiry workflow's behaviour since Lotse 1.0, in one place. Enquiries
 * wait for weeks: the code of a later release must replay the history an enquiry already
 * has, so each change of behaviour is one flat branch on a patch id listed here:
 *
 *   if (since('forwarding-reminder-twice')) { new behaviour } else { old behaviour }
 *
 * Steps, each in a release of its own (temporalio/samples-typescript, `patching-api`):
 * 1. Patch: add the id below with what it changes and the release that brings it; branch
 *    with `since(id)`; record replay fixtures of the new path (`RECORD_HISTORIES=1 npx
 *    vitest run test/integration/replay.test.ts`) and keep the old ones.
 * 2. Deprecate, once no enquiry the namespace still keeps (open, or closed within its
 *    retention: reads replay those too) was started before the patch (a visibility query
 *    on `LotseRelease` tells): drop the old branch, call `deprecated(id)` where it was, set
 *    `deprecatedIn`.
 * 3. Remove, once no enquiry the namespace keeps carries the marker: drop the call, the id
 *    and its fixtures.
 *
 * This file is the only one that may call Temporal's patched() or deprecatePatch(): the
 * lint rule `no-restricted-imports` (eslint.config.mjs) says so for every other file.
 * Lotse 1.0.0 had none: it was cut without the patches of the releases before it.
 *
 * A new update or query (assignTask, joinHandling; setSource, 1.2) and a new workflow type (firmCareWorkflow, 1.1;
 * programmeReport, 1.2) need no patch: histories without them replay unchanged. Nor do new fields of what an activity
 * answers or an event carries (a proposed site's `ags`, the summary's `source` and `proposedPlaces`, 1.2): they are
 * no commands. The firm's workflow follows the same steps from its first change on.
 */
export const PATCHES = {
  'read-model-summary': {
    changes:
      "every batch of events carries the enquiry's summary (data.summary); a change of state without an event " +
      'of its own goes out as status_changed',
    since: '1.1.0',
  },
} as const satisfies Record<string, Patch>;

export interface Patch {
  /** What the new path does differently. */
  changes: string;
  /** The release that brought it (CHANGELOG.md). */
  since: string;
  /** The release from which no enquiry runs the old path any more. */
  deprecatedIn?: string;
}

export type PatchId = keyof typeof PATCHES;

/** True where the enquiry runs the code of this patch (every enquiry started since, and new ones). */
export function since(id: PatchId): boolean {
  return patched(id);
}

/** The old path of this patch is gone; enquiries that recorded its marker still replay. */
export function deprecated(id: PatchId): void {
  deprecatePatch(id);
}
