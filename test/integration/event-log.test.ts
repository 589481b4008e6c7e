import { jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enquiryEvent } from '../../domain/events.js';
import { readStream } from '../../infra/event-log.js';
import { ensureJetStream, LOTSE_STREAMS } from '../../infra/nats.js';
import { onCluster, startHarness, type Harness } from '../harness.js';

const STREAM = 'READ_TEST';
const FIRST = 1_500;
const LATER = 700;

/** readStream (stats, export, erasure): every message once, in order, across batches and nodes. */
describe('reading a stream', () => {
  let h: Harness;
  let since: Date;

  beforeAll(async () => {
    h = await startHarness();
    const jsm = await jetstreamManager(h.lotse.nats);
    await jsm.streams.add({
      name: STREAM,
      subjects: ['readtest.>'],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      num_replicas: onCluster() ? 3 : 1,
    });
    await publish(0, FIRST);
    await new Promise((r) => setTimeout(r, 20));
    since = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await publish(FIRST, LATER);
  }, 60_000);

  afterAll(() => h?.close());

  async function publish(from: number, count: number) {
    const js = jetstream(h.lotse.nats);
    for (let i = from; i < from + count; i += 100) {
      const ids = Array.from({ length: Math.min(100, from + count - i) }, (_, k) => `e-${i + k}`);
      const events = ids.map((enquiryId) =>
        enquiryEvent({ enquiryId, step: 0, type: 'received', agency: 'irl', time: new Date(), data: {} }),
      );
      await Promise.all(events.map((e) => js.publish(`readtest.${e.subject}`, JSON.stringify(e))));
    }
  }

  it('gives every message once, in order, with its sequence, and leaves no consumer behind', async () => {
    // Several at once, as stats and exports of several people run: each has a consumer of its own.
    const reads = await Promise.all([1, 2, 3, 4].map(() => readStream(h.lotse.nats, STREAM)));
    for (const all of reads) {
      expect(all).toHaveLength(FIRST + LATER);
      expect(all.map((s) => s.seq)).toEqual(Array.from({ length: FIRST + LATER }, (_, i) => i + 1));
      expect(new Set(all.map((s) => s.event.subject)).size).toBe(FIRST + LATER);
    }
    const jsm = await jetstreamManager(h.lotse.nats);
    await expect.poll(async () => (await jsm.streams.info(STREAM)).state.consumer_count, { timeout: 5_000 }).toBe(0);
  });

  it('gives only what came since a moment', async () => {
    const later = await readStream(h.lotse.nats, STREAM, since);
    expect(later.map((s) => s.event.subject)).toEqual(Array.from({ length: LATER }, (_, i) => `e-${FIRST + i}`));
    expect(await readStream(h.lotse.nats, STREAM, new Date(Date.now() + 60_000))).toEqual([]);
  });
});

describe('setting up JetStream', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 60_000);
  afterAll(() => h?.close());

  it('waits until each stream takes a publish from this connection, and stores nothing doing so', async () => {
    const jsm = await jetstreamManager(h.lotse.nats);
    const names = LOTSE_STREAMS.map((st) => st.name);
    const states = async () => Promise.all(names.map(async (n) => (await jsm.streams.info(n)).state));
    const before = await states();
    await ensureJetStream(h.lotse.nats, onCluster() ? 3 : 1);
    const after = await states();
    for (const [i, state] of after.entries()) {
      expect(state.last_seq, names[i]).toBe(before[i]!.last_seq);
      expect(state.messages, names[i]).toBe(before[i]!.messages);
    }
  });
});
