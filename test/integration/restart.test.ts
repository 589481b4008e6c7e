import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENQUIRY_WORKFLOW } from '../../contract/enquiry-workflow.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/logger.js';
import { startLotse } from '../../app/lotse.js';
import { signedHeaders } from '../../infra/webhook-signature.js';
import { freePort } from '../../scripts/servers.js';
import { startStack } from '../../scripts/stack.js';
import { enquiry, eventually, startHarness, type Harness } from '../harness.js';

describe('a stopped worker', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('loses nothing: enquiries taken in while it is down go on when it is back, waiting ones keep waiting', async () => {
    const staff = await h.token({ agency: 'irl' });
    const { enquiryId: waiting } = await (await h.post('irl', enquiry({ preferredLocations: ['14713000'] }))).json();
    await eventually(async () =>
      expect((await (await h.get(`/v1/enquiries/${waiting}`, staff)).json()).status).toBe('in_progress'),
    );
    expect(await h.settledEvents(waiting)).toHaveLength(2);

    await h.stopWorker();
    const ids: string[] = [];
    for (const location of ['14730310', '15084590', '16051000']) {
      const res = await h.post('irl', enquiry({ preferredLocations: [location] }));
      expect(res.status).toBe(202);
      ids.push((await res.json()).enquiryId);
    }
    await new Promise((r) => setTimeout(r, 1000));
    for (const id of ids) expect(await h.events(id)).toHaveLength(0);

    await h.restartWorker();
    const responsible = await Promise.all(
      ids.map((id) =>
        eventually(async () => {
          const res = await h.get(`/v1/enquiries/${id}`, staff);
          const state = await res.json();
          expect(state.status).toBe('in_progress');
          return state.responsibleAgency;
        }),
      ),
    );
    expect(responsible).toEqual(['wfg-nordsachsen', 'wf-burgenlandkreis', 'leg']);
    for (const id of [waiting, ...ids])
      expect((await h.events(id)).map((e) => e.subject)).toEqual([
        'enquiry.events.received',
        'enquiry.events.jurisdiction_determined',
      ]);
    expect((await (await h.get(`/v1/enquiries/${waiting}`, staff)).json()).status).toBe('in_progress');
  });

  it('does not start beside enquiries from before 1.0 (open or closed), says how to reset, starts once they are gone', async () => {
    await h.stopWorker();
    // As the code before 1.0 started them: no LotseRelease; with no worker, it stays open.
    const before = await h.lotse.temporal.workflow.start(ENQUIRY_WORKFLOW, {
      workflowId: 'irl-before-1-0',
      taskQueue: h.config.temporal.taskQueue,
      args: [{ enquiryId: 'irl-before-1-0', receivedBy: 'irl' }],
    });
    await eventually(async () => {
      const refusal = await h.restartWorker().then(
        () => null,
        (err: Error) => err,
      );
      expect(refusal?.message).toMatch(/holds 1 enquiry started before Lotse 1\.0 \(irl-before-1-0\)/);
      expect(refusal?.message).toContain('delete its data folder (LOTSE_DATA_DIR');
      expect(refusal?.message).toMatch(/temporal workflow delete --address \S+ --namespace \S+ --query "TaskQueue = /);
    });
    // A 1.0 enquiry beside it counts for nothing.
    expect((await h.post('irl', enquiry({ preferredLocations: ['14713000'] }))).status).toBe(202);
    // Closed, it still could not be read: every query replays its history.
    await before.terminate('cut of Lotse 1.0');
    await expect(h.restartWorker()).rejects.toThrow(/started before Lotse 1\.0/);
    // Deleted once its close is visible (deleting it before, the close's record would come back).
    const closed = `WorkflowId = '${before.workflowId}' AND ExecutionStatus = 'Terminated'`;
    await eventually(async () => expect((await h.lotse.temporal.workflow.count(closed)).count).toBe(1));
    const { namespace } = h.lotse.temporal.options;
    const workflowExecution = { workflowId: before.workflowId };
    await h.lotse.temporal.workflowService.deleteWorkflowExecution({ namespace, workflowExecution });
    // Temporal removes its record from visibility in the background (about 20 s on PostgreSQL here).
    const gone = `WorkflowId = '${before.workflowId}'`;
    await eventually(async () => expect((await h.lotse.temporal.workflow.count(gone)).count).toBe(0), 90_000, 500);
    await eventually(() => h.restartWorker());
  }, 150_000);

  it('a NATS outage delays events but never drops or doubles them; intake asks senders to retry', async () => {
    const staff = await h.token({ agency: 'irl' });
    const res = await h.post('irl', enquiry({ preferredLocations: ['14729050'] }));
    const { enquiryId } = await res.json();
    await eventually(async () => expect(await h.events(enquiryId)).toHaveLength(2), 30_000);
    let refused: Response | undefined;
    await h.withNatsDown(async () => {
      // The enquiry's data key lives on NATS: without it nothing is taken in, and nothing is started.
      refused = await h.post('irl', enquiry({ preferredLocations: ['14729050'] }));
      // Closing publishes an event: it waits for NATS, long enough for several failed publish attempts.
      const closed = await h.call(`/v1/enquiries/${enquiryId}/close`, { outcome: 'settled' }, staff);
      expect(closed.status).toBe(200);
      await new Promise((r) => setTimeout(r, 3000));
    });
    expect(refused!.status).toBe(503);
    expect(refused!.headers.get('retry-after')).not.toBeNull();
    const events = await eventually(async () => {
      const e = await h.events(enquiryId);
      expect(e).toHaveLength(3);
      return e;
    }, 40_000);
    expect(events.map((e) => e.subject)).toEqual([
      'enquiry.events.received',
      'enquiry.events.jurisdiction_determined',
      'enquiry.events.closed',
    ]);
  });
});

describe('npm start restarted on the same data folder', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotse-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every enquiry and every event', async () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    writeFileSync(path.join(dataDir, 'secrets.json'), JSON.stringify({ wfs: secret }));
    const config = loadConfig({
      LOTSE_DATA_DIR: dataDir,
      LOTSE_TEMPORAL_PORT: String(await freePort()),
      LOTSE_TEMPORAL_UI_PORT: String(await freePort()),
      LOTSE_NATS_PORT: String(await freePort()),
      LOTSE_WEBHOOK_SECRETS: path.join(dataDir, 'secrets.json'),
      LOTSE_TASK_QUEUE: 'restart-test',
      LOG_LEVEL: 'error',
    });
    const logger = createLogger('error');
    const run = async <T>(body: (baseUrl: string, lotse: Awaited<ReturnType<typeof startLotse>>) => Promise<T>) => {
      const stack = await startStack(config, () => {});
      const lotse = await startLotse({
        config,
        logger,
        temporalAddress: stack.temporalAddress,
        natsUrl: stack.natsUrl,
        readModelUrl: stack.readModelUrl,
        run: { api: true, worker: true },
      });
      try {
        return await body(await lotse.api!.listen({ port: 0, host: '127.0.0.1' }), lotse);
      } finally {
        await lotse.stop();
        await stack.stop();
      }
    };
    const submission = enquiry({ preferredLocations: ['14628060'] });
    const raw = JSON.stringify(submission);
    const post = (baseUrl: string) =>
      fetch(`${baseUrl}/v1/webhooks/wfs/enquiries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedHeaders(secret, 'msg_1', raw) },
        body: raw,
      });

    const before = await run(async (baseUrl, lotse) => {
      const res = await post(baseUrl);
      expect(res.status).toBe(202);
      const { enquiryId } = await res.json();
      const handle = lotse.temporal.workflow.getHandle(enquiryId);
      await eventually(async () =>
        expect((await handle.query<{ status: string }>('state')).status).toBe('in_progress'),
      );
      return { enquiryId, seeded: lotse.seededSites };
    });
    expect(before.seeded).toBeGreaterThanOrEqual(25);

    await run(async (baseUrl, lotse) => {
      expect(lotse.seededSites).toBe(0);
      const again = await post(baseUrl);
      expect(again.status).toBe(200);
      expect((await again.json()).enquiryId).toBe(before.enquiryId);
      const state = await lotse.temporal.workflow
        .getHandle(before.enquiryId)
        .query<{ status: string; responsibleAgency: string }>('state');
      expect(state).toMatchObject({ status: 'in_progress', responsibleAgency: 'kks-osterzgebirge' });
      const { jetstreamManager } = await import('@nats-io/jetstream');
      // Events still waiting to publish at the stop go out after the restart, once each: received,
      // jurisdiction_determined, and status_changed (no partner to forward to: in progress).
      const jsm = await jetstreamManager(lotse.nats);
      await eventually(async () => expect((await jsm.streams.info('ENQUIRY_EVENTS')).state.messages).toBe(3));
      await new Promise((r) => setTimeout(r, 500));
      expect((await jsm.streams.info('ENQUIRY_EVENTS')).state.messages).toBe(3);
      // The read model kept its rows in the data folder's PostgreSQL, and applied nothing twice.
      await lotse.readModel!.caughtUp();
      const row = await lotse
        .readModel!.db.selectFrom('enquiries')
        .select(['status', 'responsible_agency'])
        .where('enquiry_id', '=', before.enquiryId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'in_progress', responsible_agency: 'kks-osterzgebirge' });
      const applied = await lotse.readModel!.db.selectFrom('applied_events').select('event_id').execute();
      expect(applied).toHaveLength(3);
    });
  });
});
