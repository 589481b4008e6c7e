import type { EnquiryState, Offer } from './enquiry.js';
import type { Lead } from './lead.js';

/**
 * Personal data and secrets that must never reach a log line. Paths in pino's
 * redact syntax; they cover an enquiry logged whole, nested one level, and the
 * request headers that carry credentials.
 */
export const LOG_REDACT_PATHS = [
  'contact',
  '*.contact',
  '*.*.contact',
  'company.name',
  '*.company.name',
  'email',
  'phone',
  'token',
  'secret',
  'req.headers.authorization',
  'req.headers["webhook-signature"]',
  'headers.authorization',
  'headers["webhook-signature"]',
];

const CODE_BIRDS = [
  'Kranich',
  'Falke',
  'Adler',
  'Reiher',
  'Milan',
  'Bussard',
  'Uhu',
  'Storch',
  'Eisvogel',
  'Specht',
  'Lerche',
  'Kiebitz',
];

/**
 * The project code name a partner sees instead of the firm's name until the investor
 * agrees: stable per enquiry, so every message about it uses the same one.
 */
export function codeName(enquiryId: string): string {
  const hash = [...enquiryId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  return `Projekt ${CODE_BIRDS[hash % CODE_BIRDS.length]}-${(hash % 0xffff).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The one name everyone who must talk about the project may use: the office holders who
 * vote on it come from different agencies, and only some may see the firm, so all of them
 * (and the mails) call it by its code name; who may see the firm sees it beside.
 */
export const projectName = (state: Pick<EnquiryState, 'enquiryId'>) => codeName(state.enquiryId);

/** Whether the investor released the full enquiry to partners. */
export const released = (state: Pick<EnquiryState, 'enquiry'>) =>
  !state.enquiry.confidential || state.enquiry.consentToShare;

/** The enquiry as a partner may see it: without contact data and under a code name while not released. */
export function enquiryForPartner(state: EnquiryState): EnquiryState['enquiry'] & { codeName?: string } {
  const e = state.enquiry;
  if (released(state)) return e;
  const name = codeName(state.enquiryId);
  return {
    ...e,
    company: { name, sector: e.company.sector, country: e.company.country },
    contact: { name: '[withheld]', email: 'withheld@lotse.invalid' },
    project: { jobs: e.project.jobs, investmentEur: e.project.investmentEur },
    codeName: name,
  };
}

/**
 * What an agency sees of the state: its own enquiry in full; a forwarded one as a
 * partner may, and without learning which other partners were asked.
 */
export function stateFor(state: EnquiryState, agency: string): EnquiryState {
  // A joint-handling partner too sees the enquiry redacted until the investor releases it.
  const own = agency === state.receivedBy || agency === state.responsibleAgency;
  if (own) return state;
  const forwarding = state.forwarding && {
    ...state.forwarding,
    candidates: state.forwarding.candidates.filter((c) => c.agency === agency),
    offers: state.forwarding.offers.filter((o) => o.partner === agency),
    decision: state.forwarding.decision && { ...state.forwarding.decision, partners: [agency] },
  };
  // Who of another agency has the task is that agency's business.
  const assignees = state.assignees?.[agency] ? { [agency]: state.assignees[agency] } : {};
  return { ...state, enquiry: enquiryForPartner(state), unmatchedSites: [], forwarding, assignees };
}

/** The lead as published on leads.<partner> and posted to the partner's webhook. */
export function leadFor(state: EnquiryState, partner: string, offer: Offer | null): Lead {
  const isReleased = released(state);
  const e = enquiryForPartner(state);
  return {
    enquiryId: state.enquiryId,
    partner,
    from: state.responsibleAgency ?? state.receivedBy,
    released: isReleased,
    codeName: isReleased ? null : codeName(state.enquiryId),
    kind: e.kind,
    company: e.company,
    contact: isReleased ? e.contact : null,
    project: e.project,
    siteRequirements: e.siteRequirements,
    preferredLocations: e.preferredLocations ?? [],
    sites: offer
      ? (state.forwarding?.candidates.find((c) => c.agency === partner)?.sites ?? [])
      : state.matchedSites.filter((m) => m.agency === partner),
    basis: offer ? 'forwarding' : 'joint_handling',
    offer,
  };
}
