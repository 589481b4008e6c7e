import { ApplicationFailure } from '@temporalio/activity';
import { signedHeaders } from '../infra/webhook-signature.js';

/**
 * Posts a lead to a partner's webhook. Only https, or a URL under an operator's
 * explicit allowlist: the URL comes from reference data, and the worker must not be
 * talked into calling internal services (SSRF).
 */
export function deliverable(url: string, allowlist: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' || allowlist.some((prefix) => url.startsWith(prefix));
}

export async function postSignedWebhook(opts: {
  url: string;
  secret: string;
  messageId: string;
  body: unknown;
  allowlist: readonly string[];
}): Promise<number> {
  if (!deliverable(opts.url, opts.allowlist)) {
    throw ApplicationFailure.nonRetryable(
      `lead webhook ${opts.url} is neither https nor allowlisted`,
      'WebhookNotAllowed',
    );
  }
  const raw = JSON.stringify(opts.body);
  const res = await fetch(opts.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders(opts.secret, opts.messageId, raw) },
    body: raw,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  // 2xx is delivered; anything else is retried with backoff by Temporal.
  if (res.status < 200 || res.status >= 300) throw new Error(`lead webhook ${opts.url} answered ${res.status}`);
  return res.status;
}
