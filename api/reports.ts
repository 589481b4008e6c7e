import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REPORT_WORKFLOW, reportWorkflowId, type ReportWorkflow } from '../contract/report-workflow.js';
import { ReportMeta } from '../domain/programme-figures.js';
import { periodOf } from '../domain/report-period.js';
import { LONGEST_PERIOD_YEARS } from '../domain/stats.js';
import type { ReportStore } from '../infra/report-store.js';
import { callerOf } from './access.js';
import { bearer, problems } from './docs.js';
import { programmeFor, type ProgrammeReference } from './programmes.js';
import { Problem } from './problem.js';
import { named } from './schemas.js';

/**
 * Kennzahlen → Berichte: a programme's reports (the schedule's quarterly ones and those managers
 * asked for), their files, and a report built on demand for any period.
 */

export interface ReportDeps {
  temporal: Client;
  taskQueue: string;
  reports: ReportStore;
  reference: () => ProgrammeReference;
}

const Params = z.object({ programme: z.string().max(64) });
const FileParams = Params.extend({
  reportId: z.string().regex(/^\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}$/, 'is not a report id'),
  kind: z.enum(['pdf', 'xlsx']),
});
const Reports = named('Reports', z.object({ items: z.array(named('Report', ReportMeta)) }), {
  description: 'A programme’s reports, the newest period first',
});

const ReportRequest = named(
  'ReportRequest',
  z
    .object({
      from: z.iso.date().describe('the first day in it (YYYY-MM-DD)'),
      to: z.iso.date().describe('the last day in it'),
      mail: z.boolean().default(false).describe('mail it to the steering group too'),
    })
    .strict()
    .refine((r) => r.from <= r.to, { message: 'must not be before from', path: ['to'] })
    .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= LONGEST_PERIOD_YEARS * 366 * 86_400_000, {
      message: `the period must not be longer than ${LONGEST_PERIOD_YEARS} years`,
      path: ['to'],
    }),
);

const Building = named(
  'ReportBuilding',
  z.object({
    reportId: z.string(),
    title: z.string(),
    status: z.enum(['building', 'already_building']),
  }),
);

const MEDIA = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

export function registerReports(root: FastifyInstance, deps: ReportDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const config = { access: 'manager' as const };
  app.get(
    '/v1/programmes/:programme/reports',
    {
      config,
      schema: {
        tags: ['Managers'],
        operationId: 'listReports',
        summary: 'A programme’s reports (Kennzahlen → Berichte), the newest period first',
        security: bearer,
        params: Params,
        response: { 200: Reports, ...problems(401, 403, 404, 503) },
      },
    },
    async (req) => {
      const setup = programmeFor(deps.reference(), callerOf(req), req.params.programme);
      return { items: await deps.reports.list(setup.id) };
    },
  );
  app.get(
    '/v1/programmes/:programme/reports/:reportId/:kind',
    {
      config,
      schema: {
        tags: ['Managers'],
        operationId: 'getReportFile',
        summary: 'A report’s PDF or spreadsheet (XLSX)',
        security: bearer,
        params: FileParams,
        response: {
          200: z.unknown().describe('the file: application/pdf, or XLSX'),
          ...problems(400, 401, 403, 404, 503),
        },
      },
    },
    async (req, reply) => {
      const { programme, reportId, kind } = req.params;
      const setup = programmeFor(deps.reference(), callerOf(req), programme);
      const [meta, file] = await Promise.all([
        deps.reports.meta(setup.id, reportId),
        deps.reports.file(setup.id, reportId, kind),
      ]);
      const name = meta?.files.find((f) => f.kind === kind)?.name;
      if (!meta || !file || !name) throw Problem.notFound(`There is no report "${reportId}" of "${programme}".`);
      return reply
        .header('content-type', MEDIA[kind])
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(file));
    },
  );
  app.post(
    '/v1/programmes/:programme/reports',
    {
      config,
      schema: {
        tags: ['Managers'],
        operationId: 'buildReport',
        summary: 'Build the programme’s report for a period now; it is listed once built',
        security: bearer,
        params: Params,
        body: ReportRequest,
        response: { 202: Building, ...problems(400, 401, 403, 404, 503) },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      const setup = programmeFor(deps.reference(), caller, req.params.programme);
      const period = periodOf(req.body.from, req.body.to);
      try {
        await deps.temporal.workflow.start<ReportWorkflow>(REPORT_WORKFLOW, {
          workflowId: reportWorkflowId(setup.id, period.reportId),
          taskQueue: deps.taskQueue,
          args: [{ programme: setup.id, period, mail: req.body.mail, by: `user:${caller.sub}@${caller.agency}` }],
        });
        return reply.status(202).send({ reportId: period.reportId, title: period.title, status: 'building' });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        return reply.status(202).send({ reportId: period.reportId, title: period.title, status: 'already_building' });
      }
    },
  );
}
