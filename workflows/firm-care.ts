import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { FIRM_HISTORY_LIMIT, type FirmCareInput, type FirmCareWorkflow } from '../contract/firm-workflow.js';
import { carriedOver, dueInstant } from '../domain/care-state.js';
import { listenToFirm } from './firm-handlers.js';
import { FirmCare } from './firm-state.js';

/**
 * One firm's care (Bestandspflege), for as long as its agency looks after it: it knows when
 * the next visit is due and says so ("Besuch fällig" in the Betreuer's Aufgaben, a reminder
 * mail), reminds the agency a concern waits on and escalates once its day has passed, and
 * takes in what people record (handlers in firm-handlers.ts: visits planned and reported,
 * concerns opened and answered, the firm's facts). Years of visits never grow one history
 * without bound: past FIRM_HISTORY_LIMIT events it continues as new, its state carried over.
 */
export async function firmCareWorkflow(input: FirmCareInput): Promise<void> {
  const firm = new FirmCare(input);
  const changed = listenToFirm(firm);
  if (!input.carried) {
    const { careLevel, nextVisitDue } = firm.care;
    firm.record('firm_registered', input.by, input.firm.agency, { careLevel, nextVisitDue });
  }

  for (;;) {
    // Until the next visit is due, a reminder or a concern's day comes, or people change something.
    const wake = nextWake(firm);
    const waitMs = wake === null ? undefined : Math.max(1, wake - Date.now());
    await condition(() => changed.take() || historyTooLong(), waitMs);
    announceVisitDue(firm);
    remindAndEscalate(firm);
    if (historyTooLong()) break;
  }

  // Carried over: the firm, its care, the count of its steps; the next run goes on from there.
  await condition(allHandlersFinished);
  await firm.published();
  const { coCarers, visitEveryMonths } = firm.terms;
  const carried = { care: carriedOver(firm.care), steps: firm.stepsSoFar };
  await continueAsNew<FirmCareWorkflow>({ ...input, firm: firm.firm, coCarers, visitEveryMonths, carried });
}

const historyTooLong = () => {
  const info = workflowInfo();
  return info.historyLength >= FIRM_HISTORY_LIMIT || info.continueAsNewSuggested;
};

/** The earliest instant something is due: the visit (once), a concern's reminder, a concern's day. */
function nextWake({ care }: FirmCare): number | null {
  const instants = care.openConcerns.flatMap((c) => [
    ...(c.reminded ? [] : [Date.parse(c.remindAt)]),
    ...(c.overdue ? [] : [Date.parse(c.due)]),
  ]);
  if (!care.dueAnnounced) instants.push(dueInstant(care.nextVisitDue));
  return instants.length ? Math.min(...instants) : null;
}

/** The visit is due and none is planned: the Betreuer's task and a reminder, once per due day. */
function announceVisitDue(firm: FirmCare) {
  const { care } = firm;
  if (care.dueAnnounced || Date.now() < dueInstant(care.nextVisitDue)) return;
  care.dueAnnounced = true;
  if (care.plannedVisits.length > 0) return;
  firm.record('visit_due', 'system', firm.firm.agency, {
    nextVisitDue: care.nextVisitDue,
    lastVisitOn: care.lastVisitOn,
    carer: firm.firm.carer ?? null,
  });
}

/** A concern's reminder before its day, and its escalation after, each once. */
function remindAndEscalate(firm: FirmCare) {
  const now = Date.now();
  for (const concern of firm.care.openConcerns) {
    const { concernId, handledBy, due, topic } = concern;
    if (!concern.reminded && now >= Date.parse(concern.remindAt) && now < Date.parse(due)) {
      concern.reminded = true;
      firm.record('concern_reminder_due', 'system', handledBy, { concernId, handledBy, due, topic });
    }
    if (!concern.overdue && now >= Date.parse(due)) {
      concern.reminded = true;
      concern.overdue = true;
      firm.record('concern_overdue', 'system', handledBy, { concernId, handledBy, due, topic });
    }
  }
}
