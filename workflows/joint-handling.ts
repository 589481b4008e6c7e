import type { JointHandling } from '../domain/enquiry.js';
import { jointPartners, who } from '../domain/parties.js';
import type { Agreement, JointHandlingTerms } from '../domain/reference.js';
import { outcomeOf, significance } from '../domain/significance.js';
import { findSites } from './activities.js';
import type { Enquiry } from './enquiry-state.js';
import type { Leads } from './leads.js';
import { deadlineIn, waitWithReminder } from './deadlines.js';
import { given } from './invariants.js';

/** A project that matters to the whole region: the office holders vote, and both parties handle it. */
export class JointHandlingStage {
  /** The agreement's terms for the vote, once an agreement with joint handling covers the enquiry. */
  private terms: JointHandlingTerms | null = null;
  /** Staff asked for joint handling; the main flow runs the vote. */
  private flagged = false;

  constructor(
    private readonly enquiry: Enquiry,
    private readonly leads: Leads,
  ) {}

  private get state() {
    return this.enquiry.state;
  }

  /** The joint-handling part of the state: set when an agreement with joint handling covers the enquiry. */
  private get joint() {
    return given(this.state.jointHandling, 'an agreement with joint handling covers the enquiry');
  }

  /**
   * Under an agreement with joint handling, a project past its thresholds goes to the
   * office holders' vote first. True when they approved and both parties handle it.
   */
  async handledJointly(agreement: Agreement | null): Promise<boolean> {
    const terms = agreement?.jointHandling;
    if (!agreement || !terms) return false;
    const sig = significance(agreement, this.state.enquiry);
    const jh: JointHandling = {
      agreementId: agreement.id,
      parties: agreement.parties,
      offices: terms.offices,
      rule: terms.rule,
      status: 'not_requested',
      reached: sig?.reached ?? [],
      flaggedBy: null,
      votes: [],
      due: null,
    };
    this.state.jointHandling = jh;
    this.terms = terms;
    if (!sig || !(await this.vote(jh, terms))) return false;
    await this.handleJointly();
    return true;
  }

  /** Staff asked for joint handling since the last vote. */
  get flagPending(): boolean {
    return this.flagged;
  }

  /** The vote staff asked for; true when approved. */
  async voteOnRequest(): Promise<boolean> {
    this.flagged = false;
    return this.vote(this.joint, given(this.terms, 'staff may ask only under an agreement with joint handling'));
  }

  /**
   * Every office of the agreement votes; the rule decides as soon as the outcome is
   * certain. A reminder at reminderAfter; at decisionWithin missing votes count as no.
   */
  private async vote(jh: JointHandling, terms: JointHandlingTerms): Promise<boolean> {
    const { enquiry } = this;
    const deadline = await deadlineIn(enquiry.responsible, terms.decisionWithin, terms.reminderAfter);
    jh.status = 'voting';
    jh.due = deadline.due;
    enquiry.markSignificant();
    enquiry.setStatus('awaiting_joint_decision');
    this.showOpenVotes();
    const offices = jh.offices.map((o) => o.id);
    enquiry.record('joint_handling_requested', jh.flaggedBy ?? 'system', enquiry.responsible, {
      agreementId: jh.agreementId,
      offices,
      rule: jh.rule,
      reached: jh.reached,
      ...(jh.flaggedBy ? { flaggedBy: jh.flaggedBy } : {}),
      due: jh.due,
    });

    const missing = () => offices.filter((o) => !jh.votes.some((v) => v.office === o));
    const certain = () => outcomeOf(jh) !== null;
    const remindOffices = () => {
      for (const office of missing()) {
        enquiry.record('reminder_due', 'system', enquiry.responsible, {
          about: 'joint_vote',
          to: who.office(office),
          due: jh.due,
        });
      }
    };
    const inTime = await waitWithReminder(certain, deadline.withinMs, deadline.reminderAfterMs, remindOffices);
    const outcome = given(outcomeOf(jh, !inTime), 'at the deadline missing votes count as no');
    jh.status = outcome === 'approve' ? 'approved' : 'rejected';
    enquiry.setDeadlines([]);
    enquiry.record('joint_handling_decided', 'system', enquiry.responsible, {
      outcome,
      votes: jh.votes.map((v) => ({ office: v.office, decision: v.decision, actor: v.actor })),
      missing: missing(),
      ...(inTime ? {} : { deadlinePassed: true }),
    });
    return outcome === 'approve';
  }

  /** Both parties handle it: the partner gets the lead, and the sites of both are matched. */
  async handleJointly() {
    const { enquiry, state } = this;
    const parties = this.joint.parties;
    enquiry.handBy(parties);
    enquiry.setStatus('in_progress');
    const found = await findSites({ agencies: parties, requirements: state.enquiry.siteRequirements });
    state.matchedSites = found.matches;
    for (const partner of this.partners()) await this.leads.send(partner, null, 'system', 'joint_handling');
    if (found.matches.length > 0) {
      enquiry.record('sites_proposed', 'system', enquiry.responsible, {
        agencies: parties,
        sites: found.matches.map((m) => ({ siteId: m.siteId, agency: m.agency, score: m.score })),
      });
    }
  }

  /** The other parties, once joint handling is approved. */
  partners(): string[] {
    return jointPartners(this.state);
  }

  /** The offices still to vote, as tasks with the vote's deadline. */
  private showOpenVotes() {
    const jh = this.joint;
    const voted = new Set(jh.votes.map((v) => v.office));
    this.enquiry.setDeadlines(
      jh.offices
        .filter((o) => !voted.has(o.id))
        .map((o) => ({ kind: 'joint_vote', due: given(jh.due, 'the vote has its deadline'), who: who.office(o.id) })),
    );
  }

  /** A vote the update's validator let through: recorded, and off the office's task list. */
  castVote(office: string, decision: 'approve' | 'reject', actor: string, note?: string) {
    const jh = this.joint;
    jh.votes.push({ office, decision, actor, at: new Date().toISOString(), ...(note ? { note } : {}) });
    this.showOpenVotes();
    const { agency } = given(
      jh.offices.find((o) => o.id === office),
      'the validator let only this vote’s offices through',
    );
    this.enquiry.record('joint_vote_cast', actor, agency, { office, decision, ...(note ? { note } : {}) });
  }

  /** Whether the votes cast so far decide the vote under the agreement's rule. */
  outcomeCertain(): boolean {
    const jh = this.state.jointHandling;
    return !!jh && outcomeOf(jh) !== null;
  }

  /** Staff ask for joint handling; the main flow starts the vote. */
  flag(actor: string) {
    this.joint.flaggedBy = actor;
    this.flagged = true;
  }
}
