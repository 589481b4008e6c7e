import { earliestDeadline, waitingOn, type EnquiryRow } from './enquiry-row.js';
import { who } from './parties.js';

/**
 * The Aufgaben: what an enquiry's status asks of whom. A task exists for each pair below
 * while the enquiry waits on that party; the read model keeps one row per task and their
 * number per party (infra/read-model/counters.ts), so the Aufgaben page reads a page and a
 * count, not every open enquiry.
 */

export const TASK_NAMES = ['forwarding_decision', 'forwarding_decision_overdue', 'lead_answer', 'joint_vote'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/** Per status, the task of each role (`staff`, `manager`, `office`) it waits on. */
export const TASKS: Record<string, Partial<Record<string, TaskName>>> = {
  awaiting_forwarding_decision: { staff: 'forwarding_decision', manager: 'forwarding_decision_overdue' },
  awaiting_partner: { staff: 'lead_answer' },
  awaiting_joint_decision: { office: 'joint_vote' },
};

export interface OpenTask {
  /** `staff:<agency>`, `manager:<agency>`, `office:<id>`. */
  who: string;
  status: string;
  /** The enquiry's earliest open deadline, null where it has none. */
  deadline: string | null;
  /** The subject of the person of a staff task's agency who has it, null while nobody took it. */
  assignee: string | null;
}

/** The tasks the enquiry gives now. */
export function tasksOf(row: EnquiryRow): OpenTask[] {
  const asks = TASKS[row.status];
  if (!asks) return [];
  const deadline = earliestDeadline(row);
  return waitingOn(row)
    .filter((key) => asks[who.role(key)])
    .map((key) => ({ who: key, status: row.status, deadline, assignee: assigneeOf(row, key) }));
}

/** Only staff tasks are taken: an office votes itself, a manager steps in on an overdue decision. */
function assigneeOf(row: EnquiryRow, key: string): string | null {
  return who.role(key) === 'staff' ? (row.assignees[who.party(key)] ?? null) : null;
}

/** The task a row of the task list stands for. */
export const taskName = (status: string, key: string): TaskName | undefined => TASKS[status]?.[who.role(key)];

/** The statuses that give the task (all statuses with a task where none is named). */
export const statusesFor = (task?: TaskName) =>
  Object.keys(TASKS).filter((s) => !task || Object.values(TASKS[s]!).includes(task));
