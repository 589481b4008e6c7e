import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enquiry, eventually, referenceFolder, startHarness, type Harness } from '../harness.js';

/**
 * Who may do what, everywhere: every kind of caller against every endpoint. The
 * enquiry waits for WFG Nordsachsen's answer to a lead from IRL. Mutations carry an
 * invalid body: a caller who may act gets 400 (authorized, nothing changed), one who
 * may not gets 401, 403 or — for an enquiry its agency has no part in — 404.
 */

let h: Harness;
let id: string;
const longDeadlines = referenceFolder(({ agreements }) => {
  for (const a of agreements) if (a.forwarding) a.forwarding = { partnerResponseWithin: 'P5D', decisionWithin: 'P2D', reminderAfter: 'P1D' };
});

beforeAll(async () => {
  h = await startHarness({ referenceDir: longDeadlines });
  const res = await h.post('irl', enquiry({ preferredLocations: ['14713000'], siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true } }));
  id = (await res.json()).enquiryId;
  const irl = await h.token({ agency: 'irl' });
  await eventually(async () => expect((await (await h.get(`/v1/enquiries/${id}`, irl)).json()).status).toBe('awaiting_forwarding_decision'));
  await h.call(`/v1/enquiries/${id}/forwarding`, { decision: 'approve', partners: ['wfg-nordsachsen'] }, irl);
  await eventually(async () => expect((await (await h.get(`/v1/enquiries/${id}`, irl)).json()).status).toBe('awaiting_partner'));
});
afterAll(async () => h?.close());

const claims = { agency: 'irl', roles: ['staff'] };
const unsigned = (payload: object) =>
  [{ alg: 'none', typ: 'JWT' }, payload].map((p) => Buffer.from(JSON.stringify(p)).toString('base64url')).join('.') + '.';

type Caller = 'staff' | 'manager' | 'office' | 'partner' | 'other' | 'none' | 'expired' | 'audience' | 'algorithm' | 'unsigned';
const CALLERS: Caller[] = ['staff', 'manager', 'office', 'partner', 'other', 'none', 'expired', 'audience', 'algorithm', 'unsigned'];

async function tokenFor(c: Caller): Promise<string | undefined> {
  const now = Math.floor(Date.now() / 1000);
  const hs = (o: { aud?: string; exp?: number } = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setIssuer('lotse').setAudience(o.aud ?? 'lotse-api').setExpirationTime(o.exp ?? now + 3600).sign(new TextEncoder().encode(h.jwtSecret));
  switch (c) {
    case 'staff': return h.token({ agency: 'irl', roles: ['staff'] });
    case 'manager': return h.token({ agency: 'irl', roles: ['manager'] });
    case 'office': return h.token({ agency: 'irl', roles: [], offices: ['ob-leipzig'] });
    case 'partner': return h.token({ agency: 'wfg-nordsachsen', roles: ['staff'] });
    case 'other': return h.token({ agency: 'leg', roles: ['staff'] });
    case 'none': return undefined;
    case 'expired': return hs({ exp: now - 60 });
    case 'audience': return hs({ aud: 'another-api' });
    case 'algorithm': {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).setSubject('x').setIssuer('lotse').setAudience('lotse-api').setExpirationTime('1h').sign(privateKey);
    }
    case 'unsigned': return unsigned({ ...claims, sub: 'x', iss: 'lotse', aud: 'lotse-api', exp: now + 3600 });
  }
}

//                                                    staff manager office partner other
const MATRIX: [string, string, unknown, number[]][] = [
  ['GET', '/v1/enquiries', undefined,                 [200, 200, 403, 200, 200]],
  ['GET', '/v1/enquiries/:id', undefined,             [200, 200, 404, 200, 404]],
  ['GET', '/v1/enquiries/:id/history', undefined,     [200, 200, 404, 200, 404]],
  ['POST', '/v1/enquiries/:id/forwarding', { decision: 'x' }, [400, 400, 403, 400, 404]],
  ['POST', '/v1/enquiries/:id/consent', { x: 1 },     [400, 403, 403, 400, 404]],
  ['POST', '/v1/enquiries/:id/close', { outcome: 'x' }, [400, 403, 403, 400, 404]],
  ['POST', '/v1/enquiries/:id/joint-handling', { x: 1 }, [400, 403, 403, 400, 404]],
  ['POST', '/v1/enquiries/:id/joint-handling/votes', { office: '' }, [403, 403, 404, 403, 403]],
  ['GET', '/v1/leads', undefined,                     [200, 403, 403, 200, 200]],
  ['POST', '/v1/leads/:id/accept', { x: 1 },          [400, 403, 403, 400, 404]],
  ['POST', '/v1/leads/:id/decline', { x: 1 },         [400, 403, 403, 400, 404]],
  ['GET', '/v1/tasks', undefined,                     [200, 200, 200, 200, 200]],
  ['GET', '/v1/sites', undefined,                     [200, 200, 200, 200, 200]],
  ['PUT', '/v1/sites/matrix-site', { zoning: 'XX' },  [400, 403, 403, 400, 400]],
  ['DELETE', '/v1/sites/no-such-site', undefined,     [404, 403, 403, 404, 404]],
  ['GET', '/v1/sites/torgau-gi-industriepark/history', undefined, [200, 200, 200, 200, 200]],
  ['GET', '/v1/stats?from=2026-01-01&to=2027-01-01', undefined, [403, 200, 403, 403, 403]],
];

describe('the authorization matrix', () => {
  it('answers every caller on every endpoint as the rules say', async () => {
    const tokens = Object.fromEntries(await Promise.all(CALLERS.map(async (c) => [c, await tokenFor(c)] as const)));
    const failures: string[] = [];
    for (const [method, template, body, expected] of MATRIX) {
      const url = template.replace(':id', id);
      for (const [i, caller] of CALLERS.entries()) {
        const want = expected[i] ?? 401;
        const token = tokens[caller];
        const res = await fetch(`${h.baseUrl}${url}`, {
          method,
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        if (res.status !== want) failures.push(`${caller} ${method} ${template}: ${res.status}, expected ${want}`);
        if (res.status >= 400) expect(res.headers.get('content-type'), `${caller} ${method} ${template}`).toMatch(/problem\+json/);
      }
    }
    expect(failures).toEqual([]);
    // Nothing above changed the enquiry.
    const s = await (await h.get(`/v1/enquiries/${id}`, tokens.staff)).json();
    expect(s.status).toBe('awaiting_partner');
    expect(s.forwarding.offers).toEqual([expect.objectContaining({ partner: 'wfg-nordsachsen', answer: null })]);
  });
});

describe('tokens from an identity provider (LOTSE_JWKS_URL)', () => {
  let idp: Server;
  let other: Harness;
  let sign: (c: object) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
    idp = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/.well-known/jwks.json`;
    other = await startHarness({ env: { LOTSE_JWKS_URL: url } });
    sign = (c) => new SignJWT({ ...c }).setProtectedHeader({ alg: 'ES256', kid: 'test-key' }).setSubject('anna').setIssuer('lotse').setAudience('lotse-api').setExpirationTime('1h').sign(privateKey);
  });
  afterAll(async () => {
    await other?.close();
    idp?.close();
  });

  it('accepts tokens the provider signed and refuses the development secret', async () => {
    expect((await other.get('/v1/tasks', await sign({ agency: 'irl', roles: ['staff'] }))).status).toBe(200);
    expect((await other.get('/v1/stats?from=2026-01-01&to=2027-01-01', await sign({ agency: 'irl', roles: ['staff'] }))).status).toBe(403);
    expect((await other.get('/v1/tasks', await other.token({ agency: 'irl' }))).status).toBe(401);
    const { privateKey: stranger } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ agency: 'irl', roles: ['staff'] }).setProtectedHeader({ alg: 'ES256', kid: 'test-key' }).setSubject('m').setIssuer('lotse').setAudience('lotse-api').setExpirationTime('1h').sign(stranger);
    expect((await other.get('/v1/tasks', forged)).status).toBe(401);
  });
});
