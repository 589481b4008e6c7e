import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kvm } from '@nats-io/kv';
import { PEOPLE_BUCKET } from '../../infra/nats.js';
import { enquiry, eventually, startHarness, type Harness } from '../harness.js';

/**
 * Claim and assign (issue 32): staff take an enquiry's task, hand it back or give it to a
 * colleague of their agency; Aufgaben, the Anfrage and the Verlauf name the assignee; a
 * decision by someone else is recorded as such. Display names come from the tokens and stay
 * out of the events and the read model.
 */

let h: Harness;
let id: string;
const anna = { agency: 'irl', sub: 'anna.berger', name: 'Anna Berger' };
const tobias = { agency: 'irl', sub: 'tobias.neumann', name: 'Tobias Neumann' };
const tokenOf = (p: { agency: string; sub: string; name?: string }) => h.token(p);

const assign = async (who: typeof anna, assignee: string | null, enquiryId = id) => {
  const res = await h.call(`/v1/enquiries/${enquiryId}/assignee`, { assignee }, await tokenOf(who));
  return { status: res.status, body: await res.json() };
};
const tasks = async (who: typeof anna, query = '') =>
  (await (await h.get(`/v1/tasks${query}`, await tokenOf(who))).json()) as {
    items: { enquiryId: string; assignee: { id: string; name?: string } | null }[];
    total: number;
  };
const taskOf = async (who: typeof anna, query = '', enquiryId = id) =>
  (await tasks(who, query)).items.find((t) => t.enquiryId === enquiryId);

// No own site fits: IRL's staff decide on forwarding, a task of staff:irl.
const noOwnSite = {
  preferredLocations: ['14713000'],
  siteRequirements: { areaM2Min: 90_000, zoning: ['GI' as const], railAccess: true },
};

beforeAll(async () => {
  h = await startHarness();
  id = (await (await h.post('irl', enquiry({ ...noOwnSite, externalRef: `assign-${Date.now()}` }))).json()).enquiryId;
  await eventually(async () => expect(await taskOf(anna)).toBeDefined(), 60_000);
  // Tobias signs in once: from then on Lotse knows his name, and his colleagues can give him a task.
  expect((await h.get('/v1/tasks', await tokenOf(tobias))).status).toBe(200);
}, 120_000);
afterAll(async () => h?.close());

describe('taking a task', () => {
  it('lists the colleagues Lotse knows, by name, the caller marked', async () => {
    const res = await h.get('/v1/people', await tokenOf(anna));
    expect(res.status).toBe(200);
    const items = (await res.json()).items as { id: string; name: string; me: boolean }[];
    expect(items.filter((p) => p.id === anna.sub || p.id === tobias.sub)).toEqual([
      { id: anna.sub, name: 'Anna Berger', me: true },
      { id: tobias.sub, name: 'Tobias Neumann', me: false },
    ]);
    const wfg = await h.get('/v1/people', await tokenOf({ agency: 'wfg-nordsachsen', sub: 'jonas', name: 'Jonas' }));
    expect(((await wfg.json()).items as { id: string }[]).map((p) => p.id)).not.toContain(anna.sub);
  });

  it('shows who took it on the Anfrage, in Aufgaben for the colleague, and in the Verlauf', async () => {
    const taken = await assign(anna, anna.sub);
    expect(taken.status).toBe(200);
    expect(taken.body.assignees.irl).toMatchObject({ sub: anna.sub, name: 'Anna Berger', by: 'user:anna.berger@irl' });
    await eventually(async () =>
      expect((await taskOf(tobias))?.assignee).toEqual({ id: anna.sub, name: 'Anna Berger' }),
    );
    expect(await taskOf(tobias, '?assignee=me')).toBeUndefined();
    expect(await taskOf(anna, '?assignee=me')).toBeDefined();
    const mine = await tasks(anna, '?assignee=me');
    expect(mine.total).toBe(mine.items.length);

    const given = await assign(anna, tobias.sub);
    expect(given.body.assignees.irl).toMatchObject({ sub: tobias.sub, name: 'Tobias Neumann' });
    const history = (await (await h.get(`/v1/enquiries/${id}/history`, await tokenOf(tobias))).json()) as {
      type: string;
      actorName?: string;
      assigneeName?: string;
      detail: { assignee?: string | null };
    }[];
    const steps = history.filter((x) => x.type === 'task_assigned');
    expect(steps.map((x) => [x.actorName, x.detail.assignee, x.assigneeName])).toEqual([
      ['Anna Berger', anna.sub, 'Anna Berger'],
      ['Anna Berger', tobias.sub, 'Tobias Neumann'],
    ]);
  });

  it('records a decision by someone other than the assignee as such', async () => {
    const res = await h.call(`/v1/enquiries/${id}/forwarding`, { decision: 'reject' }, await tokenOf(anna));
    expect(res.status).toBe(200);
    const history = (await (await h.get(`/v1/enquiries/${id}/history`, await tokenOf(anna))).json()) as {
      type: string;
      actorName?: string;
      assigneeName?: string;
      detail: { assignee?: string };
    }[];
    const decided = history.find((x) => x.type === 'forwarding_decided')!;
    expect(decided).toMatchObject({ actorName: 'Anna Berger', assigneeName: 'Tobias Neumann' });
    expect(decided.detail.assignee).toBe(tobias.sub);
  });

  it('refuses a stranger as assignee, and a stranger to the enquiry learns nothing', async () => {
    const unknown = await assign(anna, 'nobody-we-know');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'assignee', message: expect.any(String) }]);
    const wfg = { agency: 'wfg-nordsachsen', sub: 'jonas', name: 'Jonas' };
    // Known to Lotse (he signed in), but of another agency: no colleague of Anna's.
    expect((await h.get('/v1/tasks', await tokenOf(wfg))).status).toBe(200);
    expect((await assign(anna, wfg.sub)).status).toBe(400);
    expect((await assign(wfg, wfg.sub)).status).toBe(404);
    expect((await assign(wfg, 'nobody-we-know')).status).toBe(404);
    const img = { agency: 'img', sub: 'lea', name: 'Lea' };
    expect((await assign(img, img.sub, 'irl-0000000000000000000000')).status).toBe(404);
  });

  it('shows a partner neither who of IRL has the task nor its steps', async () => {
    const sent = await h.post('irl', enquiry({ ...noOwnSite, externalRef: `partner-${Date.now()}` }));
    const other = (await sent.json()).enquiryId as string;
    // Taken once IRL's staff have the forwarding decision.
    await eventually(async () => expect((await taskOf(anna, '', other))?.enquiryId).toBe(other), 60_000);
    expect((await assign(anna, anna.sub, other)).status).toBe(200);
    const irl = await tokenOf(anna);
    expect(
      (await h.call(`/v1/enquiries/${other}/forwarding`, { decision: 'approve', partners: ['wfg-nordsachsen'] }, irl))
        .status,
    ).toBe(200);
    const jonas = await tokenOf({ agency: 'wfg-nordsachsen', sub: 'jonas', name: 'Jonas' });
    const view = await (await h.get(`/v1/enquiries/${other}`, jonas)).json();
    expect(view.assignees).toEqual({});
    const raw = await (await h.get(`/v1/enquiries/${other}/history`, jonas)).text();
    // Who decided the forwarding the partner reads (the step is IRL's to it); who had the task, not.
    expect(raw).not.toContain('task_assigned');
    expect(raw).not.toContain('"assignee');
  });

  it('hands back: nobody has it, and the names stay out of events and the read model', async () => {
    const back = await assign(tobias, null);
    expect(back.status).toBe(200);
    expect(back.body.assignees).toEqual({});
    const events = await h.settledEvents(id);
    const raw = JSON.stringify(events);
    expect(raw).toContain(anna.sub);
    expect(raw).not.toContain('Anna Berger');
    expect(raw).not.toContain('Tobias Neumann');
    await h.lotse.readModel!.caughtUp();
    const db = h.lotse.readModel!.db;
    const row = await db.selectFrom('enquiries').selectAll().where('enquiry_id', '=', id).executeTakeFirst();
    expect(JSON.stringify(row)).not.toContain('Anna Berger');
    const kv = await new Kvm(h.lotse.nats).open(PEOPLE_BUCKET);
    // The one place the names are kept: the people directory, by agency and subject.
    const entry = await kv.get(`irl.${Buffer.from(anna.sub).toString('base64url')}`);
    expect(entry?.json()).toMatchObject({ sub: anna.sub, agency: 'irl', name: 'Anna Berger' });
  });
});
