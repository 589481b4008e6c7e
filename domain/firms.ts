import { z } from 'zod';
import { GemeindeKey } from './ags.js';
import { AgencyId } from './reference.js';

/**
 * The firms an agency looks after (Bestandspflege, ../shared/FACTS.md): the Unternehmen
 * register. A firm's contact people are personal data, sealed like an enquiry's contacts
 * (each firm has its own data key); the firm's name, sector and sites are the agency's
 * working facts. Field names in English like the rest of the API.
 */

export const FirmId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{2,79}$/, 'must be a lower-case slug of 3 to 80 letters, digits and dashes')
  .describe('The firm’s key in Lotse: the agency id, a dash, and a slug');

/** WZ 2008 (German NACE Rev. 2), as enquiries carry it. */
export const WzCode = z
  .string()
  .regex(/^[A-U]?\d{2}(\.\d{1,2}(\.\d)?)?$/, 'must be a WZ 2008 code such as 28, C23.1 or 29.10.0');

/** How closely the agency looks after the firm: key firms are visited more often (the agreement says how often). */
export const CareLevel = z.enum(['key', 'regular']);
export type CareLevel = z.infer<typeof CareLevel>;

export const LegalForm = z.enum(['GmbH', 'AG', 'KG', 'GmbH & Co. KG', 'OHG', 'UG', 'e.K.', 'GbR', 'eG', 'other']);

export const FirmSite = z
  .object({
    ags: GemeindeKey.describe('the municipality the site lies in'),
    address: z.string().trim().min(3).max(200),
  })
  .strict();

/** A contact person's id in the firm: each has a data key of its own, so one person can be erased. */
export const ContactId = z.string().regex(/^p[0-9a-f]{8}$/, 'must be p and eight hex digits');

export const ContactPerson = z
  .object({
    contactId: ContactId.optional().describe('given by Lotse; send it back to keep the person'),
    name: z.string().trim().min(2).max(200),
    role: z.string().trim().max(100).optional(),
    email: z.email().optional(),
    phone: z
      .string()
      .regex(/^[+0-9 ()/-]{5,30}$/, 'must be a phone number of digits, spaces and + ( ) / -')
      .optional(),
  })
  .strict();
export type ContactPerson = z.infer<typeof ContactPerson>;

/** What staff enter or import for a firm. */
export const FirmInput = z
  .object({
    name: z.string().trim().min(2).max(200),
    legalForm: LegalForm,
    registerNumber: z
      .string()
      .regex(/^(HRA|HRB|GnR|PR|VR) ?\d{1,7}( ?[A-Z]{1,2})?$/, 'must be a register number such as HRB 12345')
      .optional(),
    sector: WzCode,
    sites: z.array(FirmSite).min(1).max(50),
    employees: z.int().min(0).max(1_000_000),
    contacts: z.array(ContactPerson).max(20).default([]),
    /** The subject of the agency's person who looks after the firm (Betreuer). */
    carer: z.string().min(1).max(200).optional(),
    careLevel: CareLevel.default('regular'),
  })
  .strict();
export type FirmInput = z.infer<typeof FirmInput>;

export const Firm = FirmInput.extend({ firmId: FirmId, agency: AgencyId });
export type Firm = z.infer<typeof Firm>;

/** The firm as its workflow keeps it: every contact with its id, its fields sealed with the person's key. */
export type FirmRecord = Omit<Firm, 'contacts'> & { contacts: (ContactPerson & { contactId: string })[] };

/** The data key of a firm's notes (visit reports, concerns) and of one of its contact people. */
export const firmKeyId = (firmId: string) => `firm.${firmId}`;
export const contactKeyId = (firmId: string, contactId: string) => `firm.${firmId}.${contactId}`;

/** The firm's key: the agency and a slug of its name ("img-stahlbau-zeitz-gmbh"), at most 80 characters. */
export function firmIdOf(agency: string, name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${agency}-${slug}`.slice(0, 80).replace(/-+$/, '');
}
