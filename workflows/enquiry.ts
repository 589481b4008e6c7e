import { allHandlersFinished, ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import { actorName, refuseClose, refuseConsent, refuseFlag, refuseForwardingDecision, refuseLeadAnswer, refuseVote, type Refusal } from '../domain/decisions.js';
import { openOffer, type EnquiryState } from '../domain/enquiry.js';
import { leadFor } from '../domain/redaction.js';
import { answerLead, castVote, closeEnquiry, decideForwarding, flagJointHandling, leadQuery, recordConsent, REFUSAL_TYPES, stateQuery, timelineQuery, type EnquiryInput } from './definitions.js';
import { determineJurisdiction } from './activities.js';
import { Enquiry } from './enquiry-state.js';
import { ForwardingStage } from './forwarding.js';
import { JointHandlingStage } from './joint-handling.js';
import { Leads } from './leads.js';

/** Behaviour added after the first enquiries were taken in: those keep their old path. */
const SITE_MATCHING = 'site-matching';
const JOINT_HANDLING = 'joint-handling';

/** One enquiry, from the webhook to its close. */
export async function enquiryWorkflow(input: EnquiryInput): Promise<EnquiryState> {
  const enquiry = new Enquiry(input);
  const leads = new Leads(enquiry);
  const sites = new ForwardingStage(enquiry, leads);
  const joint = new JointHandlingStage(enquiry, leads, sites);
  listen(enquiry, leads, joint);

  await enquiry.record('received', `agency:${input.receivedBy}`, input.receivedBy, { kind: input.submission.kind, receivedBy: input.receivedBy });
  const jurisdiction = await determineJurisdiction({ receivedBy: input.receivedBy, preferredLocations: input.submission.preferredLocations });
  enquiry.assignResponsibility(jurisdiction.responsibleAgency, jurisdiction);

  if (!patched(SITE_MATCHING)) {
    // Enquiries taken in before site matching existed: the responsible agency works them.
    enquiry.setStatus('in_progress');
    await enquiry.record('jurisdiction_determined', 'system', jurisdiction.responsibleAgency, { ...jurisdiction });
  } else {
    await enquiry.record('jurisdiction_determined', 'system', jurisdiction.responsibleAgency, { ...jurisdiction });
    if (patched(JOINT_HANDLING)) {
      enquiry.showTasks();
      await joint.consider();
    } else {
      await sites.run();
    }
  }

  await joint.untilClosed();
  await condition(allHandlersFinished);
  await leads.settled();
  return enquiry.state;
}

/** Every handler, registered before the workflow's first await. Validators are synchronous. */
function listen(enquiry: Enquiry, leads: Leads, joint: JointHandlingStage) {
  const state = enquiry.state;
  setHandler(stateQuery, () => state);
  setHandler(timelineQuery, () => enquiry.timeline);
  setHandler(leadQuery, (partner) => {
    const offer = state.forwarding?.offers.filter((o) => o.partner === partner).at(-1);
    if (offer) return leadFor(state, partner, offer);
    return joint.partners().includes(partner) ? leadFor(state, partner, null) : null;
  });

  setHandler(
    decideForwarding,
    ({ decision, partners, note, actor }) => {
      const chosen = decision === 'approve' ? (partners ?? state.forwarding!.candidates.map((c) => c.agency)) : [];
      state.forwarding!.decision = { decision, partners: chosen, note, actor: actorName(actor), at: new Date().toISOString() };
      return state;
    },
    { validator: ({ actor, ...input }) => refuse(refuseForwardingDecision(state, input, actor)) },
  );

  setHandler(
    answerLead,
    ({ answer, note, actor }) => {
      const offer = openOffer(state)!;
      Object.assign(offer, { answer: answer === 'accept' ? 'accepted' : 'declined', answeredAt: new Date().toISOString(), actor: actorName(actor), note });
      return state;
    },
    { validator: ({ actor }) => refuse(refuseLeadAnswer(state, actor)) },
  );

  setHandler(
    recordConsent,
    async ({ actor }) => {
      state.enquiry.consentToShare = true;
      await enquiry.record('consent_recorded', actorName(actor), enquiry.responsible, {});
      // Whoever holds the lead now gets it in full.
      const holder = openOffer(state) ?? state.forwarding?.offers.find((o) => o.answer === 'accepted');
      if (holder) await leads.send(holder.partner, holder, actorName(actor), 'consent');
      for (const partner of joint.partners()) await leads.send(partner, null, actorName(actor), 'consent');
      return state;
    },
    { validator: ({ actor }) => refuse(refuseConsent(state, actor)) },
  );

  setHandler(
    castVote,
    async ({ office, decision, note, actor }) => {
      await joint.castVote(office, decision, actorName(actor), note);
      return state;
    },
    { validator: ({ office, actor }) => refuse(refuseVote(state, office, actor)) },
  );

  setHandler(
    flagJointHandling,
    ({ actor }) => {
      joint.flag(actorName(actor));
      return state;
    },
    { validator: ({ actor }) => refuse(refuseFlag(state, actor)) },
  );

  setHandler(
    closeEnquiry,
    async ({ outcome, note, actor }) => {
      state.outcome = outcome;
      enquiry.setDeadlines([]);
      enquiry.setStatus('closed');
      // Project figures (no personal data) and who handled it, for the statistics.
      await enquiry.record('closed', actorName(actor), actor.agency, {
        outcome,
        ...(note ? { note } : {}),
        handlingAgencies: state.handlingAgencies,
        jobs: state.enquiry.project.jobs,
        investmentEur: state.enquiry.project.investmentEur,
      });
      return state;
    },
    { validator: ({ actor }) => refuse(refuseClose(state, actor)) },
  );
}

/** A synchronous validator's refusal: the update is rejected and leaves no trace in the history. */
function refuse(refusal: Refusal | null): void {
  if (refusal) throw ApplicationFailure.create({ type: REFUSAL_TYPES[refusal.kind], message: refusal.message, nonRetryable: true });
}
