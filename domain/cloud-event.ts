import { z } from 'zod';
import type { CloudEvent } from './events.js';

/** How readers of the streams check an event before they trust it (the contract of domain/events.ts). */
export const CloudEventSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().regex(/^urn:lotse:agency:[a-z0-9-]+$/),
  type: z.string().regex(/^de\.lotse\.enquiry\.[a-z_]+\.v1$/),
  subject: z.string().min(1),
  time: z.iso.datetime(),
  datacontenttype: z.literal('application/json'),
  data: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<CloudEvent>;

/** A firm event (domain/firm-events.ts): the same envelope, its own types. */
export const FirmCloudEventSchema = CloudEventSchema.extend({
  type: z.string().regex(/^de\.lotse\.firm\.[a-z_]+\.v1$/),
}) satisfies z.ZodType<CloudEvent>;
