import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { enquiry, eventually, startHarness } from '../harness.js';

/**
 * Enquiries wait for weeks; a change to the workflow code must still replay the
 * histories they already have. Record new fixtures after a deliberate change of
 * behaviour (guarded by patched()) with: RECORD_HISTORIES=1 npx vitest run test/integration/replay.test.ts
 */
const FIXTURES = path.join(__dirname, '../fixtures/histories');

const scenarios: Record<string, Parameters<typeof enquiry>[0]> = {
  // Recorded before site matching existed (they take the unpatched path).
  'waiting-in-progress-after-jurisdiction': { preferredLocations: ['14730310'] },
  'waiting-in-progress-without-location': { preferredLocations: undefined },
  'old-key-via-succession': { preferredLocations: ['14374060'] },
  // Since site matching and forwarding.
  'sites-proposed': { preferredLocations: ['14730'], siteRequirements: { areaM2Min: 100_000, zoning: ['GI'], railAccess: true } },
  'forwarding-awaiting-decision': { preferredLocations: ['14713000'], siteRequirements: { areaM2Min: 100_000, zoning: ['GI'], railAccess: true } },
};

function fixtures() {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ workflowId: f, history: historyFromJSON(JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8'))) }));
}

async function replay(histories: ReturnType<typeof fixtures>) {
  const errors: { workflowId: string; error: unknown }[] = [];
  const options = { workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: 'lotse-fixtures' };
  for await (const result of Worker.runReplayHistories(options, histories)) {
    if (result.error) errors.push({ workflowId: result.workflowId, error: result.error });
  }
  return errors;
}

describe('recorded enquiry histories', () => {
  if (process.env.RECORD_HISTORIES) {
    it('records a fixture for each scenario that has none (recorded ones stay: they are the point)', async () => {
      const h = await startHarness();
      try {
        for (const [name, overrides] of Object.entries(scenarios)) {
          if (existsSync(path.join(FIXTURES, `${name}.json`))) continue;
          const { enquiryId } = await (await h.post('irl', enquiry(overrides))).json();
          const handle = h.lotse.temporal.workflow.getHandle(enquiryId);
          // Recorded once the workflow sleeps, waiting for a person or a timer.
          await eventually(async () => {
            const last = (await handle.fetchHistory()).events!.at(-1);
            expect(last?.workflowTaskCompletedEventAttributes ?? last?.timerStartedEventAttributes).toBeTruthy();
            expect(await h.events(enquiryId)).not.toHaveLength(0);
            const { status } = await handle.query<{ status: string }>('state');
            expect(status).not.toBe('received');
          });
          const history = await handle.fetchHistory();
          writeFileSync(path.join(FIXTURES, `${name}.json`), JSON.stringify(JSON.parse(historyToJSON(history)), null, 1) + '\n');
        }
      } finally {
        await h.close();
      }
    });
  }

  it('replay against the current workflow code without a nondeterminism error', async () => {
    const histories = fixtures();
    expect(histories.map((h) => h.workflowId).sort()).toEqual(Object.keys(scenarios).map((s) => `${s}.json`).sort());
    expect(await replay(histories)).toEqual([]);
  });

  it('would catch a change that breaks them: a history whose steps differ fails to replay', async () => {
    const [first] = fixtures();
    // As if the recorded enquiry had run an activity the current code no longer calls there.
    for (const e of first!.history.events!) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === 'determineJurisdiction') scheduled.activityType.name = 'determineResponsibility';
    }
    const errors = await replay([{ workflowId: 'changed', history: first!.history }]);
    expect(errors).toHaveLength(1);
    expect((errors[0]!.error as Error).message).toMatch(/nondetermin/i);
  });
});
