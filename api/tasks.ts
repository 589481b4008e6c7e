import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { who } from '../domain/parties.js';
import { codeName } from '../domain/redaction.js';
import { statusesFor, TASK_NAMES, TASKS, taskName } from '../domain/tasks.js';
import type { People } from '../infra/people.js';
import type { DataKeys } from '../infra/data-keys.js';
import { firmNamesFor, firmOf } from './firm-names.js';
import type { ReadModel } from '../infra/read-model/index.js';
import { iso, listTasks } from '../infra/read-model/queries.js';
import { callerOf } from './access.js';
import type { CursorCodec } from './cursor.js';
import { bearer, problems } from './docs.js';
import { TaskList } from './schemas.js';

/** The decisions now waiting on the caller: as staff, as manager, as the holder of an office. */

export const TasksQuery = z
  .object({
    task: z.enum(TASK_NAMES).optional(),
    assignee: z
      .enum(['me', 'anyone'])
      .default('anyone')
      .describe('me: only the tasks the caller took or was given (Aufgaben "meine")'),
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
  people: People;
  dataKeys: DataKeys;
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
      const assignee = req.query.assignee === 'me' ? caller.sub : undefined;
      const mine = [
        ...(caller.roles.includes('staff') ? [who.staff(caller.agency)] : []),
        ...(caller.roles.includes('manager') ? [who.manager(caller.agency)] : []),
        ...caller.offices.map(who.office),
      ].filter((key) => !task || Object.values(TASKS).some((t) => t[who.role(key)] === task));
      const statuses = statusesFor(task);
      const asOf = await deps.readModel.asOf();
      if (mine.length === 0) return { items: [], total: 0, nextCursor: null, asOf };
      const after = cursor ? deps.cursors.decodeJson(cursor, TaskAfterKey) : undefined;
      const page = await listTasks(deps.readModel.db, { mine, statuses, assignee }, limit, after);
      const ids = page.rows.map((r) => r.enquiry_id);
      const firms = await firmNamesFor(deps.readModel.db, deps.dataKeys, caller.agency, ids);
      const items = page.rows.map((r) => ({
        enquiryId: r.enquiry_id,
        codeName: codeName(r.enquiry_id),
        ...firmOf(firms, r.enquiry_id),
        task: taskName(r.status, r.who)!,
        for: r.who,
        status: r.status,
        deadline: iso(r.deadline),
        assignee: r.assignee ? { id: r.assignee, ...deps.people.named(who.party(r.who), r.assignee) } : null,
        links: { self: `/v1/enquiries/${r.enquiry_id}` },
      }));
      return { items, total: page.total, nextCursor: page.next ? deps.cursors.encodeJson(page.next) : null, asOf };
    },
  );
}
