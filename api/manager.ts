import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EnquiryStatus, who } from '../domain/enquiry.js';
import { AgencyId } from '../domain/reference.js';
import { computeStats } from '../domain/stats.js';
import { readEventsSince } from '../infra/event-log.js';
import type { NatsConnection } from '../infra/nats.js';
import * as sa from '../workflows/search-attributes.js';
import { callerOf } from './access.js';
import type { Caller } from './auth.js';
import { parseOr400, Problem } from './problem.js';

/** What managers and everyone with a decision to make read: lists, tasks, figures. All from visibility or events, never by asking every workflow. */

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

export const StatsQuery = z.object({ from: Moment, to: Moment }).strict().refine((q) => q.from < q.to, { message: 'must be after from', path: ['to'] });

// Values reach the query only after zod allowed them (slugs, enums, dates): nothing to escape.
const eq = (key: { name: string }, value: string) => `${key.name} = '${value}'`;

function listQuery(taskQueue: string, caller: Caller, q: z.infer<typeof ListQuery>): string {
  const parts = [`TaskQueue = '${taskQueue}'`, `WorkflowType = 'enquiryWorkflow'`, eq(sa.Agencies, caller.agency)];
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

function summary(e: Raw) {
  const attrs = decodeTypedSearchAttributes(e.searchAttributes?.indexedFields);
  const agencies = attrs.get(sa.Agencies) ?? [];
  return {
    enquiryId: e.execution!.workflowId!,
    status: attrs.get(sa.Status) ?? null,
    kind: attrs.get(sa.Kind) ?? null,
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
const TASKS: Record<string, Record<string, string>> = {
  awaiting_forwarding_decision: { staff: 'forwarding_decision', manager: 'forwarding_decision_overdue' },
  awaiting_partner: { staff: 'lead_answer' },
  awaiting_joint_decision: { office: 'joint_vote' },
};

export function registerManager(app: FastifyInstance, deps: { temporal: Client; nats: NatsConnection; taskQueue: string }) {
  const { temporal } = deps;
  const list = async (query: string, pageSize: number, cursor?: string) => {
    const page = await temporal.workflowService.listWorkflowExecutions({
      namespace: temporal.options.namespace,
      query,
      pageSize,
      nextPageToken: cursor ? Buffer.from(cursor, 'base64url') : undefined,
    });
    const next = page.nextPageToken && page.nextPageToken.length > 0 ? Buffer.from(page.nextPageToken).toString('base64url') : null;
    return { items: page.executions.map(summary), nextCursor: next };
  };

  app.get<{ Querystring: Record<string, string> }>('/v1/enquiries', { config: { access: 'staff_or_manager' } }, async (req) => {
    const q = parseOr400(ListQuery, req.query, 'query string');
    try {
      return await list(listQuery(deps.taskQueue, callerOf(req), q), q.limit, q.cursor);
    } catch (err) {
      if (q.cursor && /token|page/i.test((err as Error).message)) throw Problem.invalid('The cursor is not valid.', [{ path: 'cursor', message: 'not a cursor of this listing' }]);
      throw err;
    }
  });

  app.get('/v1/tasks', { config: { access: 'signed_in' } }, async (req) => {
    const caller = callerOf(req);
    const mine = [
      ...(caller.roles.includes('staff') ? [who.staff(caller.agency)] : []),
      ...(caller.roles.includes('manager') ? [who.manager(caller.agency)] : []),
      ...caller.offices.map(who.office),
    ];
    if (mine.length === 0) return [];
    const query = `TaskQueue = '${deps.taskQueue}' AND ExecutionStatus = 'Running' AND ${sa.WaitingOn.name} IN (${mine.map((k) => `'${k}'`).join(', ')})`;
    const tasks = [];
    for (let cursor: string | undefined, pages = 0; pages < 20; pages++) {
      const page = await list(query, 200, cursor);
      for (const e of page.items) {
        for (const key of e.waitingOn.filter((w) => mine.includes(w))) {
          const task = TASKS[e.status ?? '']?.[who.role(key)];
          if (task) tasks.push({ enquiryId: e.enquiryId, task, for: key, status: e.status, deadline: e.deadline, links: { self: `/v1/enquiries/${e.enquiryId}` } });
        }
      }
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return tasks.sort((a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? ''));
  });

  app.get<{ Querystring: Record<string, string> }>('/v1/stats', { config: { access: 'manager' } }, async (req) => {
    const q = parseOr400(StatsQuery, req.query, 'query string');
    const events = await readEventsSince(deps.nats, q.from);
    return computeStats(events, { from: q.from, to: q.to, agency: callerOf(req).agency });
  });
}
