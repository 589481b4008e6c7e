import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { ENCRYPTED, KeyRingCodec, loadKeyRing, openBytes, sealBytes, type KeyRing } from '../../infra/payload-codec.js';

const key = () => randomBytes(32).toString('base64');
const ring = (...ids: string[]): KeyRing => ({ keys: ids.map((id) => ({ id, key: key() })) });
const contact = { contact: { email: 'erika.mustermann@example.org' } };

describe('the payload codec', () => {
  it('encrypts with the newest key, so the plain text is nowhere in the bytes, and decrypts back', async () => {
    const codec = new KeyRingCodec(ring('k1', 'k2'));
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(contact)]);
    expect(Buffer.from(sealed!.metadata!.encoding!).toString()).toBe(ENCRYPTED);
    expect(Buffer.from(sealed!.metadata!['encryption-key-id']!).toString()).toBe('k2');
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain('erika');
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(contact);
  });

  it('keeps what an old key wrote readable after a new key is added', async () => {
    const old = ring('k1');
    const [sealed] = await new KeyRingCodec(old).encode([defaultPayloadConverter.toPayload(contact)]);
    const rotated = new KeyRingCodec({ keys: [...old.keys, { id: 'k2', key: key() }] });
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([sealed!]))[0]!)).toEqual(contact);
    expect(rotated.keyId).toBe('k2');
  });

  it('never seals two values with the same nonce, across the refills of its nonce pool', () => {
    const k = randomBytes(32);
    const sealed = Array.from({ length: 2_000 }, (_, i) => sealBytes(k, Buffer.from(`value ${i}`), 'ctx'));
    // The nonce is the first 12 bytes; 2,000 seals draw the pool several times.
    expect(new Set(sealed.map((s) => s.subarray(0, 12).toString('hex'))).size).toBe(2_000);
    sealed.forEach((s, i) => expect(openBytes(k, s, 'ctx').toString()).toBe(`value ${i}`));
  });

  it('names the key it lacks', async () => {
    const [sealed] = await new KeyRingCodec(ring('gone')).encode([defaultPayloadConverter.toPayload(contact)]);
    await expect(new KeyRingCodec(ring('k1')).decode([sealed!])).rejects.toThrow(/key "gone".*not in the key ring/);
  });

  it('passes payloads from before encryption through, and refuses a tampered one', async () => {
    const codec = new KeyRingCodec(ring('k1'));
    const plain = defaultPayloadConverter.toPayload(contact);
    expect(await codec.decode([plain])).toEqual([plain]);
    const [sealed] = await codec.encode([plain]);
    const data = Buffer.from(sealed!.data!);
    data[20] = data[20]! ^ 1;
    await expect(codec.decode([{ ...sealed!, data }])).rejects.toThrow();
  });

  it('makes a development ring once, readable only by its owner, and refuses a broken one by its field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lotse-keys-'));
    const first = loadKeyRing({ dataDir: dir });
    expect(first.development).toBe(true);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(loadKeyRing({ dataDir: dir }).ring).toEqual(first.ring);
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ keys: [{ id: 'k1', key: 'c2hvcnQ=' }] }));
    expect(() => loadKeyRing({ file: broken, dataDir: dir })).toThrow(
      /LOTSE_PAYLOAD_KEYS: .*"keys\.0\.key" must be 32 bytes/,
    );
    expect(readFileSync(first.file, 'utf8')).toContain('dev-1');
  });
});
