import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnquirySubmission } from '../../domain/enquiry.js';
import { connectTemporal } from '../../infra/temporal.js';
import type { RunningServer } from '../../scripts/servers.js';
import { enquiry, eventually, startOwnTemporal, startHarness, type Harness } from '../harness.js';

/** What Temporal stores is ciphertext; managers read it through the codec endpoint. */
const UI = 'http://127.0.0.1:8233';
const dir = mkdtempSync(path.join(tmpdir(), 'lotse-codec-'));
const submission = enquiry({ preferredLocations: ['14713000'] });
const email = submission.contact.email;
let temporal: RunningServer;
let h: Harness;
let enquiryId: string;

beforeAll(async () => {
  // A Temporal of this file's own, on a database file whose bytes the test reads.
  temporal = await startOwnTemporal(dir);
  h = await startHarness({ temporalAddress: temporal.address, env: { LOTSE_CODEC_ORIGINS: UI } });
  enquiryId = (await (await h.post('irl', submission)).json()).enquiryId;
  const irl = await h.token({ agency: 'irl' });
  await eventually(async () => {
    const state = await (await h.get(`/v1/enquiries/${enquiryId}`, irl)).json();
    expect(state.responsibleAgency).toBe('irl');
    // An authorized caller reads the contact as it was sent: decrypted in the api.
    expect(state.enquiry.contact.email).toBe(email);
  }, 30_000);
}, 60_000);
afterAll(async () => {
  await h?.close();
  await temporal?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const codec = async (operation: string, body: unknown, token?: string, origin = UI) =>
  fetch(`${h.baseUrl}/codec/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

describe('what Temporal stores', () => {
  it('holds the contact only as ciphertext: not in the database file, not in the history', async () => {
    const plain = await connectTemporal(temporal.address, 'default');
    try {
      const history = await plain.workflow.getHandle(enquiryId).fetchHistory();
      const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
      expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted');
      expect(JSON.stringify(history)).not.toContain(email);
    } finally {
      await plain.connection.close();
    }
    const files = readdirSync(dir).filter((f) => f.startsWith('temporal.sqlite'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(path.join(dir, f)).includes(email)).toBe(false);
  });
});

describe('the codec endpoint for the Temporal Web UI', () => {
  const encrypted = async () => {
    const plain = await connectTemporal(temporal.address, 'default');
    try {
      const history = await plain.workflow.getHandle(enquiryId).fetchHistory();
      const p = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
      const metadata = Object.fromEntries(
        Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      );
      return { payloads: [{ metadata, data: Buffer.from(p.data!).toString('base64') }] };
    } finally {
      await plain.connection.close();
    }
  };

  it('decodes for a manager, from the UI origin, and encodes back', async () => {
    const manager = await h.token({ agency: 'irl', roles: ['manager'] });
    const res = await codec('decode', await encrypted(), manager);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI);
    const [decoded] = (await res.json()).payloads;
    const payload = {
      metadata: Object.fromEntries(
        Object.entries(decoded.metadata).map(([k, v]) => [k, Buffer.from(v as string, 'base64')]),
      ),
      data: Buffer.from(decoded.data, 'base64'),
    };
    // The codec opens Temporal's encryption; the personal data inside stays sealed with the enquiry's own key.
    const { submission } = defaultPayloadConverter.fromPayload<{ enquiryId: string; submission: EnquirySubmission }>(
      payload,
    );
    expect(submission.contact.email).toMatch(/^lotse:sealed:v1:/);
    expect(await h.lotse.dataKeys.readable(enquiryId, submission.contact.email)).toBe(email);
    const again = await codec('encode', { payloads: [decoded] }, manager);
    expect(Buffer.from((await again.json()).payloads[0].data, 'base64').includes(email)).toBe(false);
  });

  it('refuses everyone else, and says why where the UI can read it', async () => {
    const body = await encrypted();
    expect((await codec('decode', body)).status).toBe(401);
    const staff = await codec('decode', body, await h.token({ agency: 'irl', roles: ['staff'] }));
    expect(staff.status).toBe(403);
    expect(staff.headers.get('access-control-allow-origin')).toBe(UI);
    const elsewhere = await codec(
      'decode',
      body,
      await h.token({ agency: 'irl', roles: ['manager'] }),
      'https://evil.example',
    );
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers the browser preflight, and a payload it cannot read with 400', async () => {
    const pre = await fetch(`${h.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    const manager = await h.token({ agency: 'irl', roles: ['manager'] });
    const unknownKey = {
      payloads: [
        { metadata: { encoding: btoa('binary/encrypted'), 'encryption-key-id': btoa('lost') }, data: btoa('xx') },
      ],
    };
    const res = await codec('decode', unknownKey, manager);
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toMatch(/"lost".*not in the key ring/);
  });
});

describe('a new key in the ring', () => {
  it('encrypts from then on, while what the old key wrote stays readable', async () => {
    const key = (id: string) => ({ id, key: randomBytes(32).toString('base64') });
    const [a, b] = [key('a'), key('b')];
    const ring = path.join(dir, 'ring.json');
    const env = { LOTSE_PAYLOAD_KEYS: ring, LOTSE_TASK_QUEUE: `rotation-${randomUUID()}` };
    const keyOf = async (id: string) => {
      const plain = await connectTemporal(temporal.address, 'default');
      try {
        const input = (await plain.workflow.getHandle(id).fetchHistory()).events![0]!
          .workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
        return Buffer.from(input.metadata!['encryption-key-id']!).toString();
      } finally {
        await plain.connection.close();
      }
    };
    const contactOf = async (h2: Harness, id: string) => {
      const irl = await h2.token({ agency: 'irl' });
      return eventually(async () => {
        const res = await h2.get(`/v1/enquiries/${id}`, irl);
        expect(res.status, await res.clone().text()).toBe(200);
        return (await res.json()).enquiry.contact.email as string;
      }, 30_000);
    };

    writeFileSync(ring, JSON.stringify({ keys: [a] }));
    // The same data folder: the enquiries' data keys (on NATS) are wrapped by the ring too.
    const dataDir = mkdtempSync(path.join(dir, 'rotation-'));
    const before = await startHarness({ temporalAddress: temporal.address, env, dataDir });
    const first = enquiry({ preferredLocations: ['14713000'] });
    const old = (await (await before.post('irl', first)).json()).enquiryId;
    expect(await contactOf(before, old)).toBe(first.contact.email);
    await before.close();

    writeFileSync(ring, JSON.stringify({ keys: [a, b] }));
    const after = await startHarness({ temporalAddress: temporal.address, env, dataDir });
    try {
      expect(await contactOf(after, old)).toBe(first.contact.email);
      const fresh = (await (await after.post('irl', enquiry({ preferredLocations: ['14713000'] }))).json()).enquiryId;
      await contactOf(after, fresh);
      expect([await keyOf(old), await keyOf(fresh)]).toEqual(['a', 'b']);
    } finally {
      await after.close();
    }
  }, 90_000);
});
