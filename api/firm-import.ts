import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { firmQuery, firmWorkflowId } from '../contract/firm-workflow.js';
import { actorName } from '../domain/decisions.js';
import { readFirmCsv, writeFirmCsv, type LineError } from '../domain/firm-csv.js';
import { firmIdOf } from '../domain/firms.js';
import { callerOf } from './access.js';
import { bearer, problems } from './docs.js';
import { actorOf, firmInputErrors, openContacts, type FirmDeps } from './firm-service.js';
import { registerFirm } from './firms.js';
import { Problem } from './problem.js';

/**
 * The register as a spreadsheet (what an agency exports from its old CRM): German headings,
 * semicolons, UTF-8 with or without a byte order mark. An import is checked whole before
 * anything is entered: one wrong line and nothing is. Each firm it enters carries the file's
 * hash, so that the same file sent again after an interruption enters only the firms still
 * missing.
 */

const IMPORT_LIMIT = 2 * 1024 * 1024;
const ImportAnswer = z.object({ entered: z.int(), already: z.int().describe('entered by this same file before') });

export function registerFirmImport(root: FastifyInstance, deps: FirmDeps) {
  root.register(async (scope) => {
    scope.addContentTypeParser(/^text\/csv/, { parseAs: 'string', bodyLimit: IMPORT_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      '/v1/firms/import',
      {
        bodyLimit: IMPORT_LIMIT,
        config: { access: 'staff' },
        validatorCompiler: () => (value) => ({ value }),
        schema: {
          tags: ['Firms'],
          operationId: 'importFirms',
          summary: 'Enter the firms of a CSV file (text/csv; German headings, semicolons): all of them, or none',
          security: bearer,
          body: z.string().describe('Name;Rechtsform;Registernummer;WZ 2008;Gemeindeschlüssel;Anschrift;…'),
          response: { 200: ImportAnswer, ...problems(400, 401, 403, 409, 415, 503) },
        },
      },
      async (req) => {
        const caller = callerOf(req);
        const text = typeof req.body === 'string' ? req.body : '';
        const importId = createHash('sha256').update(text).digest('hex').slice(0, 32);
        const { firms, errors } = readFirmCsv(text, (ags) => deps.places().label(ags)?.kind === 'gemeinde');
        firms.forEach((f, i) =>
          firmInputErrors(deps, caller.agency, f).forEach((e) =>
            errors.push({ line: i + 2, column: 'Gemeindeschlüssel', message: e.message }),
          ),
        );
        const states = await Promise.all(
          firms.map((f) => importedBefore(deps, firmIdOf(caller.agency, f.name), importId)),
        );
        states.forEach((s, i) => {
          if (s === 'other')
            errors.push({ line: i + 2, column: 'Name', message: `„${firms[i]!.name}“ ist schon eingetragen.` });
        });
        if (errors.length) throw refused(errors);
        const by = `${actorName(actorOf(caller))}`;
        let entered = 0;
        for (const [i, firm] of firms.entries()) {
          if (states[i] === 'this') continue;
          await registerFirm(deps, caller, firm, by, { importId });
          entered++;
        }
        return { entered, already: firms.length - entered };
      },
    );
  });

  root.get(
    '/v1/firms/export',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['Firms'],
        operationId: 'exportFirms',
        summary: 'The agency’s own firms as the same CSV file (with a byte order mark for spreadsheets)',
        security: bearer,
        response: { 200: z.string().describe('text/csv'), ...problems(401, 403, 503) },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const rows = await deps.readModel.db
        .selectFrom('firms')
        .select('firm_id')
        .where('agency', '=', caller.agency)
        .orderBy('name')
        .execute();
      const firms = [];
      for (const { firm_id } of rows) {
        const { firm } = await deps.temporal.workflow.getHandle(firmWorkflowId(firm_id)).query(firmQuery);
        firms.push({ ...firm, contacts: await openContacts(deps, firm) });
      }
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="unternehmen-${caller.agency}.csv"`)
        .header('cache-control', 'no-store')
        .send(writeFirmCsv(firms));
    },
  );
}

/** Whether the firm is in the register: not at all, entered by this same file, or otherwise. */
async function importedBefore(deps: FirmDeps, firmId: string, importId: string): Promise<'no' | 'this' | 'other'> {
  try {
    const d = await deps.temporal.workflow.getHandle(firmWorkflowId(firmId)).describe();
    return (await d.memo)?.importId === importId ? 'this' : 'other';
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return 'no';
    throw Problem.unavailable('The register cannot be checked right now; please send the file again.');
  }
}

function refused(errors: LineError[]) {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  return Problem.invalid(
    `Die Datei wurde nicht übernommen: ${sorted.length} Fehler. Nichts wurde eingetragen.`,
    sorted.map((e) => ({ path: `Zeile ${e.line}${e.column ? `, ${e.column}` : ''}`, message: e.message })),
  );
}
