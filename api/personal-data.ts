import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EnquiryState, TimelineEntry } from '../domain/enquiry.js';
import { openSealed } from '../domain/personal-data.js';
import { ENQUIRY_EVENTS_STREAM, LEADS_STREAM } from '../domain/events.js';
import type { Agency } from '../domain/reference.js';
import { DEFAULT_RETENTION, erasureDue } from '../domain/retention.js';
import { CloudEventSchema } from '../domain/cloud-event.js';
import { readStream } from '../infra/event-log.js';
import type { NatsConnection } from '../infra/nats.js';
import { ERASURE_WORKFLOW, erasureWorkflowId, type ErasureWorkflow } from '../contract/erasure.js';
import { timelineQuery } from '../contract/enquiry-workflow.js';
import { callerOf } from './access.js';
import type { Caller } from './auth.js';
import { bearer, IdParams, problems } from './docs.js';
import type { EnquiryDeps } from './enquiries.js';
import { openerOf, timelineFor, viewFor, visibleEnquiry } from './enquiry-views.js';
import { Problem } from './problem.js';
import { EnquiryView, named, Timeline } from './schemas.js';

/** An investor's rights over the data Lotse holds: a copy of all of it (Art. 15 GDPR), its erasure (Art. 17). */

export interface PersonalDataDeps extends EnquiryDeps {
  temporal: Client;
  nats: NatsConnection;
  agencies: () => Agency[];
}

export const ErasureBody = named(
  'ErasureRequest',
  z
    .object({ reason: z.string().trim().min(1).max(500).describe('why, e.g. the investor’s request and its date') })
    .strict(),
  { examples: [{ reason: 'Antrag nach Art. 17 DSGVO vom 20.11.2026' }] },
);

const StoredMessage = z.object({ seq: z.int(), event: CloudEventSchema });
export const ExportDocument = named(
  'EnquiryExport',
  z.object({
    exportedAt: z.iso.datetime(),
    enquiryId: z.string(),
    enquiry: EnquiryView,
    timeline: z.array(Timeline),
    events: z.array(StoredMessage).describe('the enquiry’s events on NATS, notes readable'),
    leads: z.array(StoredMessage).describe('the leads sent to partners (to the caller’s agency only, for a partner)'),
    personalData: z.object({
      status: z.enum(['kept', 'erased']),
      erasedAt: z.iso.datetime().nullable(),
      reason: z.string().nullable(),
      erasureDueAt: z.iso.datetime().nullable().describe('when the retention ends; null while the enquiry is open'),
    }),
  }),
);

export function registerPersonalData(root: FastifyInstance, deps: PersonalDataDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/v1/enquiries/:id/erasure',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['Personal data'],
        operationId: 'erasePersonalData',
        summary: 'Erase the personal data of the enquiry at once (managers of the receiving or responsible agency)',
        description:
          'Destroys the enquiry’s data key and purges the leads that carried its data: every copy becomes ' +
          'unreadable. The enquiry keeps its non-personal facts, so the figures do not change. Repeating it ' +
          'answers the first erasure.',
        security: bearer,
        params: IdParams,
        body: ErasureBody,
        response: { 200: EnquiryView.describe('The enquiry after the erasure'), ...problems(400, 401, 403, 404, 503) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const { state } = await visibleEnquiry(deps, caller, req.params.id);
      if (caller.agency !== state.receivedBy && caller.agency !== state.responsibleAgency) {
        throw Problem.forbidden('Only managers of the receiving or responsible agency may erase its personal data.');
      }
      const { erasure } = await openerOf(deps, state.enquiryId);
      if (!erasure) await erase(deps, state, caller, req.body.reason);
      return viewFor(deps, state, caller);
    },
  );

  app.get(
    '/v1/enquiries/:id/export',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['Personal data'],
        operationId: 'exportEnquiry',
        summary: 'Everything Lotse holds about the enquiry, personal data included, as one JSON document',
        description: 'For a manager of an agency with a part in the enquiry, as far as that agency may see it.',
        security: bearer,
        params: IdParams,
        response: { 200: ExportDocument, ...problems(401, 403, 404, 503) },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const { handle, state } = await visibleEnquiry(deps, caller, req.params.id);
      const document = await exportOf(deps, state, caller, await handle.query(timelineQuery));
      return reply.header('content-disposition', `attachment; filename="lotse-${state.enquiryId}.json"`).send(document);
    },
  );
}

async function erase(deps: PersonalDataDeps, state: EnquiryState, caller: Caller, reason: string) {
  try {
    await deps.temporal.workflow.execute<ErasureWorkflow>(ERASURE_WORKFLOW, {
      workflowId: erasureWorkflowId(state.enquiryId),
      taskQueue: deps.taskQueue,
      // Two managers at once: both wait for the one erasure.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      args: [
        {
          enquiryId: state.enquiryId,
          agency: caller.agency,
          reason,
          by: `user:${caller.sub}@${caller.agency}`,
          at: new Date().toISOString(),
        },
      ],
    });
  } catch (err) {
    throw Problem.unavailable(`The personal data could not be erased right now: ${(err as Error).message}`);
  }
}

/**
 * The export: the enquiry, its timeline, its events and leads, readable as far as the
 * caller's agency may see them. A partner gets what its agency did and what was sent to
 * it: never which other partners were asked.
 */
async function exportOf(deps: PersonalDataDeps, state: EnquiryState, caller: Caller, timeline: TimelineEntry[]) {
  const id = state.enquiryId;
  const since = new Date(state.receivedAt);
  const own = caller.agency === state.receivedBy || caller.agency === state.responsibleAgency;
  const { open, erasure } = await openerOf(deps, id);
  const ofEnquiry = async (stream: string) =>
    (await readStream(deps.nats, stream, since)).filter((m) => m.event.subject === id);
  const events = (await ofEnquiry(ENQUIRY_EVENTS_STREAM)).filter(
    (m) => own || m.event.source === `urn:lotse:agency:${caller.agency}`,
  );
  const leads = (await ofEnquiry(LEADS_STREAM)).filter(
    (m) => own || (m.event.data as { lead?: { partner?: string } }).lead?.partner === caller.agency,
  );
  const closed = timeline.find((e) => e.type === 'closed');
  const retention = deps.agencies().find((a) => a.id === state.receivedBy)?.personalDataRetention;
  return {
    exportedAt: new Date().toISOString(),
    enquiryId: id,
    enquiry: await viewFor(deps, state, caller),
    timeline: await timelineFor(deps, caller, id, timeline),
    events: openSealed(events, open),
    leads,
    personalData: {
      status: erasure ? ('erased' as const) : ('kept' as const),
      erasedAt: erasure?.erasedAt ?? null,
      reason: erasure?.reason ?? null,
      erasureDueAt: closed
        ? erasureDue(new Date(closed.at), state.outcome, retention ?? DEFAULT_RETENTION).toISOString()
        : null,
    },
  };
}
