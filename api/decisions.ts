import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ConsentForm, Outcome } from '../domain/enquiry.js';
import { AgencyId } from '../domain/reference.js';
import {
  castVote,
  closeEnquiry,
  decideForwarding,
  flagJointHandling,
  recordConsent,
} from '../contract/enquiry-workflow.js';
import { postDecision } from './decision-route.js';
import { Problem } from './problem.js';
import type { ViewDeps } from './enquiry-views.js';
import { named } from './schemas.js';

/**
 * The decisions people take on an enquiry: forwarding, consent, closing, joint handling
 * (the partners' answers to their leads are in leads.ts). Each is a Temporal Update on the
 * enquiry's workflow, posted through one route helper (decision-route.ts).
 */

const Note = z.string().max(2000).optional().describe('why, for the audit timeline');
export const ForwardingBody = named(
  'ForwardingDecision',
  z
    .object({
      decision: z.enum(['approve', 'reject']),
      partners: z.array(AgencyId).optional().describe('which candidates, in order; default: all'),
      note: Note,
    })
    .strict(),
  { examples: [{ decision: 'approve', partners: ['wfg-nordsachsen'], note: 'Torgau passt' }] },
);
export const CloseBody = named('Close', z.object({ outcome: Outcome, note: Note }).strict(), {
  examples: [{ outcome: 'settled' }],
});
export const NoteBody = named('Note', z.object({ note: Note }).strict(), {
  examples: [{ note: 'Fläche passt, wir übernehmen' }],
});
export const VoteBody = named(
  'Vote',
  z.object({ office: z.string().min(1), decision: z.enum(['approve', 'reject']), note: Note }).strict(),
  { examples: [{ office: 'ob-leipzig', decision: 'approve' }] },
);
/** Today in Berlin, as YYYY-MM-DD: a consent given "today" in Leipzig is not in the future at 00:30. */
const todayInBerlin = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
export const ConsentBody = named(
  'Consent',
  z
    .object({
      givenOn: z.iso
        .date()
        .refine((d) => d <= todayInBerlin(), 'must not be in the future')
        .describe('the day the investor consented (YYYY-MM-DD, not in the future)'),
      form: ConsentForm.describe('how: in writing, by e-mail, by phone, in a meeting'),
      note: Note,
    })
    .strict(),
  { examples: [{ givenOn: '2026-12-01', form: 'email', note: 'Mail von Frau Mustermann' }] },
);
const EmptyBody = z.object({}).strict();

const staffOf = 'staff of the responsible agency';

export function registerDecisions(root: FastifyInstance, deps: ViewDeps) {
  postDecision(
    root,
    deps,
    // Managers decide forwarding too once it is overdue; the workflow's validator knows when.
    {
      path: '/v1/enquiries/:id/forwarding',
      summary: `Approve or reject forwarding (${staffOf}; its managers once overdue)`,
      operationId: 'decideForwarding',
      tags: ['Enquiries'],
      access: 'staff_or_manager',
    },
    ForwardingBody,
    decideForwarding,
    (b, actor) => ({ ...b, actor }),
  );
  postDecision(
    root,
    deps,
    {
      path: '/v1/enquiries/:id/consent',
      summary: `Record the investor’s consent to share (${staffOf})`,
      operationId: 'recordConsent',
      tags: ['Enquiries'],
      access: 'staff',
    },
    ConsentBody,
    recordConsent,
    (b, actor) => ({ ...b, actor }),
  );
  postDecision(
    root,
    deps,
    {
      path: '/v1/enquiries/:id/close',
      summary: 'Close with an outcome (staff of a handling agency)',
      operationId: 'closeEnquiry',
      tags: ['Enquiries'],
      access: 'staff',
    },
    CloseBody,
    closeEnquiry,
    (b, actor) => ({ ...b, actor }),
  );
}

export function registerJointHandling(root: FastifyInstance, deps: ViewDeps) {
  postDecision(
    root,
    deps,
    {
      path: '/v1/enquiries/:id/joint-handling',
      summary: 'Flag the project for joint handling (staff of a party)',
      operationId: 'flagJointHandling',
      tags: ['Joint handling'],
      access: 'staff',
    },
    EmptyBody,
    flagJointHandling,
    (_b, actor) => ({ actor }),
  );
  postDecision(
    root,
    deps,
    {
      path: '/v1/enquiries/:id/joint-handling/votes',
      summary: 'Vote as the holder of an office',
      operationId: 'castVote',
      tags: ['Joint handling'],
      // Staff of another agency learn of no enquiry they may not see (404), as on every other route.
      access: 'signed_in',
      allowed: (caller) => (caller.offices.length > 0 ? null : Problem.forbidden('Only holders of an office vote.')),
    },
    VoteBody,
    castVote,
    (b, actor) => ({ ...b, actor }),
  );
}
