import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { openSealed } from '../domain/personal-data.js';
import { answerLead, leadQuery } from '../contract/enquiry-workflow.js';
import type { ReadModel } from '../infra/read-model/index.js';
import { offeredTo } from '../infra/read-model/queries.js';
import type { PlaceIndex } from '../domain/places.js';
import { searchFor, SearchWords } from './search.js';
import { callerOf } from './access.js';
import { postDecision } from './decision-route.js';
import { NoteBody } from './decisions.js';
import { openerOf, type ViewDeps } from './enquiry-views.js';
import { bearer, problems } from './docs.js';
import { LeadSchema } from './schemas.js';

/** The leads forwarded to a partner agency: its staff answer them and list them. */

export interface LeadDeps extends ViewDeps {
  /** Which enquiries' leads went to an agency. */
  readModel: ReadModel;
  /** Places by name, for a search (api/search.ts). */
  places: () => PlaceIndex;
}

/** The newest this many leads: each one is read from its workflow. */
const NEWEST_LEADS = 200;

export function registerLeads(root: FastifyInstance, deps: LeadDeps) {
  postDecision(
    root,
    deps,
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
  postDecision(
    root,
    deps,
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
  registerLeadList(root, deps);
}

function registerLeadList(root: FastifyInstance, deps: LeadDeps) {
  const { temporal } = deps;
  root.withTypeProvider<ZodTypeProvider>().get(
    '/v1/leads',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['Partners'],
        operationId: 'listLeads',
        summary: 'Leads offered to the caller’s agency, newest first',
        security: bearer,
        querystring: z.object({ q: SearchWords }).strict(),
        response: { 200: z.array(LeadSchema), ...problems(400, 401, 403, 503) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const search = req.query.q ? searchFor(req.query.q, caller.agency, deps) : undefined;
      const ids = (await offeredTo(deps.readModel.db, caller.agency, NEWEST_LEADS, search)).map((r) => r.enquiry_id);
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
