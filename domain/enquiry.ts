import { z } from 'zod';
import { GemeindeKey, Location } from './ags.js';
import { Jurisdiction } from './jurisdiction.js';
import { Source } from './programme.js';
import { AgencyId, Zoning } from './reference.js';

/** What a web form, portal or CRM posts to an agency's intake webhook. */

const Sector = z
  .string()
  .regex(/^[A-U]?\d{2}(\.\d{1,2}(\.\d)?)?$/, 'must be a WZ 2008 code such as 28, C23.1 or 29.10.0')
  .describe('WZ 2008 code (German NACE Rev. 2), optionally with its section letter');

export const EnquiryKind = z.enum(['new_settlement', 'expansion', 'relocation']);

export const EnquirySubmission = z
  .object({
    externalRef: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .describe('The sender’s own reference; the same agency sending it again means the same enquiry'),
    kind: EnquiryKind,
    company: z
      .object({
        name: z.string().min(1).max(300),
        sector: Sector,
        country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as DE'),
        existingSiteAgs: GemeindeKey.optional(),
      })
      .strict(),
    contact: z
      .object({
        name: z.string().min(1).max(200),
        email: z.email(),
        phone: z
          .string()
          .regex(/^\+?[0-9 ()/-]{3,40}$/, 'must be a phone number')
          .optional(),
      })
      .strict(),
    project: z
      .object({
        jobs: z.int().nonnegative().describe('jobs created (neu); for an expansion, the new ones only'),
        jobsSecured: z
          .int()
          .nonnegative()
          .optional()
          .describe('an expansion: the jobs it keeps at the firm (gesichert), counted apart from the new'),
        investmentEur: z.number().nonnegative(),
        description: z.string().max(10_000).optional(),
      })
      .strict(),
    siteRequirements: z
      .object({
        areaM2Min: z.number().positive(),
        areaM2Max: z.number().positive().optional(),
        zoning: z.array(Zoning).min(1),
        railAccess: z.boolean().optional(),
        maxMotorwayKm: z.number().nonnegative().optional(),
        minPowerMw: z.number().nonnegative().optional(),
        availableBy: z.iso.date().optional(),
      })
      .strict()
      .refine((r) => r.areaM2Max === undefined || r.areaM2Max >= r.areaM2Min, {
        message: 'must not be smaller than areaM2Min',
        path: ['areaM2Max'],
      }),
    preferredLocations: z.array(Location).max(20).optional(),
    confidential: z.boolean().default(true),
    consentToShare: z.boolean().default(false),
    source: Source.optional().describe(
      'where it came from (Eingangsweg, a measure or campaign code, the area whose marketing brought it): ' +
        'the codes of data/measures.json and data/areas.json; staff may set or correct it later',
    ),
  })
  .strict();
export type EnquirySubmission = z.infer<typeof EnquirySubmission>;

export const EnquiryStatus = z.enum([
  'received',
  'awaiting_joint_decision',
  'awaiting_forwarding_decision',
  'awaiting_partner',
  'in_progress',
  'closed',
]);
export type EnquiryStatus = z.infer<typeof EnquiryStatus>;

export const EnquiryId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,62}-[0-9a-f]{20}$/, 'is not an enquiry id')
  .describe('Enquiry id: receiving agency and a hash of its externalRef');

/** One entry of the audit timeline: who did what, when. */
export const TimelineEntry = z.object({
  at: z.iso.datetime(),
  type: z.string(),
  actor: z.string().optional().describe('user:<sub>@<agency>, agency:<id> or system'),
  detail: z.record(z.string(), z.unknown()),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const Deadline = z.object({ kind: z.string(), due: z.iso.datetime(), who: z.string() });

export const MatchedSite = z.object({
  siteId: z.string(),
  agency: AgencyId,
  name: z.string(),
  areaM2: z.number(),
  score: z.number(),
  /** Where it lies (absent in enquiries assessed before 1.2): the programme figures count it in its area. */
  ags: z.string().optional(),
});
export type MatchedSite = z.infer<typeof MatchedSite>;

export const Unmatched = z.object({ siteId: z.string(), agency: AgencyId, reasons: z.array(z.string()) });

export const Candidate = z.object({
  agency: AgencyId,
  agreementId: z.string(),
  bestScore: z.number(),
  sites: z.array(MatchedSite),
});
export type Candidate = z.infer<typeof Candidate>;

export const Offer = z.object({
  partner: AgencyId,
  offeredAt: z.iso.datetime(),
  respondBy: z.iso.datetime(),
  answer: z.enum(['accepted', 'declined', 'expired']).nullable(),
  answeredAt: z.iso.datetime().nullable(),
  actor: z.string().nullable(),
  note: z.string().optional(),
});
export type Offer = z.infer<typeof Offer>;

export const Forwarding = z.object({
  candidates: z.array(Candidate),
  decision: z
    .object({
      decision: z.enum(['approve', 'reject']),
      partners: z.array(AgencyId),
      note: z.string().optional(),
      actor: z.string(),
      at: z.iso.datetime(),
    })
    .nullable(),
  /** The decision was still open at decisionWithin: the agency's managers may decide too. */
  escalated: z.boolean(),
  offers: z.array(Offer),
  suggestion: z.enum(['close_as_no_site']).nullable(),
});
export type Forwarding = z.infer<typeof Forwarding>;

export const Outcome = z.enum(['settled', 'lost', 'withdrawn', 'no_site']);

export const JointVote = z.object({
  office: z.string(),
  decision: z.enum(['approve', 'reject']),
  actor: z.string(),
  at: z.iso.datetime(),
  note: z.string().optional(),
});

/** How the investor gave consent to share: in writing, by e-mail, by phone, in a meeting. */
export const ConsentForm = z.enum(['written', 'email', 'phone', 'meeting']);
export type ConsentForm = z.infer<typeof ConsentForm>;

/**
 * The investor's consent to share, as staff recorded it. Enquiries whose consent was
 * recorded before Lotse asked for the day and the form (1.0) have neither.
 */
export const Consent = z.object({
  givenOn: z.iso.date().nullable().describe('the day the investor consented (YYYY-MM-DD)'),
  form: ConsentForm.nullable(),
  by: z.string().describe('who recorded it: user:<sub>@<agency>'),
  at: z.iso.datetime().describe('when it was recorded'),
  note: z.string().optional(),
});
export type Consent = z.infer<typeof Consent>;

/**
 * Who of an agency is on the enquiry's task (Bearbeitung): a person took it or was given it
 * by a colleague. The subject only; the api names the person (infra/people.ts).
 */
export const Assignee = z.object({
  sub: z.string().describe('the subject of the person who has the task'),
  at: z.iso.datetime().describe('since when'),
  by: z.string().describe('who assigned it: user:<sub>@<agency>'),
});
export type Assignee = z.infer<typeof Assignee>;

/** Joint handling under an agreement that covers the responsible agency; null when none does. */
export const JointHandling = z.object({
  agreementId: z.string(),
  parties: z.array(AgencyId),
  offices: z.array(z.object({ id: z.string(), title: z.string(), agency: AgencyId })),
  rule: z.enum(['all', 'majority']),
  status: z.enum(['not_requested', 'voting', 'approved', 'rejected']),
  /** Thresholds the project reaches (jobs, investmentEur, areaM2). */
  reached: z.array(z.string()),
  flaggedBy: z.string().nullable(),
  votes: z.array(JointVote),
  due: z.iso.datetime().nullable(),
});
export type JointHandling = z.infer<typeof JointHandling>;

/** The firm an expansion belongs to; its co-carers see the enquiry and may join its handling without a vote. */
export const FirmLink = z.object({ firmId: z.string(), coCarers: z.array(AgencyId) });
export type FirmLink = z.infer<typeof FirmLink>;

/** The current state of one enquiry, as the workflow's query returns it. */
export const EnquiryState = z.object({
  enquiryId: EnquiryId,
  status: EnquiryStatus,
  kind: EnquiryKind,
  receivedBy: AgencyId,
  receivedAt: z.iso.datetime(),
  responsibleAgency: AgencyId.nullable(),
  jurisdiction: Jurisdiction.nullable(),
  handlingAgencies: z.array(AgencyId),
  matchedSites: z.array(MatchedSite),
  /** Why the responsible agency's own sites did not fit, site by site (at most 50). */
  unmatchedSites: z.array(Unmatched),
  forwarding: Forwarding.nullable(),
  jointHandling: JointHandling.nullable(),
  deadlines: z.array(Deadline),
  outcome: Outcome.nullable(),
  /** The investor's consent to share, once staff recorded it (absent in states of older workers). */
  consent: Consent.nullable().optional(),
  /** Per agency, who has the enquiry's task (absent in states of workers before 1.1). */
  assignees: z.record(AgencyId, Assignee).optional(),
  /** An expansion of a firm Lotse cares for (1.1): the firm, and the agencies caring for it with its agency. */
  firm: FirmLink.optional(),
  enquiry: EnquirySubmission,
});
export type EnquiryState = z.infer<typeof EnquiryState>;
