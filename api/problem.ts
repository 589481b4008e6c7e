import { status } from '@grpc/grpc-js';
import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import type { Socket } from 'node:net';
import type {
  FastifyBaseLogger,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaCompiler,
} from 'fastify';
import { ZodError, type z } from 'zod';
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
    /** Response headers that belong to the answer: WWW-Authenticate, Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }

  get type() {
    return `urn:lotse:problem:${this.slug}`;
  }

  toJSON() {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }

  static invalid(detail: string, errors: FieldError[]) {
    return new Problem(400, 'invalid-request', 'Invalid request', detail, errors);
  }
  static unauthorized(detail: string, headers: Record<string, string> = {}) {
    return new Problem(401, 'unauthorized', 'Unauthorized', detail, undefined, headers);
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
  /** Temporal or NATS is away: the caller may try again, and is told when. */
  static unavailable(detail: string, retryAfterS = 5) {
    return new Problem(503, 'unavailable', 'Service unavailable', detail, undefined, {
      'retry-after': String(retryAfterS),
    });
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

const CONTEXT: Record<string, string> = {
  body: 'body',
  querystring: 'query string',
  params: 'path',
  headers: 'headers',
};

/** Fastify's validator for the zod schemas on the routes: the ZodError reaches the error handler as it is. */
export const zodValidator: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const parsed = schema.safeParse(data);
    return parsed.success ? { value: parsed.data } : { error: parsed.error };
  };

const FASTIFY_PROBLEMS: Record<string, (e: FastifyError) => Problem> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    new Problem(413, 'too-large', 'Payload too large', 'The body is larger than 64 KiB.'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (e) =>
    new Problem(415, 'unsupported-media-type', 'Unsupported media type', e.message),
  FST_ERR_CTP_INVALID_JSON_BODY: () => Problem.invalid('The body is not valid JSON.', []),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => Problem.invalid('The body is empty.', []),
};

const send = (reply: FastifyReply, problem: Problem) =>
  void reply.status(problem.status).headers(problem.headers).type('application/problem+json').send(problem.toJSON());

/** Fastify's router refusing a URL before any route runs (`frameworkErrors`). */
export function frameworkErrors(error: FastifyError, _req: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    send(reply, new Problem(414, 'uri-too-long', 'URI too long', 'A path segment is too long.'));
  else send(reply, Problem.invalid(`The URL is not valid: ${error.message}`, []));
}

/**
 * Node's HTTP parser refusing a request (headers too large, malformed): there is no
 * request object yet, so the answer is written to the socket as it is.
 */
export function clientErrorHandler(this: { log: FastifyBaseLogger }, err: Error & { code?: string }, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, title, detail] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request header fields too large', 'The request line and headers are larger than the server accepts.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request timeout', 'The request did not arrive in time.']
        : [400, 'Bad request', 'The request is not valid HTTP.'];
  const body = JSON.stringify(new Problem(status, slugOf(title), title, detail).toJSON());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Anything unforeseen is our bug: logged in full, answered without detail. */
function internal(request: FastifyRequest, error: Error): Problem {
  request.log.error({ err: error }, 'request failed');
  return new Problem(500, 'internal', 'Internal error', 'Something went wrong on our side; it has been logged.');
}

const slugOf = (title: string) => title.toLowerCase().replace(/ /g, '-');

export function registerProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let problem: Problem;
    if (error instanceof Problem) problem = error;
    else if (error instanceof ZodError)
      problem = Problem.invalid(
        `The ${CONTEXT[String((error as FastifyError).validationContext)] ?? 'request'} is invalid.`,
        fieldErrors(error),
      );
    else if (error.code && FASTIFY_PROBLEMS[error.code]) problem = FASTIFY_PROBLEMS[error.code]!(error);
    else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      problem = new Problem(error.statusCode, 'bad-request', 'Bad request', error.message);
    } else {
      problem = temporalProblem(error, 'This') ?? readModelProblem(error) ?? internal(request, error);
    }
    send(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    send(reply, Problem.notFound(`No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}

/**
 * What a failed Temporal call means for the caller: input Temporal refused is a 400,
 * Temporal away or overloaded is a 503 with Retry-After. Anything else is our bug.
 */

const AWAY = new Set<number>([
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
  status.UNAVAILABLE,
  status.CANCELLED,
]);

function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

/** A Problem for a Temporal failure, or undefined when it is not one. */
export function temporalProblem(err: unknown, doing: string): Problem | undefined {
  const code = grpcCode(err);
  if (code === undefined && !(err instanceof ServiceError)) return undefined;
  if (code === status.INVALID_ARGUMENT)
    return Problem.invalid(`Temporal refused the request: ${(err as Error).message}`, []);
  if (code === undefined || AWAY.has(code))
    return Problem.unavailable(`${doing} is not possible right now: Temporal is not reachable.`);
  return undefined;
}

/** PostgreSQL's codes and Node's socket errors for a read model that is away, restarting or too slow. */
const STORE_AWAY = /^(08\d{3}|57P0[1-3]|57014|53300|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)$/;

/** A Problem for a read model that cannot answer now (lists, tasks, figures), or undefined when it is not one. */
export function readModelProblem(err: unknown): Problem | undefined {
  const { code, message } = err as { code?: string; message?: string };
  const away =
    (code !== undefined && STORE_AWAY.test(code)) ||
    /Connection terminated|timeout exceeded when trying to connect|Query read timeout/i.test(message ?? '');
  return away
    ? Problem.unavailable('Lists and figures are not available right now: the read model is not reachable.')
    : undefined;
}
