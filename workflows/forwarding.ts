import { condition } from '@temporalio/workflow';
import type { Forwarding, Offer } from '../domain/enquiry.js';
import { who } from '../domain/parties.js';
import type { ForwardingTerms } from '../domain/reference.js';
import type { OwnSites } from '../contract/assessment.js';
import { findSites, forwardingRequest } from './activities.js';
import type { Enquiry } from './enquiry-state.js';
import type { Leads } from './leads.js';
import { deadlineIn, waitUntil, waitWithReminder, type Deadline } from './deadlines.js';
import { given } from './invariants.js';

/** Own sites first; when none fits, a partner's, with a person's yes and the partner's answer. */
export class ForwardingStage {
  constructor(
    private readonly enquiry: Enquiry,
    private readonly leads: Leads,
  ) {}

  private get state() {
    return this.enquiry.state;
  }

  /** The responsible agency's own sites within the preferred locations; forwarding when none fits. */
  async ownSitesElsePartner() {
    const { enquiry, state } = this;
    const own = await findSites({
      agency: enquiry.responsible,
      requirements: state.enquiry.siteRequirements,
      locations: state.enquiry.preferredLocations,
    });
    await this.proposeElseForward(own);
  }

  /** The same, with the own sites already found (by the intake's assessment). */
  async proposeElseForward(own: OwnSites) {
    const { enquiry, state } = this;
    state.unmatchedSites = own.unmatched;
    if (own.matches.length > 0) {
      state.matchedSites = own.matches;
      enquiry.setStatus('in_progress');
      enquiry.record('sites_proposed', 'system', enquiry.responsible, {
        agency: enquiry.responsible,
        sites: own.matches.map((m) => ({ siteId: m.siteId, agency: m.agency, score: m.score })),
      });
      return;
    }
    await this.forward();
  }

  private async forward() {
    const { enquiry, state } = this;
    const { responsible } = enquiry;
    const requirements = state.enquiry.siteRequirements;
    // The partners that could take the lead, the agreement's terms and the decision's deadline.
    const asked = await forwardingRequest({ responsible, requirements, from: new Date().toISOString() });
    // From here on this stage works on its part of the state, which the api shows as `forwarding`.
    const forwarding: Forwarding = {
      candidates: asked.candidates,
      decision: null,
      escalated: false,
      offers: [],
      suggestion: null,
    };
    state.forwarding = forwarding;
    if (asked.terms === null) {
      this.keepWithResponsible(forwarding, 'no_partner_candidates');
      return;
    }
    const { terms } = asked;
    const window = waitUntil(asked.deadline);
    enquiry.setStatus('awaiting_forwarding_decision');
    enquiry.record('forwarding_requested', 'system', responsible, {
      candidates: asked.candidates.map((c) => ({
        agency: c.agency,
        bestScore: c.bestScore,
        siteIds: c.sites.map((s) => s.siteId),
      })),
      due: window.due,
    });
    await this.awaitForwardingDecision(forwarding, window);

    const decision = given(forwarding.decision, 'the forwarding decision was waited for');
    enquiry.record('forwarding_decided', decision.actor, responsible, {
      decision: decision.decision,
      partners: decision.partners,
      ...(decision.note ? { note: decision.note } : {}),
    });
    if (decision.decision === 'reject') {
      enquiry.setStatus('in_progress');
      return;
    }
    for (const partner of decision.partners) {
      if ((await this.offerLead(forwarding, partner, terms, decision.actor)) === 'accepted') {
        enquiry.handBy([partner]);
        enquiry.setStatus('in_progress');
        return;
      }
    }
    this.keepWithResponsible(forwarding, 'no_partner_left');
  }

  /** Never decided automatically: a reminder to staff, then the managers too, then wait on. */
  private async awaitForwardingDecision(forwarding: Forwarding, { due, withinMs, reminderAfterMs }: Deadline) {
    const { enquiry } = this;
    const decided = () => forwarding.decision !== null;
    enquiry.setDeadlines([{ kind: 'forwarding_decision', due, who: who.staff(enquiry.responsible) }]);
    const remindStaff = () => {
      enquiry.record('reminder_due', 'system', enquiry.responsible, {
        about: 'forwarding_decision',
        to: who.staff(enquiry.responsible),
        due,
      });
    };
    if (!(await waitWithReminder(decided, withinMs, reminderAfterMs, remindStaff))) {
      // Overdue: the managers may decide too, and are told so.
      forwarding.escalated = true;
      enquiry.setDeadlines([
        { kind: 'forwarding_decision_overdue', due, who: who.staff(enquiry.responsible) },
        { kind: 'forwarding_decision_overdue', due, who: who.manager(enquiry.responsible) },
      ]);
      enquiry.record('reminder_due', 'system', enquiry.responsible, {
        about: 'forwarding_decision',
        to: who.manager(enquiry.responsible),
        escalated: true,
        due,
      });
      await condition(decided);
    }
    enquiry.setDeadlines([]);
  }

  /** Offers the lead to one partner and waits for its answer until partnerResponseWithin. */
  private async offerLead(
    forwarding: Forwarding,
    partner: string,
    terms: ForwardingTerms,
    decidedBy: string,
  ): Promise<NonNullable<Offer['answer']>> {
    const { enquiry } = this;
    const window = await deadlineIn(partner, terms.partnerResponseWithin, terms.reminderAfter);
    const offer: Offer = {
      partner,
      offeredAt: new Date().toISOString(),
      respondBy: window.due,
      answer: null,
      answeredAt: null,
      actor: null,
    };
    forwarding.offers.push(offer);
    enquiry.syncAgencies();
    enquiry.setStatus('awaiting_partner');
    enquiry.setDeadlines([{ kind: 'lead_answer', due: offer.respondBy, who: who.staff(partner) }]);
    await this.leads.send(partner, offer, decidedBy, 'decision');

    const answered = () => offer.answer !== null;
    const remindPartner = () => {
      enquiry.record('reminder_due', 'system', partner, {
        about: 'lead_answer',
        to: who.staff(partner),
        due: offer.respondBy,
      });
    };
    const inTime = await waitWithReminder(answered, window.withinMs, window.reminderAfterMs, remindPartner);
    enquiry.setDeadlines([]);
    if (!inTime) {
      Object.assign(offer, { answer: 'expired', answeredAt: new Date().toISOString(), actor: 'system' });
      enquiry.record('lead_expired', 'system', enquiry.responsible, { partner });
      return 'expired';
    }
    const type = offer.answer === 'accepted' ? 'lead_accepted' : 'lead_declined';
    const actor = given(offer.actor, 'an answered offer names who answered');
    enquiry.record(type, actor, partner, {
      partner,
      responsible: enquiry.responsible,
      ...(offer.note ? { note: offer.note } : {}),
    });
    return given(offer.answer, 'the answer was waited for');
  }

  private keepWithResponsible(forwarding: Forwarding, why: 'no_partner_candidates' | 'no_partner_left') {
    const { enquiry } = this;
    forwarding.suggestion = 'close_as_no_site';
    enquiry.handBy([enquiry.responsible]);
    enquiry.setStatus('in_progress');
    enquiry.record(why, 'system', enquiry.responsible, { suggestion: 'close_as_no_site' });
  }
}
