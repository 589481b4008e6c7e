import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { REFUSAL_TYPES } from '../contract/enquiry-workflow.js';
import {
  answerConcern,
  cancelVisit,
  firmQuery,
  linkExpansion,
  openConcern,
  planVisit,
  recordVisit,
  rescheduleVisit,
  updateFirm,
  type FirmAnswer,
} from '../contract/firm-workflow.js';
import {
  refuseConcern,
  refuseConcernAnswer,
  refuseFirmUpdate,
  refusePlannedVisitChange,
  refuseVisit,
} from '../domain/care-rules.js';
import {
  concernClosed,
  concernsOpened,
  rhythmChanged,
  visitCancelled,
  visitPlanned,
  visitRecorded,
  visitRescheduled,
  type NewConcern,
} from '../domain/care-state.js';
import { actorName, type Actor, type Refusal } from '../domain/decisions.js';
import type { FirmCare } from './firm-state.js';
import { given } from './invariants.js';

/**
 * Every handler of a firm's care, registered before the workflow's first await. Validators
 * are synchronous and refuse whoever may not see the firm as if it did not exist. A handler
 * records (the care state and a step); the main flow's timers follow from the state. Returns
 * a flag the main flow takes to know that something changed.
 */
export function listenToFirm(firm: FirmCare) {
  let changed = false;
  const done = (id?: string): FirmAnswer => {
    changed = true;
    return { summary: firm.summary(), ...(id ? { id } : {}) };
  };
  const refuse = (actor: Actor | null, refusal: Refusal | null) => refuseUnlessReader(firm, actor, refusal);

  setHandler(firmQuery, () => ({ firm: firm.firm, care: firm.care, summary: firm.summary() }));

  setHandler(
    updateFirm,
    ({ firm: facts, terms, actor }) => {
      firm.firm = facts;
      firm.terms = terms;
      firm.care = rhythmChanged(firm.care, facts.careLevel, terms.visitEveryMonths);
      firm.record('firm_updated', actorName(actor), actor.agency, {
        careLevel: facts.careLevel,
        nextVisitDue: firm.care.nextVisitDue,
      });
      return done();
    },
    { validator: ({ actor }) => refuse(actor, refuseFirmUpdate(firm.carers, actor)) },
  );

  setHandler(
    planVisit,
    ({ visit, actor }) => {
      const planned = visitPlanned(firm.care, visit);
      firm.care = planned.state;
      firm.record('visit_planned', actorName(actor), actor.agency, { visit: planned.visit });
      return done(planned.visit.visitId);
    },
    { validator: ({ visit, actor }) => refuse(actor, refuseVisit(firm.carers, actor, visit)) },
  );

  setHandler(
    rescheduleVisit,
    ({ visitId, visit, actor }) => {
      // Who was invited before: the people no longer taking part are told it is off for them.
      const before = firm.care.plannedVisits.find((v) => v.visitId === visitId)?.participants ?? [];
      firm.care = visitRescheduled(firm.care, { ...visit, visitId });
      const moved = firm.care.plannedVisits.find((v) => v.visitId === visitId);
      const detail = { visit: moved, rescheduled: true, before: { participants: before } };
      firm.record('visit_planned', actorName(actor), actor.agency, detail);
      return done(visitId);
    },
    {
      validator: ({ visitId, visit, actor }) =>
        refuse(
          actor,
          refusePlannedVisitChange(firm.carers, firm.care, visitId, actor) ?? refuseVisit(firm.carers, actor, visit),
        ),
    },
  );

  setHandler(
    cancelVisit,
    ({ visitId, reason, actor }) => {
      const visit = firm.care.plannedVisits.find((v) => v.visitId === visitId);
      firm.care = visitCancelled(firm.care, visitId);
      firm.record('visit_cancelled', actorName(actor), actor.agency, { visit, ...(reason ? { reason } : {}) });
      return done(visitId);
    },
    {
      validator: ({ visitId, actor }) =>
        refuse(actor, refusePlannedVisitChange(firm.carers, firm.care, visitId, actor)),
    },
  );

  setHandler(
    recordVisit,
    ({ report, concerns, actor }) => {
      const visitId = report.visitId ?? `r${firm.care.visitsRecorded + 1}`;
      firm.care = visitRecorded(firm.care, { day: report.at.slice(0, 10), visitId: report.visitId });
      const by = actorName(actor);
      firm.record('visit_recorded', by, actor.agency, { ...report, visitId });
      openConcerns(firm, concerns, by, actor.agency, visitId);
      return done(visitId);
    },
    { validator: ({ report, actor }) => refuse(actor, refuseVisit(firm.carers, actor, report)) },
  );

  setHandler(
    openConcern,
    ({ concern, actor }) => {
      const [opened] = openConcerns(
        firm,
        [concern],
        actor ? actorName(actor) : 'webhook',
        actor?.agency ?? firm.firm.agency,
      );
      return done(opened);
    },
    { validator: ({ actor }) => refuse(actor, refuseConcern(firm.carers, actor)) },
  );

  setHandler(
    answerConcern,
    ({ concernId, answer, note, handTo, actor }) => {
      const concern = given(
        firm.care.openConcerns.find((c) => c.concernId === concernId),
        'the validator let an answer through only for an open concern',
      );
      firm.care = concernClosed(firm.care, concernId);
      const by = actorName(actor);
      if (answer === 'done' || !handTo) {
        firm.record('concern_answered', by, actor.agency, { concernId, topic: concern.topic, note });
        return done(concernId);
      }
      const handedOn = { concernId, topic: concern.topic, to: handTo.handledBy, note };
      firm.record('concern_handed_on', by, actor.agency, handedOn);
      const next = { ...concern, ...handTo, openedAt: new Date().toISOString(), via: 'handed_on' as const, note };
      const [opened] = openConcerns(firm, [next], by, actor.agency);
      return done(opened);
    },
    { validator: (input) => refuse(input.actor, refuseConcernAnswer(firm.care, input, input.actor)) },
  );

  setHandler(
    linkExpansion,
    ({ actor, ...project }) => {
      firm.record('expansion_started', actorName(actor), actor.agency, project);
      return done(project.enquiryId);
    },
    { validator: ({ actor }) => refuse(actor, refuseConcern(firm.carers, actor)) },
  );

  return {
    /** Whether something changed since the main flow last looked. */
    take() {
      const was = changed;
      changed = false;
      return was;
    },
  };
}

/** Opens the concerns, each a step of its own; answers their ids. */
function openConcerns(firm: FirmCare, concerns: NewConcern[], by: string, agency: string, visitId?: string) {
  const { state, opened } = concernsOpened(firm.care, concerns);
  firm.care = state;
  for (const c of opened) {
    const { concernId, topic, handledBy, due, note, via } = c;
    firm.record('concern_opened', by, agency, {
      concernId,
      topic,
      handledBy,
      due,
      note,
      via,
      visitId: visitId ?? null,
    });
  }
  return opened.map((c) => c.concernId);
}

/** A refusal leaves no trace; whoever may not see the firm learns only that there is none. */
function refuseUnlessReader(firm: FirmCare, actor: Actor | null, refusal: Refusal | null): void {
  const visible = !actor || firm.readers.includes(actor.agency);
  const kind = visible ? refusal?.kind : 'not_found';
  const message = visible ? refusal?.message : `There is no firm "${firm.firm.firmId}" for agency "${actor?.agency}".`;
  if (kind) throw ApplicationFailure.create({ type: REFUSAL_TYPES[kind], message, nonRetryable: true });
}
