import { hostname } from 'node:os';
import { InterceptingCall, status, type Interceptor } from '@grpc/grpc-js';
import { Client, Connection, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { PayloadCodec, SearchAttributeType } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { temporal as proto } from '@temporalio/proto';
import { encryptedDataConverter } from './payload-codec.js';

/** The one place that opens a Temporal client connection and prepares the namespace. */

/**
 * The api's client connection. A person waits on every call, so no call may hang:
 * each gets a deadline unless it brings its own, and only what can pass in a moment is
 * retried (Temporal restarting, overloaded), a few times. Temporal's default retries
 * UNKNOWN for about a minute, which turned a bad cursor into a hanging request.
 */

const CALL_DEADLINE_MS = 10_000;
const RETRYABLE = new Set([status.UNAVAILABLE, status.RESOURCE_EXHAUSTED, status.ABORTED]);
const MAX_ATTEMPTS = 4;

const withDeadline: Interceptor = (options, nextCall) =>
  new InterceptingCall(nextCall({ ...options, deadline: options.deadline ?? Date.now() + CALL_DEADLINE_MS }));

const briefRetries = makeGrpcRetryInterceptor({
  delayFunction: (attempt) => Math.min(1000, 100 * 2 ** attempt) * (0.8 + Math.random() * 0.4),
  retryableDecider: (attempt, s) => attempt < MAX_ATTEMPTS && RETRYABLE.has(s.code),
});

/** `codec` encrypts what Lotse sends (infra/payload-codec.ts); without one, plain (the benchmark's raw client). */
export async function connectTemporal(address: string, namespace: string, codec?: PayloadCodec): Promise<Client> {
  const connection = await Connection.connect({ address, interceptors: [withDeadline, briefRetries] });
  return new Client({ connection, namespace, ...(codec ? { dataConverter: encryptedDataConverter(codec) } : {}) });
}

/**
 * Who started an enquiry, in its history; with an eager start the first task's too, since the
 * server hands it out with the start instead of to a poll.
 */
export const INTAKE_IDENTITY = `lotse-intake@${hostname()}`;

/** What starts workflows: the api's own client (`startsOn`), or one that starts eagerly (below). */
export interface Starter {
  client: Client;
  eager: boolean;
}

export const startsOn = (client: Client): Starter => ({ client, eager: false });

/**
 * A client for the intake's starts on the worker's own connection, when the api and the worker
 * share a process: the server hands each new workflow's first task back with the start (eager
 * start) instead of through the task queue and a poll, which saves the server CPU and the
 * enquiry time (docs/capacity.md). The worker's core asks for it only when a workflow task slot
 * is free, so never while the worker gives a burst of intakes way.
 */
export function eagerStarter(connection: NativeConnection, namespace: string, codec: PayloadCodec): Starter {
  const client = new Client({
    connection,
    namespace,
    identity: INTAKE_IDENTITY,
    dataConverter: encryptedDataConverter(codec),
  });
  return { client, eager: true };
}

/** Runs a call with the api's deadline, on either kind of connection (the native one has no interceptors). */
export const inTime = <T>(client: Client, call: () => Promise<T>) =>
  client.withDeadline(Date.now() + CALL_DEADLINE_MS, call);

const INDEXED_TYPE: Record<string, proto.api.enums.v1.IndexedValueType> = {
  TEXT: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Registers the search attributes Lotse uses when the namespace lacks them: the
 * embedded dev server gets them at start, an operator's Temporal gets them here.
 */
export async function ensureSearchAttributes(
  client: Client,
  keys: readonly { name: string; type: SearchAttributeType }[],
): Promise<string[]> {
  const { operatorService } = client.connection;
  const namespace = client.options.namespace;
  const existing = await operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = keys.filter((k) => !known.has(k.name));
  if (missing.length > 0) {
    await operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED_TYPE[k.type]!])),
    });
  }
  return missing.map((k) => k.name);
}
