import type { CareLevel } from './care.js';
import { nextVisitDue } from './visit-rhythm.js';
import type { ConcernSummary, PlannedVisit } from './firm-events.js';

/**
 * Where a firm's care stands: what its workflow keeps across the years and hands on when it
 * continues as new (issue 33). Only what the next step needs: when the next visit is due,
 * the visits planned and the concerns still open; what happened before goes out as events
 * and stays in the firm's timeline there (the read model), not in the state. Free of any
 * schema library: the workflow bundle builds it.
 */
export interface CareState {
  firmId: string;
  agency: string;
  careLevel: CareLevel;
  /** Months between visits, from the agreements (domain/care.ts `visitEveryMonths`). */
  visitEveryMonths: number;
  /** The day the firm entered the register, and of its last visit, if any (Berlin, YYYY-MM-DD). */
  enteredOn: string;
  lastVisitOn: string | null;
  /** The day the next visit is due. */
  nextVisitDue: string;
  /** "Besuch fällig" went out for `nextVisitDue`: once per due day. */
  dueAnnounced: boolean;
  visitsRecorded: number;
  plannedVisits: PlannedVisit[];
  openConcerns: OpenConcern[];
  /** The number of visits ever planned and concerns ever opened: the next one's id. */
  visitsPlanned: number;
  concernsOpened: number;
  /** Agencies that were ever asked to answer a concern of the firm: they keep seeing it. */
  concernAgencies: string[];
  /** How often the workflow continued as new: the state's history spans that many runs. */
  run: number;
}

export interface OpenConcern extends ConcernSummary {
  /** When the handling agency is reminded (ISO 8601), and whether it was. */
  remindAt: string;
  reminded: boolean;
  /** When it was opened, and how: at a visit, at the desk, through the webhook, handed on (from the concern before). */
  openedAt: string;
  via: 'visit' | 'desk' | 'webhook' | 'handed_on';
  /** What the firm needs, sealed with the firm's key. */
  note: string;
}

/** A concern as the api hands it to the workflow: its instants already counted in the handling agency's calendar. */
export type NewConcern = Omit<OpenConcern, 'concernId' | 'reminded' | 'overdue'>;

export function startCare(
  firm: { firmId: string; agency: string; careLevel: CareLevel },
  enteredOn: string,
  visitEveryMonths: number,
): CareState {
  return {
    ...firm,
    visitEveryMonths,
    enteredOn,
    lastVisitOn: null,
    nextVisitDue: nextVisitDue(enteredOn, visitEveryMonths),
    dueAnnounced: false,
    visitsRecorded: 0,
    plannedVisits: [],
    openConcerns: [],
    visitsPlanned: 0,
    concernsOpened: 0,
    concernAgencies: [],
    run: 1,
  };
}

/** A visit planned: its id is the firm's and the count's. */
export function visitPlanned(state: CareState, visit: Omit<PlannedVisit, 'visitId' | 'sequence'>) {
  const planned: PlannedVisit = { ...visit, visitId: `v${state.visitsPlanned + 1}`, sequence: 0 };
  const next = { ...state, visitsPlanned: state.visitsPlanned + 1, plannedVisits: [...state.plannedVisits, planned] };
  return { state: next, visit: planned };
}

/** A planned visit moved (another time, other people): its invitation's sequence goes up. */
export function visitRescheduled(state: CareState, visit: Omit<PlannedVisit, 'sequence'>) {
  const plannedVisits = state.plannedVisits.map((p) =>
    p.visitId === visit.visitId ? { ...visit, sequence: p.sequence + 1 } : p,
  );
  return { ...state, plannedVisits };
}

export const visitCancelled = (state: CareState, visitId: string): CareState => ({
  ...state,
  plannedVisits: state.plannedVisits.filter((p) => p.visitId !== visitId),
});

/** The concerns opened now, with ids of their own, waiting on their agencies. */
export function concernsOpened(state: CareState, concerns: NewConcern[]) {
  const opened: OpenConcern[] = concerns.map((c, i) => ({
    ...c,
    concernId: `c${state.concernsOpened + i + 1}`,
    reminded: false,
    overdue: false,
  }));
  const agencies = [...new Set([...state.concernAgencies, ...concerns.map((c) => c.handledBy)])].sort();
  const next: CareState = {
    ...state,
    openConcerns: [...state.openConcerns, ...opened],
    concernsOpened: state.concernsOpened + opened.length,
    concernAgencies: agencies,
  };
  return { state: next, opened };
}

/** The day the next visit is counted from: the last visit, or the day the firm entered the register. */
const countedFrom = (state: CareState) => state.lastVisitOn ?? state.enteredOn;

/**
 * A visit took place on `day`: the next is due the rhythm's months later (a visit reported
 * from long ago can make it due at once); a planned visit it was is no longer planned. A report
 * of an earlier visit than the last one known moves nothing.
 */
export function visitRecorded(state: CareState, visit: { day: string; visitId?: string }): CareState {
  const lastVisitOn = state.lastVisitOn && state.lastVisitOn > visit.day ? state.lastVisitOn : visit.day;
  const due = nextVisitDue(lastVisitOn, state.visitEveryMonths);
  return {
    ...state,
    lastVisitOn,
    nextVisitDue: due,
    dueAnnounced: state.dueAnnounced && due === state.nextVisitDue,
    visitsRecorded: state.visitsRecorded + 1,
    plannedVisits: state.plannedVisits.filter((p) => p.visitId !== visit.visitId),
  };
}

/** The care level or the agreements changed: the next visit is due by the new rhythm, counted from the last. */
export function rhythmChanged(state: CareState, careLevel: CareLevel, visitEveryMonths: number): CareState {
  const due = nextVisitDue(countedFrom(state), visitEveryMonths);
  const dueAnnounced = state.dueAnnounced && due === state.nextVisitDue;
  return { ...state, careLevel, visitEveryMonths, nextVisitDue: due, dueAnnounced };
}

/** A concern was answered (or handed on: then it is opened again for the next agency with its own id). */
export function concernClosed(state: CareState, concernId: string): CareState {
  return { ...state, openConcerns: state.openConcerns.filter((c) => c.concernId !== concernId) };
}

/** Whether a visit is due on `today` (Berlin day) and none is planned. */
export const visitDue = (state: CareState, today: string) =>
  today >= state.nextVisitDue && state.plannedVisits.length === 0;

/**
 * The instant a visit due on `day` is announced: 06:00 UTC (07:00 or 08:00 in Berlin), fixed
 * so that a replay never depends on a time-zone table.
 */
export const dueInstant = (day: string) => Date.parse(`${day}T06:00:00Z`);

/** The state the next run starts from when the workflow continues as new. */
export const carriedOver = (state: CareState): CareState => ({ ...state, run: state.run + 1 });
