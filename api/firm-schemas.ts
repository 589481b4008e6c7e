import { z } from 'zod';
import { CareLevel, ContactId, FirmId, FirmInput, FirmSite, LegalForm, WzCode } from '../domain/firms.js';
import { FIRM_EVENT_TYPES } from '../domain/firm-events.js';
import { AgencyId } from '../domain/reference.js';
import { ConcernInput, VisitPlan, VisitReport, VisitTopic } from '../domain/visits.js';
import { Period } from '../domain/working-days.js';
import { named } from './schemas.js';

/** What the firm routes (Bestandspflege) take and answer: the OpenAPI document is generated from these. */

export const FirmParams = z.object({ id: FirmId });
export const VisitParams = z.object({ id: FirmId, visitId: z.string().regex(/^v\d{1,6}$/) });
export const ConcernParams = z.object({ id: FirmId, concernId: z.string().regex(/^c\d{1,6}$/) });

/** A firm as staff enter it; contact people are sealed with keys of their own before anything keeps them. */
export const FirmBody = FirmInput;

const Person = z.object({ agency: AgencyId, sub: z.string(), name: z.string().optional() });

export const PlannedVisitOut = z.object({
  visitId: z.string(),
  at: z.string(),
  durationMinutes: z.int(),
  place: z.string().optional(),
  participants: z.array(Person),
  sequence: z.int().describe('raised by each reschedule, as the iCalendar invitation’s SEQUENCE'),
});

export const OpenConcernOut = z.object({
  concernId: z.string(),
  topic: VisitTopic,
  handledBy: AgencyId,
  due: z.string(),
  overdue: z.boolean(),
  openedAt: z.string(),
  via: z.enum(['visit', 'desk', 'webhook', 'handed_on']),
  note: z.string(),
});

export const FirmStep = z.object({
  step: z.int(),
  type: z.enum(FIRM_EVENT_TYPES),
  at: z.string(),
  agency: AgencyId,
  actorName: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).describe('the step’s facts; notes opened for the caller'),
});

export const FirmView = named(
  'Firm',
  z.object({
    firmId: FirmId,
    agency: AgencyId,
    name: z.string(),
    legalForm: LegalForm,
    registerNumber: z.string().optional(),
    sector: WzCode,
    sites: z.array(FirmSite),
    employees: z.int(),
    contacts: z.array(
      z.object({
        contactId: ContactId,
        name: z.string(),
        role: z.string().optional(),
        email: z.string().optional(),
        phone: z.string().optional(),
      }),
    ),
    carer: Person.nullable(),
    careLevel: CareLevel,
    coCarers: z.array(AgencyId),
    concernAgencies: z.array(AgencyId).describe('the agencies a concern of the firm may go to'),
    care: z.object({
      enteredOn: z.string(),
      lastVisitOn: z.string().nullable().describe('null: no visit reported yet'),
      nextVisitDue: z.string(),
      visitDue: z.boolean(),
      visitEveryMonths: z.int(),
      visitsRecorded: z.int(),
      plannedVisits: z.array(PlannedVisitOut),
      openConcerns: z.array(OpenConcernOut),
    }),
    timeline: z.array(FirmStep).describe('every step, newest last (from the read model: a step shows within seconds)'),
  }),
);

export const FirmListItem = z.object({
  firmId: FirmId,
  agency: AgencyId,
  name: z.string(),
  sector: z.string(),
  places: z.array(z.string()),
  careLevel: CareLevel,
  nextVisitDue: z.string(),
  visitDue: z.boolean(),
  openConcerns: z.int(),
  plannedVisits: z.int(),
});
export const FirmList = named('FirmList', z.object({ items: z.array(FirmListItem) }));

export const FirmListQuery = z
  .object({
    q: z.string().trim().min(2).max(100).optional().describe('part of the name'),
    sector: z
      .string()
      .regex(/^[A-U]?\d{1,2}(\.\d{0,2})?/)
      .optional()
      .describe('WZ 2008 code or its start'),
    place: z
      .string()
      .regex(/^\d{2,8}$/)
      .optional()
      .describe('AGS or a prefix of one'),
  })
  .strict();

export const FirmAnswer = z.object({ firmId: FirmId, id: z.string().optional() });

/** A concern, a planned visit and a visit's report as the domain defines them (domain/visits.ts). */
export const ConcernBody = ConcernInput;
export const VisitPlanBody = VisitPlan;
export const VisitReportBody = VisitReport.extend({
  visitId: z
    .string()
    .regex(/^v\d{1,6}$/)
    .optional()
    .describe('the planned visit this was'),
});

export const ConcernAnswerBody = z
  .object({
    answer: z.enum(['done', 'handed_on']),
    note: z.string().trim().min(3).max(4000),
    handTo: AgencyId.optional().describe('handed on: the agency that answers it now'),
    within: Period.optional(),
  })
  .strict()
  .refine((b) => b.answer === 'done' || b.handTo, { message: 'handed on: name the agency (handTo)', path: ['handTo'] });

export const CancelBody = z.object({ reason: z.string().trim().max(500).optional() }).strict();

export const FirmTaskItem = z.object({
  firmId: FirmId,
  firmName: z.string(),
  kind: z.enum(['visit_due', 'visit', 'concern']),
  ref: z.string(),
  mine: z.boolean().describe('for the caller in person (a visit they take part in, a firm they look after)'),
  due: z.string(),
  topic: VisitTopic.optional(),
  overdue: z.boolean(),
});
export const FirmTasks = named('FirmTasks', z.object({ items: z.array(FirmTaskItem) }));

export const FirmPeople = named(
  'FirmPeople',
  z.object({
    items: z.array(z.object({ agency: AgencyId, sub: z.string(), name: z.string(), me: z.boolean() })),
  }),
);
