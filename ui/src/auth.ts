import * as oauth from 'oauth4webapi';
import { forgetDrafts } from './drafts.js';

/**
 * Sign-in on the agency's OpenID provider: authorization code flow with PKCE
 * (oauth4webapi, OpenID certified). The access token lives in this tab's session
 * storage only; when it expires the person signs in again and returns where they were.
 */

export interface Session {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
  expiresAt: number;
  name: string;
  /** The person's subject: "Ich übernehme das" gives the task to it. */
  sub: string;
  /** From the access token, to offer only what the person may do; the api decides. */
  agency: string;
  roles: string[];
  offices: string[];
}

/** The claims of a JWT access token, unverified: the api verifies, the UI only reads. */
function accessClaims(token: string): { sub?: string; agency?: string; roles?: string[]; offices?: string[] } {
  try {
    return JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as never;
  } catch {
    return {};
  }
}

interface UiConfig {
  issuer: string;
  clientId: string;
}

const KEY = 'lotse.session';
const PENDING = 'lotse.signin';
export const CALLBACK_PATH = '/anmeldung';
export const SIGNED_OUT_PATH = '/abgemeldet';
/** A token this close to its end is renewed before it is used. */
const RENEW_BEFORE_MS = 30_000;

// The embedded development provider speaks plain http on loopback; a production issuer is https.
const insecure = (issuer: URL) => (issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {});

async function server(): Promise<{ as: oauth.AuthorizationServer; client: oauth.Client; issuer: URL }> {
  const config = (await (await fetch('/ui-config.json')).json()) as UiConfig;
  const issuer = new URL(config.issuer);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure(issuer)));
  return { as, client: { client_id: config.clientId }, issuer };
}

/** What this tab keeps, even when its access token has run out. */
function storedSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  return raw ? (JSON.parse(raw) as Session) : null;
}

/** The session, if its access token is still good. */
export function currentSession(): Session | null {
  const session = storedSession();
  return session && session.expiresAt > Date.now() + 5_000 ? session : null;
}

/** Off to the provider's sign-in page; `returnTo` is where the person comes back to. */
export async function signIn(returnTo = location.pathname + location.search): Promise<never> {
  const { as, client } = await server();
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('redirect_uri', location.origin + CALLBACK_PATH);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', 'openid profile lotse');
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  location.assign(url.href);
  return new Promise<never>(() => {});
}

/** Back from the provider: the code is exchanged for tokens; answers where to go next. */
export async function completeSignIn(): Promise<string> {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as {
    verifier: string;
    state: string;
    returnTo: string;
  } | null;
  if (!pending) throw new Error('Keine Anmeldung begonnen.');
  sessionStorage.removeItem(PENDING);
  const { as, client, issuer } = await server();
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    location.origin + CALLBACK_PATH,
    pending.verifier,
    insecure(issuer),
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  const name = typeof claims?.name === 'string' ? claims.name : String(claims?.sub ?? '');
  keep(sessionFrom(tokens, name));
  return pending.returnTo.startsWith('/') ? pending.returnTo : '/';
}

function sessionFrom(tokens: oauth.TokenEndpointResponse, name: string, before?: Session): Session {
  const access = accessClaims(tokens.access_token);
  return {
    sub: access.sub ?? '',
    agency: access.agency ?? '',
    roles: access.roles ?? [],
    offices: access.offices ?? [],
    accessToken: tokens.access_token,
    idToken: tokens.id_token ?? before?.idToken,
    refreshToken: tokens.refresh_token ?? before?.refreshToken,
    expiresAt: Date.now() + (tokens.expires_in ?? 300) * 1000,
    name,
  };
}

const keep = (session: Session) => sessionStorage.setItem(KEY, JSON.stringify(session));

/**
 * The session with a token good for the next request: renewed with the refresh token when
 * it nears its end (no page load, nothing typed is touched); null when it cannot be, and
 * the person has to sign in again.
 */
let renewing: Promise<Session | null> | undefined;
export async function activeSession(): Promise<Session | null> {
  const session = storedSession();
  if (!session) return null;
  if (session.expiresAt > Date.now() + RENEW_BEFORE_MS) return session;
  if (!session.refreshToken) return currentSession();
  renewing ??= renew(session).finally(() => (renewing = undefined));
  return renewing;
}

async function renew(session: Session): Promise<Session | null> {
  try {
    const { as, client, issuer } = await server();
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.None(),
      session.refreshToken!,
      insecure(issuer),
    );
    const renewed = sessionFrom(await oauth.processRefreshTokenResponse(as, client, response), session.name, session);
    keep(renewed);
    return renewed;
  } catch {
    // The provider's session is over (signed out elsewhere, expired, provider restarted).
    sessionStorage.removeItem(KEY);
    return null;
  }
}

export async function signOut(): Promise<void> {
  const session = storedSession();
  sessionStorage.removeItem(KEY);
  forgetDrafts();
  const { as, client } = await server();
  if (!as.end_session_endpoint) return location.assign(SIGNED_OUT_PATH);
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set('client_id', client.client_id);
  url.searchParams.set('post_logout_redirect_uri', location.origin + SIGNED_OUT_PATH);
  if (session?.idToken) url.searchParams.set('id_token_hint', session.idToken);
  location.assign(url.href);
}
