import { headers as natsHeaders } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Site, type SiteVersion } from '../domain/reference.js';
import { SiteIndex } from '../domain/site-index.js';
import type { Logger } from './logger.js';
import { openSitesBucket, SITES_BUCKET, type KV, type NatsConnection } from './nats.js';

/**
 * The shared site registry: NATS KV bucket `sites`, one key per site
 * (`<agencyId>.<siteId>`), the value the plain site JSON. Who changed a site travels
 * as a message header on the bucket's stream, so the history can name the author
 * while every KV reader still sees only the site.
 */

export const siteKey = (site: Pick<Site, 'agency' | 'siteId'>) => `${site.agency}.${site.siteId}`;
const STREAM = `KV_${SITES_BUCKET}`;
const subjectOf = (key: string) => `$KV.${SITES_BUCKET}.${key}`;
export const AUTHOR_HEADER = 'Lotse-Author';

export class SiteRegistry {
  readonly index = new SiteIndex();
  private seen = 0;
  /** The last revision this process wrote. */
  private written = 0;
  private stopped = false;

  private constructor(
    private readonly kv: KV,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly logger: Logger,
  ) {}

  /** Opens the bucket and keeps `index` current through a KV watch. */
  static async open(nc: NatsConnection, logger: Logger): Promise<SiteRegistry> {
    const registry = new SiteRegistry(await openSitesBucket(nc), jetstream(nc), await jetstreamManager(nc), logger);
    await registry.follow();
    return registry;
  }

  private async follow() {
    const updates = await this.kv.watch();
    void (async () => {
      for await (const entry of updates) {
        if (this.stopped) break;
        const [agency, ...rest] = entry.key.split('.');
        const siteId = rest.join('.');
        if (entry.operation === 'PUT') {
          const parsed = Site.safeParse(safeJson(entry.string()));
          if (parsed.success && siteKey(parsed.data) === entry.key) this.index.upsert(parsed.data);
          else this.logger.warn({ key: entry.key }, 'ignoring a site registry entry that is not a valid site');
        } else if (agency) {
          this.index.remove(agency, siteId);
        }
        this.seen = Math.max(this.seen, entry.revision);
      }
    })();
    await this.catchUp();
  }

  /** Waits until the index holds every write made so far: a site saved a moment ago counts for the next match. */
  async catchUp(timeoutMs = 5_000): Promise<void> {
    const { state } = await this.jsm.streams.info(STREAM);
    await this.seenUpTo(state.last_seq, timeoutMs);
  }

  /**
   * Waits until the index holds every write this process made, without asking NATS (the
   * intake's way: a site its api saved a moment ago counts; another api's write, a few
   * milliseconds later).
   */
  async ownWritesSeen(timeoutMs = 5_000): Promise<void> {
    await this.seenUpTo(this.written, timeoutMs);
  }

  private async seenUpTo(revision: number, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    while (this.seen < revision) {
      if (Date.now() > deadline) throw new Error(`site index is behind the registry (${this.seen} < ${revision})`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  async put(site: Site, author: string): Promise<number> {
    const h = natsHeaders();
    h.set(AUTHOR_HEADER, author);
    const ack = await this.js.publish(subjectOf(siteKey(site)), JSON.stringify(site), { headers: h });
    this.written = Math.max(this.written, ack.seq);
    return ack.seq;
  }

  async delete(agency: string, siteId: string, author: string): Promise<void> {
    const h = natsHeaders();
    h.set(AUTHOR_HEADER, author);
    // The marker KV itself writes for a delete, with the author added.
    h.set('KV-Operation', 'DEL');
    const ack = await this.js.publish(subjectOf(`${agency}.${siteId}`), new Uint8Array(), { headers: h });
    this.written = Math.max(this.written, ack.seq);
  }

  /** Every version of the site, oldest first, with time and author; empty when it never existed. */
  async history(siteId: string): Promise<SiteVersion[]> {
    const versions: SiteVersion[] = [];
    const subject = subjectOf(`*.${siteId}`);
    for (let seq = 1; ;) {
      const m = await this.jsm.direct.getMessage(STREAM, { seq, next_by_subj: subject }).catch(() => null);
      if (!m) break;
      const operation = (m.header?.get('KV-Operation') || 'PUT') as SiteVersion['operation'];
      versions.push({
        revision: m.seq,
        at: m.time.toISOString(),
        author: m.header?.get(AUTHOR_HEADER) || null,
        operation,
        site: operation === 'PUT' ? (Site.safeParse(safeJson(m.string())).data ?? null) : null,
      });
      seq = m.seq + 1;
    }
    return versions;
  }

  /** Seeds the registry from the sample sites while it holds none; an edited registry is never overwritten. */
  async seedIfEmpty(sites: Site[]): Promise<number> {
    const { state } = await this.jsm.streams.info(STREAM);
    if (state.last_seq > 0) return 0;
    for (const site of sites) await this.put(site, 'seed:data/sites.json');
    await this.catchUp();
    return sites.length;
  }

  stop() {
    this.stopped = true;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
