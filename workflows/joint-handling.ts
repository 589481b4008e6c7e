import { condition } from '@temporalio/workflow';
import { durationMs } from '../domain/duration.js';
import { who } from '../domain/enquiry.js';
import type { Agreement } from '../domain/reference.js';
import { significance, voteOutcome } from '../domain/significance.js';
import { findSites, jointAgreement } from './activities.js';
import type { Enquiry } from './enquiry-state.js';
import type { ForwardingStage } from './forwarding.js';
import type { Leads } from './leads.js';

/** A project that matters to the whole region: the office holders vote, and both parties handle it. */
export class JointHandlingStage {
  private jointTerms: NonNullable<Agreement['jointHandling']> | null = null;
  /** Staff asked for joint handling; the main flow runs the vote. */
  private flagged = false;
  /** Votes whose joint_vote_cast event is out: the decision is published after them. */
  private votesPublished = 0;

  constructor(
    private readonly enquiry: Enquiry,
    private readonly leads: Leads,
    private readonly sites: ForwardingStage,
  ) {}

  private get state() {
    return this.enquiry.state;
  }

  /** A project that matters to the whole region goes to the office holders' vote first. */
  async consider() {
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
    await this.sites.run();
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
        await enquiry.record('reminder_due', 'system', enquiry.responsible, { about: 'joint_vote', to: who.office(office), due: jh.due });
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
    for (const partner of this.partners()) await this.leads.send(partner, null, 'system', 'joint_handling');
    enquiry.setStatus('in_progress');
    if (found.matches.length > 0) {
      await enquiry.record('sites_proposed', 'system', enquiry.responsible, {
        agencies: parties,
        sites: found.matches.map((m) => ({ siteId: m.siteId, agency: m.agency, score: m.score })),
      });
    }
  }

  /** The other parties, once joint handling is approved. */
  partners(): string[] {
    const jh = this.state.jointHandling;
    return jh?.status === 'approved' ? jh.parties.filter((p) => p !== this.enquiry.responsible) : [];
  }

  /** The offices still to vote, as tasks with the vote's deadline. */
  private showOpenVotes() {
    const jh = this.state.jointHandling!;
    const voted = new Set(jh.votes.map((v) => v.office));
    this.enquiry.setDeadlines(jh.offices.filter((o) => !voted.has(o.id)).map((o) => ({ kind: 'joint_vote', due: jh.due!, who: who.office(o.id) })));
  }

  /** A vote the update's validator let through: recorded, published, and off the office's task list. */
  async castVote(office: string, decision: 'approve' | 'reject', actor: string, note?: string) {
    const jh = this.state.jointHandling!;
    jh.votes.push({ office, decision, actor, at: new Date().toISOString(), ...(note ? { note } : {}) });
    this.showOpenVotes();
    const agency = jh.offices.find((o) => o.id === office)!.agency;
    await this.enquiry.record('joint_vote_cast', actor, agency, { office, decision, ...(note ? { note } : {}) });
    this.votesPublished++;
  }

  /** Staff ask for joint handling; the vote starts from untilClosed. */
  flag(actor: string) {
    this.state.jointHandling!.flaggedBy = actor;
    this.flagged = true;
  }
}
