import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, useLastData, useLoad } from '../api.js';
import type { Session } from '../auth.js';
import { area, areaBoth, dateTime, day, decimal, parseGermanNumber } from '../format.js';
import { AgencyName, ErrorAlert, FilterInput, FilterSelect, Headings, Item, Loaded, Scrollable } from '../parts.js';
import { agencyShort, allAgencies } from '../names.js';
import { SaidAlert, useSaid } from '../said.js';
import { de } from '../texts.js';
import { PlaceField, PlaceName, placeWords, usePlaceNames } from '../place-field.js';
import { isPlaced, SiteMap, type Pin } from '../site-map.js';
import { FIELDS, SiteForm, type Site } from './site-form.js';

const t = de.sites;
const PLACE_COLUMN = 'Ort';
const agencyName = agencyShort;

/**
 * Flächen: the shared registry of commercial sites, searchable (the search kept in the
 * address); each site's page has its history.
 */
export function Sites({ session }: { session: Session }) {
  const { url, query, route } = useLocation();
  // Searching again with the same terms asks again too.
  const [searched, setSearched] = useState(0);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const sites = useLoad(() => api.GET('/v1/sites', { params: { query: query as never } }), [url, searched]);
  // A search the api refuses keeps the last list on screen, with the field marked.
  const list = useLastData(sites);
  const apply = (ev: Event) => {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const next = searchOf(new FormData(form));
    const place = form.elements.namedItem('ags') as HTMLInputElement | null;
    if (place?.dataset.unchosen === 'true') next.errors.ags = placeWords.choose;
    setTyped(next.errors);
    if (Object.keys(next.errors).length > 0) return;
    route(`/flaechen?${new URLSearchParams(next.query)}`, true);
    setSearched((n) => n + 1);
  };
  const wrong = { ...serverErrors(sites.fields ?? []), ...typed };
  return (
    <section aria-labelledby="flaechen">
      <h1 id="flaechen" class="kern-heading-large">
        {t.title}
      </h1>
      <form class="lotse-filters" onSubmit={apply} key={url} noValidate>
        <FilterSelect label={t.filters.agency} name="agency" value={query.agency} options={allAgencies()} />
        <PlaceField label={t.filters.ags} hint={t.filters.agsHint} name="ags" value={query.ags} error={wrong.ags} />
        <FilterInput
          label={t.filters.minArea}
          name="minAreaM2"
          type="number"
          value={shownNumber(query.minAreaM2)}
          error={wrong.minAreaM2}
        />
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.filters.search}</span>
        </button>
      </form>
      {sites.error && <ErrorAlert detail={sites.error} />}
      {list === undefined ? (
        !sites.error && (
          <p role="status" class="kern-body">
            {de.loading}
          </p>
        )
      ) : list.length === 0 ? (
        <p class="kern-body">{t.empty}</p>
      ) : (
        <>
          <SiteMap
            label={de.map.sites}
            pins={pinsOf(list)}
            unplaced={list.length - list.filter(isPlaced).length}
            skipTo={LIST}
          />
          <div id={LIST} tabIndex={-1}>
            <SiteTable sites={list} />
          </div>
        </>
      )}
      {session.roles.includes('staff') && (
        <p class="kern-body">
          {t.ownHint(agencyName(session.agency))}{' '}
          <a class="kern-link" href="/neue-flaeche">
            {t.create}
          </a>
        </p>
      )}
    </section>
  );
}

/** The search as the api takes it: agency names to their Kennung, "5.000" m² to 5000; or what is wrong. */
function searchOf(form: FormData): { query: Record<string, string>; errors: Record<string, string> } {
  const query: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const [k, raw] of form) {
    const v = String(raw).trim();
    if (v === '') continue;
    if (k !== 'minAreaM2') query[k] = v;
    else {
      const n = parseGermanNumber(v);
      if (n.ok && n.value > 0) query[k] = String(n.value);
      else errors[k] = n.ok ? t.hints.areaM2! : de.numbers[n.reason]!;
    }
  }
  return { query, errors };
}

const serverErrors = (fields: string[]): Record<string, string> => {
  const words: Record<string, string> = {
    agency: t.filters.agencyWrong,
    ags: t.filters.agsWrong,
    minAreaM2: de.numbers.invalid!,
  };
  return Object.fromEntries(fields.map((f) => [f, words[f] ?? t.invalid]));
};

/** Where the map's skip link leads: the table of the same sites. */
const LIST = 'flaechen-liste';

/** The listed sites that have a place, each with its agency and size, as the table names them. */
const pinsOf = (sites: Site[]): Pin[] =>
  sites.filter(isPlaced).map((s) => ({
    key: `${s.agency}.${s.siteId}`,
    name: s.name,
    href: `/flaechen/${s.siteId}`,
    lat: s.lat,
    lon: s.lon,
    kind: 'site',
    status: `${agencyName(s.agency)}, ${area(s.areaM2)}`,
  }));

/** "5000" in the address shows as "5.000" in the field. */
const shownNumber = (v?: string) => (v && /^\d+(\.\d+)?$/.test(v) ? decimal(Number(v)) : v);

function SiteTable({ sites }: { sites: Site[] }) {
  const place = usePlaceNames(sites.map((s) => s.ags));
  const headings = [t.columns.name, PLACE_COLUMN, t.columns.agency, t.columns.area, t.columns.zoning, t.columns.rail];
  return (
    <Scrollable label={t.title}>
      <table class="kern-table">
        <caption class="kern-title">{t.count(sites.length)}</caption>
        <Headings names={[...headings, t.columns.available]} />
        <tbody class="kern-table__body">
          {sites.map((s) => (
            <tr class="kern-table__row" key={s.siteId}>
              <td class="kern-table__cell">
                <a class="kern-link" href={`/flaechen/${s.siteId}`}>
                  {s.name}
                </a>
              </td>
              <td class="kern-table__cell">{place(s.ags)}</td>
              <td class="kern-table__cell">
                <AgencyName id={s.agency} />
              </td>
              <td class="kern-table__cell lotse-nowrap">{area(s.areaM2)}</td>
              <td class="kern-table__cell">{s.zoning}</td>
              <td class="kern-table__cell">{s.railAccess ? de.enquiry.yes : de.enquiry.no}</td>
              <td class="kern-table__cell">{day(s.availableFrom)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scrollable>
  );
}

type Version = {
  revision: number;
  at: string;
  author: string | null;
  authorName?: string;
  operation: string;
  site: Site | null;
};

/**
 * One site: its facts for everyone signed in, the form for its owner's staff (errors at the
 * field), and every earlier version. After a save the form shows what was saved.
 */
export function SitePage({ id, session }: { id: string; session: Session }) {
  const versions = useLoad(() => api.GET('/v1/sites/{siteId}/history', { params: { path: { siteId: id } } }), [id]);
  const { said, say } = useSaid();
  const last = versions.data?.at(-1);
  const current = last?.site ?? null;
  const mayChange = current?.agency === session.agency && session.roles.includes('staff');
  const saved = (site: Site) => {
    say(t.savedMessage(site.name));
    versions.reload();
  };
  const withdrawn = (site: Site) => {
    say(t.withdrawnMessage(site.name));
    versions.reload();
  };
  return (
    <article aria-labelledby="flaeche">
      <p class="kern-body">
        <a class="kern-link" href="/flaechen">
          {t.back}
        </a>
      </p>
      <h1 id="flaeche" class="kern-heading-large">
        {last ? (current?.name ?? t.withdrawn) : t.loading}
      </h1>
      <SaidAlert said={said} />
      <Loaded load={versions} problem={(detail, status) => (status === 404 ? t.notFound : detail)}>
        {(list) => (
          <>
            {current && <Facts site={current} />}
            {current && mayChange && (
              // Another version is another form: a draft of an older one does not come back.
              <SiteForm
                key={last!.revision}
                site={current}
                revision={last!.revision}
                onSaved={saved}
                onWithdrawn={withdrawn}
              />
            )}
            {list.length > 0 && <History versions={list} />}
          </>
        )}
      </Loaded>
    </article>
  );
}

/** What the site is now, read-only: for partners, and for the owner a check of what was saved. */
function Facts({ site: s }: { site: Site }) {
  const l = t.factLabels;
  return (
    <section aria-labelledby="angaben">
      <h2 id="angaben" class="kern-heading-medium">
        {t.facts}
      </h2>
      <dl class="kern-description-list">
        <Item term={l.agency!} value={<AgencyName id={s.agency} />} />
        <Item term={l.ags!} value={<PlaceName ags={s.ags} />} />
        <Item term={l.areaM2!} value={areaBoth(s.areaM2)} />
        <Item term={l.zoning!} value={t.zonings[s.zoning] ?? s.zoning} />
        <Item term={l.railAccess!} value={s.railAccess ? de.enquiry.yes : de.enquiry.no} />
        <Item term={l.motorwayKm!} value={t.km(decimal(s.motorwayKm))} />
        <Item term={l.powerMw!} value={t.mw(decimal(s.powerMw))} />
        <Item term={l.availableFrom!} value={day(s.availableFrom)} />
        <Item
          term={l.pricePerM2Eur!}
          value={s.pricePerM2Eur === undefined ? t.noPrice : t.eurPerM2(decimal(s.pricePerM2Eur))}
        />
      </dl>
    </section>
  );
}

/** "seed:data/sites.json" and "user:irl.staff@irl" in words. */
function authorOf({ author, authorName }: Version): string {
  if (!author) return t.authors.unknown;
  if (author.startsWith('seed:')) return t.authors.seed;
  const user = /^user:(.+)@([^@]+)$/.exec(author);
  return user ? t.authors.user(authorName ?? user[1]!, agencyName(user[2]!)) : author;
}

/** Every version, newest first, with what changed, who changed it and when. */
function History({ versions }: { versions: Version[] }) {
  const place = usePlaceNames(versions.flatMap((v) => (v.site ? [v.site.ags] : [])));
  const rows = versions.map((v, i) => ({ v, changes: diff(versions[i - 1]?.site ?? null, v.site, place) })).reverse();
  return (
    <section aria-labelledby="historie">
      <h2 id="historie" class="kern-heading-medium">
        {t.history}
      </h2>
      <ol class="kern-list">
        {rows.map(({ v, changes }) => (
          <li key={v.revision}>
            {`${dateTime(v.at)}, ${authorOf(v)}: `}
            {v.operation === 'PUT' ? changes.join('; ') || t.unchanged : t.withdrawn}
          </li>
        ))}
      </ol>
    </section>
  );
}

function shown(k: keyof Site, v: unknown, place: (ags: string) => string): string {
  if (v === undefined) return '–';
  if (k === 'ags') return place(String(v));
  if (k === 'areaM2') return areaBoth(Number(v));
  if (k === 'availableFrom') return day(String(v));
  if (typeof v === 'boolean') return v ? de.enquiry.yes : de.enquiry.no;
  return typeof v === 'number' ? decimal(v) : String(v);
}

function diff(before: Site | null, after: Site | null, place: (ags: string) => string): string[] {
  if (!after) return [];
  if (!before) return [t.created];
  return FIELDS.map(([k]) => k)
    .filter((k) => before[k] !== after[k])
    .map((k) => `${t.fields[k] ?? k}: ${shown(k, before[k], place)} → ${shown(k, after[k], place)}`);
}
