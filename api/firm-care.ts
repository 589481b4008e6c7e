import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import {
  answerConcern,
  cancelVisit,
  openConcern,
  planVisit,
  recordVisit,
  rescheduleVisit,
  type FirmView,
} from '../contract/firm-workflow.js';
import type { NewConcern } from '../domain/care-state.js';
import { callerOf } from './access.js';
import type { Caller } from './auth.js';
import { bearer, problems } from './docs.js';
import {
  CancelBody,
  ConcernAnswerBody,
  ConcernBody,
  ConcernParams,
  FirmAnswer,
  FirmParams,
  VisitParams,
  VisitPlanBody,
  VisitReportBody,
} from './firm-schemas.js';
import {
  actorOf,
  changeFirm,
  concernAgencies,
  concernInstants,
  firmFor,
  sealNote,
  termsFor,
  type FirmDeps,
} from './firm-service.js';
import { Problem } from './problem.js';

/**
 * A firm's visits and concerns (Besuch, Besuchsbericht, Anliegen with Wiedervorlage): the api
 * checks what needs the clock or the reference data (a plan in the future, a report in the
 * past, a concern for an agency of the agreements), seals the notes, counts each concern's
 * day in the handling agency's calendar; the firm's workflow decides who may.
 */
export function registerFirmCare(root: FastifyInstance, deps: FirmDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const route = <P extends z.ZodType, B extends z.ZodType>(
    operationId: string,
    summary: string,
    params: P,
    body: B,
  ) => ({
    config: { access: 'staff' as const },
    schema: {
      tags: ['Firms'],
      operationId,
      summary,
      security: bearer,
      params,
      body,
      response: { 200: FirmAnswer, ...problems(400, 401, 403, 404, 409, 503) },
    },
  });

  app.post(
    '/v1/firms/:id/visits',
    route('planVisit', 'Plan a visit with people of the agencies that care for the firm', FirmParams, VisitPlanBody),
    async (req) => {
      const caller = callerOf(req);
      const view = await firmFor(deps, caller, req.params.id);
      const visit = await visitInput(deps, view, req.body);
      return answer(
        view,
        await changeFirm(deps, caller, view.firm.firmId, planVisit, { visit, actor: actorOf(caller) }),
      );
    },
  );

  app.put(
    '/v1/firms/:id/visits/:visitId',
    route(
      'rescheduleVisit',
      'Move a planned visit (another time, other people): the invitations are updated',
      VisitParams,
      VisitPlanBody,
    ),
    async (req) => {
      const caller = callerOf(req);
      const view = await firmFor(deps, caller, req.params.id);
      const visit = await visitInput(deps, view, req.body);
      const args = { visitId: req.params.visitId, visit, actor: actorOf(caller) };
      return answer(view, await changeFirm(deps, caller, view.firm.firmId, rescheduleVisit, args));
    },
  );

  app.post(
    '/v1/firms/:id/visits/:visitId/cancel',
    route('cancelVisit', 'Cancel a planned visit: the invitations are withdrawn', VisitParams, CancelBody),
    async (req) => {
      const caller = callerOf(req);
      const view = await firmFor(deps, caller, req.params.id);
      const args = { visitId: req.params.visitId, reason: req.body.reason, actor: actorOf(caller) };
      return answer(view, await changeFirm(deps, caller, view.firm.firmId, cancelVisit, args));
    },
  );

  app.post(
    '/v1/firms/:id/visit-reports',
    route(
      'recordVisit',
      'Report a visit that took place: who, topics, a sealed note, the concerns it raised',
      FirmParams,
      VisitReportBody,
    ),
    async (req) => {
      const caller = callerOf(req);
      const view = await firmFor(deps, caller, req.params.id);
      const { concerns: asked, note, ...report } = req.body;
      if (Date.parse(report.at) > Date.now()) {
        throw Problem.invalid('Ein Besuch wird berichtet, wenn er stattgefunden hat.', [
          { path: 'at', message: 'lies in the future' },
        ]);
      }
      const concerns = await Promise.all(asked.map((c, i) => newConcern(deps, view, c, 'visit', `concerns[${i}]`)));
      const sealed = note ? { note: await sealNote(deps, view.firm.firmId, note) } : {};
      const args = {
        report: { ...report, at: new Date(report.at).toISOString(), ...sealed },
        concerns,
        actor: actorOf(caller),
      };
      return answer(view, await changeFirm(deps, caller, view.firm.firmId, recordVisit, args));
    },
  );

  app.post(
    '/v1/firms/:id/concerns',
    route(
      'openConcern',
      'Take up a concern the firm brought without a visit (the desk, a phone call)',
      FirmParams,
      ConcernBody,
    ),
    async (req) => {
      const caller = callerOf(req);
      const view = await firmFor(deps, caller, req.params.id);
      const concern = await newConcern(deps, view, req.body, 'desk', '');
      return answer(
        view,
        await changeFirm(deps, caller, view.firm.firmId, openConcern, { concern, actor: actorOf(caller) }),
      );
    },
  );

  app.post(
    '/v1/firms/:id/concerns/:concernId/answer',
    route(
      'answerConcern',
      'Answer a concern ("erledigt" with a note) or hand it on to another agency with a reason',
      ConcernParams,
      ConcernAnswerBody,
    ),
    async (req) => {
      const caller = callerOf(req);
      const view = await firmFor(deps, caller, req.params.id);
      const { answer: reply, note, handTo, within } = req.body;
      if (handTo) refuseStranger(deps, view, handTo, 'handTo');
      const next = handTo ? { handTo: { handledBy: handTo, ...concernInstants(deps, handTo, within) } } : {};
      const args = {
        concernId: req.params.concernId,
        answer: reply,
        note: await sealNote(deps, view.firm.firmId, note),
        ...next,
        actor: actorOf(caller),
      };
      return answer(view, await changeFirm(deps, caller, view.firm.firmId, answerConcern, args));
    },
  );
}

const answer = (view: FirmView, a: { id?: string }) => ({ firmId: view.firm.firmId, ...(a.id ? { id: a.id } : {}) });

/** A planned visit: in the future, its place sealed. */
async function visitInput(deps: FirmDeps, view: FirmView, body: z.infer<typeof VisitPlanBody>) {
  if (Date.parse(body.at) <= Date.now()) {
    throw Problem.invalid('Ein Besuch wird für einen Zeitpunkt in der Zukunft geplant.', [
      { path: 'at', message: 'lies in the past' },
    ]);
  }
  const place = body.place ? { place: await sealNote(deps, view.firm.firmId, body.place) } : {};
  return {
    at: new Date(body.at).toISOString(),
    durationMinutes: body.durationMinutes,
    participants: body.participants,
    ...place,
  };
}

/** A concern for an agency of the agreements, its days counted in that agency's calendar, its note sealed. */
async function newConcern(
  deps: FirmDeps,
  view: FirmView,
  c: z.infer<typeof ConcernBody>,
  via: NewConcern['via'],
  path: string,
): Promise<NewConcern> {
  refuseStranger(deps, view, c.handledBy, path ? `${path}.handledBy` : 'handledBy');
  return {
    topic: c.topic,
    handledBy: c.handledBy,
    ...concernInstants(deps, c.handledBy, c.within),
    openedAt: new Date().toISOString(),
    via,
    note: await sealNote(deps, view.firm.firmId, c.note),
  };
}

function refuseStranger(deps: FirmDeps, view: FirmView, agency: string, path: string) {
  const allowed = concernAgencies(deps, view.firm, termsFor(deps, view.firm));
  if (!allowed.includes(agency)) {
    throw Problem.invalid(
      `Ein Anliegen geht nur an eine Stelle der Vereinbarungen des Unternehmens (${allowed.join(', ')}), nicht an ${agency}.`,
      [{ path, message: 'not an agency of the firm’s agreements' }],
    );
  }
}

export type { Caller };
