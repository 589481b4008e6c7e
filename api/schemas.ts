import { z } from 'zod';
import {
  Assignee,
  EnquiryKind,
  EnquiryState,
  EnquiryStatus,
  EnquirySubmission,
  TimelineEntry,
} from '../domain/enquiry.js';
import { Lead } from '../domain/lead.js';
import { AgencyId, Site } from '../domain/reference.js';
import { Stats } from '../domain/stats.js';
import { TASK_NAMES } from '../domain/tasks.js';

/**
 * What the api answers, as zod schemas: the OpenAPI document is generated from these
 * and the request schemas on each route. Named schemas appear under
 * components.schemas; the rest inline. Answers are documented, not re-validated.
 */

export const apiSchemas = z.registry<{ id: string; description?: string; examples?: unknown[] }>();
export const named = <T extends z.ZodType>(
  id: string,
  schema: T,
  meta: { description?: string; examples?: unknown[] } = {},
): T => {
  apiSchemas.add(schema, { id, ...meta });
  return schema;
};

export const ProblemSchema = named(
  'Problem',
  z.object({
    type: z.string().describe('urn:lotse:problem:<slug>'),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('for 400: every field that is wrong'),
  }),
  {
    description: 'RFC 9457 problem details',
    examples: [
      {
        type: 'urn:lotse:problem:not-found',
        title: 'Not found',
        status: 404,
        detail: 'There is no enquiry "irl-…" for agency "leg".',
      },
    ],
  },
);

export const Submission = named('EnquirySubmission', EnquirySubmission, {
  examples: [
    {
      externalRef: 'web-2026-00042',
      kind: 'new_settlement',
      company: { name: 'Glaswerk Beispiel GmbH', sector: 'C23.1', country: 'DE' },
      contact: { name: 'Erika Mustermann', email: 'erika.mustermann@example.org', phone: '+49 341 1234567' },
      project: { jobs: 120, investmentEur: 30000000, description: 'Floatglas-Linie' },
      siteRequirements: { areaM2Min: 20000, areaM2Max: 60000, zoning: ['GI', 'GE'], railAccess: true },
      preferredLocations: ['14730'],
      confidential: true,
      consentToShare: false,
    },
  ],
});

export const IntakeAnswer = named(
  'IntakeAnswer',
  z.object({ enquiryId: z.string(), status: z.string(), links: z.object({ self: z.string() }) }),
  {
    examples: [
      {
        enquiryId: 'irl-3f0c2a9e51b7d4c8e6a1',
        status: 'received',
        links: { self: '/v1/enquiries/irl-3f0c2a9e51b7d4c8e6a1' },
      },
    ],
  },
);

/** The state as the caller may see it: a partner sees a code name instead of the firm until the investor agrees. */
export const EnquiryView = named(
  'EnquiryState',
  EnquiryState.extend({
    enquiry: EnquirySubmission.extend({
      codeName: z.string().optional().describe('shown to partners instead of the firm'),
    }).describe('after erasure each personal value reads "gelöscht am <date>"'),
    projectName: z
      .string()
      .describe('the code name, the same for everyone: what voters of different agencies call the project'),
    assignees: z
      .record(AgencyId, Assignee.extend({ name: z.string().optional().describe('the person’s display name') }))
      .describe('per agency, who has the enquiry’s task; another agency’s only for its own staff'),
    personalDataErasedAt: z.iso
      .datetime()
      .nullable()
      .describe('when the personal data was erased (on request or after its retention); null while it exists'),
    listed: z
      .object({
        status: EnquiryStatus.nullable().describe('the status lists and tasks show now; null: not listed yet'),
        current: z.boolean().describe('false: lists and tasks follow this enquiry in a moment'),
      })
      .optional()
      .describe('GET /v1/enquiries/{id} only: how the read model shows it, beside this, the workflow’s own state'),
  }),
);
export const Timeline = named(
  'TimelineEntry',
  TimelineEntry.extend({
    actorName: z.string().optional().describe('the display name of the person who acted, where Lotse knows it'),
    assigneeName: z.string().optional().describe('the display name of the person detail.assignee names'),
  }),
);
export const History = z.union([
  z.array(Timeline),
  z
    .object({ events: z.array(z.record(z.string(), z.unknown())) })
    .describe('format=temporal: the raw Temporal history JSON'),
]);

export const LeadSchema = named('Lead', Lead);

/** Up to when a read over many enquiries is complete (the read model may lag the enquiries by a moment). */
export const AsOf = z.iso
  .datetime()
  .nullable()
  .describe('every step of an enquiry taken up to this moment is in the answer; null before the first');

/** The project's code name: every list names an enquiry by it, never by its id alone (domain/redaction.ts). */
const CodeName = z.string().describe('the project’s code name ("Projekt Kranich-1A2B"), the same for everyone');
const FirmName = z
  .string()
  .optional()
  .describe('the firm, for an agency that may see it (absent: show the code name; erased, or not indexed yet)');

export const Summary = z.object({
  enquiryId: z.string(),
  codeName: CodeName,
  firmName: FirmName,
  status: EnquiryStatus.nullable(),
  kind: EnquiryKind.nullable(),
  receivedBy: AgencyId.nullable(),
  receivedAt: z.iso.datetime().nullable(),
  responsibleAgency: AgencyId.nullable(),
  handlingAgencies: z.array(AgencyId),
  significant: z.boolean(),
  waitingOn: z.array(z.string()),
  deadline: z.iso.datetime().nullable(),
});
export const EnquiryList = named(
  'EnquiryList',
  z.object({
    items: z.array(Summary),
    nextCursor: z.string().nullable(),
    asOf: AsOf,
  }),
);

export const Person = named(
  'Person',
  z.object({
    id: z.string().describe('the person’s subject at the agency’s identity provider'),
    name: z.string().optional().describe('the display name, once the person signed in to Lotse'),
  }),
);
export const People = named(
  'People',
  z.object({ items: z.array(Person.extend({ name: z.string(), me: z.boolean() })) }),
);

export const Task = named(
  'Task',
  z.object({
    enquiryId: z.string(),
    codeName: CodeName,
    firmName: FirmName,
    task: z.enum(TASK_NAMES),
    for: z.string().describe('staff:<agency>, manager:<agency> or office:<officeId>'),
    status: z.string().nullable(),
    deadline: z.iso.datetime().nullable(),
    assignee: Person.nullable().describe('who of the agency has the task; null while nobody took it'),
    links: z.object({ self: z.string() }),
  }),
);

export const TaskList = named(
  'TaskList',
  z.object({
    items: z.array(Task),
    total: z.int().describe('all tasks waiting on the caller, not only this page'),
    nextCursor: z.string().nullable(),
    asOf: AsOf,
  }),
);

export const StatsSchema = named('Stats', Stats);

export const SiteSchema = named('Site', Site);

export const Health = z.object({ status: z.literal('ok') });
export const Ready = z.object({
  status: z.literal('ready'),
  temporal: z.string(),
  nats: z.string(),
  readModel: z.string(),
});
