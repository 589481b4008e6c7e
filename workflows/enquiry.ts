import { allHandlersFinished, ApplicationFailure, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { actorName, refuseClose, refuseConsent, refuseForwardingDecision, refuseLeadAnswer, type Refusal } from '../domain/decisions.js';
import { durationMs } from '../domain/duration.js';
import { openOffer, type EnquiryState, type Offer } from '../domain/enquiry.js';
import { leadFor, released } from '../domain/redaction.js';
import type { ForwardingTerms } from '../domain/reference.js';
import { answerLead, closeEnquiry, decideForwarding, leadQuery, recordConsent, REFUSAL_TYPES, stateQuery, timelineQuery, type EnquiryInput } from './definitions.js';
import { Enquiry } from './enquiry-state.js';

const { determineJurisdiction, findSites, findPartnerCandidates, forwardingTerms, publishLead } = proxyActivities<Activities>({
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
    await process.matchOwnSites();
  }

  await condition(() => enquiry.state.status === 'closed');
  await condition(allHandlersFinished);
  await process.settled();
  return enquiry.state;
}

/** The stages after jurisdiction: own sites, forwarding to partners, their answers, and the human decisions in between. */
class EnquiryProcess {
  private readonly state: EnquiryState;
  private readonly background: Promise<unknown>[] = [];

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
      return offer ? leadFor(state, offer) : null;
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
        // The partner that holds the lead now gets it in full.
        const holder = openOffer(state) ?? state.forwarding?.offers.find((o) => o.answer === 'accepted');
        if (holder) await this.sendLead(holder, actorName(actor), 'consent');
        return state;
      },
      { validator: ({ actor }) => refuse(refuseConsent(state, actor)) },
    );

    setHandler(
      closeEnquiry,
      async ({ outcome, note, actor }) => {
        state.outcome = outcome;
        enquiry.setDeadlines([]);
        enquiry.setStatus('closed');
        await enquiry.record('closed', actorName(actor), actor.agency, { outcome, ...(note ? { note } : {}) });
        return state;
      },
      { validator: ({ actor }) => refuse(refuseClose(state, actor)) },
    );
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
        enquiry.setDeadlines([{ kind: 'forwarding_decision_overdue', due, who: `manager:${enquiry.responsible}` }]);
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
    await this.sendLead(offer, decidedBy, 'decision');

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
  private async sendLead(offer: Offer, actor: string, because: 'decision' | 'consent') {
    const { enquiry, state } = this;
    const step = await enquiry.record('lead_forwarded', actor, enquiry.responsible, {
      partner: offer.partner,
      respondBy: offer.respondBy,
      released: released(state),
      because,
    });
    const lead = leadFor(state, offer);
    await publishLead({ lead, step, time: new Date().toISOString() });
    this.background.push(
      postLeadWebhook({ lead, step }).catch((err: Error) =>
        enquiry.record('lead_webhook_failed', 'system', enquiry.responsible, { partner: offer.partner, error: err.message }),
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
