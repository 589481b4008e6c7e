import path from 'node:path';
import type { Config } from '../../infra/config.js';
import { authorizationBlock, devNatsPasswords, SERVICE_USER } from '../../infra/nats-auth.js';
import { loadReference } from '../../infra/reference.js';
import { freePort, isPortFree, portOr } from '../servers.js';
import { ensureTool, NATS_SERVER, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL } from '../tools.js';
import { startNatsCluster, type NatsCluster } from './nats-cluster.js';
import { startPostgres, type Postgres } from './postgres.js';
import { startTemporalServer, type TemporalServer } from './temporal-server.js';

/**
 * The production-shaped profile on one machine, without containers: Temporal's server on
 * PostgreSQL, and NATS as a three-node JetStream cluster. `npm run start:cluster` and
 * `npm run test:cluster` run on it; its state lives in `<data>/cluster/`, kept across starts.
 */

export interface ClusterServers {
  postgres: Postgres;
  temporal: TemporalServer;
  nats: NatsCluster;
  natsAuth?: { user: string; pass: string };
  stop(): Promise<void>;
}

export interface ClusterPorts {
  postgres?: number;
  temporal?: number;
  nats?: number[];
}

/** PostgreSQL and the Temporal server: the part a test run shares. */
export async function startTemporalOnPostgres(
  dir: string,
  opts: { toolsDir: string; namespace: string; ports?: ClusterPorts; progress: (l: string) => void },
) {
  const [server, sqlTool] = [
    await ensureTool(TEMPORAL_SERVER, opts.toolsDir, opts.progress),
    await ensureTool(TEMPORAL_SQL_TOOL, opts.toolsDir, opts.progress),
  ];
  const postgres = await startPostgres({
    dir: path.join(dir, 'postgres'),
    port: await portOr(opts.ports?.postgres),
    progress: opts.progress,
  });
  try {
    const internalPorts = await lowFreePorts(7);
    const temporal = await startTemporalServer({
      server,
      sqlTool,
      dir: path.join(dir, 'temporal'),
      postgres,
      port: await portOr(opts.ports?.temporal),
      internalPorts,
      namespace: opts.namespace,
      progress: opts.progress,
    });
    return { postgres, temporal };
  } catch (err) {
    await postgres.stop();
    throw err;
  }
}

/**
 * Free ports below 32768: Temporal keeps its services' membership ports in a smallint
 * column, and the ports the OS hands out for port 0 lie above.
 */
async function lowFreePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!ports.includes(port) && (await isPortFree(port))) ports.push(port);
  }
  return ports;
}

/** Three nats-server processes as one cluster, with a user per agency when asked. */
export async function startNatsNodes(
  dir: string,
  opts: { toolsDir: string; ports?: number[]; users?: { dataDir: string; referenceDir: string } },
) {
  const binary = await ensureTool(NATS_SERVER, opts.toolsDir);
  const clientPorts = await Promise.all([0, 1, 2].map((i) => portOr(opts.ports?.[i])));
  const routePorts = await Promise.all([0, 1, 2].map(() => freePort()));
  let authorization: string | undefined;
  let natsAuth: { user: string; pass: string } | undefined;
  if (opts.users) {
    const agencies = loadReference(opts.users.referenceDir).agencies.map((a) => a.id);
    const passwords = devNatsPasswords(opts.users.dataDir, agencies);
    authorization = authorizationBlock(agencies, (u) => passwords[u]!);
    natsAuth = { user: SERVICE_USER, pass: passwords[SERVICE_USER]! };
  }
  const nats = await startNatsCluster({ binary, dir, clientPorts, routePorts, authorization, probeAuth: natsAuth });
  return { nats, natsAuth };
}

export async function startClusterServers(config: Config, progress: (l: string) => void): Promise<ClusterServers> {
  const dir = path.join(config.dataDir, 'cluster');
  const { postgres, temporal } = await startTemporalOnPostgres(dir, {
    toolsDir: config.toolsDir,
    namespace: config.temporal.namespace,
    ports: { postgres: config.cluster.postgresPort, temporal: config.embedded.temporalPort },
    progress,
  });
  try {
    progress('NATS: starting three nodes as one JetStream cluster');
    const { nats, natsAuth } = await startNatsNodes(path.join(dir, 'nats'), {
      toolsDir: config.toolsDir,
      ports: [config.embedded.natsPort, config.embedded.natsPort + 1, config.embedded.natsPort + 2],
      users: config.embeddedNatsAuth ? { dataDir: config.dataDir, referenceDir: config.referenceDir } : undefined,
    });
    progress(`NATS: ${nats.urls}`);
    return {
      postgres,
      temporal,
      nats,
      natsAuth,
      async stop() {
        await temporal.stop();
        await nats.stop();
        await postgres.stop();
      },
    };
  } catch (err) {
    await temporal.stop();
    await postgres.stop();
    throw err;
  }
}
