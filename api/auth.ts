import { createRemoteJWKSet, decodeJwt, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { officesHeldBy } from '../domain/offices.js';
import { AgencyId, OfficeId, type Agreement } from '../domain/reference.js';
import type { OidcConfig } from '../infra/config.js';
import { AUDIENCE, ISSUER, OWN_CLAIMS } from '../contract/tokens.js';
import { Problem } from './problem.js';

/** Bearer tokens: who the caller is (sub), for which agency, in which roles and offices. */

/** The longest a token may live unless the operator says otherwise (LOTSE_TOKEN_MAX_LIFETIME). */
export const DEFAULT_MAX_LIFETIME_S = 12 * 3600;

export const Role = z.enum(['staff', 'manager']);
export const Caller = z.object({
  sub: z.string().min(1),
  agency: AgencyId,
  roles: z.array(Role).default([]),
  offices: z.array(OfficeId).default([]),
  /** The person's display name (OpenID's `name` claim), for the Verlauf and the colleague list. */
  name: z.string().trim().min(1).max(200).optional().catch(undefined),
  /**
   * Where Lotse mails the person (OpenID's `email` claim): visit invitations, a firm's visit due.
   * Personal data: kept in the people directory only, never logged, never in an event.
   */
  email: z.email().max(254).optional().catch(undefined),
});
export type Caller = z.infer<typeof Caller>;

export type Authenticate = (authorization: string | undefined) => Promise<Caller>;

export interface AuthOptions {
  jwtSecret: string;
  jwksUrl?: string;
  /** The agency's OpenID provider: its JWKS (found by discovery), issuer, audience and claim paths. */
  oidc?: OidcConfig;
  /**
   * Accept Lotse's own tokens (the HS256 secret or LOTSE_JWKS_URL) beside the provider's:
   * in the embedded development stack, where `npm run token` keeps working.
   */
  ownTokensToo?: boolean;
  /** Seconds a token may be valid for at most, from its iat (or from now when it has none). */
  maxLifetimeS?: number;
  /** The agreements name which agency each office belongs to. */
  agreements: () => Agreement[];
}

/** RFC 6750: a 401 for a bearer route says so, and why the token was refused. */
const invalidToken = (description: string) =>
  Problem.unauthorized(`The token is not valid: ${description}`, {
    'www-authenticate': `Bearer realm="lotse", error="invalid_token", error_description="${description.replace(/["\\]/g, "'")}"`,
  });

interface Verifier {
  key: Uint8Array | JWTVerifyGetKey;
  algorithms: string[];
  issuer: string;
  audience: string;
  claims: OidcConfig['claims'];
}

const ASYMMETRIC = ['RS256', 'PS256', 'ES256', 'EdDSA'];
/** Where Lotse's own tokens (and the embedded provider's) carry agency, roles and offices. */

/**
 * How tokens are checked: the agency's OpenID provider (its keys found through
 * discovery, once, and again after a failure), a JWKS URL, or the HS256 secret.
 */
function verifiersOf(opts: AuthOptions): Map<string, () => Promise<Verifier>> {
  const byIssuer = new Map<string, () => Promise<Verifier>>();
  if (opts.oidc) byIssuer.set(opts.oidc.issuer, providerVerifier(opts.oidc));
  if (!opts.oidc || opts.ownTokensToo) byIssuer.set(ISSUER, ownVerifier(opts));
  return byIssuer;
}

function providerVerifier(oidc: OidcConfig): () => Promise<Verifier> {
  const { issuer, audience, claims } = oidc;
  let found: Promise<Verifier> | undefined;
  return () =>
    (found ??= discoverJwks(issuer).then(
      (jwksUri) => ({ key: createRemoteJWKSet(new URL(jwksUri)), algorithms: ASYMMETRIC, issuer, audience, claims }),
      (err: Error) => {
        found = undefined;
        throw Problem.unavailable(`The identity provider ${issuer} cannot be reached: ${err.message}`);
      },
    ));
}

function ownVerifier(opts: AuthOptions): () => Promise<Verifier> {
  const own = { issuer: ISSUER, audience: AUDIENCE, claims: OWN_CLAIMS };
  const verifier: Verifier = opts.jwksUrl
    ? { key: createRemoteJWKSet(new URL(opts.jwksUrl)), algorithms: ASYMMETRIC, ...own }
    : { key: new TextEncoder().encode(opts.jwtSecret), algorithms: ['HS256'], ...own };
  return async () => verifier;
}

async function discoverJwks(issuer: string): Promise<string> {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`discovery answered ${res.status}`);
  const { jwks_uri: jwksUri } = (await res.json()) as { jwks_uri?: string };
  if (!jwksUri) throw new Error('discovery names no jwks_uri');
  return jwksUri;
}

/** A claim by its dotted path (Keycloak puts roles in realm_access.roles). */
const claimAt = (payload: JWTPayload, dotted: string): unknown =>
  dotted
    .split('.')
    .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), payload);

export function createAuthenticator(opts: AuthOptions): Authenticate {
  const verifiers = verifiersOf(opts);
  const [fallback] = verifiers.values();
  const maxLifetimeS = opts.maxLifetimeS ?? DEFAULT_MAX_LIFETIME_S;
  return async (authorization) => {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) {
      throw Problem.unauthorized('A bearer token is required (Authorization: Bearer …).', {
        'www-authenticate': 'Bearer realm="lotse"',
      });
    }
    let payload: JWTPayload;
    let v: Verifier;
    try {
      // The token names its issuer; it is checked against that issuer's keys, and only trusted issuers have any.
      const iss = decodeJwt(token).iss;
      v = await (verifiers.get(iss ?? '') ?? fallback!)();
      ({ payload } = await jwtVerify(token, v.key as Uint8Array, {
        issuer: v.issuer,
        audience: v.audience,
        algorithms: v.algorithms,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      if (err instanceof Problem) throw err;
      throw invalidToken((err as Error).message);
    }
    const lifetimeProblem = tooLong(payload, maxLifetimeS);
    if (lifetimeProblem) throw invalidToken(lifetimeProblem);
    const roles = claimAt(payload, v.claims.roles);
    const caller = Caller.safeParse({
      sub: payload.sub,
      agency: claimAt(payload, v.claims.agency),
      // A provider's other roles (offline_access, …) are not Lotse's business.
      roles: Array.isArray(roles) ? roles.filter((r) => Role.safeParse(r).success) : roles,
      offices: claimAt(payload, v.claims.offices),
      name: payload.name,
      email: payload.email,
    });
    if (!caller.success) throw invalidToken('it lacks sub, agency or valid roles/offices claims');
    // An office counts only for a token of the agency the agreement names for it.
    const offices = officesHeldBy(opts.agreements(), caller.data.agency, caller.data.offices);
    return { ...caller.data, offices };
  };
}

/** Why the token lives longer than allowed, or null. */
function tooLong(payload: JWTPayload, maxLifetimeS: number): string | null {
  const now = Math.floor(Date.now() / 1000);
  const from = typeof payload.iat === 'number' ? Math.min(payload.iat, now) : now;
  if (payload.exp! - from > maxLifetimeS) return `it is valid for longer than the allowed ${maxLifetimeS} s`;
  return null;
}

/** Development and test tokens, signed with the HS256 secret. */
export async function mintToken(secret: string, claims: Caller, expiresIn: string | number = '8h'): Promise<string> {
  const name = claims.name ? { name: claims.name } : {};
  const email = claims.email ? { email: claims.email } : {};
  return new SignJWT({ agency: claims.agency, roles: claims.roles, offices: claims.offices, ...name, ...email })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
