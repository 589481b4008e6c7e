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
/** A significant project of IRL waiting for the office holders' vote. */
let voting: string;
const longDeadlines = referenceFolder(({ agreements }) => {
  for (const a of agreements)
    if (a.forwarding) a.forwarding = { partnerResponseWithin: 'P5D', decisionWithin: 'P2D', reminderAfter: 'P1D' };
});
const CONTACT = enquiry();

beforeAll(async () => {
  h = await startHarness({ referenceDir: longDeadlines });
  const res = await h.post('irl', {
    ...CONTACT,
    preferredLocations: ['14713000'],
    siteRequirements: { areaM2Min: 90_000, zoning: ['GI'], railAccess: true },
  });
  id = (await res.json()).enquiryId;
  const irl = await h.token({ agency: 'irl' });
  await eventually(async () =>
    expect((await (await h.get(`/v1/enquiries/${id}`, irl)).json()).status).toBe('awaiting_forwarding_decision'),
  );
  await h.call(`/v1/enquiries/${id}/forwarding`, { decision: 'approve', partners: ['wfg-nordsachsen'] }, irl);
  await eventually(async () =>
    expect((await (await h.get(`/v1/enquiries/${id}`, irl)).json()).status).toBe('awaiting_partner'),
  );
  const big = enquiry({ preferredLocations: ['14713000'], project: { jobs: 400, investmentEur: 120_000_000 } });
  voting = (await (await h.post('irl', big)).json()).enquiryId;
  await eventually(async () =>
    expect((await (await h.get(`/v1/enquiries/${voting}`, irl)).json()).status).toBe('awaiting_joint_decision'),
  );
});
afterAll(async () => h?.close());

const claims = { agency: 'irl', roles: ['staff'] };
const unsigned = (payload: object) =>
  [{ alg: 'none', typ: 'JWT' }, payload].map((p) => Buffer.from(JSON.stringify(p)).toString('base64url')).join('.') +
  '.';

type Caller =
  | 'staff'
  | 'manager'
  | 'office'
  | 'partner'
  | 'other'
  | 'foreignOffice'
  | 'none'
  | 'expired'
  | 'audience'
  | 'algorithm'
  | 'unsigned'
  | 'noExpiry'
  | 'tooLong';
const CALLERS: Caller[] = [
  'staff',
  'manager',
  'office',
  'partner',
  'other',
  'foreignOffice',
  'none',
  'expired',
  'audience',
  'algorithm',
  'unsigned',
  'noExpiry',
  'tooLong',
];

async function tokenFor(c: Caller): Promise<string | undefined> {
  const now = Math.floor(Date.now() / 1000);
  const hs = (o: { aud?: string; exp?: number | null } = {}) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('lotse')
      .setAudience(o.aud ?? 'lotse-api');
    if (o.exp !== null) jwt.setExpirationTime(o.exp ?? now + 3600);
    return jwt.sign(new TextEncoder().encode(h.jwtSecret));
  };
  switch (c) {
    case 'staff':
      return h.token({ agency: 'irl', roles: ['staff'] });
    case 'manager':
      return h.token({ agency: 'irl', roles: ['manager'] });
    case 'office':
      return h.token({ agency: 'irl', roles: [], offices: ['ob-leipzig'] });
    case 'partner':
      return h.token({ agency: 'wfg-nordsachsen', roles: ['staff'] });
    case 'other':
      return h.token({ agency: 'leg', roles: ['staff'] });
    // Another agency's token claiming the Oberbürgermeister's office.
    case 'foreignOffice':
      return h.token({ agency: 'kks-osterzgebirge', roles: [], offices: ['ob-leipzig'] });
    case 'none':
      return undefined;
    case 'expired':
      return hs({ exp: now - 60 });
    case 'audience':
      return hs({ aud: 'another-api' });
    case 'algorithm': {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256' })
        .setSubject('x')
        .setIssuer('lotse')
        .setAudience('lotse-api')
        .setExpirationTime('1h')
        .sign(privateKey);
    }
    case 'unsigned':
      return unsigned({ ...claims, sub: 'x', iss: 'lotse', aud: 'lotse-api', exp: now + 3600 });
    case 'noExpiry':
      return hs({ exp: null });
    // Longer than the 12 h a token may live by default.
    case 'tooLong':
      return hs({ exp: now + 13 * 3600 });
  }
}

type Row = [string, string, unknown, number[]];
//                                                    staff manager office partner other foreignOffice
const MATRIX: Row[] = [
  ['GET', '/v1/enquiries', undefined, [200, 200, 403, 200, 200, 403]],
  ['GET', '/v1/enquiries/:id', undefined, [200, 200, 404, 200, 404, 404]],
  ['GET', '/v1/enquiries/:id/history', undefined, [200, 200, 404, 200, 404, 404]],
  ['GET', '/v1/enquiries/:id/history?format=temporal', undefined, [404, 200, 404, 404, 404, 404]],
  ['POST', '/v1/enquiries/:id/forwarding', { decision: 'x' }, [400, 400, 403, 400, 404, 403]],
  ['POST', '/v1/enquiries/:id/consent', { x: 1 }, [400, 403, 403, 400, 404, 403]],
  ['POST', '/v1/enquiries/:id/close', { outcome: 'x' }, [400, 403, 403, 400, 404, 403]],
  ['POST', '/v1/enquiries/:id/joint-handling', { x: 1 }, [400, 403, 403, 400, 404, 403]],
  // Who may not see the enquiry learns of none (404), whatever office the token claims; who may, why not (403).
  ['POST', '/v1/enquiries/:id/joint-handling/votes', { office: '' }, [403, 403, 404, 403, 404, 404]],
  ['GET', '/v1/leads', undefined, [200, 403, 403, 200, 200, 403]],
  ['POST', '/v1/leads/:id/accept', { x: 1 }, [400, 403, 403, 400, 404, 403]],
  ['POST', '/v1/leads/:id/decline', { x: 1 }, [400, 403, 403, 400, 404, 403]],
  ['GET', '/v1/tasks', undefined, [200, 200, 200, 200, 200, 200]],
  ['GET', '/v1/sites', undefined, [200, 200, 200, 200, 200, 200]],
  ['PUT', '/v1/sites/matrix-site', { zoning: 'XX' }, [400, 403, 403, 400, 400, 403]],
  ['DELETE', '/v1/sites/no-such-site', undefined, [404, 403, 403, 404, 404, 403]],
  ['GET', '/v1/sites/torgau-gi-industriepark/history', undefined, [200, 200, 200, 200, 200, 200]],
  ['GET', '/v1/stats?from=2026-01-01&to=2027-01-01', undefined, [403, 200, 403, 403, 403, 403]],
  ['GET', '/v1/reference', undefined, [200, 200, 200, 200, 200, 200]],
];

/** The same callers on the enquiry in a vote: the office holder of IRL may read and vote, a foreign token may not. */
const VOTING: Row[] = [
  ['GET', '/v1/enquiries/:id', undefined, [200, 200, 200, 404, 404, 404]],
  ['GET', '/v1/enquiries/:id/history', undefined, [200, 200, 200, 404, 404, 404]],
  ['GET', '/v1/enquiries/:id/history?format=temporal', undefined, [404, 200, 404, 404, 404, 404]],
  [
    'POST',
    '/v1/enquiries/:id/joint-handling/votes',
    { office: 'ob-leipzig', decision: 'x' },
    [403, 403, 400, 404, 404, 404],
  ],
];

async function probe(rows: Row[], enquiryId: string, tokens: Record<Caller, string | undefined>) {
  const failures: string[] = [];
  const answers: { caller: Caller; url: string; status: number; body: string }[] = [];
  for (const [method, template, body, expected] of rows) {
    const url = template.replace(':id', enquiryId);
    for (const [i, caller] of CALLERS.entries()) {
      const want = expected[i] ?? 401;
      const token = tokens[caller];
      const res = await fetch(`${h.baseUrl}${url}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      answers.push({ caller, url, status: res.status, body: text });
      if (res.status !== want) failures.push(`${caller} ${method} ${template}: ${res.status}, expected ${want}`);
      if (res.status >= 400)
        expect(res.headers.get('content-type'), `${caller} ${method} ${template}`).toMatch(/problem\+json/);
      // RFC 6750: a refused bearer token is named in WWW-Authenticate.
      if (res.status === 401)
        expect(res.headers.get('www-authenticate'), `${caller} ${template}`).toMatch(/^Bearer realm="lotse"/);
      if (res.status === 401 && token) expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    }
  }
  return { failures, answers };
}

/** Every string of a JSON document, with base64 payload data decoded as Temporal encodes it. */
function decodedText(json: string): string {
  const out: string[] = [];
  const walk = (v: unknown, key = ''): void => {
    if (typeof v === 'string') out.push(v, ...(key === 'data' ? [Buffer.from(v, 'base64').toString('utf8')] : []));
    else if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  try {
    walk(JSON.parse(json));
  } catch {
    out.push(json);
  }
  return out.join('\n');
}

describe('the authorization matrix', () => {
  let tokens: Record<Caller, string | undefined>;
  beforeAll(async () => {
    tokens = Object.fromEntries(
      await Promise.all(CALLERS.map(async (c) => [c, await tokenFor(c)] as const)),
    ) as typeof tokens;
  });

  it('answers every caller on every endpoint as the rules say', async () => {
    const { failures } = await probe(MATRIX, id, tokens);
    expect(failures).toEqual([]);
    // Nothing above changed the enquiry.
    const s = await (await h.get(`/v1/enquiries/${id}`, tokens.staff)).json();
    expect(s.status).toBe('awaiting_partner');
    expect(s.forwarding.offers).toEqual([expect.objectContaining({ partner: 'wfg-nordsachsen', answer: null })]);
  });

  it('binds an office to the agency the agreement names for it', async () => {
    const { failures } = await probe(VOTING, voting, tokens);
    expect(failures).toEqual([]);
    const tasks = async (c: Caller) =>
      (await (await h.get('/v1/tasks', tokens[c])).json()).items.filter((t: any) => t.enquiryId === voting);
    expect(await tasks('office')).toEqual([expect.objectContaining({ task: 'joint_vote', for: 'office:ob-leipzig' })]);
    expect(await tasks('foreignOffice')).toEqual([]);
    const s = await (await h.get(`/v1/enquiries/${voting}`, tokens.staff)).json();
    expect(s.jointHandling).toMatchObject({ status: 'voting', votes: [] });
  });

  it('lets no one but the managers answering for it read the raw history, payloads decoded', async () => {
    const personal = [CONTACT.contact.name, CONTACT.contact.email, CONTACT.contact.phone!, CONTACT.company.name];
    for (const enquiryId of [id, voting]) {
      const { answers } = await probe(
        [['GET', `/v1/enquiries/:id/history?format=temporal`, undefined, []]],
        enquiryId,
        tokens,
      );
      for (const a of answers) {
        const text = decodedText(a.body);
        const leaks = personal.filter((p) => text.includes(p));
        if (a.caller === 'manager') {
          expect(a.status).toBe(200);
          // The check above would find the data if it were there: it is, for the manager.
          if (enquiryId === id) expect(leaks).toEqual(personal);
        } else {
          expect([401, 404], `${a.caller}`).toContain(a.status);
          expect(leaks, `${a.caller} on ${enquiryId}`).toEqual([]);
        }
      }
    }
  });

  it('refuses a token without exp or one that lives longer than allowed, whatever the route', async () => {
    for (const c of ['noExpiry', 'tooLong'] as const) {
      const res = await h.get('/v1/tasks', tokens[c]);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token", error_description=".+"/);
    }
    // A token of 8 h is fine.
    expect((await h.get('/v1/tasks', await h.token({ agency: 'irl' }))).status).toBe(200);
  });
});

describe('tokens from an identity provider (LOTSE_JWKS_URL)', () => {
  let idp: Server;
  let other: Harness;
  let sign: (c: object) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
    idp = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/.well-known/jwks.json`;
    other = await startHarness({ env: { LOTSE_JWKS_URL: url } });
    sign = (c) =>
      new SignJWT({ ...c })
        .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
        .setSubject('anna')
        .setIssuer('lotse')
        .setAudience('lotse-api')
        .setExpirationTime('1h')
        .sign(privateKey);
  });
  afterAll(async () => {
    await other?.close();
    idp?.close();
  });

  it('accepts tokens the provider signed and refuses the development secret', async () => {
    expect((await other.get('/v1/tasks', await sign({ agency: 'irl', roles: ['staff'] }))).status).toBe(200);
    expect(
      (await other.get('/v1/stats?from=2026-01-01&to=2027-01-01', await sign({ agency: 'irl', roles: ['staff'] })))
        .status,
    ).toBe(403);
    expect((await other.get('/v1/tasks', await other.token({ agency: 'irl' }))).status).toBe(401);
    const { privateKey: stranger } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ agency: 'irl', roles: ['staff'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
      .setSubject('m')
      .setIssuer('lotse')
      .setAudience('lotse-api')
      .setExpirationTime('1h')
      .sign(stranger);
    expect((await other.get('/v1/tasks', forged)).status).toBe(401);
  });
});

describe('the authorization matrix for firms (Bestandspflege)', () => {
  /** The Burgenlandkreis's firm: IMG cares for it too; WFG Nordsachsen (another county) and the KKS do not. */
  type Claims = { agency: string; roles: ('staff' | 'manager')[] } | null;
  const FIRM_CALLERS: Record<string, Claims> = {
    ownStaff: { agency: 'wf-burgenlandkreis', roles: ['staff'] },
    ownManager: { agency: 'wf-burgenlandkreis', roles: ['manager'] },
    coCarer: { agency: 'img', roles: ['staff'] },
    otherCounty: { agency: 'wfg-nordsachsen', roles: ['staff'] },
    stranger: { agency: 'kks-osterzgebirge', roles: ['staff'] },
    none: null,
  };
  const past = new Date(Date.now() - 86_400_000).toISOString();
  const future = new Date(Date.now() + 86_400_000).toISOString();
  const people = [{ agency: 'wf-burgenlandkreis', sub: 'x' }];
  const unknownPlace = {
    name: 'Matrix GmbH',
    legalForm: 'GmbH',
    sector: '25',
    sites: [{ ags: '15084999', address: 'Weg 1' }],
    employees: 5,
  };
  //                                                                   own  mgr  co   county strgr none
  const FIRM_MATRIX: Row[] = [
    ['GET', '/v1/firms', undefined, [200, 200, 200, 200, 200, 401]],
    ['GET', '/v1/firms/:id', undefined, [200, 200, 200, 404, 404, 401]],
    ['GET', '/v1/firms/:id/people', undefined, [200, 403, 200, 404, 404, 401]],
    ['PUT', '/v1/firms/:id', unknownPlace, [400, 403, 400, 404, 404, 401]],
    ['POST', '/v1/firms/:id/visits', { at: past, participants: people }, [400, 403, 400, 404, 404, 401]],
    [
      'POST',
      '/v1/firms/:id/visit-reports',
      { at: future, participants: people, topics: ['other'] },
      [400, 403, 400, 404, 404, 401],
    ],
    [
      'POST',
      '/v1/firms/:id/concerns',
      { topic: 'permit', handledBy: 'leg', note: 'Bauamt' },
      [400, 403, 400, 404, 404, 401],
    ],
    ['POST', '/v1/firms/:id/concerns/c9/answer', { answer: 'done', note: 'erledigt' }, [409, 403, 409, 404, 404, 401]],
    ['POST', '/v1/firms/:id/visits/v9/cancel', {}, [409, 403, 409, 404, 404, 401]],
    ['GET', '/v1/firm-tasks', undefined, [200, 403, 200, 200, 200, 401]],
    ['GET', '/v1/firms/export', undefined, [200, 403, 200, 200, 200, 401]],
  ];
  let firmId: string;
  const FIRM_NAME = `Matrixwerk Zeitz ${Date.now()} GmbH`;

  beforeAll(async () => {
    const body = { ...unknownPlace, name: FIRM_NAME, sites: [{ ags: '15084590', address: 'Werkstraße 9, Zeitz' }] };
    const res = await h.call('/v1/firms', body, await h.token(FIRM_CALLERS.ownStaff!));
    expect(res.status).toBe(201);
    firmId = (await res.json()).firmId;
  });

  it('shows a county’s firm to its agency and the co-carer, to no other county and no partner without care', async () => {
    const failures: string[] = [];
    for (const [method, template, body, expected] of FIRM_MATRIX) {
      for (const [i, caller] of Object.keys(FIRM_CALLERS).entries()) {
        const claims = FIRM_CALLERS[caller];
        const token = claims ? await h.token(claims) : undefined;
        const res = await fetch(`${h.baseUrl}${template.replace(':id', firmId)}`, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const raw = Buffer.from(await res.arrayBuffer()).toString('utf8');
        if (res.status !== expected[i])
          failures.push(`${caller} ${method} ${template}: ${res.status}, expected ${expected[i]}`);
        if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/problem\+json/);
        // Not in the raw bytes of any answer to those who may not see it: not the name, not a list row.
        if (['otherCounty', 'stranger', 'none'].includes(caller))
          expect(raw, `${caller} ${template}`).not.toContain(FIRM_NAME);
      }
    }
    expect(failures).toEqual([]);
    // Nothing above changed the firm.
    const firm = await (await h.get(`/v1/firms/${firmId}`, await h.token(FIRM_CALLERS.ownStaff!))).json();
    expect(firm.care).toMatchObject({ plannedVisits: [], openConcerns: [], visitsRecorded: 0 });
    expect(firm.sites[0].ags).toBe('15084590');
  });
});
