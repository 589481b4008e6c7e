import { stepOf, typeOf, type CloudEvent } from './events.js';

/**
 * Figures for managers, folded from the enquiry events: what was received in the
 * period, where it stands, how long decisions took, and what the settled projects
 * bring. A project handled jointly counts once in the totals; each handling agency
 * is shown its share, so the shares add up to the total and nothing is counted twice.
 */

const DECISIONS = ['jurisdiction_determined', 'joint_handling_decided', 'forwarding_decided', 'lead_accepted', 'lead_declined', 'closed'] as const;

interface Enquiry {
  receivedAt: number;
  receivedBy: string;
  responsible?: string;
  status: string;
  /** The step that set `status`: events can be stored out of step order (a decision overtaking a publish). */
  statusStep: number;
  partners: Set<string>;
  handling: string[];
  firstAt: Partial<Record<(typeof DECISIONS)[number], number>>;
  forwardingRequested: boolean;
  leads: { forwarded: number; accepted: number; declined: number; expired: number };
  outcome?: string;
  jobs?: number;
  investmentEur?: number;
  significant: boolean;
}

export interface Stats {
  from: string;
  to: string;
  agency: string;
  enquiries: number;
  byStatus: Record<string, number>;
  byResponsibleAgency: Record<string, number>;
  significant: number;
  forwarding: { requested: number; leadsForwarded: number; accepted: number; declined: number; expired: number };
  outcomes: Record<string, number>;
  /** Median seconds from receipt to the first decision of each kind, and how many enquiries had one. */
  medianSecondsFromReceipt: Record<string, { median: number; count: number }>;
  settled: { enquiries: number; jobs: number; investmentEur: number; byAgency: Record<string, { enquiries: number; jobs: number; investmentEur: number }> };
}

export function computeStats(events: Iterable<CloudEvent>, opts: { from: Date; to: Date; agency: string }): Stats {
  const enquiries = new Map<string, Enquiry>();
  for (const e of events) {
    const type = typeOf(e);
    const at = Date.parse(e.time);
    const d = e.data as Record<string, any>;
    if (type === 'received') {
      enquiries.set(e.subject, {
        receivedAt: at,
        receivedBy: d.receivedBy,
        status: 'received',
        statusStep: 1,
        partners: new Set(),
        handling: [],
        firstAt: {},
        forwardingRequested: false,
        leads: { forwarded: 0, accepted: 0, declined: 0, expired: 0 },
        significant: false,
      });
      continue;
    }
    const q = enquiries.get(e.subject);
    if (!q) continue;
    const step = stepOf(e);
    if (typeof d.status === 'string' && step > q.statusStep) {
      q.status = d.status;
      q.statusStep = step;
    }
    if ((DECISIONS as readonly string[]).includes(type)) q.firstAt[type as (typeof DECISIONS)[number]] ??= at;
    if (type === 'jurisdiction_determined') q.responsible = d.responsibleAgency;
    if (type === 'joint_handling_requested') q.significant = true;
    if (type === 'forwarding_requested') q.forwardingRequested = true;
    if (type === 'lead_forwarded') {
      q.partners.add(d.partner);
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

  const from = opts.from.getTime();
  const to = opts.to.getTime();
  const mine = [...enquiries.values()].filter(
    (q) =>
      q.receivedAt >= from &&
      q.receivedAt < to &&
      (q.receivedBy === opts.agency || q.responsible === opts.agency || q.partners.has(opts.agency) || q.handling.includes(opts.agency)),
  );

  const count = (keys: (string | undefined)[]) => keys.reduce<Record<string, number>>((acc, k) => (k ? ((acc[k] = (acc[k] ?? 0) + 1), acc) : acc), {});
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
    settled: { enquiries: settled.length, jobs: sum((q) => (q.outcome === 'settled' ? (q.jobs ?? 0) : 0)), investmentEur: sum((q) => (q.outcome === 'settled' ? (q.investmentEur ?? 0) : 0)), byAgency },
  };
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
