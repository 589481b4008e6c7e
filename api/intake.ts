import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { enquiryIdFor } from '../domain/enquiry-id.js';
import { existingSiteOf, routingLocations } from '../domain/expansion.js';
import { EnquirySubmission, type FirmLink } from '../domain/enquiry.js';
import { fieldPath } from '../domain/field-path.js';
import { sealSubmission } from '../domain/personal-data.js';
import { unknownCodes, type Source } from '../domain/programme.js';
import { PersonalDataErased, type DataKeys } from '../infra/data-keys.js';
import type { IntakeGauge } from '../infra/intake-gauge.js';
import { inTime, type Starter } from '../infra/temporal.js';
import { AgencyId, type Agency } from '../domain/reference.js';
import { verify } from '../infra/webhook-signature.js';
import type { Assessment, AssessmentQuery } from '../contract/assessment.js';
import { ENQUIRY_WORKFLOW, RELEASE, type EnquiryInput, type EnquiryWorkflow } from '../contract/enquiry-workflow.js';
import * as sa from '../contract/search-attributes.js';
import type { Metrics } from './metrics.js';
import { problems, webhookSignature } from './docs.js';
import { parseOr400, Problem } from './problem.js';
import { IntakeAnswer, Submission } from './schemas.js';
import { ConcernIntakeAnswer, ConcernSubmission, isConcern } from './concern-intake.js';

export const BODY_LIMIT = 64 * 1024;

export interface IntakeDeps {
  temporal: Client;
  taskQueue: string;
  agencies: () => Agency[];
  /** The codes an enquiry's source may name (data/areas.json, data/measures.json), as they are now. */
  programmeCodes: () => ProgrammeCodes;
  webhookSecrets: Record<string, string>;
  metrics: Metrics;
  /** Jurisdiction, agreement and own sites, from the registry and reference data as they are now. */
  assess: (query: AssessmentQuery) => Promise<Assessment>;
  /** Seals the personal data with the enquiry's own key before anything stores it. */
  dataKeys: DataKeys;
  /** Counts the intakes in flight, for a worker in this process that gives them way. */
  gauge?: IntakeGauge;
  /** Starts the workflows: eagerly with a worker in this process (infra/temporal.ts). */
  starter: Starter;
  /** A resident firm's concern (`kind: "concern"`, api/concern-intake.ts). */
  concern?: (agency: string, body: unknown) => Promise<Record<string, unknown>>;
}

/** How long the intake waits for the site registry before leaving the assessment to the workflow. */
const ASSESSMENT_BUDGET_MS = 500;

/**
 * The signed intake webhook. Checks run from the cheapest to the dearest, and every
 * refusal happens before anything is started or published.
 */
export function registerIntake(app: FastifyInstance, deps: IntakeDeps) {
  // The signature covers the raw bytes, so this route reads bodies itself.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );

    scope.post<{ Params: { agencyId: string } }>(
      '/v1/webhooks/:agencyId/enquiries',
      {
        bodyLimit: BODY_LIMIT,
        config: { access: 'webhook' },
        // Documented here, parsed by the handler: the signature covers the raw bytes, so the body is checked after it.
        validatorCompiler: () => (value) => ({ value }),
        schema: {
          tags: ['Intake'],
          operationId: 'submitEnquiry',
          summary: 'Submit an enquiry, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)',
          security: webhookSignature,
          params: z.object({ agencyId: AgencyId }),
          body: z.union([Submission, ConcernSubmission]),
          response: {
            202: z.union([IntakeAnswer.describe('A new enquiry'), ConcernIntakeAnswer.describe('A firm’s concern')]),
            200: IntakeAnswer.describe('This agency sent this externalRef before: the same enquiry'),
            ...problems(400, 401, 404, 413, 415, 503),
          },
        },
      },
      async (req, reply) => {
        const agencyId = req.params.agencyId;
        const agency = AgencyId.safeParse(agencyId).success
          ? deps.agencies().find((a) => a.id === agencyId)
          : undefined;
        // Only known agencies become label values: a path segment is anybody's to choose.
        const count = (result: string) => deps.metrics.intake.inc({ agency: agency?.id ?? 'unknown', result });
        const ended = deps.gauge?.begin();
        try {
          if (!agency) throw Problem.notFound(`There is no agency "${agencyId}".`);
          const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
          const secret = deps.webhookSecrets[agency.id];
          if (!secret) throw Problem.unauthorized(`No webhook secret is configured for agency "${agency.id}".`);
          const verdict = verify(secret, headersOf(req.headers), raw);
          if (!verdict.ok) throw Problem.unauthorized(verdict.reason);
          if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
            throw new Problem(
              415,
              'unsupported-media-type',
              'Unsupported media type',
              'The body must be application/json.',
            );
          }
          const body = parseJson(raw);
          if (deps.concern && isConcern(body)) {
            const taken = await deps.concern(agency.id, body);
            count('concern');
            return reply.status(202).send(taken);
          }
          const submission = parseOr400(EnquirySubmission, body, 'enquiry');
          refuseUnknownCodes(submission.source, deps.programmeCodes());
          const answer = await startEnquiry(deps, agency.id, submission);
          count(answer.created ? 'created' : 'repeated');
          req.log.info(
            { enquiryId: answer.body.enquiryId, agency: agency.id, created: answer.created },
            'enquiry received',
          );
          return reply.status(answer.created ? 202 : 200).send(answer.body);
        } catch (err) {
          count(err instanceof Problem ? `refused_${err.status}` : 'error');
          throw err;
        } finally {
          ended?.();
        }
      },
    );
  });
}

function headersOf(h: Record<string, string | string[] | undefined>) {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(' ') : v);
  return { id: one(h['webhook-id']), timestamp: one(h['webhook-timestamp']), signature: one(h['webhook-signature']) };
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw Problem.invalid('The body is not valid JSON.', []);
  }
}

/**
 * One workflow per (agency, externalRef): the id is derived from both, and Temporal
 * lets exactly one start with that id succeed, however many arrive at once. The
 * losers learn that it exists and answer 200 with the same enquiry.
 */
export async function startEnquiry(
  deps: Pick<IntakeDeps, 'dataKeys' | 'assess' | 'starter' | 'taskQueue' | 'temporal'>,
  agency: string,
  submission: EnquirySubmission,
  firm?: FirmLink,
) {
  const enquiryId = enquiryIdFor(agency, submission.externalRef);
  const links = { self: `/v1/enquiries/${enquiryId}` };
  try {
    const sealed = sealSubmission(submission, await deps.dataKeys.sealerFor(enquiryId));
    const assessed = await assessInTime(deps, agency, sealed);
    await startWorkflow(deps.starter, deps.taskQueue, {
      agency,
      submission: sealed,
      ...assessed,
      ...(firm ? { firm } : {}),
    });
    return { created: true, body: { enquiryId, status: 'received', links } };
  } catch (err) {
    // Taken in before, its personal data erased since: it stays as it is.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError || err instanceof PersonalDataErased)) {
      // Nothing was started; the sender retries a 503 later with the same externalRef.
      throw Problem.unavailable(
        `The enquiry could not be taken in right now (${(err as Error).message}); please retry.`,
      );
    }
    const existing = await deps.temporal.workflow.getHandle(enquiryId).describe();
    const status = existing.typedSearchAttributes.get(sa.Status) ?? 'received';
    return { created: false, body: { enquiryId, status, links } };
  }
}

/**
 * Starts the enquiry's workflow, received now, with the search attributes the lists need
 * from the first moment; fails when one with its id exists. Answers the enquiry id.
 */
export async function startWorkflow(
  starter: Starter,
  taskQueue: string,
  enquiry: { agency: string; submission: EnquirySubmission; assessment?: Assessment; firm?: FirmLink },
): Promise<string> {
  const { agency, submission, assessment, firm } = enquiry;
  const enquiryId = enquiryIdFor(agency, submission.externalRef);
  const receivedAt = new Date();
  const input: EnquiryInput = {
    enquiryId,
    receivedBy: agency,
    receivedAt: receivedAt.toISOString(),
    submission,
    ...(assessment ? { assessment } : {}),
    ...(firm ? { firm } : {}),
  };
  const { client, eager } = starter;
  await inTime(client, () =>
    client.workflow.start<EnquiryWorkflow>(ENQUIRY_WORKFLOW, {
      workflowId: enquiryId,
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: sa.Status, value: 'received' },
        { key: sa.Kind, value: submission.kind },
        { key: sa.ReceivedBy, value: agency },
        { key: sa.ReceivedAt, value: receivedAt },
        { key: sa.Agencies, value: [agency] },
        { key: sa.Release, value: RELEASE },
      ],
      requestEagerStart: eager,
    }),
  );
  return enquiryId;
}

/**
 * The enquiry assessed as it arrives, so that its workflow can act in its first task. A
 * registry that does not answer in time (NATS down) does not hold the intake up: the
 * workflow then assesses in an activity of its own.
 */
async function assessInTime(deps: Pick<IntakeDeps, 'assess'>, receivedBy: string, submission: EnquirySubmission) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>(
    (resolve) => (timer = setTimeout(() => resolve(undefined), ASSESSMENT_BUDGET_MS)),
  );
  const existingSite = existingSiteOf(submission);
  const query = {
    receivedBy,
    preferredLocations: routingLocations(submission),
    requirements: submission.siteRequirements,
    ...(existingSite ? { existingSite } : {}),
  };
  try {
    return { assessment: await Promise.race([deps.assess(query).catch(() => undefined), late]) };
  } finally {
    clearTimeout(timer);
  }
}

export type ProgrammeCodes = Parameters<typeof unknownCodes>[1];

/** A measure or area code the reference data does not know: the sender is told which, nothing starts. */
export function refuseUnknownCodes(source: Source | undefined, known: ProgrammeCodes) {
  const refused = unknownSource(source, known, 'The enquiry');
  if (refused) throw refused;
}

/** The problem for a source with codes the reference data does not know; null when it knows them. */
export function unknownSource(source: Source | undefined, known: ProgrammeCodes, what: string): Problem | null {
  const unknown = unknownCodes(source, known);
  if (unknown.length === 0) return null;
  const errors = unknown.map((u) => ({ path: fieldPath(u.path), message: u.message }));
  return Problem.invalid(
    `${what} names a measure or area Lotse does not know (data/measures.json, data/areas.json).`,
    errors,
  );
}
