import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EnquiryState } from '../domain/enquiry.js';
import * as sa from '../contract/search-attributes.js';
import { enquiriesOf, stateQuery } from '../contract/enquiry-workflow.js';
import { callerOf, canSee } from './access.js';
import type { Caller } from './auth.js';
import { viewFor, type ViewDeps } from './enquiry-views.js';
import { bearer, problems } from './docs.js';
import { EnquiryView } from './schemas.js';
import { everyOne } from './visibility.js';

/**
 * The votes of the caller's offices, open and past, with their outcome. A vote makes an
 * enquiry significant (search attribute `LotseSignificant`), and such projects are few
 * (the agreements' thresholds: hundreds of jobs, tens of millions): the visibility store
 * lists them, and each one's state tells whether one of the caller's offices votes on it.
 * The office's agency cannot narrow the query: a partner's Landrat votes on enquiries his
 * agency has no part in until joint handling is approved.
 */

export interface VoteDeps extends ViewDeps {
  taskQueue: string;
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
      const query = `${enquiriesOf(deps.taskQueue)} AND ${sa.Significant.name} = true`;
      const ids: string[] = [];
      for await (const e of everyOne(deps.temporal, query, NEWEST, 1)) ids.push(e.enquiryId);
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
