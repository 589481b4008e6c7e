import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EnquiryStatus } from '../domain/enquiry.js';
import { who } from '../domain/parties.js';
import { AgencyId } from '../domain/reference.js';
import { calendarYear, computeStats, type Listed } from '../domain/stats.js';
import { readEventsSince } from '../infra/event-log.js';
import type { NatsConnection } from '../infra/nats.js';
import * as sa from '../contract/search-attributes.js';
import { ENQUIRY_WORKFLOW } from '../contract/enquiry-workflow.js';
import { callerOf } from './access.js';
import type { Caller } from './auth.js';
import type { CursorCodec } from './cursor.js';
import { bearer, problems } from './docs.js';
import { EnquiryList, StatsSchema, Summary, Task } from './schemas.js';

/**
 * What managers and everyone with a decision to make read: lists, tasks, figures. All
 * from visibility or events, never by asking every workflow.
 */

const Moment = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((s) => new Date(s));
const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ListQuery = z
  .object({
    status: EnquiryStatus.optional(),
    agency: AgencyId.optional().describe('another agency that has a part in the enquiry too'),
    receivedBy: AgencyId.optional(),
    responsibleAgency: AgencyId.optional(),
    handlingAgency: AgencyId.optional(),
    significant: Bool.optional(),
    from: Moment.optional().describe('received at or after'),
    to: Moment.optional().describe('received before'),
    cursor: z.string().max(2000).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const StatsQuery = z
  .object({
    from: Moment.optional().describe('received at or after; default: 1 January of this year (Europe/Berlin)'),
    to: Moment.optional().describe('received before; default: 1 January of the next year'),
  })
  .strict()
  .transform((q) => {
    const year = calendarYear(q.from ?? q.to ?? new Date());
    return {
      from: q.from ?? year.from,
      to: q.to ?? year.to,
      period: q.from || q.to ? ('requested' as const) : ('calendar_year_default' as const),
    };
  })
  .refine((q) => q.from < q.to, { message: 'must be after from', path: ['to'] });

// Values reach the query only after zod allowed them (slugs, enums, dates): nothing to escape.
const eq = (key: { name: string }, value: string) => `${key.name} = '${value}'`;

type ListFilter = Omit<z.infer<typeof ListQuery>, 'cursor' | 'limit'>;

/** Which enquiries a caller may list: one rule for the listing and the figures. */
function listQuery(taskQueue: string, caller: Caller, q: ListFilter): string {
  const parts = [`TaskQueue = '${taskQueue}'`, `WorkflowType = '${ENQUIRY_WORKFLOW}'`, eq(sa.Agencies, caller.agency)];
  if (q.status) parts.push(eq(sa.Status, q.status));
  if (q.agency) parts.push(eq(sa.Agencies, q.agency));
  if (q.receivedBy) parts.push(eq(sa.ReceivedBy, q.receivedBy));
  if (q.responsibleAgency) parts.push(eq(sa.ResponsibleAgency, q.responsibleAgency));
  if (q.handlingAgency) parts.push(eq(sa.Agencies, sa.handlingTag(q.handlingAgency)));
  if (q.significant === true) parts.push(`${sa.Significant.name} = true`);
  if (q.significant === false) parts.push(`(${sa.Significant.name} = false OR ${sa.Significant.name} IS NULL)`);
  if (q.from) parts.push(`${sa.ReceivedAt.name} >= '${q.from.toISOString()}'`);
  if (q.to) parts.push(`${sa.ReceivedAt.name} < '${q.to.toISOString()}'`);
  return parts.join(' AND ');
}

type Raw = Awaited<ReturnType<Client['workflowService']['listWorkflowExecutions']>>['executions'][number];

function summary(e: Raw): z.infer<typeof Summary> {
  const attrs = decodeTypedSearchAttributes(e.searchAttributes?.indexedFields);
  const agencies = attrs.get(sa.Agencies) ?? [];
  return {
    enquiryId: e.execution!.workflowId!,
    // Written by the workflow from the same enums.
    status: (attrs.get(sa.Status) ?? null) as z.infer<typeof Summary>['status'],
    kind: (attrs.get(sa.Kind) ?? null) as z.infer<typeof Summary>['kind'],
    receivedBy: attrs.get(sa.ReceivedBy) ?? null,
    receivedAt: attrs.get(sa.ReceivedAt)?.toISOString() ?? null,
    responsibleAgency: attrs.get(sa.ResponsibleAgency) ?? null,
    handlingAgencies: sa.handlingFromTags(agencies),
    significant: attrs.get(sa.Significant) ?? false,
    waitingOn: attrs.get(sa.WaitingOn) ?? [],
    deadline: attrs.get(sa.Deadline)?.toISOString() ?? null,
  };
}

/** What each status asks of whom. */
const TASKS: Record<string, Record<string, z.infer<typeof Task>['task']>> = {
  awaiting_forwarding_decision: { staff: 'forwarding_decision', manager: 'forwarding_decision_overdue' },
  awaiting_partner: { staff: 'lead_answer' },
  awaiting_joint_decision: { office: 'joint_vote' },
};

export interface ManagerDeps {
  temporal: Client;
  nats: NatsConnection;
  taskQueue: string;
  cursors: CursorCodec;
}

export function registerManager(root: FastifyInstance, deps: ManagerDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { temporal } = deps;
  /** One page from the visibility store; `token` is Temporal's own page token. */
  const fetchPage = async (query: string, pageSize: number, token?: Uint8Array) => {
    const page = await temporal.workflowService.listWorkflowExecutions({
      namespace: temporal.options.namespace,
      query,
      pageSize,
      nextPageToken: token,
    });
    const next = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : null;
    return { items: page.executions.map(summary), next };
  };
  /** A page for a caller: the cursor handed out is signed, and one handed in is checked. */
  const list = async (query: string, pageSize: number, cursor?: string) => {
    const page = await fetchPage(query, pageSize, cursor ? deps.cursors.decode(cursor) : undefined);
    return { items: page.items, nextCursor: page.next ? deps.cursors.encode(page.next) : null };
  };
  /** Every enquiry a query finds, page by page (at most `maxPages`), for answers built from all of them. */
  async function* everyOne(query: string, pageSize: number, maxPages = Infinity) {
    let token: Uint8Array | undefined;
    for (let pages = 0; pages < maxPages; pages++) {
      const page = await fetchPage(query, pageSize, token);
      yield* page.items;
      if (!page.next) return;
      token = page.next;
    }
  }

  app.get(
    '/v1/enquiries',
    {
      config: { access: 'staff_or_manager' },
      schema: {
        tags: ['Managers'],
        operationId: 'listEnquiries',
        summary: 'Enquiries the caller’s agency received, is responsible for, handles or was offered, newest first',
        security: bearer,
        querystring: ListQuery,
        response: { 200: EnquiryList, ...problems(400, 401, 403, 503) },
      },
    },
    async (req) => {
      const q = req.query;
      return list(listQuery(deps.taskQueue, callerOf(req), q), q.limit, q.cursor);
    },
  );

  app.get(
    '/v1/tasks',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['Managers'],
        operationId: 'listTasks',
        summary: 'The decisions now waiting on the caller, earliest deadline first',
        security: bearer,
        response: { 200: z.array(Task), ...problems(401, 503) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const mine = [
        ...(caller.roles.includes('staff') ? [who.staff(caller.agency)] : []),
        ...(caller.roles.includes('manager') ? [who.manager(caller.agency)] : []),
        ...caller.offices.map(who.office),
      ];
      if (mine.length === 0) return [];
      const query = `TaskQueue = '${deps.taskQueue}' AND ExecutionStatus = 'Running' AND ${sa.WaitingOn.name} IN (${mine.map((k) => `'${k}'`).join(', ')})`;
      const tasks = [];
      for await (const e of everyOne(query, 200, 20)) {
        for (const key of e.waitingOn.filter((w) => mine.includes(w))) {
          const task = TASKS[e.status ?? '']?.[who.role(key)];
          if (task) {
            const links = { self: `/v1/enquiries/${e.enquiryId}` };
            tasks.push({ enquiryId: e.enquiryId, task, for: key, status: e.status, deadline: e.deadline, links });
          }
        }
      }
      return tasks.sort((a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? ''));
    },
  );

  app.get(
    '/v1/stats',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['Managers'],
        operationId: 'getStats',
        summary: 'Figures of the enquiries the manager may list, received in the period (default: this calendar year)',
        security: bearer,
        querystring: StatsQuery,
        response: { 200: StatsSchema, ...problems(400, 401, 403, 503) },
      },
    },
    async (req) => {
      const q = req.query;
      const caller = callerOf(req);
      const listed: Listed[] = [];
      for await (const e of everyOne(listQuery(deps.taskQueue, caller, { from: q.from, to: q.to }), 1000)) {
        const { enquiryId, receivedBy, responsibleAgency, receivedAt } = e;
        const status = e.status ?? 'received';
        listed.push({ enquiryId, status, receivedBy: receivedBy ?? '', responsibleAgency, receivedAt });
      }
      const events = await readEventsSince(deps.nats, q.from);
      return computeStats(events, { ...q, agency: caller.agency, listed });
    },
  );
}
