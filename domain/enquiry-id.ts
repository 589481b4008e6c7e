import { createHash } from 'node:crypto';
import type { AgencyId } from './reference.js';

/**
 * The enquiry id derives from (agency, externalRef), so the same enquiry sent twice
 * maps to the same workflow. Hashed: an externalRef may carry anything, and ids end
 * up in URLs, logs and event subjects. (Not imported by workflows: node:crypto.)
 */
export function enquiryIdFor(agency: AgencyId, externalRef: string): string {
  const digest = createHash('sha256').update(`${agency}\u0000${externalRef}`).digest('hex');
  return `${agency}-${digest.slice(0, 20)}`;
}
