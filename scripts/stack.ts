import path from 'node:path';
import { localApiUrl, type Config } from '../infra/config.js';
import { portOr, startNats, startTemporal, stopLeftover } from './servers.js';
import { NATS_SERVER, TEMPORAL, ensureTool } from './tools.js';
import { authorizationBlock, devNatsPasswords, SERVICE_USER } from '../infra/nats-auth.js';
import { loadReference } from '../infra/reference.js';
import { ALL_SEARCH_ATTRIBUTES } from '../contract/search-attributes.js';

/**
 * The embedded servers `npm start` runs when TEMPORAL_ADDRESS / NATS_URL point nowhere.
 * What only some starts need is loaded when needed: the cluster profile, the identity
 * provider, the mail catcher (npm start's supervisor keeps no more in memory than it uses).
 */

export interface Stack {
  temporalAddress: string;
  natsUrl: string;
  /** The read model's PostgreSQL (docs/architecture.md, "The read model"). */
  readModelUrl: string;
  /** How Lotse signs in to NATS, when it must. */
  natsAuth?: { user: string; pass: string };
  /** The embedded identity provider, when no LOTSE_OIDC_ISSUER names the agency's own. */
  oidcIssuer?: string;
  /** The Web UI, when Temporal is embedded. */
  temporalUi?: string;
  /** The development mail catcher, when no LOTSE_SMTP_URL names a real server. */
  mailCatcher?: { url: string; folder: string };
  /** Lines telling which embedded server runs where, and which default port was taken. */
  notes: string[];
  stop(): Promise<void>;
}

export async function startStack(config: Config, progress: (line: string) => void): Promise<Stack> {
  const started: { stop(): Promise<void> }[] = [];
  const notes: string[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop();
  };
  const pid = (name: string) => path.join(config.dataDir, `${name}.pid`);
  try {
    let natsUrl = config.natsUrl;
    let natsAuth = config.natsAuth;
    let temporalAddress = config.temporal.address;
    let temporalUi: string | undefined;
    let readModelUrl = config.readModel.url;
    if (config.profile === 'cluster') {
      // Production-shaped: Temporal on PostgreSQL, three NATS nodes; all of it under <data>/cluster.
      const { startClusterServers } = await import('./cluster/index.js');
      const cluster = await startClusterServers(config, progress);
      started.push(cluster);
      ({ natsUrl, natsAuth } = { natsUrl: cluster.nats.urls, natsAuth: cluster.natsAuth });
      temporalAddress = cluster.temporal.address;
      // A database of its own on the cluster's PostgreSQL, as several api processes would share it.
      readModelUrl ??= `postgres://${cluster.postgres.user}@127.0.0.1:${cluster.postgres.port}/lotse_read`;
    }
    if (!readModelUrl) {
      const port = await portOr(config.readModel.port);
      if (port !== config.readModel.port)
        notes.push(`port ${config.readModel.port} is taken: the read model uses ${port}`);
      const { startPostgres, embeddedPostgresBinaries } = await import('./cluster/postgres.js');
      const dir = path.join(config.dataDir, 'read-model');
      const pg = await startPostgres({ dir, port, progress, bin: embeddedPostgresBinaries(), user: 'lotse' });
      started.push(pg);
      readModelUrl = `postgres://lotse@127.0.0.1:${port}/lotse_read`;
    }
    if (!natsUrl) {
      const binary = await ensureTool(NATS_SERVER, config.toolsDir, progress);
      // Before choosing ports: a server left behind by a killed start still holds them.
      await stopLeftover(pid('nats-server'), binary);
      const port = await portOr(config.embedded.natsPort);
      if (port !== config.embedded.natsPort) notes.push(`port ${config.embedded.natsPort} is taken: NATS uses ${port}`);
      let authorization: string | undefined;
      if (config.embeddedNatsAuth) {
        const agencies = loadReference(config.referenceDir).agencies.map((a) => a.id);
        const passwords = devNatsPasswords(config.dataDir, agencies);
        authorization = authorizationBlock(agencies, (u) => passwords[u]!);
        natsAuth = { user: SERVICE_USER, pass: passwords[SERVICE_USER]! };
        notes.push(`NATS requires a user per agency; passwords in ${path.join(config.dataDir, 'dev-nats-users.json')}`);
      }
      const natsOptions = {
        binary,
        port,
        storeDir: path.join(config.dataDir, 'nats'),
        logFile: path.join(config.dataDir, 'nats-server.log'),
        pidFile: pid('nats-server'),
        authorization,
      };
      const nats = await startNats(natsOptions, natsAuth);
      started.push(nats);
      natsUrl = nats.address;
    }
    if (!temporalAddress) {
      const binary = await ensureTool(TEMPORAL, config.toolsDir, progress);
      await stopLeftover(pid('temporal'), binary);
      const port = await portOr(config.embedded.temporalPort);
      if (port !== config.embedded.temporalPort)
        notes.push(`port ${config.embedded.temporalPort} is taken: Temporal uses ${port}`);
      const uiPort = await portOr(config.embedded.temporalUiPort);
      if (uiPort !== config.embedded.temporalUiPort)
        notes.push(`port ${config.embedded.temporalUiPort} is taken: the Temporal UI uses ${uiPort}`);
      const temporal = await startTemporal({
        searchAttributes: ALL_SEARCH_ATTRIBUTES,
        binary,
        port,
        uiPort,
        uiCodecEndpoint: `${localApiUrl(config)}/codec`,
        dbFile: path.join(config.dataDir, 'temporal.sqlite'),
        logFile: path.join(config.dataDir, 'temporal.log'),
        pidFile: pid('temporal'),
        namespace: config.temporal.namespace,
      });
      started.push(temporal);
      temporalAddress = temporal.address;
      temporalUi = `http://127.0.0.1:${uiPort}`;
    }
    let oidcIssuer: string | undefined;
    if (!config.oidc) {
      const port = await portOr(config.embedded.oidcPort);
      if (port !== config.embedded.oidcPort)
        notes.push(`port ${config.embedded.oidcPort} is taken: sign-in uses ${port}`);
      const app = `http://127.0.0.1:${config.port}`;
      const { startIdentityProvider } = await import('../idp/provider.js');
      const idp = await startIdentityProvider({
        port,
        redirectUris: [`${app}/`, `${app}/anmeldung`],
        postLogoutRedirectUris: [`${app}/abgemeldet`],
        dataDir: config.dataDir,
      });
      started.push(idp);
      oidcIssuer = idp.issuer;
    }
    let mailCatcher: Stack['mailCatcher'];
    if (!config.mail.smtpUrl) {
      const port = await portOr(config.embedded.smtpPort);
      if (port !== config.embedded.smtpPort)
        notes.push(`port ${config.embedded.smtpPort} is taken: mails go to ${port}`);
      const { startMailCatcher } = await import('./mail-catcher.js');
      // Files only: a development machine's mails need not fill the supervisor's memory too.
      const catcher = await startMailCatcher({ port, folder: path.join(config.dataDir, 'mails'), keep: false });
      started.push(catcher);
      mailCatcher = { url: catcher.url, folder: catcher.folder };
    }
    return { temporalAddress, natsUrl, readModelUrl, natsAuth, temporalUi, oidcIssuer, mailCatcher, notes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
