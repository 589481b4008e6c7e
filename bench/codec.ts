import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { sealSubmission, SEALED_PREFIX } from '../domain/personal-data.js';
import { KeyRingCodec, sealBytes } from '../infra/payload-codec.js';
import { enquiryIdFor } from '../domain/enquiry-id.js';
import { percentile, submission } from './common.js';

/**
 * `npm run bench:codec`: what encryption adds to what Lotse sends to Temporal, measured
 * on the payloads of one intake (the workflow input) and one decision (the update's
 * argument and the state it answers with): converting alone against converting and
 * encrypting (and back), in the same run, medians of many rounds; for the intake also with
 * its personal values sealed by the enquiry's data key first (the KV round trip for the
 * key is not in it). BENCH_ROUNDS (2000).
 */
const rounds = Number(process.env.BENCH_ROUNDS ?? 2000);
const codec = new KeyRingCodec({ keys: [{ id: 'bench', key: randomBytes(32).toString('base64') }] });

const sub = submission({ areaM2Min: 3_000, zoning: ['GE', 'MI'], railAccess: false });
const intake = [
  {
    enquiryId: enquiryIdFor('irl', sub.externalRef),
    receivedBy: 'irl',
    receivedAt: new Date().toISOString(),
    submission: sub,
  },
];
const state = {
  ...intake[0],
  status: 'in_progress',
  timeline: Array.from({ length: 6 }, (_, i) => ({ step: i, type: 'x', actor: 'anna' })),
};
const dataKey = randomBytes(32);
const seal = (plain: string) =>
  SEALED_PREFIX + sealBytes(dataKey, Buffer.from(plain), intake[0]!.enquiryId).toString('base64url');
const decision = [{ decision: 'approve', partners: ['wfg-nordsachsen'], actor: { sub: 'anna', agency: 'irl' } }, state];

async function median(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return percentile(times, 50);
}

async function main() {
  const lines = [
    '| payloads | convert and back | with encryption | ratio | bytes (plain → sealed) |',
    '| --- | --- | --- | --- | --- |',
  ];
  const rows: [string, unknown[], (v: unknown[]) => unknown[]][] = [
    ['intake', intake, (v) => v],
    ['intake, personal data sealed too', intake, () => [{ ...intake[0], submission: sealSubmission(sub, seal) }]],
    ['decision', decision, (v) => v],
  ];
  for (const [name, values, prepare] of rows) {
    const plain = async () =>
      values.map((v) => defaultPayloadConverter.fromPayload(defaultPayloadConverter.toPayload(v)));
    const sealed = async () => {
      const payloads: Payload[] = await codec.encode(prepare(values).map((v) => defaultPayloadConverter.toPayload(v)));
      return (await codec.decode(payloads)).map((p) => defaultPayloadConverter.fromPayload(p));
    };
    // Once each to warm up, then measured.
    await median(plain);
    await median(sealed);
    const [a, b] = [await median(plain), await median(sealed)];
    const size = (ps: Payload[]) => ps.reduce((n, p) => n + (p.data?.length ?? 0), 0);
    const ps = values.map((v) => defaultPayloadConverter.toPayload(v));
    const bytes = `${size(ps)} → ${size(await codec.encode(prepare(values).map((v) => defaultPayloadConverter.toPayload(v))))}`;
    lines.push(
      `| ${name} | ${(a * 1000).toFixed(0)} µs | ${(b * 1000).toFixed(0)} µs | ${(b / a).toFixed(2)}× | ${bytes} |`,
    );
  }
  console.log(lines.join('\n'));
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
