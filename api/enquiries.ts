import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { agenciesInvolved, EnquiryId, type EnquiryState } from '../domain/enquiry.js';
import { stateQuery, timelineQuery } from '../workflows/definitions.js';
import type { Authenticate, Caller } from './auth.js';
import { parseOr400, Problem } from './problem.js';

export interface EnquiryDeps {
  temporal: Client;
  authenticate: Authenticate;
}

const QUERY_DEADLINE_MS = 10_000;
const HistoryFormat = z.object({ format: z.enum(['timeline', 'temporal']).default('timeline') }).strict();

export function registerEnquiries(app: FastifyInstance, deps: EnquiryDeps) {
  app.get<{ Params: { id: string } }>('/v1/enquiries/:id', async (req) => {
    const caller = await staffOrManager(deps, req.headers.authorization);
    return (await visibleEnquiry(deps, caller, req.params.id)).state;
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>('/v1/enquiries/:id/history', async (req, reply) => {
    const caller = await staffOrManager(deps, req.headers.authorization);
    const { format } = parseOr400(HistoryFormat, req.query, 'query string');
    const { handle } = await visibleEnquiry(deps, caller, req.params.id);
    // The JSON the Temporal CLI and Web UI export: it can be replayed as it is.
    if (format === 'temporal') return reply.type('application/json').send(historyToJSON(await handle.fetchHistory()));
    return deps.temporal.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(timelineQuery));
  });
}

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
    state = await deps.temporal.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(stateQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound;
    throw Problem.unavailable(`The enquiry cannot be read right now: ${(err as Error).message}`);
  }
  if (!agenciesInvolved(state).includes(caller.agency)) throw notFound;
  return { handle, state };
}
