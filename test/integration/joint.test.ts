import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enquiry, eventually, quiescent, referenceFolder, startHarness, type Harness } from '../harness.js';

/**
 * Joint handling and what managers see. Besides the real IRL–WFG agreement (votes
 * decide within 4 s, reminder after 2 s), two test agencies of their own — Gera and
 * Altenburg, with a majority rule — so that listing and figures count only what this
 * file creates.
 */

let h: Harness;
const started = new Date(Date.now() - 1000);

beforeAll(async () => {
  const dir = referenceFolder(({ agencies, agreements }) => {
    const irl = agreements.find((a) => a.id === 'irl-wfg-nordsachsen');
    irl.jointHandling.decisionWithin = 'PT4S';
    irl.jointHandling.reminderAfter = 'PT2S';
    agencies.push(
      {
        id: 'wf-gera',
        shortName: 'WF Gera',
        name: 'Wirtschaftsförderung Gera',
        level: 'municipal',
        covers: ['16052'],
        parent: 'leg',
      },
      {
        id: 'wf-altenburg',
        shortName: 'WF Altenburger Land',
        name: 'Wirtschaftsförderung Altenburger Land',
        level: 'county',
        covers: ['16077'],
        parent: 'leg',
      },
    );
    agreements.push({
      id: 'gera-altenburg',
      parties: ['wf-gera', 'wf-altenburg'],
      forwarding: { partnerResponseWithin: 'PT30S', decisionWithin: 'PT30S', reminderAfter: 'PT20S' },
      jointHandling: {
        offices: [
          { id: 'ob-gera', title: 'Oberbürgermeister der Stadt Gera', agency: 'wf-gera' },
          { id: 'landrat-altenburg', title: 'Landrat des Altenburger Landes', agency: 'wf-altenburg' },
          { id: 'gf-gera', title: 'Geschäftsführung Wirtschaftsförderung Gera', agency: 'wf-gera' },
        ],
        rule: 'majority',
        thresholds: { jobs: 300 },
        decisionWithin: 'PT30S',
        reminderAfter: 'PT20S',
      },
    });
  });
  const sites = JSON.parse(readFileSync(path.join(dir, 'sites.json'), 'utf8'));
  sites.push(
    {
      siteId: 'gera-ge-langenberg',
      agency: 'wf-gera',
      ags: '16052000',
      name: 'Gewerbegebiet Gera-Langenberg',
      areaM2: 8000,
      zoning: 'GE',
      railAccess: false,
      motorwayKm: 3,
      powerMw: 2,
      availableFrom: '2026-01-01',
    },
    {
      siteId: 'altenburg-gi-nord',
      agency: 'wf-altenburg',
      ags: '16077001',
      name: 'Industriegebiet Altenburg Nord',
      areaM2: 200000,
      zoning: 'GI',
      railAccess: true,
      motorwayKm: 8,
      powerMw: 30,
      availableFrom: '2026-01-01',
    },
  );
  writeFileSync(path.join(dir, 'sites.json'), JSON.stringify(sites));
  h = await startHarness({ referenceDir: dir });
});
afterAll(async () => h?.close());

const staff = (agency: string, roles: ('staff' | 'manager')[] = ['staff']) =>
  h.token({ agency, roles, sub: `${roles[0]}-${agency}` });
const holder = (office: string, agency: string) => h.token({ agency, roles: [], offices: [office], sub: office });

async function state(id: string, agency: string) {
  const res = await h.get(`/v1/enquiries/${id}`, await staff(agency));
  expect(res.status).toBe(200);
  return res.json();
}
const until = (id: string, agency: string, status: string, timeout = 20_000) =>
  eventually(async () => {
    const s = await state(id, agency);
    expect(s.status).toBe(status);
    return s;
  }, timeout);
async function submit(agency: string, body: ReturnType<typeof enquiry>) {
  const res = await h.post(agency, body);
  expect(res.status).toBe(202);
  return (await res.json()).enquiryId as string;
}
const vote = async (id: string, office: string, agency: string, decision: 'approve' | 'reject') =>
  h.call(`/v1/enquiries/${id}/joint-handling/votes`, { office, decision }, await holder(office, agency));
const types = async (id: string) => (await h.events(id)).map((e) => e.subject.replace('enquiry.events.', ''));

const leipzigBig = () =>
  enquiry({
    preferredLocations: ['14713000'],
    project: { jobs: 400, investmentEur: 120_000_000 },
    siteRequirements: { areaM2Min: 250_000, zoning: ['GI'], railAccess: true },
  });

describe('the vote on joint handling (IRL – WFG Nordsachsen, rule: all)', () => {
  it('Leipzig, 400 jobs, €120m, 25 ha: three votes → joint handling → WFG gets the lead → a Nordsachsen site proposed', async () => {
    const body = leipzigBig();
    const id = await submit('irl', body);
    const waiting = await until(id, 'irl', 'awaiting_joint_decision');
    expect(waiting.jointHandling).toMatchObject({
      agreementId: 'irl-wfg-nordsachsen',
      rule: 'all',
      status: 'voting',
      reached: ['jobs', 'investmentEur', 'areaM2'],
    });

    // The office holders see it among their tasks and may read it.
    const tasks = await eventually(async () => {
      const t = (await (await h.get('/v1/tasks', await holder('landrat-nordsachsen', 'wfg-nordsachsen'))).json()).items;
      expect(t.map((x: any) => x.enquiryId)).toContain(id);
      return t;
    });
    expect(tasks.find((x: any) => x.enquiryId === id)).toMatchObject({
      task: 'joint_vote',
      for: 'office:landrat-nordsachsen',
      deadline: expect.any(String),
    });
    expect((await h.get(`/v1/enquiries/${id}`, await holder('landrat-nordsachsen', 'wfg-nordsachsen'))).status).toBe(
      200,
    );

    expect((await vote(id, 'ob-leipzig', 'irl', 'approve')).status).toBe(200);
    expect((await vote(id, 'landrat-lk-leipzig', 'irl', 'approve')).status).toBe(200);
    expect((await vote(id, 'landrat-nordsachsen', 'wfg-nordsachsen', 'approve')).status).toBe(200);

    await until(id, 'irl', 'in_progress');
    // In progress at once; the sites of both parties are matched right after.
    const joint = await eventually(async () => {
      const now = await (await h.get(`/v1/enquiries/${id}`, await staff('irl'))).json();
      expect(now.matchedSites).not.toHaveLength(0);
      return now;
    });
    expect(joint.jointHandling.status).toBe('approved');
    expect(joint.handlingAgencies).toEqual(['irl', 'wfg-nordsachsen']);
    const proposed = joint.matchedSites.map((m: any) => m.agency);
    expect(proposed).toContain('wfg-nordsachsen');

    const [lead] = await eventually(async () => {
      const l = await h.leads('wfg-nordsachsen', id);
      expect(l).toHaveLength(1);
      return l;
    });
    expect(lead!.event.data.lead).toMatchObject({
      basis: 'joint_handling',
      offer: null,
      released: false,
      contact: null,
    });
    expect(JSON.stringify(lead!.event)).not.toContain(body.contact.email);

    await eventually(async () =>
      expect(await types(id)).toEqual([
        'received',
        'jurisdiction_determined',
        'joint_handling_requested',
        'joint_vote_cast',
        'joint_vote_cast',
        'joint_vote_cast',
        'joint_handling_decided',
        'lead_forwarded',
        'sites_proposed',
      ]),
    );
    const votes = (await h.settledEvents(id))
      .filter((e) => e.subject.endsWith('joint_vote_cast'))
      .map((e) => [e.event.data.office, e.event.data.decision, e.event.data.actor]);
    expect(votes).toEqual([
      ['ob-leipzig', 'approve', 'user:ob-leipzig@irl'],
      ['landrat-lk-leipzig', 'approve', 'user:landrat-lk-leipzig@irl'],
      ['landrat-nordsachsen', 'approve', 'user:landrat-nordsachsen@wfg-nordsachsen'],
    ]);
    // The history shows every vote with its actor and time.
    const timeline = await (await h.get(`/v1/enquiries/${id}/history`, await staff('irl'))).json();
    expect(timeline.filter((e: any) => e.type === 'joint_vote_cast').map((e: any) => e.actor)).toEqual(
      votes.map((v) => v[2]),
    );
    // WFG, now handling it, may close it.
    expect(
      (await h.call(`/v1/enquiries/${id}/close`, { outcome: 'withdrawn' }, await staff('wfg-nordsachsen'))).status,
    ).toBe(200);
  });

  it('one no under "all" decides at once; the enquiry takes the normal path', async () => {
    const id = await submit('irl', leipzigBig());
    await until(id, 'irl', 'awaiting_joint_decision');
    await vote(id, 'ob-leipzig', 'irl', 'approve');
    await vote(id, 'landrat-nordsachsen', 'wfg-nordsachsen', 'reject');
    const s = await until(id, 'irl', 'awaiting_forwarding_decision');
    expect(s.jointHandling.status).toBe('rejected');
    expect(s.handlingAgencies).toEqual(['irl']);
    const decided = (await h.settledEvents(id)).find((e) => e.subject.endsWith('joint_handling_decided'))!;
    expect(decided.event.data).toMatchObject({ outcome: 'reject', missing: ['landrat-lk-leipzig'] });
    expect(decided.event.data.deadlinePassed).toBeUndefined();
  });

  it('lists each office its votes, open and past, under one project name; nobody else’s (GET /v1/votes)', async () => {
    const body = leipzigBig();
    const id = await submit('irl', body);
    await until(id, 'irl', 'awaiting_joint_decision');
    const votesOf = async (token: string) => {
      const res = await h.get('/v1/votes', token);
      expect(res.status).toBe(200);
      return (await res.json()) as any[];
    };
    const ob = await holder('ob-leipzig', 'irl');
    const landrat = await holder('landrat-nordsachsen', 'wfg-nordsachsen');
    const open = await eventually(async () => {
      const list = await votesOf(ob);
      expect(list.map((e) => e.enquiryId)).toContain(id);
      return list.find((e) => e.enquiryId === id);
    });
    const theirs = (await votesOf(landrat)).find((e) => e.enquiryId === id);
    // One name for all three voters; the firm only for the offices of the agency that may see it.
    expect(theirs.projectName).toBe(open.projectName);
    expect(open.projectName).toMatch(/^Projekt /);
    expect(open.enquiry.company.name).toBe(body.company.name);
    expect(JSON.stringify(theirs)).not.toContain(body.company.name);
    expect(JSON.stringify(theirs)).not.toContain(body.contact.email);

    // Not an office holder, or an office claimed in a token of another agency: 403; another agreement's: none.
    expect((await h.get('/v1/votes', await staff('irl'))).status).toBe(403);
    expect((await h.get('/v1/votes', await holder('ob-leipzig', 'wfg-nordsachsen'))).status).toBe(403);
    expect((await votesOf(await holder('ob-gera', 'wf-gera'))).map((e) => e.enquiryId)).not.toContain(id);

    // After the vote, it stays listed, with its outcome and every vote and note.
    await h.call(
      `/v1/enquiries/${id}/joint-handling/votes`,
      { office: 'ob-leipzig', decision: 'reject', note: 'Nicht für die Region' },
      ob,
    );
    await until(id, 'irl', 'awaiting_forwarding_decision');
    const past = (await votesOf(landrat)).find((e) => e.enquiryId === id);
    expect(past.jointHandling.status).toBe('rejected');
    expect(past.jointHandling.votes).toMatchObject([{ office: 'ob-leipzig', note: 'Nicht für die Region' }]);
  });

  it('missing votes count as no at the deadline, after a reminder to each office still to vote', async () => {
    const id = await submit('irl', leipzigBig());
    await until(id, 'irl', 'awaiting_joint_decision');
    await vote(id, 'ob-leipzig', 'irl', 'approve');
    const s = await until(id, 'irl', 'awaiting_forwarding_decision', 15_000);
    expect(s.jointHandling.status).toBe('rejected');
    const events = await h.settledEvents(id);
    expect(events.filter((e) => e.subject.endsWith('reminder_due')).map((e) => e.event.data.to)).toEqual([
      'office:landrat-lk-leipzig',
      'office:landrat-nordsachsen',
    ]);
    expect(events.find((e) => e.subject.endsWith('joint_handling_decided'))!.event.data).toMatchObject({
      outcome: 'reject',
      deadlinePassed: true,
      missing: ['landrat-lk-leipzig', 'landrat-nordsachsen'],
    });
  });

  it('refuses a vote without the office, a second vote of an office and a vote after the decision; the history stays as it was', async () => {
    const id = await submit('irl', leipzigBig());
    await until(id, 'irl', 'awaiting_joint_decision');
    const handle = h.lotse.temporal.workflow.getHandle(id);
    await quiescent(handle);
    const before = (await handle.fetchHistory()).events!.length;

    // ob-leipzig's token claiming another office's vote
    const wrongOffice = await h.call(
      `/v1/enquiries/${id}/joint-handling/votes`,
      { office: 'landrat-nordsachsen', decision: 'approve' },
      await holder('ob-leipzig', 'irl'),
    );
    expect(wrongOffice.status).toBe(403);
    // staff without any office
    expect(
      (
        await h.call(
          `/v1/enquiries/${id}/joint-handling/votes`,
          { office: 'ob-leipzig', decision: 'approve' },
          await staff('irl'),
        )
      ).status,
    ).toBe(403);
    expect((await handle.fetchHistory()).events!.length).toBe(before);

    expect((await vote(id, 'ob-leipzig', 'irl', 'approve')).status).toBe(200);
    await eventually(async () => expect(await types(id)).toContain('joint_vote_cast'));
    const twice = await vote(id, 'ob-leipzig', 'irl', 'reject');
    expect(twice.status).toBe(409);
    await vote(id, 'landrat-lk-leipzig', 'irl', 'reject');
    await until(id, 'irl', 'awaiting_forwarding_decision');
    const timeline = await (await h.get(`/v1/enquiries/${id}/history`, await staff('irl'))).json();
    expect((await vote(id, 'landrat-nordsachsen', 'wfg-nordsachsen', 'approve')).status).toBe(409);
    expect(await (await h.get(`/v1/enquiries/${id}/history`, await staff('irl'))).json()).toEqual(timeline);
    expect(timeline.filter((e: any) => e.type === 'joint_vote_cast')).toHaveLength(2);
  });
});

describe('majority, staff flag, and what managers see (Gera – Altenburg)', () => {
  const ids: Record<string, string> = {};
  const gera = (o: Parameters<typeof enquiry>[0]) => enquiry({ preferredLocations: ['16052000'], ...o });

  it('settles a small project on a Gera site', async () => {
    ids.small = await submit(
      'wf-gera',
      gera({ project: { jobs: 50, investmentEur: 5_000_000 }, siteRequirements: { areaM2Min: 3_000, zoning: ['GE'] } }),
    );
    const s = await until(ids.small, 'wf-gera', 'in_progress');
    expect(s.matchedSites.map((m: any) => m.siteId)).toEqual(['gera-ge-langenberg']);
    expect(
      (await h.call(`/v1/enquiries/${ids.small}/close`, { outcome: 'settled' }, await staff('wf-gera'))).status,
    ).toBe(200);
  });

  it('forwards one to Altenburg, which accepts and settles it; the tasks show who must act', async () => {
    ids.forwarded = await submit(
      'wf-gera',
      gera({
        project: { jobs: 80, investmentEur: 20_000_000 },
        siteRequirements: { areaM2Min: 150_000, zoning: ['GI'], railAccess: true },
      }),
    );
    await until(ids.forwarded, 'wf-gera', 'awaiting_forwarding_decision');
    const staffTasks = await eventually(async () => {
      const t = (await (await h.get('/v1/tasks', await staff('wf-gera'))).json()).items;
      expect(t.map((x: any) => x.enquiryId)).toContain(ids.forwarded);
      return t;
    });
    expect(staffTasks.find((x: any) => x.enquiryId === ids.forwarded)).toMatchObject({
      task: 'forwarding_decision',
      for: 'staff:wf-gera',
    });
    expect((await (await h.get('/v1/tasks', await staff('wf-gera', ['manager']))).json()).items).toEqual([]);
    await h.call(`/v1/enquiries/${ids.forwarded}/forwarding`, { decision: 'approve' }, await staff('wf-gera'));
    await eventually(async () => {
      const t = (await (await h.get('/v1/tasks', await staff('wf-altenburg'))).json()).items;
      expect(t).toEqual([
        expect.objectContaining({ enquiryId: ids.forwarded, task: 'lead_answer', for: 'staff:wf-altenburg' }),
      ]);
    });
    expect((await h.call(`/v1/leads/${ids.forwarded}/accept`, {}, await staff('wf-altenburg'))).status).toBe(200);
    await until(ids.forwarded, 'wf-gera', 'in_progress');
    expect(
      (await h.call(`/v1/enquiries/${ids.forwarded}/close`, { outcome: 'settled' }, await staff('wf-altenburg')))
        .status,
    ).toBe(200);
  });

  it('decides by majority as soon as two of three approve, and the joint project settles', async () => {
    ids.joint = await submit(
      'wf-gera',
      gera({
        project: { jobs: 400, investmentEur: 100_000_000 },
        siteRequirements: { areaM2Min: 150_000, zoning: ['GI'], railAccess: true },
      }),
    );
    await until(ids.joint, 'wf-gera', 'awaiting_joint_decision');
    await vote(ids.joint, 'ob-gera', 'wf-gera', 'approve');
    await vote(ids.joint, 'landrat-altenburg', 'wf-altenburg', 'approve');
    await until(ids.joint, 'wf-gera', 'in_progress');
    // In progress at once; the sites of both parties are matched right after.
    const s = await eventually(async () => {
      const now = await (await h.get(`/v1/enquiries/${ids.joint}`, await staff('wf-gera'))).json();
      expect(now.matchedSites).not.toHaveLength(0);
      return now;
    });
    expect(s.jointHandling).toMatchObject({ status: 'approved', rule: 'majority' });
    expect(s.jointHandling.votes).toHaveLength(2);
    expect(s.handlingAgencies).toEqual(['wf-gera', 'wf-altenburg']);
    expect(s.matchedSites.map((m: any) => m.siteId)).toEqual(['altenburg-gi-nord']);
    expect(
      (await h.call(`/v1/enquiries/${ids.joint}/close`, { outcome: 'settled' }, await staff('wf-gera'))).status,
    ).toBe(200);
  });

  it('lets staff flag a project below the thresholds; the vote follows', async () => {
    ids.flagged = await submit(
      'wf-gera',
      gera({ project: { jobs: 20, investmentEur: 2_000_000 }, siteRequirements: { areaM2Min: 3_000, zoning: ['GE'] } }),
    );
    await until(ids.flagged, 'wf-gera', 'in_progress');
    expect(
      (await h.call(`/v1/enquiries/${ids.flagged}/joint-handling`, {}, await staff('wf-gera', ['manager']))).status,
    ).toBe(403);
    expect((await h.call(`/v1/enquiries/${ids.flagged}/joint-handling`, {}, await staff('wf-gera'))).status).toBe(200);
    const s = await until(ids.flagged, 'wf-gera', 'awaiting_joint_decision');
    expect(s.jointHandling).toMatchObject({ flaggedBy: 'user:staff-wf-gera@wf-gera', reached: [] });
    expect((await h.call(`/v1/enquiries/${ids.flagged}/joint-handling`, {}, await staff('wf-gera'))).status).toBe(409);
    await vote(ids.flagged, 'ob-gera', 'wf-gera', 'reject');
    await vote(ids.flagged, 'gf-gera', 'wf-gera', 'reject');
    const after = await until(ids.flagged, 'wf-gera', 'in_progress');
    expect(after.jointHandling.status).toBe('rejected');
    const requested = (await h.settledEvents(ids.flagged)).find((e) => e.subject.endsWith('joint_handling_requested'))!;
    expect(requested.event.data).toMatchObject({
      flaggedBy: 'user:staff-wf-gera@wf-gera',
      actor: 'user:staff-wf-gera@wf-gera',
    });
    expect(
      (await h.call(`/v1/enquiries/${ids.flagged}/close`, { outcome: 'lost' }, await staff('wf-gera'))).status,
    ).toBe(200);
  });

  it('lists the enquiries with filters and cursor pagination, from the read model', async () => {
    const manager = await staff('wf-gera', ['manager']);
    const list = async (qs: string) => {
      const res = await h.get(`/v1/enquiries?${qs}`, manager);
      expect(res.status).toBe(200);
      return res.json();
    };
    // The read model follows the workflows a moment later: all four listed, and closed.
    await eventually(async () => {
      const l = await list(`from=${started.toISOString()}`);
      expect(l.items).toHaveLength(4);
      expect(l.items.every((i: any) => i.receivedBy === 'wf-gera' && i.status === 'closed')).toBe(true);
    });
    expect((await list('significant=true')).items.map((i: any) => i.enquiryId).sort()).toEqual(
      [ids.joint, ids.flagged].sort(),
    );
    expect((await list('handlingAgency=wf-altenburg')).items.map((i: any) => i.enquiryId).sort()).toEqual(
      [ids.forwarded, ids.joint].sort(),
    );
    expect((await list('responsibleAgency=wf-gera&status=closed')).items).toHaveLength(4);
    expect((await list(`to=${started.toISOString()}`)).items).toHaveLength(0);

    const first = await list('limit=3');
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(`limit=3&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((i: any) => i.enquiryId)).size).toBe(4);

    expect((await h.get('/v1/enquiries?status=done', manager)).status).toBe(400);
    // Another agency's manager sees none of them.
    const other = await (
      await h.get(`/v1/enquiries?from=${started.toISOString()}`, await staff('leg', ['manager']))
    ).json();
    expect(other.items.filter((i: any) => Object.values(ids).includes(i.enquiryId))).toEqual([]);
  });

  it('counts the figures, the joint project once with each agency’s share', async () => {
    const q = `from=${started.toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const stats = await (await h.get(`/v1/stats?${q}`, await staff('wf-gera', ['manager']))).json();
    expect(stats).toMatchObject({
      agency: 'wf-gera',
      enquiries: 4,
      byStatus: { closed: 4 },
      byResponsibleAgency: { 'wf-gera': 4 },
      significant: 2,
      forwarding: { requested: 1, leadsForwarded: 1, accepted: 1, declined: 0, expired: 0 },
      outcomes: { settled: 3, lost: 1 },
    });
    // 50 + 80 + 400 jobs; the joint project's 400 split 200/200, never 800.
    expect(stats.settled).toEqual({
      enquiries: 3,
      jobs: 530,
      investmentEur: 125_000_000,
      byAgency: {
        'wf-gera': { enquiries: 1.5, jobs: 250, investmentEur: 55_000_000 },
        'wf-altenburg': { enquiries: 1.5, jobs: 280, investmentEur: 70_000_000 },
      },
    });
    expect(stats.medianSecondsFromReceipt.closed.count).toBe(4);
    expect(stats.medianSecondsFromReceipt.forwarding_decided.count).toBe(1);
    expect(stats.medianSecondsFromReceipt.joint_handling_decided.count).toBe(2);
    expect(stats.medianSecondsFromReceipt.jurisdiction_determined.median).toBeGreaterThanOrEqual(0);

    const altenburg = await (await h.get(`/v1/stats?${q}`, await staff('wf-altenburg', ['manager']))).json();
    expect(altenburg.enquiries).toBe(2);
    expect((await h.get(`/v1/stats?${q}`, await staff('wf-gera'))).status).toBe(403);
    expect((await h.get('/v1/stats?from=2026-12-01&to=2026-11-01', await staff('wf-gera', ['manager']))).status).toBe(
      400,
    );
  });
});
