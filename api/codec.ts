import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearer, problems } from './docs.js';
import { Problem } from './problem.js';

/**
 * Temporal's remote codec protocol, so that operators read enquiries in the Temporal Web
 * UI: it sends what it shows to `POST /codec/decode` (and what it sends to
 * `/codec/encode`) with the person's token. Managers only: a payload may hold any
 * enquiry's personal data. The browser calls from the UI's origin, hence the CORS.
 */

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const PayloadJson = z.object({ metadata: z.record(z.string(), Base64).default({}), data: Base64.default('') });
const CodecBody = z
  .object({ payloads: z.array(PayloadJson).max(1_000) })
  .describe('Payloads as the Temporal Web UI sends them');

const fromJson = (p: z.infer<typeof PayloadJson>): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});
const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export interface CodecDeps {
  codec: PayloadCodec;
  /** Origins allowed to call from a browser: the Temporal Web UI's. */
  origins: readonly string[];
}

export function registerCodec(root: FastifyInstance, deps: CodecDeps) {
  root.register(async (scope) => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
    const allow = (req: FastifyRequest, reply: FastifyReply) => {
      const origin = req.headers.origin;
      if (origin && deps.origins.includes(origin)) {
        reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
        reply.header('access-control-allow-credentials', 'true');
      }
    };
    // On every answer, refusals included, so that the UI can read why.
    app.addHook('onSend', async (req, reply) => allow(req, reply));
    app.options('/codec/:operation', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'authorization, content-type, x-namespace')
        .header('access-control-max-age', '600')
        .code(204)
        .send(),
    );
    for (const operation of ['encode', 'decode'] as const) {
      app.post(
        `/codec/${operation}`,
        {
          config: { access: 'manager' },
          schema: {
            tags: ['Operations'],
            operationId: `codec${operation[0]!.toUpperCase()}${operation.slice(1)}`,
            summary: `Temporal's remote codec: ${operation}s payloads for the Temporal Web UI (managers)`,
            security: bearer,
            body: CodecBody,
            response: { 200: CodecBody, ...problems(400, 401, 403) },
          },
        },
        async (req) => {
          const payloads = req.body.payloads.map(fromJson);
          try {
            const done = await deps.codec[operation](payloads);
            return { payloads: done.map(toJson) };
          } catch (err) {
            throw Problem.invalid(`The payloads could not be ${operation}d: ${(err as Error).message}`, []);
          }
        },
      );
    }
  });
}
