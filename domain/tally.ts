import { DECISIONS, type EnquiryRow } from './enquiry-row.js';
import { berlinDay, type Stats } from './stats.js';

/**
 * What one enquiry adds to the managers' figures: counters per agency with a part in it and
 * per day of its receipt (Europe/Berlin). The read model keeps their sums per day and per
 * month, changed by what each step of an enquiry changes, so that a year's figures add up
 * a few hundred sums instead of reading every enquiry of the year (infra/read-model/counters.ts).
 * A project handled jointly counts once in the totals; each handling agency gets its share,
 * kept as whole numbers per number of handlers (`share:<agency>:<n>`) and divided when read,
 * so that adding and taking away never drifts. How long the first decisions took is kept as
 * a histogram whose buckets are at most 1/32 of their value wide: a median read from it is
 * exact below 32 ms and within 1.6 % above (domain/tally.test in test/unit).
 */

export interface Tally {
  agency: string;
  /** YYYY-MM-DD, the day of receipt in Berlin. */
  day: string;
  key: string;
  n: number;
}

export type Figures = Omit<Stats, 'from' | 'to' | 'period' | 'agency' | 'asOf'>;

/** What the enquiry adds to the figures of every agency with a part in it; nothing before it was received. */
export function tally(row: EnquiryRow): Tally[] {
  if (!row.receivedAt) return [];
  const counts = counted(row);
  const day = berlinDay(row.receivedAt);
  return row.agencies.flatMap((agency) => [...counts].map(([key, n]) => ({ agency, day, key, n })));
}

/** What changes in the sums when the enquiry's row goes from `before` to `after`: the differences, no zeroes. */
export function tallyChange(before: EnquiryRow | undefined, after: EnquiryRow): Tally[] {
  const sums = new Map<string, Tally>();
  const add = (t: Tally, sign: number) => {
    const id = `${t.agency}\u0000${t.day}\u0000${t.key}`;
    const found = sums.get(id);
    if (found) found.n += sign * t.n;
    else sums.set(id, { ...t, n: sign * t.n });
  };
  for (const t of before ? tally(before) : []) add(t, -1);
  for (const t of tally(after)) add(t, 1);
  return [...sums.values()].filter((t) => t.n !== 0);
}

function counted(row: EnquiryRow): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string, n = 1) => {
    if (n !== 0) counts.set(key, (counts.get(key) ?? 0) + n);
  };
  add('enquiries');
  add(`status:${row.status}`);
  if (row.significant) add('significant');
  if (row.forwardingRequested) add('requested');
  add('forwarded', row.leads.forwarded);
  add('accepted', row.leads.accepted);
  add('declined', row.leads.declined);
  add('expired', row.leads.expired);
  if (row.responsibleAgency) add(`responsible:${row.responsibleAgency}`);
  if (row.outcome) add(`outcome:${row.outcome}`);
  if (row.outcome === 'settled') {
    const [jobs, eur, n] = [row.jobs ?? 0, row.investmentEur ?? 0, row.handlingAgencies.length];
    add('settled');
    add('jobs', jobs);
    add('investment', eur);
    for (const h of row.handlingAgencies) {
      add(`share:${h}:${n}`);
      add(`share_jobs:${h}:${n}`, jobs);
      add(`share_investment:${h}:${n}`, eur);
    }
  }
  if (row.joint) {
    add('joint');
    for (const p of new Set([row.responsibleAgency, ...row.jointPartners])) if (p) add(`joint_in:${p}`);
  }
  for (const d of DECISIONS) {
    const at = row.firstAt[d];
    if (at) add(`took:${d}:${bucketOf(Date.parse(at) - Date.parse(row.receivedAt!))}`);
  }
  return counts;
}

/** Sub-buckets per doubling of the decision times' histogram. */
const SUB = 32;

/** The bucket (its lowest value, whole milliseconds) that holds a decision time. */
export function bucketOf(ms: number): number {
  const v = Math.max(0, Math.floor(ms));
  if (v < SUB) return v;
  const width = widthAt(v);
  return Math.floor(v / width) * width;
}

function widthAt(v: number): number {
  if (v < SUB) return 1;
  let e = Math.floor(Math.log2(v));
  // log2 in floating point may land a hair off at powers of two.
  while (2 ** e > v) e--;
  while (2 ** (e + 1) <= v) e++;
  return 2 ** e / SUB;
}

/** The median (as PostgreSQL's percentile_cont(0.5) takes it) of the times in the buckets, in seconds. */
export function medianOf(buckets: [lowest: number, count: number][]): number {
  const sorted = buckets.filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return 0;
  const at = (index: number) => {
    let seen = 0;
    for (const [lowest, n] of sorted) {
      seen += n;
      if (index < seen) return lowest + (widthAt(lowest) - 1) / 2;
    }
    return 0;
  };
  const p = (total - 1) / 2;
  const [lo, hi] = [at(Math.floor(p)), at(Math.ceil(p))];
  return (lo + (hi - lo) * (p - Math.floor(p))) / 1000;
}

/** The figures from the sums of the period's counters (`sums`) and its enquiries per month (`byMonth`). */
export function figuresOf(sums: Map<string, number>, byMonth: Record<string, number>): Figures {
  const n = (key: string) => sums.get(key) ?? 0;
  const prefixed = (prefix: string) =>
    [...sums].filter(([k, v]) => k.startsWith(prefix) && v !== 0).map(([k, v]) => [k.slice(prefix.length), v] as const);
  return {
    enquiries: n('enquiries'),
    byStatus: Object.fromEntries(prefixed('status:')),
    byResponsibleAgency: Object.fromEntries(prefixed('responsible:')),
    significant: n('significant'),
    forwarding: {
      requested: n('requested'),
      leadsForwarded: n('forwarded'),
      accepted: n('accepted'),
      declined: n('declined'),
      expired: n('expired'),
    },
    outcomes: Object.fromEntries(prefixed('outcome:')),
    medianSecondsFromReceipt: Object.fromEntries(DECISIONS.map((d) => [d, median(prefixed(`took:${d}:`))])),
    settled: { enquiries: n('settled'), jobs: n('jobs'), investmentEur: n('investment'), byAgency: shares(sums) },
    receivedByMonth: byMonth,
    joint: { projects: n('joint'), byAgency: Object.fromEntries(prefixed('joint_in:')) },
  };
}

function median(buckets: (readonly [string, number])[]) {
  const parsed = buckets.map(([lowest, count]): [number, number] => [Number(lowest), count]);
  return { median: medianOf(parsed), count: parsed.reduce((s, [, c]) => s + c, 0) };
}

/** Each handling agency's share of the settled projects: a project handled by n agencies gives each 1/n. */
function shares(sums: Map<string, number>): Figures['settled']['byAgency'] {
  const out: Figures['settled']['byAgency'] = {};
  for (const [key, v] of sums) {
    const [what, agency, handlers] = key.split(':');
    if (!agency || !handlers || v === 0 || !what?.startsWith('share')) continue;
    const mine = (out[agency] ??= { enquiries: 0, jobs: 0, investmentEur: 0 });
    const part = v / Number(handlers);
    if (what === 'share') mine.enquiries += part;
    else if (what === 'share_jobs') mine.jobs += part;
    else mine.investmentEur += part;
  }
  return out;
}
