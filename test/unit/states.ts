import type { EnquiryState, JointHandling } from '../../domain/enquiry.js';
import { enquiry } from '../harness.js';

/** Enquiry states for the pure rules' tests: IRL works an enquiry; joint handling with WFG Nordsachsen. */

export const jointHandling = (over: Partial<JointHandling> = {}): JointHandling => ({
  agreementId: 'irl-wfg-nordsachsen',
  parties: ['irl', 'wfg-nordsachsen'],
  offices: [
    { id: 'ob-leipzig', title: 'OB', agency: 'irl' },
    { id: 'landrat-nordsachsen', title: 'Landrat', agency: 'wfg-nordsachsen' },
  ],
  rule: 'all',
  status: 'voting',
  reached: ['jobs'],
  flaggedBy: null,
  votes: [],
  due: null,
  ...over,
});
export const enquiryState = (over: Partial<EnquiryState> = {}): EnquiryState => ({
  enquiryId: 'irl-0123456789abcdef0123',
  status: 'in_progress',
  kind: 'new_settlement',
  receivedBy: 'irl',
  receivedAt: '2026-11-23T09:00:00.000Z',
  responsibleAgency: 'irl',
  jurisdiction: null,
  handlingAgencies: ['irl'],
  matchedSites: [],
  unmatchedSites: [],
  forwarding: null,
  jointHandling: null,
  deadlines: [],
  outcome: null,
  enquiry: enquiry(),
  ...over,
});
