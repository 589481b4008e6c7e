import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Actor } from '../domain/decisions.js';
import { EnquiryId, type EnquiryState } from '../domain/enquiry.js';
import type { Opener } from '../infra/data-keys.js';
import { REFUSAL_TYPES } from '../contract/enquiry-workflow.js';
import { callerOf } from './access.js';
import { notFoundFor, viewFor, visibleEnquiry, withSealedNote, type ViewDeps } from './enquiry-views.js';
import type { Caller } from './auth.js';
import { bearer, IdParams, problems, type Tag } from './docs.js';
import { fieldErrors, Problem, temporalProblem } from './problem.js';
import { EnquiryView } from './schemas.js';

/** A decision as a route: one helper for every decision, and the Update it runs. */

export type Decision = {
  path: string;
  summary: string;
  operationId: string;
  tags: Tag[];
  access: 'staff' | 'staff_or_manager' | 'signed_in';
  /**
   * Who may take it, when the route lets every signed-in caller in: checked after visibility, so that
   * a caller who may not see the enquiry learns only that there is none (404), the others why not (403).
   */
  allowed?: (caller: Caller) => Problem | null;
  /** What the api checks beyond the body's shape (the workflow cannot): a refusal, or null. */
  check?: (body: never, caller: Caller) => Problem | null;
};

/**
 * A human decision in one round trip: the workflow's validator decides who may see
 * and who may decide (a stranger gets 404 from it), and the answer is the state after
 * the decision took effect, as the caller may see it.
 */
export function postDecision<B extends z.ZodType, Args>(
  root: FastifyInstance,
  deps: ViewDeps,
  d: Decision,
  body: B,
  update: UpdateDefinition<EnquiryState, [Args]>,
  args: (b: z.infer<B>, actor: Actor) => Args,
) {
  root.withTypeProvider<ZodTypeProvider>().post(
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
      const refused =
        d.allowed?.(caller) ??
        (input.success
          ? d.check?.(input.data as never, caller)
          : Problem.invalid('The body is invalid.', fieldErrors(input.error)));
      if (refused || !input.success) {
        await visibleEnquiry(deps, caller, id);
        throw refused;
      }
      const { body: sealed, opener } = await withSealedNote(deps, id, input.data);
      return runUpdate(deps, caller, id, update, args(sealed, actorOf(caller)), opener);
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
  deps: ViewDeps,
  caller: Caller,
  id: string,
  update: UpdateDefinition<EnquiryState, [Args]>,
  args: Args,
  opener?: Opener,
): Promise<z.infer<typeof EnquiryView>> {
  try {
    const state = await deps.temporal.workflow.getHandle(id).executeUpdate(update, { args: [args] });
    // Redacted by the workflow already (redacting again changes nothing); the view opens the sealed notes.
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
