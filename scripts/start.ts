import { loadConfig, localApiUrl } from '../infra/config.js';
import { createLogger } from '../infra/logger.js';
import { startLotse } from '../app/lotse.js';
import { DEMO_ACCOUNTS } from '../idp/accounts.js';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { spawnLotse } from './processes.js';
import { stopProcess } from './servers.js';
import { startStack } from './stack.js';
import { buildServer } from './server-build.js';
import { buildUi } from './ui-build.js';
import { buildWorkflowBundle } from './workflow-bundle.js';

/**
 * `npm start`: everything on one machine. Embedded Temporal and NATS (unless
 * TEMPORAL_ADDRESS / NATS_URL point elsewhere), the worker and the api. Ctrl-C
 * stops all of it; state stays in LOTSE_DATA_DIR for the next start.
 */
async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const say = (line: string) => process.stderr.write(`${line}\n`);

  say('Starting Lotse…');
  await buildUi();
  // Bundled once here, so that no worker carries webpack in its memory.
  const bundle = await buildWorkflowBundle(path.join(config.dataDir, 'workflow-bundle.js'));
  if (config.worker.processes > 1) await buildServer();
  const stack = await startStack(config, say);
  let lotse: Awaited<ReturnType<typeof startLotse>> | undefined;
  const workers: ChildProcess[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('Stopping Lotse…');
    await Promise.all(workers.map((w) => stopProcess(w)));
    await lotse?.stop().catch((err: Error) => say(`while stopping: ${err.message}`));
    await stack.stop();
    say('Stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    lotse = await startLotse({
      config,
      logger,
      temporalAddress: stack.temporalAddress,
      natsUrl: stack.natsUrl,
      natsAuth: stack.natsAuth,
      run: { api: true, worker: true },
      embeddedIssuer: stack.oidcIssuer,
      temporalUi: stack.temporalUi,
      workflowBundlePath: bundle,
      smtpUrl: config.mail.smtpUrl ?? stack.mailCatcher?.url,
    });
    await lotse.api!.listen({ port: config.port, host: config.host });
    // Beside the worker in this process, LOTSE_WORKERS − 1 more, each a process of its own.
    for (let i = 1; i < config.worker.processes; i++) {
      const worker = spawnLotse('worker', {
        ...process.env,
        TEMPORAL_ADDRESS: stack.temporalAddress,
        NATS_URL: stack.natsUrl,
        ...(stack.natsAuth ? { NATS_USER: stack.natsAuth.user, NATS_PASSWORD: stack.natsAuth.pass } : {}),
        LOTSE_DATA_DIR: config.dataDir,
        LOTSE_WORKFLOW_BUNDLE: bundle,
        LOTSE_PAYLOAD_KEYS: lotse.payloadKeys.file,
      });
      worker.once('exit', (code) => !stopping && say(`a worker process stopped (exit code ${code})`));
      workers.push(worker);
    }
  } catch (err) {
    const taken = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    say(`Lotse could not start: ${(err as Error).message}${taken ? ` (set PORT to a free port)` : ''}`);
    await shutdown(1);
    return;
  }
  const api = localApiUrl(config);
  const { secrets } = lotse;
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
    `  Workers       ${config.worker.processes} process${config.worker.processes > 1 ? 'es' : ''}, each caching up to ${
      config.worker.cachedWorkflows
    } enquiries (LOTSE_WORKERS, LOTSE_WORKFLOW_CACHE)`,
    `  Data          ${config.dataDir}`,
    stack.mailCatcher
      ? `  Mails         ${stack.mailCatcher.folder}/*.eml (development mail catcher on ${stack.mailCatcher.url}; set LOTSE_SMTP_URL for real mail)`
      : `  Mails         via ${new URL(config.mail.smtpUrl!).host} (LOTSE_SMTP_URL)`,
    `  Payload keys  ${lotse.payloadKeys.file}${
      lotse.payloadKeys.development ? ' (development ring: set LOTSE_PAYLOAD_KEYS in production)' : ''
    }; what Temporal stores is encrypted with them`,
    ...stack.notes.map((n) => `  Note: ${n}`),
    ...(lotse.seededSites > 0 ? [`  Seeded ${lotse.seededSites} sample sites into the site registry.`] : []),
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
  say(lines.join('\n'));
}

main().catch((err: Error) => {
  process.stderr.write(`Lotse could not start: ${err.message}\n`);
  process.exit(1);
});
