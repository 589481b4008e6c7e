import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import path from 'node:path';
import type { EnquirySubmission } from '../domain/enquiry.js';
import { freePort } from '../scripts/servers.js';
import { signedHeaders } from '../infra/webhook-signature.js';

/** What the benchmarks share: progress lines, processes' CPU, the figures' percentiles and the intake they drive. */

export const say = (line: string) => process.stderr.write(`${line}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU milliseconds (user + system) a process (or, with its task folder, a thread) has used so far. */
export function cpuMs(pid: number, proc = '/proc'): number {
  const stat = readFileSync(`${proc}/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** The environment a bench's own stack runs with: its data in `dataDir`, its servers on free ports. */
export async function benchEnv(dataDir: string): Promise<NodeJS.ProcessEnv> {
  return {
    ...process.env,
    LOTSE_DATA_DIR: dataDir,
    LOTSE_TEMPORAL_PORT: String(await freePort()),
    LOTSE_TEMPORAL_UI_PORT: String(await freePort()),
    LOTSE_NATS_PORT: String(await freePort()),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
}

/** The pid of a server the bench's stack started in `dataDir` (`temporal`, `nats-server`). */
export const serverPid = (dataDir: string, name: string) =>
  Number(readFileSync(path.join(dataDir, `${name}.pid`), 'utf8'));

/**
 * Waits until the processes have worked off what the phase before left them (Temporal's
 * background tasks after a thousand starts, say): under 5 % of a core for a second, or
 * 60 s at most.
 */
export async function quiet(pids: number[]) {
  const total = () => pids.reduce((n, pid) => n + cpuMs(pid), 0);
  for (let i = 0; i < 60; i++) {
    const before = total();
    await sleep(1000);
    if (total() - before < 50) return;
  }
  say('the processes did not come to rest within 60 s; measuring anyway');
}

/** The p-th percentile (nearest rank) of the figures; NaN for none. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** An enquiry to IRL (Leipzig); the requirements say where it goes from there. */
export function submission(siteRequirements: EnquirySubmission['siteRequirements']): EnquirySubmission {
  return {
    externalRef: `bench-${randomUUID()}`,
    kind: 'new_settlement',
    company: { name: 'Bench GmbH', sector: 'C23.1', country: 'DE' },
    contact: { name: 'Bench', email: 'bench@example.org' },
    project: { jobs: 20, investmentEur: 2_000_000 },
    siteRequirements,
    preferredLocations: ['14713000'],
    confidential: true,
    consentToShare: false,
  };
}

/**
 * The benchmarks' HTTP client: node:http with kept-alive connections, one per client.
 * It runs on the cores it measures, and `fetch` (undici) costs it about twice the CPU.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Posts it to IRL's signed webhook; answers the enquiry id, or throws unless 202. */
export function postToIrl(base: string, secret: string, enquiry: EnquirySubmission): Promise<string> {
  const body = JSON.stringify(enquiry);
  const headers = { 'content-type': 'application/json', ...signedHeaders(secret, `msg_${randomUUID()}`, body) };
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/v1/webhooks/irl/enquiries`, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 202) reject(new Error(`intake answered ${res.statusCode}: ${text}`));
        else resolve((JSON.parse(text) as { enquiryId: string }).enquiryId);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A bench's data folder and everything it starts, stopped again last first: after the
 * report, a failure or Ctrl-C. `body` registers each stop as it starts something.
 */
export async function withStarted(
  name: string,
  body: (dataDir: string, started: (stop: () => Promise<unknown>) => void) => Promise<void>,
) {
  const dataDir = mkdtempSync(path.join(tmpdir(), `lotse-bench-${name}-`));
  const started: (() => Promise<unknown>)[] = [async () => rmSync(dataDir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of started.splice(0).reverse()) await stop().catch(() => undefined);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      say(`${signal}: stopping what the bench started…`);
      void stopAll().then(() => process.exit(130));
    });
  try {
    await body(dataDir, (stop) => started.push(stop));
  } finally {
    await stopAll();
  }
}
