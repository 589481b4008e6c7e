import { useState } from 'preact/hooks';
import { api, problemDetail } from '../api.js';
import { useDraft } from '../drafts.js';
import type { Session } from '../auth.js';
import { ErrorAlert, NoteField } from '../parts.js';
import { de } from '../texts.js';
import type { EnquiryState } from '../types.js';

const a = de.actions;
type Run = (call: () => Promise<{ data?: EnquiryState; error?: unknown; response: Response }>) => Promise<boolean>;

/**
 * The actions the person may take now, and only those (as far as the token says; the
 * api's decision is final). A refused action shows the German detail next to it and
 * keeps what was typed.
 */
export function Actions(props: {
  enquiry: EnquiryState;
  session: Session | null;
  onChange: (e: EnquiryState) => void;
}) {
  const { enquiry: e, session } = props;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!session) return null;
  const staffOf = (agency: string | null) => agency === session.agency && session.roles.includes('staff');
  const managerOf = (agency: string | null) => agency === session.agency && session.roles.includes('manager');

  const run: Run = async (call) => {
    setBusy(true);
    setProblem(null);
    const { data, error, response } = await call();
    setBusy(false);
    if (data) props.onChange(data);
    else setProblem(problemDetail(error, response.status));
    return data !== undefined;
  };

  const id = e.enquiryId;
  const path = { params: { path: { id } } };
  const forwarding =
    e.status === 'awaiting_forwarding_decision' &&
    (staffOf(e.responsibleAgency) || (managerOf(e.responsibleAgency) && e.forwarding?.escalated));
  const consent = staffOf(e.responsibleAgency) && e.status !== 'closed' && !e.enquiry.consentToShare;
  const jh = e.jointHandling;
  const flag =
    e.status === 'in_progress' &&
    jh?.status === 'not_requested' &&
    !jh.flaggedBy &&
    jh.parties.includes(session.agency) &&
    session.roles.includes('staff');
  const close =
    e.status === 'in_progress' && e.handlingAgencies.includes(session.agency) && session.roles.includes('staff');
  const any = forwarding || consent || flag || close;

  return (
    <section aria-labelledby="aktionen">
      <h2 id="aktionen" class="kern-heading-medium">
        {a.title}
      </h2>
      {!any && <p class="kern-body">{a.none}</p>}
      {forwarding && e.forwarding && (
        <ForwardingForm
          enquiryId={id}
          candidates={e.forwarding.candidates.map((c) => c.agency)}
          busy={busy}
          onDecide={(decision, partners, note) =>
            run(() => api.POST('/v1/enquiries/{id}/forwarding', { ...path, body: { decision, partners, note } }))
          }
        />
      )}
      {consent && (
        <button
          class="kern-btn kern-btn--secondary"
          disabled={busy}
          onClick={() => run(() => api.POST('/v1/enquiries/{id}/consent', { ...path, body: {} }))}
        >
          <span class="kern-label">{a.consent}</span>
        </button>
      )}
      {flag && (
        <button
          class="kern-btn kern-btn--secondary"
          disabled={busy}
          onClick={() => run(() => api.POST('/v1/enquiries/{id}/joint-handling', { ...path, body: {} }))}
        >
          <span class="kern-label">{a.flag}</span>
        </button>
      )}
      {close && (
        <CloseForm
          enquiryId={id}
          busy={busy}
          onClose={(outcome, note) =>
            run(() => api.POST('/v1/enquiries/{id}/close', { ...path, body: { outcome, note } }))
          }
        />
      )}
      <div aria-live="polite">
        {busy && <p class="kern-body">{a.running}</p>}
        {problem && <ErrorAlert detail={problem} />}
      </div>
    </section>
  );
}

/** Approve (with the partners chosen, in the order they are offered the lead) or reject the forwarding. */
function ForwardingForm(props: {
  enquiryId: string;
  candidates: string[];
  busy: boolean;
  onDecide: (d: 'approve' | 'reject', partners: string[] | undefined, note: string | undefined) => Promise<boolean>;
}) {
  const [chosen, setChosen, chosenSent] = useDraft(`${props.enquiryId}:partner`, props.candidates);
  const [note, setNote, noteSent] = useDraft(`${props.enquiryId}:forwarding-note`, '');
  const decide = async (d: 'approve' | 'reject') => {
    if (await props.onDecide(d, d === 'approve' ? chosen : undefined, note || undefined)) {
      chosenSent();
      noteSent();
    }
  };
  return (
    <form onSubmit={(ev) => ev.preventDefault()}>
      <PartnerChoice candidates={props.candidates} chosen={chosen} onChoose={setChosen} />
      <NoteField id="weiterleitung-notiz" value={note} onInput={setNote} />
      <button class="kern-btn kern-btn--primary" type="button" disabled={props.busy} onClick={() => decide('approve')}>
        <span class="kern-label">{a.approve}</span>
      </button>{' '}
      <button class="kern-btn kern-btn--secondary" type="button" disabled={props.busy} onClick={() => decide('reject')}>
        <span class="kern-label">{a.reject}</span>
      </button>
    </form>
  );
}

/** The candidates to tick; the ticked ones in the order they are offered the lead, each movable up. */
function PartnerChoice(props: { candidates: string[]; chosen: string[]; onChoose: (c: string[]) => void }) {
  const { chosen } = props;
  const shown = [...chosen, ...props.candidates.filter((c) => !chosen.includes(c))];
  const toggle = (p: string) => props.onChoose(chosen.includes(p) ? chosen.filter((x) => x !== p) : [...chosen, p]);
  const up = (i: number) =>
    props.onChoose([...chosen.slice(0, i - 1), chosen[i]!, chosen[i - 1]!, ...chosen.slice(i + 1)]);
  return (
    <fieldset class="kern-fieldset">
      <legend class="kern-label">{a.partners}</legend>
      <ol class="kern-list lotse-partners">
        {shown.map((p) => {
          const rank = chosen.indexOf(p);
          return (
            <li key={p} class="kern-form-check">
              <input
                class="kern-form-check__input"
                type="checkbox"
                id={`partner-${p}`}
                checked={rank >= 0}
                onChange={() => toggle(p)}
              />
              <label class="kern-label" for={`partner-${p}`}>
                {rank >= 0 ? `${rank + 1}. ${p}` : p}
              </label>
              {rank > 0 && (
                <button
                  class="kern-btn kern-btn--tertiary kern-btn--x-small"
                  type="button"
                  aria-label={a.moveUp(p)}
                  onClick={() => up(rank)}
                >
                  <span class="kern-label">{a.up}</span>
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </fieldset>
  );
}

type Outcome = 'settled' | 'lost' | 'withdrawn' | 'no_site';

function CloseForm(props: {
  enquiryId: string;
  busy: boolean;
  onClose: (o: Outcome, note: string | undefined) => Promise<boolean>;
}) {
  const [outcome, setOutcome, outcomeSent] = useDraft<Outcome>(`${props.enquiryId}:outcome`, 'settled');
  const [note, setNote, noteSent] = useDraft(`${props.enquiryId}:close-note`, '');
  const submit = async () => {
    if (await props.onClose(outcome, note || undefined)) {
      outcomeSent();
      noteSent();
    }
  };
  return (
    <form onSubmit={(ev) => (ev.preventDefault(), void submit())}>
      <label class="kern-label" for="ergebnis">
        {a.outcome}
      </label>
      <select
        class="kern-form-input__select"
        id="ergebnis"
        value={outcome}
        onChange={(ev) => setOutcome((ev.target as HTMLSelectElement).value as Outcome)}
      >
        {Object.entries(de.outcomes).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <NoteField id="abschluss-notiz" value={note} onInput={setNote} />
      <button class="kern-btn kern-btn--primary" type="submit" disabled={props.busy}>
        <span class="kern-label">{a.close}</span>
      </button>
    </form>
  );
}
