import { z } from 'zod';
import { EnquiryKind, EnquirySubmission, MatchedSite, Offer } from './enquiry.js';
import { AgencyId } from './reference.js';

/**
 * The lead as a partner receives it: on leads.<partner>, at its webhook and from
 * GET /v1/leads. Built by redaction.ts (leadFor); its own module so that the workflow,
 * which only needs the type, does not load the schema.
 */
export const Lead = z.object({
  enquiryId: z.string(),
  partner: AgencyId,
  from: AgencyId,
  released: z.boolean().describe('the investor agreed: contact data included'),
  codeName: z.string().nullable(),
  kind: EnquiryKind,
  company: z.object({ name: z.string(), sector: z.string(), country: z.string() }),
  contact: EnquirySubmission.shape.contact.nullable(),
  project: EnquirySubmission.shape.project,
  siteRequirements: EnquirySubmission.shape.siteRequirements,
  preferredLocations: z.array(z.string()),
  sites: z.array(MatchedSite),
  basis: z.enum(['forwarding', 'joint_handling']).describe('forwarded to the partner, or handled jointly with it'),
  offer: Offer.nullable().describe('the offer to answer; null for joint handling, which needs no answer'),
  note: z.string().optional().describe('the note of the forwarding decision (GET /v1/leads only)'),
});
export type Lead = z.infer<typeof Lead>;
