import { z } from 'zod';
import type { EnquirySubmission } from './enquiry.js';

/**
 * The personal data of an enquiry: who the contact is, the firm's name, its plans in
 * its own words, and every note a person types. Each value is sealed with the
 * enquiry's own data key before it enters a workflow, a lead or an event
 * (infra/data-keys.ts), and stays a token everywhere Lotse stores it. Destroying the
 * key erases it from every store at once: the tokens stay, nobody can open them.
 */

export const SEALED_PREFIX = 'lotse:sealed:v1:';

/** What stays of an enquiry's data key after its erasure: when, why and by whom. */
export const Erased = z.object({
  state: z.literal('erased'),
  erasedAt: z.iso.datetime(),
  reason: z.string(),
  by: z.string(),
});
export type Erasure = z.infer<typeof Erased>;

export const isSealed = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(SEALED_PREFIX);

/** The submission with each personal value replaced by `seal(value)`; every other field as it was. */
export function sealSubmission(s: EnquirySubmission, seal: (plain: string) => string): EnquirySubmission {
  const { phone, ...contact } = s.contact;
  const { description, ...project } = s.project;
  return {
    ...s,
    company: { ...s.company, name: seal(s.company.name) },
    contact: {
      name: seal(contact.name),
      email: seal(contact.email),
      ...(phone === undefined ? {} : { phone: seal(phone) }),
    },
    project: { ...project, ...(description === undefined ? {} : { description: seal(description) }) },
  };
}

/** A copy of any answer with every sealed token replaced by what `open` makes of it; nothing else changes. */
export function openSealed<T>(value: T, open: (token: string) => string): T {
  if (isSealed(value)) return open(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => openSealed(v, open)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, openSealed(v, open)])) as T;
  }
  return value;
}

/** Whether an answer still holds a sealed token (a test's and a reviewer's check). */
export const holdsSealed = (value: unknown): boolean => JSON.stringify(value).includes(SEALED_PREFIX);

/** What the api shows where erased personal data was. */
export const erasedLabel = (erasedAt: string) =>
  `gelöscht am ${new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeZone: 'Europe/Berlin' }).format(new Date(erasedAt))}`;
