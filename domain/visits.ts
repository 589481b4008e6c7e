import { z } from 'zod';
import { AgencyId } from './reference.js';
import { Period } from './working-days.js';

/**
 * What happens in a firm's care (Bestandspflege): a visit planned with participants of the
 * agencies that care for the firm, its report afterwards, and the concerns (Anliegen) it
 * raised, each handed to an agency that answers it by a date in its working days
 * (Wiedervorlage). Pure schemas and rules; the firm's workflow keeps them.
 */

/** The fixed list of what a visit was about. */
export const VisitTopic = z.enum([
  'expansion',
  'site',
  'skilled_labour',
  'permit',
  'funding',
  'succession',
  'internationalisation',
  'other',
]);
export type VisitTopic = z.infer<typeof VisitTopic>;

/** A person of an agency taking part: their subject at the agency's provider. */
export const Participant = z.object({ agency: AgencyId, sub: z.string().min(1).max(200) }).strict();
export type Participant = z.infer<typeof Participant>;

export const VisitPlan = z
  .object({
    /** When, as an instant; the api refuses one in the past. */
    at: z.iso.datetime({ offset: true }),
    durationMinutes: z.int().min(15).max(600).default(90),
    participants: z.array(Participant).min(1).max(10),
    /** Where, when not at the firm's main site. */
    place: z.string().trim().max(200).optional(),
  })
  .strict();
export type VisitPlan = z.infer<typeof VisitPlan>;

/** A concern as the visit report (or a phone call, or the webhook) raises it. */
export const ConcernInput = z
  .object({
    topic: VisitTopic,
    /** The agency that answers it: one that cares for the firm or one an agreement names. */
    handledBy: AgencyId,
    /** A sealed note: what the firm needs. */
    note: z.string().trim().min(3).max(4000),
    /** By when: working days of the handling agency, or a day. Default: 10 working days. */
    within: Period.optional(),
  })
  .strict();
export type ConcernInput = z.infer<typeof ConcernInput>;

export const VisitReport = z
  .object({
    /** When it took place; never in the future. */
    at: z.iso.datetime({ offset: true }),
    participants: z.array(Participant).min(1).max(10),
    topics: z.array(VisitTopic).min(1),
    note: z.string().trim().max(8000).optional(),
    concerns: z.array(ConcernInput).max(20).default([]),
  })
  .strict();
export type VisitReport = z.infer<typeof VisitReport>;

export const DEFAULT_CONCERN_WITHIN: Period = { workingDays: 10 };

/** Why a planned visit cannot be taken as planned, or null: it lies in the future, with people of the firm's carers. */
export function refuseVisitPlan(plan: VisitPlan, now: Date, carers: string[]): string | null {
  if (Date.parse(plan.at) <= now.getTime()) return 'a visit is planned for a time still to come';
  const strangers = plan.participants.filter((p) => !carers.includes(p.agency)).map((p) => p.agency);
  if (strangers.length) return `only people of agencies that care for the firm take part (not ${strangers.join(', ')})`;
  return null;
}

/** Why a report cannot be taken, or null: it happened already, and every concern goes to an agency Lotse knows. */
export function refuseVisitReport(report: VisitReport, now: Date, agencies: string[]): string | null {
  if (Date.parse(report.at) > now.getTime()) return 'a visit is reported once it took place';
  const unknown = report.concerns.map((c) => c.handledBy).filter((a) => !agencies.includes(a));
  if (unknown.length) return `a concern goes to an agency of the agreements (not ${[...new Set(unknown)].join(', ')})`;
  return null;
}
