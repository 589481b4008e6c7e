import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kvm } from '@nats-io/kv';
import { enquiry, eventually, startHarness, type Harness } from '../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const site = (o: Record<string, unknown> = {}) => ({
  ags: '14713000',
  name: 'Industriegebiet Leipzig-Nord, Fläche 7',
  areaM2: 150_000,
  zoning: 'GI',
  railAccess: true,
  motorwayKm: 3,
  powerMw: 25,
  availableFrom: '2026-06-01',
  ...o,
});

/** A GE site without rail: none of the enquiries below looks for one, so it changes no match. */
const gewerbe = (o: Record<string, unknown> = {}) => site({ zoning: 'GE', railAccess: false, ...o });

describe('the shared site registry', () => {
  it('is seeded from data/sites.json and filtered by agency, AGS, zoning, area and rail', async () => {
    const token = await h.token({ agency: 'leg', roles: [] });
    const all = await (await h.get('/v1/sites', token)).json();
    expect(all.length).toBeGreaterThanOrEqual(25);
    const nordsachsenRail = await (
      await h.get('/v1/sites?ags=14730&zoning=GI&rail=true&minAreaM2=150000', token)
    ).json();
    expect(nordsachsenRail.map((s: any) => s.siteId).sort()).toEqual([
      'delitzsch-gi-west',
      'schkeuditz-gi-nord',
      'torgau-gi-industriepark',
    ]);
    const kks = await (await h.get('/v1/sites?agency=kks-osterzgebirge', token)).json();
    expect(kks).toHaveLength(4);
    expect((await h.get('/v1/sites?zoning=XX', token)).status).toBe(400);
    expect((await h.get('/v1/sites?colour=red', token)).status).toBe(400);
    expect((await h.get('/v1/sites')).status).toBe(401);
  });

  it('keeps one KV key per site with the plain site as value', async () => {
    const kv = await new Kvm(h.lotse.nats).open('sites');
    const entry = await kv.get('wfg-nordsachsen.schkeuditz-gi-nord');
    expect(entry?.json()).toMatchObject({ siteId: 'schkeuditz-gi-nord', agency: 'wfg-nordsachsen', zoning: 'GI' });
  });

  it('lets only staff of the owning agency write, and keeps every version with time and author', async () => {
    const irl = await h.token({ agency: 'irl', sub: 'anna' });
    const created = await h.call('/v1/sites/le-nord-7', site(), irl, 'PUT');
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ siteId: 'le-nord-7', agency: 'irl' });

    const wfg = await h.token({ agency: 'wfg-nordsachsen', sub: 'bernd' });
    expect((await h.call('/v1/sites/le-nord-7', site({ areaM2: 1 }), wfg, 'PUT')).status).toBe(403);
    expect((await h.call('/v1/sites/le-nord-7', site({ agency: 'irl' }), wfg, 'PUT')).status).toBe(403);
    expect((await h.call('/v1/sites/le-nord-7', {}, wfg, 'DELETE')).status).toBe(403);
    expect(
      (
        await h.call(
          '/v1/sites/le-nord-7',
          site({ areaM2: 1 }),
          await h.token({ agency: 'irl', roles: ['manager'] }),
          'PUT',
        )
      ).status,
    ).toBe(403);
    expect((await h.call('/v1/sites/le-nord-7', site({ zoning: 'XX' }), irl, 'PUT')).status).toBe(400);
    expect((await h.call('/v1/sites/le-nord-7', site({ colour: 'red' }), irl, 'PUT')).status).toBe(400);

    const changed = await h.call(
      '/v1/sites/le-nord-7',
      site({ areaM2: 120_000, pricePerM2Eur: 55 }),
      await h.token({ agency: 'irl', sub: 'carla' }),
      'PUT',
    );
    expect(changed.status).toBe(200);
    expect((await h.call('/v1/sites/le-nord-7', {}, irl, 'DELETE')).status).toBe(204);
    expect((await h.call('/v1/sites/le-nord-7', {}, irl, 'DELETE')).status).toBe(404);

    const history = await (await h.get('/v1/sites/le-nord-7/history', wfg)).json();
    expect(history.map((v: any) => [v.operation, v.author, v.site?.areaM2 ?? null])).toEqual([
      ['PUT', 'user:anna@irl', 150_000],
      ['PUT', 'user:carla@irl', 120_000],
      ['DEL', 'user:anna@irl', null],
    ]);
    expect(history.every((v: any) => !Number.isNaN(Date.parse(v.at)))).toBe(true);
    expect((await h.get('/v1/sites/no-such-site/history', wfg)).status).toBe(404);
    const seeded = await (await h.get('/v1/sites/torgau-gi-industriepark/history', wfg)).json();
    expect(seeded).toEqual([expect.objectContaining({ operation: 'PUT', author: 'seed:data/sites.json' })]);
  });

  it('refuses a site outside the owning agency’s area, at the field, on creation and on change', async () => {
    const irl = await h.token({ agency: 'irl', sub: 'anna' });
    // Torgau lies in Nordsachsen: WFG Nordsachsen's area, not IRL's (data/agencies.json).
    const outside = await h.call('/v1/sites/torgau-von-irl', gewerbe({ ags: '14730310' }), irl, 'PUT');
    expect(outside.status).toBe(400);
    expect((await outside.json()).errors).toEqual([{ path: 'ags', message: expect.stringContaining('jurisdiction') }]);
    expect((await h.get('/v1/sites/torgau-von-irl/history', irl)).status).toBe(404);

    expect((await h.call('/v1/sites/le-sued-1', gewerbe({ ags: '14729250' }), irl, 'PUT')).status).toBe(201);
    const moved = await h.call('/v1/sites/le-sued-1', gewerbe({ ags: '14730310' }), irl, 'PUT');
    expect(moved.status).toBe(400);
    expect((await moved.json()).errors.map((e: { path: string }) => e.path)).toEqual(['ags']);
    const wfg = await h.token({ agency: 'wfg-nordsachsen', sub: 'bernd' });
    expect((await h.call('/v1/sites/torgau-von-wfg', gewerbe({ ags: '14730310' }), wfg, 'PUT')).status).toBe(201);
  });

  it('creates with If-None-Match: * only a site that does not exist yet', async () => {
    const irl = await h.token({ agency: 'irl', sub: 'anna' });
    const create = (id: string, body: object) =>
      fetch(`${h.baseUrl}/v1/sites/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${irl}`, 'if-none-match': '*' },
        body: JSON.stringify(body),
      });
    expect((await create('le-neu-a1b2', gewerbe())).status).toBe(201);
    const again = await create('le-neu-a1b2', gewerbe({ name: 'Eine andere Fläche' }));
    expect(again.status).toBe(412);
    const kept = await (await h.get('/v1/sites/le-neu-a1b2/history', irl)).json();
    expect(kept.map((v: { site: { name: string } }) => v.site.name)).toEqual([gewerbe().name]);
  });

  it('counts a site added while the worker runs for the very next enquiry', async () => {
    const project = () =>
      enquiry({
        preferredLocations: ['14713000'],
        siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true },
      });
    const irl = await h.token({ agency: 'irl' });
    const before = await (await h.post('irl', project())).json();
    await eventually(async () =>
      expect((await (await h.get(`/v1/enquiries/${before.enquiryId}`, irl)).json()).status).not.toBe('received'),
    );
    expect((await (await h.get(`/v1/enquiries/${before.enquiryId}`, irl)).json()).matchedSites).toEqual([]);

    expect((await h.call('/v1/sites/le-nord-8', site(), irl, 'PUT')).status).toBe(201);
    const after = await (await h.post('irl', project())).json();
    const state = await eventually(async () => {
      const s = await (await h.get(`/v1/enquiries/${after.enquiryId}`, irl)).json();
      expect(s.status).toBe('in_progress');
      return s;
    });
    expect(state.matchedSites.map((m: any) => m.siteId)).toEqual(['le-nord-8']);
    const proposed = await eventually(async () => {
      const e = (await h.events(after.enquiryId)).find((x) => x.subject === 'enquiry.events.sites_proposed');
      expect(e).toBeDefined();
      return e;
    });
    expect(proposed?.event.data).toMatchObject({
      agency: 'irl',
      sites: [expect.objectContaining({ siteId: 'le-nord-8', agency: 'irl' })],
    });
  });
});

describe('places by name (GET /v1/places)', () => {
  it('finds places as staff type them and names keys, for anyone signed in only', async () => {
    const token = await h.token({ agency: 'leg', roles: [] });
    const found = await (await h.get('/v1/places?q=torg', token)).json();
    expect(found.items[0]).toEqual({ ags: '14730310', kind: 'gemeinde', label: 'Torgau (Nordsachsen)' });
    const named = await (await h.get('/v1/places?ags=14713000,14730,14374060,99999999', token)).json();
    expect(named.items).toEqual([
      { ags: '14713000', kind: 'gemeinde', label: 'Leipzig' },
      { ags: '14730', kind: 'kreis', label: 'Landkreis Nordsachsen' },
      { ags: '14374060', kind: 'gemeinde', label: 'Delitzsch (Delitzsch)', successor: '14730070' },
    ]);
    for (const bad of ['', '?q=torg&ags=14', '?ags=abc', '?q=torg&limit=500']) {
      const res = await h.get(`/v1/places${bad}`, token);
      expect(res.status, bad).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await h.get('/v1/places?q=torg')).status).toBe(401);
  });
});
