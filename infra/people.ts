import { Kvm, type KV } from '@nats-io/kv';
import { z } from 'zod';
import type { Logger } from './logger.js';
import { PEOPLE_BUCKET, type NatsConnection } from './nats.js';

/**
 * The people who use Lotse, as their sign-in told it: each person's display name and roles
 * from the last token they used, by agency and subject. The Verlauf names who acted ("Anna
 * Berger"), and staff give a task to a colleague from this list. Only the api writes it, when
 * a token says something new; every api process keeps the whole directory in memory through
 * a KV watch (an agency has tens of people, not thousands). Names never go into events, the
 * read model or Temporal: those keep the subject only. The same for the e-mail address a token
 * carries, which only the notifier reads (a visit's invitation, a firm's visit due): it is never
 * logged and never part of an answer but the person's own.
 */

export const Person = z.object({
  sub: z.string().min(1),
  agency: z.string().min(1),
  name: z.string().min(1).max(200),
  roles: z.array(z.string()),
  email: z.email().optional(),
  /** When the api first saw this name, these roles and this address. */
  since: z.iso.datetime(),
});
export type Person = z.infer<typeof Person>;

/** What a token says of the person: the directory keeps it when it differs from what it holds. */
export interface Seen {
  sub: string;
  agency: string;
  name?: string;
  roles: string[];
  email?: string;
}

/** KV keys allow letters, digits and `-_=.`: the subject (an e-mail address, a UUID) is base64url-encoded. */
const keyOf = (agency: string, sub: string) => `${agency}.${Buffer.from(sub).toString('base64url')}`;

export class People {
  private readonly known = new Map<string, Person>();

  private constructor(
    private readonly kv: KV,
    private readonly logger: Logger,
  ) {}

  static async open(nc: NatsConnection, logger: Logger): Promise<People> {
    const people = new People(await new Kvm(nc).open(PEOPLE_BUCKET), logger);
    await people.follow();
    return people;
  }

  /**
   * Follows the bucket; returns once what it held is in memory, or after CATCH_UP_MS (names
   * then appear as they arrive: a slow NATS must not keep the api from starting).
   */
  private async follow() {
    this.updates = await this.kv.watch();
    const updates = this.updates;
    let caughtUp!: () => void;
    const done = new Promise<void>((resolve) => (caughtUp = resolve));
    const empty = this.kv.status().then((s) => s.values === 0);
    void empty.then((yes) => yes && caughtUp(), caughtUp);
    void (async () => {
      for await (const entry of updates) {
        const person = entry.operation === 'PUT' ? Person.safeParse(safeJson(entry.string())) : null;
        if (person?.success) this.known.set(entry.key, person.data);
        else this.known.delete(entry.key);
        if (entry.delta === 0) caughtUp();
      }
    })().catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'the people directory stopped'));
    const timer = setTimeout(caughtUp, CATCH_UP_MS);
    await done;
    clearTimeout(timer);
  }

  private updates: Awaited<ReturnType<KV['watch']>> | undefined;

  stop() {
    this.updates?.stop();
  }

  /**
   * Keeps what a verified token says of its person when it is new or changed. Never fails the
   * request it came with: without NATS the name is kept with the next request.
   */
  saw(seen: Seen): void {
    if (!seen.name) return;
    const key = keyOf(seen.agency, seen.sub);
    const held = this.known.get(key);
    // A token without an address (Lotse's own development tokens) keeps the one a sign-in told before.
    const email = seen.email ?? held?.email;
    if (held && held.name === seen.name && held.email === email && sameRoles(held.roles, seen.roles)) return;
    const person: Person = {
      sub: seen.sub,
      agency: seen.agency,
      name: seen.name,
      roles: [...seen.roles].sort(),
      ...(email ? { email } : {}),
      since: new Date().toISOString(),
    };
    this.known.set(key, person);
    this.kv.put(key, JSON.stringify(person)).catch((err: unknown) => {
      // Not kept: the next request tries again; until then the name held before stands.
      if (held) this.known.set(key, held);
      else this.known.delete(key);
      this.logger.warn(
        { err: (err as Error).message },
        'a display name could not be kept now; kept with a later request',
      );
    });
  }

  /** The display name of a person of that agency, when Lotse has seen one. */
  nameOf(agency: string, sub: string): string | undefined {
    return this.known.get(keyOf(agency, sub))?.name;
  }

  /** Where the person is mailed, when a token told Lotse: for the notifier only. */
  addressOf(agency: string, sub: string): string | undefined {
    return this.known.get(keyOf(agency, sub))?.email;
  }

  /** `{ name }` where Lotse knows the person, else nothing: for spreading into an answer. */
  named(agency: string, sub: string): { name?: string } {
    const name = this.nameOf(agency, sub);
    return name ? { name } : {};
  }

  /** The agency's staff Lotse knows, by name. */
  staffOf(agency: string): Person[] {
    return [...this.known.values()]
      .filter((p) => p.agency === agency && p.roles.includes('staff'))
      .sort((a, b) => a.name.localeCompare(b.name, 'de'));
  }

  /** The person, when Lotse knows them as staff of that agency. */
  staffMember(agency: string, sub: string): Person | undefined {
    const person = this.known.get(keyOf(agency, sub));
    return person?.roles.includes('staff') ? person : undefined;
  }
}

const CATCH_UP_MS = 5000;

const sameRoles = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
