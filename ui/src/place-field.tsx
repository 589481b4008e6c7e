import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { FieldLabel } from './parts.js';
import './place-field.css';

/**
 * A place field: staff type a name ("torg", "dippo", "nordsachsen") and choose the
 * municipality, county or Land from what GET /v1/places offers; the form sends its key
 * (AGS) in a hidden field named `name`. The ARIA 1.2 combobox pattern (a text field with a
 * listbox popup, aria-activedescendant): arrow keys move through the offers, Enter takes
 * one, Escape closes the list (and a second Escape empties the field), and a live region
 * says how many places were found. Digits are taken as a key as they are.
 */

interface Offer {
  ags: string;
  kind: PlaceKind;
  label: string;
}

type PlaceKind = 'land' | 'kreis' | 'gemeinde';

export const placeWords = {
  found: (n: number) => (n === 0 ? 'Kein Ort gefunden' : n === 1 ? '1 Ort gefunden' : `${n} Orte gefunden`),
  choose: 'Bitte einen Ort aus der Liste wählen.',
};

export function PlaceField(props: {
  label: string;
  /** The hidden field that sends the key with the form (uncontrolled use, a search form). */
  name?: string;
  /** Told every key chosen or typed, '' while none is (controlled use, a form with a draft). */
  onChange?: (ags: string) => void;
  id?: string;
  value?: string;
  /** Only these kinds are offered (a site lies in a municipality). */
  kinds?: PlaceKind[];
  hint?: string;
  error?: string;
}) {
  const id = props.id ?? `ort-${props.name ?? 'feld'}`;
  const [text, setText] = useState('');
  const [chosen, setChosenOnly] = useState(props.value ?? '');
  const setChosen = (ags: string) => {
    setChosenOnly(ags);
    if (ags !== chosen) props.onChange?.(ags);
  };
  const [offers, setOffers] = useState<Offer[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [unchosen, setUnchosen] = useState(false);
  const asked = useRef(0);
  const shown = useRef('');
  useInitialLabel(props.value, setText, shown);
  // A form that puts another key in (a draft restored, a save) shows it.
  useEffect(() => setChosenOnly(props.value ?? ''), [props.value]);

  const ask = (typed: string) => {
    const n = ++asked.current;
    if (typed.trim().length < 2 || /^\d+$/.test(typed.trim())) return setOpen(false);
    // Each keystroke asks; only the answer to the latest question is shown.
    void api.GET('/v1/places', { params: { query: { q: typed.trim(), limit: 8 } } }).then(({ data }) => {
      if (n !== asked.current || !data) return;
      const found = data.items.filter((o) => !props.kinds || props.kinds.includes(o.kind));
      setOffers(found);
      setActive(-1);
      setOpen(true);
      // A name typed in full ("Leipzig", "torgau") is that place, chosen or not from the list.
      const exact = namedAs(found, typed);
      if (exact) takeQuietly(exact);
    });
  };
  /** Chosen without changing what the person typed. */
  const takeQuietly = (o: Offer) => {
    shown.current = o.ags;
    setChosen(o.ags);
    setUnchosen(false);
  };
  const choose = (o: Offer) => {
    shown.current = o.ags;
    setText(o.label);
    setChosen(o.ags);
    setUnchosen(false);
    setOpen(false);
  };
  const onInput = (ev: Event) => {
    const typed = (ev.target as HTMLInputElement).value;
    setText(typed);
    setChosen(/^\d{2,8}$/.test(typed.trim()) ? typed.trim() : '');
    setUnchosen(typed.trim() !== '' && !/^\d{2,8}$/.test(typed.trim()));
    ask(typed);
  };
  const onKeyDown = (ev: KeyboardEvent) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (!open) return ask(text);
      const step = ev.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (offers.length === 0 ? -1 : (a + step + offers.length) % offers.length));
    } else if (ev.key === 'Enter' && open && (active >= 0 || offers.length === 1)) {
      // Enter takes the offer (the only one, where one is offered); it does not send the form.
      ev.preventDefault();
      choose(offers[Math.max(active, 0)]!);
    } else if (ev.key === 'Escape') {
      if (open) setOpen(false);
      else onInput({ target: { value: '' } } as unknown as Event);
    }
  };
  // Typed but not chosen is said when the form is sent (the form's error), not while the person is at it.
  const error = props.error;
  const described = [props.hint && `${id}-hinweis`, error && `${id}-fehler`].filter(Boolean).join(' ');
  return (
    <div class={`kern-form-input lotse-place${error ? ' kern-form-input--error' : ''}`}>
      <FieldLabel id={id} label={props.label} hint={props.hint} />
      <div class="lotse-place__box">
        <input
          type="text"
          id={id}
          class={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={`${id}-liste`}
          aria-activedescendant={open && active >= 0 ? `${id}-${active}` : undefined}
          aria-describedby={described || undefined}
          aria-invalid={error ? true : undefined}
          autoComplete="off"
          value={text}
          onInput={onInput}
          onKeyDown={onKeyDown}
          onBlur={() => setOpen(false)}
        />
        {/* data-unchosen: something was typed but no place chosen; the form says so rather than search. */}
        {props.name && (
          <input type="hidden" name={props.name} value={chosen} data-unchosen={unchosen ? 'true' : undefined} />
        )}
        <ul id={`${id}-liste`} role="listbox" aria-label={props.label} class="lotse-place__list" hidden={!open}>
          {offers.map((o, i) => (
            <li
              key={o.ags}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === active}
              class={i === active ? 'lotse-place__option lotse-place__option--active' : 'lotse-place__option'}
              // Chosen on mousedown: a click would first blur the field and close the list.
              onMouseDown={(ev) => {
                ev.preventDefault();
                choose(o);
              }}
            >
              {o.label}
            </li>
          ))}
        </ul>
      </div>
      <p class="kern-sr-only" role="status">
        {open ? placeWords.found(offers.length) : ''}
      </p>
      {error && (
        <p class="kern-error" id={`${id}-fehler`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * The one offer a name typed in full means: its whole label ("Leipzig", not "Leipzig (kreisfreie
 * Stadt)"), else the only one whose name before the county is it ("torgau": Torgau (Nordsachsen)).
 */
function namedAs(offers: Offer[], typed: string): Offer | undefined {
  const t = typed.trim().toLocaleLowerCase('de');
  const whole = offers.filter((o) => o.label.toLocaleLowerCase('de') === t);
  const named = whole.length > 0 ? whole : offers.filter((o) => o.label.split(' (')[0]!.toLocaleLowerCase('de') === t);
  return named.length === 1 ? named[0] : undefined;
}

/** A key given from the start (the address) shows as its name. */
function useInitialLabel(ags: string | undefined, setText: (t: string) => void, known?: { current: string }) {
  useEffect(() => {
    // A place just chosen in the field shows its name already.
    if (!ags || ags === known?.current) return;
    setText(ags);
    void api.GET('/v1/places', { params: { query: { ags } } }).then(({ data }) => {
      const found = data?.items[0];
      if (found) setText(found.label);
    });
  }, [ags]);
}

/** A key as staff read it ("Torgau (Nordsachsen)"), the key itself until the name is known or where none is. */
export function PlaceName({ ags }: { ags: string }) {
  return <>{usePlaceNames([ags])(ags)}</>;
}

/** The names of keys, asked for at once: a function from a key to its name (the key until it is known). */
export function usePlaceNames(keys: string[]): (ags: string) => string {
  const [labels, setLabels] = useState<Record<string, string>>({});
  const joined = [...new Set(keys)].join(',');
  useEffect(() => {
    if (!joined) return;
    void api.GET('/v1/places', { params: { query: { ags: joined } } }).then(({ data }) => {
      if (data) setLabels(Object.fromEntries(data.items.map((p) => [p.ags, p.label])));
    });
  }, [joined]);
  return (ags) => labels[ags] ?? ags;
}

/** Several keys as staff read them, comma-separated ("Leipzig, Torgau (Nordsachsen)"). */
export function PlaceNames({ keys, none }: { keys: string[]; none: string }) {
  const name = usePlaceNames(keys);
  return <>{keys.length === 0 ? none : keys.map(name).join(', ')}</>;
}
