import { Fragment } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { api, problemDetail } from '../api.js';
import type { Session } from '../auth.js';
import { useDraft } from '../drafts.js';
import { decimal, germanDay, parseGermanDay, parseGermanNumber } from '../format.js';
import type { components } from '../schema.js';
import { ErrorAlert, Note } from '../parts.js';
import { PlaceField } from '../place-field.js';
import { SaidAlert, useSaid } from '../said.js';
import { de } from '../texts.js';

export type Site = components['schemas']['Site'];
const t = de.sites;

type Kind = 'text' | 'number' | 'date' | 'bool' | 'zoning';
export const FIELDS: [keyof Site & string, Kind][] = [
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
type Values = Record<string, string>;
type FieldErrors = Record<string, string>;

/** The saved site's values the form has no field for (its coordinates): sent again with every save. */
function notEdited(site?: Site): Partial<Site> {
  if (site?.lat === undefined || site.lon === undefined) return {};
  return { lat: site.lat, lon: site.lon };
}

/** What the form shows for a site: numbers the German way ("150.000"), so that they read back the same. */
function valuesOf(site?: Site): Values {
  const shown = (k: keyof Site, kind: Kind) => {
    const v = site?.[k];
    if (v === undefined) return kind === 'bool' ? 'false' : '';
    if (kind === 'date') return germanDay(String(v));
    return typeof v === 'number' ? decimal(v) : String(v);
  };
  return Object.fromEntries(FIELDS.map(([k, kind]) => [k, shown(k, kind)]));
}

/** One field as the registry wants it, or why not: every field is checked, so every error shows at once. */
function checkField(k: string, kind: Kind, text: string): { value?: unknown; error?: string } {
  const v = text.trim();
  if (v === '') return k === 'pricePerM2Eur' ? {} : { error: t.hints[k] ?? t.invalid };
  if (kind === 'bool') return { value: v === 'true' };
  if (kind === 'text' && k === 'ags' && !/^\d{8}$/.test(v)) return { error: t.hints.ags };
  if (kind === 'date') {
    const iso = parseGermanDay(v);
    return iso ? { value: iso } : { error: t.hints[k] ?? t.invalid };
  }
  if (kind !== 'number') return { value: v };
  const n = parseGermanNumber(v);
  if (!n.ok) return { error: n.reason === 'ambiguous' ? de.numbers.ambiguous : (t.hints[k] ?? t.invalid) };
  if (n.value < 0 || (k === 'areaM2' && n.value === 0)) return { error: t.hints[k] ?? t.invalid };
  return { value: n.value };
}

function check(values: Values): { body: Record<string, unknown>; errors: FieldErrors } {
  const body: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const [k, kind] of FIELDS) {
    const { value, error } = checkField(k, kind, values[k] ?? '');
    if (error) errors[k] = error;
    else if (value !== undefined) body[k] = value;
  }
  return { body, errors };
}

/** "Gewerbegebiet Süd-Ost" → "gewerbegebiet-sued-ost": the readable part of a new site's Kennung. */
export function slug(name: string): string {
  const umlauts: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };
  return name
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => umlauts[c]!)
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
}

/** Four letters or digits, so that two sites of the same name get two Kennungen. */
const suffix = () => Math.random().toString(36).slice(2, 6).padEnd(4, '0');

/** The api's refusal, at the fields it names: an AGS outside the agency's area says so. */
function refusedFields(error: unknown): FieldErrors {
  const errors = (error as { errors?: { path: string; message: string }[] } | undefined)?.errors ?? [];
  return Object.fromEntries(
    errors.map((e) => {
      const at = e.path === '' || e.path === 'siteId' || e.path.startsWith('params') ? 'name' : e.path;
      const outside = at === 'ags' && /jurisdiction/.test(e.message);
      return [at, outside ? t.agsOutside : (t.hints[at] ?? t.invalid)];
    }),
  );
}

/**
 * A new site (no `site`) or a change to one; the draft survives a sign-in in between. A
 * draft belongs to one version (`revision`): after a save, or someone else's, the form
 * starts from what is saved now.
 */
export function SiteForm(props: {
  site?: Site;
  revision?: number;
  onSaved: (site: Site) => void;
  onWithdrawn?: (site: Site) => void;
}) {
  const { site } = props;
  const [draft, setDraft, draftSent] = useDraft<Values>(
    `site:${site?.siteId ?? 'neu'}:${props.revision ?? 0}`,
    valuesOf(site),
  );
  const [tail] = useState(suffix);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const newId = slug(draft.name ?? '') && `${slug(draft.name ?? '')}-${tail}`;
  const siteId = site?.siteId ?? newId;
  const refuse = (fields: FieldErrors, text: string) => {
    setErrors(fields);
    setProblem(text);
    // The first field that is wrong takes the focus; the alert says why the form was not saved.
    const first = FIELDS.find(([k]) => fields[k]);
    if (first) form.current?.querySelector<HTMLElement>(`#feld-${first[0]}`)?.focus();
  };
  const save = async (ev: Event) => {
    ev.preventDefault();
    const { body: edited, errors: wrong } = check(draft);
    // What the form does not edit stays as saved: a save must not drop the site's place on the map.
    const body = { ...notEdited(site), ...edited };
    if (!siteId) wrong.name = t.hints.siteId ?? t.invalid;
    if (Object.keys(wrong).length > 0) return refuse(wrong, t.refused);
    setBusy(true);
    const { data, error, response } = await api
      .PUT('/v1/sites/{siteId}', {
        params: { path: { siteId } },
        body: body as never,
        // A new site must not overwrite one that happens to have the same Kennung.
        headers: site ? {} : { 'if-none-match': '*' },
      })
      .finally(() => setBusy(false));
    if (data) {
      setErrors({});
      setProblem(null);
      draftSent(valuesOf(data));
      return props.onSaved(data);
    }
    const status = response.status;
    const known: Record<number, string> = { 400: t.refused, 403: t.forbidden, 409: t.exists, 412: t.exists };
    refuse(refusedFields(error), known[status] ?? problemDetail(error, status));
  };
  return (
    <form ref={form} onSubmit={(ev) => void save(ev)} aria-labelledby={site ? 'bearbeiten' : 'anlegen'} noValidate>
      {site && (
        <h2 id="bearbeiten" class="kern-heading-medium">
          {t.edit}
        </h2>
      )}
      {FIELDS.map(([k, kind]) => (
        <Fragment key={k}>
          <EditField
            name={k}
            kind={kind}
            value={draft[k] ?? ''}
            error={errors[k]}
            chooseFirst={!site}
            onInput={(v) => setDraft({ ...draft, [k]: v })}
          />
          {k === 'name' && <SiteId id={siteId} derived={!site} />}
        </Fragment>
      ))}
      {problem && <ErrorAlert detail={problem} />}
      <button class="kern-btn kern-btn--primary" type="submit" disabled={busy}>
        <span class="kern-label">{site ? t.save : t.create}</span>
      </button>{' '}
      {site && <Withdraw site={site} onDone={() => props.onWithdrawn?.(site)} onProblem={setProblem} />}
    </form>
  );
}

/** The Kennung: a new site's is made from the name (read-only, so nobody has to invent one); it never changes. */
function SiteId({ id, derived }: { id: string; derived: boolean }) {
  return (
    <div class="kern-form-input">
      <p class="kern-label" id="kennung-titel">
        {t.siteIdLabel}
      </p>
      <p class="kern-body lotse-site-id" aria-labelledby="kennung-titel">
        {id || '–'}
      </p>
      {derived && <p class="kern-hint">{t.idHint}</p>}
    </div>
  );
}

/** Withdrawing a site asks first, in a modal dialog that holds the focus and gives it back. */
function Withdraw(props: { site: Site; onDone: () => void; onProblem: (m: string) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const withdraw = async () => {
    dialog.current?.close();
    const { response } = await api.DELETE('/v1/sites/{siteId}', { params: { path: { siteId: props.site.siteId } } });
    if (response.status === 204) props.onDone();
    else props.onProblem(response.status === 403 ? t.forbidden : problemDetail(undefined, response.status));
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

/** Neue Fläche: staff create a site of their agency, and are told so, with the way to it. */
export function NewSite({ session }: { session: Session }) {
  if (!session.roles.includes('staff')) return <StaffOnly />;
  return <NewSiteForm />;
}

/** Anyone else who opens the address is told who creates sites, rather than refused after typing. */
function StaffOnly() {
  return (
    <article aria-labelledby="anlegen">
      <h1 id="anlegen" class="kern-heading-large">
        {t.create}
      </h1>
      <Note>{t.staffOnly}</Note>
    </article>
  );
}

function NewSiteForm() {
  const [created, setCreated] = useState<Site | null>(null);
  const [form, setForm] = useState(0);
  const { said, say, clear } = useSaid();
  const again = () => {
    setCreated(null);
    clear();
    setForm((n) => n + 1);
  };
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
      <SaidAlert said={said} />
      {created ? (
        <div class="lotse-next">
          <a class="kern-link" href={`/flaechen/${created.siteId}`}>
            {t.open(created.name)}
          </a>
          <button class="kern-btn kern-btn--secondary" type="button" onClick={again}>
            <span class="kern-label">{t.another}</span>
          </button>
        </div>
      ) : (
        <SiteForm
          key={form}
          onSaved={(site) => {
            setCreated(site);
            say(t.createdMessage(site.name));
          }}
        />
      )}
    </article>
  );
}

function EditField(props: {
  name: string;
  kind: Kind;
  value: string;
  error?: string;
  chooseFirst: boolean;
  onInput: (v: string) => void;
}) {
  const id = `feld-${props.name}`;
  const described = props.error ? { 'aria-describedby': `${id}-fehler`, 'aria-invalid': true as const } : {};
  const onInput = (ev: Event) => props.onInput((ev.target as HTMLInputElement | HTMLSelectElement).value);
  // Every field but the price is required by the registry; the form says so, the api decides.
  const required = props.name !== 'pricePerM2Eur';
  const input = { class: 'kern-form-input__input', id, value: props.value, onInput, required, ...described };
  if (props.name === 'ags') {
    const hint = 'Name der Gemeinde eingeben und aus der Liste wählen';
    const chosen = { value: props.value, kinds: ['gemeinde' as const], onChange: props.onInput };
    return <PlaceField id={id} label={t.fields.ags!} hint={hint} error={props.error} {...chosen} />;
  }
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={id}>
        {t.fields[props.name] ?? props.name}
        {props.kind === 'date' && ` (${de.dayFormat})`}
      </label>
      {props.kind === 'zoning' || props.kind === 'bool' ? (
        <Choice {...props} id={id} required={required} described={described} onInput={onInput} />
      ) : (
        <input type="text" inputMode={props.kind === 'number' ? 'decimal' : undefined} {...input} />
      )}
      {props.error && (
        <p class="kern-error" id={`${id}-fehler`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** Gebietsart or ja/nein; a new site's Gebietsart has no preset: the person chooses. */
function Choice(props: {
  kind: Kind;
  id: string;
  value: string;
  chooseFirst: boolean;
  required: boolean;
  described: object;
  onInput: (ev: Event) => void;
}) {
  const zoning = props.kind === 'zoning';
  const options: [string, string][] = zoning
    ? Object.entries(t.zonings)
    : [
        ['true', de.enquiry.yes],
        ['false', de.enquiry.no],
      ];
  return (
    <div class="kern-form-input__select-wrapper">
      <select
        class="kern-form-input__select"
        id={props.id}
        value={props.value}
        required={props.required}
        onChange={props.onInput}
        {...props.described}
      >
        {zoning && (props.chooseFirst || props.value === '') && <option value="">{t.choose}</option>}
        {options.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
