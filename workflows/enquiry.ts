import { allHandlersFinished, ApplicationFailure, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { actorName, refuseClose, refuseConsent, refuseFlag, refuseForwardingDecision, refuseLeadAnswer, refuseVote, type Refusal } from '../domain/decisions.js';
import { durationMs } from '../domain/duration.js';
import { openOffer, type EnquiryState, type Offer } from '../domain/enquiry.js';
import { leadFor, released } from '../domain/redaction.js';
import type { Agreement, ForwardingTerms } from '../domain/reference.js';
import { significance, voteOutcome } from '../domain/significance.js';
import { answerLead, castVote, closeEnquiry, decideForwarding, flagJointHandling, leadQuery, recordConsent, REFUSAL_TYPES, stateQuery, timelineQuery, type EnquiryInput } from './definitions.js';
import { Enquiry } from './enquiry-state.js';

const { determineJurisdiction, findSites, findPartnerCandidates, forwardingTerms, jointAgreement, publishLead } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 ms', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

// A partner's webhook gets a few tries with backoff; the lead on NATS does not depend on it.
const { postLeadWebhook } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 8 },
});

/** Behaviour added after the first enquiries were taken in: those keep their old path. */
const SITE_MATCHING = 'site-matching';
const JOINT_HANDLING = 'joint-handling';

/** One enquiry, from the webhook to its close. */
export async function enquiryWorkflow(input: EnquiryInput): Promise<EnquiryState> {
  const enquiry = new Enquiry(input);
  const process = new EnquiryProcess(enquiry);
  process.listen();

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
      await process.considerJointHandling();
    } else {
      await process.matchOwnSites();
    }
  }

  await process.untilClosed();
  await condition(allHandlersFinished);
  await process.settled();
  return enquiry.state;
}

/** The stages after jurisdiction: own sites, forwarding to partners, their answers, and the human decisions in between. */
class EnquiryProcess {
  private readonly state: EnquiryState;
  private readonly background: Promise<unknown>[] = [];
  private jointTerms: NonNullable<Agreement['jointHandling']> | null = null;
  /** Staff asked for joint handling; the main flow runs the vote. */
  private flagged = false;
  /** Votes whose joint_vote_cast event is out: the decision is published after them. */
  private votesPublished = 0;

  constructor(private readonly enquiry: Enquiry) {
    this.state = enquiry.state;
  }

  /** Every handler, registered before the workflow's first await. Validators are synchronous. */
  listen() {
    const { enquiry, state } = this;
    setHandler(stateQuery, () => state);
    setHandler(timelineQuery, () => enquiry.timeline);
    setHandler(leadQuery, (partner) => {
      const offer = state.forwarding?.offers.filter((o) => o.partner === partner).at(-1);
      if (offer) return leadFor(state, partner, offer);
      return this.jointPartners().includes(partner) ? leadFor(state, partner, null) : null;
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
        if (holder) await this.sendLead(holder.partner, holder, actorName(actor), 'consent');
        for (const partner of this.jointPartners()) await this.sendLead(partner, null, actorName(actor), 'consent');
        return state;
      },
      { validator: ({ actor }) => refuse(refuseConsent(state, actor)) },
    );

    setHandler(
      castVote,
      async ({ office, decision, note, actor }) => {
        const jh = state.jointHandling!;
        jh.votes.push({ office, decision, actor: actorName(actor), at: new Date().toISOString(), ...(note ? { note } : {}) });
        this.showOpenVotes();
        const agency = jh.offices.find((o) => o.id === office)!.agency;
        await enquiry.record('joint_vote_cast', actorName(actor), agency, { office, decision, ...(note ? { note } : {}) });
        this.votesPublished++;
        return state;
      },
      { validator: ({ office, actor }) => refuse(refuseVote(state, office, actor)) },
    );

    setHandler(
      flagJointHandling,
      ({ actor }) => {
        state.jointHandling!.flaggedBy = actorName(actor);
        this.flagged = true;
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

  /** A project that matters to the whole region goes to the office holders' vote first. */
  async considerJointHandling() {
    const { enquiry, state } = this;
    const agreement = await jointAgreement({ responsible: enquiry.responsible });
    if (agreement?.jointHandling) {
      const { offices, rule } = agreement.jointHandling;
      this.jointTerms = agreement.jointHandling;
      const sig = significance(agreement, state.enquiry);
      state.jointHandling = { agreementId: agreement.id, parties: agreement.parties, offices, rule, status: 'not_requested', reached: sig?.reached ?? [], flaggedBy: null, votes: [], due: null };
      if (sig && (await this.vote())) {
        await this.handleJointly();
        return;
      }
    }
    await this.matchOwnSites();
  }

  /** Until closed; a staff flag meanwhile starts the vote. */
  async untilClosed() {
    const { enquiry, state } = this;
    for (;;) {
      await condition(() => state.status === 'closed' || this.flagged);
      if (state.status === 'closed') return;
      this.flagged = false;
      if (await this.vote()) await this.handleJointly();
      else enquiry.setStatus('in_progress');
    }
  }

  /**
   * Every office of the agreement votes; the rule decides as soon as the outcome is
   * certain. A reminder at reminderAfter; at decisionWithin missing votes count as no.
   */
  private async vote(): Promise<boolean> {
    const { enquiry, state } = this;
    const jh = state.jointHandling!;
    const terms = this.jointTerms!;
    const decisionMs = durationMs(terms.decisionWithin);
    jh.status = 'voting';
    jh.due = new Date(Date.now() + decisionMs).toISOString();
    enquiry.markSignificant();
    enquiry.setStatus('awaiting_joint_decision');
    this.showOpenVotes();
    const offices = jh.offices.map((o) => o.id);
    await enquiry.record('joint_handling_requested', jh.flaggedBy ?? 'system', enquiry.responsible, {
      agreementId: jh.agreementId,
      offices,
      rule: jh.rule,
      reached: jh.reached,
      ...(jh.flaggedBy ? { flaggedBy: jh.flaggedBy } : {}),
      due: jh.due,
    });

    const ballot = () => Object.fromEntries(jh.votes.map((v) => [v.office, v.decision]));
    const certain = () => voteOutcome(jh.rule, offices, ballot()) !== null && this.votesPublished === jh.votes.length;
    const reminderMs = Math.min(durationMs(terms.reminderAfter), decisionMs);
    let inTime = await condition(certain, reminderMs);
    if (!inTime && reminderMs < decisionMs) {
      for (const office of offices.filter((o) => !(o in ballot()))) {
        await enquiry.record('reminder_due', 'system', enquiry.responsible, { about: 'joint_vote', to: `office:${office}`, due: jh.due });
      }
      inTime = await condition(certain, decisionMs - reminderMs);
    }
    const outcome = voteOutcome(jh.rule, offices, ballot(), !inTime)!;
    jh.status = outcome === 'approve' ? 'approved' : 'rejected';
    await condition(() => this.votesPublished === jh.votes.length);
    enquiry.setDeadlines([]);
    await enquiry.record('joint_handling_decided', 'system', enquiry.responsible, {
      outcome,
      votes: jh.votes.map((v) => ({ office: v.office, decision: v.decision, actor: v.actor })),
      missing: offices.filter((o) => !(o in ballot())),
      ...(inTime ? {} : { deadlinePassed: true }),
    });
    return outcome === 'approve';
  }

  /** Both parties handle it: the partner gets the lead, and the sites of both are matched. */
  private async handleJointly() {
    const { enquiry, state } = this;
    const parties = state.jointHandling!.parties;
    enquiry.handBy(parties);
    const found = await findSites({ agencies: parties, requirements: state.enquiry.siteRequirements });
    state.matchedSites = found.matches;
    for (const partner of this.jointPartners()) await this.sendLead(partner, null, 'system', 'joint_handling');
    enquiry.setStatus('in_progress');
    if (found.matches.length > 0) {
      await enquiry.record('sites_proposed', 'system', enquiry.responsible, {
        agencies: parties,
        sites: found.matches.map((m) => ({ siteId: m.siteId, agency: m.agency, score: m.score })),
      });
    }
  }

  private jointPartners(): string[] {
    const jh = this.state.jointHandling;
    return jh?.status === 'approved' ? jh.parties.filter((p) => p !== this.enquiry.responsible) : [];
  }

  /** The offices still to vote, as tasks with the vote's deadline. */
  private showOpenVotes() {
    const jh = this.state.jointHandling!;
    const voted = new Set(jh.votes.map((v) => v.office));
    this.enquiry.setDeadlines(jh.offices.filter((o) => !voted.has(o.id)).map((o) => ({ kind: 'joint_vote', due: jh.due!, who: `office:${o.id}` })));
  }

  /** The responsible agency's own sites within the preferred locations; forwarding when none fits. */
  async matchOwnSites() {
    const { enquiry, state } = this;
    const own = await findSites({
      agency: enquiry.responsible,
      requirements: state.enquiry.siteRequirements,
      locations: state.enquiry.preferredLocations,
    });
    state.unmatchedSites = own.unmatched;
    if (own.matches.length > 0) {
      state.matchedSites = own.matches;
      enquiry.setStatus('in_progress');
      await enquiry.record('sites_proposed', 'system', enquiry.responsible, {
        agency: enquiry.responsible,
        sites: own.matches.map((m) => ({ siteId: m.siteId, agency: m.agency, score: m.score })),
      });
      return;
    }
    await this.forward();
  }

  private async forward() {
    const { enquiry, state } = this;
    const candidates = await findPartnerCandidates({ responsible: enquiry.responsible, requirements: state.enquiry.siteRequirements });
    state.forwarding = { candidates, decision: null, escalated: false, offers: [], suggestion: null };
    if (candidates.length === 0) {
      await this.keepWithResponsible('no_partner_candidates');
      return;
    }
    const terms = await forwardingTerms({ responsible: enquiry.responsible });
    enquiry.setStatus('awaiting_forwarding_decision');
    await enquiry.record('forwarding_requested', 'system', enquiry.responsible, {
      candidates: candidates.map((c) => ({ agency: c.agency, bestScore: c.bestScore, siteIds: c.sites.map((s) => s.siteId) })),
    });
    await this.awaitForwardingDecision(terms);

    const decision = state.forwarding.decision!;
    await enquiry.record('forwarding_decided', decision.actor, enquiry.responsible, {
      decision: decision.decision,
      partners: decision.partners,
      ...(decision.note ? { note: decision.note } : {}),
    });
    if (decision.decision === 'reject') {
      enquiry.setStatus('in_progress');
      return;
    }
    for (const partner of decision.partners) {
      if ((await this.offerLead(partner, terms, decision.actor)) === 'accepted') {
        enquiry.handBy([partner]);
        enquiry.setStatus('in_progress');
        return;
      }
    }
    await this.keepWithResponsible('no_partner_left');
  }

  /** Never decided automatically: a reminder to staff, then the managers too, then wait on. */
  private async awaitForwardingDecision(terms: ForwardingTerms) {
    const { enquiry, state } = this;
    const decided = () => state.forwarding?.decision != null;
    const due = new Date(Date.now() + durationMs(terms.decisionWithin)).toISOString();
    enquiry.setDeadlines([{ kind: 'forwarding_decision', due, who: `staff:${enquiry.responsible}` }]);
    const reminderMs = Math.min(durationMs(terms.reminderAfter), durationMs(terms.decisionWithin));
    if (!(await condition(decided, reminderMs))) {
      await enquiry.record('reminder_due', 'system', enquiry.responsible, { about: 'forwarding_decision', to: `staff:${enquiry.responsible}`, due });
      if (!(await condition(decided, durationMs(terms.decisionWithin) - reminderMs))) {
        state.forwarding!.escalated = true;
        enquiry.setDeadlines([
          { kind: 'forwarding_decision_overdue', due, who: `staff:${enquiry.responsible}` },
          { kind: 'forwarding_decision_overdue', due, who: `manager:${enquiry.responsible}` },
        ]);
        await enquiry.record('reminder_due', 'system', enquiry.responsible, { about: 'forwarding_decision', to: `manager:${enquiry.responsible}`, escalated: true, due });
        await condition(decided);
      }
    }
    enquiry.setDeadlines([]);
  }

  /** Offers the lead to one partner and waits for its answer until partnerResponseWithin. */
  private async offerLead(partner: string, terms: ForwardingTerms, decidedBy: string): Promise<NonNullable<Offer['answer']>> {
    const { enquiry, state } = this;
    const windowMs = durationMs(terms.partnerResponseWithin);
    const offer: Offer = {
      partner,
      offeredAt: new Date().toISOString(),
      respondBy: new Date(Date.now() + windowMs).toISOString(),
      answer: null,
      answeredAt: null,
      actor: null,
    };
    state.forwarding!.offers.push(offer);
    enquiry.syncAgencies();
    enquiry.setStatus('awaiting_partner');
    enquiry.setDeadlines([{ kind: 'lead_answer', due: offer.respondBy, who: `staff:${partner}` }]);
    await this.sendLead(partner, offer, decidedBy, 'decision');

    const answered = () => offer.answer !== null;
    const reminderMs = Math.min(durationMs(terms.reminderAfter), windowMs);
    let inTime = await condition(answered, reminderMs);
    if (!inTime && reminderMs < windowMs) {
      await enquiry.record('reminder_due', 'system', partner, { about: 'lead_answer', to: `staff:${partner}`, due: offer.respondBy });
      inTime = await condition(answered, windowMs - reminderMs);
    }
    enquiry.setDeadlines([]);
    if (!inTime) {
      Object.assign(offer, { answer: 'expired', answeredAt: new Date().toISOString(), actor: 'system' });
      await enquiry.record('lead_expired', 'system', enquiry.responsible, { partner });
      return 'expired';
    }
    const type = offer.answer === 'accepted' ? 'lead_accepted' : 'lead_declined';
    await enquiry.record(type, offer.actor!, partner, { partner, ...(offer.note ? { note: offer.note } : {}) });
    return offer.answer!;
  }

  /** The lead on leads.<partner>, and to the partner's webhook in the background. */
  private async sendLead(partner: string, offer: Offer | null, actor: string, because: 'decision' | 'consent' | 'joint_handling') {
    const { enquiry, state } = this;
    const step = await enquiry.record('lead_forwarded', actor, enquiry.responsible, {
      partner,
      ...(offer ? { respondBy: offer.respondBy } : {}),
      released: released(state),
      because,
    });
    const lead = leadFor(state, partner, offer);
    await publishLead({ lead, step, time: new Date().toISOString() });
    this.background.push(
      postLeadWebhook({ lead, step }).catch((err: Error) =>
        enquiry.record('lead_webhook_failed', 'system', enquiry.responsible, { partner, error: err.message }),
      ),
    );
  }

  private async keepWithResponsible(why: 'no_partner_candidates' | 'no_partner_left') {
    const { enquiry, state } = this;
    state.forwarding!.suggestion = 'close_as_no_site';
    enquiry.handBy([enquiry.responsible]);
    enquiry.setStatus('in_progress');
    await enquiry.record(why, 'system', enquiry.responsible, { suggestion: 'close_as_no_site' });
  }

  /** Lets webhook deliveries still under way finish before the workflow completes. */
  async settled() {
    await Promise.all(this.background);
  }
}

/** A synchronous validator's refusal: the update is rejected and leaves no trace in the history. */
function refuse(refusal: Refusal | null): void {
  if (refusal) throw ApplicationFailure.create({ type: REFUSAL_TYPES[refusal.kind], message: refusal.message, nonRetryable: true });
}
