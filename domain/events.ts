/**
 * The event contract on NATS JetStream: CloudEvents 1.0 envelopes, one subject per type.
 * Free of any schema library: the workflows build events; readers parse them with
 * `CloudEventSchema` (domain/cloud-event.ts).
 */

export const EVENT_TYPES = [
  'received',
  'jurisdiction_determined',
  'sites_proposed',
  'joint_handling_requested',
  'joint_vote_cast',
  'joint_handling_decided',
  'forwarding_requested',
  'forwarding_decided',
  'lead_forwarded',
  'lead_accepted',
  'lead_declined',
  'lead_expired',
  'reminder_due',
  'closed',
  'personal_data_erased',
  'status_changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const isEventType = (type: string): type is EventType => (EVENT_TYPES as readonly string[]).includes(type);

export const ENQUIRY_EVENTS_STREAM = 'ENQUIRY_EVENTS';
export const ENQUIRY_EVENTS_SUBJECTS = 'enquiry.events.>';
export const LEADS_STREAM = 'LEADS';
export const LEADS_SUBJECTS = 'leads.>';

export const eventSubject = (type: EventType) => `enquiry.events.${type}`;
export const leadSubject = (agency: string) => `leads.${agency}`;

export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: Record<string, unknown>;
}

export interface EnquiryEventInput {
  enquiryId: string;
  /** Position of the step in the enquiry's timeline: the same step always has the same number. */
  step: number;
  type: EventType;
  /** The agency on whose behalf the step happened. */
  agency: string;
  time: Date;
  data: Record<string, unknown>;
}

/**
 * The id derives from the enquiry and the step, never from a clock or a random
 * source, so an activity that retries a publish sends the same id and JetStream's
 * duplicate window (Nats-Msg-Id) drops the second copy.
 */
export function enquiryEvent(e: EnquiryEventInput): CloudEvent {
  return {
    specversion: '1.0',
    id: `${e.enquiryId}.${e.step}.${e.type}`,
    source: `urn:lotse:agency:${e.agency}`,
    type: `de.lotse.enquiry.${e.type}.v1`,
    subject: e.enquiryId,
    time: e.time.toISOString(),
    datacontenttype: 'application/json',
    data: { enquiryId: e.enquiryId, ...e.data },
  };
}

/** The step number inside an event id `<enquiryId>.<step>.<type>`. */
export function stepOf(event: CloudEvent): number {
  return Number(event.id.slice(event.subject.length + 1).split('.')[0]) || 0;
}

/** The enquiry event type a CloudEvent's `type` names, or null when it names none. */
export function eventTypeOf(event: CloudEvent): EventType | null {
  const type = event.type.replace(/^de\.lotse\.enquiry\./, '').replace(/\.v1$/, '');
  return isEventType(type) ? type : null;
}

export function typeOf(event: CloudEvent): EventType {
  const type = eventTypeOf(event);
  if (!type) throw new Error(`not an enquiry event type: ${event.type}`);
  return type;
}
