import path from 'node:path';
import { startNats, type RunningServer } from '../servers.js';

/**
 * Three nats-server processes as one JetStream cluster (routes on loopback ports), each
 * with a store of its own: Lotse's streams and buckets replicated on all three.
 */

export interface NatsNode {
  name: string;
  address: string;
  server: RunningServer;
  /** Starts the node again on the same ports and store, after a stop or a kill. */
  restart(): Promise<void>;
}

export interface NatsCluster {
  /** Every node's URL, comma-separated: what NATS_URL holds for the cluster profile. */
  urls: string;
  nodes: NatsNode[];
  stop(): Promise<void>;
}

export async function startNatsCluster(opts: {
  binary: string;
  dir: string;
  clientPorts: number[];
  routePorts: number[];
  authorization?: string;
  probeAuth?: { user: string; pass: string };
}): Promise<NatsCluster> {
  const routes = opts.routePorts.map((p) => `nats-route://127.0.0.1:${p}`);
  const optionsOf = (i: number) => ({
    binary: opts.binary,
    port: opts.clientPorts[i]!,
    storeDir: path.join(opts.dir, `nats-${i + 1}`),
    logFile: path.join(opts.dir, `nats-${i + 1}.log`),
    pidFile: path.join(opts.dir, `nats-${i + 1}.pid`),
    authorization: opts.authorization,
    cluster: { name: 'lotse', serverName: `lotse-${i + 1}`, routePort: opts.routePorts[i]!, routes },
  });
  // All at once: a node is ready only when the cluster has a JetStream leader, which takes two.
  const servers = await Promise.all(opts.clientPorts.map((_, i) => startNats(optionsOf(i), opts.probeAuth)));
  const nodes: NatsNode[] = servers.map((server, i) => {
    const node: NatsNode = {
      name: `lotse-${i + 1}`,
      address: server.address,
      server,
      async restart() {
        node.server = await startNats(optionsOf(i), opts.probeAuth);
      },
    };
    return node;
  });
  return {
    urls: nodes.map((n) => n.address).join(','),
    nodes,
    async stop() {
      await Promise.all(nodes.map((n) => n.server.stop()));
    },
  };
}
