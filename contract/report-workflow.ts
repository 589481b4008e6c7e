import type { ReportMeta } from '../domain/programme-figures.js';
import type { ReportPeriod } from '../domain/report-period.js';

/**
 * A programme's report (Kennzahlen → Berichte): its own workflow per report. A Temporal
 * Schedule per programme starts it on the first days of every quarter (the workflow itself
 * tells the first working day in Sachsen's calendar); a manager starts it for any period.
 */

export const REPORT_WORKFLOW = 'programmeReport';

/** One schedule per programme and deployment (task queue), visible and pausable in Temporal's Web UI. */
export const reportScheduleId = (programme: string, taskQueue: string) => `lotse-report-${programme}-${taskQueue}`;

/** A manager's report: one workflow per programme and period at a time. */
export const reportWorkflowId = (programme: string, reportId: string) => `report-${programme}-${reportId}`;

export interface ReportInput {
  programme: string;
  /** Absent when the schedule started it: the quarter just ended, on the first working day of the next. */
  period?: ReportPeriod;
  /** Mail it to the steering group (the schedule's reports; a manager's only when asked). */
  mail: boolean;
  /** Who asked for it (user:<sub>@<agency>); absent for the schedule's. */
  by?: string;
}

export interface ReportResult {
  /** Why nothing was built: not the first working day of the quarter. */
  skipped?: string;
  report?: ReportMeta;
}

export type ReportWorkflow = (input: ReportInput) => Promise<ReportResult>;
