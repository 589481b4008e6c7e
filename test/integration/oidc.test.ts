import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPE, startIdentityProvider, UI_CLIENT_ID, type RunningIdentityProvider } from '../../idp/provider.js';
import { freePort } from '../../scripts/servers.js';
import { enquiry, eventually, startHarness, type Harness } from '../harness.js';

/**
 * Sign-in through a real OpenID provider (the embedded oidc-provider): authorization
 * code flow with PKCE, as the web app runs it, and the api accepting its tokens.
 */

const REDIRECT = 'http://127.0.0.1:9/callback';
let idp: RunningIdentityProvider;
let h: Harness;

beforeAll(async () => {
  idp = await startIdentityProvider({ port: await freePort(), redirectUris: [REDIRECT] });
  h = await startHarness({ env: { LOTSE_OIDC_ISSUER: idp.issuer } });
});
afterAll(async () => {
  await h?.close();
  await idp?.stop();
});

/** A browser's part of the flow: cookies kept, redirects followed by hand. */
function browser() {
  const jar = new Map<string, string>();
  return async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      jar.set(name!, value ?? '');
    }
    return res;
  };
}

async function signIn(username: string, password: string) {
  const go = browser();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const auth = new URL('/auth', idp.issuer);
  const params = { client_id: UI_CLIENT_ID, response_type: 'code', redirect_uri: REDIRECT, state: 's1' };
  Object.entries({
    ...params,
    scope: `openid profile ${API_SCOPE}`,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).forEach(([k, v]) => auth.searchParams.set(k, v));
  let res = await go(auth.href);
  const interaction = new URL(res.headers.get('location')!, idp.issuer).href;
  const page = await (await go(interaction)).text();
  res = await go(`${interaction}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (res.status !== 303) return { page, refused: await res.text() };
  // Back to the authorization endpoint, then to the web app with the code.
  for (let hops = 0; hops < 5 && !res.headers.get('location')?.startsWith(REDIRECT); hops++) {
    const next = res.headers.get('location');
    if (!next)
      throw new Error(
        `sign-in stopped at ${res.status}: ${(await res.text())
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 400)}`,
      );
    res = await go(new URL(next, idp.issuer).href);
  }
  const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
  const token = await fetch(new URL('/token', idp.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: UI_CLIENT_ID,
      redirect_uri: REDIRECT,
    }),
  });
  expect(token.status).toBe(200);
  return { page, tokens: (await token.json()) as { access_token: string; id_token: string } };
}

describe('sign-in on the embedded OpenID provider', () => {
  it('shows a German sign-in page that says these are development accounts', async () => {
    const { page } = await signIn('irl.staff', 'demo');
    expect(page).toContain('<html lang="de">');
    expect(page).toMatch(/<label for="benutzername">Benutzername<\/label>/);
    expect(page).toMatch(/<label for="passwort">Passwort<\/label>/);
    expect(page).toContain('Entwicklungskonten');
  });

  it('refuses a wrong password in German, keeping the user name', async () => {
    const { refused } = await signIn('irl.staff', 'falsch');
    expect(refused).toContain('Benutzername oder Passwort ist falsch');
    expect(refused).toContain('value="irl.staff"');
  });

  it('issues an access token for the api with the person’s agency, roles and offices; the api accepts it', async () => {
    const { tokens } = await signIn('irl.staff', 'demo');
    const claims = decodeJwt(tokens!.access_token);
    expect(claims).toMatchObject({
      iss: idp.issuer,
      aud: 'lotse-api',
      sub: 'irl.staff',
      agency: 'irl',
      roles: ['staff'],
      offices: [],
      // Who the person is and where Lotse mails them (the people directory keeps both).
      name: 'Anna Berger',
      email: 'anna.berger@invest-region-leipzig.example',
    });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(12 * 3600);
    expect((await h.get('/v1/tasks', tokens!.access_token)).status).toBe(200);
    // The ID token is for the web app, not a key to the api.
    expect((await h.get('/v1/tasks', tokens!.id_token)).status).toBe(401);
    // Tokens of the development secret are not accepted once an identity provider is configured.
    expect((await h.get('/v1/tasks', await h.token({ agency: 'irl' }))).status).toBe(401);
  });

  it('lets each demo person do their job: the OB sees the vote, the manager the figures', async () => {
    const { enquiryId } = await (
      await h.post(
        'irl',
        enquiry({ preferredLocations: ['14713000'], project: { jobs: 400, investmentEur: 120_000_000 } }),
      )
    ).json();
    const ob = (await signIn('ob.leipzig', 'demo')).tokens!.access_token;
    await eventually(async () => {
      const tasks = (await (await h.get('/v1/tasks', ob)).json()).items;
      expect(tasks).toEqual([expect.objectContaining({ enquiryId, task: 'joint_vote', for: 'office:ob-leipzig' })]);
    });
    const gf = (await signIn('irl.gf', 'demo')).tokens!.access_token;
    expect((await h.get('/v1/stats', gf)).status).toBe(200);
    expect((await h.get('/v1/stats', (await signIn('irl.staff', 'demo')).tokens!.access_token)).status).toBe(403);
  });
});
