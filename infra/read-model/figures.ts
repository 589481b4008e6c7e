import { sql } from 'kysely';
import { DECISIONS } from '../../domain/enquiry-row.js';
import type { Stats } from '../../domain/stats.js';
import type { ReadDb } from './store.js';

/**
 * The managers' figures as PostgreSQL computes them from the rows of the period: one pass
 * per group, on the rows of the enquiries the agency has a part in (a GIN index on
 * `agencies`, the period on `received_at`). A project handled jointly counts once in the
 * totals; each handling agency gets its share, so the shares add up to the total.
 */

export type Figures = Omit<Stats, 'from' | 'to' | 'period' | 'agency' | 'asOf'>;

export async function figures(db: ReadDb, agency: string, from: Date, to: Date): Promise<Figures> {
  const mine = sql`select * from enquiries where agencies @> array[${agency}]::text[]
    and received_at >= ${from} and received_at < ${to}`;
  const seconds = (d: string) => sql.raw(`extract(epoch from ((first_at->>'${d}')::timestamptz - received_at))`);
  const medians = DECISIONS.map(
    (d, i) => sql`percentile_cont(0.5) within group (order by ${seconds(d)}) filter (where first_at ? ${d})
      as ${sql.raw(`median_${i}`)}, count(*) filter (where first_at ? ${d}) as ${sql.raw(`count_${i}`)}`,
  );
  const [totals, byStatus, byResponsible, outcomes, shares, months, joint] = await Promise.all([
    sql<Record<string, unknown>>`select count(*) as enquiries,
        count(*) filter (where significant) as significant,
        count(*) filter (where joint) as joint,
        count(*) filter (where forwarding_requested) as requested,
        coalesce(sum((leads->>'forwarded')::int), 0) as forwarded,
        coalesce(sum((leads->>'accepted')::int), 0) as accepted,
        coalesce(sum((leads->>'declined')::int), 0) as declined,
        coalesce(sum((leads->>'expired')::int), 0) as expired,
        count(*) filter (where outcome = 'settled') as settled,
        coalesce(sum(jobs) filter (where outcome = 'settled'), 0) as jobs,
        coalesce(sum(investment_eur) filter (where outcome = 'settled'), 0) as investment,
        ${sql.join(medians)}
      from (${mine}) m`.execute(db),
    counted(db, sql`select status as k, count(*) as n from (${mine}) m group by status`),
    counted(
      db,
      sql`select responsible_agency as k, count(*) as n from (${mine}) m
      where responsible_agency is not null group by responsible_agency`,
    ),
    counted(db, sql`select outcome as k, count(*) as n from (${mine}) m where outcome is not null group by outcome`),
    sql<{ k: string; n: number; jobs: number; investment: number }>`select h as k,
        sum(1.0 / cardinality(handling_agencies))::float8 as n,
        sum(coalesce(jobs, 0)::float8 / cardinality(handling_agencies))::float8 as jobs,
        sum(coalesce(investment_eur, 0) / cardinality(handling_agencies))::float8 as investment
      from (${mine}) m, unnest(handling_agencies) h where outcome = 'settled' group by h`.execute(db),
    counted(
      db,
      sql`select to_char(received_at at time zone 'Europe/Berlin', 'YYYY-MM') as k, count(*) as n
      from (${mine}) m group by 1`,
    ),
    counted(
      db,
      sql`select p as k, count(*) as n from (${mine}) m,
      unnest(array(select distinct x from unnest(array[responsible_agency] || joint_partners) x where x is not null)) p
      where joint group by p`,
    ),
  ]);
  const t = totals.rows[0]!;
  const num = (k: string) => Number(t[k] ?? 0);
  return {
    enquiries: num('enquiries'),
    byStatus,
    byResponsibleAgency: byResponsible,
    significant: num('significant'),
    forwarding: {
      requested: num('requested'),
      leadsForwarded: num('forwarded'),
      accepted: num('accepted'),
      declined: num('declined'),
      expired: num('expired'),
    },
    outcomes,
    medianSecondsFromReceipt: Object.fromEntries(
      DECISIONS.map((d, i) => [d, { median: num(`median_${i}`), count: num(`count_${i}`) }]),
    ),
    settled: {
      enquiries: num('settled'),
      jobs: num('jobs'),
      investmentEur: num('investment'),
      byAgency: Object.fromEntries(
        shares.rows.map((r) => [r.k, { enquiries: r.n, jobs: r.jobs, investmentEur: r.investment }]),
      ),
    },
    receivedByMonth: everyMonth(months, from, to),
    joint: { projects: num('joint'), byAgency: joint },
  };
}

async function counted(db: ReadDb, query: ReturnType<typeof sql<{ k: string; n: string }>>) {
  const r = await query.execute(db);
  return Object.fromEntries((r.rows as { k: string; n: string }[]).map((x) => [x.k, Number(x.n)]));
}

/** Every month of the period, those without an enquiry too, so that a chart shows the gaps. */
function everyMonth(found: Record<string, number>, from: Date, to: Date): Record<string, number> {
  const months: Record<string, number> = {};
  for (let m = berlinMonth(from); m <= berlinMonth(new Date(to.getTime() - 1)); m = nextMonth(m)) {
    months[m] = found[m] ?? 0;
  }
  return months;
}

const berlinMonth = (d: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit' }).format(d);

function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}
