import { nextVisitDue, type CareLevel } from './care.js';
import type { VisitTopic } from './visits.js';

/**
 * Where a firm's care stands: what its workflow keeps across the years and hands on when it
 * continues as new (issue 33). Only what the next step needs: when the next visit is due,
 * the visits planned and the concerns still open; what happened before goes out as events
 * and stays in the firm's timeline there, not in the state. Free of any schema library:
 * the workflow bundle builds it.
 */
export interface CareState {
  firmId: string;
  agency: string;
  careLevel: CareLevel;
  /** Months between visits, from the agreements (domain/care.ts `visitEveryMonths`). */
  visitEveryMonths: number;
  /** The day of the last visit, or the day the firm entered the register (Berlin, YYYY-MM-DD). */
  lastVisitOn: string;
  /** The day the next visit is due. */
  nextVisitDue: string;
  visitsRecorded: number;
  plannedVisits: { visitId: string; at: string; participants: { agency: string; sub: string }[] }[];
  openConcerns: OpenConcern[];
  /** The number of concerns ever opened: the next one's id. */
  concernsOpened: number;
  /** How often the workflow continued as new: the state's history spans that many runs. */
  run: number;
}

export interface OpenConcern {
  concernId: string;
  topic: VisitTopic;
  handledBy: string;
  /** When the handling agency must have answered (an instant, from its working days). */
  due: string;
}

export function startCare(
  firm: { firmId: string; agency: string; careLevel: CareLevel },
  enteredOn: string,
  visitEveryMonths: number,
): CareState {
  return {
    ...firm,
    visitEveryMonths,
    lastVisitOn: enteredOn,
    nextVisitDue: nextVisitDue(enteredOn, visitEveryMonths),
    visitsRecorded: 0,
    plannedVisits: [],
    openConcerns: [],
    concernsOpened: 0,
    run: 1,
  };
}

/**
 * A visit took place on `day`: the next is due the rhythm's months later; a planned visit it
 * was is no longer planned; its concerns are open with their due instants. A report of an
 * earlier visit than the last one known moves nothing.
 */
export function visitRecorded(
  state: CareState,
  visit: { day: string; visitId?: string; concerns: Omit<OpenConcern, 'concernId'>[] },
): CareState {
  const later = visit.day > state.lastVisitOn;
  const lastVisitOn = later ? visit.day : state.lastVisitOn;
  const concerns = visit.concerns.map((c, i) => ({
    ...c,
    concernId: `${state.firmId}-c${state.concernsOpened + i + 1}`,
  }));
  return {
    ...state,
    lastVisitOn,
    nextVisitDue: nextVisitDue(lastVisitOn, state.visitEveryMonths),
    visitsRecorded: state.visitsRecorded + 1,
    plannedVisits: state.plannedVisits.filter((p) => p.visitId !== visit.visitId),
    openConcerns: [...state.openConcerns, ...concerns],
    concernsOpened: state.concernsOpened + concerns.length,
  };
}

/** The care level or the agreements changed: the next visit is due by the new rhythm, counted from the last. */
export function rhythmChanged(state: CareState, careLevel: CareLevel, visitEveryMonths: number): CareState {
  return { ...state, careLevel, visitEveryMonths, nextVisitDue: nextVisitDue(state.lastVisitOn, visitEveryMonths) };
}

/** A concern was answered (or handed on: then it is opened again for the next agency with its own id). */
export function concernClosed(state: CareState, concernId: string): CareState {
  return { ...state, openConcerns: state.openConcerns.filter((c) => c.concernId !== concernId) };
}

/** Whether a visit is due on `today` (Berlin day) and none is planned. */
export const visitDue = (state: CareState, today: string) =>
  today >= state.nextVisitDue && state.plannedVisits.length === 0;

/** The state the next run starts from when the workflow continues as new. */
export const carriedOver = (state: CareState): CareState => ({ ...state, run: state.run + 1 });
