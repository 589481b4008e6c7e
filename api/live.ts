import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import type { Applied, ReadModel } from '../infra/read-model/index.js';
import { callerOf } from './access.js';
import type { Caller } from './auth.js';
import { bearer, problems } from './docs.js';

/**
 * Live changes for the web app (Server-Sent Events): "this enquiry moved on", announced once
 * the read model has applied the step (so a list read at once shows it), and only to the
 * people who may see that enquiry. Never the event's data: the app reads what changed
 * through the API, under the same rules as always.
 */

export interface LiveDeps {
  readModel: ReadModel;
}
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
  let feed: (() => void) | undefined;

  const announce = async (changes: Applied[]) => {
    if (listeners.size === 0) return;
    const rows = await deps.readModel.db
      .selectFrom('enquiries')
      .select(['enquiry_id', 'agencies', 'offices'])
      .where(
        'enquiry_id',
        'in',
        changes.map((c) => c.enquiryId),
      )
      .execute()
      .catch(() => []);
    const seenBy = new Map(rows.map((r) => [r.enquiry_id, r]));
    for (const { enquiryId, types } of changes) {
      const row = seenBy.get(enquiryId);
      if (!row) continue;
      const message = `event: change\ndata: ${JSON.stringify({ enquiryId, types })}\n\n`;
      for (const l of listeners) if (maySee(row, l.caller)) l.send(message);
    }
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
      feed ??= deps.readModel.onChange((changes) => void announce(changes));
      endStream(res, tokenExpiry(req.headers.authorization), () => listeners.delete(listener));
    },
  );
  app.addHook('preClose', async () => {
    // Open streams would keep the server from closing; the clients reconnect to the next one.
    feed?.();
    for (const l of [...listeners]) l.end();
  });
}

/** The rule of domain/visibility.ts on a row of the read model: its agencies, the offices that vote on it. */
function maySee(row: { agencies: string[]; offices: string[] }, viewer: Caller): boolean {
  const worksForAgency = viewer.roles.includes('staff') || viewer.roles.includes('manager');
  if (worksForAgency && row.agencies.includes(viewer.agency)) return true;
  return viewer.offices.some((o) => row.offices.includes(`${viewer.agency}:${o}`));
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
