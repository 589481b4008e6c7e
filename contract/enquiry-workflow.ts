import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, ForwardingDecisionInput } from '../domain/decisions.js';
import type { ConsentForm, EnquiryState, EnquirySubmission, FirmLink, TimelineEntry } from '../domain/enquiry.js';
import type { Lead } from '../domain/lead.js';
import type { Source } from '../domain/programme.js';
import type { Assessment } from './assessment.js';

/** The messages the api exchanges with an enquiry workflow. */

export const ENQUIRY_WORKFLOW = 'enquiryWorkflow';

/** The visibility query for the enquiries of one deployment (its task queue), to which a query adds its filter. */
export const enquiriesOf = (taskQueue: string) => `TaskQueue = '${taskQueue}' AND WorkflowType = '${ENQUIRY_WORKFLOW}'`;

/**
 * The release (major.minor of package.json, a test checks) that an enquiry started now
 * carries in its search attribute `LotseRelease`; CHANGELOG.md says what each brought.
 */
export const RELEASE = '1.0';

export interface EnquiryInput {
  enquiryId: string;
  receivedBy: string;
  /** When the webhook accepted the enquiry (ISO 8601). */
  receivedAt: string;
  submission: EnquirySubmission;
  /**
   * Who is responsible, their agreement and own sites, as the intake found them (absent
   * when the intake could not tell in time: the workflow then asks an activity).
   */
  assessment?: Assessment;
  /** An expansion of a firm Lotse cares for (1.1). */
  firm?: FirmLink;
}

/** The enquiry workflow's signature, for typed starts by name. */
export type EnquiryWorkflow = (input: EnquiryInput) => Promise<EnquiryState>;

export const stateQuery = defineQuery<EnquiryState>('state');
export const timelineQuery = defineQuery<TimelineEntry[]>('timeline');
/** The lead as the given partner sees it, or null when it was never offered to that partner. */
export const leadQuery = defineQuery<Lead | null, [string]>('lead');

/** Every human decision names its actor, taken from the caller's verified token by the api. */
export const decideForwarding = defineUpdate<EnquiryState, [ForwardingDecisionInput & { actor: Actor }]>(
  'decideForwarding',
);
export const answerLead = defineUpdate<EnquiryState, [{ answer: 'accept' | 'decline'; note?: string; actor: Actor }]>(
  'answerLead',
);
/**
 * The investor's consent. `givenOn` and `form` are asked for since 1.1; a consent recorded
 * before (and replayed from its history) has neither.
 */
export interface ConsentInput {
  givenOn?: string;
  form?: ConsentForm;
  note?: string;
  actor: Actor;
}
export const recordConsent = defineUpdate<EnquiryState, [ConsentInput]>('recordConsent');
export const castVote = defineUpdate<
  EnquiryState,
  [{ office: string; decision: 'approve' | 'reject'; note?: string; actor: Actor }]
>('castVote');
export const flagJointHandling = defineUpdate<EnquiryState, [{ actor: Actor }]>('flagJointHandling');
export const closeEnquiry = defineUpdate<
  EnquiryState,
  [{ outcome: NonNullable<EnquiryState['outcome']>; note?: string; actor: Actor }]
>('close');

/**
 * The person of the actor's agency who has the enquiry's task from now on (the actor taking
 * it, a colleague), or null: handed back.
 */
export const assignTask = defineUpdate<EnquiryState, [{ assignee: string | null; actor: Actor }]>('assignTask');

/** A co-carer of the firm an expansion belongs to joins its handling (1.1): no vote, the care agreement says so. */
export const joinHandling = defineUpdate<EnquiryState, [{ actor: Actor }]>('joinHandling');

/**
 * Where the enquiry came from, set or corrected by staff (null: none, "ohne Zuordnung"): a new
 * update (1.2), so older histories replay unchanged. The api checks the codes first.
 */
export const setSource = defineUpdate<EnquiryState, [{ source: Source | null; actor: Actor }]>('setSource');

/** The error types a refused update carries, for the api to turn into 403 / 409 / 400 / 404. */
export const REFUSAL_TYPES = {
  forbidden: 'Forbidden',
  conflict: 'Conflict',
  invalid: 'Invalid',
  not_found: 'NotFound',
} as const;
