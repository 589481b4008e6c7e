import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { who } from '../domain/parties.js';
import type { ReadModel } from '../infra/read-model/index.js';
import { iso, listTasks } from '../infra/read-model/queries.js';
import { callerOf } from './access.js';
import type { CursorCodec } from './cursor.js';
import { bearer, problems } from './docs.js';
import { TaskList, type Task } from './schemas.js';

/** The decisions now waiting on the caller: as staff, as manager, as the holder of an office. */

/** What each status asks of whom (the read model lists only these pairs). */
const TASKS: Record<string, Record<string, z.infer<typeof Task>['task']>> = {
  awaiting_forwarding_decision: { staff: 'forwarding_decision', manager: 'forwarding_decision_overdue' },
  awaiting_partner: { staff: 'lead_answer' },
  awaiting_joint_decision: { office: 'joint_vote' },
};

export const TasksQuery = z
  .object({
    task: z.enum(['forwarding_decision', 'forwarding_decision_overdue', 'lead_answer', 'joint_vote']).optional(),
    cursor: z.string().max(2000).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const TaskAfterKey = z.object({
  deadline: z.iso.datetime().nullable(),
  enquiryId: z.string().max(200),
  who: z.string().max(200),
});

export interface TaskDeps {
  readModel: ReadModel;
  cursors: CursorCodec;
}

export function registerTasks(root: FastifyInstance, deps: TaskDeps) {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/v1/tasks',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['Managers'],
        operationId: 'listTasks',
        summary: 'The decisions now waiting on the caller, earliest deadline first, page by page',
        security: bearer,
        querystring: TasksQuery,
        response: { 200: TaskList, ...problems(400, 401, 503) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const { cursor, limit, task } = req.query;
      const mine = [
        ...(caller.roles.includes('staff') ? [who.staff(caller.agency)] : []),
        ...(caller.roles.includes('manager') ? [who.manager(caller.agency)] : []),
        ...caller.offices.map(who.office),
      ].filter((key) => !task || Object.values(TASKS).some((t) => t[who.role(key)] === task));
      const statuses = task ? Object.keys(TASKS).filter((s) => Object.values(TASKS[s]!).includes(task)) : undefined;
      const asOf = await deps.readModel.asOf();
      if (mine.length === 0) return { items: [], total: 0, nextCursor: null, asOf };
      const after = cursor ? deps.cursors.decodeJson(cursor, TaskAfterKey) : undefined;
      const page = await listTasks(deps.readModel.db, { mine, statuses }, limit, after);
      const items = page.rows.map((r) => ({
        enquiryId: r.enquiry_id,
        task: TASKS[r.status]![who.role(r.who)]!,
        for: r.who,
        status: r.status,
        deadline: iso(r.deadline),
        links: { self: `/v1/enquiries/${r.enquiry_id}` },
      }));
      return { items, total: page.total, nextCursor: page.next ? deps.cursors.encodeJson(page.next) : null, asOf };
    },
  );
}
