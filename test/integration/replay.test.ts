import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { reportWorkflowId } from '../../contract/report-workflow.js';
import { encryptedDataConverter, KeyRingCodec, loadKeyRing } from '../../infra/payload-codec.js';
import { enquiry, eventually, referenceFolder, startHarness, TEST_PAYLOAD_KEYS, type Harness } from '../harness.js';

/**
 * Enquiries wait for weeks; a change to the workflow code must still replay the
 * histories they already have. Record new fixtures after a deliberate change of
 * behaviour (a patch of workflows/versions.ts) with:
 * RECORD_HISTORIES=1 npx vitest run test/integration/replay.test.ts
 * (Lotse 1.0 was recorded anew: the fixtures of the code before it are gone with its patches.)
 */
const FIXTURES = path.join(__dirname, '../fixtures/histories');

interface Scenario {
  /** The submission, by what differs from the harness's sample. */
  submission: Parameters<typeof enquiry>[0];
  /** What people do before the history is taken. */
  act?: (h: Harness, enquiryId: string) => Promise<void>;
  /** The status the enquiry rests in when the history is taken. */
  rests?: string;
  /** Started without the intake's assessment: the workflow assesses in an activity. */
  unassessed?: true;
  /** The workflow whose history is recorded, when not the enquiry's own (its erasure). */
  workflowOf?: (enquiryId: string) => string;
}

const REPORT_RUN = reportWorkflowId('regionalbudget-nordsachsen', '2026-07-01_2026-09-30');
const big = { preferredLocations: ['14713000'], project: { jobs: 400, investmentEur: 120_000_000 } };
const noOwnSite = {
  preferredLocations: ['14713000'],
  siteRequirements: { areaM2Min: 90_000, zoning: ['GI' as const], railAccess: true },
};
// Below every joint-handling threshold: a Nordsachsen site fits (Nordsachsen is responsible for 14730).
const nordsachsenSite = {
  preferredLocations: ['14730'],
  siteRequirements: { areaM2Min: 50_000, zoning: ['GI' as const], railAccess: true },
};
const irl = (h: Harness) => h.token({ agency: 'irl' });
const wfg = (h: Harness) => h.token({ agency: 'wfg-nordsachsen' });
const approve = async (h: Harness, id: string) => {
  const res = await h.call(
    `/v1/enquiries/${id}/forwarding`,
    { decision: 'approve', partners: ['wfg-nordsachsen'] },
    await irl(h),
  );
  expect(res.status).toBe(200);
};
const untilStatus = (h: Harness, id: string, status: string) =>
  eventually(
    async () => expect((await (await h.get(`/v1/enquiries/${id}`, await irl(h))).json()).status).toBe(status),
    30_000,
  );
/** IRL's staff approve forwarding, and the lead waits for WFG Nordsachsen's answer. */
const offered = async (h: Harness, id: string) => {
  await untilStatus(h, id, 'awaiting_forwarding_decision');
  await approve(h, id);
  await untilStatus(h, id, 'awaiting_partner');
};
const consentBody = { givenOn: '2026-12-01', form: 'email', note: 'Mail vom 1.12.' };
const OFFICES = [
  ['ob-leipzig', 'irl'],
  ['landrat-lk-leipzig', 'irl'],
  ['landrat-nordsachsen', 'wfg-nordsachsen'],
] as const;
const vote = async (h: Harness, id: string, [office, agency]: (typeof OFFICES)[number], decision: string) => {
  const token = await h.token({ agency, roles: [], offices: [office] });
  expect((await h.call(`/v1/enquiries/${id}/joint-handling/votes`, { office, decision }, token)).status).toBe(200);
};

/**
 * Every path through the 1.0 workflow, each resting where a person or a timer is awaited
 * (or completed). A later patch (workflows/versions.ts) adds `<scenario>.<patch id>` for the
 * scenarios whose path it changes; the fixtures of earlier ones stay.
 */
const scenarios: Record<string, Scenario> = {
  'without-location': { submission: { preferredLocations: undefined }, rests: 'in_progress' },
  'old-key-via-succession': { submission: { preferredLocations: ['14374060'] } },
  'sites-proposed': { submission: nordsachsenSite, rests: 'in_progress' },
  'joint-voting': { submission: big, rests: 'awaiting_joint_decision' },
  'joint-decided': {
    submission: big,
    act: async (h, id) => {
      await untilStatus(h, id, 'awaiting_joint_decision');
      for (const office of OFFICES) await vote(h, id, office, 'approve');
    },
    rests: 'in_progress',
  },
  'joint-rejected': {
    submission: big,
    act: async (h, id) => {
      await untilStatus(h, id, 'awaiting_joint_decision');
      await vote(h, id, OFFICES[0], 'reject');
    },
  },
  'joint-flagged': {
    submission: nordsachsenSite,
    act: async (h, id) => {
      await untilStatus(h, id, 'in_progress');
      expect((await h.call(`/v1/enquiries/${id}/joint-handling`, {}, await wfg(h))).status).toBe(200);
    },
    rests: 'awaiting_joint_decision',
  },
  'forwarding-awaiting-decision': { submission: noOwnSite, rests: 'awaiting_forwarding_decision' },
  'lead-accepted': {
    submission: noOwnSite,
    act: async (h, id) => {
      await offered(h, id);
      expect((await h.call(`/v1/leads/${id}/accept`, { note: 'passt' }, await wfg(h))).status).toBe(200);
    },
    rests: 'in_progress',
  },
  'lead-declined-consent': {
    submission: noOwnSite,
    act: async (h, id) => {
      await offered(h, id);
      expect((await h.call(`/v1/enquiries/${id}/consent`, consentBody, await irl(h))).status).toBe(200);
      expect((await h.call(`/v1/leads/${id}/decline`, {}, await wfg(h))).status).toBe(200);
    },
    rests: 'in_progress',
  },
  // Consent with its day and form (1.1): the update's input and the timeline changed, no command.
  'lead-consent-dated': {
    submission: noOwnSite,
    act: async (h, id) => {
      await offered(h, id);
      expect((await h.call(`/v1/enquiries/${id}/consent`, consentBody, await irl(h))).status).toBe(200);
    },
    rests: 'awaiting_partner',
  },
  // A task taken, given to a colleague, and decided by someone else (1.1): a new update, no command of its own.
  'task-assigned': {
    submission: noOwnSite,
    act: async (h, id) => {
      await untilStatus(h, id, 'awaiting_forwarding_decision');
      const assign = async (assignee: string | null) =>
        expect((await h.call(`/v1/enquiries/${id}/assignee`, { assignee }, await irl(h))).status).toBe(200);
      await assign('tester');
      await assign(null);
      await assign('tester');
      await h.call(
        `/v1/enquiries/${id}/forwarding`,
        { decision: 'reject' },
        await h.token({ agency: 'irl', sub: 'x' }),
      );
      await untilStatus(h, id, 'in_progress');
    },
    rests: 'in_progress',
  },
  'lead-expired': {
    submission: noOwnSite,
    act: async (h, id) => {
      await offered(h, id);
      // The recording harness gives partners 3 s.
      await untilStatus(h, id, 'in_progress');
    },
    rests: 'in_progress',
  },
  'forwarding-rejected': {
    submission: noOwnSite,
    act: async (h, id) => {
      await untilStatus(h, id, 'awaiting_forwarding_decision');
      const res = await h.call(`/v1/enquiries/${id}/forwarding`, { decision: 'reject' }, await irl(h));
      expect(res.status).toBe(200);
    },
    rests: 'in_progress',
  },
  closed: {
    submission: nordsachsenSite,
    act: async (h, id) => {
      await untilStatus(h, id, 'in_progress');
      expect((await h.call(`/v1/enquiries/${id}/close`, { outcome: 'settled' }, await wfg(h))).status).toBe(200);
    },
    rests: 'closed',
  },
  // Where it came from, as the intake took it and as staff corrected it (1.2): a new update, no command of its own.
  'source-set': {
    submission: { ...nordsachsenSite, source: { channel: 'campaign_page', measure: 'RB-NOS-1' } },
    act: async (h, id) => {
      await untilStatus(h, id, 'in_progress');
      const source = { channel: 'fair', measure: 'RB-NOS-2', area: 'torgau' };
      expect((await h.call(`/v1/enquiries/${id}/source`, { source }, await wfg(h))).status).toBe(200);
    },
    rests: 'in_progress',
  },
  // A programme's report built on demand (1.2): its own workflow, mailed to the steering group.
  'programme-report': {
    submission: nordsachsenSite,
    act: async (h) => {
      const lra = await h.token({ agency: 'lra-nordsachsen', roles: ['manager'] });
      const period = { from: '2026-07-01', to: '2026-09-30', mail: false };
      expect((await h.call('/v1/programmes/regionalbudget-nordsachsen/reports', period, lra)).status).toBe(202);
      const handle = h.lotse.temporal.workflow.getHandle(REPORT_RUN);
      await eventually(() => handle.result(), 60_000);
    },
    workflowOf: () => REPORT_RUN,
  },
  // The erasure of an enquiry's personal data: its own workflow.
  erasure: {
    submission: { ...noOwnSite, consentToShare: true },
    act: async (h, id) => {
      await offered(h, id);
      const manager = await h.token({ agency: 'irl', roles: ['manager'] });
      expect((await h.call(`/v1/enquiries/${id}/erasure`, { reason: 'Antrag' }, manager)).status).toBe(200);
    },
    workflowOf: (id) => `erasure-${id}`,
  },
};
// The intake could not assess them in time: the workflow assesses in an activity.
for (const name of ['sites-proposed', 'forwarding-awaiting-decision', 'joint-voting']) {
  scenarios[`${name}.unassessed`] = { ...scenarios[name]!, unassessed: true };
}

/**
 * A firm's care (Bestandspflege, 1.1): each scenario starts with a firm entered by the
 * Burgenlandkreis (IMG its co-carer) and rests waiting for a person or a timer.
 */
const blk = (h: Harness) => h.token({ agency: 'wf-burgenlandkreis' });
const img = (h: Harness) => h.token({ agency: 'img' });
const joint = [
  { agency: 'wf-burgenlandkreis', sub: 'tester' },
  { agency: 'img', sub: 'tester' },
];
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const ok = async (res: Promise<Response>) => expect((await res).status).toBe(200);
/** A scenario acts on the firm; it answers the workflow to record when that is not the firm's (an expansion). */
const firmScenarios: Record<string, (h: Harness, firmId: string) => Promise<string | void>> = {
  // The enquiry of a firm's expansion (1.1): routed by its existing site, joined by the co-carer without a vote.
  'expansion-joined': async (h, firmId) => {
    const body = {
      project: { jobs: 5, jobsSecured: 80, investmentEur: 1e6 },
      siteRequirements: { areaM2Min: 50_000, zoning: ['GI'] },
    };
    const res = await h.call(`/v1/firms/${firmId}/expansions`, body, await blk(h));
    const { enquiryId } = await res.json();
    const blkSees = async () => (await (await h.get(`/v1/enquiries/${enquiryId}`, await blk(h))).json()).status;
    await eventually(async () => expect(await blkSees()).toBe('in_progress'), 30_000);
    await ok(h.call(`/v1/enquiries/${enquiryId}/join`, {}, await img(h)));
    return enquiryId;
  },
  'firm-registered': async () => {},
  'firm-visit-moved-and-cancelled': async (h, firmId) => {
    const visit = { at: inDays(7), participants: joint };
    await ok(h.call(`/v1/firms/${firmId}/visits`, visit, await blk(h)));
    await ok(h.call(`/v1/firms/${firmId}/visits/v1`, { ...visit, at: inDays(8) }, await img(h), 'PUT'));
    await ok(h.call(`/v1/firms/${firmId}/visits/v1/cancel`, { reason: 'Krank' }, await blk(h)));
  },
  'firm-visit-reported': async (h, firmId) => {
    await ok(h.call(`/v1/firms/${firmId}/visits`, { at: inDays(7), participants: joint }, await blk(h)));
    const concerns = [{ topic: 'funding', handledBy: 'img', note: 'Förderung prüfen' }];
    const report = { visitId: 'v1', at: inDays(0), participants: joint, topics: ['expansion'], note: 'gut', concerns };
    await ok(h.call(`/v1/firms/${firmId}/visit-reports`, report, await blk(h)));
    await ok(h.call(`/v1/firms/${firmId}/concerns/c1/answer`, { answer: 'done', note: 'beantragt' }, await img(h)));
    const desk = { topic: 'site', handledBy: 'wf-burgenlandkreis', note: 'Fläche gesucht' };
    await ok(h.call(`/v1/firms/${firmId}/concerns`, desk, await blk(h)));
    const handOn = { answer: 'handed_on', handTo: 'img', note: 'landesweit' };
    await ok(h.call(`/v1/firms/${firmId}/concerns/c2/answer`, handOn, await blk(h)));
    await ok(h.call(`/v1/firms/${firmId}`, { ...FIRM, careLevel: 'regular' }, await blk(h), 'PUT'));
  },
};
const FIRM = {
  name: 'Replay Zeitz GmbH',
  legalForm: 'GmbH',
  sector: '25.11',
  sites: [{ ags: '15084590', address: 'Industriestraße 4, 06712 Zeitz' }],
  employees: 80,
  contacts: [{ name: 'Erika Vogelsang', email: 'e.vogelsang@replay.example' }],
  careLevel: 'key',
};

async function recordFirms(h: Harness) {
  for (const [name, act] of Object.entries(firmScenarios)) {
    if (existsSync(path.join(FIXTURES, `${name}.json`))) continue;
    const res = await h.call('/v1/firms', { ...FIRM, name: `${FIRM.name} ${name}` }, await blk(h));
    const { firmId } = await res.json();
    const other = await act(h, firmId);
    const handle = h.lotse.temporal.workflow.getHandle(other ?? `firm-${firmId}`);
    await eventually(async () => {
      const { raw } = await handle.describe();
      expect(raw.pendingActivities ?? []).toHaveLength(0);
      expect(raw.pendingWorkflowTask ?? null).toBeNull();
    }, 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    const history = await handle.fetchHistory();
    writeFileSync(
      path.join(FIXTURES, `${name}.json`),
      JSON.stringify(JSON.parse(historyToJSON(history)), null, 1) + '\n',
    );
  }
}

function fixtures() {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({
      workflowId: f,
      history: historyFromJSON(JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8'))),
    }));
}

async function replay(histories: ReturnType<typeof fixtures>) {
  const errors: { workflowId: string; error: unknown }[] = [];
  const options = {
    workflowBundle: { codePath: inject('workflowBundlePath') },
    replayName: 'lotse-fixtures',
    // Fixtures are encrypted with the test ring (test/fixtures/payload-keys.json).
    dataConverter: encryptedDataConverter(
      new KeyRingCodec(loadKeyRing({ file: TEST_PAYLOAD_KEYS, dataDir: FIXTURES }).ring),
    ),
  };
  for await (const result of Worker.runReplayHistories(options, histories)) {
    if (result.error) errors.push({ workflowId: result.workflowId, error: result.error });
  }
  return errors;
}

/**
 * Patch `read-model-summary` (1.1): every batch of events carries the enquiry's summary, and a
 * change with no event of its own goes out as `status_changed` (an enquiry without partner
 * candidates). Its fixtures: the paths that publish most differently.
 */
const sincePatch = (id: string, named: Record<string, Scenario>) =>
  Object.fromEntries(Object.entries(named).map(([name, scenario]) => [`${name}.${id}`, scenario]));
Object.assign(
  scenarios,
  sincePatch('read-model-summary', {
    'sites-proposed': scenarios['sites-proposed']!,
    'joint-decided': scenarios['joint-decided']!,
    'lead-declined-consent': scenarios['lead-declined-consent']!,
    'forwarding-rejected': scenarios['forwarding-rejected']!,
    'no-partner-candidates': { submission: { preferredLocations: ['14730310'] }, rests: 'in_progress' },
  }),
);

describe('recorded enquiry histories', () => {
  if (process.env.RECORD_HISTORIES) {
    it('records a fixture for each scenario that has none (recorded ones stay: they are the point)', async () => {
      const reference = referenceFolder(({ agreements }) => {
        for (const a of agreements)
          if (a.forwarding)
            a.forwarding = { partnerResponseWithin: 'PT3S', decisionWithin: 'P2D', reminderAfter: 'P1D' };
      });
      const h = await startHarness({ referenceDir: reference });
      try {
        for (const [name, scenario] of Object.entries(scenarios)) {
          if (existsSync(path.join(FIXTURES, `${name}.json`))) continue;
          const { enquiryId } = scenario.unassessed
            ? { enquiryId: await h.startUnassessed('irl', enquiry(scenario.submission)) }
            : await (await h.post('irl', enquiry(scenario.submission))).json();
          await scenario.act?.(h, enquiryId);
          const handle = h.lotse.temporal.workflow.getHandle(scenario.workflowOf?.(enquiryId) ?? enquiryId);
          // Recorded once the workflow sleeps, waiting for a person or a timer, or has completed.
          await eventually(async () => {
            const { raw, status: run } = await handle.describe();
            expect(raw.pendingActivities ?? []).toHaveLength(0);
            expect(raw.pendingWorkflowTask ?? null).toBeNull();
            expect(await h.events(enquiryId)).not.toHaveLength(0);
            const { status } =
              run.name === 'COMPLETED' ? { status: 'closed' } : await handle.query<{ status: string }>('state');
            expect(status).toBe(scenario.rests ?? status);
            expect(status).not.toBe('received');
          }, 30_000);
          // Let the last publish settle, then take the history as it rests.
          await new Promise((r) => setTimeout(r, 1000));
          const history = await handle.fetchHistory();
          writeFileSync(
            path.join(FIXTURES, `${name}.json`),
            JSON.stringify(JSON.parse(historyToJSON(history)), null, 1) + '\n',
          );
        }
        await recordFirms(h);
      } finally {
        await h.close();
      }
    }, 300_000);
  }

  it('replay against the current workflow code without a nondeterminism error', async () => {
    const histories = fixtures();
    expect(histories.map((h) => h.workflowId).sort()).toEqual(
      [...Object.keys(scenarios), ...Object.keys(firmScenarios)].map((s) => `${s}.json`).sort(),
    );
    expect(await replay(histories)).toEqual([]);
  });

  it('would catch a change that breaks them: a history whose steps differ fails to replay', async () => {
    const first = fixtures().find((f) => f.workflowId === 'sites-proposed.unassessed.json');
    // As if the recorded enquiry had run an activity the current code no longer calls there.
    const assessed = first!.history.events!.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'assessEnquiry',
    );
    expect(assessed).toHaveLength(1);
    assessed[0]!.activityTaskScheduledEventAttributes!.activityType!.name = 'determineJurisdiction';
    const errors = await replay([{ workflowId: 'changed', history: first!.history }]);
    expect(errors).toHaveLength(1);
    expect((errors[0]!.error as Error).message).toMatch(/nondetermin/i);
  });
});
