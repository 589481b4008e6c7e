import type { CloudEvent } from './events.js';
import type { VisitTopic } from './visits.js';

/**
 * The events of a firm's care (Bestandspflege) on NATS JetStream: CloudEvents 1.0 like the
 * enquiry events, one subject per type, in their own stream. Every event carries where the
 * firm's care stands (`data.summary`): the read model keeps the newest. Personal data (contact
 * people, notes) travels only sealed with the firm's data keys. Free of any schema library:
 * the workflow builds them.
 */

export const FIRM_EVENT_TYPES = [
  'firm_registered',
  'firm_updated',
  'visit_due',
  'visit_planned',
  'visit_cancelled',
  'visit_recorded',
  'concern_opened',
  'concern_reminder_due',
  'concern_overdue',
  'concern_answered',
  'concern_handed_on',
  'expansion_started',
] as const;
export type FirmEventType = (typeof FIRM_EVENT_TYPES)[number];
export const isFirmEventType = (type: string): type is FirmEventType =>
  (FIRM_EVENT_TYPES as readonly string[]).includes(type);

export const FIRM_EVENTS_STREAM = 'FIRM_EVENTS';
export const FIRM_EVENTS_SUBJECTS = 'firm.events.>';
export const firmEventSubject = (type: FirmEventType) => `firm.events.${type}`;

/** A visit planned: when, who of which agency takes part. */
export interface PlannedVisit {
  visitId: string;
  at: string;
  durationMinutes: number;
  participants: { agency: string; sub: string }[];
  /** Sealed with the firm's key, when not at the firm's main site. */
  place?: string;
  /** Raised by each reschedule: an iCalendar update replaces the invitation before it. */
  sequence: number;
}

/** A concern waiting for the agency that handles it. */
export interface ConcernSummary {
  concernId: string;
  topic: VisitTopic;
  handledBy: string;
  /** When the handling agency must have answered (ISO 8601). */
  due: string;
  overdue: boolean;
}

/** Where a firm's care stands: what lists, Aufgaben and figures show. No personal data. */
export interface FirmSummary {
  firmId: string;
  agency: string;
  name: string;
  sector: string;
  places: string[];
  employees: number;
  careLevel: 'key' | 'regular';
  carer: string | null;
  coCarers: string[];
  /** Who may see the firm: its agency, the co-carers and the agencies answering one of its concerns. */
  readers: string[];
  lastVisitOn: string | null;
  nextVisitDue: string;
  visitDue: boolean;
  visitsRecorded: number;
  plannedVisits: PlannedVisit[];
  openConcerns: ConcernSummary[];
  /** The number of the newest step: the read model keeps the newest summary. */
  asOf: number;
}

export interface FirmEventInput {
  firmId: string;
  /** The step's number across all runs of the firm's workflow: the same step always has the same number. */
  step: number;
  type: FirmEventType;
  agency: string;
  time: Date;
  data: Record<string, unknown>;
}

/** The id derives from the firm and the step: a retried publish is dropped by JetStream's duplicate window. */
export function firmEvent(e: FirmEventInput): CloudEvent {
  return {
    specversion: '1.0',
    id: `${e.firmId}.${e.step}.${e.type}`,
    source: `urn:lotse:agency:${e.agency}`,
    type: `de.lotse.firm.${e.type}.v1`,
    subject: e.firmId,
    time: e.time.toISOString(),
    datacontenttype: 'application/json',
    data: { firmId: e.firmId, ...e.data },
  };
}

/** The firm event type a CloudEvent's `type` names, or null. */
export function firmEventTypeOf(event: CloudEvent): FirmEventType | null {
  const type = event.type.replace(/^de\.lotse\.firm\./, '').replace(/\.v1$/, '');
  return isFirmEventType(type) ? type : null;
}
