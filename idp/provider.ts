import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { AUDIENCE } from '../contract/tokens.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, findDemoAccount, type DemoAccount } from './accounts.js';
import { providerErrorPage, signedOutPage, signInPage, signOutPage } from './sign-in-page.js';

/**
 * The embedded identity provider of `npm start`: a certified OpenID provider
 * (oidc-provider) with the demo people, authorization code flow with PKCE for the web
 * app, and access tokens as JWTs for the api (audience `lotse-api`) carrying the
 * person's agency, roles and offices. In production the agency's own provider
 * (Keycloak, say) takes its place: `LOTSE_OIDC_ISSUER`.
 */

export const UI_CLIENT_ID = 'lotse-ui';
/** The resource indicator of the api; its tokens' audience is `lotse-api`. */
export const API_RESOURCE = 'urn:lotse:api';
export const API_SCOPE = 'lotse';

export interface IdentityProviderOptions {
  port: number;
  host?: string;
  /** Where the web app may be sent back to after sign-in and sign-out. */
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** Keeps the signing key across restarts, so that tokens issued before stay valid. */
  dataDir?: string;
  accessTokenTtlS?: number;
}

export interface RunningIdentityProvider {
  issuer: string;
  stop(): Promise<void>;
}

async function signingKey(dataDir?: string): Promise<JWK> {
  const file = dataDir && path.join(dataDir, 'dev-oidc-signing-key.json');
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: randomBytes(8).toString('hex') };
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  return jwk;
}

export async function startIdentityProvider(opts: IdentityProviderOptions): Promise<RunningIdentityProvider> {
  const host = opts.host ?? '127.0.0.1';
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(opts.port, host, resolve));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, await configuration(opts));
  const oidc = provider.callback();
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname.startsWith('/interaction/')) return void interaction(provider, req, res, url);
    return oidc(req, res);
  });
  return {
    issuer,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function configuration(opts: IdentityProviderOptions) {
  const accessTokenTTL = opts.accessTokenTtlS ?? 3600;
  return {
    clients: [
      {
        client_id: UI_CLIENT_ID,
        token_endpoint_auth_method: 'none' as const,
        redirect_uris: opts.redirectUris,
        post_logout_redirect_uris: opts.postLogoutRedirectUris ?? [],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code' as const],
        id_token_signed_response_alg: 'ES256' as const,
      },
    ],
    jwks: { keys: [await signingKey(opts.dataDir)] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    ttl: {
      AccessToken: accessTokenTTL,
      IdToken: 3600,
      // Bound to the sign-in session besides (no offline_access): signing out ends it.
      RefreshToken: 12 * 3600,
      Session: 12 * 3600,
      Interaction: 3600,
      Grant: 12 * 3600,
    },
    // The web app calls the token endpoint from the browser: only from where it may be sent back to.
    clientBasedCORS: (_ctx: KoaContextWithOIDC, origin: string, client: { redirectUris?: readonly string[] }) =>
      (client.redirectUris ?? []).some((uri) => new URL(uri).origin === origin),
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => void (ctx.body = signOutPage(form)),
        postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => void (ctx.body = signedOutPage()),
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: API_SCOPE,
          audience: AUDIENCE,
          accessTokenTTL,
          accessTokenFormat: 'jwt' as const,
          jwt: { sign: { alg: 'ES256' as const } },
        }),
      },
    },
    renderError: (ctx: KoaContextWithOIDC, out: { error_description?: string; error: string }) => {
      ctx.type = 'html';
      ctx.body = providerErrorPage(out.error_description ?? out.error);
    },
    // The web app renews its access token without a page load: refresh tokens (rotated on use, as
    // for every public client) for as long as the sign-in session lasts.
    issueRefreshToken: async (_ctx: KoaContextWithOIDC, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    interactions: { url: (_ctx: KoaContextWithOIDC, i: { uid: string }) => `/interaction/${i.uid}` },
    async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
      const account = findDemoAccount(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, name: account.name, ...emailOf(account) }) };
    },
    // The web app is first-party: what it asks for is granted without a consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const existing = oidc.session?.grantIdFor(oidc.client!.clientId);
      if (existing) return oidc.provider.Grant.find(existing);
      const grant = new oidc.provider.Grant({ clientId: oidc.client!.clientId, accountId: oidc.session!.accountId! });
      grant.addOIDCScope('openid profile email offline_access');
      grant.addResourceScope(API_RESOURCE, API_SCOPE);
      await grant.save();
      return grant;
    },
    // What the api authorises by: the person's agency, roles and offices.
    async extraTokenClaims(_ctx: KoaContextWithOIDC, token: { kind: string; accountId?: string }) {
      const account = token.kind === 'AccessToken' && token.accountId ? findDemoAccount(token.accountId) : undefined;
      if (!account) return undefined;
      // The display name too: the api names who acted in the Verlauf (OpenID's standard claim); and the
      // address, where the notifier sends the person's visit invitations (OpenID's `email`).
      const { agency, roles, offices, name } = account;
      return { agency, roles, offices, name, ...emailOf(account) };
    },
  };
}

const emailOf = (account: DemoAccount) => (account.email ? { email: account.email } : {});

async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse, url: URL) {
  try {
    const details = await provider.interactionDetails(req, res);
    const action = `/interaction/${details.uid}/login`;
    const accounts = DEMO_ACCOUNTS.map((a) => a.username);
    const page = (username?: string, error?: string) => {
      res.writeHead(error ? 401 : 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(signInPage({ action, username, error, accounts }));
    };
    if (req.method === 'POST' && url.pathname.endsWith('/login')) {
      const form = new URLSearchParams(await body(req));
      const username = form.get('username') ?? '';
      const account = findDemoAccount(username);
      if (!account || form.get('password') !== DEMO_PASSWORD) {
        return page(username, 'Benutzername oder Passwort ist falsch. Bitte prüfen Sie beide Angaben.');
      }
      return await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.username } },
        { mergeWithLastSubmission: false },
      );
    }
    return page();
  } catch (err) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`Die Anmeldung ist abgelaufen oder ungültig (${(err as Error).message}). Bitte beginnen Sie von vorn.`);
  }
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
