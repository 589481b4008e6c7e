import type { EnquiryState, Offer } from './enquiry.js';

/**
 * Who takes part in an enquiry and who must act: plain functions over its state, free of
 * any schema library, because the workflow bundle evaluates them in every workflow.
 */

/** Who must act, as deadlines, reminders and the task search attribute name them. */
export const who = {
  staff: (agency: string) => `staff:${agency}`,
  manager: (agency: string) => `manager:${agency}`,
  office: (officeId: string) => `office:${officeId}`,
  /** `staff`, `manager` or `office`. */
  role: (key: string) => key.slice(0, key.indexOf(':')),
  /** The agency or the office. */
  party: (key: string) => key.slice(key.indexOf(':') + 1),
};

/**
 * Every agency with a part in the enquiry: they, and only they, may see it. A
 * forwarding candidate is not among them until the lead is offered to it.
 */
export function agenciesInvolved(
  state: Pick<EnquiryState, 'receivedBy' | 'responsibleAgency' | 'handlingAgencies' | 'forwarding' | 'firm'>,
) {
  const offered = state.forwarding?.offers.map((o) => o.partner) ?? [];
  const coCarers = state.firm?.coCarers ?? [];
  const all = [state.receivedBy, state.responsibleAgency, ...state.handlingAgencies, ...offered, ...coCarers];
  return [...new Set(all.filter((a): a is string => !!a))];
}

/** The offer the lead currently waits on, if any. */
export function openOffer(state: Pick<EnquiryState, 'forwarding'>): Offer | undefined {
  return state.forwarding?.offers.find((o) => o.answer === null);
}

/** The other parties of an approved joint handling: they handle the enquiry beside the responsible agency. */
export function jointPartners(state: Pick<EnquiryState, 'jointHandling' | 'responsibleAgency' | 'receivedBy'>) {
  const jh = state.jointHandling;
  const responsible = state.responsibleAgency ?? state.receivedBy;
  return jh?.status === 'approved' ? jh.parties.filter((p) => p !== responsible) : [];
}
