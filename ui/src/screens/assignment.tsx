import { useState } from 'preact/hooks';
import { api, useLoad } from '../api.js';
import type { Session } from '../auth.js';
import { dateTime } from '../format.js';
import { ErrorAlert } from '../parts.js';
import { de } from '../texts.js';
import type { EnquiryState } from '../types.js';

const t = de.assignment;
type Answered = { data?: EnquiryState; error?: unknown; response: Response };
type Run = (call: () => Promise<Answered>, said: (e: EnquiryState) => string) => Promise<boolean>;

/**
 * Bearbeitung: who of the person's agency has the enquiry's task, and taking it ("Ich
 * übernehme das"), handing it back or giving it to a colleague (Camunda Tasklist's claim,
 * unclaim, assign). Shown to staff of an agency the enquiry waits on or that handles it.
 */
export function Assignment(props: { e: EnquiryState; session: Session; busy: boolean; run: Run }) {
  const { e, session, busy, run } = props;
  const mine = e.assignees[session.agency];
  const path = { params: { path: { id: e.enquiryId } } };
  const assign = (assignee: string | null, said: () => string) =>
    run(() => api.POST('/v1/enquiries/{id}/assignee', { ...path, body: { assignee } }), said);
  // A session from before sign-in kept the subject knows no "me": it may give, not take.
  const isMe = !!session.sub && mine?.sub === session.sub;
  return (
    <div class="lotse-assignment">
      <h3 class="kern-heading-small">{t.title}</h3>
      <p class="kern-body" id="bearbeitung-stand">
        {!mine ? t.nobody : isMe ? t.me(dateTime(mine.at)) : t.someone(mine.name ?? t.unknownPerson, dateTime(mine.at))}
      </p>
      <div class="kern-btn-wrapper">
        {!isMe && session.sub && (
          <button
            class={`kern-btn kern-btn--${mine ? 'secondary' : 'primary'}`}
            type="button"
            disabled={busy}
            onClick={() => void assign(session.sub, () => t.said.taken)}
          >
            {/* Taking it from a colleague is no main action, and says from whom. */}
            <span class="kern-label">{mine ? t.takeFrom(mine.name ?? t.unknownPerson) : t.take}</span>
          </button>
        )}
        {mine && (
          <button
            class="kern-btn kern-btn--secondary"
            type="button"
            disabled={busy}
            onClick={() => void assign(null, () => t.said.handedBack)}
          >
            <span class="kern-label">{t.handBack}</span>
          </button>
        )}
      </div>
      <GiveTo current={mine?.sub} busy={busy} onGive={(sub, name) => assign(sub, () => t.said.given(name))} />
    </div>
  );
}

/** "An Kollegin oder Kollegen abgeben": a colleague of the same agency Lotse knows (they signed in before). */
function GiveTo(props: {
  current: string | undefined;
  busy: boolean;
  onGive: (sub: string, name: string) => Promise<boolean>;
}) {
  const people = useLoad(() => api.GET('/v1/people'), []);
  const [chosen, setChosen] = useState('');
  const [wrong, setWrong] = useState(false);
  const colleagues = (people.data?.items ?? []).filter((p) => !p.me);
  const others = colleagues.filter((p) => p.id !== props.current);
  // Nobody else to give it to: the one colleague has it already, or Lotse knows none yet.
  if (people.error) return <ErrorAlert detail={t.peopleFailed} />;
  if (people.data && others.length === 0) return colleagues.length ? null : <p class="kern-body">{t.noColleagues}</p>;
  const give = async (ev: Event) => {
    ev.preventDefault();
    const person = others.find((p) => p.id === chosen);
    setWrong(!person);
    if (!person) return (document.getElementById('abgeben-an') as HTMLSelectElement | null)?.focus();
    if (await props.onGive(person.id, person.name)) setChosen('');
  };
  return (
    <form class="lotse-give-to" onSubmit={(ev) => void give(ev)} noValidate>
      <div class={`kern-form-input${wrong ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for="abgeben-an">
          {t.giveTo}
        </label>
        {wrong && (
          <p class="kern-error" id="abgeben-an-fehler" role="alert">
            <span class="kern-body">{t.chooseColleague}</span>
          </p>
        )}
        <div class="kern-form-input__select-wrapper">
          <select
            class="kern-form-input__select"
            id="abgeben-an"
            value={chosen}
            aria-invalid={wrong ? 'true' : undefined}
            aria-describedby={wrong ? 'abgeben-an-fehler' : undefined}
            onChange={(ev) => {
              setChosen((ev.target as HTMLSelectElement).value);
              setWrong(false);
            }}
          >
            <option value="">{t.choose}</option>
            {others.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button class="kern-btn kern-btn--secondary" type="submit" disabled={props.busy}>
        <span class="kern-label">{t.give}</span>
      </button>
    </form>
  );
}
