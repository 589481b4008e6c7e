import { z } from 'zod';
import { ProblemSchema } from './schemas.js';

/** The parts of a route's schema that only describe it: audience, security, the problems it may answer. */

export const TAGS = [
  { name: 'Intake', description: 'Web forms, portals and CRMs post enquiries to an agency’s signed webhook' },
  { name: 'Enquiries', description: 'Staff and managers read enquiries and decide on forwarding, consent and closing' },
  { name: 'Partners', description: 'Staff of a partner agency answer the leads forwarded to it' },
  { name: 'Joint handling', description: 'Office holders vote on projects that matter to the whole region' },
  { name: 'Managers', description: 'Lists, tasks and figures' },
  {
    name: 'Personal data',
    description: 'Managers answer an investor’s requests: access (Art. 15 GDPR) and erasure (Art. 17)',
  },
  { name: 'Sites', description: 'The shared registry of commercial sites' },
  {
    name: 'Firms',
    description: 'Bestandspflege: the firms an agency looks after, their visits and concerns (Anliegen)',
  },
  { name: 'Reference', description: 'Agencies and offices by name, for every signed-in person' },
  { name: 'Operations', description: 'Health, readiness, metrics, this document' },
] as const;
export type Tag = (typeof TAGS)[number]['name'];

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid body, query or path, with the paths of the wrong fields',
  401: 'Missing or invalid signature or token (WWW-Authenticate says why)',
  403: 'The token may not do this',
  404: 'Unknown, or not visible to the caller',
  409: 'The enquiry is not in a state that allows this',
  412: 'If-None-Match: * was sent and the resource exists',
  413: 'Body over 64 KiB',
  415: 'Body is not JSON',
  503: 'Temporal or NATS unreachable; Retry-After says when to try again',
};

/** Problem answers a route may give, each with what it means. */
export function problems(...codes: number[]): Record<number, z.ZodType> {
  return Object.fromEntries(codes.map((c) => [c, ProblemSchema.describe(PROBLEM_TEXT[c] ?? 'Problem')]));
}

export const bearer = [{ bearer: [] }];
export const webhookSignature = [{ webhookSignature: [] }];

export const IdParams = z.object({ id: z.string().describe('Enquiry id') });

const SUCCESS_TEXT: Record<number, string> = {
  200: 'Done; the answer describes the result',
  201: 'Created',
  202: 'Accepted; the work goes on in the background',
  204: 'Done; nothing to answer',
};

/** Media types other than JSON, by route. */
const MEDIA: Record<string, string> = { '/v1/live': 'text/event-stream', '/metrics': 'text/plain' };

/**
 * Every answer in the OpenAPI document says what it means and in which media type it comes:
 * the zod schema's description (`.describe`) or the status's meaning, problems as
 * `application/problem+json`, the live stream as `text/event-stream`.
 */
export function describingResponses<I extends { schema?: unknown; url: string }, O extends { schema?: unknown }>(
  transform: (input: I) => O,
): (input: I) => O {
  return (input) => {
    const out = transform(input);
    const zodResponses = ((input.schema as { response?: unknown } | undefined)?.response ?? {}) as Record<
      string,
      { description?: string } | undefined
    >;
    const response = (out.schema as { response?: unknown } | undefined)?.response as
      Record<string, Record<string, unknown>> | undefined;
    if (!response) return out;
    for (const [code, schema] of Object.entries(response)) {
      const status = Number(code);
      const description =
        (status < 400 ? zodResponses[code]?.description : undefined) ??
        PROBLEM_TEXT[status] ??
        SUCCESS_TEXT[status] ??
        'Answer';
      const media = status >= 400 ? 'application/problem+json' : (MEDIA[input.url] ?? 'application/json');
      const { description: _, ...body } = schema;
      response[code] =
        status === 204 ? { description, type: 'null' } : { description, content: { [media]: { schema: body } } };
    }
    return out;
  };
}
