import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { UpdateDefinition } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../domain/decisions.js';
import { agenciesInvolved, EnquiryId, Outcome, type EnquiryState } from '../domain/enquiry.js';
import { AgencyId } from '../domain/reference.js';
import { stateFor } from '../domain/redaction.js';
import { answerLead, closeEnquiry, decideForwarding, leadQuery, recordConsent, REFUSAL_TYPES, stateQuery, timelineQuery } from '../workflows/definitions.js';
import * as sa from '../workflows/search-attributes.js';
import type { Authenticate, Caller } from './auth.js';
import { parseOr400, Problem } from './problem.js';

export interface EnquiryDeps {
  temporal: Client;
  authenticate: Authenticate;
}

const DEADLINE_MS = 10_000;
const HistoryFormat = z.object({ format: z.enum(['timeline', 'temporal']).default('timeline') }).strict();
const Note = z.string().max(2000).optional();
export const ForwardingBody = z.object({ decision: z.enum(['approve', 'reject']), partners: z.array(AgencyId).optional(), note: Note }).strict();
export const CloseBody = z.object({ outcome: Outcome, note: Note }).strict();
export const NoteBody = z.object({ note: Note }).strict();
const EmptyBody = z.object({}).strict();

export function registerEnquiries(app: FastifyInstance, deps: EnquiryDeps) {
  const { temporal } = deps;
  const within = <T>(fn: () => Promise<T>) => temporal.withDeadline(Date.now() + DEADLINE_MS, fn);

  app.get<{ Params: { id: string } }>('/v1/enquiries/:id', async (req) => {
    const caller = await staffOrManager(deps, req.headers.authorization);
    const { state } = await visibleEnquiry(deps, caller, req.params.id);
    return stateFor(state, caller.agency);
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/v1/enquiries/:id/history', async (req, reply) => {
    const caller = await staffOrManager(deps, req.headers.authorization);
    const { format } = parseOr400(HistoryFormat, req.query, 'query string');
    const { handle } = await visibleEnquiry(deps, caller, req.params.id);
    // The JSON the Temporal CLI and Web UI export: it can be replayed as it is.
    if (format === 'temporal') return reply.type('application/json').send(historyToJSON(await handle.fetchHistory()));
    return within(() => handle.query(timelineQuery));
  });

  /** A human decision: authenticate, 404 for what the caller may not see, then the workflow's validator decides. */
  const decision = <B extends z.ZodType, Args>(path: string, body: B, update: UpdateDefinition<EnquiryState, [Args]>, args: (b: z.infer<B>, actor: Actor) => Args) =>
    app.post<{ Params: { id: string } }>(path, async (req) => {
      const caller = await deps.authenticate(req.headers.authorization);
      const input = parseOr400(body, req.body ?? {}, 'body');
      const { handle } = await visibleEnquiry(deps, caller, req.params.id);
      const state = await runUpdate(handle, update, args(input, actorOf(caller)));
      return stateFor(state, caller.agency);
    });

  decision('/v1/enquiries/:id/forwarding', ForwardingBody, decideForwarding, (b, actor) => ({ ...b, actor }));
  decision('/v1/enquiries/:id/consent', EmptyBody, recordConsent, (_b, actor) => ({ actor }));
  decision('/v1/enquiries/:id/close', CloseBody, closeEnquiry, (b, actor) => ({ ...b, actor }));
  decision('/v1/leads/:id/accept', NoteBody, answerLead, (b, actor) => ({ answer: 'accept' as const, ...b, actor }));
  decision('/v1/leads/:id/decline', NoteBody, answerLead, (b, actor) => ({ answer: 'decline' as const, ...b, actor }));

  app.get('/v1/leads', async (req) => {
    const caller = await deps.authenticate(req.headers.authorization);
    if (!caller.roles.includes('staff')) throw Problem.forbidden('Only staff read their agency’s leads.');
    const leads = [];
    const query = `${sa.LeadPartners.name} = '${caller.agency}'`;
    for await (const wf of temporal.workflow.list({ query })) {
      const lead = await within(() => temporal.workflow.getHandle(wf.workflowId).query(leadQuery, caller.agency)).catch(() => null);
      if (lead) leads.push(lead);
    }
    return leads.sort((a, b) => (b.offer?.offeredAt ?? '').localeCompare(a.offer?.offeredAt ?? ''));
  });
}

const actorOf = (c: Caller): Actor => ({ sub: c.sub, agency: c.agency, roles: c.roles, offices: c.offices });

async function staffOrManager(deps: EnquiryDeps, authorization: string | undefined): Promise<Caller> {
  const caller = await deps.authenticate(authorization);
  if (!caller.roles.some((r) => r === 'staff' || r === 'manager')) {
    throw Problem.forbidden('Only staff and managers of an agency read enquiries.');
  }
  return caller;
}

/** The enquiry, if the caller's agency has a part in it; otherwise 404, never revealing that it exists. */
async function visibleEnquiry(deps: EnquiryDeps, caller: Caller, id: string) {
  const notFound = Problem.notFound(`There is no enquiry "${id}" for agency "${caller.agency}".`);
  if (!EnquiryId.safeParse(id).success) throw notFound;
  const handle = deps.temporal.workflow.getHandle(id);
  let state: EnquiryState;
  try {
    state = await deps.temporal.withDeadline(Date.now() + DEADLINE_MS, () => handle.query(stateQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound;
    throw Problem.unavailable(`The enquiry cannot be read right now: ${(err as Error).message}`);
  }
  if (!agenciesInvolved(state).includes(caller.agency)) throw notFound;
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
