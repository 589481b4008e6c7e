import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { fieldPath } from '../domain/field-path.js';
import { PlaceIndex, PlacesFile } from '../domain/places.js';
import { AreasFile, MeasuresFile, type Area, type Measure } from '../domain/programme.js';
import {
  AgenciesFile,
  AgreementsFile,
  crossCheck,
  SitesFile,
  SuccessionsFile,
  type ReferenceData,
  type ReferenceIssue,
  type Site,
} from '../domain/reference.js';

/** The municipalities file (domain/places.ts), filled by `npm run import:places`. */
export const PLACES = 'places.json';
const NO_PLACES: PlacesFile = { source: 'none', places: [] };
/** A programme's areas and measures (domain/programme.ts); optional, like the places. */
export const AREAS = 'areas.json';
export const MEASURES = 'measures.json';
const NO_AREAS: AreasFile = { source: 'none', areas: [] };

/** Reads the operator-edited reference folder; a broken file stops the start with file, entry and field named. */

export class ReferenceDataError extends Error {
  constructor(
    readonly dir: string,
    readonly issues: ReferenceIssue[],
  ) {
    super(`reference data in ${dir} is invalid:\n${issues.map((i) => `  ${describe(i)}`).join('\n')}`);
  }
}

function describe(issue: ReferenceIssue): string {
  const [entry, ...field] = issue.path;
  const where = typeof entry === 'number' ? `entry ${entry}` : String(entry ?? '');
  const path = fieldPath(field);
  return `${issue.file}: ${where}${path ? `, field ${path}` : ''}: ${issue.message}`;
}

function readFile<T extends z.ZodType>(
  dir: string,
  file: string,
  schema: T,
  issues: ReferenceIssue[],
): z.infer<T> | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  } catch (err) {
    issues.push({
      file,
      path: [],
      message: err instanceof SyntaxError ? `not valid JSON: ${err.message}` : (err as Error).message,
    });
    return undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues)
      issues.push({ file, path: i.path as (string | number)[], message: withId(raw, i) });
    return undefined;
  }
  return parsed.data;
}

/** Names the entry by its id as well, so that "entry 3" can be found in a long file. */
function withId(raw: unknown, issue: z.core.$ZodIssue): string {
  const entry = Array.isArray(raw) && typeof issue.path[0] === 'number' ? raw[issue.path[0]] : undefined;
  const id =
    entry && typeof entry === 'object'
      ? ((entry as Record<string, unknown>).id ?? (entry as Record<string, unknown>).siteId)
      : undefined;
  return typeof id === 'string' ? `${issue.message} (entry "${id}")` : issue.message;
}

export interface ReferenceFolder extends ReferenceData {
  /** Sample sites, seeded into the registry while it is empty. */
  sites: Site[];
  /** Municipalities, counties and Länder by key and name (places.json; none where it is missing). */
  places: PlaceIndex;
  areas: Area[];
  measures: Measure[];
}

export function loadReference(dir: string): ReferenceFolder {
  const issues: ReferenceIssue[] = [];
  const agencies = readFile(dir, 'agencies.json', AgenciesFile, issues);
  const agreements = readFile(dir, 'agreements.json', AgreementsFile, issues);
  const optionalFile = <T extends z.ZodType>(file: string, schema: T) =>
    existsSync(path.join(dir, file)) ? readFile(dir, file, schema, issues) : [];
  const successions = optionalFile('ags-successions.json', SuccessionsFile);
  const sites = optionalFile('sites.json', SitesFile);
  const places = existsSync(path.join(dir, PLACES)) ? readFile(dir, PLACES, PlacesFile, issues) : NO_PLACES;
  const areas = existsSync(path.join(dir, AREAS)) ? readFile(dir, AREAS, AreasFile, issues) : NO_AREAS;
  const measures = optionalFile(MEASURES, MeasuresFile);
  if (!agencies || !agreements || !successions || !sites || !places || !areas || !measures)
    throw new ReferenceDataError(dir, issues);
  const ref = {
    agencies,
    agreements,
    successions,
    sites,
    places: new PlaceIndex(places.places),
    areas: areas.areas,
    measures,
  };
  const crossIssues = crossCheck(ref, sites);
  if (crossIssues.length > 0) throw new ReferenceDataError(dir, crossIssues);
  return ref;
}

/**
 * Reference data as the worker's activities see it: reloaded when a file changes,
 * so an operator's edit takes effect without a restart. A broken edit keeps the last
 * good data and is reported.
 */
export class ReferenceStore {
  private data: ReferenceFolder;
  private stamp: string;
  private checkedAt = Date.now();

  /**
   * `recheckMs`: how often `get()` looks at the files (a stat call per file), not on every
   * call: the intake and each lookup read the reference data, hundreds of times a second.
   */
  constructor(
    private readonly dir: string,
    private readonly onError: (err: Error) => void,
    private readonly recheckMs = 1_000,
  ) {
    this.data = loadReference(dir);
    this.stamp = this.currentStamp();
  }

  get(): ReferenceFolder {
    if (Date.now() - this.checkedAt < this.recheckMs) return this.data;
    this.checkedAt = Date.now();
    const stamp = this.currentStamp();
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      try {
        this.data = loadReference(this.dir);
      } catch (err) {
        this.onError(err as Error);
      }
    }
    return this.data;
  }

  private currentStamp(): string {
    return ['agencies.json', 'agreements.json', 'ags-successions.json', 'sites.json', PLACES, AREAS, MEASURES]
      .map((f) => {
        try {
          // Size too: two edits within one tick of the file system's clock share an mtime.
          const st = statSync(path.join(this.dir, f));
          return `${st.mtimeMs}:${st.size}`;
        } catch {
          return '-';
        }
      })
      .join('|');
  }
}
