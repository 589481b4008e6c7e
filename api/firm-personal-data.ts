import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ContactId, contactKeyId, firmKeyId } from '../domain/firms.js';
import { openSealed } from '../domain/personal-data.js';
import { callerOf } from './access.js';
import type { Caller } from './auth.js';
import { bearer, problems } from './docs.js';
import { FirmParams } from './firm-schemas.js';
import { firmFor, openContacts, type FirmDeps } from './firm-service.js';
import { Problem, readModelProblem } from './problem.js';

/**
 * The rights of a firm's contact people over what Lotse holds (Art. 15 and 17 GDPR), for the
 * managers of the firm's agency: everything about the firm's people in one answer, and the
 * erasure of one person (their key) or of the firm's personal data altogether (its notes' key
 * and every person's). Keys are destroyed, not data rewritten: events, the read model and
 * Temporal hold only sealed tokens, unreadable from then on.
 */

const ErasureBody = z
  .object({
    reason: z.string().trim().min(3).max(500),
    contactId: ContactId.optional().describe('one person; without: every person of the firm and its notes'),
  })
  .strict();

const Erased = z.object({ key: z.string(), erasedAt: z.string() });

export function registerFirmPersonalData(root: FastifyInstance, deps: FirmDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/v1/firms/:id/personal-data',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['Personal data'],
        operationId: 'exportFirmPersonalData',
        summary: 'Everything Lotse holds about the firm’s contact people and in its notes (managers of its agency)',
        security: bearer,
        params: FirmParams,
        response: {
          200: z.object({ firmId: z.string(), contacts: z.array(z.unknown()), notes: z.array(z.unknown()) }),
          ...problems(401, 403, 404, 503),
        },
      },
    },
    async (req, reply) => {
      const { firm } = await ownFirm(deps, callerOf(req), req.params.id);
      const opener = await deps.dataKeys.openerFor(firmKeyId(firm.firmId));
      const steps = await deps.readModel.db
        .selectFrom('firm_steps')
        .select(['step', 'type', 'at', 'detail'])
        .where('firm_id', '=', firm.firmId)
        .orderBy('step')
        .execute()
        .catch((err: unknown) => {
          throw readModelProblem(err) ?? err;
        });
      // The steps that hold something sealed: those whose detail reads differently opened.
      const notes = steps
        .map((s) => ({ ...s, opened: openSealed(s.detail, opener.open) }))
        .filter((s) => JSON.stringify(s.opened) !== JSON.stringify(s.detail))
        .map((s) => ({
          step: s.step,
          type: s.type,
          at: new Date(s.at).toISOString(),
          detail: s.opened,
        }));
      const contacts = await openContacts(deps, firm);
      return reply.header('cache-control', 'no-store').send({ firmId: firm.firmId, contacts, notes });
    },
  );

  app.post(
    '/v1/firms/:id/erasure',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['Personal data'],
        operationId: 'eraseFirmPersonalData',
        summary: 'Erase one contact person, or every person of the firm and its notes (managers of its agency)',
        security: bearer,
        params: FirmParams,
        body: ErasureBody,
        response: { 200: z.object({ erased: z.array(Erased) }), ...problems(400, 401, 403, 404, 503) },
      },
    },
    async (req) => {
      const caller = callerOf(req);
      const { firm } = await ownFirm(deps, caller, req.params.id);
      const { reason, contactId } = req.body;
      if (contactId && !firm.contacts.some((c) => c.contactId === contactId)) {
        throw Problem.invalid('The firm has no such contact person.', [{ path: 'contactId', message: 'unknown' }]);
      }
      const keys = contactId
        ? [contactKeyId(firm.firmId, contactId)]
        : [firmKeyId(firm.firmId), ...firm.contacts.map((c) => contactKeyId(firm.firmId, c.contactId))];
      const why = { reason, by: `user:${caller.sub}@${caller.agency}`, at: new Date() };
      const erased = [];
      for (const key of keys) erased.push({ key, erasedAt: (await deps.dataKeys.erase(key, why)).erasedAt });
      req.log.info({ firmId: firm.firmId, keys: erased.length }, 'firm personal data erased');
      return { erased };
    },
  );
}

/** The firm, for a manager of its own agency; 404 for anyone else who may not see it, 403 for a co-carer. */
async function ownFirm(deps: FirmDeps, caller: Caller, firmId: string) {
  const view = await firmFor(deps, caller, firmId);
  if (view.firm.agency !== caller.agency)
    throw Problem.forbidden('Only the managers of the firm’s agency may do this.');
  return view;
}
