import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CareState, NewConcern } from '../domain/care-state.js';
import type { Actor } from '../domain/decisions.js';
import type { FirmSummary, PlannedVisit } from '../domain/firm-events.js';
import type { FirmRecord } from '../domain/firms.js';
import type { VisitTopic } from '../domain/visits.js';

/** The messages the api exchanges with a firm's care workflow (Bestandspflege). */

export const FIRM_CARE_WORKFLOW = 'firmCareWorkflow';

/** One workflow per firm, for as long as the agency looks after it. */
export const firmWorkflowId = (firmId: string) => `firm-${firmId}`;

/** The visibility query for the firms of one deployment. */
export const firmsOf = (taskQueue: string) => `TaskQueue = '${taskQueue}' AND WorkflowType = '${FIRM_CARE_WORKFLOW}'`;

/** What the rules of the agreements say about the firm now: the api works it out from the reference data. */
export interface CareTermsNow {
  coCarers: string[];
  visitEveryMonths: number;
}

export interface FirmCareInput extends CareTermsNow {
  firm: FirmRecord;
  /** The day it entered the register (Berlin, YYYY-MM-DD). */
  enteredOn: string;
  /** Who registered it (`user:<sub>@<agency>`), or the import. */
  by: string;
  /** Where a run that continued as new left off. */
  carried?: { care: CareState; steps: number };
}

export type FirmCareWorkflow = (input: FirmCareInput) => Promise<void>;

/** The firm as its workflow knows it now: its facts (contacts sealed), its care, and the summary lists show. */
export interface FirmView {
  firm: FirmRecord;
  care: CareState;
  summary: FirmSummary;
}

export const firmQuery = defineQuery<FirmView>('firm');

/** What every change answers: where the firm stands now, and the id of what it made. */
export interface FirmAnswer {
  summary: FirmSummary;
  id?: string;
}

export const updateFirm = defineUpdate<FirmAnswer, [{ firm: FirmRecord; terms: CareTermsNow; actor: Actor }]>(
  'updateFirm',
);

export type VisitInput = Omit<PlannedVisit, 'visitId' | 'sequence'>;
export const planVisit = defineUpdate<FirmAnswer, [{ visit: VisitInput; actor: Actor }]>('planVisit');
export const rescheduleVisit = defineUpdate<FirmAnswer, [{ visitId: string; visit: VisitInput; actor: Actor }]>(
  'rescheduleVisit',
);
export const cancelVisit = defineUpdate<FirmAnswer, [{ visitId: string; reason?: string; actor: Actor }]>(
  'cancelVisit',
);

export interface VisitReportInput {
  at: string;
  visitId?: string;
  participants: { agency: string; sub: string }[];
  topics: VisitTopic[];
  /** Sealed with the firm's key. */
  note?: string;
}
export const recordVisit = defineUpdate<
  FirmAnswer,
  [{ report: VisitReportInput; concerns: NewConcern[]; actor: Actor }]
>('recordVisit');

/** A concern brought without a visit: at the desk, on the phone, through the webhook. */
export const openConcern = defineUpdate<FirmAnswer, [{ concern: NewConcern; actor: Actor | null }]>('openConcern');

export interface ConcernAnswerInput {
  concernId: string;
  answer: 'done' | 'handed_on';
  /** Sealed with the firm's key. */
  note: string;
  /** Handed on: the next agency, with its own instants. */
  handTo?: Pick<NewConcern, 'handledBy' | 'due' | 'remindAt'>;
  actor: Actor;
}
export const answerConcern = defineUpdate<FirmAnswer, [ConcernAnswerInput]>('answerConcern');

/** An expansion project of the firm started as an enquiry of kind `expansion` (api/firm-expansions.ts). */
export const linkExpansion = defineUpdate<
  FirmAnswer,
  [{ enquiryId: string; jobs: number; jobsSecured: number; investmentEur: number; actor: Actor }]
>('linkExpansion');

/** A history longer than this continues as new (documented in docs/architecture.md). */
export const FIRM_HISTORY_LIMIT = 2_000;
