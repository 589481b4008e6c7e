import { z } from 'zod';

/** The event contract on NATS JetStream: CloudEvents 1.0 envelopes, one subject per type. */

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
] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

export const ENQUIRY_EVENTS_STREAM = 'ENQUIRY_EVENTS';
export const ENQUIRY_EVENTS_SUBJECTS = 'enquiry.events.>';
export const LEADS_STREAM = 'LEADS';
export const LEADS_SUBJECTS = 'leads.>';

export const eventSubject = (type: EventType) => `enquiry.events.${type}`;
export const leadSubject = (agency: string) => `leads.${agency}`;

export const CloudEvent = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().regex(/^urn:lotse:agency:[a-z0-9-]+$/),
  type: z.string().regex(/^de\.lotse\.enquiry\.[a-z_]+\.v1$/),
  subject: z.string().min(1),
  time: z.iso.datetime(),
  datacontenttype: z.literal('application/json'),
  data: z.record(z.string(), z.unknown()),
});
export type CloudEvent = z.infer<typeof CloudEvent>;

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

export function typeOf(event: CloudEvent): EventType {
  return EventType.parse(event.type.replace(/^de\.lotse\.enquiry\./, '').replace(/\.v1$/, ''));
}
