import type { CareState } from './care-state.js';
import type { Actor, Refusal } from './decisions.js';

/**
 * Who may do what in a firm's care, in which state. Pure, so that the firm workflow's update
 * validators (synchronous) and the tests share one set of rules; a refusal leaves no trace in
 * the firm's history. Whoever may not see the firm is told there is none (the handlers do).
 */

export interface Carers {
  agency: string;
  coCarers: string[];
}

const forbidden = (message: string): Refusal => ({ kind: 'forbidden', message });
const conflict = (message: string): Refusal => ({ kind: 'conflict', message });
const invalid = (message: string): Refusal => ({ kind: 'invalid', message });

/** The municipalities the firm has a site in: who may co-care for it follows from these. */
export const placesOf = (firm: { sites: { ags: string }[] }) => [...new Set(firm.sites.map((s) => s.ags))];

/** The firm's agency and its co-carers: they plan and report visits. */
export const carersOf = (c: Carers) => [c.agency, ...c.coCarers];

/** Who may see the firm: its carers and every agency ever asked to answer one of its concerns. */
export const readersOf = (c: Carers, care: Pick<CareState, 'concernAgencies'>) =>
  [...new Set([...carersOf(c), ...care.concernAgencies])].sort();

const isStaff = (actor: Actor) => actor.roles.includes('staff');

export function refuseFirmUpdate(c: Carers, actor: Actor): Refusal | null {
  if (actor.agency !== c.agency || !isStaff(actor))
    return forbidden(`Only staff of ${c.agency} change the firm's facts.`);
  return null;
}

/** Planning, moving or reporting a visit: staff of a carer, with people of the carers only. */
export function refuseVisit(c: Carers, actor: Actor, visit: { participants: { agency: string }[] }): Refusal | null {
  const carers = carersOf(c);
  if (!carers.includes(actor.agency) || !isStaff(actor)) {
    return forbidden(`Only staff of ${carers.join(', ')} plan and report visits of this firm.`);
  }
  const strangers = visit.participants.map((p) => p.agency).filter((a) => !carers.includes(a));
  if (strangers.length) {
    return invalid(
      `Only people of agencies that care for the firm take part (not ${[...new Set(strangers)].join(', ')}).`,
    );
  }
  return null;
}

export function refusePlannedVisitChange(c: Carers, care: CareState, visitId: string, actor: Actor): Refusal | null {
  if (!carersOf(c).includes(actor.agency) || !isStaff(actor)) {
    return forbidden(`Only staff of ${carersOf(c).join(', ')} change a visit of this firm.`);
  }
  if (!care.plannedVisits.some((v) => v.visitId === visitId)) return conflict(`No visit ${visitId} is planned.`);
  return null;
}

/** Answering or handing on: staff of the agency the concern waits on, while it is open. */
export function refuseConcernAnswer(
  care: CareState,
  input: { concernId: string; handTo?: { handledBy: string } },
  actor: Actor,
): Refusal | null {
  const concern = care.openConcerns.find((x) => x.concernId === input.concernId);
  if (!concern) return conflict(`The concern ${input.concernId} is not open.`);
  if (concern.handledBy !== actor.agency || !isStaff(actor)) {
    return forbidden(`Only staff of ${concern.handledBy} answer this concern.`);
  }
  if (input.handTo?.handledBy === concern.handledBy) return invalid('A concern is handed on to another agency.');
  return null;
}

/** A concern brought at the desk: staff of a carer (or the webhook, with no actor). */
export function refuseConcern(c: Carers, actor: Actor | null): Refusal | null {
  if (actor && (!carersOf(c).includes(actor.agency) || !isStaff(actor))) {
    return forbidden(`Only staff of ${carersOf(c).join(', ')} take up a concern of this firm.`);
  }
  return null;
}
