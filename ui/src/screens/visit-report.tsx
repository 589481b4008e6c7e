import { useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, problemDetail, useLoad } from '../api.js';
import type { Session } from '../auth.js';
import { useDraft } from '../drafts.js';
import { berlinInstant, clock, day, parseClock, parseGermanDay } from '../format.js';
import { agencyShort } from '../names.js';
import { ErrorAlert, Loaded, Note } from '../parts.js';
import { SaidAlert, useSaid } from '../said.js';
import { de } from '../texts.js';
import type { Firm, FirmPerson, VisitTopic } from '../types.js';
import { concernAgencies, when } from './firm-care.js';
import {
  Checkboxes,
  fieldId,
  firmProblem,
  refuser,
  participantOf,
  PeoplePicker,
  personKey,
  refusedAt,
  SelectField,
  TextArea,
  TextField,
  useFirmPeople,
  without,
} from './firm-parts.js';

const t = de.firms;
const r = t.report;

interface ConcernRow {
  key: string;
  topic: string;
  handledBy: string;
  note: string;
}
interface Values {
  visitId: string;
  day: string;
  time: string;
  participants: string[];
  topics: string[];
  note: string;
  concerns: ConcernRow[];
}

let rows = 0;
const emptyConcern = (): ConcernRow => ({
  key: `a${Date.now().toString(36)}${rows++}`,
  topic: '',
  handledBy: '',
  note: '',
});

/** Now, to the five minutes before: a visit is recorded once it took place. */
const justNow = () => new Date(Math.floor(Date.now() / 300_000) * 300_000).toISOString();

/** Day and time of a planned visit, or now where it lies ahead (it took place earlier than planned). */
const timeOf = (visit?: { at: string }) => {
  const at = visit && Date.parse(visit.at) <= Date.now() ? visit.at : justNow();
  return { day: day(at), time: clock(at) };
};

/**
 * Besuch erfassen: the report of a visit that took place — optionally the planned one (its
 * people and time taken over), when, who, what it was about, a note, and the concerns it
 * raised, each for the agency that answers it. Refusals at their fields.
 */
export function VisitReport({ id, session }: { id: string; session: Session }) {
  const firm = useLoad(() => api.GET('/v1/firms/{id}', { params: { path: { id } } }), [id]);
  const staff = session.roles.includes('staff');
  const people = useFirmPeople(staff ? id : null);
  const { said, say } = useSaid();
  const [reported, setReported] = useState<false | { expansion: boolean }>(false);
  const name = firm.data?.name;
  return (
    <article aria-labelledby="besuch-erfassen">
      <p class="kern-body">
        <a class="kern-link" href={`/unternehmen/${id}`}>
          {name ? t.backToFirm(name) : t.back}
        </a>
      </p>
      <h1 id="besuch-erfassen" class="kern-heading-large">
        {name ? r.titleOf(name) : r.title}
      </h1>
      <SaidAlert said={said} />
      {reported ? (
        <>
          {reported.expansion && (
            <p class="kern-body">
              {`${t.expansion.afterVisit} `}
              <a class="kern-btn kern-btn--primary" href={`/unternehmen/${id}#erweiterung`}>
                <span class="kern-label">{t.expansion.title}</span>
              </a>
            </p>
          )}
          <p class="kern-body">
            <a class="kern-link" href={`/unternehmen/${id}`}>
              {`${r.toFirm} „${name ?? ''}“`}
            </a>
          </p>
        </>
      ) : (
        <Loaded load={firm} problem={(detail, status) => (status === 404 ? t.notFound : detail)}>
          {(f) =>
            !staff || ![f.agency, ...f.coCarers].includes(session.agency) ? (
              <Note>{t.forbiddenCare}</Note>
            ) : people.data === undefined && !people.error ? (
              <p role="status">{de.loading}</p>
            ) : (
              <ReportForm
                firm={f}
                people={people.data?.items ?? []}
                onDone={(text, expansion) => {
                  setReported({ expansion });
                  say(text);
                }}
              />
            )
          }
        </Loaded>
      )}
    </article>
  );
}

function ReportForm(props: { firm: Firm; people: FirmPerson[]; onDone: (said: string, expansion: boolean) => void }) {
  const { firm, people } = props;
  const { query } = useLocation();
  const planned = firm.care.plannedVisits;
  const first = planned.find((v) => v.visitId === query.besuch);
  const me = people.find((p) => p.me);
  const initial: Values = {
    visitId: first?.visitId ?? '',
    ...timeOf(first),
    participants: first ? first.participants.map(personKey) : me ? [personKey(me)] : [],
    topics: [],
    note: '',
    concerns: [],
  };
  const [v, setV, sent] = useDraft<Values>(`besuch:${firm.firmId}:${first?.visitId ?? ''}`, initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const set = (patch: Partial<Values>, paths: string[] = Object.keys(patch)) => {
    setV({ ...v, ...patch });
    // The day's error is at `at`.
    setErrors((e) =>
      without(
        e,
        paths.map((k) => (k === 'day' ? 'at' : k)),
      ),
    );
  };
  const setConcern = (i: number, patch: Partial<ConcernRow>) =>
    set(
      { concerns: v.concerns.map((c, j) => (j === i ? { ...c, ...patch } : c)) },
      Object.keys(patch).map((k) => `concerns[${i}].${k}`),
    );
  const choosePlanned = (visitId: string) => {
    const visit = planned.find((x) => x.visitId === visitId);
    set({ visitId, ...(visit ? { ...timeOf(visit), participants: visit.participants.map(personKey) } : {}) });
  };
  const refuse = refuser(() => form.current, setErrors, setProblem);
  const addConcern = () => {
    set({ concerns: [...v.concerns, emptyConcern()] });
    setTimeout(() => document.getElementById(fieldId(`concerns[${v.concerns.length}].topic`))?.focus());
  };
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const wrong: Record<string, string> = {};
    if (!parseGermanDay(v.day)) wrong.at = t.plan.dayWrong;
    if (!parseClock(v.time)) wrong.time = t.plan.timeWrong;
    const at = berlinInstant(v.day, v.time);
    if (at && Date.parse(at) > Date.now()) wrong.at = r.future;
    if (v.participants.length === 0) wrong.participants = t.plan.nobody;
    if (v.participants.length > 10) wrong.participants = t.plan.tooMany;
    if (v.topics.length === 0) wrong.topics = r.topicsMissing;
    const c = t.concernForm;
    v.concerns.forEach((x, i) => {
      if (!x.topic) wrong[`concerns[${i}].topic`] = c.topicMissing;
      if (!x.handledBy) wrong[`concerns[${i}].handledBy`] = c.handledByMissing;
      if (x.note.trim().length < 3) wrong[`concerns[${i}].note`] = c.noteMissing;
    });
    if (Object.keys(wrong).length) return refuse(wrong, r.refused);
    setBusy(true);
    const { data, error, response } = await api
      .POST('/v1/firms/{id}/visit-reports', {
        params: { path: { id: firm.firmId } },
        body: {
          ...(v.visitId ? { visitId: v.visitId } : {}),
          at: at!,
          participants: v.participants.map(participantOf),
          topics: v.topics as VisitTopic[],
          ...(v.note.trim() ? { note: v.note.trim() } : {}),
          concerns: v.concerns.map((x) => ({
            topic: x.topic as VisitTopic,
            handledBy: x.handledBy,
            note: x.note.trim(),
          })),
        },
      })
      .finally(() => setBusy(false));
    if (data) {
      sent();
      return props.onDone(r.said(v.concerns.length), v.topics.includes('expansion'));
    }
    refuse(refusedFields(error), firmProblem(response.status, problemDetail(error, response.status)));
  };
  const agencies: [string, string][] = concernAgencies(firm).map((a) => [a, agencyShort(a)]);
  return (
    <form
      ref={form}
      class="lotse-report"
      onSubmit={(ev) => void submit(ev)}
      aria-labelledby="besuch-erfassen"
      noValidate
    >
      {planned.length > 0 && (
        <SelectField
          id={fieldId('visitId')}
          label={r.plannedVisit}
          hint={r.plannedHint}
          value={v.visitId}
          choose={r.noPlanned}
          options={planned.map((x) => [x.visitId, t.visitAt(when(x.at))])}
          onChoose={choosePlanned}
        />
      )}
      <fieldset class="kern-fieldset">
        <legend class="kern-label">{r.when}</legend>
        <div class="lotse-clear" />
        <div class="lotse-pair">
          <TextField
            id={fieldId('at')}
            label={t.plan.day}
            hint={t.plan.dayHint}
            inputMode="numeric"
            value={v.day}
            error={errors.at}
            onInput={(x) => set({ day: x })}
          />
          <TextField
            id={fieldId('time')}
            label={t.plan.time}
            hint={t.plan.timeHint}
            inputMode="numeric"
            value={v.time}
            error={errors.time}
            onInput={(x) => set({ time: x })}
          />
        </div>
      </fieldset>
      <PeoplePicker
        id={fieldId('participants')}
        people={people}
        home={firm.agency}
        chosen={v.participants}
        onChoose={(participants) => set({ participants })}
        error={errors.participants}
      />
      <Checkboxes
        id={fieldId('topics')}
        legend={r.topics}
        options={Object.entries(t.topics)}
        chosen={v.topics}
        onChoose={(topics) => set({ topics })}
        error={errors.topics}
      />
      <TextArea
        id={fieldId('note')}
        label={r.note}
        value={v.note}
        maxLength={8000}
        error={errors.note}
        onInput={(note) => set({ note })}
      />
      <fieldset class="kern-fieldset lotse-rows" aria-describedby="anliegen-hinweis">
        <legend class="kern-label">{r.concerns}</legend>
        <div class="lotse-clear" />
        <p class="kern-hint" id="anliegen-hinweis">
          {r.concernsHint}
        </p>
        {v.concerns.map((x, i) => {
          const at = (k: string) => `concerns[${i}].${k}`;
          return (
            <fieldset class="kern-fieldset lotse-row" key={x.key}>
              <legend class="kern-label">{r.concern(i + 1)}</legend>
              <div class="lotse-clear" />
              <SelectField
                id={fieldId(at('topic'))}
                label={t.concernForm.topic}
                value={x.topic}
                choose={de.actions.choose}
                options={Object.entries(t.topics)}
                error={errors[at('topic')]}
                onChoose={(topic) => setConcern(i, { topic })}
              />
              <SelectField
                id={fieldId(at('handledBy'))}
                label={t.concernForm.handledBy}
                value={x.handledBy}
                choose={de.actions.choose}
                options={agencies}
                error={errors[at('handledBy')]}
                onChoose={(handledBy) => setConcern(i, { handledBy })}
              />
              <TextArea
                id={fieldId(at('note'))}
                label={t.concernForm.note}
                value={x.note}
                error={errors[at('note')]}
                onInput={(note) => setConcern(i, { note })}
              />
              <button
                class="kern-btn kern-btn--tertiary kern-btn--x-small"
                type="button"
                onClick={() => set({ concerns: v.concerns.filter((_, j) => j !== i) })}
              >
                <span class="kern-label">{r.removeConcern(i + 1)}</span>
              </button>
            </fieldset>
          );
        })}
        <button class="kern-btn kern-btn--secondary" type="button" onClick={addConcern}>
          <span class="kern-label">{r.addConcern}</span>
        </button>
      </fieldset>
      {problem && <ErrorAlert detail={problem} />}
      <div aria-live="polite">{busy && <p class="kern-body">{de.actions.running}</p>}</div>
      <button class="kern-btn kern-btn--primary" type="submit" disabled={busy}>
        <span class="kern-label">{r.send}</span>
      </button>
    </form>
  );
}

/** The api's refusal at the form's fields, in German. */
function refusedFields(error: unknown): Record<string, string> {
  const c = t.concernForm;
  const words: Record<string, string> = {
    at: r.future,
    participants: t.plan.nobody,
    topics: r.topicsMissing,
    note: t.errors.invalid!,
    topic: c.topicMissing,
    handledBy: c.handledByWrong,
  };
  return Object.fromEntries(
    Object.keys(refusedAt(error)).map((path) => {
      const at = /^participants/.test(path) ? 'participants' : /^topics/.test(path) ? 'topics' : path;
      const leaf = at.split('.').at(-1) ?? '';
      const word = at.startsWith('concerns') && leaf === 'note' ? c.noteMissing : words[leaf];
      return [at, word ?? t.errors.invalid!];
    }),
  );
}
