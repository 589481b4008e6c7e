import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { EnquirySubmission } from '../domain/enquiry.js';
import { signedHeaders } from '../infra/webhook-signature.js';

/** What the benchmarks share: the figures' percentiles and the intake they drive. */

/** The p-th percentile (nearest rank) of the figures; NaN for none. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** An enquiry to IRL (Leipzig); the requirements say where it goes from there. */
export function submission(siteRequirements: EnquirySubmission['siteRequirements']): EnquirySubmission {
  return {
    externalRef: `bench-${randomUUID()}`,
    kind: 'new_settlement',
    company: { name: 'Bench GmbH', sector: 'C23.1', country: 'DE' },
    contact: { name: 'Bench', email: 'bench@example.org' },
    project: { jobs: 20, investmentEur: 2_000_000 },
    siteRequirements,
    preferredLocations: ['14713000'],
    confidential: true,
    consentToShare: false,
  };
}

/**
 * The benchmarks' HTTP client: node:http with kept-alive connections, one per client.
 * It runs on the cores it measures, and `fetch` (undici) costs it about twice the CPU.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Posts it to IRL's signed webhook; answers the enquiry id, or throws unless 202. */
export function postToIrl(base: string, secret: string, enquiry: EnquirySubmission): Promise<string> {
  const body = JSON.stringify(enquiry);
  const headers = { 'content-type': 'application/json', ...signedHeaders(secret, `msg_${randomUUID()}`, body) };
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/v1/webhooks/irl/enquiries`, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 202) reject(new Error(`intake answered ${res.statusCode}: ${text}`));
        else resolve((JSON.parse(text) as { enquiryId: string }).enquiryId);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
