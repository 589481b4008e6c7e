import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ReportInput, ReportResult } from '../contract/report-workflow.js';
import { ScheduledStartTime } from '../contract/search-attributes.js';

/**
 * A programme's report: which period (the schedule's quarter, or the manager's), then build it
 * (figures from the read model, PDF and spreadsheet, stored for Kennzahlen → Berichte), then
 * mail it to the steering group once. Each step an activity that is safe to repeat: a killed
 * worker or a replayed history builds it again at most and mails it never twice.
 */

const untilDone = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' };
// A killed worker's attempt is tried again after its timeout: short ones, as each takes seconds.
const { reportPeriod, buildReport } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: untilDone,
});
// An SMTP server away for a day is waited out; the record of sent mails keeps it to one.
const { mailReport } = proxyActivities<Activities>({ startToCloseTimeout: '45 seconds', retry: untilDone });

export async function programmeReport(input: ReportInput): Promise<ReportResult> {
  const info = workflowInfo();
  // When the schedule meant to start it (a backfill's time too); the start itself for a manager's.
  const scheduledAt = info.typedSearchAttributes.get(ScheduledStartTime) ?? info.startTime;
  const period = input.period ?? (await reportPeriod({ programme: input.programme, at: scheduledAt.toISOString() }));
  // Not the first working day of the quarter: the schedule comes again tomorrow.
  if (!period) return { skipped: `${scheduledAt.toISOString()} is not the first working day of a quarter` };
  const trigger = input.period ? 'on_demand' : 'schedule';
  const built = await buildReport({ programme: input.programme, period, trigger, by: input.by ?? null });
  // The steering group gets it once, whatever restarts, with both files attached.
  const report = input.mail ? await mailReport({ programme: input.programme, reportId: period.reportId }) : built;
  return { report };
}
