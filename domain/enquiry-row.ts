import { z } from 'zod';
import { CloudEventSchema } from './cloud-event.js';
import { eventTypeOf, stepOf, type CloudEvent } from './events.js';
import type { EnquirySummary } from './summary.js';

/**
 * One enquiry as the read model keeps it: what lists, tasks and figures need, folded from
 * its events. Where it stands comes from the newest summary an event carried (a later one
 * never loses to an earlier one, whatever order the events arrive in); what the figures
 * count (leads, first decisions, joint handling) are facts each event adds once. No
 * personal data, no firm name.
 */
export interface EnquiryRow {
  enquiryId: string;
  /** The `asOf` of the summary applied; 0 while none was (enquiries started before 1.1). */
  asOf: number;
  /** The newest step folded without a summary: its status stands. */
  lastStep: number;
  status: string;
  kind: string | null;
  receivedBy: string;
  receivedAt: string | null;
  responsibleAgency: string | null;
  agencies: string[];
  handlingAgencies: string[];
  leadPartners: string[];
  significant: boolean;
  /** `<agency>:<officeId>` of the offices that vote. */
  offices: string[];
  deadlines: EnquirySummary['deadlines'];
  outcome: string | null;
  places: string[];
  jobs: number | null;
  investmentEur: number | null;
  forwardingRequested: boolean;
  leads: { forwarded: number; accepted: number; declined: number; expired: number };
  /** The first of each decision, for the figures' medians. */
  firstAt: Partial<Record<Decision, string>>;
  joint: boolean;
  jointPartners: string[];
  /** Per agency, the subject of the person who has the task. */
  assignees: Record<string, string>;
  /** The newest event's time. */
  updatedAt: string;
  /** Where it came from (domain/programme.ts); null: "ohne Zuordnung". */
  source: { channel: string; measure?: string; area?: string } | null;
  /** Where the sites proposed to it lie, one AGS per proposal. */
  proposedPlaces: string[];
}

export const DECISIONS = [
  'jurisdiction_determined',
  'joint_handling_decided',
  'forwarding_decided',
  'lead_accepted',
  'lead_declined',
  'closed',
] as const;
export type Decision = (typeof DECISIONS)[number];

export const EnquirySummarySchema = z.object({
  asOf: z.int().positive(),
  status: z.string(),
  kind: z.string(),
  receivedBy: z.string(),
  receivedAt: z.iso.datetime(),
  responsibleAgency: z.string().nullable(),
  agencies: z.array(z.string()),
  handlingAgencies: z.array(z.string()),
  leadPartners: z.array(z.string()),
  significant: z.boolean(),
  offices: z.array(z.object({ id: z.string(), agency: z.string() })),
  deadlines: z.array(z.object({ kind: z.string(), due: z.iso.datetime(), who: z.string() })),
  outcome: z.string().nullable(),
  places: z.array(z.string()),
  jobs: z.number(),
  investmentEur: z.number(),
  assignees: z.record(z.string(), z.string()).default({}),
  source: z
    .object({ channel: z.string(), measure: z.string().optional(), area: z.string().optional() })
    .nullable()
    .default(null),
  proposedPlaces: z.array(z.string()).default([]),
});

/** The fields of event data the fold reads (CONTRACT.md); anything else is ignored. */
const EventData = z.object({
  status: z.string().optional().catch(undefined),
  kind: z.string().optional().catch(undefined),
  receivedBy: z.string().optional().catch(undefined),
  responsibleAgency: z.string().optional().catch(undefined),
  partner: z.string().optional().catch(undefined),
  because: z.string().optional().catch(undefined),
  outcome: z.string().optional().catch(undefined),
  handlingAgencies: z.array(z.string()).optional().catch(undefined),
  jobs: z.number().optional().catch(undefined),
  investmentEur: z.number().optional().catch(undefined),
  summary: EnquirySummarySchema.optional().catch(undefined),
});

export function blankRow(enquiryId: string, time: string): EnquiryRow {
  return {
    enquiryId,
    asOf: 0,
    lastStep: 0,
    status: 'received',
    kind: null,
    receivedBy: '',
    receivedAt: null,
    responsibleAgency: null,
    agencies: [],
    handlingAgencies: [],
    leadPartners: [],
    significant: false,
    offices: [],
    deadlines: [],
    outcome: null,
    places: [],
    jobs: null,
    investmentEur: null,
    forwardingRequested: false,
    leads: { forwarded: 0, accepted: 0, declined: 0, expired: 0 },
    firstAt: {},
    joint: false,
    jointPartners: [],
    assignees: {},
    updatedAt: time,
    source: null,
    proposedPlaces: [],
  };
}

/** An event the read model can fold: a valid CloudEvent of an enquiry event type. */
export function parseEnquiryEvent(json: unknown): CloudEvent | null {
  const parsed = CloudEventSchema.safeParse(json);
  return parsed.success && eventTypeOf(parsed.data) ? parsed.data : null;
}

/** The row after one more event. Pure: the same row and event always give the same result. */
export function foldEvent(before: EnquiryRow | undefined, event: CloudEvent): EnquiryRow {
  const row = structuredClone(before ?? blankRow(event.subject, event.time));
  const type = eventTypeOf(event);
  const d = EventData.parse(event.data);
  const at = Date.parse(event.time);
  if (at > Date.parse(row.updatedAt)) row.updatedAt = new Date(at).toISOString();
  if (type && (DECISIONS as readonly string[]).includes(type)) {
    const first = row.firstAt[type as Decision];
    if (!first || at < Date.parse(first)) row.firstAt[type as Decision] = new Date(at).toISOString();
  }
  foldFacts(row, type, d, event.time);
  if (d.summary) applySummary(row, d.summary);
  else if (row.asOf === 0) foldWithoutSummary(row, type, d, stepOf(event));
  return row;
}

type Data = z.infer<typeof EventData>;

/** What the figures count: each event adds its fact once (the store applies each event id once). */
function foldFacts(row: EnquiryRow, type: string | null, d: Data, time: string) {
  if (type === 'received') {
    row.receivedBy ||= d.receivedBy ?? '';
    row.receivedAt ??= time;
    row.kind ??= d.kind ?? null;
  }
  if (type === 'jurisdiction_determined') row.responsibleAgency ??= d.responsibleAgency ?? null;
  if (type === 'joint_handling_requested') row.significant = true;
  if (type === 'joint_handling_decided' && d.outcome === 'approve') row.joint = true;
  if (type === 'forwarding_requested') row.forwardingRequested = true;
  if (type === 'lead_forwarded' && d.partner) {
    row.leadPartners = union(row.leadPartners, [d.partner]);
    if (d.because === 'joint_handling') row.jointPartners = union(row.jointPartners, [d.partner]);
    // Forwarding figures count offers made by a decision, not joint handling or a re-send after consent.
    if (d.because === 'decision') row.leads.forwarded++;
  }
  if (type === 'lead_accepted') row.leads.accepted++;
  if (type === 'lead_declined') row.leads.declined++;
  if (type === 'lead_expired') row.leads.expired++;
  if (type === 'closed') {
    row.outcome = d.outcome ?? row.outcome;
    row.handlingAgencies = d.handlingAgencies ?? row.handlingAgencies;
    row.jobs = d.jobs ?? row.jobs;
    row.investmentEur = d.investmentEur ?? row.investmentEur;
  }
}

/** Where the enquiry stands, unless a later summary was applied already. */
function applySummary(row: EnquiryRow, s: z.infer<typeof EnquirySummarySchema>) {
  if (s.asOf <= row.asOf) return;
  Object.assign(row, standing(s), { asOf: s.asOf });
}

/**
 * An enquiry started before 1.1 (no summaries) as its workflow answered: where it stands and
 * who must act, which its events alone do not tell. It stays without summary: its next event
 * folds as before and asks its workflow again.
 */
export function withWorkflowSummary(before: EnquiryRow, s: EnquirySummary): EnquiryRow {
  return { ...structuredClone(before), ...standing(s), asOf: 0 };
}

function standing(s: Omit<z.input<typeof EnquirySummarySchema>, 'asOf'>) {
  return {
    status: s.status,
    kind: s.kind,
    receivedBy: s.receivedBy,
    receivedAt: s.receivedAt,
    responsibleAgency: s.responsibleAgency,
    agencies: s.agencies,
    handlingAgencies: s.handlingAgencies,
    leadPartners: s.leadPartners,
    significant: s.significant,
    offices: s.offices.map((o) => `${o.agency}:${o.id}`),
    deadlines: s.deadlines,
    outcome: s.outcome,
    places: s.places,
    jobs: s.jobs,
    investmentEur: s.investmentEur,
    assignees: s.assignees ?? {},
    source: s.source ?? null,
    proposedPlaces: s.proposedPlaces ?? [],
  };
}

/**
 * An enquiry started before 1.1 carries no summary: its status is the one its newest
 * event names, and who has a part in it follows from the events. Its open decisions are
 * not known from the events alone (the projector asks the workflow for those).
 */
function foldWithoutSummary(row: EnquiryRow, type: string | null, d: Data, step: number) {
  if (step >= row.lastStep) {
    row.lastStep = step;
    if (d.status) row.status = type === 'closed' ? 'closed' : d.status;
  }
  const handling = type === 'closed' ? row.handlingAgencies : [];
  row.agencies = union(row.agencies, [row.receivedBy, row.responsibleAgency, ...row.leadPartners, ...handling]);
}

const union = (a: string[], b: (string | null | undefined)[]) => [
  ...new Set([...a, ...b.filter((x): x is string => !!x)]),
];

/** Who must act now: `staff:<agency>`, `manager:<agency>`, `office:<id>`. */
export const waitingOn = (row: Pick<EnquiryRow, 'deadlines'>) => [...new Set(row.deadlines.map((d) => d.who))];

/** The earliest open deadline. */
export const earliestDeadline = (row: Pick<EnquiryRow, 'deadlines'>) => {
  const times = row.deadlines.map((d) => Date.parse(d.due)).filter((t) => !Number.isNaN(t));
  return times.length ? new Date(Math.min(...times)).toISOString() : null;
};
