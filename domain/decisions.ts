import type { EnquiryState } from './enquiry.js';
import { openOffer, who } from './parties.js';

/**
 * Who may decide what, in which state. Pure, so that the workflow's update
 * validators (which must be synchronous) and the tests share one set of rules. A
 * refusal here leaves no trace in the enquiry's history.
 */

export interface Actor {
  sub: string;
  agency: string;
  roles: string[];
  offices: string[];
}

export type Refusal = { kind: 'forbidden' | 'conflict' | 'invalid'; message: string };

const forbidden = (message: string): Refusal => ({ kind: 'forbidden', message });
const conflict = (message: string): Refusal => ({ kind: 'conflict', message });
const invalid = (message: string): Refusal => ({ kind: 'invalid', message });

export const actorName = (a: Actor) => `user:${a.sub}@${a.agency}`;

/** The person an actor names (`user:<sub>@<agency>`); undefined for an agency (`agency:<id>`) or Lotse (`system`). */
export function personOf(actor: string | null | undefined): { sub: string; agency: string } | undefined {
  const [, sub, agency] = /^user:(.+)@([^@]+)$/.exec(actor ?? '') ?? [];
  return sub && agency ? { sub, agency } : undefined;
}

export interface ForwardingDecisionInput {
  decision: 'approve' | 'reject';
  partners?: string[];
  note?: string;
}

export function refuseForwardingDecision(
  state: EnquiryState,
  input: ForwardingDecisionInput,
  actor: Actor,
): Refusal | null {
  const responsible = state.responsibleAgency;
  const escalated = state.forwarding?.escalated ?? false;
  const mayDecide =
    actor.agency === responsible && (actor.roles.includes('staff') || (escalated && actor.roles.includes('manager')));
  if (!mayDecide) {
    return forbidden(
      `Only staff of ${responsible} decide on forwarding${escalated ? ' (or its managers, now that it is overdue)' : ''}.`,
    );
  }
  if (state.status !== 'awaiting_forwarding_decision' || state.forwarding?.decision) {
    return conflict(
      `The enquiry is ${state.status}${state.forwarding?.decision ? ', already decided' : ''}, not awaiting a forwarding decision.`,
    );
  }
  const candidates = state.forwarding?.candidates.map((c) => c.agency) ?? [];
  const unknown = (input.partners ?? []).filter((p) => !candidates.includes(p));
  if (unknown.length > 0) return invalid(`Not among the candidates (${candidates.join(', ')}): ${unknown.join(', ')}.`);
  if (input.partners && new Set(input.partners).size !== input.partners.length)
    return invalid('A partner is named twice.');
  if (input.decision === 'approve' && input.partners?.length === 0)
    return invalid('Approving needs at least one partner.');
  return null;
}

export function refuseVote(state: EnquiryState, office: string, actor: Actor): Refusal | null {
  const jh = state.jointHandling;
  if (!actor.offices.includes(office)) return forbidden(`The token does not hold the office ${office}.`);
  const seat = jh?.offices.find((o) => o.id === office);
  if (!jh || !seat) return forbidden(`${office} does not vote on this enquiry.`);
  if (seat.agency !== actor.agency) return forbidden(`${office} votes only with a token of ${seat.agency}.`);
  if (jh.status !== 'voting') return conflict(`The vote is ${jh.status === 'not_requested' ? 'not open' : 'decided'}.`);
  if (jh.votes.some((v) => v.office === office)) return conflict(`${office} has voted already.`);
  return null;
}

/** Staff of a party may ask for joint handling while their agency still works the enquiry itself. */
export function refuseFlag(state: EnquiryState, actor: Actor): Refusal | null {
  const jh = state.jointHandling;
  if (!jh) return conflict('No agreement with joint handling covers this enquiry.');
  if (!jh.parties.includes(actor.agency) || !actor.roles.includes('staff'))
    return forbidden(`Only staff of ${jh.parties.join(' or ')} flag it for joint handling.`);
  if (jh.status !== 'not_requested' || jh.flaggedBy)
    return conflict(`Joint handling is ${jh.flaggedBy ? 'flagged' : jh.status} already.`);
  const handedOn = state.forwarding?.offers.some((o) => o.answer === 'accepted');
  if (state.status !== 'in_progress' || handedOn)
    return conflict(
      `The enquiry is ${handedOn ? 'handled by a partner' : state.status}; it can be flagged only while ${state.responsibleAgency} works it.`,
    );
  return null;
}

export function refuseLeadAnswer(state: EnquiryState, actor: Actor): Refusal | null {
  const offer = openOffer(state);
  if (!offer || state.status !== 'awaiting_partner') return conflict('No lead waits for an answer.');
  if (actor.agency !== offer.partner || !actor.roles.includes('staff'))
    return forbidden(`Only staff of ${offer.partner} answer this lead.`);
  return null;
}

export function refuseConsent(state: EnquiryState, actor: Actor): Refusal | null {
  if (actor.agency !== state.responsibleAgency || !actor.roles.includes('staff')) {
    return forbidden(`Only staff of ${state.responsibleAgency} record the investor's consent.`);
  }
  if (state.status === 'closed') return conflict('The enquiry is closed.');
  if (state.enquiry.consentToShare) return conflict('Consent to share is already recorded.');
  return null;
}

export function refuseClose(state: EnquiryState, actor: Actor): Refusal | null {
  if (!state.handlingAgencies.includes(actor.agency) || !actor.roles.includes('staff')) {
    return forbidden(`Only staff of a handling agency (${state.handlingAgencies.join(', ')}) close the enquiry.`);
  }
  if (state.status !== 'in_progress')
    return conflict(`The enquiry is ${state.status}; only one in progress can be closed.`);
  return null;
}

/**
 * Taking a task, handing it back or giving it to a colleague: staff of an agency the enquiry
 * waits on or that handles it, while it is open. Whether the colleague is staff of the same
 * agency the api checks (it knows the people; the workflow does not).
 */
export function refuseAssignment(state: EnquiryState, actor: Actor): Refusal | null {
  const involved = state.handlingAgencies.includes(actor.agency) || waitsOnStaffOf(state, actor.agency);
  if (!involved || !actor.roles.includes('staff')) {
    return forbidden(`Only staff of an agency the enquiry waits on or that handles it take its task.`);
  }
  if (state.status === 'closed') return conflict('The enquiry is closed: it has no task to take.');
  return null;
}

/** A co-carer of the expanding firm joins: its staff, while the enquiry is open and it does not handle it yet. */
export function refuseJoin(state: EnquiryState, actor: Actor): Refusal | null {
  if (!state.firm?.coCarers.includes(actor.agency) || !actor.roles.includes('staff')) {
    return forbidden('Only staff of an agency that cares for the firm join the handling of its expansion.');
  }
  if (state.status === 'closed') return conflict('The enquiry is closed.');
  if (state.handlingAgencies.includes(actor.agency)) return conflict('Your agency handles the enquiry already.');
  return null;
}

/**
 * Where the enquiry came from (Eingangsweg, Maßnahme) is set or corrected by staff or managers
 * of the agency that received it, is responsible or handles it; after its close too, since
 * the programme figures count it then.
 */
export function refuseSource(state: EnquiryState, actor: Actor): Refusal | null {
  const ours = [state.receivedBy, state.responsibleAgency, ...state.handlingAgencies].includes(actor.agency);
  if (!ours || !(actor.roles.includes('staff') || actor.roles.includes('manager'))) {
    return forbidden(
      'Only staff of the agency that received, is responsible for or handles the enquiry set its source.',
    );
  }
  return null;
}

const waitsOnStaffOf = (state: EnquiryState, agency: string) =>
  state.deadlines.some((d) => d.who === who.staff(agency)) || openOffer(state)?.partner === agency;
