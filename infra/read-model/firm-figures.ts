import { sql } from 'kysely';
import type { ReadDb } from './tables.js';

/**
 * Bestandspflege's figures for an agency, from the firms' steps in the read model (never the
 * stream): visits per quarter and agency, concerns per topic with how long their answers took,
 * expansion projects with the jobs they create and secure. Only firms the agency sees count.
 * Quarters and days are Berlin's.
 */
export async function firmFigures(db: ReadDb, agency: string, from: Date, to: Date) {
  const seen = sql`firm_id in (select firm_id from firms where readers @> array[${agency}]::text[])`;
  const visits = await sql<{ quarter: string; agency: string; n: string }>`
    select to_char((detail->>'at')::timestamptz at time zone 'Europe/Berlin', 'YYYY-"Q"Q') as quarter, agency,
           count(*) as n
    from firm_steps
    where type = 'visit_recorded' and ${seen}
      and (detail->>'at')::timestamptz >= ${from} and (detail->>'at')::timestamptz < ${to}
    group by 1, 2 order by 1, 2`.execute(db);
  const concerns = await sql<{ topic: string; opened: string; answered: string; median_days: number | null }>`
    with opened as (
      select firm_id, detail->>'concernId' as concern, detail->>'topic' as topic, at
      from firm_steps where type = 'concern_opened' and ${seen} and at >= ${from} and at < ${to}
    ), closed as (
      select firm_id, detail->>'concernId' as concern, min(at) as at
      from firm_steps where type in ('concern_answered', 'concern_handed_on') and ${seen}
      group by 1, 2
    )
    select o.topic, count(*) as opened, count(c.at) as answered,
           percentile_cont(0.5) within group (order by extract(epoch from c.at - o.at) / 86400) as median_days
    from opened o left join closed c using (firm_id, concern)
    group by 1 order by 1`.execute(db);
  const expansions = await sql<{ outcome: string | null; n: string; jobs: string; jobs_secured: string }>`
    select e.outcome, count(*) as n, coalesce(sum((s.detail->>'jobs')::int), 0) as jobs,
           coalesce(sum((s.detail->>'jobsSecured')::int), 0) as jobs_secured
    from firm_steps s left join enquiries e on e.enquiry_id = s.detail->>'enquiryId'
    where s.type = 'expansion_started'
      and s.firm_id in (select firm_id from firms where readers @> array[${agency}]::text[])
      and s.at >= ${from} and s.at < ${to}
    group by 1 order by 1 nulls first`.execute(db);
  return {
    visitsByQuarter: visits.rows.map((r) => ({ quarter: r.quarter, agency: r.agency, visits: Number(r.n) })),
    concernsByTopic: concerns.rows.map((r) => ({
      topic: r.topic,
      opened: Number(r.opened),
      answered: Number(r.answered),
      medianDays: r.median_days === null ? null : Math.round(Number(r.median_days) * 10) / 10,
    })),
    expansions: expansions.rows.map((r) => ({
      outcome: r.outcome ?? 'open',
      projects: Number(r.n),
      jobs: Number(r.jobs),
      jobsSecured: Number(r.jobs_secured),
    })),
  };
}
