import { z } from 'zod';
import { AgencyId } from './reference.js';
import { typeOf, type CloudEvent } from './events.js';

/**
 * Figures for managers: which enquiries count and where each stands come from the
 * same listing as `GET /v1/enquiries` (one rule for what a manager may see, and every
 * change of status counts, whether or not an event announced it); how long decisions
 * took and what the settled projects bring are folded from the enquiry events. A
 * project handled jointly counts once in the totals; each handling agency is shown its
 * share, so the shares add up to the total and nothing is counted twice.
 */

/** The fields of event data the figures read (CONTRACT.md). */
interface EventData {
  receivedBy?: string;
  responsibleAgency?: string;
  partner?: string;
  because?: string;
  outcome?: string;
  handlingAgencies?: unknown;
  jobs?: number;
  investmentEur?: number;
}

const DECISIONS = [
  'jurisdiction_determined',
  'joint_handling_decided',
  'forwarding_decided',
  'lead_accepted',
  'lead_declined',
  'closed',
] as const;

interface Enquiry {
  receivedAt: number;
  receivedBy: string;
  responsible?: string;
  /** From the listing, not the events: a status can change without an event. */
  status: string;
  partners: Set<string>;
  handling: string[];
  firstAt: Partial<Record<(typeof DECISIONS)[number], number>>;
  forwardingRequested: boolean;
  leads: { forwarded: number; accepted: number; declined: number; expired: number };
  outcome?: string;
  jobs?: number;
  investmentEur?: number;
  significant: boolean;
  /** Joint handling approved: the responsible agency and these partners handle it together. */
  joint: boolean;
  jointPartners: Set<string>;
}

/** An enquiry the manager may list, received in the period, with its current status. */
export interface Listed {
  enquiryId: string;
  status: string;
  receivedBy: string;
  responsibleAgency: string | null;
  receivedAt: string | null;
}

const Figures = z.object({ enquiries: z.number(), jobs: z.number(), investmentEur: z.number() });

/** The figures of GET /v1/stats. */
export const Stats = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  period: z
    .enum(['requested', 'calendar_year_default'])
    .describe('whether the period was asked for, or is this calendar year because none was'),
  agency: AgencyId,
  enquiries: z.int(),
  byStatus: z.record(z.string(), z.int()),
  byResponsibleAgency: z.record(z.string(), z.int()),
  significant: z.int(),
  forwarding: z.object({
    requested: z.int(),
    leadsForwarded: z.int(),
    accepted: z.int(),
    declined: z.int(),
    expired: z.int(),
  }),
  outcomes: z.record(z.string(), z.int()),
  medianSecondsFromReceipt: z
    .record(z.string(), z.object({ median: z.number(), count: z.int() }))
    .describe('median seconds from receipt to the first decision of each kind, and how many enquiries had one'),
  settled: Figures.extend({ byAgency: z.record(z.string(), Figures) }),
  receivedByMonth: z
    .record(z.string(), z.int())
    .describe('enquiries received per calendar month (YYYY-MM, Europe/Berlin), every month of the period'),
  joint: z
    .object({ projects: z.int(), byAgency: z.record(z.string(), z.int()) })
    .describe('projects handled jointly after a vote, and in how many of them each agency takes part'),
});
export type Stats = z.infer<typeof Stats>;

export interface StatsScope {
  from: Date;
  to: Date;
  agency: string;
  period: Stats['period'];
  listed: Listed[];
}

export function computeStats(events: Iterable<CloudEvent>, opts: StatsScope): Stats {
  const enquiries = new Map<string, Enquiry>();
  for (const e of events) {
    const type = typeOf(e);
    const at = Date.parse(e.time);
    const d = e.data as EventData;
    if (type === 'received') {
      enquiries.set(e.subject, { ...blank({ receivedBy: d.receivedBy ?? '' }), receivedAt: at });
      continue;
    }
    const q = enquiries.get(e.subject);
    if (!q) continue;
    if ((DECISIONS as readonly string[]).includes(type)) q.firstAt[type as (typeof DECISIONS)[number]] ??= at;
    if (type === 'jurisdiction_determined') q.responsible = d.responsibleAgency;
    if (type === 'joint_handling_requested') q.significant = true;
    if (type === 'joint_handling_decided' && d.outcome === 'approve') q.joint = true;
    if (type === 'forwarding_requested') q.forwardingRequested = true;
    if (type === 'lead_forwarded') {
      if (d.partner) q.partners.add(d.partner);
      if (d.partner && d.because === 'joint_handling') q.jointPartners.add(d.partner);
      // Forwarding figures count offers made by a decision, not joint handling or a re-send after consent.
      if (d.because === 'decision') q.leads.forwarded++;
    }
    if (type === 'lead_accepted') q.leads.accepted++;
    if (type === 'lead_declined') q.leads.declined++;
    if (type === 'lead_expired') q.leads.expired++;
    if (type === 'closed') {
      q.outcome = d.outcome;
      q.handling = Array.isArray(d.handlingAgencies) ? d.handlingAgencies : [];
      q.jobs = d.jobs;
      q.investmentEur = d.investmentEur;
    }
  }

  const mine = opts.listed.map((l): Enquiry => {
    const folded = enquiries.get(l.enquiryId) ?? blank(l);
    const receivedAt = l.receivedAt ? Date.parse(l.receivedAt) : folded.receivedAt;
    return { ...folded, receivedAt, status: l.status, responsible: l.responsibleAgency ?? folded.responsible };
  });

  const count = (keys: (string | undefined)[]) =>
    keys.reduce<Record<string, number>>((acc, k) => (k ? ((acc[k] = (acc[k] ?? 0) + 1), acc) : acc), {});
  const sum = (f: (q: Enquiry) => number) => mine.reduce((n, q) => n + f(q), 0);
  const settled = mine.filter((q) => q.outcome === 'settled');
  const byAgency: Stats['settled']['byAgency'] = {};
  for (const q of settled) {
    const share = 1 / Math.max(1, q.handling.length);
    for (const agency of q.handling) {
      const a = (byAgency[agency] ??= { enquiries: 0, jobs: 0, investmentEur: 0 });
      a.enquiries += share;
      a.jobs += (q.jobs ?? 0) * share;
      a.investmentEur += (q.investmentEur ?? 0) * share;
    }
  }
  return {
    from: opts.from.toISOString(),
    to: opts.to.toISOString(),
    period: opts.period,
    agency: opts.agency,
    enquiries: mine.length,
    byStatus: count(mine.map((q) => q.status)),
    byResponsibleAgency: count(mine.map((q) => q.responsible)),
    significant: mine.filter((q) => q.significant).length,
    forwarding: {
      requested: mine.filter((q) => q.forwardingRequested).length,
      leadsForwarded: sum((q) => q.leads.forwarded),
      accepted: sum((q) => q.leads.accepted),
      declined: sum((q) => q.leads.declined),
      expired: sum((q) => q.leads.expired),
    },
    outcomes: count(mine.map((q) => q.outcome)),
    medianSecondsFromReceipt: Object.fromEntries(
      DECISIONS.map((d) => {
        const waits = mine.filter((q) => q.firstAt[d] !== undefined).map((q) => (q.firstAt[d]! - q.receivedAt) / 1000);
        return [d, { median: median(waits), count: waits.length }];
      }),
    ),
    settled: {
      enquiries: settled.length,
      jobs: sum((q) => (q.outcome === 'settled' ? (q.jobs ?? 0) : 0)),
      investmentEur: sum((q) => (q.outcome === 'settled' ? (q.investmentEur ?? 0) : 0)),
      byAgency,
    },
    receivedByMonth: perMonth(mine, opts.from, opts.to),
    joint: jointShares(mine),
  };
}

/** Enquiries per month of the period, months without any included, so a chart shows the gaps. */
function perMonth(mine: Enquiry[], from: Date, to: Date): Record<string, number> {
  const months: Record<string, number> = {};
  for (let m = berlinMonth(from); m <= berlinMonth(new Date(to.getTime() - 1)); m = nextMonth(m)) months[m] = 0;
  for (const q of mine) {
    if (Number.isNaN(q.receivedAt)) continue;
    const m = berlinMonth(new Date(q.receivedAt));
    if (m in months) months[m]! += 1;
  }
  return months;
}

const berlinMonth = (d: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' }).format(d);

function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

function jointShares(mine: Enquiry[]): Stats['joint'] {
  const joint = mine.filter((q) => q.joint);
  const byAgency: Record<string, number> = {};
  for (const q of joint) {
    for (const agency of new Set([q.responsible, ...q.jointPartners])) {
      if (agency) byAgency[agency] = (byAgency[agency] ?? 0) + 1;
    }
  }
  return { projects: joint.length, byAgency };
}

function blank(l: { receivedBy: string }): Enquiry {
  return {
    receivedAt: Number.NaN,
    receivedBy: l.receivedBy,
    status: 'received',
    partners: new Set(),
    handling: [],
    firstAt: {},
    forwardingRequested: false,
    leads: { forwarded: 0, accepted: 0, declined: 0, expired: 0 },
    significant: false,
    joint: false,
    jointPartners: new Set(),
  };
}

/** The calendar year (Europe/Berlin, where 1 January is always CET) that holds the moment. */
export function calendarYear(now: Date): { from: Date; to: Date } {
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Berlin', year: 'numeric' }).format(now));
  return { from: new Date(`${year}-01-01T00:00:00+01:00`), to: new Date(`${year + 1}-01-01T00:00:00+01:00`) };
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
