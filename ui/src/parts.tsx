import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import type { Load } from './api.js';
import { de } from './texts.js';

/** The small pieces every screen uses, so that each looks and reads the same everywhere. */

/** A failure, announced to screen readers, with what the person can do. */
export function ErrorAlert({ detail }: { detail: string }) {
  return (
    <div class="kern-alert kern-alert--danger" role="alert">
      <p class="kern-body">{detail}</p>
    </div>
  );
}

/**
 * What a screen loads, as every screen shows it: "Wird geladen …" until the answer, the
 * problem in German if there is one, else `children` with the data. `stale={false}` shows
 * "Wird geladen …" again while a new answer is asked for (a list whose page number moved
 * on); `problem` words the failure for the screen.
 */
export function Loaded<T>(props: {
  load: Load<T>;
  children: (data: T) => ComponentChildren;
  stale?: boolean;
  problem?: (detail: string) => string;
}) {
  const { data, error, loading } = props.load;
  if (loading && props.stale === false) return <Loading />;
  if (error !== undefined) return <ErrorAlert detail={props.problem ? props.problem(error) : error} />;
  if (data === undefined) return <Loading />;
  return <>{props.children(data)}</>;
}

const Loading = () => <p role="status">{de.loading}</p>;

/**
 * A wide table scrolls inside its own box, never the page: at 320 px or 400 % zoom the
 * rest reflows (WCAG 1.4.10). Focusable, so the keyboard scrolls it too.
 */
export function Scrollable({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="lotse-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** One term and its value in a description list. */
export function Item({ term, value }: { term: string; value: string }) {
  return (
    <div class="kern-description-list-item">
      <dt class="kern-label">{term}</dt>
      <dd class="kern-body">{value}</dd>
    </div>
  );
}

/** The optional note that goes with a decision into the timeline. */
export function NoteField(props: { id: string; value: string; onInput: (v: string) => void }) {
  return (
    <div class="kern-form-input">
      <label class="kern-label" for={props.id}>
        {de.actions.note}
      </label>
      <textarea
        class="kern-form-input__input"
        id={props.id}
        maxLength={2000}
        value={props.value}
        onInput={(ev) => props.onInput((ev.target as HTMLTextAreaElement).value)}
      />
    </div>
  );
}

/** A decision between two answers, with a note: Annehmen/Ablehnen, Zustimmen/Ablehnen. */
export function TwoWayDecision(props: {
  id: string;
  note: string;
  onNote: (v: string) => void;
  busy: boolean;
  yes: string;
  no: string;
  onDecide: (yes: boolean) => void;
}) {
  return (
    <form onSubmit={(ev) => ev.preventDefault()}>
      <NoteField id={props.id} value={props.note} onInput={props.onNote} />
      <button
        class="kern-btn kern-btn--primary"
        type="button"
        disabled={props.busy}
        onClick={() => props.onDecide(true)}
      >
        <span class="kern-label">{props.yes}</span>
      </button>{' '}
      <button
        class="kern-btn kern-btn--secondary"
        type="button"
        disabled={props.busy}
        onClick={() => props.onDecide(false)}
      >
        <span class="kern-label">{props.no}</span>
      </button>
    </form>
  );
}

/**
 * A link of the main navigation; the current page says so to screen readers. A plain link:
 * the router (preact-iso) takes the click, a new tab or a copied address work as with any link.
 */
export function NavLink({ href, label }: { href: string; label: string }) {
  const { path } = useLocation();
  const current = href === '/' ? path === '/' : path.startsWith(href);
  return (
    <li>
      <a class="kern-link" href={href} aria-current={current ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
}

/** A labelled filter field; with `name` its value goes with the form it stands in. */
export function FilterInput(props: { name: string; label: string; value?: string; type?: 'text' | 'date' }) {
  const common = {
    class: 'kern-form-input__input',
    id: `filter-${props.name}`,
    name: props.name,
    value: props.value ?? '',
  };
  return (
    <div class="kern-form-input">
      <label class="kern-label" for={common.id}>
        {props.label}
      </label>
      {props.type === 'date' ? <input type="date" {...common} /> : <input type="text" {...common} />}
    </div>
  );
}

/** A labelled choice among values, "alle" first; `onChange` for filters that apply at once. */
export function FilterSelect(props: {
  name: string;
  label: string;
  value?: string;
  options: [string, string][];
  onChange?: (value: string) => void;
}) {
  const id = `filter-${props.name}`;
  return (
    <div class="kern-form-input">
      <label class="kern-label" for={id}>
        {props.label}
      </label>
      <select
        class="kern-form-input__select"
        id={id}
        name={props.name}
        value={props.value ?? ''}
        onChange={(ev) => props.onChange?.((ev.target as HTMLSelectElement).value)}
      >
        <option value="">{de.list.filters.any}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}
