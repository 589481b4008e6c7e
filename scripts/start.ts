import type { ChildProcess } from 'node:child_process';
import type { Started } from '../app/main.js';
import { loadConfig, localApiUrl, type Config } from '../infra/config.js';
import { DEMO_ACCOUNTS } from '../idp/accounts.js';
import { readFileSync } from 'node:fs';
import { devJwtSecretFile } from '../infra/secrets.js';
import { seedSampleFirms } from './sample-firms.js';
import { spawnLotse, startedOf, WORKFLOW_BUNDLE } from './processes.js';
import { stopProcess } from './servers.js';
import { startStack, type Stack } from './stack.js';

/**
 * `npm start`: everything on one machine. Embedded Temporal and NATS (unless
 * TEMPORAL_ADDRESS / NATS_URL point elsewhere), the development sign-in and mail catcher,
 * and Lotse as the built server, `dist/lotse.js all`, as `npm run api|worker` run it, with
 * LOTSE_WORKERS − 1 further worker processes beside it. Ctrl-C stops all of it; state stays
 * in LOTSE_DATA_DIR for the next start.
 *
 * This file is the supervisor, run as `dist/start.js` (no TypeScript loader) once
 * `scripts/build.ts` has built it, the server, the web app and the workflow bundle in a
 * process of its own: it holds the embedded servers and the children, and no builder.
 */
async function main() {
  const config = loadConfig();
  const say = (line: string) => process.stderr.write(`${line}\n`);

  say('Starting Lotse…');
  const starting = startStack(config, say);
  const children: ChildProcess[] = [];
  let stopping = false;
  // A stop while the servers start waits for them, so that none is left running.
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('Stopping Lotse…');
    await Promise.all(children.map((c) => stopProcess(c)));
    await (await starting.catch(() => undefined))?.stop();
    say('Stopped.');
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
  const stack = await starting;
  if (stopping) return;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    NATS_URL: stack.natsUrl,
    LOTSE_READ_MODEL_URL: stack.readModelUrl,
    ...(stack.natsAuth ? { NATS_USER: stack.natsAuth.user, NATS_PASSWORD: stack.natsAuth.pass } : {}),
    LOTSE_DATA_DIR: config.dataDir,
    LOTSE_WORKFLOW_BUNDLE: WORKFLOW_BUNDLE,
    // The notifier beside each worker sends through the mail catcher, unless LOTSE_SMTP_URL names a server.
    ...(stack.mailCatcher ? { LOTSE_SMTP_URL: stack.mailCatcher.url } : {}),
  };
  const spawn = (part: 'all' | 'worker', extra: NodeJS.ProcessEnv = {}, args: string[] = []) => {
    const child = spawnLotse(part, { ...env, ...extra }, [], args);
    children.push(child);
    return child;
  };

  let started: Started;
  try {
    // The api, a worker and its notifier in one process, as on a small VM.
    const lotse = spawn('all', {}, [
      ...(stack.oidcIssuer ? ['--embedded-issuer', stack.oidcIssuer] : []),
      ...(stack.temporalUi ? ['--temporal-ui', stack.temporalUi] : []),
    ]);
    started = await startedOf(lotse);
    if (stopping) return;
    lotse.once('exit', (code, signal) => {
      if (stopping) return;
      say(`Lotse stopped (${signal ?? `exit code ${code}`}): stopping the rest.`);
      void shutdown(1);
    });
  } catch (err) {
    if (!stopping) say(`Lotse could not start: ${(err as Error).message}`);
    await shutdown(1);
    return;
  }
  // LOTSE_WORKERS − 1 more workers, each a process of its own, with the first one's key ring.
  for (let i = 1; i < config.worker.processes; i++) {
    const worker = spawn('worker', { LOTSE_PAYLOAD_KEYS: started.payloadKeys.file });
    worker.once(
      'exit',
      (code, signal) => !stopping && say(`a worker process stopped (${signal ?? `exit code ${code}`})`),
    );
  }
  // The development stack shows Bestandspflege at once: sample firms in an empty register.
  const sampleFirms =
    stack.oidcIssuer && started.secrets.development.jwt
      ? await seedSampleFirms(localApiUrl(config), readFileSync(devJwtSecretFile(config.dataDir), 'utf8').trim()).catch(
          (err: Error) => (say(`Sample firms not entered: ${err.message}`), 0),
        )
      : 0;
  say(summary(config, stack, started, sampleFirms));
}

function summary(config: Config, stack: Stack, { secrets, payloadKeys, seededSites }: Started, firms = 0): string {
  const api = localApiUrl(config);
  const lines = [
    '',
    'Lotse is running.',
    `  Web app       ${api}/`,
    `  API           ${api}`,
    `  API docs      ${api}/docs`,
    `  Temporal      ${stack.temporalAddress}${
      config.profile === 'cluster'
        ? ` (server on PostgreSQL, 127.0.0.1:${config.cluster.postgresPort} or the next free port; ${config.dataDir}/cluster)`
        : config.temporal.address
          ? ' (external)'
          : ' (embedded)'
    }`,
    ...(stack.temporalUi ? [`  Temporal UI   ${stack.temporalUi}`] : []),
    `  NATS          ${stack.natsUrl}${
      config.profile === 'cluster'
        ? ` (three nodes, streams with ${config.natsReplicas} replicas)`
        : config.natsUrl
          ? ' (external)'
          : ' (embedded)'
    }`,
    `  Read model    ${redactedUrl(stack.readModelUrl)}${config.readModel.url ? ' (external)' : ' (embedded PostgreSQL)'}`,
    `  Workers       ${config.worker.processes} process${config.worker.processes > 1 ? 'es' : ''}, each caching up to ${
      config.worker.cachedWorkflows
    } enquiries (LOTSE_WORKERS, LOTSE_WORKFLOW_CACHE)`,
    `  Data          ${config.dataDir}`,
    stack.mailCatcher
      ? `  Mails         ${stack.mailCatcher.folder}/*.eml (development mail catcher on ${stack.mailCatcher.url}; set LOTSE_SMTP_URL for real mail)`
      : `  Mails         via ${new URL(config.mail.smtpUrl!).host} (LOTSE_SMTP_URL)`,
    `  Payload keys  ${payloadKeys.file}${
      payloadKeys.development ? ' (development ring: set LOTSE_PAYLOAD_KEYS in production)' : ''
    }; what Temporal stores is encrypted with them`,
    ...stack.notes.map((n) => `  Note: ${n}`),
    ...(seededSites > 0 ? [`  Seeded ${seededSites} sample sites into the site registry.`] : []),
    ...(firms > 0 ? [`  Entered ${firms} sample firms (Unternehmen) with their care under way.`] : []),
    '',
    `Webhook secrets${secrets.development.webhook ? ' (development, from ' + secrets.webhookFile + ')' : ''}:`,
    ...Object.entries(secrets.webhook).map(
      ([agency, secret]) =>
        `  ${agency.padEnd(20)} ${secrets.development.webhook ? secret : '(from ' + secrets.webhookFile + ')'}`,
    ),
    '',
    secrets.development.jwt
      ? `Tokens are signed with a development secret (${config.dataDir}/dev-jwt-secret). Get one with:`
      : 'Tokens are verified with LOTSE_JWT_SECRET. Get one with:',
    '  npm run token -- --sub anna --agency irl --roles staff',
    ...(stack.oidcIssuer
      ? [
          `Sign-in (development accounts, password "demo"): ${stack.oidcIssuer}`,
          `  ${DEMO_ACCOUNTS.map((a) => a.username).join(', ')}`,
        ]
      : [`Sign-in: ${config.oidc?.issuer}`]),
    '',
    'Ctrl-C stops Lotse and the servers it started.',
    '',
  ];
  return lines.join('\n');
}

main().catch((err: Error) => {
  process.stderr.write(`Lotse could not start: ${err.message}\n`);
  process.exit(1);
});

/** A URL as it may be printed: without its password. */
function redactedUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
