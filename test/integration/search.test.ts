import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeName } from '../../domain/redaction.js';
import { enquiry, eventually, startHarness, type Harness } from '../harness.js';

/**
 * Searching Anfragen (issue 32): by the start of any word of the firm's name (for an agency
 * that may see it), of the code name, of the sender's reference, or of a place the enquiry
 * wants; the read model holds no firm name, only keyed hashes, and none after erasure.
 */

let h: Harness;
let mueller: string;
let schulze: string;
const REF = `crm-${Date.now()}`;

const status = async (id: string) =>
  (await (await h.get(`/v1/enquiries/${id}`, await h.token({ agency: 'irl' }))).json()).status;
const found = async (q: string, agency = 'irl') => {
  const token = await h.token({ agency, roles: ['staff', 'manager'] });
  const res = await h.get(`/v1/enquiries?q=${encodeURIComponent(q)}&limit=200`, token);
  expect(res.status, q).toBe(200);
  return ((await res.json()).items as { enquiryId: string }[]).map((e) => e.enquiryId).filter(ours);
};
const ours = (id: string) => id === mueller || id === schulze;

beforeAll(async () => {
  h = await startHarness();
  // No own site fits (90,000 m² with rail in Leipzig): IRL's staff decide on forwarding.
  const leipzig = {
    preferredLocations: ['14713000'],
    siteRequirements: { areaM2Min: 90_000, zoning: ['GI' as const], railAccess: true },
  };
  const sent = async (name: string, ref: string) =>
    (
      await (
        await h.post('irl', enquiry({ ...leipzig, externalRef: ref, company: { name, sector: '28', country: 'DE' } }))
      ).json()
    ).enquiryId as string;
  mueller = await sent('Müller Präzisionstechnik GmbH', REF);
  schulze = await sent('Schulze Logistik AG', `other-${Date.now()}`);
  await eventually(async () => {
    expect(await status(mueller)).toBe('awaiting_forwarding_decision');
    expect(await status(schulze)).toBe('awaiting_forwarding_decision');
  }, 60_000);
  await h.lotse.readModel!.caughtUp();
  await eventually(async () => expect(await found('müller')).toEqual([mueller]), 30_000);
}, 120_000);
afterAll(async () => h?.close());

describe('searching Anfragen', () => {
  it('finds the firm by the start of any word, umlauts typed either way, every word needed', async () => {
    for (const q of ['müll', 'MUELLER', 'muller', 'präzi', 'Praezision', 'müller präz', 'gmbh müller']) {
      expect(await found(q), q).toEqual([mueller]);
    }
    expect(await found('logistik')).toEqual([schulze]);
    expect(await found('müller logistik')).toEqual([]);
    expect(await found('technik')).toEqual([]);
  });

  it('finds by code name, the sender’s reference and a place wanted', async () => {
    const [, bird, hex] = /^Projekt (\S+)-(\S+)$/.exec(codeName(mueller))!;
    expect(await found(`${bird!.slice(0, 4)} ${hex}`)).toContain(mueller);
    expect(await found(REF)).toEqual([mueller]);
    expect((await found('leipzig')).sort()).toEqual([mueller, schulze].sort());
    expect(await found('torgau')).toEqual([]);
  });

  it('names the firm in the lists for the agency that may see it, sealed in the read model', async () => {
    const staff = await h.token({ agency: 'irl', roles: ['staff', 'manager'] });
    const listed = (await (await h.get(`/v1/enquiries?q=${REF}`, staff)).json()).items;
    expect(listed).toEqual([
      expect.objectContaining({ enquiryId: mueller, firmName: 'Müller Präzisionstechnik GmbH' }),
    ]);
    const tasks = (await (await h.get('/v1/tasks?limit=200', staff)).json()).items as { enquiryId: string }[];
    expect(tasks.find((t) => t.enquiryId === schulze)).toMatchObject({ firmName: 'Schulze Logistik AG' });
    const { rows } = await sql<{ firm_sealed: string }>`select firm_sealed from enquiry_search
      where enquiry_id = ${mueller}`.execute(h.lotse.readModel!.db);
    expect(rows[0]!.firm_sealed).toMatch(/^lotse:sealed:v1:/);
  });

  it('refuses a search without a word of three letters', async () => {
    const token = await h.token({ agency: 'irl', roles: ['manager'] });
    const res = await h.get('/v1/enquiries?q=ab', token);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('finds nothing by the firm for a partner before consent, but by the code name', async () => {
    const irl = await h.token({ agency: 'irl' });
    await h.call(`/v1/enquiries/${mueller}/forwarding`, { decision: 'approve', partners: ['wfg-nordsachsen'] }, irl);
    await eventually(async () => expect(await status(mueller)).toBe('awaiting_partner'));
    await h.lotse.readModel!.caughtUp();
    const hex = codeName(mueller).split('-').at(-1)!;
    await eventually(async () => expect(await found(hex, 'wfg-nordsachsen')).toEqual([mueller]));
    expect(await found('müller', 'wfg-nordsachsen')).toEqual([]);
    expect(await found('müller', 'irl')).toEqual([mueller]);
    // The partner's list shows the code name alone: the firm is confidential until the investor agrees.
    const wfgList = await h.get(
      `/v1/enquiries?q=${hex}`,
      await h.token({ agency: 'wfg-nordsachsen', roles: ['manager'] }),
    );
    const bytes = await wfgList.text();
    expect(bytes).toContain(mueller);
    expect(bytes.toLowerCase()).not.toContain('müller');
    // Its Leads the same way.
    const wfg = await h.token({ agency: 'wfg-nordsachsen', roles: ['staff'] });
    const leads = async (q: string) =>
      ((await (await h.get(`/v1/leads?q=${encodeURIComponent(q)}`, wfg)).json()) as { enquiryId: string }[]).map(
        (l) => l.enquiryId,
      );
    expect(await leads(hex)).toEqual([mueller]);
    expect(await leads('müller')).toEqual([]);
    expect((await h.get('/v1/leads?q=a', wfg)).status).toBe(400);
  });

  it('keeps no name in the read model, and no hashes of it after erasure', async () => {
    const { rows } = await sql<Record<string, unknown>>`select * from enquiry_search`.execute(h.lotse.readModel!.db);
    const raw = JSON.stringify(rows).toLowerCase();
    for (const word of ['müller', 'muller', 'mueller', 'präzision', 'prazision', 'schulze', 'logistik']) {
      expect(raw).not.toContain(word);
    }
    const manager = await h.token({ agency: 'irl', roles: ['manager'] });
    const res = await h.call(`/v1/enquiries/${mueller}/erasure`, { reason: 'Antrag nach Art. 17 DSGVO' }, manager);
    expect(res.status).toBe(200);
    await h.lotse.readModel!.caughtUp();
    await eventually(async () => expect(await found('müller')).toEqual([]), 30_000);
    // Still found as the project it was, by its reference.
    expect(await found(REF)).toEqual([mueller]);
    const terms = await sql<{ n: number }>`select cardinality(firm_terms) as n from enquiry_search
      where enquiry_id = ${mueller}`.execute(h.lotse.readModel!.db);
    expect(terms.rows[0]!.n).toBe(0);
    // Erased: the list shows the code name.
    const listed = (await (await h.get(`/v1/enquiries?q=${REF}`, manager)).json()).items;
    expect(listed[0].firmName).toBeUndefined();
  });
});
