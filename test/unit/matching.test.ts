import { describe, expect, it } from 'vitest';
import { matchSites, reasonsAgainst, score, type Requirements } from '../../domain/matching.js';
import type { Site } from '../../domain/reference.js';
import { SiteIndex } from '../../domain/site-index.js';

const TODAY = '2026-11-21';
const site = (o: Partial<Site> = {}): Site => ({
  siteId: 'schkeuditz-gi',
  agency: 'wfg-nordsachsen',
  ags: '14730270',
  name: 'Industriegebiet Schkeuditz',
  areaM2: 50_000,
  zoning: 'GI',
  railAccess: true,
  motorwayKm: 2,
  powerMw: 20,
  availableFrom: '2026-01-01',
  ...o,
});
const req = (o: Partial<Requirements> = {}): Requirements => ({ areaM2Min: 20_000, zoning: ['GI'], ...o });

describe('hard requirements and their reason codes', () => {
  it('passes a site that meets everything', () => {
    expect(
      reasonsAgainst(
        site(),
        req({ areaM2Max: 60_000, railAccess: true, maxMotorwayKm: 5, minPowerMw: 10, availableBy: '2027-01-01' }),
        ['14730'],
      ),
    ).toEqual([]);
  });
  it.each<[string, Partial<Site>, Partial<Requirements>, string[] | undefined]>([
    ['too_small', { areaM2: 19_999 }, {}, undefined],
    ['too_large', { areaM2: 60_001 }, { areaM2Max: 60_000 }, undefined],
    ['wrong_zoning', { zoning: 'GE' }, { zoning: ['GI'] }, undefined],
    ['no_rail', { railAccess: false }, { railAccess: true }, undefined],
    ['too_far_from_motorway', { motorwayKm: 10.5 }, { maxMotorwayKm: 10 }, undefined],
    ['not_enough_power', { powerMw: 4.9 }, { minPowerMw: 5 }, undefined],
    ['not_available_in_time', { availableFrom: '2027-07-01' }, { availableBy: '2027-06-30' }, undefined],
    ['outside_preferred_locations', { ags: '14713000' }, {}, ['14730']],
  ])('%s', (reason, s, r, locations) => {
    expect(reasonsAgainst(site(s), req(r), locations)).toEqual([reason]);
  });
  it('takes the limits as inclusive', () => {
    expect(
      reasonsAgainst(
        site({ areaM2: 20_000, motorwayKm: 10, powerMw: 5, availableFrom: '2027-06-30' }),
        req({ areaM2Max: 20_000, maxMotorwayKm: 10, minPowerMw: 5, availableBy: '2027-06-30' }),
      ),
    ).toEqual([]);
  });
  it('does not require rail when rail is not asked for', () => {
    expect(reasonsAgainst(site({ railAccess: false }), req({ railAccess: false }))).toEqual([]);
  });
  it('lists every reason a site fails', () => {
    expect(reasonsAgainst(site({ areaM2: 5_000, zoning: 'GE', railAccess: false }), req({ railAccess: true }))).toEqual(
      ['too_small', 'wrong_zoning', 'no_rail'],
    );
  });
});

describe('ranking', () => {
  it('prefers the area nearest to what was asked, then the motorway', () => {
    const r = req({ areaM2Min: 40_000, areaM2Max: 60_000 });
    expect(score(site({ areaM2: 50_000 }), r, TODAY)).toBeGreaterThan(score(site({ areaM2: 59_000 }), r, TODAY));
    expect(score(site({ motorwayKm: 1 }), r, TODAY)).toBeGreaterThan(score(site({ motorwayKm: 30 }), r, TODAY));
    expect(score(site({ availableFrom: '2026-01-01' }), r, TODAY)).toBeGreaterThan(
      score(site({ availableFrom: '2027-09-01' }), r, TODAY),
    );
  });
  it('orders matches best first, ties by site id, and explains the rest', () => {
    const sites = [
      site({ siteId: 'b', areaM2: 50_000 }),
      site({ siteId: 'a', areaM2: 50_000 }),
      site({ siteId: 'far', motorwayKm: 40 }),
      site({ siteId: 'small', areaM2: 100 }),
    ];
    const result = matchSites(sites, req({ areaM2Max: 80_000 }), { today: TODAY });
    expect(result.matches.map((m) => m.site.siteId)).toEqual(['a', 'b', 'far']);
    expect(result.rejected).toEqual([{ siteId: 'small', agency: 'wfg-nordsachsen', reasons: ['too_small'] }]);
    expect(result.matches[0]!.score).toBeGreaterThan(0);
    expect(result.matches[0]!.score).toBeLessThanOrEqual(100);
  });
});

describe('site index', () => {
  function random(seed: number) {
    return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  }
  it('finds exactly what a scan of every site finds, in the same order', () => {
    const rnd = random(42);
    const agencies = ['irl', 'wfg-nordsachsen', 'img'];
    const zonings = ['GI', 'GE', 'MI', 'SO'] as const;
    const sites: Site[] = Array.from({ length: 3000 }, (_, i) =>
      site({
        siteId: `s${i}`,
        agency: agencies[i % 3]!,
        ags: `14${String(700 + Math.floor(rnd() * 40))}${String(Math.floor(rnd() * 999)).padStart(3, '0')}`,
        areaM2: Math.round(1000 + rnd() * 300_000),
        zoning: zonings[Math.floor(rnd() * 4)]!,
        railAccess: rnd() < 0.3,
        motorwayKm: Math.round(rnd() * 40),
        powerMw: Math.round(rnd() * 50),
        availableFrom: rnd() < 0.5 ? '2026-01-01' : '2027-09-01',
      }),
    );
    const index = new SiteIndex();
    sites.forEach((s) => index.upsert(s));
    for (let q = 0; q < 200; q++) {
      const min = Math.round(rnd() * 200_000);
      const r = req({
        areaM2Min: min,
        areaM2Max: rnd() < 0.5 ? min + Math.round(rnd() * 100_000) : undefined,
        zoning: rnd() < 0.5 ? ['GI'] : ['GI', 'GE'],
        railAccess: rnd() < 0.5,
        maxMotorwayKm: rnd() < 0.5 ? 15 : undefined,
        availableBy: rnd() < 0.5 ? '2026-12-31' : undefined,
      });
      const agency = agencies[q % 3]!;
      const locations = rnd() < 0.3 ? ['1471'] : undefined;
      const scan = matchSites(
        sites.filter((s) => s.agency === agency),
        r,
        { locations, today: TODAY },
      ).matches;
      expect(index.match([agency], r, { locations, today: TODAY }).map((m) => m.site.siteId)).toEqual(
        scan.map((m) => m.site.siteId),
      );
    }
  });
  it('forgets a removed site and moves a changed one', () => {
    const index = new SiteIndex();
    index.upsert(site({ siteId: 'x', areaM2: 50_000 }));
    expect(index.match(['wfg-nordsachsen'], req(), { today: TODAY })).toHaveLength(1);
    index.upsert(site({ siteId: 'x', areaM2: 5_000 }));
    expect(index.match(['wfg-nordsachsen'], req(), { today: TODAY })).toHaveLength(0);
    expect(index.size).toBe(1);
    index.remove('wfg-nordsachsen', 'x');
    expect(index.size).toBe(0);
    expect(index.sitesOf('wfg-nordsachsen')).toEqual([]);
  });
});
