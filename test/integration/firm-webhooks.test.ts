import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../infra/webhook-signature.js';
import { eventually, referenceFolder, startHarness, type Harness } from '../harness.js';

/**
 * A co-carer's share (issue 33): IMG has its own webhook; every step of a Burgenlandkreis firm
 * it cares for reaches it, signed, once per step, without anything sealed (no contact person,
 * no note), also when the webhook was away for a moment.
 */

let h: Harness;
let receiver: Server;
const received: { id: string; type: string; raw: string; verified: boolean }[] = [];
let failNext = 0;
const paul = { agency: 'wf-burgenlandkreis', sub: 'paul.richter' };

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const one = (k: string) => req.headers[k] as string | undefined;
      const verdict = verify(
        h.webhookSecrets.img!,
        { id: one('webhook-id'), timestamp: one('webhook-timestamp'), signature: one('webhook-signature') },
        raw,
      );
      const body = JSON.parse(raw.toString()) as { type: string };
      received.push({ id: one('webhook-id')!, type: body.type, raw: raw.toString(), verified: verdict.ok });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as AddressInfo).port;
  const referenceDir = referenceFolder(({ agencies }) => {
    agencies.find((a) => a.id === 'img').leadWebhookUrl = `http://127.0.0.1:${port}/lotse`;
  });
  h = await startHarness({ referenceDir, env: { LOTSE_LEAD_WEBHOOK_ALLOWLIST: `http://127.0.0.1:${port}/` } });
});
afterAll(async () => {
  await h?.close();
  receiver?.close();
});

describe('the partner webhook of a co-carer', () => {
  it('receives every step of a firm it cares for, signed, once, without anything sealed', async () => {
    failNext = 1;
    const token = await h.token(paul);
    const firm = {
      name: `Papierfabrik Weißenfels ${Date.now()} GmbH`,
      legalForm: 'GmbH',
      sector: '17.12',
      sites: [{ ags: '15084565', address: 'Am Mühlgraben 3, 06667 Weißenfels' }],
      employees: 140,
      contacts: [{ name: 'Heike Sommer', email: 'h.sommer@papier.example' }],
    };
    const res = await h.call('/v1/firms', firm, token);
    const { firmId } = await res.json();
    const concern = { topic: 'funding', handledBy: 'img', note: 'Investitionszuschuss Kesselhaus' };
    expect((await h.call(`/v1/firms/${firmId}/concerns`, concern, token)).status).toBe(200);
    await eventually(async () => {
      // A retried delivery comes after the ones behind it: the receiver orders by the step in the event's id.
      const types = received.filter((r) => r.raw.includes(firmId)).map((r) => r.type);
      expect(types.sort()).toEqual(['de.lotse.firm.concern_opened.v1', 'de.lotse.firm.firm_registered.v1']);
    }, 30_000);
    const mine = received.filter((r) => r.raw.includes(firmId));
    expect(mine.every((r) => r.verified)).toBe(true);
    expect(new Set(mine.map((r) => r.id)).size).toBe(mine.length);
    for (const secret of ['Heike Sommer', 'h.sommer', 'Kesselhaus', 'lotse:sealed']) {
      expect(mine.map((r) => r.raw).join('\n')).not.toContain(secret);
    }
  });
});
