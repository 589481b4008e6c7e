import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LEADS_STREAM } from '../domain/events.js';

/**
 * NATS users: `lotse` for the api and worker (everything), and one user per agency
 * that may read only its own leads — live on `leads.<agency>`, or through one
 * durable JetStream consumer named after the agency and filtered to that subject.
 * Each agency has an inbox prefix of its own (`_INBOX_<agency>`): with a shared
 * `_INBOX.>` one agency could read the replies, leads included, meant for another.
 */

export const SERVICE_USER = 'lotse';
export const inboxPrefixOf = (agency: string) => `_INBOX_${agency}`;

function permissions(agency: string) {
  const consumer = `${LEADS_STREAM}.${agency}`;
  return {
    publish: {
      allow: [
        '$JS.API.INFO',
        `$JS.API.STREAM.INFO.${LEADS_STREAM}`,
        `$JS.API.CONSUMER.CREATE.${consumer}.leads.${agency}`,
        `$JS.API.CONSUMER.INFO.${consumer}`,
        `$JS.API.CONSUMER.MSG.NEXT.${consumer}`,
        `$JS.ACK.${consumer}.>`,
      ],
    },
    subscribe: { allow: [`leads.${agency}`, `${inboxPrefixOf(agency)}.>`] },
  };
}

/**
 * The `authorization` block of a nats-server configuration. A password is either
 * the password itself or `$NAME` of an environment variable the server reads at start.
 */
export function authorizationBlock(agencies: readonly string[], password: (user: string) => string): string {
  const quote = (p: string) => (p.startsWith('$') ? p : JSON.stringify(p));
  const users = [
    `    { user: ${SERVICE_USER}, password: ${quote(password(SERVICE_USER))} }`,
    ...agencies.map(
      (a) =>
        `    { user: ${JSON.stringify(a)}, password: ${quote(password(a))}, permissions: ${JSON.stringify(permissions(a))} }`,
    ),
  ];
  return ['authorization {', '  users: [', users.join(',\n'), '  ]', '}', ''].join('\n');
}

/** The environment variable that holds a user's password in docker-compose. */
export const passwordVariable = (user: string) => `NATS_PASSWORD_${user.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** Development passwords, made once and kept in the data folder like the other development secrets. */
export function devNatsPasswords(dataDir: string, agencies: readonly string[]): Record<string, string> {
  const file = path.join(dataDir, 'dev-nats-users.json');
  const passwords: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const missing = [SERVICE_USER, ...agencies].filter((u) => !passwords[u]);
  if (missing.length > 0) {
    for (const u of missing) passwords[u] = randomBytes(18).toString('base64url');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(passwords, null, 2) + '\n', { mode: 0o600 });
  }
  return passwords;
}
