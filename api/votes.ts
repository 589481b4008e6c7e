import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EnquiryState } from '../domain/enquiry.js';
import { stateQuery } from '../contract/enquiry-workflow.js';
import type { ReadModel } from '../infra/read-model/index.js';
import { votedOn as votesOf } from '../infra/read-model/queries.js';
import { callerOf, canSee } from './access.js';
import type { Caller } from './auth.js';
import { viewFor, type ViewDeps } from './enquiry-views.js';
import { bearer, problems } from './docs.js';
import { EnquiryView } from './schemas.js';

/**
 * The votes of the caller's offices, open and past, with their outcome: the read model knows
 * which enquiries the offices vote on (`offices`, `<agency>:<officeId>`, so an office counts
 * only with a token of its own agency), each one's state shows the vote as the caller may
 * see it. A partner's Landrat votes on enquiries his agency has no part in until joint
 * handling is approved: the offices, not the agency, decide.
 */

export interface VoteDeps extends ViewDeps {
  readModel: ReadModel;
}

/** The newest this many projects that went to a vote: years of them at the agreements' thresholds. */
const NEWEST = 200;

export function registerVotes(root: FastifyInstance, deps: VoteDeps) {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/v1/votes',
    {
      config: { access: 'office_holder' },
      schema: {
        tags: ['Joint handling'],
        operationId: 'listVotes',
        summary: 'The votes of the caller’s offices, open and past, newest first, as the caller may see them',
        security: bearer,
        response: { 200: z.array(EnquiryView), ...problems(401, 403, 503) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const offices = caller.offices.map((o) => `${caller.agency}:${o}`);
      const ids = (await votesOf(deps.readModel.db, offices, NEWEST)).map((r) => r.enquiry_id);
      const states = await Promise.all(ids.map((id) => votedOn(deps, id, caller)));
      const mine = states.filter((s): s is EnquiryState => s !== null);
      return Promise.all(mine.map((s) => viewFor(deps, s, caller)));
    },
  );
}

/** The enquiry's state when one of the caller's offices votes on it; null otherwise, or when it cannot answer. */
async function votedOn(deps: VoteDeps, id: string, caller: Caller): Promise<EnquiryState | null> {
  const state = await deps.temporal.workflow
    .getHandle(id)
    .query(stateQuery)
    .catch(() => null);
  if (!state?.jointHandling || !canSee(state, caller)) return null;
  const offices = state.jointHandling.offices.filter((o) => o.agency === caller.agency);
  return offices.some((o) => caller.offices.includes(o.id)) ? state : null;
}
