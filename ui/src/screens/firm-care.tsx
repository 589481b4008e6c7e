import { useState } from 'preact/hooks';
import { api, problemDetail } from '../api.js';
import { useConfirm } from '../confirm.js';
import { berlinInstant, clock, dateTime, day, germanDay, parseClock, parseGermanDay } from '../format.js';
import { agencyShort } from '../names.js';
import { AgencyName, Badge, ErrorAlert, Item } from '../parts.js';
import { de } from '../texts.js';
import type { Firm, FirmPerson } from '../types.js';
import {
  fieldId,
  firmProblem,
  focusFirst,
  refuser,
  participantOf,
  PeoplePicker,
  peopleNames,
  personKey,
  refusedAt,
  SelectField,
  TextArea,
  TextField,
  fixing,
} from './firm-parts.js';

/**
 * A firm's care on its page: the visits planned (moved, cancelled, reported), the concerns
 * open (answered or handed on by the agency they wait on), and the forms to plan a visit and
 * take up a concern. Every action says what it did (`onDone`) or why not, at the field.
 */

const t = de.firms;
type Visit = Firm['care']['plannedVisits'][number];
type Concern = Firm['care']['openConcerns'][number];
/** What an action answered: the words to say, and that the page asks for the firm again. */
export type Done = (said: string) => void;

/** "12.03.2027, 14:30 Uhr" */
export const when = (iso: string) => dateTime(iso);

/** The agencies a concern may go to, as the api names them (`concernAgencies`), the firm's agency first. */
export const concernAgencies = (firm: Firm) =>
  [...new Set(firm.concernAgencies)].sort((a, b) =>
    a === firm.agency ? -1 : b === firm.agency ? 1 : agencyShort(a).localeCompare(agencyShort(b)),
  );

/** Geplante Besuche: when, how long, where, who; for the carers' staff: erfassen, verschieben, absagen. */
export function PlannedVisits(props: { firm: Firm; mayCare: boolean; people: FirmPerson[]; onDone: Done }) {
  const { firm } = props;
  const [moving, setMoving] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ visitId: string; text: string } | null>(null);
  const confirm = useConfirm();
  const cancel = (v: Visit) =>
    confirm.ask(
      { title: t.cancel_.question(when(v.at)), consequence: t.cancel_.consequence, confirm: t.cancel_.confirm },
      () =>
        void api
          .POST('/v1/firms/{id}/visits/{visitId}/cancel', {
            params: { path: { id: firm.firmId, visitId: v.visitId } },
            body: {},
          })
          .then(({ data, error, response }) => {
            if (data) {
              setProblem(null);
              props.onDone(t.cancel_.said(when(v.at)));
            } else
              setProblem({
                visitId: v.visitId,
                text: firmProblem(response.status, problemDetail(error, response.status)),
              });
          }),
    );
  const visits = firm.care.plannedVisits;
  return (
    <section aria-labelledby="geplante-besuche">
      <h2 id="geplante-besuche" class="kern-heading-medium">
        {t.planned}
      </h2>
      {visits.length === 0 && <p class="kern-body">{t.noPlanned}</p>}
      {visits.map((v) => (
        <article class="lotse-item" key={v.visitId} aria-labelledby={`besuch-${v.visitId}`}>
          <h3 class="kern-heading-small" id={`besuch-${v.visitId}`} tabIndex={-1}>
            {t.visitAt(when(v.at))}
          </h3>
          <dl class="kern-description-list">
            <Item term={t.plan.duration} value={t.duration(v.durationMinutes)} />
            {v.place && <Item term={t.place} value={v.place} />}
            <Item term={t.participants} value={peopleNames(v.participants, firm.agency)} />
          </dl>
          {problem?.visitId === v.visitId && <ErrorAlert detail={problem.text} />}
          {props.mayCare && moving !== v.visitId && (
            <div class="kern-btn-wrapper lotse-buttons">
              <a class="kern-btn kern-btn--primary" href={`/unternehmen/${firm.firmId}/besuch?besuch=${v.visitId}`}>
                <span class="kern-label">{t.report.link}</span>
              </a>
              <button class="kern-btn kern-btn--secondary" type="button" onClick={() => setMoving(v.visitId)}>
                <span class="kern-label">{t.reschedule}</span>
              </button>
              <button class="kern-btn kern-btn--secondary" type="button" onClick={() => cancel(v)}>
                <span class="kern-label">{t.cancelVisit}</span>
              </button>
            </div>
          )}
          {moving === v.visitId && (
            <PlanVisit
              firm={firm}
              people={props.people}
              visit={v}
              onClose={() => setMoving(null)}
              onDone={(said) => {
                setMoving(null);
                props.onDone(said);
              }}
            />
          )}
        </article>
      ))}
      {confirm.dialog}
    </section>
  );
}

const DURATIONS = [30, 60, 90, 120, 180, 240];

/** Besuch planen (or verschieben: `visit`): day and time in Berlin, how long, where, who of the carers. */
export function PlanVisit(props: {
  firm: Firm;
  people: FirmPerson[];
  visit?: Visit;
  onClose: () => void;
  onDone: Done;
}) {
  const { firm, visit } = props;
  const p = t.plan;
  const me = props.people.find((x) => x.me);
  const [dayText, setDay] = useState(visit ? day(visit.at) : '');
  const [time, setTime] = useState(visit ? clock(visit.at) : '');
  const [duration, setDuration] = useState(String(visit?.durationMinutes ?? 90));
  const [place, setPlace] = useState(visit?.place ?? '');
  const [chosen, setChosen] = useState<string[]>(visit ? visit.participants.map(personKey) : me ? [personKey(me)] : []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const prefix = visit ? `verschieben-${visit.visitId}` : 'planen';
  const fixed = fixing(setErrors);
  const id = (k: string) => fieldId(`${prefix}.${k}`);
  const refuse = (fields: Record<string, string>, text: string, form: HTMLElement | null) => {
    setErrors(fields);
    setProblem(text);
    setTimeout(() =>
      focusFirst(
        form,
        Object.keys(fields).map((k) => `${prefix}.${k}`),
      ),
    );
  };
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const form = ev.target as HTMLElement;
    const wrong: Record<string, string> = {};
    if (!parseGermanDay(dayText)) wrong.day = p.dayWrong;
    if (!parseClock(time)) wrong.time = p.timeWrong;
    const at = berlinInstant(dayText, time);
    if (at && Date.parse(at) <= Date.now()) wrong.day = p.past;
    if (chosen.length === 0) wrong.participants = p.nobody;
    if (chosen.length > 10) wrong.participants = p.tooMany;
    if (Object.keys(wrong).length) return refuse(wrong, t.refused, form);
    setBusy(true);
    const body = {
      at: at!,
      durationMinutes: Number(duration),
      participants: chosen.map(participantOf),
      ...(place.trim() ? { place: place.trim() } : {}),
    };
    const { data, error, response } = await (
      visit
        ? api.PUT('/v1/firms/{id}/visits/{visitId}', {
            params: { path: { id: firm.firmId, visitId: visit.visitId } },
            body,
          })
        : api.POST('/v1/firms/{id}/visits', { params: { path: { id: firm.firmId } }, body })
    ).finally(() => setBusy(false));
    if (data) return props.onDone(visit ? p.moved(when(at!)) : p.said(when(at!)));
    const fields = refusedAt(error);
    const mapped: Record<string, string> = {};
    if (fields.at) mapped.day = p.past;
    if (Object.keys(fields).some((k) => k.startsWith('participants'))) mapped.participants = p.nobody;
    refuse(mapped, firmProblem(response.status, problemDetail(error, response.status)), form);
  };
  return (
    <form class="lotse-subform" onSubmit={(ev) => void submit(ev)} aria-labelledby={`${prefix}-titel`} noValidate>
      <h3 class="kern-heading-small" id={`${prefix}-titel`} tabIndex={-1}>
        {visit ? p.rescheduleTitle : p.title}
      </h3>
      <div class="lotse-pair">
        <TextField
          id={id('day')}
          label={p.day}
          hint={p.dayHint}
          inputMode="numeric"
          value={dayText}
          error={errors.day}
          onInput={fixed('day', setDay)}
        />
        <TextField
          id={id('time')}
          label={p.time}
          hint={p.timeHint}
          inputMode="numeric"
          value={time}
          error={errors.time}
          onInput={fixed('time', setTime)}
        />
      </div>
      <SelectField
        id={id('duration')}
        label={p.duration}
        value={duration}
        options={DURATIONS.map((m) => [String(m), t.duration(m)])}
        onChoose={setDuration}
      />
      <TextField id={id('place')} label={p.place} value={place} onInput={setPlace} />
      <PeoplePicker
        id={id('participants')}
        people={props.people}
        home={firm.agency}
        chosen={chosen}
        onChoose={fixed('participants', setChosen)}
        error={errors.participants}
      />
      {problem && <ErrorAlert detail={problem} />}
      <div aria-live="polite">{busy && <p class="kern-body">{de.actions.running}</p>}</div>
      <div class="kern-btn-wrapper lotse-buttons">
        <button class="kern-btn kern-btn--primary" type="submit" disabled={busy}>
          <span class="kern-label">{visit ? p.sendReschedule : p.send}</span>
        </button>
        <button class="kern-btn kern-btn--secondary" type="button" onClick={props.onClose}>
          <span class="kern-label">{t.cancel}</span>
        </button>
      </div>
    </form>
  );
}

/** Anliegen aufnehmen (at the desk, without a visit): topic, the agency that answers it, what the firm needs. */
export function OpenConcern(props: { firm: Firm; onClose: () => void; onDone: Done }) {
  const { firm } = props;
  const c = t.concernForm;
  const [topic, setTopic] = useState('');
  const [handledBy, setHandledBy] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fixed = fixing(setErrors);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const form = ev.target as HTMLElement;
    const wrong: Record<string, string> = {};
    if (!topic) wrong.topic = c.topicMissing;
    if (!handledBy) wrong.handledBy = c.handledByMissing;
    if (note.trim().length < 3) wrong.note = c.noteMissing;
    const refuse = refuser(() => form, setErrors, setProblem, 'anliegen');
    if (Object.keys(wrong).length) return refuse(wrong, t.refused);
    setBusy(true);
    const { data, error, response } = await api
      .POST('/v1/firms/{id}/concerns', {
        params: { path: { id: firm.firmId } },
        body: { topic: topic as Concern['topic'], handledBy, note: note.trim() },
      })
      .finally(() => setBusy(false));
    if (data) return props.onDone(c.said(t.topics[topic] ?? topic, agencyShort(handledBy)));
    const fields = refusedAt(error);
    refuse(
      fields.handledBy ? { handledBy: c.handledByWrong } : {},
      firmProblem(response.status, problemDetail(error, response.status)),
    );
  };
  return (
    <form class="lotse-subform" onSubmit={(ev) => void submit(ev)} aria-labelledby="anliegen-titel" noValidate>
      <h3 class="kern-heading-small" id="anliegen-titel" tabIndex={-1}>
        {c.title}
      </h3>
      <SelectField
        id={fieldId('anliegen.topic')}
        label={c.topic}
        value={topic}
        choose={de.actions.choose}
        options={Object.entries(t.topics)}
        error={errors.topic}
        onChoose={fixed('topic', setTopic)}
      />
      <SelectField
        id={fieldId('anliegen.handledBy')}
        label={c.handledBy}
        value={handledBy}
        choose={de.actions.choose}
        options={concernAgencies(firm).map((a) => [a, agencyShort(a)])}
        error={errors.handledBy}
        onChoose={fixed('handledBy', setHandledBy)}
      />
      <TextArea
        id={fieldId('anliegen.note')}
        label={c.note}
        value={note}
        error={errors.note}
        onInput={fixed('note', setNote)}
      />
      {problem && <ErrorAlert detail={problem} />}
      <div aria-live="polite">{busy && <p class="kern-body">{de.actions.running}</p>}</div>
      <div class="kern-btn-wrapper lotse-buttons">
        <button class="kern-btn kern-btn--primary" type="submit" disabled={busy}>
          <span class="kern-label">{c.send}</span>
        </button>
        <button class="kern-btn kern-btn--secondary" type="button" onClick={props.onClose}>
          <span class="kern-label">{t.cancel}</span>
        </button>
      </div>
    </form>
  );
}

/**
 * Offene Anliegen: topic, who answers it by when (Wiedervorlage; "überfällig" in words), what
 * the firm needs; the answer form for staff of the agency it waits on.
 */
export function OpenConcerns(props: { firm: Firm; agency: string; staff: boolean; onDone: Done }) {
  const { firm } = props;
  const concerns = firm.care.openConcerns;
  return (
    <section aria-labelledby="offene-anliegen">
      <h2 id="offene-anliegen" class="kern-heading-medium">
        {t.concerns}
      </h2>
      {concerns.length === 0 && <p class="kern-body">{t.noConcerns}</p>}
      {concerns.map((c) => (
        <article class="lotse-item" key={c.concernId} aria-labelledby={`anliegen-${c.concernId}`}>
          <h3 class="kern-heading-small" id={`anliegen-${c.concernId}`} tabIndex={-1}>
            {t.concernOf(t.topics[c.topic] ?? c.topic)}
            {c.overdue && (
              <>
                {' '}
                <Badge kind="danger">{t.overdue}</Badge>
              </>
            )}
          </h3>
          <dl class="kern-description-list">
            <Item term={t.handledBy} value={<AgencyName id={c.handledBy} />} />
            <Item
              term={t.followUp}
              value={
                <>
                  {day(c.due)}
                  {c.overdue && ` (${t.overdue})`}
                </>
              }
            />
            <Item term={t.openedAt} value={`${day(c.openedAt)}, ${t.via[c.via] ?? c.via}`} />
          </dl>
          <p class="kern-body lotse-quote">{c.note}</p>
          {props.staff && props.agency === c.handledBy ? (
            <AnswerConcern firm={firm} concern={c} onDone={props.onDone} />
          ) : (
            <p class="kern-hint">{t.answer.waitsOn(agencyShort(c.handledBy))}</p>
          )}
        </article>
      ))}
    </section>
  );
}

/** Erledigt with a note, or Weitergeben an another agency with the reason. */
function AnswerConcern(props: { firm: Firm; concern: Concern; onDone: Done }) {
  const { firm, concern } = props;
  const a = t.answer;
  const prefix = `antwort-${concern.concernId}`;
  const [how, setHow] = useState<'done' | 'handed_on'>('done');
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const topic = t.topics[concern.topic] ?? concern.topic;
  const fixed = fixing(setErrors);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const form = ev.target as HTMLElement;
    const wrong: Record<string, string> = {};
    if (how === 'handed_on' && !to) wrong.to = a.toMissing;
    if (note.trim().length < 3) wrong.note = how === 'done' ? a.noteMissing : a.reasonMissing;
    const refuse = refuser(() => form, setErrors, setProblem, prefix);
    if (Object.keys(wrong).length) return refuse(wrong, t.refused);
    setBusy(true);
    const { data, error, response } = await api
      .POST('/v1/firms/{id}/concerns/{concernId}/answer', {
        params: { path: { id: firm.firmId, concernId: concern.concernId } },
        body: { answer: how, note: note.trim(), ...(how === 'handed_on' ? { handTo: to } : {}) },
      })
      .finally(() => setBusy(false));
    if (data) return props.onDone(how === 'done' ? a.said.done(topic) : a.said.handed(topic, agencyShort(to)));
    const fields = refusedAt(error);
    refuse(
      fields.handTo ? { to: t.concernForm.handledByWrong } : {},
      firmProblem(response.status, problemDetail(error, response.status), t.forbiddenAnswer),
    );
  };
  const others = concernAgencies(firm).filter((x) => x !== concern.handledBy);
  return (
    <form class="lotse-subform" onSubmit={(ev) => void submit(ev)} aria-labelledby={`${prefix}-titel`} noValidate>
      <h4 class="kern-heading-small" id={`${prefix}-titel`}>
        {a.title}
      </h4>
      <fieldset class="kern-fieldset">
        <legend class="kern-label">{a.how}</legend>
        <div class="lotse-clear" />
        <div class="kern-fieldset__body lotse-checks">
          {(['done', 'handed_on'] as const).map((x) => (
            <div class="kern-form-check" key={x}>
              <input
                class="kern-form-check__radio"
                type="radio"
                name={`${prefix}-art`}
                id={`${prefix}-${x}`}
                checked={how === x}
                onChange={() => setHow(x)}
              />
              <label class="kern-label" for={`${prefix}-${x}`}>
                {x === 'done' ? a.done : a.handOn}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      {how === 'handed_on' && (
        <SelectField
          id={fieldId(`${prefix}.to`)}
          label={a.to}
          value={to}
          choose={de.actions.choose}
          options={others.map((x) => [x, agencyShort(x)])}
          error={errors.to}
          onChoose={fixed('to', setTo)}
        />
      )}
      <TextArea
        id={fieldId(`${prefix}.note`)}
        label={how === 'done' ? a.note : a.reason}
        value={note}
        error={errors.note}
        onInput={fixed('note', setNote)}
      />
      {problem && <ErrorAlert detail={problem} />}
      <div aria-live="polite">{busy && <p class="kern-body">{de.actions.running}</p>}</div>
      <button class="kern-btn kern-btn--primary" type="submit" disabled={busy}>
        <span class="kern-label">{a.send}</span>
      </button>
    </form>
  );
}

/** "12.03.2027" for a day ("2027-03-12") or an instant. */
export const dayOf = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? germanDay(v) : day(v));
