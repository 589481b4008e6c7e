import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import {
  FIRM_CARE_WORKFLOW,
  firmWorkflowId,
  updateFirm,
  type FirmCareInput,
  type FirmCareWorkflow,
  type FirmView,
} from '../contract/firm-workflow.js';
import { actorName } from '../domain/decisions.js';
import { firmIdOf, firmKeyId, type FirmInput } from '../domain/firms.js';
import { berlinDate } from '../domain/working-days.js';
import type { FirmEventType, FirmSummary } from '../domain/firm-events.js';
import { openSealed } from '../domain/personal-data.js';
import { personOf } from '../domain/decisions.js';
import { callerOf } from './access.js';
import type { Caller } from './auth.js';
import { bearer, problems } from './docs.js';
import {
  actorOf,
  changeFirm,
  concernAgencies,
  firmFor,
  firmInputErrors,
  openContacts,
  sealFirm,
  termsFor,
  type FirmDeps,
} from './firm-service.js';
import {
  FirmAnswer,
  FirmBody,
  FirmList,
  FirmListQuery,
  FirmParams,
  FirmView as FirmViewSchema,
} from './firm-schemas.js';
import { Problem, readModelProblem, temporalProblem } from './problem.js';

/**
 * The firm register (Unternehmen, Bestandspflege): staff enter a firm, and from then on its
 * care runs as a workflow of its own (workflows/firm-care.ts). A firm is seen by its agency,
 * the agencies an agreement makes co-carers, and those answering one of its concerns; for
 * anyone else there is no such firm (404).
 */
export function registerFirms(root: FastifyInstance, deps: FirmDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/v1/firms',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['Firms'],
        operationId: 'registerFirm',
        summary: 'Enter a firm the caller’s agency looks after; its care starts at once',
        security: bearer,
        body: FirmBody,
        response: { 201: FirmAnswer, ...problems(400, 401, 403, 409, 503) },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const firmId = await registerFirm(deps, caller, req.body, actorName(actorOf(caller)));
      return reply.status(201).header('location', `/v1/firms/${firmId}`).send({ firmId });
    },
  );

  app.get(
    '/v1/firms',
    {
      config: { access: 'staff_or_manager' },
      schema: {
        tags: ['Firms'],
        operationId: 'listFirms',
        summary: 'The firms the caller’s agency sees, visits due first, then by name',
        security: bearer,
        querystring: FirmListQuery,
        response: { 200: FirmList, ...problems(400, 401, 403, 503) },
      },
    },
    async (req) => ({ items: await listFirms(deps, callerOf(req).agency, req.query) }),
  );

  app.get(
    '/v1/firms/:id',
    {
      config: { access: 'staff_or_manager' },
      schema: {
        tags: ['Firms'],
        operationId: 'getFirm',
        summary: 'One firm: its facts, contacts, care and timeline',
        security: bearer,
        params: FirmParams,
        response: { 200: FirmViewSchema, ...problems(401, 403, 404, 503) },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const view = await firmFor(deps, caller, req.params.id);
      return reply.header('cache-control', 'no-store').send(await firmOut(deps, view));
    },
  );

  app.put(
    '/v1/firms/:id',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['Firms'],
        operationId: 'updateFirm',
        summary: 'Change a firm’s facts (staff of its agency); the visit rhythm follows its care level',
        security: bearer,
        params: FirmParams,
        body: FirmBody,
        response: { 200: FirmAnswer, ...problems(400, 401, 403, 404, 409, 503) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const { firm: before } = await firmFor(deps, caller, req.params.id);
      refuseInvalid(deps, before.agency, req.body);
      const firm = await sealFirm(deps, before.firmId, before.agency, req.body);
      const terms = termsFor(deps, firm);
      await changeFirm(deps, caller, before.firmId, updateFirm, { firm, terms, actor: actorOf(caller) });
      return { firmId: before.firmId };
    },
  );
}

function refuseInvalid(deps: FirmDeps, agency: string, input: FirmInput) {
  const errors = firmInputErrors(deps, agency, input);
  if (errors.length) throw Problem.invalid('Die Standorte des Unternehmens passen nicht.', errors);
}

/** Starts the firm's care; 409 when the agency has a firm of that name already. */
export async function registerFirm(
  deps: FirmDeps,
  caller: Pick<Caller, 'agency'>,
  input: FirmInput,
  by: string,
  memo?: { importId: string },
) {
  refuseInvalid(deps, caller.agency, input);
  const firmId = firmIdOf(caller.agency, input.name);
  const firm = await sealFirm(deps, firmId, caller.agency, input);
  const terms = termsFor(deps, firm);
  const args: FirmCareInput = { firm, ...terms, enteredOn: berlinDate(new Date()), by };
  try {
    await deps.starter.client.workflow.start<FirmCareWorkflow>(FIRM_CARE_WORKFLOW, {
      workflowId: firmWorkflowId(firmId),
      taskQueue: deps.taskQueue,
      args: [args],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      ...(memo ? { memo } : {}),
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw Problem.conflict(`Your agency has the firm "${input.name}" already (${firmId}).`);
    }
    throw temporalProblem(err, 'Entering the firm') ?? Problem.unavailable('The firm could not be entered right now.');
  }
  return firmId;
}

async function listFirms(deps: FirmDeps, agency: string, q: { q?: string; sector?: string; place?: string }) {
  try {
    let query = deps.readModel.db
      .selectFrom('firms')
      .select(['summary'])
      .where(sql<boolean>`readers @> array[${agency}]::text[]`);
    if (q.q) query = query.where('name', 'ilike', `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (q.sector) query = query.where('sector', 'like', `${q.sector}%`);
    if (q.place)
      query = query.where(sql<boolean>`exists (select 1 from unnest(places) p where p like ${`${q.place}%`})`);
    const rows = await query.orderBy('visit_due', 'desc').orderBy('name').limit(500).execute();
    return rows.map(({ summary: s }) => listItem(s));
  } catch (err) {
    throw readModelProblem(err) ?? err;
  }
}

const listItem = (s: FirmSummary) => ({
  firmId: s.firmId,
  agency: s.agency,
  name: s.name,
  sector: s.sector,
  places: s.places,
  careLevel: s.careLevel,
  nextVisitDue: s.nextVisitDue,
  visitDue: s.visitDue,
  openConcerns: s.openConcerns.length,
  plannedVisits: s.plannedVisits.length,
});

/** The firm for its readers: contacts and notes opened, people named, the timeline from the read model. */
async function firmOut(deps: FirmDeps, { firm, care, summary }: FirmView) {
  const person = (p: { agency: string; sub: string }) => ({ ...p, ...deps.people.named(p.agency, p.sub) });
  const opener = await deps.dataKeys.openerFor(firmKeyId(firm.firmId));
  const steps = await deps.readModel.db
    .selectFrom('firm_steps')
    .selectAll()
    .where('firm_id', '=', firm.firmId)
    .orderBy('step')
    .execute()
    .catch((err: unknown) => {
      throw readModelProblem(err) ?? err;
    });
  return {
    ...firm,
    contacts: await openContacts(deps, firm),
    carer: firm.carer ? person({ agency: firm.agency, sub: firm.carer }) : null,
    coCarers: summary.coCarers,
    concernAgencies: concernAgencies(deps, firm, termsFor(deps, firm)),
    care: {
      enteredOn: care.enteredOn,
      lastVisitOn: care.lastVisitOn,
      nextVisitDue: care.nextVisitDue,
      visitDue: summary.visitDue,
      visitEveryMonths: care.visitEveryMonths,
      visitsRecorded: care.visitsRecorded,
      plannedVisits: care.plannedVisits.map((v) => ({
        ...v,
        ...(v.place ? { place: opener.open(v.place) } : {}),
        participants: v.participants.map(person),
      })),
      openConcerns: care.openConcerns.map(({ remindAt: _r, reminded: _d, ...c }) => ({
        ...c,
        note: opener.open(c.note),
      })),
    },
    timeline: steps.map((s) => ({
      step: s.step,
      type: s.type as FirmEventType,
      at: new Date(s.at).toISOString(),
      agency: s.agency,
      ...actorNameOf(deps, s.detail.actor),
      detail: namedPeople(openSealed(s.detail, opener.open), person),
    })),
  };
}

/** "Anna Berger" for `user:<sub>@<agency>` where Lotse knows the name. */
function actorNameOf(deps: FirmDeps, actor: unknown): { actorName?: string } {
  const person = personOf(typeof actor === 'string' ? actor : undefined);
  const name = person && deps.people.nameOf(person.agency, person.sub);
  return name ? { actorName: name } : {};
}

type Named = (p: { agency: string; sub: string }) => { agency: string; sub: string; name?: string };

/** A step's people (a visit's participants, before and after a move) with the names Lotse knows. */
function namedPeople(detail: Record<string, unknown>, person: Named): Record<string, unknown> {
  const named = (v: unknown): unknown => {
    const x = v as { participants?: { agency: string; sub: string }[] } | undefined;
    return x && Array.isArray(x.participants) ? { ...x, participants: x.participants.map(person) } : v;
  };
  return { ...(named(detail) as Record<string, unknown>), visit: named(detail.visit), before: named(detail.before) };
}
