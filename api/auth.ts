import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { AgencyId, OfficeId } from '../domain/reference.js';
import { Problem } from './problem.js';

/** Bearer tokens: who the caller is (sub), for which agency, in which roles and offices. */

export const ISSUER = 'lotse';
export const AUDIENCE = 'lotse-api';

export const Role = z.enum(['staff', 'manager']);
export const Caller = z.object({
  sub: z.string().min(1),
  agency: AgencyId,
  roles: z.array(Role).default([]),
  offices: z.array(OfficeId).default([]),
});
export type Caller = z.infer<typeof Caller>;

export type Authenticate = (authorization: string | undefined) => Promise<Caller>;

export function createAuthenticator(opts: { jwtSecret: string; jwksUrl?: string }): Authenticate {
  const verifyWith: { key: Uint8Array | JWTVerifyGetKey; algorithms: string[] } = opts.jwksUrl
    ? { key: createRemoteJWKSet(new URL(opts.jwksUrl)), algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'] }
    : { key: new TextEncoder().encode(opts.jwtSecret), algorithms: ['HS256'] };
  return async (authorization) => {
    const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw Problem.unauthorized('A bearer token is required (Authorization: Bearer …).');
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, verifyWith.key as Uint8Array, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: verifyWith.algorithms,
      }));
    } catch (err) {
      throw Problem.unauthorized(`The token is not valid: ${(err as Error).message}`);
    }
    const caller = Caller.safeParse(payload);
    if (!caller.success) throw Problem.unauthorized('The token lacks sub, agency or valid roles/offices claims.');
    return caller.data;
  };
}

/** Development and test tokens, signed with the HS256 secret. */
export async function mintToken(secret: string, claims: Caller, expiresIn = '8h'): Promise<string> {
  return new SignJWT({ agency: claims.agency, roles: claims.roles, offices: claims.offices })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

