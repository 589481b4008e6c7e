import { z } from 'zod';
import { EnquiryState, EnquirySubmission, TimelineEntry } from '../domain/enquiry.js';
import { Site } from '../domain/reference.js';
import { CloseBody, ForwardingBody, NoteBody } from './enquiries.js';
import { IntakeAnswer } from './intake.js';
import { SiteInput, SiteQuery } from './sites.js';

/** The OpenAPI document, generated from the same zod schemas that parse requests. */

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid body or query, with the paths of the wrong fields',
  401: 'Missing or invalid signature or token',
  403: 'The token may not do this',
  404: 'Unknown, or not visible to the caller',
  409: 'The enquiry is not in a state that allows this',
  413: 'Body over 64 KiB',
  415: 'Body is not JSON',
  503: 'Temporal or NATS unreachable',
};

interface Route {
  summary: string;
  auth?: 'bearer' | 'webhook' | 'none';
  params?: string[];
  query?: z.ZodObject;
  body?: object;
  ok: Record<string, [string, object?]>;
  problems: number[];
}

function operation(r: Route) {
  const problems = Object.fromEntries(
    r.problems.map((c) => [String(c), { description: PROBLEM_TEXT[c], content: { 'application/problem+json': { schema: ref('Problem') } } }]),
  );
  const ok = Object.fromEntries(
    Object.entries(r.ok).map(([code, [description, schema]]) => [code, { description, ...(schema ? { content: { 'application/json': { schema } } } : {}) }]),
  );
  const queryParams = r.query
    ? Object.entries((json(r.query, 'input') as { properties: Record<string, object> }).properties).map(([name, schema]) => ({ name, in: 'query', schema }))
    : [];
  return {
    summary: r.summary,
    ...(r.auth === 'bearer' ? { security: [{ bearer: [] }] } : r.auth === 'webhook' ? { security: [{ webhookSignature: [] }] } : {}),
    parameters: [...(r.params ?? []).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })), ...queryParams],
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
    responses: { ...ok, ...problems },
  };
}

const state: [string, object] = ['The enquiry as the caller may see it', ref('EnquiryState')];
const decision = (summary: string, body: object): Route => ({ summary, auth: 'bearer', params: ['id'], body, ok: { '200': state }, problems: [400, 401, 403, 404, 409, 503] });

const ROUTES: Record<string, Record<string, Route>> = {
  '/v1/webhooks/{agencyId}/enquiries': {
    post: {
      summary: 'Submit an enquiry, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)',
      auth: 'webhook',
      params: ['agencyId'],
      body: ref('EnquirySubmission'),
      ok: { '202': ['A new enquiry', ref('IntakeAnswer')], '200': ['This agency sent this externalRef before: the same enquiry', ref('IntakeAnswer')] },
      problems: [400, 401, 404, 413, 415, 503],
    },
  },
  '/v1/enquiries/{id}': { get: { summary: 'Current state of an enquiry', auth: 'bearer', params: ['id'], ok: { '200': state }, problems: [401, 403, 404, 503] } },
  '/v1/enquiries/{id}/history': {
    get: {
      summary: 'Audit timeline, oldest first; ?format=temporal gives the raw Temporal history',
      auth: 'bearer',
      params: ['id'],
      query: z.object({ format: z.enum(['timeline', 'temporal']).optional() }),
      ok: { '200': ['The timeline', { type: 'array', items: ref('TimelineEntry') }] },
      problems: [400, 401, 403, 404, 503],
    },
  },
  '/v1/enquiries/{id}/forwarding': { post: decision('Approve or reject forwarding (staff of the responsible agency)', ref('ForwardingDecision')) },
  '/v1/enquiries/{id}/consent': { post: decision('Record the investor’s consent to share (staff of the responsible agency)', { type: 'object' }) },
  '/v1/enquiries/{id}/close': { post: decision('Close with an outcome (staff of a handling agency)', ref('Close')) },
  '/v1/leads': { get: { summary: 'Leads offered to the caller’s agency', auth: 'bearer', ok: { '200': ['Leads, newest first', { type: 'array', items: { type: 'object' } }] }, problems: [401, 403] } },
  '/v1/leads/{id}/accept': { post: decision('Accept the lead (staff of the partner it is offered to)', ref('Note')) },
  '/v1/leads/{id}/decline': { post: decision('Decline the lead (staff of the partner it is offered to)', ref('Note')) },
  '/v1/sites': { get: { summary: 'The shared site registry', auth: 'bearer', query: SiteQuery, ok: { '200': ['Sites', { type: 'array', items: ref('Site') }] }, problems: [400, 401] } },
  '/v1/sites/{siteId}': {
    put: {
      summary: 'Create or change a site (staff of the owning agency)',
      auth: 'bearer',
      params: ['siteId'],
      body: ref('SiteInput'),
      ok: { '201': ['Created', ref('Site')], '200': ['Changed', ref('Site')] },
      problems: [400, 401, 403],
    },
    delete: { summary: 'Delete a site (staff of the owning agency)', auth: 'bearer', params: ['siteId'], ok: { '204': ['Deleted'] }, problems: [401, 403, 404] },
  },
  '/v1/sites/{siteId}/history': {
    get: { summary: 'Every version of the site with time and author', auth: 'bearer', params: ['siteId'], ok: { '200': ['Versions, oldest first', { type: 'array' }] }, problems: [401, 404] },
  },
  '/healthz': { get: { summary: 'The process is up', auth: 'none', ok: { '200': ['Up', { type: 'object' }] }, problems: [] } },
  '/readyz': { get: { summary: 'Temporal and NATS are reachable', auth: 'none', ok: { '200': ['Ready', { type: 'object' }] }, problems: [503] } },
  '/metrics': { get: { summary: 'Prometheus metrics (text format)', auth: 'none', ok: { '200': ['Metrics'] }, problems: [] } },
};

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Lotse API', version: '0.2.0', description: 'Routes site and investment enquiries between economic-development agencies.' },
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
        ForwardingDecision: json(ForwardingBody, 'input'),
        Close: json(CloseBody, 'input'),
        Note: json(NoteBody, 'input'),
        Site: json(Site),
        SiteInput: json(SiteInput, 'input'),
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
    paths: Object.fromEntries(Object.entries(ROUTES).map(([path, ops]) => [path, Object.fromEntries(Object.entries(ops).map(([m, r]) => [m, operation(r)]))])),
  };
}
