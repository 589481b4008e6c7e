import type { EnquiryState } from './enquiry.js';
import { agenciesInvolved } from './parties.js';

/** Who is asking: an agency, its roles there, the offices the token holds for that agency. */
export interface Viewer {
  agency: string;
  roles: string[];
  offices: string[];
}

type Visible = Pick<
  EnquiryState,
  'receivedBy' | 'responsibleAgency' | 'handlingAgencies' | 'forwarding' | 'jointHandling'
>;

/**
 * Staff and managers see the enquiries their agency has a part in; office holders see
 * the ones their office votes on, and only with a token of the office's own agency.
 * Anything else is a 404, as if it did not exist.
 */
export function canSee(state: Visible, viewer: Viewer): boolean {
  const worksForAgency = viewer.roles.includes('staff') || viewer.roles.includes('manager');
  if (worksForAgency && agenciesInvolved(state).includes(viewer.agency)) return true;
  const jh = state.jointHandling;
  if (!jh || jh.status === 'not_requested') return false;
  return jh.offices.some((o) => o.agency === viewer.agency && viewer.offices.includes(o.id));
}

/**
 * The raw Temporal history holds every payload unredacted: an operator's and a
 * manager's tool, for the managers of the agencies that answer for the enquiry.
 */
export function mayReadRawHistory(state: Visible, viewer: Viewer): boolean {
  const answersForIt = [state.responsibleAgency, ...state.handlingAgencies].includes(viewer.agency);
  return answersForIt && viewer.roles.includes('manager');
}
