import type { EnquirySubmission, JointHandling } from './enquiry.js';
import type { Agreement } from './reference.js';

/**
 * Regional significance: the agreement IRL and WFG Nordsachsen signed leaves "matters
 * to the whole region" undefined; Lotse reads it as thresholds in the agreement's
 * data (jobs, investment, site area), any one of them reached, plus a staff flag.
 */

export type Threshold = 'jobs' | 'investmentEur' | 'areaM2';

export interface Significance {
  agreementId: string;
  /** The thresholds the enquiry reaches; empty when only flagged. */
  reached: Threshold[];
}

/** The agreement with joint handling that covers the responsible agency, if any. */
export function jointAgreementFor(agreements: readonly Agreement[], responsible: string): Agreement | undefined {
  return agreements.find((a) => a.jointHandling && a.parties.includes(responsible));
}

export function significance(agreement: Agreement | undefined, submission: EnquirySubmission): Significance | null {
  const t = agreement?.jointHandling?.thresholds;
  if (!agreement || !t) return null;
  const reached: Threshold[] = [];
  if (t.jobs !== undefined && submission.project.jobs >= t.jobs) reached.push('jobs');
  if (t.investmentEur !== undefined && submission.project.investmentEur >= t.investmentEur)
    reached.push('investmentEur');
  if (t.areaM2 !== undefined && submission.siteRequirements.areaM2Min >= t.areaM2) reached.push('areaM2');
  return reached.length > 0 ? { agreementId: agreement.id, reached } : null;
}

export type Vote = 'approve' | 'reject';

/**
 * The outcome as soon as it is certain, or null while it still depends on votes to
 * come. `all`: every office approves; `majority`: more than half of them. Votes still
 * missing at the deadline count as no (`final`).
 */
export function voteOutcome(
  rule: 'all' | 'majority',
  offices: readonly string[],
  votes: Record<string, Vote>,
  final = false,
): Vote | null {
  const n = offices.length;
  const approvals = offices.filter((o) => votes[o] === 'approve').length;
  const open = offices.filter((o) => votes[o] === undefined).length;
  const needed = rule === 'all' ? n : Math.floor(n / 2) + 1;
  if (approvals >= needed) return 'approve';
  if (approvals + (final ? 0 : open) < needed) return 'reject';
  return final ? 'reject' : null;
}

/** The outcome of a joint handling's vote from the votes cast so far (see voteOutcome). */
export const outcomeOf = (jh: Pick<JointHandling, 'rule' | 'offices' | 'votes'>, final = false): Vote | null =>
  voteOutcome(
    jh.rule,
    jh.offices.map((o) => o.id),
    Object.fromEntries(jh.votes.map((v) => [v.office, v.decision])),
    final,
  );
