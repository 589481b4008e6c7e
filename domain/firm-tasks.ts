import { dueInstant } from './care-state.js';
import type { FirmSummary } from './firm-events.js';

/**
 * What a firm's care asks of whom, for Aufgaben: the visit that is due (the Betreuer, or the
 * agency's staff while the firm has none), each planned visit (every participant), each open
 * concern (the agency it waits on). Derived from the firm's newest summary.
 */
export interface FirmTask {
  firmId: string;
  kind: 'visit_due' | 'visit' | 'concern';
  ref: string;
  agency: string;
  /** The person it is for; null: the agency's staff. */
  sub: string | null;
  due: string;
  detail: Record<string, unknown>;
}

export function firmTasksOf(s: FirmSummary): FirmTask[] {
  const base = { firmId: s.firmId };
  const tasks: FirmTask[] = [];
  if (s.visitDue) {
    const due = new Date(dueInstant(s.nextVisitDue)).toISOString();
    tasks.push({ ...base, kind: 'visit_due', ref: s.firmId, agency: s.agency, sub: s.carer, due, detail: {} });
  }
  for (const v of s.plannedVisits) {
    for (const p of v.participants) {
      const detail = { durationMinutes: v.durationMinutes };
      tasks.push({ ...base, kind: 'visit', ref: v.visitId, agency: p.agency, sub: p.sub, due: v.at, detail });
    }
  }
  for (const c of s.openConcerns) {
    const detail = { topic: c.topic, overdue: c.overdue };
    tasks.push({ ...base, kind: 'concern', ref: c.concernId, agency: c.handledBy, sub: null, due: c.due, detail });
  }
  return tasks;
}
