import { sql } from 'kysely';
import {
  countProgramme,
  type ProgrammeRow,
  type ProgrammeSetup,
  type SiteVersionRow,
} from '../../domain/programme-count.js';
import type { ReadDb } from './tables.js';

/**
 * What a programme's figures are counted from (domain/programme-count.ts): the enquiries
 * received in the period or closed as settled in it, and every version of the sites that ever
 * lay in the programme's region. Thin columns, by index: a quarter reads its own enquiries.
 */

/** The programme's figures for the period (without `asOf`: the caller knows how current its store is). */
export async function programmeFigures(db: ReadDb, setup: ProgrammeSetup, from: Date, to: Date) {
  const [rows, sites] = await Promise.all([programmeRows(db, from, to), siteVersionsIn(db, setup.terms.region)]);
  return countProgramme(setup, rows, sites, { from, to });
}

async function programmeRows(db: ReadDb, from: Date, to: Date): Promise<ProgrammeRow[]> {
  const { rows } = await sql<{
    received_at: Date;
    first_place: string | null;
    channel: string | null;
    measure: string | null;
    source_area: string | null;
    proposed_places: string[];
    lead_partners: string[];
    settled_at: Date | null;
    jobs: number | null;
    investment_eur: number | null;
  }>`select received_at, places[1] as first_place, channel, measure, source_area, proposed_places,
      lead_partners, jobs, investment_eur,
      case when outcome = 'settled' then (first_at->>'closed')::timestamptz end as settled_at
    from enquiries
    where received_at is not null and ((received_at >= ${from} and received_at < ${to})
      or (outcome = 'settled' and (first_at->>'closed')::timestamptz >= ${from}
        and (first_at->>'closed')::timestamptz < ${to}))`.execute(db);
  return rows.map((r) => ({
    receivedAt: new Date(r.received_at).toISOString(),
    firstPlace: r.first_place,
    source: r.channel
      ? {
          channel: r.channel,
          ...(r.measure ? { measure: r.measure } : {}),
          ...(r.source_area ? { area: r.source_area } : {}),
        }
      : null,
    proposedPlaces: r.proposed_places,
    leadPartners: r.lead_partners,
    settledAt: r.settled_at ? new Date(r.settled_at).toISOString() : null,
    jobs: r.jobs ?? 0,
    investmentEur: r.investment_eur ?? 0,
  }));
}

/** Every version of each site that ever lay in the region, oldest first. */
async function siteVersionsIn(db: ReadDb, region: string): Promise<SiteVersionRow[]> {
  const { rows } = await sql<{ site_key: string; at: Date; ags: string | null; area_m2: number | null }>`
    select site_key, at, ags, area_m2 from site_versions
    where site_key in (select site_key from site_versions where ags like ${`${region}%`})
    order by revision`.execute(db);
  return rows.map((r) => ({ key: r.site_key, at: new Date(r.at).toISOString(), ags: r.ags, areaM2: r.area_m2 }));
}
