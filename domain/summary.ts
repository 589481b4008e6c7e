import type { EnquiryState } from './enquiry.js';
import { agenciesInvolved, jointPartners } from './parties.js';

/**
 * Where an enquiry stands, as lists, tasks and figures need it: carried by every event
 * the enquiry publishes (as `data.summary`), so that a reader of the stream knows the
 * enquiry's current state without asking its workflow. Never personal data or the
 * firm's name: the stream is no place for them. Free of any schema library, because the
 * workflow bundle builds it; readers parse it with `EnquirySummarySchema`
 * (domain/enquiry-row.ts).
 */
export interface EnquirySummary {
  /** The number of timeline steps the summary includes: a later summary has a larger one. */
  asOf: number;
  status: EnquiryState['status'];
  kind: EnquiryState['kind'];
  receivedBy: string;
  receivedAt: string;
  responsibleAgency: string | null;
  /** Everyone with a part in it: who may see it (domain/visibility.ts). */
  agencies: string[];
  handlingAgencies: string[];
  /** Partners the lead was offered to, and the partners of an approved joint handling. */
  leadPartners: string[];
  /** A vote on joint handling was asked for. */
  significant: boolean;
  /** The offices that vote, once a vote was asked for. */
  offices: { id: string; agency: string }[];
  /** Open decisions: what, by when, who (`staff:<agency>`, `manager:<agency>`, `office:<id>`). */
  deadlines: { kind: string; due: string; who: string }[];
  outcome: EnquiryState['outcome'];
  /** The preferred places (AGS or its prefix). */
  places: string[];
  jobs: number;
  investmentEur: number;
  /** Per agency, the subject of the person who has the task (absent before 1.1's assignment). */
  assignees?: Record<string, string>;
  /** Where it came from (absent before 1.2; null: "ohne Zuordnung"). */
  source?: { channel: string; measure?: string; area?: string } | null;
  /** Where the sites proposed to it lie, one AGS per proposal (absent before 1.2). */
  proposedPlaces?: string[];
}

export function summarise(state: EnquiryState, asOf: number): EnquirySummary {
  const jh = state.jointHandling;
  const voting = jh && jh.status !== 'not_requested';
  const offered = state.forwarding?.offers.map((o) => o.partner) ?? [];
  return {
    asOf,
    status: state.status,
    kind: state.kind,
    receivedBy: state.receivedBy,
    receivedAt: state.receivedAt,
    responsibleAgency: state.responsibleAgency,
    agencies: agenciesInvolved(state),
    handlingAgencies: [...state.handlingAgencies],
    leadPartners: [...new Set([...offered, ...jointPartners(state)])],
    significant: !!voting,
    offices: voting ? jh.offices.map((o) => ({ id: o.id, agency: o.agency })) : [],
    deadlines: state.deadlines.map((d) => ({ kind: d.kind, due: d.due, who: d.who })),
    outcome: state.outcome,
    places: [...(state.enquiry.preferredLocations ?? [])],
    jobs: state.enquiry.project.jobs,
    investmentEur: state.enquiry.project.investmentEur,
    assignees: Object.fromEntries(Object.entries(state.assignees ?? {}).map(([agency, a]) => [agency, a.sub])),
    source: state.enquiry.source ?? null,
    proposedPlaces: proposedPlaces(state),
  };
}

/** Each site proposed, once per enquiry: its own agency's and the partners' that fit. */
function proposedPlaces(state: EnquiryState): string[] {
  const sites = [...state.matchedSites, ...(state.forwarding?.candidates.flatMap((c) => c.sites) ?? [])];
  const byKey = new Map(sites.filter((s) => s.ags).map((s) => [`${s.agency}.${s.siteId}`, s.ags!]));
  return [...byKey.values()];
}
