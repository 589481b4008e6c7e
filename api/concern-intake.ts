import { createHash } from 'node:crypto';
import { z } from 'zod';
import { firmWorkflowId, openConcern } from '../contract/firm-workflow.js';
import { GemeindeKey } from '../domain/ags.js';
import { firmIdOf } from '../domain/firms.js';
import { VisitTopic } from '../domain/visits.js';
import { concernInstants, firmFor, sealNote, type FirmDeps } from './firm-service.js';
import { parseOr400, Problem } from './problem.js';
import { named } from './schemas.js';

/**
 * A firm's concern through the intake webhook (`kind: "concern"`): the agency's website or CRM
 * passes on what a resident firm asked for. The firm is one of the receiving agency's register,
 * found by its name; the concern waits on the receiving agency like one taken at its desk. The
 * sender's externalRef makes a repeated post the same concern (Temporal's update id).
 */

export const ConcernSubmission = named(
  'ConcernSubmission',
  z
    .object({
      externalRef: z
        .string()
        .min(1)
        .max(200)
        .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
      kind: z.literal('concern'),
      company: z.object({ name: z.string().min(1).max(300), existingSiteAgs: GemeindeKey.optional() }).strict(),
      topic: VisitTopic,
      note: z.string().trim().min(3).max(4000).describe('what the firm needs; sealed at once'),
    })
    .strict(),
);

export const ConcernIntakeAnswer = named(
  'ConcernIntakeAnswer',
  z.object({ firmId: z.string(), concernId: z.string(), links: z.object({ self: z.string() }) }),
);

export const isConcern = (body: unknown) => (body as { kind?: unknown } | null)?.kind === 'concern';

export async function takeConcern(deps: FirmDeps, agency: string, body: unknown) {
  const submission = parseOr400(ConcernSubmission, body, 'concern');
  const firmId = firmIdOf(agency, submission.company.name);
  const caller = { sub: 'webhook', agency, roles: [], offices: [] };
  const view = await firmFor(deps, caller, firmId).catch((err: unknown) => {
    if (err instanceof Problem && err.status === 404) {
      throw Problem.invalid(`The register of ${agency} has no firm named "${submission.company.name}".`, [
        { path: 'company.name', message: 'not a firm of the agency’s register' },
      ]);
    }
    throw err;
  });
  const concern = {
    topic: submission.topic,
    handledBy: agency,
    ...concernInstants(deps, agency),
    openedAt: new Date().toISOString(),
    via: 'webhook' as const,
    note: await sealNote(deps, firmId, submission.note),
  };
  const updateId = `webhook-${createHash('sha256').update(`${agency}\n${submission.externalRef}`).digest('hex')}`;
  const answer = await deps.temporal.workflow
    .getHandle(firmWorkflowId(view.firm.firmId))
    .executeUpdate(openConcern, { args: [{ concern, actor: null }], updateId });
  return { firmId, concernId: answer.id ?? '', links: { self: `/v1/firms/${firmId}` } };
}
