import type { Candidate, MatchedSite } from '../domain/enquiry.js';
import type { Jurisdiction } from '../domain/jurisdiction.js';
import type { Rejection, Requirements } from '../domain/matching.js';
import type { Agreement, ForwardingTerms } from '../domain/reference.js';
import type { Period } from '../domain/working-days.js';

/** What the intake and the activities find out about an enquiry, as the workflow receives it. */

export interface SiteQuery {
  agency?: string;
  agencies?: string[];
  requirements: Requirements;
  locations?: string[];
  /** An expansion's existing site: every site of the agency fits there, those next to it first. */
  existingSite?: string;
}

export interface AssessmentQuery {
  receivedBy: string;
  preferredLocations?: string[];
  requirements: Requirements;
  existingSite?: string;
}

/** An agency's own sites for an enquiry: the best few, and why the others did not fit. */
export interface OwnSites {
  matches: MatchedSite[];
  unmatched: Rejection[];
}

/**
 * Everything the intake needs to know at once: who is responsible, the agreement with
 * joint handling that covers them, and their own sites within the preferred locations.
 */
export interface Assessment {
  jurisdiction: Jurisdiction;
  jointAgreement: Agreement | null;
  ownSites: OwnSites;
}

export interface DeadlineQuery {
  agency: string;
  /** When the wait starts (the workflow's time, so that a retry computes the same instant). */
  from: string;
  within: Period;
  reminderAfter: Period;
}

/** A deadline and its reminder as instants (ISO 8601). */
export interface DeadlineAt {
  due: string;
  remindAt: string;
}

/**
 * What staff of the responsible agency are asked to decide: the partners that could take
 * the lead, the agreement's terms and the deadline for the decision. No candidates: no
 * terms and no deadline, nobody is asked.
 */
export type ForwardingRequest =
  | { candidates: []; terms: null; deadline: null }
  | { candidates: Candidate[]; terms: ForwardingTerms; deadline: DeadlineAt };
