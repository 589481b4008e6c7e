import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EnquirySubmission } from '../domain/enquiry.js';
import { fieldPath } from '../domain/field-path.js';
import { loadConfig } from '../infra/config.js';
import { loadReference } from '../infra/reference.js';
import { loadSecrets } from '../infra/secrets.js';
import { signedHeaders } from '../infra/webhook-signature.js';

const USAGE = `usage: npm run enquiry -- [options]
  --agency ID          the agency whose webhook receives it (default irl)
  --file PATH          a whole EnquirySubmission as JSON; the options below change it
  --kind K             new_settlement | expansion | relocation (default new_settlement)
  --location AGS       preferred location, repeatable (default 14730310)
  --jobs N             jobs the project brings (default 120)
  --investment EUR     investment in euro (default 30000000)
  --area M2            smallest site area in m² (default 20000); --area-max M2 the largest
  --zoning Z[,Z]       GI, GE, MI, SO (default GI)
  --rail / --no-rail   needs a rail siding (default: needs one)
  --consent            the investor agrees that partners see the full enquiry
  --public             not confidential
  --channel C          where it came from: website, campaign_page, fair, referral, phone, other
  --measure CODE       the measure that brought it (data/measures.json, e.g. RB-NOS-1); needs --channel
  --campaign-area ID   the area whose marketing brought it (data/areas.json, e.g. torgau); needs --channel
  --ref REF            the sender's reference (default demo-<random>); the same again is the same enquiry
  --url URL            the api (default http://127.0.0.1:$PORT)
Recipes with the sample data:
  forwarding:  npm run enquiry -- --location 14713000 --area 90000 --zoning GI
  the vote:    npm run enquiry -- --location 14713000 --jobs 400 --investment 120000000
  a campaign:  npm run enquiry -- --agency wfg-nordsachsen --location 14730230 --channel campaign_page --measure RB-NOS-1`;

/**
 * `npm run enquiry -- …`: posts an enquiry to the running api, signed with the
 * agency's webhook secret, and prints the answer. Any enquiry can be sent, so that
 * every path of the lifecycle can be reached by hand.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      agency: { type: 'string', default: 'irl' },
      file: { type: 'string' },
      kind: { type: 'string' },
      location: { type: 'string', multiple: true },
      jobs: { type: 'string' },
      investment: { type: 'string' },
      area: { type: 'string' },
      'area-max': { type: 'string' },
      zoning: { type: 'string' },
      rail: { type: 'boolean' },
      'no-rail': { type: 'boolean' },
      consent: { type: 'boolean' },
      public: { type: 'boolean' },
      channel: { type: 'string' },
      measure: { type: 'string' },
      'campaign-area': { type: 'string' },
      ref: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(USAGE);
  const submission = build(values);
  const config = loadConfig();
  const agencies = loadReference(config.referenceDir).agencies.map((a) => a.id);
  const secrets = loadSecrets({
    dataDir: config.dataDir,
    webhookSecretsFile: config.webhookSecretsFile,
    jwtSecret: config.jwt.secret,
    agencies,
  });
  const secret = secrets.webhook[values.agency];
  if (!secret)
    throw new Error(
      `no webhook secret for agency "${values.agency}" in ${secrets.webhookFile}; known agencies: ${agencies.join(', ')}`,
    );
  const body = JSON.stringify(submission);
  const url = `${values.url ?? `http://127.0.0.1:${config.port}`}/v1/webhooks/${values.agency}/enquiries`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(secret, `msg_${randomUUID()}`, body) },
      body,
    });
  } catch (err) {
    const why = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new Error(
      `could not reach ${url} (${why}).\nIs Lotse running? Start it with \`npm start\`, or name another api with --url.`,
      { cause: err },
    );
  }
  console.log(res.status, await res.text());
  if (!res.ok) process.exitCode = 1;
}

type Values = Record<string, string | boolean | string[] | undefined>;

/** The submission from --file or the sample, changed by the options, checked as the webhook will check it. */
function build(v: Values): EnquirySubmission {
  const base = v.file ? JSON.parse(readFileSync(String(v.file), 'utf8')) : sample();
  const num = (name: string) => (v[name] === undefined ? undefined : Number(v[name]));
  const draft = {
    ...base,
    ...(v.ref ? { externalRef: v.ref } : {}),
    ...(v.kind ? { kind: v.kind } : {}),
    ...(v.location ? { preferredLocations: v.location } : {}),
    ...(v.consent ? { consentToShare: true } : {}),
    ...(v.public ? { confidential: false } : {}),
    ...(v.channel
      ? { source: { channel: v.channel, ...defined({ measure: v.measure, area: v['campaign-area'] }) } }
      : {}),
    project: { ...base.project, ...defined({ jobs: num('jobs'), investmentEur: num('investment') }) },
    siteRequirements: {
      ...base.siteRequirements,
      ...defined({
        areaM2Min: num('area'),
        areaM2Max: num('area-max'),
        zoning: typeof v.zoning === 'string' ? v.zoning.split(',').map((z) => z.trim().toUpperCase()) : undefined,
        railAccess: v['no-rail'] ? false : v.rail ? true : undefined,
      }),
    },
  };
  const parsed = EnquirySubmission.safeParse(draft);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${fieldPath(i.path) || '(body)'}: ${i.message}`);
    throw new Error(`the enquiry would be refused:\n${lines.join('\n')}\n\n${USAGE}`);
  }
  return parsed.data;
}

const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));

function sample(): EnquirySubmission {
  return {
    externalRef: `demo-${randomUUID().slice(0, 8)}`,
    kind: 'new_settlement',
    company: { name: 'Glaswerk Beispiel GmbH', sector: 'C23.1', country: 'DE' },
    contact: { name: 'Erika Mustermann', email: 'erika.mustermann@example.org' },
    project: { jobs: 120, investmentEur: 30_000_000, description: 'Floatglas-Linie' },
    siteRequirements: { areaM2Min: 20_000, zoning: ['GI'], railAccess: true },
    preferredLocations: ['14730310'],
    confidential: true,
    consentToShare: false,
  };
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
