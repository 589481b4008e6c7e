import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Long from 'long';
import { launch, stopper, waitUntil, type RunningServer } from '../servers.js';

const run = promisify(execFile);

/**
 * The Temporal server built from its Go module (go.temporal.io/server, the version the
 * CLI embeds), on PostgreSQL: default and visibility stores set up and migrated by its
 * SQL schema tool, the namespace registered. The services run in one process, as a small
 * installation runs them; its state lives in PostgreSQL only.
 */

export interface TemporalServerOptions {
  server: string;
  sqlTool: string;
  dir: string;
  postgres: { port: number; user: string };
  /** The frontend's gRPC port; the other services take the ports after the ones given. */
  port: number;
  internalPorts: number[];
  namespace: string;
  progress: (line: string) => void;
}

export interface TemporalServer extends RunningServer {
  /** Starts the server again on the same ports, after a stop. */
  restart(): Promise<void>;
}

const DATABASES = [
  { name: 'temporal', schema: 'postgresql/v12/temporal' },
  { name: 'temporal_visibility', schema: 'postgresql/v12/visibility' },
];

/** Creates the two databases if missing, and brings their schemas to the server's version at every start. */
async function setUpSchemas(opts: TemporalServerOptions) {
  for (const db of DATABASES) {
    const sql = (...args: string[]) =>
      run(opts.sqlTool, [
        '--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(opts.postgres.port),
        '-u', opts.postgres.user, '--db', db.name, ...args,
      ]); // prettier-ignore
    // Each step is idempotent: an existing database stays, a newer schema version is not set back.
    await sql('create-database');
    await sql('setup-schema', '-v', '0.0');
    await sql('update-schema', '--schema-name', db.schema);
    opts.progress(`Temporal: database ${db.name} at the server's schema version`);
  }
}

function writeConfig(opts: TemporalServerOptions): string {
  const [history, matching, worker, ...membership] = opts.internalPorts;
  const store = (database: string, conns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: "127.0.0.1:${opts.postgres.port}"
        connectProtocol: tcp
        user: ${opts.postgres.user}
        password: ""
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h`;
  const service = (grpc: number | undefined, member: number | undefined) => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${member}
      bindOnLocalHost: true`;
  const config = `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${store('temporal', 20)}
    visibility:${store('temporal_visibility', 5)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:
  frontend:${service(opts.port, membership[0])}
  history:${service(history, membership[1])}
  matching:${service(matching, membership[2])}
  worker:${service(worker, membership[3])}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${opts.port}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${JSON.stringify(path.join(opts.dir, 'dynamicconfig.yaml'))}
  pollInterval: 10s
`;
  // As the dev server runs: eager activities (docs/capacity.md); search attributes usable at once.
  const dynamic = `system.enableActivityEagerExecution:
  - value: true
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
`;
  mkdirSync(path.join(opts.dir, 'config'), { recursive: true });
  writeFileSync(path.join(opts.dir, 'config', 'development.yaml'), config);
  writeFileSync(path.join(opts.dir, 'dynamicconfig.yaml'), dynamic);
  return opts.dir;
}

export async function startTemporalServer(opts: TemporalServerOptions): Promise<TemporalServer> {
  await setUpSchemas(opts);
  const root = writeConfig(opts);
  const logFile = path.join(opts.dir, 'temporal-server.log');
  const address = `127.0.0.1:${opts.port}`;
  const launchServer = async () => {
    const child = await launch(
      opts.server,
      ['--root', root, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'],
      logFile,
      path.join(opts.dir, 'temporal-server.pid'),
    );
    await waitUntil('Temporal server', child, logFile, () => namespaceReady(address, opts.namespace), 90_000);
    return child;
  };
  const server: TemporalServer = {
    address,
    port: opts.port,
    process: await launchServer(),
    stop: () => stopper(server.process)(),
    async restart() {
      server.process = await launchServer();
    },
  };
  opts.progress(`Temporal: server on ${address}, PostgreSQL on 127.0.0.1:${opts.postgres.port}`);
  return server;
}

/**
 * The namespace, registered when the server answers for the first time, and ready once
 * every service knows it (each refreshes its namespace cache every few seconds).
 */
async function namespaceReady(address: string, namespace: string) {
  // Loaded here, not with the module: npm start's supervisor needs no gRPC client on the dev profile.
  const { Connection } = await import('@temporalio/client');
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    const service = connection.workflowService;
    await service.describeNamespace({ namespace }).catch(async (err: Error) => {
      if (!/not found/i.test(err.message)) throw err;
      await service.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(30 * 24 * 3600) },
      });
      throw new Error(`namespace ${namespace} registered, waiting for it`);
    });
    await service.listWorkflowExecutions({ namespace, pageSize: 1 });
    await connection.operatorService.listSearchAttributes({ namespace });
  } finally {
    await connection.close();
  }
}
