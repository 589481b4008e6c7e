import { headers as natsHeaders } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModel, type ReadModel } from '../../infra/read-model/index.js';
import { figures } from '../../infra/read-model/figures.js';
import { listEnquiries, listTasks } from '../../infra/read-model/queries.js';
import { completeOlder } from '../../infra/read-model/older.js';
import { applyEvents } from '../../infra/read-model/projector.js';
import { enquiryEvent } from '../../domain/events.js';
import type { EnquirySummary } from '../../domain/summary.js';
import { createLogger } from '../../infra/logger.js';
import { sql } from 'kysely';
import { fromRow } from '../../infra/read-model/rows.js';
import { recount } from '../../infra/read-model/counters.js';
import { berlinDay, berlinMidnight, nextDay } from '../../domain/stats.js';
import { figuresOf, tally } from '../../domain/tally.js';
import { statusesFor } from '../../domain/tasks.js';
import { codeName } from '../../domain/redaction.js';
import { enquiry, eventually, newDatabaseName, readModelUrl, startHarness, type Harness } from '../harness.js';

/**
 * The read model (infra/read-model/): fed by the event stream, exactly once by event id,
 * rebuildable from the stream, never listing an older status than the enquiry's own, and
 * no request of one caller holding up another's.
 */

let h: Harness;
const year = { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2099-01-01T00:00:00Z') };
// No own site fits (90,000 m² with rail in Leipzig): IRL's staff decide on forwarding.
const noOwnSite = {
  preferredLocations: ['14713000'],
  siteRequirements: { areaM2Min: 90_000, zoning: ['GI' as const], railAccess: true },
};
const sitesFit = {
  preferredLocations: ['14730'],
  siteRequirements: { areaM2Min: 50_000, zoning: ['GI' as const], railAccess: true },
};

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const send = async (body: Parameters<typeof enquiry>[0]) => {
  const res = await h.post('irl', enquiry(body));
  expect([202, 200]).toContain(res.status);
  return (await res.json()).enquiryId as string;
};
const detail = async (id: string) =>
  await (await h.get(`/v1/enquiries/${id}`, await h.token({ agency: 'irl' }))).json();

/** Every enquiry IRL may list, page by page through the API. */
async function listedByIrl(limit = 200) {
  const token = await h.token({ agency: 'irl', roles: ['staff', 'manager'] });
  const all: { enquiryId: string; status: string; codeName: string }[] = [];
  let cursor: string | null = null;
  do {
    const query = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await h.get(`/v1/enquiries${query}`, token);
    const page = await res.json();
    expect(res.status, JSON.stringify(page)).toBe(200);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

describe('the read model', () => {
  it('never lists an older status than the enquiry’s own, after a burst', async () => {
    const ids = await Promise.all(Array.from({ length: 150 }, (_, i) => send(i % 3 === 0 ? sitesFit : noOwnSite)));
    // Each enquiry's own status, once its workflow rests where a person is awaited.
    const own = new Map<string, string>();
    await eventually(async () => {
      for (const id of ids.filter((i) => !own.has(i))) {
        const { status } = await detail(id);
        if (status === 'in_progress' || status === 'awaiting_forwarding_decision') own.set(id, status);
      }
      expect(own.size).toBe(ids.length);
    }, 120_000);
    await h.lotse.readModel!.caughtUp();
    const items = await listedByIrl(37);
    expect(items.every((e) => e.codeName === codeName(e.enquiryId))).toBe(true);
    const listed = new Map(items.map((e) => [e.enquiryId, e.status]));
    for (const id of ids) expect(listed.get(id), id).toBe(own.get(id));
  }, 240_000);

  it('pages the tasks with the count of all of them', async () => {
    const token = await h.token({ agency: 'irl', roles: ['staff'] });
    const first = await (await h.get('/v1/tasks?limit=7', token)).json();
    expect(first.total).toBe(100);
    const all = [...first.items];
    for (let cursor = first.nextCursor; cursor;) {
      const page = await (await h.get(`/v1/tasks?limit=7&cursor=${encodeURIComponent(cursor)}`, token)).json();
      all.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(all).toHaveLength(100);
    expect(new Set(all.map((t) => t.enquiryId)).size).toBe(100);
    expect(all.every((t) => t.task === 'forwarding_decision' && t.for === 'staff:irl')).toBe(true);
    // Named by the project's code name, as every partner and office names it too.
    expect(all.every((t) => t.codeName === codeName(t.enquiryId))).toBe(true);
    const deadlines = all.map((t) => t.deadline);
    expect(deadlines).toEqual([...deadlines].sort());
    const leads = await (await h.get('/v1/tasks?task=lead_answer', token)).json();
    expect(leads).toMatchObject({ items: [], total: 0 });
  });

  it('applies an event delivered twice once', async () => {
    const id = await send(noOwnSite);
    await eventually(async () => expect((await detail(id)).status).toBe('awaiting_forwarding_decision'));
    await h.lotse.readModel!.caughtUp();
    // The enquiry's own page says whether the lists show it as it is.
    expect((await detail(id)).listed).toEqual({ status: 'awaiting_forwarding_decision', current: true });
    const before = await rowOf(h.lotse.readModel!, id);
    // The same event stored again under another message id (a publisher that lost its dedupe window).
    const events = await h.events(id, { statusChanges: true });
    const js = jetstream(h.lotse.nats);
    for (const e of events) {
      const hdrs = natsHeaders();
      hdrs.set('Nats-Msg-Id', `${e.event.id}.again`);
      await js.publish(e.subject, JSON.stringify(e.event), { headers: hdrs });
    }
    await h.lotse.readModel!.caughtUp();
    expect(await rowOf(h.lotse.readModel!, id)).toEqual(before);
    const applied = await h.lotse
      .readModel!.db.selectFrom('applied_events')
      .select('event_id')
      .where('event_id', 'like', `${id}.%`)
      .execute();
    expect(applied).toHaveLength(events.length);
  });

  it('is rebuilt from the stream alone, with identical answers', async () => {
    const today = berlinDay(new Date());
    const yesterday = berlinDay(new Date(berlinMidnight(today).getTime() - 3600_000));
    const rebuilt = await openReadModel({
      url: readModelUrl(newDatabaseName()),
      nats: h.lotse.nats,
      logger: createLogger('silent'),
      replicas: h.config.natsReplicas,
    });
    try {
      await h.lotse.readModel!.caughtUp();
      await rebuilt.caughtUp();
      const answers = async (m: ReadModel) => ({
        rows: await m.db.selectFrom('enquiries').selectAll().orderBy('enquiry_id').execute(),
        listing: await listEnquiries(m.db, { visibleTo: 'irl' }, 500),
        tasks: await listTasks(m.db, { mine: ['staff:irl', 'manager:irl'], statuses: statusesFor() }, 500),
        figures: await figures(m.db, 'irl', year.from, year.to),
        // Days rather than months: yesterday and today in Berlin.
        days: await figures(m.db, 'irl', berlinMidnight(yesterday), berlinMidnight(nextDay(today))),
        counters: await sql`select agency, span, start, key, n from figure_counts where n <> 0
          order by agency, span, start, key`.execute(m.db),
        taskCounts: await sql`select who, status, n from task_counts where n <> 0 order by who, status`.execute(m.db),
      });
      const [was, now] = [await answers(h.lotse.readModel!), await answers(rebuilt)];
      expect(now.rows.length).toBeGreaterThan(150);
      expect(now).toEqual(was);
      // The counters, kept step by step, say what the rows as they now stand add up to.
      const fromRows = new Map<string, number>();
      for (const t of now.rows.map(fromRow).flatMap(tally)) {
        if (t.agency === 'irl') fromRows.set(t.key, (fromRows.get(t.key) ?? 0) + t.n);
      }
      const { receivedByMonth, ...counted } = now.figures;
      const { receivedByMonth: _, ...added } = figuresOf(fromRows, {});
      expect(counted).toEqual(added);
      expect(Object.values(receivedByMonth).reduce((a, b) => a + b, 0)).toBe(now.figures.enquiries);
      expect(now.tasks.total).toBe(now.tasks.rows.length);
      expect(now.days.enquiries).toBeGreaterThan(0);
      // What the migration that brought the counters did to a store that had rows: counted from them, the same.
      await recount(rebuilt.db);
      const recounted = await answers(rebuilt);
      expect({ ...recounted, rows: [] }).toEqual({ ...now, rows: [] });
    } finally {
      await rebuilt.stop();
    }
  });

  it('refuses a period longer than ten years, and a page larger than 200', async () => {
    const manager = await h.token({ agency: 'irl', roles: ['manager'] });
    const long = await h.get('/v1/stats?from=1970-01-01&to=9999-12-31', manager);
    expect(long.status).toBe(400);
    expect(long.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await long.json()).errors).toEqual([expect.objectContaining({ path: 'to' })]);
    expect((await h.get('/v1/enquiries?limit=201', manager)).status).toBe(400);
    expect((await h.get('/v1/tasks?limit=1000', manager)).status).toBe(400);
    expect((await h.get('/v1/tasks?cursor=abc.def', manager)).status).toBe(400);
  });

  it('keeps answering another caller while the heaviest allowed requests run', async () => {
    const manager = await h.token({ agency: 'irl', roles: ['manager', 'staff'] });
    const other = await h.token({ agency: 'wfg-nordsachsen', roles: ['staff'] });
    const heavy = Array.from({ length: 40 }, (_, i) =>
      h.get(i % 2 ? '/v1/stats?from=2017-01-01&to=2026-12-31' : '/v1/enquiries?limit=200&from=2000-01-01', manager),
    );
    const light: Response[] = [];
    const lightOnes = (async () => {
      for (let i = 0; i < 40; i++) light.push(await h.get('/v1/tasks?limit=5', other));
    })();
    const answered = await Promise.all(heavy);
    await lightOnes;
    expect(answered.map((r) => r.status)).toEqual(answered.map(() => 200));
    expect(light.map((r) => r.status)).toEqual(light.map(() => 200));
  });
});

describe('an enquiry started before 1.1 (no summaries)', () => {
  it('is listed with its newest status, and completed by what its workflow answers', async () => {
    const db = h.lotse.readModel!.db;
    const id = 'irl-0000000000000000older';
    const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, s));
    const event = (step: number, type: 'received' | 'forwarding_requested', data: Record<string, unknown>) => ({
      seq: 1_000_000 + step,
      event: enquiryEvent({ enquiryId: id, step, type, agency: 'irl', time: at(step), data }),
    });
    const changes = await applyEvents(db, [
      event(1, 'received', { status: 'received', receivedBy: 'irl', kind: 'expansion' }),
      event(3, 'forwarding_requested', { status: 'awaiting_forwarding_decision' }),
    ]);
    expect(changes).toEqual([{ enquiryId: id, types: ['received', 'forwarding_requested'], olderAt: 3 }]);
    expect(await rowOf(h.lotse.readModel!, id)).toMatchObject({
      status: 'awaiting_forwarding_decision',
      agencies: ['irl'],
      waiting_on: [],
    });
    const due = '2026-12-03T09:00:00.000Z';
    const asked: string[] = [];
    await completeOlder(db, changes, async (enquiryId) => {
      asked.push(enquiryId);
      return { ...summaryLike(), deadlines: [{ kind: 'forwarding_decision', due, who: 'staff:irl' }] };
    });
    expect(asked).toEqual([id]);
    const row = await rowOf(h.lotse.readModel!, id);
    expect(row).toMatchObject({ as_of: 0, status: 'awaiting_forwarding_decision', waiting_on: ['staff:irl'] });
    expect(row.deadline?.toISOString()).toBe(due);
    // An answer that comes after a newer step was folded changes nothing: that step asks again.
    await applyEvents(db, [event(4, 'received', { status: 'in_progress' })]);
    await completeOlder(db, changes, async () => ({ ...summaryLike(), status: 'closed' }));
    expect((await rowOf(h.lotse.readModel!, id)).status).toBe('in_progress');
  });
});

function summaryLike(): EnquirySummary {
  return {
    asOf: 1,
    status: 'awaiting_forwarding_decision',
    kind: 'expansion',
    receivedBy: 'irl',
    receivedAt: '2026-12-01T09:00:01.000Z',
    responsibleAgency: 'irl',
    agencies: ['irl'],
    handlingAgencies: ['irl'],
    leadPartners: [],
    significant: false,
    offices: [],
    deadlines: [],
    outcome: null,
    places: ['14713000'],
    jobs: 10,
    investmentEur: 1,
  };
}

async function rowOf(m: ReadModel, id: string) {
  return m.db.selectFrom('enquiries').selectAll().where('enquiry_id', '=', id).executeTakeFirstOrThrow();
}
