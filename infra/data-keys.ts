import { randomBytes } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { z } from 'zod';
import { Erased, erasedLabel, openSealed, SEALED_PREFIX, type Erasure } from '../domain/personal-data.js';
import { DATA_KEYS_BUCKET, type NatsConnection } from './nats.js';
import { openBytes, sealBytes, type KeyRingCodec } from './payload-codec.js';

/**
 * Each enquiry's data key (envelope encryption): made at intake, kept in a NATS KV bucket
 * with history 1, wrapped by the payload key ring, so the bucket alone opens nothing.
 * Erasure overwrites the key's message in the stream (a secure delete) and leaves a
 * tombstone that says when and why: every token sealed with it is unreadable from then on.
 */

const STREAM = `KV_${DATA_KEYS_BUCKET}`;
/** The search index's key: enquiry ids start with an agency id and a dash, then hex digits. */
const SEARCH_KEY = 'lotse-search-index-v1';

const Active = z.object({ state: z.literal('active'), keyId: z.string(), key: z.string() });
const Entry = z.discriminatedUnion('state', [Active, Erased]);

/** The enquiry's personal data was erased: nothing can be sealed for it any more. */
export class PersonalDataErased extends Error {
  constructor(readonly erasure: Erasure) {
    super(`the personal data of this enquiry was erased at ${erasure.erasedAt}`);
  }
}

/** Reads an enquiry's tokens: their plain text, or where it was erased, when that happened. */
export interface Opener {
  open(token: string): string;
  erasure: Erasure | null;
}

export class DataKeys {
  private constructor(
    private readonly kv: KV,
    private readonly jsm: JetStreamManager,
    private readonly ring: KeyRingCodec,
  ) {}

  static async open(nc: NatsConnection, ring: KeyRingCodec): Promise<DataKeys> {
    return new DataKeys(await new Kvm(nc).open(DATA_KEYS_BUCKET), await jetstreamManager(nc), ring);
  }

  /**
   * The key of the read model's blind index of firm names (infra/read-model/search.ts): made
   * once, kept like an enquiry's (wrapped by the key ring) under a name no enquiry id has.
   */
  async searchKey(): Promise<Buffer> {
    this.search ??= this.keyOf(SEARCH_KEY);
    return this.search;
  }

  private search: Promise<Buffer> | undefined;

  /** Seals values with the enquiry's key, made now if it has none; throws PersonalDataErased after erasure. */
  async sealerFor(enquiryId: string): Promise<(plain: string) => string> {
    return this.sealer(enquiryId, await this.keyOf(enquiryId));
  }

  private sealer(enquiryId: string, key: Buffer) {
    return (plain: string) =>
      SEALED_PREFIX + sealBytes(key, Buffer.from(plain, 'utf8'), enquiryId).toString('base64url');
  }

  /**
   * Seals with the key the enquiry has (null where there is none: no enquiry at all, as a
   * stranger's request makes no key), and opens its tokens: both
   * from one read, for a decision that seals its note and answers readable. Throws after erasure.
   */
  async sealerAndOpenerFor(enquiryId: string): Promise<{ seal: ((plain: string) => string) | null; opener: Opener }> {
    const entry = await this.entryOf(enquiryId);
    if (entry?.state === 'erased') throw new PersonalDataErased(entry);
    const key = entry ? this.unwrap(enquiryId, entry) : null;
    return { seal: key && this.sealer(enquiryId, key), opener: this.opener(enquiryId, key, null) };
  }

  /** Opens the enquiry's tokens; after erasure each reads "gelöscht am …". */
  async openerFor(enquiryId: string): Promise<Opener> {
    const entry = await this.entryOf(enquiryId);
    if (entry?.state === 'active') return this.opener(enquiryId, this.unwrap(enquiryId, entry), null);
    return this.opener(enquiryId, null, entry);
  }

  private opener(enquiryId: string, key: Buffer | null, erasure: Erasure | null): Opener {
    if (!key) {
      const label = erasure ? erasedLabel(erasure.erasedAt) : 'nicht lesbar';
      return { open: () => label, erasure };
    }
    const open = (token: string) => {
      try {
        return openBytes(key, Buffer.from(token.slice(SEALED_PREFIX.length), 'base64url'), enquiryId).toString('utf8');
      } catch {
        // Sealed for another enquiry (copied in by hand): it is not this one's to open.
        return 'nicht lesbar';
      }
    };
    return { open, erasure: null };
  }

  /** A copy of an answer with the enquiry's tokens opened: for whom it is meant, after redaction. */
  async readable<T>(enquiryId: string, value: T): Promise<T> {
    return openSealed(value, (await this.openerFor(enquiryId)).open);
  }

  /** The erasure of the enquiry's personal data, when it happened. */
  async erasureOf(enquiryId: string): Promise<Erasure | null> {
    const entry = await this.entryOf(enquiryId);
    return entry?.state === 'erased' ? entry : null;
  }

  /**
   * Destroys the enquiry's key for good; a second call answers the first erasure. The
   * key's message is overwritten in the stream before the tombstone replaces it: a
   * plain delete would leave its bytes in the store's files until compaction.
   */
  async erase(enquiryId: string, why: { reason: string; by: string; at: Date }): Promise<Erasure> {
    const tombstone: Erasure = { state: 'erased', erasedAt: why.at.toISOString(), reason: why.reason, by: why.by };
    for (let attempt = 0; ; attempt++) {
      const { entry, revision } = await this.currentOf(enquiryId);
      if (entry?.state === 'erased') return entry;
      if (entry) await this.jsm.streams.deleteMessage(STREAM, revision, true);
      try {
        await this.kv.create(enquiryId, JSON.stringify(tombstone));
        return tombstone;
      } catch (err) {
        // An intake made a key in between: destroy that one too.
        if (attempt >= 5) throw err;
      }
    }
  }

  private async entryOf(enquiryId: string) {
    return (await this.currentOf(enquiryId)).entry;
  }

  /** The key's entry and its revision (its message's sequence in the stream); null entry when none. */
  private async currentOf(enquiryId: string) {
    const current = await this.kv.get(enquiryId);
    const entry = current && current.operation === 'PUT' ? Entry.parse(current.json()) : null;
    return { entry, revision: current?.revision ?? 0 };
  }

  /** The enquiry's key: made now when it has none (one round trip for a new enquiry), else the one it has. */
  private async keyOf(enquiryId: string): Promise<Buffer> {
    for (let attempt = 1; ; attempt++) {
      const key = randomBytes(32);
      const wrapped = this.ring.wrap(key, enquiryId);
      const made = { state: 'active', keyId: wrapped.keyId, key: wrapped.sealed.toString('base64') };
      try {
        await this.kv.create(enquiryId, JSON.stringify(made));
        return key;
      } catch (err) {
        // It has one (a repeated intake, or two intakes at once: one key wins), or it was erased.
        const entry = await this.entryOf(enquiryId);
        if (entry?.state === 'erased') throw new PersonalDataErased(entry);
        if (entry) return this.unwrap(enquiryId, entry);
        if (attempt >= 3) throw err;
      }
    }
  }

  private unwrap(enquiryId: string, entry: z.infer<typeof Active>): Buffer {
    return this.ring.unwrap(entry.keyId, Buffer.from(entry.key, 'base64'), enquiryId);
  }
}
