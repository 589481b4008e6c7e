import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { UpdateDefinition } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../domain/decisions.js';
import { EnquiryId, Outcome, type EnquiryState } from '../domain/enquiry.js';
import { AgencyId } from '../domain/reference.js';
import { stateFor } from '../domain/redaction.js';
import { answerLead, castVote, closeEnquiry, decideForwarding, flagJointHandling, leadQuery, recordConsent, REFUSAL_TYPES, stateQuery, timelineQuery } from '../workflows/definitions.js';
import * as sa from '../workflows/search-attributes.js';
import { callerOf, canSee } from './access.js';
import type { Caller } from './auth.js';
import { parseOr400, Problem } from './problem.js';

export interface EnquiryDeps {
  temporal: Client;
  /** Visibility queries cover only the enquiries of this deployment's task queue. */
  taskQueue: string;
}

const DEADLINE_MS = 10_000;
const HistoryFormat = z.object({ format: z.enum(['timeline', 'temporal']).default('timeline') }).strict();
const Note = z.string().max(2000).optional();
export const ForwardingBody = z.object({ decision: z.enum(['approve', 'reject']), partners: z.array(AgencyId).optional(), note: Note }).strict();
export const CloseBody = z.object({ outcome: Outcome, note: Note }).strict();
export const NoteBody = z.object({ note: Note }).strict();
export const VoteBody = z.object({ office: z.string().min(1), decision: z.enum(['approve', 'reject']), note: Note }).strict();
const EmptyBody = z.object({}).strict();

export function registerEnquiries(app: FastifyInstance, deps: EnquiryDeps) {
  const { temporal } = deps;
  const within = <T>(fn: () => Promise<T>) => withinDeadline(temporal, fn);

  app.get<{ Params: { id: string } }>('/v1/enquiries/:id', { config: { access: 'signed_in' } }, async (req) => {
    const caller = callerOf(req);
    const { state } = await visibleEnquiry(deps, caller, req.params.id);
    return stateFor(state, caller.agency);
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/v1/enquiries/:id/history', { config: { access: 'signed_in' } }, async (req, reply) => {
    const caller = callerOf(req);
    const { format } = parseOr400(HistoryFormat, req.query, 'query string');
    const { handle } = await visibleEnquiry(deps, caller, req.params.id);
    // The JSON the Temporal CLI and Web UI export: it can be replayed as it is.
    if (format === 'temporal') return reply.type('application/json').send(historyToJSON(await handle.fetchHistory()));
    return within(() => handle.query(timelineQuery));
  });

  /** A human decision: the route's policy, 404 for what the caller may not see, then the workflow's validator decides. */
  const decision = <B extends z.ZodType, Args>(
    path: string,
    access: 'staff' | 'staff_or_manager' | 'office_holder',
    body: B,
    update: UpdateDefinition<EnquiryState, [Args]>,
    args: (b: z.infer<B>, actor: Actor) => Args,
  ) =>
    app.post<{ Params: { id: string } }>(path, { config: { access } }, async (req) => {
      const caller = callerOf(req);
      // Visibility first: a stranger learns nothing, whatever it sends.
      const { handle } = await visibleEnquiry(deps, caller, req.params.id);
      const input = parseOr400(body, req.body ?? {}, 'body');
      const state = await runUpdate(handle, update, args(input, actorOf(caller)));
      return stateFor(state, caller.agency);
    });

  // Managers decide forwarding too once it is overdue; the workflow's validator knows when.
  decision('/v1/enquiries/:id/forwarding', 'staff_or_manager', ForwardingBody, decideForwarding, (b, actor) => ({ ...b, actor }));
  decision('/v1/enquiries/:id/consent', 'staff', EmptyBody, recordConsent, (_b, actor) => ({ actor }));
  decision('/v1/enquiries/:id/close', 'staff', CloseBody, closeEnquiry, (b, actor) => ({ ...b, actor }));
  decision('/v1/enquiries/:id/joint-handling', 'staff', EmptyBody, flagJointHandling, (_b, actor) => ({ actor }));
  decision('/v1/enquiries/:id/joint-handling/votes', 'office_holder', VoteBody, castVote, (b, actor) => ({ ...b, actor }));
  decision('/v1/leads/:id/accept', 'staff', NoteBody, answerLead, (b, actor) => ({ answer: 'accept' as const, ...b, actor }));
  decision('/v1/leads/:id/decline', 'staff', NoteBody, answerLead, (b, actor) => ({ answer: 'decline' as const, ...b, actor }));

  app.get('/v1/leads', { config: { access: 'staff' } }, async (req) => {
    const caller = callerOf(req);
    const query = `TaskQueue = '${deps.taskQueue}' AND ${sa.LeadPartners.name} = '${caller.agency}'`;
    const ids: string[] = [];
    for await (const wf of temporal.workflow.list({ query })) ids.push(wf.workflowId);
    // In parallel, each with its own deadline: one enquiry that cannot answer does not hold up the others.
    const answers = await Promise.all(ids.map((id) => within(() => temporal.workflow.getHandle(id).query(leadQuery, caller.agency)).catch(() => null)));
    const leads = answers.filter((l) => l !== null);
    return leads.sort((a, b) => (b.offer?.offeredAt ?? '').localeCompare(a.offer?.offeredAt ?? ''));
  });
}

/** Reads from a workflow may wait on its worker: never longer than this. */
const withinDeadline = <T>(temporal: Client, fn: () => Promise<T>) => temporal.withDeadline(Date.now() + DEADLINE_MS, fn);

const actorOf = (c: Caller): Actor => ({ sub: c.sub, agency: c.agency, roles: c.roles, offices: c.offices });

/** The enquiry, if the caller's agency has a part in it; otherwise 404, never revealing that it exists. */
async function visibleEnquiry(deps: EnquiryDeps, caller: Caller, id: string) {
  const notFound = Problem.notFound(`There is no enquiry "${id}" for agency "${caller.agency}".`);
  if (!EnquiryId.safeParse(id).success) throw notFound;
  const handle = deps.temporal.workflow.getHandle(id);
  let state: EnquiryState;
  try {
    state = await withinDeadline(deps.temporal, () => handle.query(stateQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound;
    throw Problem.unavailable(`The enquiry cannot be read right now: ${(err as Error).message}`);
  }
  if (!canSee(state, caller)) throw notFound;
  return { handle, state };
}

const REFUSAL_STATUS: Record<string, (m: string) => Problem> = {
  [REFUSAL_TYPES.forbidden]: Problem.forbidden,
  [REFUSAL_TYPES.conflict]: Problem.conflict,
  [REFUSAL_TYPES.invalid]: (m) => Problem.invalid(m, []),
};

/** Runs a decision; the workflow's validator answers at once, and a refusal leaves no trace in the history. */
async function runUpdate<Args>(handle: WorkflowHandle, update: UpdateDefinition<EnquiryState, [Args]>, args: Args): Promise<EnquiryState> {
  try {
    return await handle.executeUpdate(update, { args: [args] });
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type && REFUSAL_STATUS[cause.type]) throw REFUSAL_STATUS[cause.type]!(cause.message);
    if (err instanceof WorkflowNotFoundError || (err as Error).name === 'WorkflowNotFoundError') throw Problem.conflict('The enquiry is no longer open.');
    throw Problem.unavailable(`The decision could not be recorded right now: ${(err as Error).message}`);
  }
}
