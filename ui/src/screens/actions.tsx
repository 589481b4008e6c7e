import type { ComponentChildren } from 'preact';
import { germanDay, parseGermanDay, todayHere } from '../format.js';
import { useState } from 'preact/hooks';
import { api, problemDetail } from '../api.js';
import { useConfirm, type Question } from '../confirm.js';
import { SaidAlert, useSaid } from '../said.js';
import { useDraft } from '../drafts.js';
import type { Session } from '../auth.js';
import { agencyShort } from '../names.js';
import { NoteField } from '../parts.js';
import { de } from '../texts.js';
import { Assignment } from './assignment.js';
import type { EnquiryState } from '../types.js';

const a = de.actions;
type Answered = { data?: EnquiryState; error?: unknown; response: Response };
type Run = (call: () => Promise<Answered>, said: (e: EnquiryState) => string) => Promise<boolean>;
const names = (agencies: string[]) => agencies.map(agencyShort).join(', ');

/** Whether the agency's staff have a task on it: it handles it or the enquiry waits on it (as the api checks). */
const hasTaskFor = (e: EnquiryState, agency: string) =>
  e.handlingAgencies.includes(agency) ||
  e.deadlines.some((d) => d.who === `staff:${agency}`) ||
  !!e.forwarding?.offers.some((o) => o.partner === agency && o.answer === null);

/**
 * The actions the person may take now, and only those (as far as the token says; the
 * api's decision is final). Each that cannot be taken back asks first (useConfirm); each
 * answers in a message that gets the focus. A refused action shows the German detail
 * there and keeps what was typed.
 */
export function Actions(props: {
  enquiry: EnquiryState;
  session: Session | null;
  onChange: (e: EnquiryState) => void;
}) {
  const { enquiry: e, session } = props;
  const [busy, setBusy] = useState(false);
  const answer = useSaid();
  const confirm = useConfirm();
  if (!session) return null;
  const staffOf = (agency: string | null) => agency === session.agency && session.roles.includes('staff');
  const managerOf = (agency: string | null) => agency === session.agency && session.roles.includes('manager');

  const run: Run = async (call, said) => {
    setBusy(true);
    answer.clear();
    const { data, error, response } = await call();
    setBusy(false);
    if (data) {
      props.onChange(data);
      answer.say(said(data));
    } else answer.say(problemDetail(error, response.status), false);
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
  const assignable = e.status !== 'closed' && session.roles.includes('staff') && hasTaskFor(e, session.agency);
  const join =
    e.status !== 'closed' &&
    !!e.firm?.coCarers.includes(session.agency) &&
    !e.handlingAgencies.includes(session.agency) &&
    session.roles.includes('staff');
  const any = forwarding || consent || flag || close || assignable || join;

  return (
    <section aria-labelledby="aktionen">
      <h2 id="aktionen" class="kern-heading-medium">
        {a.title}
      </h2>
      <div aria-live="polite">
        {busy && <p class="kern-body">{a.running}</p>}
        <SaidAlert said={answer.said} />
      </div>
      {!any && <p class="kern-body">{a.none}</p>}
      {forwarding && e.forwarding && (
        <ForwardingForm
          enquiryId={id}
          candidates={e.forwarding.candidates.map((c) => c.agency)}
          busy={busy}
          ask={confirm.ask}
          onDecide={(decision, partners, note) =>
            run(
              () => api.POST('/v1/enquiries/{id}/forwarding', { ...path, body: { decision, partners, note } }),
              () => (decision === 'approve' ? a.said.approved(names((partners ?? []).slice(0, 1))) : a.said.rejected),
            )
          }
        />
      )}
      {consent && (
        <ConsentForm
          enquiryId={id}
          busy={busy}
          ask={confirm.ask}
          onConsent={(body) =>
            run(
              () => api.POST('/v1/enquiries/{id}/consent', { ...path, body }),
              () => a.said.consented,
            )
          }
        />
      )}
      {flag && jh && (
        <button
          class="kern-btn kern-btn--secondary"
          disabled={busy}
          onClick={() =>
            confirm.ask(
              {
                title: a.ask.flag,
                consequence: a.ask.flagConsequence(jh.offices.map((o) => o.title).join(', ')),
                confirm: a.flag,
              },
              () =>
                void run(
                  () => api.POST('/v1/enquiries/{id}/joint-handling', { ...path, body: {} }),
                  () => a.said.flagged,
                ),
            )
          }
        >
          <span class="kern-label">{a.flag}</span>
        </button>
      )}
      {join && (
        <button
          class="kern-btn kern-btn--primary"
          disabled={busy}
          onClick={() =>
            confirm.ask(
              { title: a.ask.join, consequence: a.ask.joinConsequence, confirm: a.join },
              () =>
                void run(
                  () => api.POST('/v1/enquiries/{id}/join', { ...path, body: {} }),
                  () => a.said.joined,
                ),
            )
          }
        >
          <span class="kern-label">{a.join}</span>
        </button>
      )}
      {close && (
        <CloseForm
          enquiryId={id}
          busy={busy}
          ask={confirm.ask}
          onClose={(outcome, note) =>
            run(
              () => api.POST('/v1/enquiries/{id}/close', { ...path, body: { outcome, note } }),
              () => a.said.closed(de.outcomes[outcome] ?? outcome),
            )
          }
        />
      )}
      {/* Last, under its own heading: who of the agency has it, apart from the decisions above. */}
      {assignable && <Assignment e={e} session={session} busy={busy} run={run} />}
      {confirm.dialog}
    </section>
  );
}

type Ask = (q: Question, then: () => void) => void;

/**
 * Approve (with the partners chosen, in the order they are offered the lead) or reject the
 * forwarding; either asks first.
 */
function ForwardingForm(props: {
  enquiryId: string;
  candidates: string[];
  busy: boolean;
  ask: Ask;
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
  const approve = { title: a.ask.approve, consequence: a.ask.approveConsequence(names(chosen)), confirm: a.approve };
  const reject = { title: a.ask.reject, consequence: a.ask.rejectConsequence, confirm: a.reject };
  return (
    <form onSubmit={(ev) => ev.preventDefault()}>
      <PartnerChoice candidates={props.candidates} chosen={chosen} onChoose={setChosen} />
      <NoteField id="weiterleitung-notiz" value={note} onInput={setNote} />
      <button
        class="kern-btn kern-btn--primary"
        type="button"
        disabled={props.busy}
        onClick={() => props.ask(approve, () => void decide('approve'))}
      >
        <span class="kern-label">{a.approve}</span>
      </button>{' '}
      <button
        class="kern-btn kern-btn--secondary"
        type="button"
        disabled={props.busy}
        onClick={() => props.ask(reject, () => void decide('reject'))}
      >
        <span class="kern-label">{a.reject}</span>
      </button>
    </form>
  );
}

type ConsentForm = 'written' | 'email' | 'phone' | 'meeting';
type ConsentBody = { givenOn: string; form: ConsentForm; note?: string };

/** The investor's consent: the day, the form and a note; then asked, since the full lead goes out at once. */
function ConsentForm(props: {
  enquiryId: string;
  busy: boolean;
  ask: Ask;
  onConsent: (body: ConsentBody) => Promise<boolean>;
}) {
  const [day, setDay, daySent] = useDraft(`${props.enquiryId}:consent-day`, '');
  const [form, setForm, formSent] = useDraft<ConsentForm | ''>(`${props.enquiryId}:consent-form`, '');
  const [note, setNote, noteSent] = useDraft(`${props.enquiryId}:consent-note`, '');
  const [checked, setChecked] = useState(false);
  const givenOn = parseGermanDay(day);
  const dayWrong = !givenOn || givenOn > todayHere();
  const submit = () => {
    setChecked(true);
    if (!givenOn || dayWrong || !form) return;
    const body = { givenOn, form, note: note || undefined };
    const consequence = a.ask.consentConsequence(germanDay(givenOn), a.consentForms[form] ?? form);
    props.ask({ title: a.ask.consent, consequence, confirm: a.consent }, async () => {
      if (await props.onConsent(body)) [daySent, formSent, noteSent].forEach((sent) => sent());
    });
  };
  return (
    // Checked here, with German messages at the fields, not by the browser's own bubbles.
    <form noValidate onSubmit={(ev) => (ev.preventDefault(), submit())}>
      <fieldset class="kern-fieldset">
        <legend class="kern-label">{a.consentTitle}</legend>
        {/* KERN floats the legend: the fields go below it. */}
        <div style={{ clear: 'both' }} />
        <Field
          id="einwilligung-tag"
          label={a.consentGivenOn}
          hint={a.dayFormat}
          problem={checked && dayWrong ? a.consentDayMissing : null}
        >
          {(described) => (
            <input
              class={`kern-form-input__input${checked && dayWrong ? ' kern-form-input__input--error' : ''}`}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={day}
              onInput={(ev) => setDay((ev.target as HTMLInputElement).value)}
              {...described}
            />
          )}
        </Field>
        <Field id="einwilligung-form" label={a.consentForm} problem={checked && !form ? a.consentFormMissing : null}>
          {(described) => (
            <Choice
              value={form}
              options={a.consentForms}
              wrong={checked && !form}
              onChoose={(v) => setForm(v as ConsentForm | '')}
              attrs={described}
            />
          )}
        </Field>
        <NoteField id="einwilligung-notiz" label={a.consentNote} value={note} onInput={setNote} />
        <button class="kern-btn kern-btn--secondary" type="submit" disabled={props.busy}>
          <span class="kern-label">{a.consent}</span>
        </button>
      </fieldset>
    </form>
  );
}

/** A KERN select with "Bitte wählen" first: nothing is chosen for the person. */
function Choice(props: {
  value: string;
  options: Record<string, string>;
  wrong: boolean;
  onChoose: (v: string) => void;
  attrs: Record<string, string | boolean | undefined>;
}) {
  return (
    <div class="kern-form-input__select-wrapper">
      <select
        class={`kern-form-input__select${props.wrong ? ' kern-form-input__select--error' : ''}`}
        value={props.value}
        onChange={(ev) => props.onChoose((ev.target as HTMLSelectElement).value)}
        {...props.attrs}
      >
        <option value="">{a.choose}</option>
        {Object.entries(props.options).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled field whose problem is tied to it (aria-describedby) and marks it invalid. */
function Field(props: {
  id: string;
  label: string;
  hint?: string;
  problem: string | null;
  children: (attrs: Record<string, string | boolean | undefined>) => ComponentChildren;
}) {
  const error = `${props.id}-fehler`;
  const hint = `${props.id}-hinweis`;
  const described = [props.hint && hint, props.problem && error].filter(Boolean).join(' ');
  const attrs = {
    id: props.id,
    'aria-invalid': props.problem ? true : undefined,
    'aria-describedby': described || undefined,
  };
  return (
    <div class={`kern-form-input${props.problem ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
      {props.hint && (
        <p id={hint} class="kern-hint">
          {props.hint}
        </p>
      )}
      {props.problem && (
        <p id={error} class="kern-error">
          {props.problem}
        </p>
      )}
      {props.children(attrs)}
    </div>
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
      {/* KERN floats the legend; the list goes below it, not squeezed beside it (320 px). */}
      <ol class="lotse-partners" style={{ clear: 'both', paddingLeft: 0 }}>
        {shown.map((p) => {
          const rank = chosen.indexOf(p);
          return (
            <li key={p}>
              <div class="kern-form-check">
                <input
                  class="kern-form-check__checkbox"
                  type="checkbox"
                  id={`partner-${p}`}
                  checked={rank >= 0}
                  onChange={() => toggle(p)}
                />
                <label class="kern-label" for={`partner-${p}`}>
                  {rank >= 0 ? `${rank + 1}. ${names([p])}` : names([p])}
                </label>
              </div>
              {rank > 0 && (
                <button
                  class="kern-btn kern-btn--tertiary kern-btn--x-small"
                  type="button"
                  aria-label={a.moveUp(names([p]))}
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

/** Close with an outcome the person chose (none is preset: it counts in the figures), after a question. */
function CloseForm(props: {
  enquiryId: string;
  busy: boolean;
  ask: Ask;
  onClose: (o: Outcome, note: string | undefined) => Promise<boolean>;
}) {
  const [outcome, setOutcome, outcomeSent] = useDraft<Outcome | ''>(`${props.enquiryId}:outcome`, '');
  const [note, setNote, noteSent] = useDraft(`${props.enquiryId}:close-note`, '');
  const [checked, setChecked] = useState(false);
  const submit = () => {
    setChecked(true);
    if (!outcome) return;
    const label = de.outcomes[outcome] ?? outcome;
    const question = { title: a.ask.close(label), consequence: a.ask.closeConsequence(label), confirm: a.close };
    props.ask(question, async () => {
      if (await props.onClose(outcome, note || undefined)) {
        outcomeSent();
        noteSent();
      }
    });
  };
  return (
    <form onSubmit={(ev) => (ev.preventDefault(), submit())}>
      <Field id="ergebnis" label={a.outcome} problem={checked && !outcome ? a.outcomeMissing : null}>
        {(described) => (
          <Choice
            value={outcome}
            options={de.outcomes}
            wrong={checked && !outcome}
            onChoose={(v) => setOutcome(v as Outcome | '')}
            attrs={described}
          />
        )}
      </Field>
      <NoteField id="abschluss-notiz" value={note} onInput={setNote} />
      <button class="kern-btn kern-btn--primary" type="submit" disabled={props.busy}>
        <span class="kern-label">{a.close}</span>
      </button>
    </form>
  );
}
