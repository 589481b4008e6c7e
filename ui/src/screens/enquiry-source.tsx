import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, fieldsOf, problemDetail } from '../api.js';
import type { Session } from '../auth.js';
import { allAreas, allMeasures, areaName, measureName } from '../names.js';
import { Item } from '../parts.js';
import { SaidAlert, useSaid } from '../said.js';
import { de } from '../texts.js';
import type { EnquiryState } from '../types.js';

type Source = NonNullable<EnquiryState['enquiry']['source']>;
type Channel = Source['channel'];

const t = de.enquiry.source;
const f = de.enquiry.fields;

/** The channels, in the order the form offers them. */
const CHANNELS: Channel[] = ['website', 'campaign_page', 'fair', 'referral', 'phone', 'other'];

const channelWords = (s: Source | null | undefined) => t.channels[s?.channel ?? 'none'] ?? s?.channel ?? '';
const measureWords = (s: Source | null | undefined) => (s?.measure ? measureName(s.measure) : t.noMeasure);
const areaWords = (s: Source | null | undefined) => (s?.area ? areaName(s.area) : t.noArea);

/** "Kampagnenseite, RB-NOS-1 Ansiedlungskampagne, Mittelzentrum Torgau"; "ohne Angabe" for none. */
export function sourceWords(s: Source | null | undefined): string {
  if (!s) return t.channels.none!;
  return [channelWords(s), s.measure && measureName(s.measure), s.area && t.inArea(areaName(s.area))]
    .filter(Boolean)
    .join(', ');
}

/** Where the enquiry came from, as the Überblick lists it: names, never codes alone. */
export function SourceItems({ e }: { e: EnquiryState }) {
  const s = e.enquiry.source;
  return (
    <>
      <Item term={f.channel} value={channelWords(s)} />
      <Item term={f.measure} value={measureWords(s)} />
      <Item term={f.sourceArea} value={areaWords(s)} />
    </>
  );
}

/**
 * Whether the person may set the source, as the api checks: staff or managers of the agency that
 * received it, is responsible for or handles it, until it is closed.
 */
export function maySetSource(e: EnquiryState, session: Session | null): boolean {
  if (!session || e.status === 'closed') return false;
  const ours = [e.receivedBy, e.responsibleAgency, ...e.handlingAgencies].includes(session.agency);
  return ours && (session.roles.includes('staff') || session.roles.includes('manager'));
}

type Chosen = { channel: string; measure: string; area: string };
type Field = keyof Chosen;

const chosenOf = (s: Source | undefined): Chosen => ({
  channel: s?.channel ?? '',
  measure: s?.measure ?? '',
  area: s?.area ?? '',
});

/**
 * "Herkunft ändern": a button that opens the form under it (three choices, as the source now is);
 * saved, the form closes and the Überblick shows what the api answered. Opened again, the form
 * starts from what was saved.
 */
export function SourceForm({ e, onChange }: { e: EnquiryState; onChange: (e: EnquiryState) => void }) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const answer = useSaid();
  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  return (
    <div class="lotse-source lotse-no-print">
      <SaidAlert said={answer.said} />
      <button
        ref={toggle}
        class="kern-btn kern-btn--secondary"
        type="button"
        aria-expanded={open}
        aria-controls={open ? 'herkunft-formular' : undefined}
        onClick={() => (answer.clear(), setOpen(!open))}
      >
        <span class="kern-label">{t.change}</span>
      </button>
      {open && (
        <ChangeSource
          e={e}
          onCancel={close}
          onSaved={(saved) => {
            onChange(saved);
            setOpen(false);
            answer.say(saved.enquiry.source ? t.said(sourceWords(saved.enquiry.source)) : t.saidNone);
          }}
          onRefused={(problem) => answer.say(problem, false)}
        />
      )}
    </div>
  );
}

function ChangeSource(props: {
  e: EnquiryState;
  onCancel: () => void;
  onSaved: (e: EnquiryState) => void;
  onRefused: (problem: string) => void;
}) {
  // What the enquiry says now, once, when the form opens: a later answer does not overwrite a choice.
  const [chosen, setChosen] = useState<Chosen>(() => chosenOf(props.e.enquiry.source));
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  const choose = (field: Field) => (value: string) => setChosen((c) => ({ ...c, [field]: value }));

  const save = async (ev: Event) => {
    ev.preventDefault();
    const { channel, measure, area } = chosen;
    if (!channel && (measure || area)) {
      setProblems({ channel: t.channelMissing });
      return first.current?.focus();
    }
    setProblems({});
    const source = channel
      ? { channel: channel as Channel, ...(measure ? { measure } : {}), ...(area ? { area } : {}) }
      : null;
    setBusy(true);
    const { data, error, response } = await api
      .POST('/v1/enquiries/{id}/source', { params: { path: { id: props.e.enquiryId } }, body: { source } })
      .finally(() => setBusy(false));
    if (data) return props.onSaved(data);
    const fields = fieldsOf(error)
      .map((p) => p.replace(/^source\./, ''))
      .filter((p): p is Field => p === 'channel' || p === 'measure' || p === 'area');
    if (response.status === 400 && fields.length > 0)
      setProblems(Object.fromEntries(fields.map((p) => [p, t.unknown])));
    props.onRefused(problemDetail(error, response.status));
  };

  return (
    <form id="herkunft-formular" noValidate onSubmit={(ev) => void save(ev)}>
      <fieldset class="kern-fieldset">
        <legend class="kern-label">{t.legend}</legend>
        {/* KERN floats the legend: the fields go below it. */}
        <div style={{ clear: 'both' }} />
        <p class="kern-hint">{t.hint}</p>
        <Select
          id="herkunft-eingangsweg"
          label={f.channel}
          value={chosen.channel}
          none={t.channels.none!}
          options={CHANNELS.map((c): [string, string] => [c, t.channels[c] ?? c])}
          onChoose={choose('channel')}
          problem={problems.channel}
          innerRef={first}
        />
        <Select
          id="herkunft-massnahme"
          label={f.measure}
          value={chosen.measure}
          none={t.noMeasureOption}
          options={withCurrent(allMeasures(), chosen.measure, measureName)}
          onChoose={choose('measure')}
          problem={problems.measure}
        />
        <Select
          id="herkunft-mittelzentrum"
          label={f.sourceArea}
          value={chosen.area}
          none={t.noAreaOption}
          options={withCurrent(allAreas(), chosen.area, areaName)}
          onChoose={choose('area')}
          problem={problems.area}
        />
        <div class="kern-btn-wrapper lotse-buttons">
          <button class="kern-btn kern-btn--primary" type="submit" disabled={busy}>
            <span class="kern-label">{t.save}</span>
          </button>
          <button class="kern-btn kern-btn--secondary" type="button" onClick={props.onCancel}>
            <span class="kern-label">{t.cancel}</span>
          </button>
        </div>
      </fieldset>
    </form>
  );
}

/** The choices, and the enquiry's own value among them even where the reference data no longer lists it. */
function withCurrent(options: [string, string][], current: string, name: (v: string) => string): [string, string][] {
  return !current || options.some(([v]) => v === current) ? options : [...options, [current, name(current)]];
}

/** A KERN select with the "none" choice first, its problem tied to it. */
function Select(props: {
  id: string;
  label: string;
  value: string;
  none: string;
  options: [string, string][];
  onChoose: (v: string) => void;
  problem: string | undefined;
  innerRef?: Ref<HTMLSelectElement>;
}) {
  const error = `${props.id}-fehler`;
  return (
    <div class={`kern-form-input${props.problem ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
      {props.problem && (
        <p id={error} class="kern-error">
          {props.problem}
        </p>
      )}
      <div class="kern-form-input__select-wrapper">
        <select
          ref={props.innerRef}
          id={props.id}
          class={`kern-form-input__select${props.problem ? ' kern-form-input__select--error' : ''}`}
          value={props.value}
          aria-invalid={props.problem ? true : undefined}
          aria-describedby={props.problem ? error : undefined}
          onChange={(ev) => props.onChoose((ev.target as HTMLSelectElement).value)}
        >
          <option value="">{props.none}</option>
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
