import { api } from './api.js';
import type { components } from './schema.js';
import { de } from './texts.js';

/**
 * Agencies, offices, Mittelzentren and measures by name (GET /v1/reference), asked for once after
 * sign-in, before any screen shows: every screen then names them at once, without a flash of ids.
 * Nobody needs to know "wfg-nordsachsen"; without an answer the ids are all there is to show.
 */

type Names = components['schemas']['ReferenceNames'];
type AgencyNames = Names['agencies'][number];

const agencies = new Map<string, AgencyNames>();
const offices = new Map<string, Names['offices'][number]>();
const areas = new Map<string, Names['areas'][number]>();
const measures = new Map<string, Names['measures'][number]>();

let loading: Promise<void> | undefined;

/** Loads the names once per page load; a failure leaves the ids, and the screens still work. */
export function loadNames(): Promise<void> {
  loading ??= api
    .GET('/v1/reference')
    .then(({ data }) => data && remember(data))
    .catch(() => undefined);
  return loading;
}

function remember(data: Names) {
  for (const a of data.agencies) {
    agencies.set(a.id, a);
    // The screens that read the word table (Flächen, a name typed into a filter) find them there too.
    de.agencies[a.id] = a.shortName;
  }
  for (const o of data.offices) {
    offices.set(o.id, o);
    de.offices[o.id] = o.title;
  }
  for (const a of data.areas) areas.set(a.id, a);
  for (const m of data.measures) measures.set(m.code, m);
}

/** "IRL" for irl; the id itself for an agency the reference data does not (or no longer) name. */
export const agencyShort = (id: string) => agencies.get(id)?.shortName ?? id;

/** "Invest Region Leipzig GmbH" for irl, or undefined. */
export const agencyFull = (id: string) => agencies.get(id)?.name;

/** "Oberbürgermeister der Stadt Leipzig" for ob-leipzig. */
export const officeTitle = (id: string) => offices.get(id)?.title ?? id;

/** "Torgau" for torgau: a Mittelzentrum by its name; the id for one the reference data does not name. */
export const areaName = (id: string) => areas.get(id)?.name ?? id;

/** "RB-NOS-1 Ansiedlungskampagne": a measure by its code (what the agreement's papers call it) and title. */
export const measureName = (code: string) => {
  const title = measures.get(code)?.title;
  return title ? `${code} ${title}` : code;
};

/** Every Mittelzentrum, as the reference data lists them: the choices of a field. */
export const allAreas = (): [string, string][] => [...areas.values()].map((a): [string, string] => [a.id, a.name]);

/** Every measure, by code: the choices of a field. */
export const allMeasures = (): [string, string][] =>
  [...measures.values()].map((m): [string, string] => [m.code, measureName(m.code)]);

/** Every agency, by short name: the choices of an agency filter. */
export const allAgencies = (): [string, string][] =>
  [...agencies.values()].map((a): [string, string] => [a.id, a.shortName]).sort((a, b) => a[1].localeCompare(b[1]));

/**
 * Who acted, in words, where a sentence names them: "Lotse" for `system`, "IRL" for `agency:irl`,
 * "irl.staff (IRL)" for `user:irl.staff@irl` (a vote's flag: its state carries no display name).
 */
export function actorName(actor: string): string {
  if (actor === 'system') return de.appName;
  if (actor.startsWith('agency:')) return agencyShort(actor.slice('agency:'.length));
  const user = /^user:(.+)@([^@]+)$/.exec(actor);
  return user ? `${user[1]!} (${agencyShort(user[2]!)})` : actor;
}
