import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from '../harness.js';

/** `npm run enquiry` reaches every path of the lifecycle, as the README's recipes say. */

const run = promisify(execFile);
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function send(...args: string[]) {
  const script = path.join(__dirname, '../../scripts/send-enquiry.ts');
  const env = { ...process.env, LOTSE_DATA_DIR: h.config.dataDir, LOTSE_WEBHOOK_SECRETS: h.config.webhookSecretsFile! };
  type Ran = { stdout: string; stderr: string; code?: number };
  return run(process.execPath, ['--import', 'tsx', script, ...args], { env }).then(
    (r): Ran => r,
    (err): Ran => err,
  );
}

async function statusAfter(...args: string[]) {
  const out = await send('--url', h.baseUrl, ...args);
  const [, code, body] = /^(\d{3}) (.*)$/m.exec(out.stdout) ?? [];
  expect(code, out.stdout + out.stderr).toBe('202');
  const { enquiryId } = JSON.parse(body!);
  const token = await h.token({ agency: 'irl' });
  return eventually(async () => {
    const s = await (await h.get(`/v1/enquiries/${enquiryId}`, token)).json();
    expect(s.status).not.toBe('received');
    return s;
  });
}

describe('npm run enquiry', () => {
  it('reaches forwarding and the vote with the README recipes', async () => {
    expect((await statusAfter('--location', '14713000', '--area', '90000', '--zoning', 'GI')).status).toBe(
      'awaiting_forwarding_decision',
    );
    const vote = await statusAfter('--location', '14713000', '--jobs', '400', '--investment', '120000000');
    expect(vote).toMatchObject({
      status: 'awaiting_joint_decision',
      enquiry: { project: { jobs: 400, investmentEur: 120_000_000 } },
    });
  });

  it('says which URL it could not reach and how to start Lotse', async () => {
    const out = await send('--url', 'http://127.0.0.1:9');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('could not reach http://127.0.0.1:9/v1/webhooks/irl/enquiries');
    expect(out.stderr).toContain('npm start');
  });

  it('refuses an enquiry the webhook would refuse, before sending it', async () => {
    const out = await send('--url', h.baseUrl, '--zoning', 'XX');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('siteRequirements.zoning[0]');
  });
});
