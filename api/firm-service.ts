import { randomBytes } from 'node:crypto';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { REFUSAL_TYPES } from '../contract/enquiry-workflow.js';
import {
  firmQuery,
  firmWorkflowId,
  type CareTermsNow,
  type FirmAnswer,
  type FirmView,
} from '../contract/firm-workflow.js';
import { coCarersOf, visitEveryMonths } from '../domain/care.js';
import type { Actor } from '../domain/decisions.js';
import { contactKeyId, firmKeyId, type FirmInput, type FirmRecord } from '../domain/firms.js';
import type { PlaceIndex } from '../domain/places.js';
import { openSealed } from '../domain/personal-data.js';
import type { Agency, Agreement } from '../domain/reference.js';
import { DEFAULT_CONCERN_WITHIN } from '../domain/visits.js';
import { calendarOf, deadlineAfter, type Period } from '../domain/working-days.js';
import { PersonalDataErased, type DataKeys } from '../infra/data-keys.js';
import type { People } from '../infra/people.js';
import type { ReadModel } from '../infra/read-model/index.js';
import type { Starter } from '../infra/temporal.js';
import type { Caller } from './auth.js';
import { Problem, temporalProblem, type FieldError } from './problem.js';

/** What the firm routes share: the care terms of the agreements, sealing, the workflow's answers. */

export interface FirmDeps {
  temporal: Client;
  taskQueue: string;
  starter: Starter;
  dataKeys: DataKeys;
  people: People;
  readModel: ReadModel;
  agencies: () => Agency[];
  agreements: () => Agreement[];
  places: () => PlaceIndex;
}

export const actorOf = (c: Caller): Actor => ({ sub: c.sub, agency: c.agency, roles: c.roles, offices: c.offices });

/** Who cares for the firm with its agency, and how often it is visited, by the agreements as they are now. */
export function termsFor(deps: FirmDeps, firm: Pick<FirmRecord, 'agency' | 'sites' | 'careLevel'>): CareTermsNow {
  const agreements = deps.agreements();
  return {
    coCarers: coCarersOf(firm, agreements),
    visitEveryMonths: visitEveryMonths(firm, firm.careLevel, agreements),
  };
}

/**
 * What the reference data says about a firm's entry: every site in a municipality Lotse knows,
 * the first (main) site in the area the agency covers. Field errors, none when it fits.
 */
export function firmInputErrors(deps: FirmDeps, agency: string, input: FirmInput): FieldError[] {
  const errors: FieldError[] = [];
  const places = deps.places();
  // Without a places file (a reference folder that has none), any well-formed key is taken.
  input.sites.forEach((site, i) => {
    const place = places.label(site.ags);
    if (places.size > 0 && (!place || place.kind !== 'gemeinde' || place.successor)) {
      errors.push({ path: `sites[${i}].ags`, message: `Keine Gemeinde hat den Schlüssel ${site.ags}.` });
    }
  });
  const own = deps.agencies().find((a) => a.id === agency);
  const main = input.sites[0];
  if (errors.length === 0 && own && main && !own.covers.some((p) => main.ags.startsWith(p))) {
    errors.push({ path: 'sites[0].ags', message: `Der Hauptstandort liegt nicht im Gebiet von ${own.shortName}.` });
  }
  return errors;
}

/** The agencies a concern of the firm may go to: its carers and every agency sharing an agreement with its agency. */
export function concernAgencies(deps: FirmDeps, firm: { agency: string }, terms: CareTermsNow): string[] {
  const partners = deps
    .agreements()
    .filter((a) => a.parties.includes(firm.agency))
    .flatMap((a) => a.parties);
  return [...new Set([firm.agency, ...terms.coCarers, ...partners])].sort();
}

/** When a concern's answer is due, in the handling agency's calendar, and its reminder a working day before. */
export function concernInstants(deps: FirmDeps, handledBy: string, within: Period = DEFAULT_CONCERN_WITHIN) {
  const agency = deps.agencies().find((a) => a.id === handledBy);
  const calendar = calendarOf(agency ?? { covers: ['14'] });
  const now = new Date();
  const due = deadlineAfter(now, within, calendar);
  const remindAt =
    typeof within === 'string'
      ? new Date(due.getTime() - Math.min(24 * 3600_000, (due.getTime() - now.getTime()) / 2))
      : deadlineAfter(now, { workingDays: Math.max(0, within.workingDays - 1) }, calendar);
  return { due: due.toISOString(), remindAt: remindAt.toISOString() };
}

/** The firm's facts with each contact person sealed with a key of their own (kept ids stay, new ones get one). */
export async function sealFirm(deps: FirmDeps, firmId: string, agency: string, input: FirmInput): Promise<FirmRecord> {
  const sealed = await Promise.all(
    input.contacts.map(async (c) => {
      const contactId = c.contactId ?? `p${randomBytes(4).toString('hex')}`;
      const seal = await deps.dataKeys.sealerFor(contactKeyId(firmId, contactId)).catch((err: unknown) => {
        // An erased person sent back as the form showed them ("gelöscht am …"): gone for good, left out.
        if (err instanceof PersonalDataErased) return null;
        throw err;
      });
      if (!seal) return null;
      const sealed = (v?: string) => (v === undefined ? {} : { value: seal(v) });
      return {
        contactId,
        name: seal(c.name),
        ...(c.role !== undefined ? { role: sealed(c.role).value } : {}),
        ...(c.email !== undefined ? { email: sealed(c.email).value } : {}),
        ...(c.phone !== undefined ? { phone: sealed(c.phone).value } : {}),
      };
    }),
  );
  const contacts = sealed.filter((c): c is NonNullable<typeof c> => c !== null);
  return { ...input, firmId, agency, contacts };
}

/** Seals a note with the firm's key; 409 once the firm's personal data was erased (no key to seal with). */
export async function sealNote(deps: FirmDeps, firmId: string, note: string): Promise<string> {
  try {
    return (await deps.dataKeys.sealerFor(firmKeyId(firmId)))(note);
  } catch (err) {
    if (!(err instanceof PersonalDataErased)) throw err;
    throw Problem.conflict(`Die personenbezogenen Daten des Unternehmens wurden am ${err.erasure.erasedAt} gelöscht.`);
  }
}

/** The firm's contacts opened, each with its own key; an erased person is gone from the answer. */
export async function openContacts(deps: FirmDeps, firm: FirmRecord) {
  const opened = await Promise.all(
    firm.contacts.map(async (c) => {
      const opener = await deps.dataKeys.openerFor(contactKeyId(firm.firmId, c.contactId));
      return opener.erasure ? null : openSealed(c, opener.open);
    }),
  );
  return opened.filter((c): c is NonNullable<typeof c> => c !== null);
}

/** The firm as its workflow knows it, for a caller who may see it; 404 for anyone else, as for no firm at all. */
export async function firmFor(deps: FirmDeps, caller: Caller, firmId: string): Promise<FirmView> {
  let view: FirmView;
  try {
    view = await acrossRuns(() => deps.temporal.workflow.getHandle(firmWorkflowId(firmId)).query(firmQuery));
  } catch (err) {
    if (isNotFound(err)) throw noFirm(firmId, caller);
    throw temporalProblem(err, 'Reading the firm') ?? Problem.unavailable('The firm cannot be read right now.');
  }
  if (!view.summary.readers.includes(caller.agency)) throw noFirm(firmId, caller);
  return view;
}

const noFirm = (firmId: string, caller: Caller) =>
  Problem.notFound(`There is no firm "${firmId}" for agency "${caller.agency}".`);

const REFUSAL_STATUS: Record<string, (m: string) => Problem> = {
  [REFUSAL_TYPES.not_found]: Problem.notFound,
  [REFUSAL_TYPES.forbidden]: Problem.forbidden,
  [REFUSAL_TYPES.conflict]: Problem.conflict,
  [REFUSAL_TYPES.invalid]: (m) => Problem.invalid(m, []),
};

/** Runs a change of the firm's care; the workflow's validator answers at once, a refusal leaves no trace. */
export async function changeFirm<Args>(
  deps: FirmDeps,
  caller: Caller,
  firmId: string,
  update: UpdateDefinition<FirmAnswer, [Args]>,
  args: Args,
): Promise<FirmAnswer> {
  const handle = deps.temporal.workflow.getHandle(firmWorkflowId(firmId));
  try {
    return await acrossRuns(() => handle.executeUpdate(update, { args: [args] }));
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type && REFUSAL_STATUS[cause.type]) {
      throw REFUSAL_STATUS[cause.type]!(cause.message);
    }
    if (isNotFound(err)) throw noFirm(firmId, caller);
    throw temporalProblem(err, 'Recording it') ?? Problem.unavailable(`It could not be recorded right now.`);
  }
}

/**
 * A firm's workflow continues as new now and then (FIRM_HISTORY_LIMIT): for that instant a query
 * or an update to it fails as if it were gone or Temporal away, and its next run answers. Tried a
 * few times within half a second; a refusal of the workflow's own is not tried again.
 */
async function acrossRuns<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const refused = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure;
      if (refused || attempt >= 4 || !(isNotFound(err) || temporalProblem(err, '') !== undefined)) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

const isNotFound = (err: unknown) =>
  err instanceof WorkflowNotFoundError ||
  (err as Error).name === 'WorkflowNotFoundError' ||
  /not found/i.test((err as Error).message);
