import { createHmac, timingSafeEqual } from 'node:crypto';

/** Standard Webhooks: v1 signatures, HMAC-SHA256 over "{id}.{timestamp}.{body}" with a whsec_ secret. */

export const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]+={0,2}$/;
export const TOLERANCE_SECONDS = 5 * 60;

function key(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

export function sign(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  const mac = createHmac('sha256', key(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The three headers a signed request carries. */
export function signedHeaders(secret: string, id: string, body: string | Buffer, now = Date.now()) {
  const timestamp = Math.floor(now / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign(secret, id, timestamp, body),
  };
}

export type Verdict = { ok: true } | { ok: false; reason: string };

export function verify(
  secret: string,
  headers: { id?: string; timestamp?: string; signature?: string },
  body: Buffer,
  now = Date.now(),
): Verdict {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature)
    return { ok: false, reason: 'webhook-id, webhook-timestamp and webhook-signature headers are required' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp must be Unix seconds' };
  if (Math.abs(now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
    return { ok: false, reason: 'webhook-timestamp is more than 5 minutes away from now' };
  }
  const expected = Buffer.from(sign(secret, id, Number(timestamp), body));
  // Several space-separated signatures are allowed, so that secrets can be rotated.
  const matches = signature
    .split(' ')
    .map((s) => Buffer.from(s))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
  return matches ? { ok: true } : { ok: false, reason: 'webhook-signature does not match' };
}
