import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assignTask } from '../contract/enquiry-workflow.js';
import type { People as Directory } from '../infra/people.js';
import { callerOf } from './access.js';
import type { Caller } from './auth.js';
import { postDecision } from './decision-route.js';
import { bearer, problems } from './docs.js';
import type { ViewDeps } from './enquiry-views.js';
import { Problem } from './problem.js';
import { People } from './schemas.js';

/**
 * Who of an agency has an enquiry's task (Camunda Tasklist's claim, unclaim and assign):
 * anyone of the agency's staff may take it, hand it back or give it to a colleague; a decision
 * by someone else stays allowed and its step says so (workflows/enquiry-state.ts).
 */

const AssigneeBody = z
  .object({
    assignee: z
      .string()
      .min(1)
      .max(200)
      .nullable()
      .describe('the subject of the person who has the task from now on (the caller, a colleague); null: handed back'),
  })
  .strict();

export function registerAssignment(root: FastifyInstance, deps: ViewDeps & { people: Directory }) {
  postDecision(
    root,
    deps,
    {
      path: '/v1/enquiries/:id/assignee',
      summary: 'Take the enquiry’s task, hand it back or give it to a colleague (staff of an agency it waits on)',
      operationId: 'assignTask',
      tags: ['Enquiries'],
      access: 'staff',
      check: (b: z.infer<typeof AssigneeBody>, caller: Caller) => refuseColleague(deps.people, b.assignee, caller),
    },
    AssigneeBody,
    assignTask,
    (b, actor) => ({ assignee: b.assignee, actor }),
  );
  registerColleagues(root, deps.people);
}

/** A task goes to the caller or to staff of the caller's agency that Lotse knows. */
function refuseColleague(people: Directory, assignee: string | null, caller: Caller): Problem | null {
  if (assignee === null || assignee === caller.sub || people.staffMember(caller.agency, assignee)) return null;
  return Problem.invalid('The task goes only to staff of your agency who signed in to Lotse before.', [
    { path: 'assignee', message: 'not a colleague Lotse knows' },
  ]);
}

function registerColleagues(root: FastifyInstance, people: Directory) {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/v1/people',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['Enquiries'],
        operationId: 'listColleagues',
        summary: 'The caller’s colleagues (staff of the agency who signed in before), to give a task to',
        security: bearer,
        response: { 200: People, ...problems(401, 403) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const items = people.staffOf(caller.agency).map((p) => ({ id: p.sub, name: p.name, me: p.sub === caller.sub }));
      return { items };
    },
  );
}
