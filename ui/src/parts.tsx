import type { ComponentChildren } from 'preact';
import type { Ref } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Load } from './api.js';
import { dateTime, longDateTime, relativeDeadline } from './format.js';
import { agencyFull, agencyShort, officeTitle } from './names.js';
import { de } from './texts.js';

/** The small pieces every screen uses, so that each looks and reads the same everywhere. */

/**
 * An agency by the name its staff use ("IRL"), the full name on hover and for screen readers
 * that read abbreviations out ("Invest Region Leipzig GmbH").
 */
export function AgencyName({ id }: { id: string }) {
  const short = agencyShort(id);
  const full = agencyFull(id);
  return full && full !== short ? <abbr title={full}>{short}</abbr> : <>{short}</>;
}

/** Several agencies, in their order, comma-separated; "–" for none. */
export function AgencyNames({ ids }: { ids: string[] }) {
  if (ids.length === 0) return <>–</>;
  return (
    <>
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 && ', '}
          <AgencyName id={id} />
        </span>
      ))}
    </>
  );
}

/** The agency or office behind `staff:irl`, `manager:irl`, `office:ob-leipzig`, `agency:irl`. */
export function PartyName({ party }: { party: string }) {
  const [kind, id = ''] = party.split(':', 2);
  return kind === 'office' ? <>{officeTitle(id)}</> : <AgencyName id={id} />;
}

type BadgeKind = 'info' | 'success' | 'warning' | 'danger';

/** A KERN badge: a state in words, its colour only repeating what the words say. */
export function Badge({ kind, children }: { kind: BadgeKind; children: ComponentChildren }) {
  return (
    <span class={`kern-badge kern-badge--small kern-badge--${kind}`}>
      <span class="kern-label">{children}</span>
    </span>
  );
}

/** Which colour each status wears: what waits on someone warns, what is done is settled. */
const STATUS_BADGE: Record<string, BadgeKind> = {
  received: 'info',
  in_progress: 'info',
  awaiting_forwarding_decision: 'warning',
  awaiting_partner: 'warning',
  awaiting_joint_decision: 'warning',
  closed: 'success',
};

/** An enquiry's status as a badge: "Weiterleitung offen"; `text` words it otherwise ("Beim Partner: WFG"). */
export function StatusBadge({ status, text }: { status: string | null | undefined; text?: ComponentChildren }) {
  if (!status) return <>–</>;
  return <Badge kind={STATUS_BADGE[status] ?? 'info'}>{text ?? de.status[status] ?? status}</Badge>;
}

/**
 * KERN's alert: icon and title ("Fehler", "Hinweis", "Erledigt") above the message, so that its
 * kind is said in words too. `role` alert for a failure (announced at once), else status.
 */
export function Alert(props: {
  kind: BadgeKind;
  children: ComponentChildren;
  class?: string;
  role?: 'alert' | 'status';
  innerRef?: Ref<HTMLDivElement>;
  tabIndex?: number;
}) {
  const { kind } = props;
  return (
    <div
      class={`kern-alert kern-alert--${kind}${props.class ? ` ${props.class}` : ''}`}
      role={props.role ?? (kind === 'danger' ? 'alert' : 'status')}
      ref={props.innerRef}
      tabIndex={props.tabIndex}
    >
      <div class="kern-alert__header">
        <span class={`kern-icon kern-icon--${kind}`} aria-hidden="true" />
        <span class="kern-title">{de.alertTitles[kind]}</span>
      </div>
      <div class="kern-alert__body">
        <p class="kern-body">{props.children}</p>
      </div>
    </div>
  );
}

/** "noch 2 Tage (…)"; past its deadline a danger badge says "seit 3 Stunden überfällig" in words, not colour alone. */
export function Deadline({ due }: { due: string }) {
  const when = relativeDeadline(due);
  if (Date.parse(due) >= Date.now()) return <>{`${when} (${dateTime(due)})`}</>;
  return (
    <>
      <Badge kind="danger">{when}</Badge> {`(${dateTime(due)})`}
    </>
  );
}

/** A failure, announced to screen readers, with what the person can do. */
export function ErrorAlert({ detail }: { detail: string }) {
  return <Alert kind="danger">{detail}</Alert>;
}

/** A screen opened by someone it is not for: its heading, and whose screen it is. */
export function NotForYou({ id, title, note }: { id: string; title: string; note: string }) {
  return (
    <section aria-labelledby={id}>
      <h1 id={id} class="kern-heading-large">
        {title}
      </h1>
      <Note>{note}</Note>
    </section>
  );
}

/**
 * A quiet note (KERN info): whose page this is, or that something follows in a moment. A status,
 * read out politely when it appears, never taking the focus.
 */
export function Note({ children, class: extra }: { children: ComponentChildren; class?: string }) {
  return (
    <Alert kind="info" class={extra}>
      {children}
    </Alert>
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
  problem?: (detail: string, status?: number) => string;
}) {
  const { data, error, loading, status } = props.load;
  if (loading && props.stale === false) return <Loading />;
  if (error !== undefined) return <ErrorAlert detail={props.problem ? props.problem(error, status) : error} />;
  if (data === undefined) return <Loading />;
  return <>{props.children(data)}</>;
}

const Loading = () => <p role="status">{de.loading}</p>;

/**
 * A wide table scrolls inside its own box, never the page: at 320 px or 400 % zoom the
 * rest reflows (WCAG 1.4.10). Focusable, so the keyboard scrolls it too. On a phone each
 * row is a card (app.css): every cell carries its column's heading as `data-label`, so
 * nothing is cut off at the box's edge.
 */
export function Scrollable({ label, children }: { label: string; children: ComponentChildren }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    for (const table of box.current?.querySelectorAll('table') ?? []) {
      const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
      for (const row of table.querySelectorAll('tbody tr'))
        [...row.children].forEach((cell, i) => cell.setAttribute('data-label', heads[i] ?? ''));
    }
  });
  return (
    <div class="lotse-scroll kern-table-responsive" role="region" aria-label={label} tabIndex={0} ref={box}>
      {children}
    </div>
  );
}

/**
 * "Stand: 7. Dezember 2026, 10:42 Uhr" under a screen's heading: every step taken up to then
 * is in what the screen shows (the api's `asOf`; lists and figures come from a read model that
 * may follow the enquiries by a moment). Nothing until the first answer.
 */
export function AsOf({ asOf }: { asOf: string | null | undefined }) {
  if (asOf === undefined) return null;
  return (
    <p class="kern-body lotse-as-of">
      {`${de.asOf.label}: `}
      {asOf === null ? de.asOf.pending : <time dateTime={asOf}>{longDateTime(asOf)}</time>}
    </p>
  );
}

/** One term and its value in a description list. */
export function Item({ term, value }: { term: string; value: ComponentChildren }) {
  return (
    <div class="kern-description-list-item">
      <dt class="kern-description-list-item__key">{term}</dt>
      <dd class="kern-description-list-item__value">{value}</dd>
    </div>
  );
}

/** The optional note that goes with a decision into the timeline. */
export function NoteField(props: { id: string; value: string; onInput: (v: string) => void; label?: string }) {
  return (
    <div class="kern-form-input">
      <label class="kern-label" for={props.id}>
        {props.label ?? de.actions.note}
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

/**
 * A labelled filter field; with `name` its value goes with the form it stands in. `number`
 * takes German numbers ("5.000"), which type=number cannot hold; `error` is shown at the field.
 */
export function FilterInput(props: {
  name: string;
  label: string;
  value?: string;
  type?: 'text' | 'date' | 'number';
  hint?: string;
  error?: string;
}) {
  const id = `filter-${props.name}`;
  const described = [props.hint && `${id}-hinweis`, props.error && `${id}-fehler`].filter(Boolean).join(' ');
  const common = {
    class: `kern-form-input__input${props.error ? ' kern-form-input__input--error' : ''}`,
    id,
    name: props.name,
    // What the person types stays until the form is sent (a re-render must not put the address's value back);
    // a form keyed by the address shows another address's filters.
    defaultValue: props.value ?? '',
    ...(described ? { 'aria-describedby': described } : {}),
    ...(props.error ? { 'aria-invalid': true as const } : {}),
  };
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <FieldLabel id={id} label={props.label} hint={props.hint} />
      {props.type === 'date' ? (
        <input type="date" {...common} />
      ) : (
        <input type="text" inputMode={props.type === 'number' ? 'decimal' : undefined} {...common} />
      )}
      {props.error && (
        <p class="kern-error" id={`${id}-fehler`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

/** What a person typed for an agency, as the api names it: "IRL" or "WFG Nordsachsen" → irl, wfg-nordsachsen. */
export function agencyIdOf(typed: string): string {
  const t = typed.trim().toLowerCase();
  return Object.entries(de.agencies).find(([id, name]) => name.toLowerCase() === t || id === t)?.[0] ?? t;
}

/** An agency's Kennung as the api accepts it (a name with spaces is not one). */
export const isAgencyId = (s: string) => /^[a-z][a-z0-9-]{1,62}$/.test(s);

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
      <div class="kern-form-input__select-wrapper">
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
    </div>
  );
}

/** A field's label and, where it has one, its hint (`<id>-hinweis`, for aria-describedby). */
export function FieldLabel({ id, label, hint }: { id: string; label: string; hint?: string }) {
  return (
    <>
      <label class="kern-label" for={id}>
        {label}
      </label>
      {hint && (
        <p class="kern-hint" id={`${id}-hinweis`}>
          {hint}
        </p>
      )}
    </>
  );
}

/** A table's column headings, in KERN's classes. */
export function Headings({ names }: { names: string[] }) {
  return (
    <thead>
      <tr class="kern-table__row">
        {names.map((name) => (
          <th key={name} class="kern-table__header" scope="col">
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}
