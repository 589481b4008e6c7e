import { z } from 'zod';
import { EnquirySubmission, EnquiryState, TimelineEntry } from '../domain/enquiry.js';
import { IntakeAnswer } from './intake.js';

/** The OpenAPI document, generated from the same zod schemas that parse requests. */

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });

const Problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const problems = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [String(c), { description: PROBLEM_TEXT[c], content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }]),
  );
const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid body or query, with the paths of the wrong fields',
  401: 'Missing or invalid signature or token',
  403: 'The token may not do this',
  404: 'Unknown, or not visible to the caller',
  413: 'Body over 64 KiB',
  415: 'Body is not JSON',
  503: 'Temporal or NATS unreachable',
};

const ok = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });
const bearer = [{ bearer: [] }];
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lotse API',
      version: '0.1.0',
      description: 'Routes site and investment enquiries between economic-development agencies.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        webhookSignature: { type: 'apiKey', in: 'header', name: 'webhook-signature', description: 'Standard Webhooks v1 signature' },
      },
      schemas: {
        EnquirySubmission: json(EnquirySubmission, 'input'),
        EnquiryState: json(EnquiryState),
        TimelineEntry: json(TimelineEntry),
        IntakeAnswer: json(IntakeAnswer),
        Problem,
      },
    },
    paths: {
      '/v1/webhooks/{agencyId}/enquiries': {
        post: {
          summary: 'Submit an enquiry (signed per Standard Webhooks)',
          security: [{ webhookSignature: [] }],
          parameters: [
            { name: 'agencyId', in: 'path', required: true, schema: { type: 'string' } },
            ...['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({ name, in: 'header', required: true, schema: { type: 'string' } })),
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/EnquirySubmission' } } } },
          responses: {
            '202': ok('A new enquiry', { $ref: '#/components/schemas/IntakeAnswer' }),
            '200': ok('The same agency sent this externalRef before: the same enquiry', { $ref: '#/components/schemas/IntakeAnswer' }),
            ...problems(400, 401, 404, 413, 415),
          },
        },
      },
      '/v1/enquiries/{id}': {
        get: {
          summary: 'Current state of an enquiry',
          security: bearer,
          parameters: [idParam],
          responses: { '200': ok('The enquiry', { $ref: '#/components/schemas/EnquiryState' }), ...problems(401, 403, 404, 503) },
        },
      },
      '/v1/enquiries/{id}/history': {
        get: {
          summary: 'Audit timeline, oldest first; ?format=temporal gives the raw Temporal history',
          security: bearer,
          parameters: [idParam, { name: 'format', in: 'query', schema: { type: 'string', enum: ['timeline', 'temporal'] } }],
          responses: {
            '200': ok('The timeline', { type: 'array', items: { $ref: '#/components/schemas/TimelineEntry' } }),
            ...problems(400, 401, 403, 404, 503),
          },
        },
      },
      '/healthz': { get: { summary: 'The process is up', responses: { '200': ok('Up', { type: 'object' }) } } },
      '/readyz': { get: { summary: 'Temporal and NATS are reachable', responses: { '200': ok('Ready', { type: 'object' }), ...problems(503) } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'Prometheus text format' } } } },
    },
  };
}
