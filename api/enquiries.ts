import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { PayloadCodec, UpdateDefinition } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../domain/decisions.js';
import { EnquiryId, Outcome, type EnquiryState } from '../domain/enquiry.js';
import { openSealed } from '../domain/personal-data.js';
import { AgencyId } from '../domain/reference.js';
import type { Opener } from '../infra/data-keys.js';
import { decodeEverywhere, mapJsonPayloads } from '../infra/payload-codec.js';
import {
  answerLead,
  castVote,
  closeEnquiry,
  decideForwarding,
  flagJointHandling,
  leadQuery,
  recordConsent,
  REFUSAL_TYPES,
  timelineQuery,
} from '../contract/enquiry-workflow.js';
import * as sa from '../contract/search-attributes.js';
import { callerOf, mayReadRawHistory } from './access.js';
import {
  notFoundFor,
  openerOf,
  timelineFor,
  viewFor,
  visibleEnquiry,
  withSealedNote,
  type ViewDeps,
} from './enquiry-views.js';
import type { Caller } from './auth.js';
import { bearer, IdParams, problems, type Tag } from './docs.js';
import { fieldErrors, Problem, temporalProblem } from './problem.js';
import { EnquiryView, History, LeadSchema, named } from './schemas.js';

export interface EnquiryDeps extends ViewDeps {
  /** Visibility queries cover only the enquiries of this deployment's task queue. */
  taskQueue: string;
  /** Decodes the payloads of a raw history exported for a manager. */
  codec: PayloadCodec;
}

const HistoryFormat = z.object({ format: z.enum(['timeline', 'temporal']).default('timeline') }).strict();
const Note = z.string().max(2000).optional().describe('why, for the audit timeline');
export const ForwardingBody = named(
  'ForwardingDecision',
  z
    .object({
      decision: z.enum(['approve', 'reject']),
      partners: z.array(AgencyId).optional().describe('which candidates, in order; default: all'),
      note: Note,
    })
    .strict(),
  { examples: [{ decision: 'approve', partners: ['wfg-nordsachsen'], note: 'Torgau passt' }] },
);
export const CloseBody = named('Close', z.object({ outcome: Outcome, note: Note }).strict(), {
  examples: [{ outcome: 'settled' }],
});
export const NoteBody = named('Note', z.object({ note: Note }).strict(), {
  examples: [{ note: 'Fläche passt, wir übernehmen' }],
});
export const VoteBody = named(
  'Vote',
  z.object({ office: z.string().min(1), decision: z.enum(['approve', 'reject']), note: Note }).strict(),
  { examples: [{ office: 'ob-leipzig', decision: 'approve' }] },
);
const EmptyBody = z.object({}).strict();

type Decision = {
  path: string;
  summary: string;
  operationId: string;
  tags: Tag[];
  access: 'staff' | 'staff_or_manager' | 'office_holder';
};

export function registerEnquiries(root: FastifyInstance, deps: EnquiryDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { temporal } = deps;

  app.get(
    '/v1/enquiries/:id',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['Enquiries'],
        operationId: 'getEnquiry',
        summary: 'The enquiry as the caller may see it',
        security: bearer,
        params: IdParams,
        response: { 200: EnquiryView, ...problems(401, 404, 503) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const { state } = await visibleEnquiry(deps, caller, req.params.id);
      return viewFor(deps, state, caller);
    },
  );

  app.get(
    '/v1/enquiries/:id/history',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['Enquiries'],
        operationId: 'getEnquiryHistory',
        summary:
          'The audit timeline, oldest first; ?format=temporal: the raw Temporal history, for managers answering for it',
        security: bearer,
        params: IdParams,
        querystring: HistoryFormat,
        response: { 200: History, ...problems(400, 401, 404, 503) },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const { handle, state } = await visibleEnquiry(deps, caller, req.params.id);
      if (req.query.format === 'temporal') {
        // Unredacted payloads: for the managers who answer for it; to anyone else it does not exist.
        if (!mayReadRawHistory(state, caller)) throw notFoundFor(caller, req.params.id);
        const { open } = await openerOf(deps, state.enquiryId);
        // The JSON the Temporal CLI and Web UI export: it can be replayed as it is.
        const history = await decodeEverywhere(await handle.fetchHistory(), deps.codec);
        // The personal data in it readable too, as it is to them everywhere else.
        mapJsonPayloads(history, (json) => openSealed(json, open));
        return reply.type('application/json').send(historyToJSON(history) as never);
      }
      return timelineFor(deps, req.params.id, await handle.query(timelineQuery));
    },
  );

  /**
   * A human decision in one round trip: the workflow's validator decides who may see
   * and who may decide (a stranger gets 404 from it), and the answer is the state after
   * the decision took effect, as the caller may see it.
   */
  const decision = <B extends z.ZodType, Args>(
    d: Decision,
    body: B,
    update: UpdateDefinition<EnquiryState, [Args]>,
    args: (b: z.infer<B>, actor: Actor) => Args,
  ) =>
    app.post(
      d.path,
      {
        config: { access: d.access },
        // Checked in the handler, after visibility: a stranger learns nothing, whatever it sends.
        attachValidation: true,
        schema: {
          tags: d.tags,
          operationId: d.operationId,
          summary: d.summary,
          security: bearer,
          params: IdParams,
          body,
          response: {
            200: EnquiryView.describe('The enquiry after the decision took effect'),
            ...problems(400, 401, 403, 404, 409, 503),
          },
        },
      },
      async (req) => {
        const caller = callerOf(req);
        const id = req.params.id;
        if (!EnquiryId.safeParse(id).success) throw notFoundFor(caller, id);
        // No body at all is an empty one (consent, joint handling); the route's validator saw it as missing.
        const input = body.safeParse(req.body ?? {});
        if (!input.success) {
          await visibleEnquiry(deps, caller, id);
          throw Problem.invalid('The body is invalid.', fieldErrors(input.error));
        }
        const { body: sealed, opener } = await withSealedNote(deps, id, input.data);
        return runUpdate(deps, caller, id, update, args(sealed, actorOf(caller)), opener);
      },
    );

  const staffOf = 'staff of the responsible agency';
  decision(
    // Managers decide forwarding too once it is overdue; the workflow's validator knows when.
    {
      path: '/v1/enquiries/:id/forwarding',
      summary: `Approve or reject forwarding (${staffOf}; its managers once overdue)`,
      operationId: 'decideForwarding',
      tags: ['Enquiries'],
      access: 'staff_or_manager',
    },
    ForwardingBody,
    decideForwarding,
    (b, actor) => ({ ...b, actor }),
  );
  decision(
    {
      path: '/v1/enquiries/:id/consent',
      summary: `Record the investor’s consent to share (${staffOf})`,
      operationId: 'recordConsent',
      tags: ['Enquiries'],
      access: 'staff',
    },
    EmptyBody,
    recordConsent,
    (_b, actor) => ({ actor }),
  );
  decision(
    {
      path: '/v1/enquiries/:id/close',
      summary: 'Close with an outcome (staff of a handling agency)',
      operationId: 'closeEnquiry',
      tags: ['Enquiries'],
      access: 'staff',
    },
    CloseBody,
    closeEnquiry,
    (b, actor) => ({ ...b, actor }),
  );
  decision(
    {
      path: '/v1/enquiries/:id/joint-handling',
      summary: 'Flag the project for joint handling (staff of a party)',
      operationId: 'flagJointHandling',
      tags: ['Joint handling'],
      access: 'staff',
    },
    EmptyBody,
    flagJointHandling,
    (_b, actor) => ({ actor }),
  );
  decision(
    {
      path: '/v1/enquiries/:id/joint-handling/votes',
      summary: 'Vote as the holder of an office',
      operationId: 'castVote',
      tags: ['Joint handling'],
      access: 'office_holder',
    },
    VoteBody,
    castVote,
    (b, actor) => ({ ...b, actor }),
  );
  decision(
    {
      path: '/v1/leads/:id/accept',
      summary: 'Accept the lead (staff of the partner it is offered to)',
      operationId: 'acceptLead',
      tags: ['Partners'],
      access: 'staff',
    },
    NoteBody,
    answerLead,
    (b, actor) => ({ answer: 'accept' as const, ...b, actor }),
  );
  decision(
    {
      path: '/v1/leads/:id/decline',
      summary: 'Decline the lead (staff of the partner it is offered to)',
      operationId: 'declineLead',
      tags: ['Partners'],
      access: 'staff',
    },
    NoteBody,
    answerLead,
    (b, actor) => ({ answer: 'decline' as const, ...b, actor }),
  );

  app.get(
    '/v1/leads',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['Partners'],
        operationId: 'listLeads',
        summary: 'Leads offered to the caller’s agency, newest first',
        security: bearer,
        response: { 200: z.array(LeadSchema), ...problems(401, 403, 503) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const query = `TaskQueue = '${deps.taskQueue}' AND ${sa.LeadPartners.name} = '${caller.agency}'`;
      const ids: string[] = [];
      for await (const wf of temporal.workflow.list({ query })) ids.push(wf.workflowId);
      // In parallel, each with its own deadline (the connection's): one that cannot answer holds up no other.
      const answers = await Promise.all(
        ids.map((id) =>
          temporal.workflow
            .getHandle(id)
            .query(leadQuery, caller.agency)
            .catch(() => null),
        ),
      );
      const leads = await Promise.all(
        answers.filter((l) => l !== null).map(async (l) => openSealed(l, (await openerOf(deps, l.enquiryId)).open)),
      );
      return leads.sort((a, b) => (b.offer?.offeredAt ?? '').localeCompare(a.offer?.offeredAt ?? ''));
    },
  );
}

const actorOf = (c: Caller): Actor => ({ sub: c.sub, agency: c.agency, roles: c.roles, offices: c.offices });

const REFUSAL_STATUS: Record<string, (m: string) => Problem> = {
  // The validator words it as visibleEnquiry does: whoever may not see it learns only that there is none.
  [REFUSAL_TYPES.not_found]: Problem.notFound,
  [REFUSAL_TYPES.forbidden]: Problem.forbidden,
  [REFUSAL_TYPES.conflict]: Problem.conflict,
  [REFUSAL_TYPES.invalid]: (m) => Problem.invalid(m, []),
};

/** Runs a decision; the workflow's validator answers at once, and a refusal leaves no trace in the history. */
async function runUpdate<Args>(
  deps: EnquiryDeps,
  caller: Caller,
  id: string,
  update: UpdateDefinition<EnquiryState, [Args]>,
  args: Args,
  opener?: Opener,
): Promise<z.infer<typeof EnquiryView>> {
  try {
    const state = await deps.temporal.workflow.getHandle(id).executeUpdate(update, { args: [args] });
    // The workflow answers redacted already; redacting again costs nothing and guards older workers.
    return viewFor(deps, state, caller, { taken: true, opener });
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type && REFUSAL_STATUS[cause.type])
      throw REFUSAL_STATUS[cause.type]!(cause.message);
    if (isNotFound(err)) {
      // Unknown, or closed: a closed enquiry still answers queries, and says whether the caller may see it.
      await visibleEnquiry(deps, caller, id);
      throw Problem.conflict('The enquiry is closed.');
    }
    throw (
      temporalProblem(err, 'Recording the decision') ??
      Problem.unavailable(`The decision could not be recorded right now: ${(err as Error).message}`)
    );
  }
}

const isNotFound = (err: unknown) =>
  err instanceof WorkflowNotFoundError ||
  (err as Error).name === 'WorkflowNotFoundError' ||
  /not found|already completed/i.test((err as Error).message);
