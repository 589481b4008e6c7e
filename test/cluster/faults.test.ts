import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ENQUIRY_EVENTS_STREAM } from '../../domain/events.js';
import { loadConfig } from '../../infra/config.js';
import { connectTemporal, ensureSearchAttributes } from '../../infra/temporal.js';
import { startTemporalOnPostgres } from '../../scripts/cluster/index.js';
import type { Postgres } from '../../scripts/cluster/postgres.js';
import type { TemporalServer } from '../../scripts/cluster/temporal-server.js';
import { spawnLotse } from '../../scripts/processes.js';
import { buildServer } from '../../scripts/server-build.js';
import { freePort, stopProcess } from '../../scripts/servers.js';
import { ALL_SEARCH_ATTRIBUTES } from '../../contract/search-attributes.js';
import { startMailCatcher, type MailCatcher } from '../../scripts/mail-catcher.js';
import { enquiry, eventually, newDatabaseName, readModelUrl, startHarness, type Harness } from '../harness.js';

const STEERING_GROUP = 'steuerungsgruppe-regionalbudget@lra-nordsachsen.example';

/**
 * Faults on the production-shaped profile (npm run test:cluster), with real processes:
 * a NATS node, the worker, the Temporal server and PostgreSQL's postmaster die or stop
 * while enquiries flow. Nothing accepted is lost, nothing is doubled, nothing answers 500.
 */

const say = (line: string) => process.stderr.write(`[faults] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts enquiries as a sender does: a 503 is tried again after its Retry-After. Answers ids and how many waited. */
async function send(h: Harness, count: number, during?: { after: number; act: () => Promise<void> }) {
  const ids: string[] = [];
  let retried = 0;
  const statuses = new Set<number>();
  for (let i = 0; i < count; i += 10) {
    if (during && i === during.after) await during.act();
    const batch = Array.from({ length: Math.min(10, count - i) }, () => enquiry({ preferredLocations: ['14730310'] }));
    await Promise.all(
      batch.map(async (body) => {
        for (;;) {
          const res = await h.post('irl', body);
          statuses.add(res.status);
          if (res.status === 202 || res.status === 200) return ids.push((await res.json()).enquiryId);
          expect(res.status, await res.text()).toBe(503);
          retried++;
          await sleep(1000 * Number(res.headers.get('retry-after') ?? 1));
        }
      }),
    );
  }
  return { ids, retried, statuses };
}

/** A worker process's environment on the harness's servers (three NATS nodes), with what a test adds. */
function workerEnv(h: Harness, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    NATS_URL: h.nats.urls,
    LOTSE_DATA_DIR: h.config.dataDir,
    LOTSE_TASK_QUEUE: h.config.temporal.taskQueue,
    LOTSE_PAYLOAD_KEYS: h.config.payloadKeysFile,
    LOTSE_WEBHOOK_SECRETS: h.config.webhookSecretsFile,
    LOTSE_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    LOTSE_NATS_REPLICAS: '3',
    ...extra,
  };
}

/** Every event of the given enquiries exactly once; each at least received and jurisdiction_determined. */
async function eachOnce(h: Harness, ids: string[], timeoutMs = 60_000) {
  return eventually(
    async () => {
      const events = await h.events();
      const count = new Map<string, number>();
      for (const e of events)
        count.set(`${e.event.subject} ${e.subject}`, (count.get(`${e.event.subject} ${e.subject}`) ?? 0) + 1);
      for (const id of ids) {
        expect(count.get(`${id} enquiry.events.received`), id).toBe(1);
        expect(count.get(`${id} enquiry.events.jurisdiction_determined`), id).toBe(1);
      }
      expect([...count.values()].filter((n) => n > 1)).toEqual([]);
      return events.length;
    },
    timeoutMs,
    500,
  );
}

describe('a NATS node killed while 200 enquiries flow', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 120_000);
  afterAll(async () => h?.close());

  it('keeps the intake going, loses and doubles no event, and the node catches up', async () => {
    const cluster = h.nats.cluster!;
    const jsm = await jetstreamManager(h.lotse.nats);
    const leaderName = (await jsm.streams.info(ENQUIRY_EVENTS_STREAM)).cluster?.leader;
    const victim = cluster.nodes.find((n) => n.name === leaderName) ?? cluster.nodes[1]!;
    const started = Date.now();
    const { ids, retried } = await send(h, 200, {
      after: 50,
      act: async () => {
        say(`SIGKILL ${victim.name}, the events stream's leader`);
        victim.server.process.kill('SIGKILL');
      },
    });
    say(`200 accepted in ${((Date.now() - started) / 1000).toFixed(1)} s; ${retried} asked to retry`);
    expect(ids).toHaveLength(200);
    await victim.restart();
    const events = await eachOnce(h, ids, 90_000);
    say(`${events} events, each once; ${victim.name} restarted`);
    // The node rejoined: every replica of the stream is current again.
    await eventually(
      async () => {
        const info = await jsm.streams.info(ENQUIRY_EVENTS_STREAM);
        expect(info.cluster?.replicas?.map((r) => r.current)).toEqual([true, true]);
        expect(
          info.cluster?.replicas?.some((r) => r.name === victim.name) || info.cluster?.leader === victim.name,
        ).toBe(true);
      },
      60_000,
      500,
    );
  }, 240_000);
});

describe('the worker killed with enquiries in flight', () => {
  let h: Harness;
  const workers: ReturnType<typeof spawnLotse>[] = [];
  beforeAll(async () => {
    await buildServer();
    h = await startHarness();
    await h.stopWorker();
  }, 120_000);
  afterAll(async () => {
    for (const w of workers) await stopProcess(w);
    await h?.close();
  });

  const worker = () => {
    const child = spawnLotse('worker', workerEnv(h, { LOG_LEVEL: 'error' }));
    workers.push(child);
    return child;
  };

  it('lets every enquiry reach its next state under the next worker', async () => {
    const first = worker();
    const { ids } = await send(h, 40, {
      after: 20,
      act: async () => {
        say(`SIGKILL the worker process (pid ${first.pid})`);
        first.kill('SIGKILL');
      },
    });
    await sleep(1000);
    worker();
    await eachOnce(h, ids, 90_000);
    const irl = await h.token({ agency: 'wfg-nordsachsen' });
    for (const id of ids) {
      const state = await (await h.get(`/v1/enquiries/${id}`, irl)).json();
      expect(state.status, id).not.toBe('received');
    }
  }, 180_000);
});

describe('the worker SIGKILLed while the quarterly report waits for its mail', () => {
  let h: Harness;
  let catcher: MailCatcher | undefined;
  const database = newDatabaseName();
  const dir = mkdtempSync(path.join(tmpdir(), 'lotse-report-kill-'));
  const workers: ReturnType<typeof spawnLotse>[] = [];
  beforeAll(async () => {
    await buildServer();
    h = await startHarness({ readModelDatabase: database });
    await h.stopWorker();
  }, 120_000);
  afterAll(async () => {
    for (const w of workers) await stopProcess(w);
    await h?.close();
    await catcher?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mails the steering group exactly once with both files', async () => {
    const smtpPort = await freePort();
    const worker = () => {
      const child = spawnLotse(
        'worker',
        workerEnv(h, {
          LOTSE_READ_MODEL_URL: readModelUrl(database),
          LOTSE_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
          LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'error',
        }),
      );
      workers.push(child);
      return child;
    };
    const first = worker();
    const lra = await h.token({ agency: 'lra-nordsachsen', roles: ['manager'] });
    const period = { from: '2026-07-01', to: '2026-09-30', mail: true };
    const programme = '/v1/programmes/regionalbudget-nordsachsen/reports';
    expect((await h.call(programme, period, lra)).status).toBe(202);
    // Built and stored; its mail waits for a server that is not there yet.
    await eventually(async () => {
      const { items } = await (await h.get(programme, lra)).json();
      expect(items.map((r: { reportId: string }) => r.reportId)).toContain('2026-07-01_2026-09-30');
    }, 90_000);
    say(`SIGKILL the worker process (pid ${first.pid}) while the report's mail waits`);
    first.kill('SIGKILL');
    catcher = await startMailCatcher({ port: smtpPort, folder: path.join(dir, 'mails') });
    worker();
    const toSteering = () => catcher!.mails.filter((m) => m.to.includes(STEERING_GROUP));
    // An attempt the kill cut off is tried again after its timeout (45 s), the others within a minute.
    await eventually(async () => expect(toSteering()).toHaveLength(1), 150_000, 500);
    await sleep(5000);
    expect(toSteering()).toHaveLength(1);
    expect(toSteering()[0]!.raw).toContain('application/pdf');
  }, 300_000);
});

describe('Temporal and its PostgreSQL away', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lotse-faults-'));
  let temporal: TemporalServer;
  let postgres: Postgres;
  let h: Harness;

  beforeAll(async () => {
    // A Temporal of this file's own, on a PostgreSQL of its own: the others' tests go on meanwhile.
    chmodSync(dir, 0o755);
    ({ temporal, postgres } = await startTemporalOnPostgres(dir, {
      toolsDir: loadConfig().toolsDir,
      namespace: 'default',
      progress: say,
    }));
    const client = await connectTemporal(temporal.address, 'default');
    await ensureSearchAttributes(client, ALL_SEARCH_ATTRIBUTES).finally(() => client.connection.close());
    h = await startHarness({ temporalAddress: temporal.address });
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    await temporal?.stop();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while Temporal is stopped for 20 s, and resumes every enquiry taken in', async () => {
    const before = await send(h, 20);
    say('stopping the Temporal server for 20 s');
    await temporal.stop();
    const down = Date.now();
    const refused: string[] = [];
    while (Date.now() - down < 20_000) {
      const body = enquiry({ preferredLocations: ['14730310'] });
      const res = await h.post('irl', body);
      expect(res.status, await res.clone().text()).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      refused.push(body.externalRef);
      await sleep(2000);
    }
    say(`${refused.length} intakes refused with 503 while it was down; starting it again`);
    await temporal.restart();
    await eachOnce(h, before.ids, 120_000);
    // Nothing of the refused ones was started: no event names them.
    const subjects = new Set((await h.events()).map((e) => e.event.subject));
    expect(subjects.size).toBe(before.ids.length);
  }, 240_000);

  it('loses nothing accepted when PostgreSQL’s postmaster is killed and started again', async () => {
    const { ids, retried } = await send(h, 40, {
      after: 20,
      act: async () => {
        say(`SIGKILL PostgreSQL's postmaster (pid ${postgres.pid()})`);
        process.kill(postgres.pid(), 'SIGKILL');
        // Its backends notice and exit; until they have, the shared memory keeps a new start out.
        await eventually(() => postgres.start(), 30_000, 1000);
        say('PostgreSQL started again');
      },
    });
    say(`40 accepted; ${retried} asked to retry meanwhile`);
    await eachOnce(h, ids, 120_000);
  }, 240_000);
});
