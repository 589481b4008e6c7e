import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { EnquiryId, type Assignee, type EnquiryState, type TimelineEntry } from '../domain/enquiry.js';
import { personOf } from '../domain/decisions.js';
import { openSealed } from '../domain/personal-data.js';
import { projectName, stateFor } from '../domain/redaction.js';
import { PersonalDataErased, type DataKeys, type Opener } from '../infra/data-keys.js';
import type { People } from '../infra/people.js';
import { stateQuery } from '../contract/enquiry-workflow.js';
import { canSee } from './access.js';
import type { Caller } from './auth.js';
import { Problem } from './problem.js';

/**
 * An enquiry as a caller may see it: found only when the caller's agency has a part in it,
 * redacted for it, and the personal data in it readable (or marked erased) after that.
 */

export interface ViewDeps {
  temporal: Client;
  /** Opens the personal data a caller may see, seals the notes people type. */
  dataKeys: DataKeys;
  /** Names the people who acted and who have a task (infra/people.ts). */
  people: People;
}

/**
 * The state as the caller may see it (redacted first), with the personal data in it
 * readable or marked erased. A decision already taken is answered even while the keys
 * cannot be read (NATS away): its personal values then say so. `opener`: one read a moment
 * before (the decision's note was sealed with it), instead of reading the key again.
 */
export async function viewFor(
  deps: ViewDeps,
  state: EnquiryState,
  caller: Caller,
  opts: { taken?: boolean; opener?: Opener } = {},
) {
  const { open, erasure } =
    opts.opener ??
    (await openerOf(deps, state.enquiryId).catch((err: Error) => {
      if (!opts.taken) throw err;
      return { open: () => 'vorübergehend nicht lesbar', erasure: null };
    }));
  const seen = stateFor(state, caller.agency);
  // Who of an agency has the task is that agency's business, whoever else sees the enquiry.
  const own = seen.assignees?.[caller.agency];
  return {
    ...openSealed(seen, open),
    assignees: namedAssignees(deps.people, own ? { [caller.agency]: own } : {}),
    projectName: projectName(state),
    personalDataErasedAt: erasure?.erasedAt ?? null,
  };
}

/** Who has the task, with the name Lotse knows for them. */
function namedAssignees(people: People, assignees: NonNullable<EnquiryState['assignees']>) {
  const named = Object.entries(assignees).map(([agency, a]) => [agency, { ...a, ...people.named(agency, a.sub) }]);
  return Object.fromEntries(named) as Record<string, Assignee & { name?: string }>;
}

/** The agency of the person who took the step (undefined for an agency's system or Lotse). */
const agencyOf = (x: TimelineEntry) => personOf(x.actor)?.agency;

function withoutAssignee(x: TimelineEntry, actorName: string | undefined) {
  const { assignee: _assignee, ...detail } = x.detail;
  return { ...x, detail, ...(actorName ? { actorName } : {}) };
}

/**
 * The timeline's people by name where Lotse knows one: who acted (`actorName`) and who had
 * the task (`assigneeName`, on a step taken by someone else, and on a step that assigned it).
 */
export function namedEntries(people: People, entries: TimelineEntry[], viewer: string) {
  return entries
    .filter((x) => x.type !== 'task_assigned' || agencyOf(x) === viewer)
    .map((x) => {
      const person = personOf(x.actor);
      if (!person) return x;
      const { sub, agency } = person;
      // Another agency's steps do not say who of it had the task.
      if (agency !== viewer) return withoutAssignee(x, people.nameOf(agency, sub));
      const assignee = typeof x.detail.assignee === 'string' ? people.nameOf(agency, x.detail.assignee) : undefined;
      const actorName = people.nameOf(agency, sub);
      return { ...x, ...(actorName ? { actorName } : {}), ...(assignee ? { assigneeName: assignee } : {}) };
    });
}

/** The enquiry's opener, or 503 while its key cannot be read. */
export async function openerOf(deps: ViewDeps, enquiryId: string) {
  try {
    return await deps.dataKeys.openerFor(enquiryId);
  } catch (err) {
    throw Problem.unavailable(`The enquiry's personal data cannot be read right now: ${(err as Error).message}`);
  }
}

/** The timeline with its notes readable, and the erasure of the personal data as its last entry. */
export async function timelineFor(deps: ViewDeps, caller: Caller, enquiryId: string, timeline: TimelineEntry[]) {
  const { open, erasure } = await openerOf(deps, enquiryId);
  const entries = openSealed(timeline, open);
  if (!erasure) return namedEntries(deps.people, entries, caller.agency);
  const erased = { at: erasure.erasedAt, type: 'personal_data_erased', actor: erasure.by, detail: {} };
  return namedEntries(deps.people, [...entries, { ...erased, detail: { reason: erasure.reason } }], caller.agency);
}

/**
 * A note a person typed, sealed with the enquiry's key before the workflow sees it; and,
 * for a body with a note, the opener of the same read for the answer.
 */
export async function withSealedNote<B>(
  deps: ViewDeps,
  enquiryId: string,
  body: B,
): Promise<{ body: B; opener?: Opener }> {
  const note = (body as { note?: unknown }).note;
  if (typeof note !== 'string') return { body };
  try {
    const { seal, opener } = await deps.dataKeys.sealerAndOpenerFor(enquiryId);
    return { body: seal ? { ...body, note: seal(note) } : body, opener };
  } catch (err) {
    if (err instanceof PersonalDataErased) {
      throw Problem.conflict(
        'The personal data of this enquiry was erased: a note cannot be kept. Decide without one.',
      );
    }
    throw Problem.unavailable(`The note cannot be kept safe right now: ${(err as Error).message}`);
  }
}

/** The enquiry, if the caller's agency has a part in it; otherwise 404, never revealing that it exists. */
export async function visibleEnquiry(deps: ViewDeps, caller: Caller, id: string) {
  const notFound = notFoundFor(caller, id);
  if (!EnquiryId.safeParse(id).success) throw notFound;
  const handle = deps.temporal.workflow.getHandle(id);
  let state: EnquiryState;
  try {
    // A read may wait on the worker: the connection gives every call a deadline.
    state = await handle.query(stateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound;
    throw Problem.unavailable(`The enquiry cannot be read right now: ${(err as Error).message}`);
  }
  if (!canSee(state, caller)) throw notFound;
  return { handle, state };
}

export const notFoundFor = (caller: Caller, id: string) =>
  Problem.notFound(`There is no enquiry "${id}" for agency "${caller.agency}".`);
