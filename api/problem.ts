import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { fieldPath } from '../domain/field-path.js';

/** The one error type for answers that are not a success: RFC 9457 problem details. */

export interface FieldError {
  path: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }

  get type() {
    return `urn:lotse:problem:${this.slug}`;
  }

  toJSON() {
    return { type: this.type, title: this.title, status: this.status, detail: this.detail, ...(this.errors ? { errors: this.errors } : {}) };
  }

  static invalid(detail: string, errors: FieldError[]) {
    return new Problem(400, 'invalid-request', 'Invalid request', detail, errors);
  }
  static unauthorized(detail: string) {
    return new Problem(401, 'unauthorized', 'Unauthorized', detail);
  }
  static forbidden(detail: string) {
    return new Problem(403, 'forbidden', 'Forbidden', detail);
  }
  static notFound(detail: string) {
    return new Problem(404, 'not-found', 'Not found', detail);
  }
  static conflict(detail: string) {
    return new Problem(409, 'conflict', 'Conflict', detail);
  }
  static unavailable(detail: string) {
    return new Problem(503, 'unavailable', 'Service unavailable', detail);
  }
}

/** "company.sector", "preferredLocations[0]"; unknown fields are listed one by one. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: fieldPath([...issue.path, key]), message: 'unknown field' }))
      : [{ path: fieldPath(issue.path), message: issue.message }],
  );
}

/** Parses with zod or answers 400 with every field that is wrong. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw Problem.invalid(`The ${what} is invalid.`, fieldErrors(parsed.error));
  return parsed.data;
}

const FASTIFY_PROBLEMS: Record<string, (e: FastifyError) => Problem> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => new Problem(413, 'too-large', 'Payload too large', 'The body is larger than 64 KiB.'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (e) => new Problem(415, 'unsupported-media-type', 'Unsupported media type', e.message),
  FST_ERR_CTP_INVALID_JSON_BODY: () => Problem.invalid('The body is not valid JSON.', []),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => Problem.invalid('The body is empty.', []),
};

export function registerProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let problem: Problem;
    if (error instanceof Problem) problem = error;
    else if (error.code && FASTIFY_PROBLEMS[error.code]) problem = FASTIFY_PROBLEMS[error.code]!(error);
    else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      problem = new Problem(error.statusCode, 'bad-request', 'Bad request', error.message);
    } else {
      request.log.error({ err: error }, 'request failed');
      problem = new Problem(500, 'internal', 'Internal error', 'Something went wrong on our side; it has been logged.');
    }
    void reply.status(problem.status).type('application/problem+json').send(problem.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = Problem.notFound(`No route ${request.method} ${request.url.split('?')[0]}.`);
    void reply.status(404).type('application/problem+json').send(problem.toJSON());
  });
}
