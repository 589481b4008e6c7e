import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writePrivateFile } from './json-file.js';
import { SECRET_PATTERN } from './webhook-signature.js';

/**
 * Webhook secrets and the token secret. An operator names them; without that,
 * development secrets are made once and kept in the data folder, so that a restart
 * keeps accepting what senders already sign.
 */

export const WebhookSecretsFile = z.record(
  z.string(),
  z.string().regex(SECRET_PATTERN, 'must be a Standard Webhooks secret: whsec_ followed by base64'),
);

export interface Secrets {
  webhook: Record<string, string>;
  webhookFile: string;
  jwtSecret: string;
  /** True when any secret is a development default: start-up says so loudly. */
  development: { webhook: boolean; jwt: boolean };
}

export const devWebhookSecretsFile = (dataDir: string) => path.join(dataDir, 'dev-webhook-secrets.json');
export const devJwtSecretFile = (dataDir: string) => path.join(dataDir, 'dev-jwt-secret');

export function loadSecrets(opts: {
  dataDir: string;
  webhookSecretsFile?: string;
  jwtSecret?: string;
  agencies: string[];
}): Secrets {
  const webhookFile = opts.webhookSecretsFile ?? devWebhookSecretsFile(opts.dataDir);
  const webhook = opts.webhookSecretsFile
    ? readWebhookSecrets(webhookFile)
    : devWebhookSecrets(webhookFile, opts.agencies);
  const jwtSecret = opts.jwtSecret ?? devJwtSecret(devJwtSecretFile(opts.dataDir));
  return { webhook, webhookFile, jwtSecret, development: { webhook: !opts.webhookSecretsFile, jwt: !opts.jwtSecret } };
}

function readWebhookSecrets(file: string): Record<string, string> {
  return readJsonFile('LOTSE_WEBHOOK_SECRETS', file, WebhookSecretsFile);
}

/** Adds a secret for every agency that has none yet; existing ones stay. */
function devWebhookSecrets(file: string, agencies: string[]): Record<string, string> {
  const secrets = existsSync(file) ? readWebhookSecrets(file) : {};
  const missing = agencies.filter((a) => !secrets[a]);
  if (missing.length > 0) {
    for (const a of missing) secrets[a] = `whsec_${randomBytes(24).toString('base64')}`;
    writePrivateFile(file, JSON.stringify(secrets, null, 2) + '\n');
  }
  return secrets;
}

function devJwtSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writePrivateFile(file, secret + '\n');
  return secret;
}
