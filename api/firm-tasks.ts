import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { VisitTopic } from '../domain/visits.js';
import { callerOf } from './access.js';
import { bearer, problems } from './docs.js';
import { FirmParams, FirmPeople, FirmTasks } from './firm-schemas.js';
import { firmFor, termsFor, type FirmDeps } from './firm-service.js';
import { readModelProblem } from './problem.js';

/**
 * What the firms' care asks of the caller's agency, for Aufgaben: visits due (the firms the
 * agency looks after), visits planned with the caller or a colleague, concerns waiting on the
 * agency; earliest first. `mine`: for the caller in person.
 */
export function registerFirmTasks(root: FastifyInstance, deps: FirmDeps) {
  registerFirmPeople(root, deps);
  root.withTypeProvider<ZodTypeProvider>().get(
    '/v1/firm-tasks',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['Firms'],
        operationId: 'listFirmTasks',
        summary: 'Visits due, visits planned and concerns waiting on the caller’s agency, earliest first',
        security: bearer,
        response: { 200: FirmTasks, ...problems(401, 403, 503) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      try {
        const rows = await deps.readModel.db
          .selectFrom('firm_tasks as t')
          .innerJoin('firms as f', 'f.firm_id', 't.firm_id')
          .select(['t.firm_id', 'f.name', 't.kind', 't.ref', 't.sub', 't.due', 't.detail'])
          .where('t.agency', '=', caller.agency)
          // A planned visit is a task of the people taking part only.
          .where((eb) => eb.or([eb('t.kind', '<>', 'visit'), eb('t.sub', '=', caller.sub)]))
          .orderBy('t.due')
          .orderBy(sql`t.firm_id`)
          .limit(500)
          .execute();
        const items = rows.map((r) => ({
          firmId: r.firm_id,
          firmName: r.name,
          kind: r.kind as 'visit_due' | 'visit' | 'concern',
          ref: r.ref,
          mine: r.sub === caller.sub,
          due: new Date(r.due).toISOString(),
          ...(r.detail.topic ? { topic: r.detail.topic as VisitTopic } : {}),
          overdue: r.detail.overdue === true || (r.kind === 'visit_due' && Date.parse(String(r.due)) < Date.now()),
        }));
        return { items };
      } catch (err) {
        throw readModelProblem(err) ?? err;
      }
    },
  );
}

/** Who may take part in a visit: the staff Lotse knows of the agencies that care for the firm. */
function registerFirmPeople(root: FastifyInstance, deps: FirmDeps) {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/v1/firms/:id/people',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['Firms'],
        operationId: 'listFirmPeople',
        summary: 'The staff of the firm’s agency and its co-carers who signed in before: who may take part in a visit',
        security: bearer,
        params: FirmParams,
        response: { 200: FirmPeople, ...problems(401, 403, 404, 503) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const { firm } = await firmFor(deps, caller, req.params.id);
      const agencies = [firm.agency, ...termsFor(deps, firm).coCarers];
      const items = agencies.flatMap((agency) =>
        deps.people.staffOf(agency).map((p) => ({ agency, sub: p.sub, name: p.name, me: p.sub === caller.sub })),
      );
      return { items };
    },
  );
}
