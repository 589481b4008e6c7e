import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config.js';
import { freePort, startTemporal, type RunningServer } from '../../scripts/servers.js';
import { ensureTools } from '../../scripts/tools.js';
import { ALL_SEARCH_ATTRIBUTES } from '../../contract/search-attributes.js';
import { enquiry, eventually, startHarness, type Harness } from '../harness.js';

/**
 * Every request gets an answer, and every answer that is not a success is
 * problem+json: malformed HTTP, oversized parts, bodies the parsers refuse, cursors
 * Temporal never issued, and Temporal itself away (503 with Retry-After, never 500).
 */

let h: Harness;
let id: string;
let temporal: RunningServer;

beforeAll(async () => {
  // A Temporal of this file's own, so that it can be stopped without harming other files.
  const tools = await ensureTools(loadConfig().toolsDir, () => {});
  const dir = mkdtempSync(path.join(tmpdir(), 'lotse-errors-'));
  temporal = await startTemporal({
    searchAttributes: ALL_SEARCH_ATTRIBUTES,
    binary: tools.temporal,
    port: await freePort(),
    logFile: path.join(dir, 'temporal.log'),
  });
  h = await startHarness({ temporalAddress: temporal.address, env: { LOG_LEVEL: 'fatal' } });
  id = (await (await h.post('irl', enquiry())).json()).enquiryId;
  const staff = await h.token({ agency: 'wfg-nordsachsen' });
  await eventually(async () => expect((await h.get(`/v1/enquiries/${id}`, staff)).status).toBe(200));
});
afterAll(async () => {
  await h?.close();
  await temporal?.stop();
});

/** A raw HTTP/1.1 exchange: status, content type and body, or the socket error if there was no answer. */
function raw(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }) {
  const url = new URL(h.baseUrl);
  return new Promise<{ status: number; type: string; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              type: String(res.headers['content-type'] ?? ''),
              body: Buffer.concat(chunks).toString(),
              headers: res.headers,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    },
  );
}

const isProblem = (r: { status: number; type: string; body: string }) => {
  expect(r.type, `${r.status} ${r.body.slice(0, 200)}`).toMatch(/^application\/problem\+json/);
  const p = JSON.parse(r.body);
  expect(p).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status: r.status,
    detail: expect.any(String),
  });
};

describe('answers that are not a success', () => {
  it('a cursor Temporal never issued is a 400 naming the cursor', async () => {
    const manager = await h.token({ agency: 'irl', roles: ['manager'] });
    for (const cursor of ['abc', 'AAAA', randomBytes(40).toString('base64url')]) {
      const res = await h.get(`/v1/enquiries?cursor=${cursor}`, manager);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ errors: [{ path: 'cursor' }] });
    }
  });

  it('headers too large → 431, a path segment too long → 414, both problem+json', async () => {
    const big = await raw({ path: '/v1/tasks', headers: { 'x-filler': 'x'.repeat(20_000) } });
    expect(big.status).toBe(431);
    isProblem(big);
    const long = await raw({ path: `/v1/enquiries/${'a'.repeat(600)}` });
    expect(long.status).toBe(414);
    isProblem(long);
    const badUrl = await raw({ path: '/v1/enquiries/%E0%A4%A' });
    expect(badUrl.status).toBe(400);
    isProblem(badUrl);
  });

  it('bodies the staff API’s parser refuses: wrong type, broken JSON, too large', async () => {
    const token = await h.token({ agency: 'irl' });
    const url = `/v1/enquiries/${id}/forwarding`;
    const auth = { authorization: `Bearer ${token}` };
    const cases: [Record<string, string>, string | Buffer, number][] = [
      [{ 'content-type': 'text/plain' }, 'approve', 415],
      [{ 'content-type': 'application/json' }, '{"decision":', 400],
      [{ 'content-type': 'application/json' }, '', 400],
      [{ 'content-type': 'application/json' }, JSON.stringify({ note: 'x'.repeat(2 * 1024 * 1024) }), 413],
    ];
    for (const [headers, body, status] of cases) {
      const res = await raw({ method: 'POST', path: url, headers: { ...auth, ...headers }, body });
      expect(res.status, String(body).slice(0, 40)).toBe(status);
      isProblem(res);
    }
  });

  it('fuzzed webhook requests: every one answered, every refusal problem+json, nothing started', async () => {
    const rnd = (n: number) => Math.floor(Math.random() * n);
    const bodies = [
      () => randomBytes(rnd(4000)),
      () => randomBytes(65 * 1024 + rnd(300_000)),
      () => JSON.stringify(enquiry()).slice(0, rnd(600)),
      () => '{}',
      () => 'null',
      () => '[]',
      () => '\u0000',
    ];
    const types = [
      'application/json',
      'text/plain',
      '',
      'application/json; charset=utf-8',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
    ];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const headers: Record<string, string> = {
        'webhook-id': `m${i}`,
        'webhook-timestamp': String(rnd(2e9)),
        'webhook-signature': `v1,${randomBytes(32).toString('base64')}`,
      };
      const type = types[rnd(types.length)]!;
      if (type) headers['content-type'] = type;
      const agency = ['irl', 'nope', 'IRL', '%20', 'a'.repeat(70)][rnd(5)];
      const res = await raw({
        method: 'POST',
        path: `/v1/webhooks/${agency}/enquiries`,
        headers,
        body: bodies[rnd(bodies.length)]!(),
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      isProblem(res);
    }
    expect([...statuses.keys()].length).toBeGreaterThan(1);
    expect(statuses.get(413)).toBeGreaterThan(0);
    // Nothing was started: the one enquiry of this file is the only one received.
    const received = (await h.events()).filter((e) => e.subject === 'enquiry.events.received');
    expect(received).toHaveLength(1);
  });
});

describe('the staff API, probed', () => {
  it('answers every documented route with random paths, queries and bodies: never a 5xx, every refusal problem+json', async () => {
    const doc = await (await h.get('/openapi.json')).json();
    const tokens = [
      await h.token({ agency: 'irl', roles: ['staff', 'manager'] }),
      await h.token({ agency: 'wfg-nordsachsen', roles: ['staff'], offices: ['landrat-nordsachsen'] }),
    ];
    const rnd = (n: number) => Math.floor(Math.random() * n);
    const junk = () =>
      [
        id,
        'abc',
        '',
        '%00',
        "'; DROP",
        'ä'.repeat(rnd(300)),
        String(-rnd(1e9)),
        'true',
        '2026-13-45',
        randomBytes(8).toString('base64url'),
      ][rnd(10)]!;
    const bodies = [
      () => ({}),
      () => ({ decision: junk(), partners: [junk()], note: junk() }),
      () => ({ outcome: junk() }),
      () => [],
      () => 'x',
      () => ({ office: junk(), decision: 'approve' }),
      () => ({ areaM2: -1, zoning: junk() }),
    ];
    const failures: string[] = [];
    for (let i = 0; i < 400; i++) {
      const [path, ops] = Object.entries(doc.paths as Record<string, Record<string, any>>)[
        rnd(Object.keys(doc.paths).length)
      ]!;
      if (path.startsWith('/v1/webhooks')) continue;
      const method = Object.keys(ops)[rnd(Object.keys(ops).length)]!;
      const url = path.replace(/\{\w+\}/g, () => encodeURIComponent(junk()));
      const query = (ops[method].parameters ?? [])
        .filter((p: any) => p.in === 'query' && Math.random() < 0.5)
        .map((p: any) => `${p.name}=${encodeURIComponent(junk())}`);
      const body = method === 'get' || method === 'delete' ? undefined : bodies[rnd(bodies.length)]!();
      const res = await h.call(
        `${url}${query.length ? `?${query.join('&')}` : ''}`,
        body,
        tokens[rnd(2)],
        method.toUpperCase(),
      );
      const type = res.headers.get('content-type') ?? '';
      if (res.status >= 500)
        failures.push(`${method} ${url}?${query.join('&')}: ${res.status} ${(await res.text()).slice(0, 200)}`);
      else if (res.status >= 400 && !type.startsWith('application/problem+json'))
        failures.push(`${method} ${url}: ${res.status} ${type}`);
      // The live stream never ends by itself: its opening answer is what is checked.
      else if (type.startsWith('text/event-stream')) await res.body?.cancel();
      else await res.arrayBuffer();
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('with Temporal away', () => {
  it('answers 503 with Retry-After on every route that needs Temporal, never a 500; lists go on', async () => {
    const manager = await h.token({ agency: 'wfg-nordsachsen', roles: ['manager', 'staff'] });
    await temporal.stop();
    const probes: [string, string, unknown][] = [
      ['GET', `/v1/enquiries/${id}`, undefined],
      ['GET', `/v1/enquiries/${id}/history`, undefined],
      ['POST', `/v1/enquiries/${id}/close`, { outcome: 'settled' }],
    ];
    // Lists, tasks and figures come from the read model: they go on answering.
    for (const url of ['/v1/enquiries', '/v1/tasks', '/v1/stats']) {
      expect((await h.call(url, undefined, manager, 'GET')).status, url).toBe(200);
    }
    for (const [method, url, body] of probes) {
      const res = await h.call(url, body, manager, method);
      expect(res.status, `${method} ${url}`).toBe(503);
      expect(res.headers.get('retry-after'), `${method} ${url}`).toMatch(/^\d+$/);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    const intake = await h.post('irl', enquiry());
    expect(intake.status).toBe(503);
    expect(intake.headers.get('retry-after')).toMatch(/^\d+$/);
  }, 120_000);
});
