import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { who } from '../domain/parties.js';
import { enquiriesOf } from '../contract/enquiry-workflow.js';
import * as sa from '../contract/search-attributes.js';
import { callerOf } from './access.js';
import { bearer, problems } from './docs.js';
import { Task } from './schemas.js';
import { everyOne, type VisibilityDeps } from './visibility.js';

/** The decisions now waiting on the caller: as staff, as manager, as the holder of an office. */

/** What each status asks of whom. */
const TASKS: Record<string, Record<string, z.infer<typeof Task>['task']>> = {
  awaiting_forwarding_decision: { staff: 'forwarding_decision', manager: 'forwarding_decision_overdue' },
  awaiting_partner: { staff: 'lead_answer' },
  awaiting_joint_decision: { office: 'joint_vote' },
};

export function registerTasks(root: FastifyInstance, deps: VisibilityDeps) {
  root.withTypeProvider<ZodTypeProvider>().get(
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
      const keys = mine.map((k) => `'${k}'`).join(', ');
      const running = `${enquiriesOf(deps.taskQueue)} AND ExecutionStatus = 'Running'`;
      const query = `${running} AND ${sa.WaitingOn.name} IN (${keys})`;
      const tasks = [];
      for await (const e of everyOne(deps.temporal, query, 200, 20)) {
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
}
