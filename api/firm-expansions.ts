import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { joinHandling } from '../contract/enquiry-workflow.js';
import { linkExpansion } from '../contract/firm-workflow.js';
import { carersOf } from '../domain/care-rules.js';
import { EnquirySubmission } from '../domain/enquiry.js';
import type { Assessment, AssessmentQuery } from '../contract/assessment.js';
import { callerOf } from './access.js';
import type { Caller } from './auth.js';
import { postDecision } from './decision-route.js';
import { bearer, problems } from './docs.js';
import type { ViewDeps } from './enquiry-views.js';
import { FirmParams } from './firm-schemas.js';
import { actorOf, changeFirm, firmFor, openContacts, termsFor, type FirmDeps } from './firm-service.js';
import { startEnquiry } from './intake.js';
import { Problem } from './problem.js';

/**
 * Expansion projects (Erweiterung): staff of an agency caring for a firm start an enquiry of
 * kind `expansion` from the firm's page. It is routed by the firm's existing site and matched
 * next to it first (domain/expansion.ts); the co-carers of the firm's agreements see it and may
 * join its handling without a vote (`POST /v1/enquiries/{id}/join`).
 */

const Project = EnquirySubmission.shape.project;
export const ExpansionBody = z
  .object({
    externalRef: EnquirySubmission.shape.externalRef.optional().describe('the sender’s reference; default: made up'),
    project: Project,
    siteRequirements: EnquirySubmission.shape.siteRequirements,
    preferredLocations: EnquirySubmission.shape.preferredLocations,
    contactId: z
      .string()
      .optional()
      .describe('the firm’s contact person for the project; default: the first with an e-mail'),
  })
  .strict();

const ExpansionAnswer = z.object({ enquiryId: z.string(), links: z.object({ self: z.string() }) });

export type ExpansionDeps = FirmDeps & ViewDeps & { assess: (q: AssessmentQuery) => Promise<Assessment> };

export function registerExpansions(root: FastifyInstance, deps: ExpansionDeps) {
  root.withTypeProvider<ZodTypeProvider>().post(
    '/v1/firms/:id/expansions',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['Firms'],
        operationId: 'startExpansion',
        summary: 'Start an expansion project of the firm: an enquiry of kind expansion, routed by its existing site',
        security: bearer,
        params: FirmParams,
        body: ExpansionBody,
        response: { 202: ExpansionAnswer, ...problems(400, 401, 403, 404, 409, 503) },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const enquiryId = await startExpansion(deps, caller, req.params.id, req.body);
      return reply.status(202).send({ enquiryId, links: { self: `/v1/enquiries/${enquiryId}` } });
    },
  );

  postDecision(
    root,
    deps,
    {
      path: '/v1/enquiries/:id/join',
      summary: 'Join the handling of a firm’s expansion (staff of an agency caring for the firm; no vote)',
      operationId: 'joinHandling',
      tags: ['Enquiries'],
      access: 'staff',
    },
    z.object({}).strict(),
    joinHandling,
    (_b, actor) => ({ actor }),
  );
}

async function startExpansion(
  deps: ExpansionDeps,
  caller: Caller,
  firmId: string,
  body: z.infer<typeof ExpansionBody>,
) {
  const view = await firmFor(deps, caller, firmId);
  const { firm } = view;
  const terms = termsFor(deps, firm);
  if (!carersOf({ agency: firm.agency, coCarers: terms.coCarers }).includes(caller.agency)) {
    throw Problem.forbidden('Only agencies that care for the firm start its expansion projects.');
  }
  const contacts = await openContacts(deps, firm);
  const contact = contacts.find((c) => (body.contactId ? c.contactId === body.contactId : !!c.email));
  if (!contact?.email) {
    throw Problem.invalid('Für das Erweiterungsprojekt braucht das Unternehmen eine Ansprechperson mit E-Mail.', [
      { path: 'contactId', message: 'no contact person with an e-mail address' },
    ]);
  }
  const submission = EnquirySubmission.parse({
    externalRef: body.externalRef ?? `lotse-${firm.firmId}-${randomBytes(4).toString('hex')}`,
    kind: 'expansion',
    company: { name: firm.name, sector: firm.sector, country: 'DE', existingSiteAgs: firm.sites[0]!.ags },
    contact: { name: contact.name, email: contact.email, ...(contact.phone ? { phone: contact.phone } : {}) },
    project: body.project,
    siteRequirements: body.siteRequirements,
    ...(body.preferredLocations ? { preferredLocations: body.preferredLocations } : {}),
  });
  const started = await startEnquiry(deps, caller.agency, submission, {
    firmId: firm.firmId,
    coCarers: terms.coCarers,
  });
  const { enquiryId } = started.body;
  if (started.created) {
    const { jobs, jobsSecured = 0, investmentEur } = body.project;
    const link = { enquiryId, jobs, jobsSecured, investmentEur, actor: actorOf(caller) };
    await changeFirm(deps, caller, firm.firmId, linkExpansion, link);
  }
  return enquiryId;
}
