import { sql } from 'kysely';
import {
  countProgramme,
  type PeriodSums,
  type ProgrammeSetup,
  type SiteVersionRow,
} from '../../domain/programme-count.js';
import { sourceOf } from './rows.js';
import type { ReadDb } from './tables.js';

/**
 * What a programme's figures are counted from (domain/programme-count.ts): the period's
 * enquiries of the programme summed by PostgreSQL into groups alike in what decides where they
 * count (first place, source, lead partners, quarter), the sites proposed per place, and every
 * version of the sites that ever lay in the region. A year of a region is a few hundred groups.
 */

/** The programme's figures for the period (without `asOf`: the caller knows how current its store is). */
export async function programmeFigures(db: ReadDb, setup: ProgrammeSetup, from: Date, to: Date) {
  const [sums, sites] = await Promise.all([periodSums(db, setup, from, to), siteVersionsIn(db, setup.terms.region)]);
  return countProgramme(setup, sums, sites, { from, to });
}

type SourceColumns = {
  first_place: string | null;
  channel: string | null;
  measure: string | null;
  source_area: string | null;
};

async function periodSums(db: ReadDb, setup: ProgrammeSetup, from: Date, to: Date): Promise<PeriodSums> {
  const { region } = setup.terms;
  const areas = setup.areas.map((a) => a.id);
  const municipalities = setup.areas.flatMap((a) => a.municipalities);
  // Enquiries of the programme: a first place in the region, or a source naming one of its areas or measures.
  const ofProgramme = sql`(left(places[1], ${region.length}) = ${region} or source_area = any(${areas}::text[])
    or measure = any(${setup.terms.measures}::text[]))`;
  const closedAt = sql`(first_at->>'closed')::timestamptz`;
  const quarterOf = (at: ReturnType<typeof sql>) => sql`to_char(${at} at time zone 'Europe/Berlin', 'YYYY-"Q"Q')`;
  const [received, settled, proposals] = await Promise.all([
    sql<SourceColumns & { lead_partners: string[]; quarter: string; n: number; proposed: number }>`
      select places[1] as first_place, channel, measure, source_area, lead_partners,
        ${quarterOf(sql`received_at`)} as quarter, count(*)::int as n,
        coalesce(sum(cardinality(proposed_places)), 0)::int as proposed
      from enquiries where received_at >= ${from} and received_at < ${to} and ${ofProgramme}
      group by 1, 2, 3, 4, 5, 6`.execute(db),
    sql<SourceColumns & { quarter: string; n: number; jobs: number; investment_eur: number }>`
      select places[1] as first_place, channel, measure, source_area, ${quarterOf(closedAt)} as quarter,
        count(*)::int as n, coalesce(sum(jobs), 0)::float8 as jobs,
        coalesce(sum(investment_eur), 0)::float8 as investment_eur
      from enquiries where outcome = 'settled' and ${closedAt} >= ${from} and ${closedAt} < ${to} and ${ofProgramme}
      group by 1, 2, 3, 4, 5`.execute(db),
    sql<{ ags: string; n: number }>`
      select p as ags, count(*)::int as n from enquiries, unnest(proposed_places) p
      where received_at >= ${from} and received_at < ${to} and proposed_places && ${municipalities}::text[]
      group by 1`.execute(db),
  ]);
  return {
    received: received.rows.map((r) => ({
      ...placed(r),
      leadPartners: r.lead_partners,
      quarter: r.quarter,
      n: r.n,
      proposed: r.proposed,
    })),
    settled: settled.rows.map((r) => ({
      ...placed(r),
      quarter: r.quarter,
      n: r.n,
      jobs: r.jobs,
      investmentEur: r.investment_eur,
    })),
    proposals: proposals.rows,
  };
}

const placed = (r: SourceColumns) => ({ firstPlace: r.first_place, source: sourceOf(r) });

/** Every version of each site that ever lay in the region, oldest first. */
async function siteVersionsIn(db: ReadDb, region: string): Promise<SiteVersionRow[]> {
  const { rows } = await sql<{ site_key: string; at: Date; ags: string | null; area_m2: number | null }>`
    select site_key, at, ags, area_m2 from site_versions
    where site_key in (select site_key from site_versions where ags like ${`${region}%`})
    order by revision`.execute(db);
  return rows.map((r) => ({ key: r.site_key, at: new Date(r.at).toISOString(), ags: r.ags, areaM2: r.area_m2 }));
}
