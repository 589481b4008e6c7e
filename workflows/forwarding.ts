import { condition, patched } from '@temporalio/workflow';
import type { Forwarding, Offer } from '../domain/enquiry.js';
import { who } from '../domain/parties.js';
import type { ForwardingTerms } from '../domain/reference.js';
import type { OwnSites } from '../activities/assessment.js';
import { findPartnerCandidates, findSites, forwardingRequest, forwardingTerms } from './activities.js';
import type { Enquiry } from './enquiry-state.js';
import type { Leads } from './leads.js';
import { deadlineFromNow, deadlineIn, waitUntil, waitWithReminder, WORKING_DAYS, type Deadline } from './deadlines.js';
import { given } from './invariants.js';

/**
 * Since forwarding-request: the partners that could take the lead, the agreement's terms
 * and the decision's deadline come from one activity, and the request to staff (event and
 * mail) names the deadline; before, three activities in a row, and the deadline after it.
 */
export const FORWARDING_REQUEST = 'forwarding-request';

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

  /** The same, with the own sites already found (since one-assessment, by the intake's assessment). */
  async proposeElseForward(own: OwnSites) {
    const { enquiry, state } = this;
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
    const { responsible } = enquiry;
    const requirements = state.enquiry.siteRequirements;
    // Since forwarding-request: candidates, terms and deadline in one activity; the request names the deadline.
    const asked = patched(FORWARDING_REQUEST)
      ? await forwardingRequest({ responsible, requirements, from: new Date().toISOString() })
      : null;
    const candidates = asked ? asked.candidates : await findPartnerCandidates({ responsible, requirements });
    // From here on this stage works on its part of the state, which the api shows as `forwarding`.
    const forwarding: Forwarding = { candidates, decision: null, escalated: false, offers: [], suggestion: null };
    state.forwarding = forwarding;
    if (candidates.length === 0) {
      await this.keepWithResponsible(forwarding, 'no_partner_candidates');
      return;
    }
    const terms = asked ? given(asked.terms, 'candidates come with terms') : await forwardingTerms({ responsible });
    const window = asked ? waitUntil(given(asked.deadline, 'candidates come with a deadline')) : null;
    enquiry.setStatus('awaiting_forwarding_decision');
    await enquiry.record('forwarding_requested', 'system', responsible, {
      candidates: candidates.map((c) => ({
        agency: c.agency,
        bestScore: c.bestScore,
        siteIds: c.sites.map((s) => s.siteId),
      })),
      ...(window ? { due: window.due } : {}),
    });
    await this.awaitForwardingDecision(forwarding, window ?? (await this.decisionWindow(terms)));

    const decision = given(forwarding.decision, 'the forwarding decision was waited for');
    await enquiry.record('forwarding_decided', decision.actor, responsible, {
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
    await this.keepWithResponsible(forwarding, 'no_partner_left');
  }

  /** Before forwarding-request: the decision's deadline, once staff had been asked. */
  private decisionWindow(terms: ForwardingTerms) {
    const { responsible } = this.enquiry;
    return patched(WORKING_DAYS)
      ? deadlineIn(responsible, terms.decisionWithin, terms.reminderAfter)
      : deadlineFromNow(terms.decisionWithin, terms.reminderAfter);
  }

  /** Never decided automatically: a reminder to staff, then the managers too, then wait on. */
  private async awaitForwardingDecision(forwarding: Forwarding, { due, withinMs, reminderAfterMs }: Deadline) {
    const { enquiry } = this;
    const decided = () => forwarding.decision !== null;
    enquiry.setDeadlines([{ kind: 'forwarding_decision', due, who: who.staff(enquiry.responsible) }]);
    const remindStaff = async () => {
      await enquiry.record('reminder_due', 'system', enquiry.responsible, {
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
      await enquiry.record('reminder_due', 'system', enquiry.responsible, {
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
    const window = patched(WORKING_DAYS)
      ? await deadlineIn(partner, terms.partnerResponseWithin, terms.reminderAfter)
      : deadlineFromNow(terms.partnerResponseWithin, terms.reminderAfter);
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
    const remindPartner = async () => {
      await enquiry.record('reminder_due', 'system', partner, {
        about: 'lead_answer',
        to: who.staff(partner),
        due: offer.respondBy,
      });
    };
    const inTime = await waitWithReminder(answered, window.withinMs, window.reminderAfterMs, remindPartner);
    enquiry.setDeadlines([]);
    if (!inTime) {
      Object.assign(offer, { answer: 'expired', answeredAt: new Date().toISOString(), actor: 'system' });
      await enquiry.record('lead_expired', 'system', enquiry.responsible, { partner });
      return 'expired';
    }
    const type = offer.answer === 'accepted' ? 'lead_accepted' : 'lead_declined';
    const actor = given(offer.actor, 'an answered offer names who answered');
    await enquiry.record(type, actor, partner, {
      partner,
      responsible: enquiry.responsible,
      ...(offer.note ? { note: offer.note } : {}),
    });
    return given(offer.answer, 'the answer was waited for');
  }

  private async keepWithResponsible(forwarding: Forwarding, why: 'no_partner_candidates' | 'no_partner_left') {
    const { enquiry } = this;
    forwarding.suggestion = 'close_as_no_site';
    enquiry.handBy([enquiry.responsible]);
    enquiry.setStatus('in_progress');
    await enquiry.record(why, 'system', enquiry.responsible, { suggestion: 'close_as_no_site' });
  }
}
