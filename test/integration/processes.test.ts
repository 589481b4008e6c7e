import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readEventsSince } from '../../infra/event-log.js';
import { signedHeaders } from '../../infra/webhook-signature.js';
import { memoryOf, spawnLotse } from '../../scripts/processes.js';
import { buildServer } from '../../scripts/server-build.js';
import { freePort, startNats, stopProcess, type RunningServer } from '../../scripts/servers.js';
import { enquiry, eventually, newDatabaseName, readModelUrl } from '../harness.js';

/** The built server (`node dist/lotse.js all`), as a small VM runs it: api and worker in one process. */
describe('Lotse as one built process', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-process-'));
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  let nats: RunningServer;
  let lotse: ReturnType<typeof spawnLotse>;
  let base: string;

  beforeAll(async () => {
    await buildServer();
    nats = await startNats({
      binary: inject('natsServerBinary'),
      port: await freePort(),
      storeDir: path.join(dataDir, 'nats'),
      logFile: path.join(dataDir, 'nats-server.log'),
    });
    writeFileSync(path.join(dataDir, 'secrets.json'), JSON.stringify({ irl: secret }));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    lotse = spawnLotse('all', {
      ...process.env,
      PORT: String(port),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      NATS_URL: `nats://127.0.0.1:${nats.port}`,
      LOTSE_READ_MODEL_URL: readModelUrl(newDatabaseName()),
      LOTSE_DATA_DIR: dataDir,
      LOTSE_WEBHOOK_SECRETS: path.join(dataDir, 'secrets.json'),
      LOTSE_TASK_QUEUE: `process-test-${randomUUID()}`,
      LOTSE_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      // One nats-server of its own, whatever the run's profile.
      LOTSE_PROFILE: 'dev',
      LOTSE_NATS_REPLICAS: '1',
      LOG_LEVEL: 'error',
    });
    await eventually(async () => expect((await fetch(`${base}/readyz`)).status).toBe(200), 30_000, 200);
  }, 60_000);

  afterAll(async () => {
    if (lotse) await stopProcess(lotse);
    await nats?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes in an enquiry and works it to its first events, then reports its memory', async () => {
    const since = new Date();
    const raw = JSON.stringify(enquiry({ preferredLocations: ['14713000'] }));
    const res = await fetch(`${base}/v1/webhooks/irl/enquiries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(secret, `msg_${randomUUID()}`, raw) },
      body: raw,
    });
    expect(res.status).toBe(202);
    const { enquiryId } = await res.json();
    const nc = await connect({ servers: `nats://127.0.0.1:${nats.port}` });
    try {
      await eventually(async () => {
        const types = (await readEventsSince(nc, since)).filter((e) => e.subject === enquiryId).map((e) => e.type);
        expect(types).toContain('de.lotse.enquiry.jurisdiction_determined.v1');
      }, 30_000);
    } finally {
      await nc.close();
    }
    const memory = await memoryOf(lotse);
    expect(memory.rss).toBeGreaterThan(memory.heapUsed);
    expect(memory.heapUsed).toBeGreaterThan(0);
  }, 60_000);
});
