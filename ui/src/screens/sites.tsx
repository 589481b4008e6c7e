import { useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, problemDetail, useLoad } from '../api.js';
import { useDraft } from '../drafts.js';
import type { Session } from '../auth.js';
import { area, count, dateTime, day } from '../format.js';
import type { components } from '../schema.js';
import { FilterInput, Loaded, Scrollable } from '../parts.js';
import { de } from '../texts.js';

type Site = components['schemas']['Site'];
const t = de.sites;

/**
 * Flächen: the shared registry of commercial sites, searchable (the search kept in the
 * address); each site's page has its history.
 */
export function Sites({ session }: { session: Session }) {
  const { url, query, route } = useLocation();
  // Searching again with the same terms asks again too.
  const [searched, setSearched] = useState(0);
  const sites = useLoad(() => api.GET('/v1/sites', { params: { query: query as never } }), [url, searched]);
  const apply = (ev: Event) => {
    ev.preventDefault();
    const next = Object.fromEntries(
      [...new FormData(ev.target as HTMLFormElement)].filter(([, v]) => v !== ''),
    ) as Record<string, string>;
    route(`/flaechen?${new URLSearchParams(next)}`, true);
    setSearched((n) => n + 1);
  };
  return (
    <section aria-labelledby="flaechen">
      <h1 id="flaechen" class="kern-heading-large">
        {t.title}
      </h1>
      <form class="lotse-filters" onSubmit={apply}>
        <FilterInput label={t.filters.agency} name="agency" value={query.agency} />
        <FilterInput label={t.filters.ags} name="ags" value={query.ags} />
        <FilterInput label={t.filters.minArea} name="minAreaM2" value={query.minAreaM2} />
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.filters.search}</span>
        </button>
      </form>
      <Loaded load={sites}>
        {(list) => (list.length === 0 ? <p class="kern-body">{t.empty}</p> : <SiteTable sites={list} />)}
      </Loaded>
      {session.roles.includes('staff') && (
        <p class="kern-body">
          {t.ownHint(session.agency)}{' '}
          <a class="kern-link" href="/neue-flaeche">
            {t.create}
          </a>
        </p>
      )}
    </section>
  );
}

function SiteTable({ sites }: { sites: Site[] }) {
  return (
    <Scrollable label={t.title}>
      <table class="kern-table">
        <caption class="kern-body">{t.count(sites.length)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.columns.name}</th>
            <th scope="col">{t.columns.agency}</th>
            <th scope="col">{t.columns.area}</th>
            <th scope="col">{t.columns.zoning}</th>
            <th scope="col">{t.columns.rail}</th>
            <th scope="col">{t.columns.available}</th>
          </tr>
        </thead>
        <tbody>
          {sites.map((s) => (
            <tr key={s.siteId}>
              <td>
                <a class="kern-link" href={`/flaechen/${s.siteId}`}>
                  {s.name}
                </a>
              </td>
              <td>{s.agency}</td>
              <td>{area(s.areaM2)}</td>
              <td>{s.zoning}</td>
              <td>{s.railAccess ? de.enquiry.yes : de.enquiry.no}</td>
              <td>{day(s.availableFrom)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scrollable>
  );
}

type Version = { revision: number; at: string; author: string | null; operation: string; site: Site | null };
type FieldErrors = Record<string, string>;

/** One site: what it is now, edited by its owner's staff with errors at the field, and every earlier version. */
export function SitePage({ id, session }: { id: string; session: Session }) {
  const versions = useLoad(() => api.GET('/v1/sites/{siteId}/history', { params: { path: { siteId: id } } }), [id]);
  const current = versions.data?.at(-1)?.site ?? null;
  return (
    <article aria-labelledby="flaeche">
      <p class="kern-body">
        <a class="kern-link" href="/flaechen">
          {t.back}
        </a>
      </p>
      <h1 id="flaeche" class="kern-heading-large">
        {current?.name ?? t.withdrawn}
      </h1>
      <Loaded load={versions}>
        {(list) => (
          <>
            {current && current.agency === session.agency && session.roles.includes('staff') && (
              <SiteForm site={current} onSaved={versions.reload} />
            )}
            {list.length > 0 && <History versions={list} />}
          </>
        )}
      </Loaded>
    </article>
  );
}

type Field = [keyof Site, 'text' | 'number' | 'date' | 'bool' | 'zoning'];
const FIELDS: Field[] = [
  ['name', 'text'],
  ['ags', 'text'],
  ['areaM2', 'number'],
  ['zoning', 'zoning'],
  ['railAccess', 'bool'],
  ['motorwayKm', 'number'],
  ['powerMw', 'number'],
  ['availableFrom', 'date'],
  ['pricePerM2Eur', 'number'],
];

/** A new site (no `site`) or a change to one; the draft survives a sign-in in between. */
function SiteForm({ site, onSaved }: { site?: Site; onSaved: (site: Site) => void }) {
  const fields: Field[] = site ? FIELDS : [['siteId', 'text'], ...FIELDS];
  const initial = Object.fromEntries(
    fields.map(([k, kind]) => [
      k,
      site?.[k] === undefined ? (kind === 'bool' ? 'false' : kind === 'zoning' ? 'GI' : '') : String(site[k]),
    ]),
  );
  const [draft, setDraft, draftSent] = useDraft<Record<string, string>>(`site:${site?.siteId ?? 'neu'}`, initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const siteId = site?.siteId ?? draft.siteId ?? '';
  const save = async (ev: Event) => {
    ev.preventDefault();
    const body = Object.fromEntries(
      FIELDS.filter(([k]) => draft[k] !== '').map(([k, kind]) => [
        k,
        kind === 'number' ? Number(draft[k]!.replace(',', '.')) : kind === 'bool' ? draft[k] === 'true' : draft[k],
      ]),
    );
    const { data, error, response } = await api.PUT('/v1/sites/{siteId}', {
      params: { path: { siteId: siteId || '-' } },
      body: body as never,
    });
    if (data) {
      setErrors({});
      setMessage(t.saved);
      draftSent();
      onSaved(data);
      return;
    }
    const fieldErrors = (error as { errors?: { path: string; message: string }[] } | undefined)?.errors ?? [];
    // A site id that is no slug is refused as the path's; it is this form's first field.
    const at = (path: string) => (path === '' || path.startsWith('params') ? 'siteId' : path);
    setErrors(Object.fromEntries(fieldErrors.map((e) => [at(e.path), t.hints[at(e.path)] ?? t.invalid])));
    setMessage(problemDetail(error, response.status));
  };
  const heading = site ? 'bearbeiten' : 'anlegen';
  return (
    <form onSubmit={save} aria-labelledby={heading} noValidate>
      {site && (
        <h2 id={heading} class="kern-heading-medium">
          {t.edit}
        </h2>
      )}
      {fields.map(([k, kind]) => (
        <EditField
          key={k}
          name={k}
          kind={kind}
          value={draft[k] ?? ''}
          error={errors[k]}
          onInput={(v) => setDraft({ ...draft, [k]: v })}
        />
      ))}
      <button class="kern-btn kern-btn--primary" type="submit">
        <span class="kern-label">{site ? t.save : t.create}</span>
      </button>{' '}
      {site && <Withdraw site={site} onDone={() => onSaved(site)} onProblem={setMessage} />}
      <div aria-live="polite">
        {message && (
          <p class="kern-body" role="status">
            {message}
          </p>
        )}
      </div>
    </form>
  );
}

/** Withdrawing a site asks first, in a modal dialog that holds the focus and gives it back. */
function Withdraw(props: { site: Site; onDone: () => void; onProblem: (m: string) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const withdraw = async () => {
    dialog.current?.close();
    const { response } = await api.DELETE('/v1/sites/{siteId}', { params: { path: { siteId: props.site.siteId } } });
    if (response.status === 204) props.onDone();
    else props.onProblem(problemDetail(undefined, response.status));
  };
  return (
    <>
      <button class="kern-btn kern-btn--secondary" type="button" onClick={() => dialog.current?.showModal()}>
        <span class="kern-label">{t.withdraw}</span>
      </button>
      <dialog ref={dialog} class="kern-dialog" aria-labelledby="zurueckziehen-titel">
        <div class="kern-dialog__header">
          <h2 id="zurueckziehen-titel" class="kern-heading-medium">
            {t.withdrawQuestion(props.site.name)}
          </h2>
        </div>
        <div class="kern-dialog__body">
          <p class="kern-body">{t.withdrawConsequence}</p>
        </div>
        <div class="kern-dialog__footer">
          <button class="kern-btn kern-btn--secondary" type="button" onClick={() => dialog.current?.close()}>
            <span class="kern-label">{t.keep}</span>
          </button>{' '}
          <button class="kern-btn kern-btn--primary" type="button" onClick={() => void withdraw()}>
            <span class="kern-label">{t.withdraw}</span>
          </button>
        </div>
      </dialog>
    </>
  );
}

/** Neue Fläche: staff create a site of their agency. */
export function NewSite() {
  const { route } = useLocation();
  return (
    <article aria-labelledby="anlegen">
      <p class="kern-body">
        <a class="kern-link" href="/flaechen">
          {t.back}
        </a>
      </p>
      <h1 id="anlegen" class="kern-heading-large">
        {t.create}
      </h1>
      <SiteForm onSaved={(s) => route(`/flaechen/${s.siteId}`)} />
    </article>
  );
}

function EditField(props: { name: string; kind: string; value: string; error?: string; onInput: (v: string) => void }) {
  const id = `feld-${props.name}`;
  const label = t.fields[props.name] ?? props.name;
  const described = props.error ? { 'aria-describedby': `${id}-fehler`, 'aria-invalid': true as const } : {};
  const onInput = (ev: Event) => props.onInput((ev.target as HTMLInputElement | HTMLSelectElement).value);
  // Every field but the price is required by the registry; the form says so, the api decides.
  const required = props.name !== 'pricePerM2Eur';
  const input = { class: 'kern-form-input__input', id, value: props.value, onInput, required, ...described };
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={id}>
        {label}
      </label>
      {props.kind === 'zoning' || props.kind === 'bool' ? (
        <select class="kern-form-input__select" id={id} value={props.value} onChange={onInput} {...described}>
          {(props.kind === 'zoning' ? ['GI', 'GE', 'MI', 'SO'] : ['true', 'false']).map((v) => (
            <option key={v} value={v}>
              {props.kind === 'bool' ? (v === 'true' ? de.enquiry.yes : de.enquiry.no) : v}
            </option>
          ))}
        </select>
      ) : props.kind === 'date' ? (
        <input type="date" {...input} />
      ) : (
        <input type="text" {...input} />
      )}
      {props.error && (
        <p class="kern-error" id={`${id}-fehler`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** Every version, newest first, with what changed, who changed it and when. */
function History({ versions }: { versions: Version[] }) {
  const rows = versions.map((v, i) => ({ v, changes: diff(versions[i - 1]?.site ?? null, v.site) })).reverse();
  return (
    <section aria-labelledby="historie">
      <h2 id="historie" class="kern-heading-medium">
        {t.history}
      </h2>
      <ol class="kern-list">
        {rows.map(({ v, changes }) => (
          <li key={v.revision}>
            {`${dateTime(v.at)}, ${v.author ?? t.seeded}: `}
            {v.operation === 'PUT' ? changes.join('; ') || t.unchanged : t.withdrawn}
          </li>
        ))}
      </ol>
    </section>
  );
}

function diff(before: Site | null, after: Site | null): string[] {
  if (!after) return [];
  if (!before) return [t.created];
  const show = (k: keyof Site, v: unknown) =>
    v === undefined
      ? '–'
      : k === 'areaM2'
        ? area(Number(v))
        : typeof v === 'boolean'
          ? v
            ? de.enquiry.yes
            : de.enquiry.no
          : typeof v === 'number'
            ? count(v)
            : String(v);
  return FIELDS.map(([k]) => k)
    .filter((k) => before[k] !== after[k])
    .map((k) => `${t.fields[k] ?? k}: ${show(k, before[k])} → ${show(k, after[k])}`);
}
