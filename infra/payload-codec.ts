import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { readJsonFile, writePrivateFile } from './json-file.js';

/**
 * Everything Lotse hands to Temporal is encrypted before it leaves the process
 * (AES-256-GCM, a fresh nonce per payload): inputs, results, update arguments, query
 * answers, memos, heartbeats and failures reach the server only as ciphertext. The key
 * ring names its keys; the newest encrypts, every one decrypts, so a new key takes over
 * from the next payload on while what the old ones wrote stays readable.
 */

export const ENCRYPTED = 'binary/encrypted';

const KEY_ID = 'encryption-key-id';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * The failure converter's module, as a path (Temporal loads converters by path): the
 * TypeScript source, or its build beside dist/lotse.js (scripts/server-build.ts).
 */
export const FAILURE_CONVERTER_PATH = path.join(__dirname, `failure-converter${path.extname(__filename)}`);

/** How every Temporal client and worker of Lotse converts what it sends: encrypted. */
export const encryptedDataConverter = (codec: PayloadCodec) => ({
  payloadCodecs: [codec],
  failureConverterPath: FAILURE_CONVERTER_PATH,
});

export const KeyRingFile = z.object({
  keys: z
    .array(
      z.object({
        id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)'),
        key: z.string().refine((k) => Buffer.from(k, 'base64').length === 32, 'must be 32 bytes, base64 encoded'),
      }),
    )
    .min(1, 'needs at least one key')
    .describe('oldest first; the last one encrypts'),
});
export type KeyRing = z.infer<typeof KeyRingFile>;

export class KeyRingCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly current: { id: string; key: Buffer };

  constructor(ring: KeyRing) {
    this.keys = new Map(ring.keys.map((k) => [k.id, Buffer.from(k.key, 'base64')]));
    const last = ring.keys.at(-1)!;
    this.current = { id: last.id, key: this.keys.get(last.id)! };
  }

  get keyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encrypt(p));
  }

  /** Payloads written before encryption (and recorded histories of that time) pass as they are. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => (metadataText(p, 'encoding') === ENCRYPTED ? this.decrypt(p) : p));
  }

  /** Other secrets under the ring's current key (the enquiries' data keys), bound to `context`. */
  wrap(plain: Uint8Array, context: string): { keyId: string; sealed: Buffer } {
    return { keyId: this.current.id, sealed: sealBytes(this.current.key, plain, context) };
  }

  unwrap(keyId: string, sealed: Uint8Array, context: string): Buffer {
    return openBytes(this.keyOf(keyId), sealed, context);
  }

  private encrypt(payload: Payload): Payload {
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = sealBytes(this.current.key, plain);
    return { metadata: { encoding: enc.encode(ENCRYPTED), [KEY_ID]: enc.encode(this.current.id) }, data: sealed };
  }

  private keyOf(id: string | undefined): Buffer {
    const key = id === undefined ? undefined : this.keys.get(id);
    if (!key)
      throw new Error(`encrypted with key "${id ?? '(none)'}", which is not in the key ring (LOTSE_PAYLOAD_KEYS)`);
    return key;
  }

  private decrypt(payload: Payload): Payload {
    const key = this.keyOf(metadataText(payload, KEY_ID));
    const plain = openBytes(key, payload.data ?? new Uint8Array());
    return temporal.api.common.v1.Payload.decode(plain) as Payload;
  }
}

/** Nonces drawn from the random generator at once: one call for every this many seals. */
const NONCES_PER_DRAW = 341;

/**
 * Fresh nonces, drawn from the random generator a few hundred at a time instead of one
 * call per seal (`npm run bench:codec`: sealing an intake's personal data 58 → 30 µs).
 * Each nonce is handed out once; nonces are stored beside the ciphertext anyway, so
 * holding them ahead gives nothing away.
 */
class NoncePool {
  private pool = Buffer.alloc(0);
  private next = 0;

  take(): Buffer {
    if (this.next + NONCE_BYTES > this.pool.length) {
      this.pool = randomBytes(NONCE_BYTES * NONCES_PER_DRAW);
      this.next = 0;
    }
    this.next += NONCE_BYTES;
    return this.pool.subarray(this.next - NONCE_BYTES, this.next);
  }
}
const nonces = new NoncePool();

/** AES-256-GCM with a fresh nonce: nonce, ciphertext and tag in one buffer; `context` is authenticated, not stored. */
export function sealBytes(key: Buffer, plain: Uint8Array, context?: string): Buffer {
  const nonce = nonces.take();
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  if (context !== undefined) cipher.setAAD(enc.encode(context));
  return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** Opens what sealBytes sealed; throws when the key, the context or a single bit differs. */
export function openBytes(key: Buffer, sealedBytes: Uint8Array, context?: string): Buffer {
  const sealed = Buffer.from(sealedBytes);
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
  if (context !== undefined) decipher.setAAD(enc.encode(context));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? dec.decode(value) : undefined;
}

export const devPayloadKeysFile = (dataDir: string) => path.join(dataDir, 'dev-payload-keys.json');

/** The operator's key ring (LOTSE_PAYLOAD_KEYS), or the development ring, made once in the data folder. */
export function loadKeyRing(opts: { file?: string; dataDir: string }): {
  ring: KeyRing;
  file: string;
  development: boolean;
} {
  const file = opts.file ?? devPayloadKeysFile(opts.dataDir);
  if (!opts.file && !existsSync(file)) {
    const ring: KeyRing = { keys: [{ id: 'dev-1', key: randomBytes(32).toString('base64') }] };
    writePrivateFile(file, JSON.stringify(ring, null, 2) + '\n');
  }
  return { ring: readJsonFile('LOTSE_PAYLOAD_KEYS', file, KeyRingFile), file, development: !opts.file };
}

/**
 * Every payload within a history (or any object taken from Temporal) decoded in place: a
 * history exported for someone who may read it is readable and replays without the keys.
 */
export async function decodeEverywhere<T>(value: T, codec: PayloadCodec): Promise<T> {
  const found = payloadsIn(value, (p) => metadataText(p, 'encoding') === ENCRYPTED);
  const decoded = await codec.decode(found);
  found.forEach((p, i) => Object.assign(p, { metadata: decoded[i]!.metadata, data: decoded[i]!.data }));
  return value;
}

/** Every JSON payload within a (decoded) history rewritten in place by `map`: its values, not its shape. */
export function mapJsonPayloads<T>(value: T, map: (json: unknown) => unknown): T {
  for (const p of payloadsIn(value, (p) => metadataText(p, 'encoding') === 'json/plain')) {
    p.data = enc.encode(JSON.stringify(map(JSON.parse(dec.decode(p.data ?? new Uint8Array())))));
  }
  return value;
}

function payloadsIn(value: unknown, wanted: (p: Payload) => boolean): Payload[] {
  const found: Payload[] = [];
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object' || ArrayBuffer.isView(v)) return;
    if (Array.isArray(v)) return v.forEach(walk);
    const p = v as Payload;
    if (p.metadata?.encoding instanceof Uint8Array && wanted(p)) found.push(p);
    else Object.values(v).forEach(walk);
  };
  walk(value);
  return found;
}
