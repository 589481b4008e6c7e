import type { ComponentChildren } from 'preact';
import { api, useLoad } from '../api.js';
import { agencyShort } from '../names.js';
import { de } from '../texts.js';
import type { FirmPerson } from '../types.js';

/**
 * What the firm screens (Unternehmen, Besuch erfassen) share: a labelled field with its hint
 * and error tied to it, the people who may take part in a visit grouped by agency, and the
 * api's refusals at the fields they name.
 */

const t = de.firms;

export type Attrs = Record<string, string | boolean | undefined>;

/** A labelled field whose hint and error are tied to it (aria-describedby) and mark it invalid. */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (attrs: Attrs) => ComponentChildren;
}) {
  const error = `${props.id}-fehler`;
  const hint = `${props.id}-hinweis`;
  const described = [props.hint && hint, props.error && error].filter(Boolean).join(' ');
  const attrs: Attrs = {
    id: props.id,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': described || undefined,
  };
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
      {props.hint && (
        <p id={hint} class="kern-hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={error} class="kern-error">
          {props.error}
        </p>
      )}
      {props.children(attrs)}
    </div>
  );
}

/** A text field in KERN's look; `inputMode` for numbers ("1.250", which type=number cannot hold). */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  hint?: string;
  error?: string;
  inputMode?: 'decimal' | 'numeric' | 'email' | 'tel';
  type?: 'text' | 'email' | 'tel';
  autoComplete?: string;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      {(attrs) => (
        <input
          class={`kern-form-input__input${props.error ? ' kern-form-input__input--error' : ''}`}
          type={(props.type ?? 'text') as 'text'}
          inputMode={props.inputMode}
          autoComplete={props.autoComplete ?? 'off'}
          value={props.value}
          onInput={(ev) => props.onInput((ev.target as HTMLInputElement).value)}
          {...attrs}
        />
      )}
    </Field>
  );
}

/** A text area in KERN's look. */
export function TextArea(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  hint?: string;
  error?: string;
  maxLength?: number;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      {(attrs) => (
        <textarea
          class={`kern-form-input__input${props.error ? ' kern-form-input__input--error' : ''}`}
          maxLength={props.maxLength ?? 4000}
          value={props.value}
          onInput={(ev) => props.onInput((ev.target as HTMLTextAreaElement).value)}
          {...attrs}
        />
      )}
    </Field>
  );
}

/** A KERN select; `choose` puts "Bitte wählen" first, so that nothing is chosen for the person. */
export function SelectField(props: {
  id: string;
  label: string;
  value: string;
  options: [string, string][];
  onChoose: (v: string) => void;
  choose?: string;
  hint?: string;
  error?: string;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      {(attrs) => (
        <div class="kern-form-input__select-wrapper">
          <select
            class={`kern-form-input__select${props.error ? ' kern-form-input__select--error' : ''}`}
            value={props.value}
            onChange={(ev) => props.onChoose((ev.target as HTMLSelectElement).value)}
            {...attrs}
          >
            {props.choose !== undefined && <option value="">{props.choose}</option>}
            {props.options.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      )}
    </Field>
  );
}

/** Checkboxes in a KERN fieldset, its error tied to the group. */
export function Checkboxes(props: {
  id: string;
  legend: string;
  options: [string, string][];
  chosen: string[];
  onChoose: (chosen: string[]) => void;
  error?: string;
  hint?: string;
}) {
  const toggle = (v: string) =>
    props.onChoose(props.chosen.includes(v) ? props.chosen.filter((c) => c !== v) : [...props.chosen, v]);
  const described = [props.hint && `${props.id}-hinweis`, props.error && `${props.id}-fehler`].filter(Boolean);
  return (
    <fieldset
      class={`kern-fieldset${props.error ? ' kern-fieldset--error' : ''}`}
      id={props.id}
      tabIndex={-1}
      aria-describedby={described.join(' ') || undefined}
    >
      <legend class="kern-label">{props.legend}</legend>
      <div class="lotse-clear" />
      {props.hint && (
        <p class="kern-hint" id={`${props.id}-hinweis`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="kern-error" id={`${props.id}-fehler`}>
          {props.error}
        </p>
      )}
      <div class="kern-fieldset__body lotse-checks">
        {props.options.map(([value, label]) => (
          <div class="kern-form-check" key={value}>
            <input
              class={`kern-form-check__checkbox${props.error ? ' kern-form-check__checkbox--error' : ''}`}
              type="checkbox"
              id={`${props.id}-${value}`}
              checked={props.chosen.includes(value)}
              onChange={() => toggle(value)}
            />
            <label class="kern-label" for={`${props.id}-${value}`}>
              {label}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** A person as a visit names them: "agency:sub". */
export const personKey = (p: { agency: string; sub: string }) => `${p.agency}:${p.sub}`;

/** A key back into the participant the api takes. */
export const participantOf = (key: string) => {
  const i = key.indexOf(':');
  return { agency: key.slice(0, i), sub: key.slice(i + 1) };
};

/** The staff of the firm's agency and its co-carers that Lotse knows: who may take part in a visit. */
export const useFirmPeople = (firmId: string | null) =>
  useLoad(firmId ? () => api.GET('/v1/firms/{id}/people', { params: { path: { id: firmId } } }) : null, [firmId]);

/** "Paul Richter, Stefan Hoffmann (IMG)": people by name, each with their agency where it is not the firm's. */
export function peopleNames(people: { agency: string; sub: string; name?: string }[], home?: string): string {
  return people
    .map((p) => `${p.name ?? t.unknownPerson}${home && p.agency !== home ? ` (${agencyShort(p.agency)})` : ''}`)
    .join(', ');
}

/**
 * The people who may take part, grouped by agency (the firm's first), each a checkbox with
 * their name; the person signed in says "(Sie)".
 */
export function PeoplePicker(props: {
  id: string;
  people: FirmPerson[];
  home: string;
  chosen: string[];
  onChoose: (chosen: string[]) => void;
  error?: string;
}) {
  const p = t.plan;
  const agencies = [...new Set(props.people.map((x) => x.agency))].sort((a, b) =>
    a === props.home ? -1 : b === props.home ? 1 : agencyShort(a).localeCompare(agencyShort(b)),
  );
  const toggle = (k: string) =>
    props.onChoose(props.chosen.includes(k) ? props.chosen.filter((c) => c !== k) : [...props.chosen, k]);
  const described = [`${props.id}-hinweis`, props.error && `${props.id}-fehler`].filter(Boolean).join(' ');
  return (
    <fieldset
      class={`kern-fieldset${props.error ? ' kern-fieldset--error' : ''}`}
      id={props.id}
      tabIndex={-1}
      aria-describedby={described}
    >
      <legend class="kern-label">{p.participants}</legend>
      <div class="lotse-clear" />
      <p class="kern-hint" id={`${props.id}-hinweis`}>
        {props.people.length === 0 ? p.noPeople : p.peopleHint}
      </p>
      {props.error && (
        <p class="kern-error" id={`${props.id}-fehler`}>
          {props.error}
        </p>
      )}
      {agencies.map((agency) => (
        <fieldset class="kern-fieldset lotse-people" key={agency}>
          <legend class="kern-label lotse-people__agency">{agencyShort(agency)}</legend>
          <div class="lotse-clear" />
          <div class="kern-fieldset__body lotse-checks">
            {props.people
              .filter((x) => x.agency === agency)
              .map((x) => {
                const k = personKey(x);
                const id = `${props.id}-${k.replace(/[^a-z0-9-]/gi, '-')}`;
                return (
                  <div class="kern-form-check" key={k}>
                    <input
                      class={`kern-form-check__checkbox${props.error ? ' kern-form-check__checkbox--error' : ''}`}
                      type="checkbox"
                      id={id}
                      checked={props.chosen.includes(k)}
                      onChange={() => toggle(k)}
                    />
                    <label class="kern-label" for={id}>
                      {x.me ? p.me(x.name) : x.name}
                    </label>
                  </div>
                );
              })}
          </div>
        </fieldset>
      ))}
    </fieldset>
  );
}

/** The fields a refusal (400) names, by path ("sites[0].ags", "concerns[1].handledBy"), with the api's message. */
export function refusedAt(error: unknown): Record<string, string> {
  const errors = (error as { errors?: { path?: unknown; message?: unknown }[] } | undefined)?.errors;
  if (!Array.isArray(errors)) return {};
  return Object.fromEntries(errors.map((e) => [String(e.path ?? ''), String(e.message ?? '')]));
}

/** Errors without those of `paths`: a field that is typed in again is no longer marked. */
export const without = (errors: Record<string, string>, paths: string[]) =>
  paths.some((p) => p in errors)
    ? Object.fromEntries(Object.entries(errors).filter(([k]) => !paths.includes(k)))
    : errors;

/** A setter that also takes the mark off its field (`key` in `errors`). */
export const fixing =
  (setErrors: (f: (e: Record<string, string>) => Record<string, string>) => void) =>
  <T,>(key: string, set: (x: T) => void) =>
  (x: T) => {
    set(x);
    setErrors((e) => without(e, [key]));
  };

/** A field's id from its path: "sites[0].ags" → "feld-sites-0-ags". */
export const fieldId = (path: string) => `feld-${path.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-')}`;

/** After a refusal, the first field that is wrong (in the form's order) takes the focus. */
export function focusFirst(form: HTMLElement | null, paths: string[]) {
  for (const el of form?.querySelectorAll<HTMLElement>('[id^="feld-"]') ?? []) {
    if (paths.some((p) => fieldId(p) === el.id)) return el.focus();
  }
}

/** A refusal of a firm's action in German: the api's own words only where they are German already. */
export function firmProblem(status: number | undefined, detail: string, forbidden = t.forbiddenCare): string {
  if (status === 403) return forbidden;
  if (status === 409) return t.conflict;
  return (status !== undefined && t.problems[status]) || (status === 503 ? (de.problems[503] ?? detail) : detail);
}

/**
 * How a firm form refuses: it shows what is wrong (field by field, and a message), then, after
 * the re-render, the first wrong field takes the focus (its path under `prefix` where given).
 */
export function refuser(
  form: () => HTMLElement | null,
  setErrors: (fields: Record<string, string>) => void,
  setProblem: (text: string) => void,
  prefix?: string,
) {
  return (fields: Record<string, string>, text: string) => {
    setErrors(fields);
    setProblem(text);
    const paths = Object.keys(fields).map((k) => (prefix ? `${prefix}.${k}` : k));
    setTimeout(() => focusFirst(form(), paths));
  };
}
