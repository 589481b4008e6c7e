import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import type { EnquiryState } from '../domain/enquiry.js';
import { typeOf, type CloudEvent } from '../domain/events.js';
import { followEvents } from '../infra/event-log.js';
import type { Logger } from '../infra/logger.js';
import type { NatsConnection } from '../infra/nats.js';
import { stateQuery } from '../contract/enquiry-workflow.js';
import { callerOf, canSee } from './access.js';
import type { Caller } from './auth.js';
import { bearer, problems } from './docs.js';

/**
 * Live changes for the web app (Server-Sent Events): "this enquiry moved on", sent only to
 * the people who may see that enquiry, from the ENQUIRY_EVENTS stream. Never the event's
 * data: the app reads what changed through the API, under the same rules as always.
 */

export interface LiveDeps {
  temporal: Client;
  nats: NatsConnection;
  logger: Logger;
}

/** Events of one enquiry within this window are announced once: intake alone publishes three. */
const COALESCE_MS = 150;
/** A comment line now and then keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 20_000;

export const LiveChange = z
  .object({ enquiryId: z.string(), types: z.array(z.string()) })
  .describe('One `change` message: the enquiry and the kinds of steps it took');

interface Listener {
  caller: Caller;
  send(chunk: string): void;
  end(): void;
}

export function registerLive(app: FastifyInstance, deps: LiveDeps) {
  const listeners = new Set<Listener>();
  const pending = new Map<string, Set<string>>();
  let feed: { stop(): void } | undefined;

  const announce = async (enquiryId: string) => {
    const types = [...(pending.get(enquiryId) ?? [])];
    pending.delete(enquiryId);
    let state: EnquiryState;
    try {
      state = await deps.temporal.workflow.getHandle(enquiryId).query(stateQuery);
    } catch (err) {
      deps.logger.debug({ enquiryId, err: (err as Error).message }, 'live change not announced');
      return;
    }
    const message = `event: change\ndata: ${JSON.stringify({ enquiryId, types })}\n\n`;
    for (const l of listeners) if (canSee(state, l.caller)) l.send(message);
  };
  const onEvent = (e: CloudEvent) => {
    if (listeners.size === 0) return;
    const types = pending.get(e.subject);
    if (types) return void types.add(typeOf(e));
    pending.set(e.subject, new Set([typeOf(e)]));
    setTimeout(() => void announce(e.subject), COALESCE_MS);
  };

  app.get(
    '/v1/live',
    {
      config: { access: 'signed_in' },
      schema: {
        tags: ['Managers'],
        operationId: 'followChanges',
        summary: 'Server-Sent Events: which of the enquiries the caller may see changed',
        description:
          'A `text/event-stream`. Each `change` message names an enquiry the caller may see and the kinds of ' +
          'steps it took; read the enquiry or the tasks to see what changed. The stream ends when the token ' +
          'expires; reconnect with a fresh one.',
        security: bearer,
        response: { 200: LiveChange, ...problems(401) },
      },
    },
    async (req, reply) => {
      const caller = callerOf(req);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        // A stream's connection is not reused: when it ends, it closes, and a shutdown need not wait for it.
        connection: 'close',
      });
      res.write('retry: 3000\n\n');
      const listener: Listener = { caller, send: (chunk) => res.write(chunk), end: () => res.end() };
      listeners.add(listener);
      feed ??= followEvents(deps.nats, onEvent);
      endStream(res, tokenExpiry(req.headers.authorization), () => listeners.delete(listener));
    },
  );
  app.addHook('preClose', async () => {
    // Open streams would keep the server from closing; the clients reconnect to the next one.
    feed?.stop();
    for (const l of [...listeners]) l.end();
  });
}

/** Heartbeats until the token expires, then the stream ends: the client reconnects with a fresh token. */
function endStream(res: ServerResponse, expiresAt: number, cleanup: () => void): void {
  const beat = setInterval(() => res.write(': still here\n\n'), HEARTBEAT_MS);
  const expire = setTimeout(() => res.end(), Math.max(0, expiresAt - Date.now()));
  const end = () => {
    clearInterval(beat);
    clearTimeout(expire);
    cleanup();
    if (!res.writableEnded) res.end();
  };
  res.on('close', end);
}

/** When the (already verified) bearer token expires, in ms since the epoch. */
function tokenExpiry(authorization: string | undefined): number {
  const exp = decodeJwt(authorization?.replace(/^Bearer\s+/i, '') ?? '').exp;
  return (exp ?? 0) * 1000;
}
