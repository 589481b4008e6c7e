import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { EnquirySubmission } from '../domain/enquiry.js';
import { loadConfig } from '../infra/config.js';
import { loadReference } from '../infra/reference.js';
import { loadSecrets } from '../infra/secrets.js';
import { signedHeaders } from '../infra/webhook-signature.js';

/**
 * `npm run enquiry -- --agency irl --location 14730310`: posts a sample enquiry to the
 * running api, signed with that agency's webhook secret, and prints the answer.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      agency: { type: 'string', default: 'irl' },
      location: { type: 'string', multiple: true },
      ref: { type: 'string' },
      url: { type: 'string' },
    },
  });
  const config = loadConfig();
  const agencies = loadReference(config.referenceDir).agencies.map((a) => a.id);
  const secrets = loadSecrets({ dataDir: config.dataDir, webhookSecretsFile: config.webhookSecretsFile, jwtSecret: config.jwt.secret, agencies });
  const secret = secrets.webhook[values.agency];
  if (!secret) throw new Error(`no webhook secret for agency "${values.agency}" in ${secrets.webhookFile}`);
  const submission: EnquirySubmission = {
    externalRef: values.ref ?? `demo-${randomUUID().slice(0, 8)}`,
    kind: 'new_settlement',
    company: { name: 'Glaswerk Beispiel GmbH', sector: 'C23.1', country: 'DE' },
    contact: { name: 'Erika Mustermann', email: 'erika.mustermann@example.org' },
    project: { jobs: 120, investmentEur: 30_000_000, description: 'Floatglas-Linie' },
    siteRequirements: { areaM2Min: 20_000, areaM2Max: 60_000, zoning: ['GI'], railAccess: true },
    preferredLocations: values.location ?? ['14730310'],
    confidential: true,
    consentToShare: false,
  };
  const body = JSON.stringify(submission);
  const url = values.url ?? `http://127.0.0.1:${config.port}`;
  const res = await fetch(`${url}/v1/webhooks/${values.agency}/enquiries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders(secret, `msg_${randomUUID()}`, body) },
    body,
  });
  console.log(res.status, await res.text());
  if (!res.ok) process.exitCode = 1;
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
