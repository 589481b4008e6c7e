import type { PayloadCodec } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EnquiryStatus } from '../domain/enquiry.js';
import { openSealed } from '../domain/personal-data.js';
import type { ReadModel } from '../infra/read-model/index.js';
import { decodeEverywhere, mapJsonPayloads } from '../infra/payload-codec.js';
import { timelineQuery } from '../contract/enquiry-workflow.js';
import { callerOf, mayReadRawHistory } from './access.js';
import { notFoundFor, openerOf, timelineFor, viewFor, visibleEnquiry, type ViewDeps } from './enquiry-views.js';
import { bearer, IdParams, problems } from './docs.js';
import { Problem } from './problem.js';
import { EnquiryView, History } from './schemas.js';

/** Reading one enquiry: its state and its history, as the caller may see them. */

export interface EnquiryDeps extends ViewDeps {
  /** Visibility queries cover only the enquiries of this deployment's task queue. */
  taskQueue: string;
  /** Whether the lists show the enquiry as it is. */
  readModel: ReadModel;
  /** Decodes the payloads of a raw history exported for a manager. */
  codec: PayloadCodec;
}

const HistoryFormat = z.object({ format: z.enum(['timeline', 'temporal']).default('timeline') }).strict();

export function registerEnquiries(root: FastifyInstance, deps: EnquiryDeps) {
  registerState(root, deps);
  registerHistory(root, deps);
}

function registerState(root: FastifyInstance, deps: EnquiryDeps) {
  root.withTypeProvider<ZodTypeProvider>().get(
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
      const [view, listed] = await Promise.all([viewFor(deps, state, caller), listedAs(deps, state.enquiryId)]);
      if (listed === undefined) return view;
      const waiting = [...new Set(state.deadlines.map((d) => d.who))].sort().join();
      const current = listed !== null && listed.status === state.status && listed.waitingOn === waiting;
      return { ...view, listed: { status: listed?.status ?? null, current } };
    },
  );
}

/**
 * How the lists show the enquiry (the read model's status and who must act), null when they do
 * not list it yet, undefined when the read model cannot answer now (then the answer says nothing).
 */
async function listedAs(deps: EnquiryDeps, enquiryId: string) {
  try {
    const row = await deps.readModel.db
      .selectFrom('enquiries')
      .select(['status', 'waiting_on'])
      .where('enquiry_id', '=', enquiryId)
      .executeTakeFirst();
    if (!row) return null;
    const status = row.status as z.infer<typeof EnquiryStatus>;
    return { status, waitingOn: [...row.waiting_on].sort().join() };
  } catch {
    return undefined;
  }
}

function registerHistory(root: FastifyInstance, deps: EnquiryDeps) {
  root.withTypeProvider<ZodTypeProvider>().get(
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
      const timeline = await handle.query(timelineQuery).catch((err: Error) => {
        // Asked the moment it closes, a workflow may not answer: the reader asks again shortly.
        throw Problem.unavailable(`The enquiry's history cannot be read right now: ${err.message}`);
      });
      return timelineFor(deps, caller, req.params.id, timeline);
    },
  );
}
