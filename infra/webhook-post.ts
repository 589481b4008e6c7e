import { signedHeaders } from './webhook-signature.js';

/**
 * Posts to a partner's webhook, signed per Standard Webhooks. Only https, or a URL under an
 * operator's explicit allowlist: the URL comes from reference data, and Lotse must not be
 * talked into calling internal services (SSRF).
 */

/** A URL Lotse will not post to: retrying cannot help. */
export class NotDeliverable extends Error {}

export function deliverable(url: string, allowlist: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' || allowlist.some((prefix) => url.startsWith(prefix));
}

/** Answers the status of a 2xx; throws for anything else (the caller retries) or NotDeliverable. */
export async function postSigned(opts: {
  url: string;
  secret: string;
  messageId: string;
  body: unknown;
  allowlist: readonly string[];
}): Promise<number> {
  if (!deliverable(opts.url, opts.allowlist)) {
    throw new NotDeliverable(`webhook ${opts.url} is neither https nor allowlisted`);
  }
  const raw = JSON.stringify(opts.body);
  const res = await fetch(opts.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders(opts.secret, opts.messageId, raw) },
    body: raw,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status < 200 || res.status >= 300) throw new Error(`webhook ${opts.url} answered ${res.status}`);
  return res.status;
}
