import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import {
  actorName,
  refuseClose,
  refuseConsent,
  refuseFlag,
  refuseForwardingDecision,
  refuseLeadAnswer,
  refuseVote,
  refuseAssignment,
  refuseJoin,
  refuseSource,
  type Actor,
  type Refusal,
} from '../domain/decisions.js';
import type { EnquiryState } from '../domain/enquiry.js';
import { openOffer } from '../domain/parties.js';
import { leadFor, stateFor } from '../domain/redaction.js';
import { canSee } from '../domain/visibility.js';
import {
  answerLead,
  assignTask,
  castVote,
  closeEnquiry,
  decideForwarding,
  flagJointHandling,
  joinHandling,
  leadQuery,
  recordConsent,
  REFUSAL_TYPES,
  setSource,
  stateQuery,
  timelineQuery,
} from '../contract/enquiry-workflow.js';
import type { Enquiry } from './enquiry-state.js';
import type { JointHandlingStage } from './joint-handling.js';
import { given } from './invariants.js';

/**
 * Every handler, registered before the workflow's first await. Validators are
 * synchronous; they refuse a caller who may not see the enquiry as if it did not
 * exist, so the api needs no query before a decision. A handler only records the
 * decision (in the state and the timeline); the main flow acts on it, and the outbox
 * publishes its events. It answers with the state once the decision took effect, as
 * the caller may see it.
 */
export function listen(enquiry: Enquiry, joint: JointHandlingStage) {
  const on = decisionsOn(enquiry);
  answerQueries(enquiry, joint);
  recordForwarding(on);
  recordJointHandling(on, joint);
  recordClose(on);
  recordAssignment(on);
  recordJoin(on);
  recordSource(on);
}

/** What every decision's handler needs: the state, its answer and its validator's refusal. */
interface On {
  enquiry: Enquiry;
  state: EnquiryState;
  /** The answer to a decision: once its effect shows, as the actor may see it. */
  answer: (actor: Actor, tookEffect?: () => boolean) => Promise<EnquiryState>;
  refuse: (actor: Actor, refusal: Refusal | null) => void;
}

function decisionsOn(enquiry: Enquiry): On {
  const state = enquiry.state;
  return {
    enquiry,
    state,
    answer: async (actor, tookEffect = () => true) => {
      await condition(tookEffect);
      return stateFor(state, actor.agency);
    },
    refuse: (actor, refusal) => refuseUnlessVisible(state, actor, refusal),
  };
}

/** The state, the timeline, and the lead as a partner sees it: reads, no trace in the history. */
function answerQueries(enquiry: Enquiry, joint: JointHandlingStage) {
  const state = enquiry.state;
  setHandler(stateQuery, () => state);
  setHandler(timelineQuery, () => enquiry.timeline);
  setHandler(leadQuery, (partner) => {
    const offer = state.forwarding?.offers.filter((o) => o.partner === partner).at(-1);
    // The partner reads the forwarding's note with its lead (a query: no trace in the history).
    const note = state.forwarding?.decision?.note;
    if (offer) return { ...leadFor(state, partner, offer), ...(note ? { note } : {}) };
    return joint.partners().includes(partner) ? leadFor(state, partner, null) : null;
  });
}

/** The forwarding decision, the partner's answer and the investor's consent. */
function recordForwarding({ enquiry, state, answer, refuse }: On) {
  setHandler(
    decideForwarding,
    ({ decision, partners, note, actor }) => {
      const forwarding = given(state.forwarding, 'the validator let a decision through only while one waits');
      const chosen = decision === 'approve' ? (partners ?? forwarding.candidates.map((c) => c.agency)) : [];
      forwarding.decision = {
        decision,
        partners: chosen,
        note,
        actor: actorName(actor),
        at: new Date().toISOString(),
      };
      return answer(actor, () => state.status !== 'awaiting_forwarding_decision');
    },
    { validator: ({ actor, ...input }) => refuse(actor, refuseForwardingDecision(state, input, actor)) },
  );

  setHandler(
    answerLead,
    ({ answer: reply, note, actor }) => {
      const offer = given(openOffer(state), 'the validator let an answer through only for an open offer');
      Object.assign(offer, {
        answer: reply === 'accept' ? 'accepted' : 'declined',
        answeredAt: new Date().toISOString(),
        actor: actorName(actor),
        note,
      });
      // Accepted: the partner handles it; declined: the next partner's offer, or back to the responsible agency.
      return answer(actor, () => state.status !== 'awaiting_partner' || openOffer(state) !== undefined);
    },
    { validator: ({ actor }) => refuse(actor, refuseLeadAnswer(state, actor)) },
  );

  setHandler(
    recordConsent,
    ({ actor, givenOn, form, note }) => {
      state.enquiry.consentToShare = true;
      const by = actorName(actor);
      enquiry.consentBy = by;
      // Input of 1.0 (replayed) has no day and form: recorded as it was then, an empty detail.
      const day = givenOn ? { givenOn, form: form ?? null } : {};
      const noted = note ? { note } : {};
      state.consent = { givenOn: givenOn ?? null, form: form ?? null, by, at: new Date().toISOString(), ...noted };
      // Only the timeline and the state change: no command, so no patch (workflows/versions.ts).
      // The main flow sends whoever holds the lead the full lead.
      enquiry.record('consent_recorded', by, enquiry.responsible, { ...day, ...noted });
      return answer(actor);
    },
    { validator: ({ actor }) => refuse(actor, refuseConsent(state, actor)) },
  );
}

/** A vote of an office, and staff asking for one. */
function recordJointHandling({ state, answer, refuse }: On, joint: JointHandlingStage) {
  setHandler(
    castVote,
    ({ office, decision, note, actor }) => {
      joint.castVote(office, decision, actorName(actor), note);
      // The deciding vote answers with the outcome in effect.
      return answer(actor, () => !joint.outcomeCertain() || state.status !== 'awaiting_joint_decision');
    },
    { validator: ({ office, actor }) => refuse(actor, refuseVote(state, office, actor)) },
  );

  setHandler(
    flagJointHandling,
    ({ actor }) => {
      joint.flag(actorName(actor));
      return answer(actor, () => state.status === 'awaiting_joint_decision');
    },
    { validator: ({ actor }) => refuse(actor, refuseFlag(state, actor)) },
  );
}

function recordClose({ enquiry, state, answer, refuse }: On) {
  setHandler(
    closeEnquiry,
    ({ outcome, note, actor }) => {
      enquiry.close(outcome, actorName(actor), actor.agency, note);
      return answer(actor);
    },
    { validator: ({ actor }) => refuse(actor, refuseClose(state, actor)) },
  );
}

/**
 * "Ich übernehme das", handing back, giving it to a colleague: a new update, so an enquiry's
 * history without one replays unchanged (no patch; workflows/versions.ts).
 */
function recordAssignment({ enquiry, state, answer, refuse }: On) {
  setHandler(
    assignTask,
    ({ assignee, actor }) => {
      enquiry.assign(actor.agency, assignee, actorName(actor));
      return answer(actor);
    },
    { validator: ({ actor }) => refuse(actor, refuseAssignment(state, actor)) },
  );
}

/** A co-carer joins an expansion's handling: a new update (1.1), so older histories replay unchanged. */
function recordJoin({ enquiry, state, answer, refuse }: On) {
  setHandler(
    joinHandling,
    ({ actor }) => {
      enquiry.handBy([...state.handlingAgencies, actor.agency]);
      enquiry.record('co_carer_joined', actorName(actor), actor.agency, { agency: actor.agency });
      return answer(actor);
    },
    { validator: ({ actor }) => refuse(actor, refuseJoin(state, actor)) },
  );
}

/** Staff set or correct where the enquiry came from (1.2): a new update, so older histories replay unchanged. */
function recordSource({ enquiry, state, answer, refuse }: On) {
  setHandler(
    setSource,
    ({ source, actor }) => {
      enquiry.setSource(source, actorName(actor), actor.agency);
      return answer(actor);
    },
    { validator: ({ actor }) => refuse(actor, refuseSource(state, actor)) },
  );
}

/**
 * A synchronous validator's refusal: the update is rejected and leaves no trace in the
 * history. Whoever may not see the enquiry learns only that there is none.
 */
function refuseUnlessVisible(state: EnquiryState, actor: Actor, refusal: Refusal | null): void {
  const visible = canSee(state, actor);
  const kind = visible ? refusal?.kind : 'not_found';
  const message = visible ? refusal?.message : `There is no enquiry "${state.enquiryId}" for agency "${actor.agency}".`;
  if (kind) throw ApplicationFailure.create({ type: REFUSAL_TYPES[kind], message, nonRetryable: true });
}
