import { useEffect, useState } from 'preact/hooks';
import { api, problemDetail, useLoad, useWaitingTasks, waitingTasks } from '../api.js';
import { useDraft } from '../drafts.js';
import type { Session } from '../auth.js';
import { area, count, dateTime, euro, relativeDeadline } from '../format.js';
import { actorName, agencyShort } from '../names.js';
import { Loaded, Note, TwoWayDecision } from '../parts.js';
import { useConfirm } from '../confirm.js';
import { SaidAlert, useSaid } from '../said.js';
import { de } from '../texts.js';
import type { EnquiryState } from '../types.js';

const t = de.votes;
const agency = agencyShort;

/**
 * Abstimmungen: the projects my office votes on, each in a summary a mayor reads in a
 * minute; the open ones first, the past ones below with their outcome. Asked again
 * whenever the waiting tasks change (a vote cast, a deadline passed).
 */
export function Votes({ session }: { session: Session }) {
  // Anyone else who opens the address is told whose page this is, rather than refused as at an enquiry.
  if (session.offices.length === 0) {
    return (
      <section aria-labelledby="abstimmungen">
        <h1 id="abstimmungen" class="kern-heading-large">
          {t.title}
        </h1>
        <Note>{t.officesOnly}</Note>
      </section>
    );
  }
  return <OfficeVotes session={session} />;
}

function OfficeVotes({ session }: { session: Session }) {
  const tasks = useWaitingTasks();
  // Once the tasks have answered (the first time, too: one request, not one before and one after).
  const waiting = tasks.data === undefined && tasks.error === undefined;
  const votes = useLoad(waiting ? null : () => api.GET('/v1/votes'), [tasks.data, tasks.error]);
  const answer = useSaid();
  useFocusFromAddress(votes.data !== undefined);
  const voted = (said: string | null, problem?: string) => {
    if (said) {
      answer.say(said);
      // The votes are asked again with the tasks (one request, not two).
      void waitingTasks(true);
    } else answer.say(problem ?? '', false);
  };
  return (
    <section aria-labelledby="abstimmungen">
      <h1 id="abstimmungen" class="kern-heading-large">
        {t.title}
      </h1>
      <div aria-live="polite">
        <SaidAlert said={answer.said} />
      </div>
      <Loaded load={votes}>{(list) => <Lists votes={list} session={session} onVoted={voted} />}</Loaded>
    </section>
  );
}

/** The vote a task pointed to (`#abstimmung-<id>`) in view and focused, once the list is there. */
function useFocusFromAddress(loaded: boolean) {
  useEffect(() => {
    if (!loaded || !location.hash.startsWith('#abstimmung-')) return;
    const heading = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    heading?.focus();
    heading?.scrollIntoView({ block: 'start' });
  }, [loaded]);
}

type Voted = (said: string | null, problem?: string) => void;

function Lists(props: { votes: EnquiryState[]; session: Session; onVoted: Voted }) {
  // Open: an office of mine still has to vote. Voted ones stay below, with the outcome once decided.
  const isOpen = (e: EnquiryState) => openOffices(e, props.session).length > 0;
  const open = props.votes.filter(isOpen);
  const past = props.votes.filter((e) => !isOpen(e));
  const card = (e: EnquiryState) => (
    <Ballot key={e.enquiryId} enquiry={e} session={props.session} onVoted={props.onVoted} />
  );
  return (
    <>
      <h2 class="kern-heading-medium">{t.openTitle}</h2>
      {open.length === 0 ? <p class="kern-body">{t.empty}</p> : open.map(card)}
      {past.length > 0 && <h2 class="kern-heading-medium">{t.past}</h2>}
      {past.map(card)}
    </>
  );
}

/** The caller's offices that have not voted on this enquiry yet. */
function openOffices(e: EnquiryState, session: Session) {
  const jh = e.jointHandling;
  if (jh?.status !== 'voting') return [];
  return jh.offices.filter((o) => session.offices.includes(o.id) && !jh.votes.some((v) => v.office === o.id));
}

function Ballot(props: { enquiry: EnquiryState; session: Session; onVoted: Voted }) {
  const e = props.enquiry;
  const jh = e.jointHandling;
  const [note, setNote, noteSent] = useDraft(`${e.enquiryId}:vote-note`, '');
  const [busy, setBusy] = useState(false);
  const confirm = useConfirm();
  if (!jh) return null;
  const mine = openOffices(e, props.session);
  const headingId = `abstimmung-${e.enquiryId}`;
  const vote = async (office: string, decision: 'approve' | 'reject') => {
    setBusy(true);
    const { data, error, response } = await api.POST('/v1/enquiries/{id}/joint-handling/votes', {
      params: { path: { id: e.enquiryId } },
      body: { office, decision, note: note || undefined },
    });
    setBusy(false);
    if (!data) return props.onVoted(null, problemDetail(error, response.status));
    noteSent();
    const outcome = data.jointHandling?.status;
    props.onVoted(`${t.said(t.decisions[decision] ?? decision)} ${t.outcome[outcome ?? ''] ?? ''}`.trim());
  };
  return (
    <article class="kern-card" aria-labelledby={headingId}>
      <div class="kern-card__container">
        <h3 id={headingId} class="kern-heading-medium" tabIndex={-1}>
          {e.projectName}
        </h3>
        <Summary e={e} />
        <h4 class="kern-body kern-body--bold">{t.cast}</h4>
        <ul class="kern-list">
          {jh.offices.map((o) => {
            const v = jh.votes.find((x) => x.office === o.id);
            const said = v?.note ? ` – „${v.note}“` : '';
            return <li key={o.id}>{`${o.title}: ${v ? t.decisions[v.decision] : t.open}${said}`}</li>;
          })}
        </ul>
        <p class="kern-body kern-body--bold">{t.outcome[jh.status] ?? t.waiting}</p>
        {mine.map((o) => (
          <TwoWayDecision
            key={o.id}
            id={`notiz-${e.enquiryId}-${o.id}`}
            note={note}
            onNote={setNote}
            busy={busy}
            yes={t.approve}
            no={t.reject}
            onDecide={(yes) => {
              const decision = yes ? 'approve' : 'reject';
              confirm.ask(questionFor(decision, o.title, jh.rule), () => void vote(o.id, decision));
            }}
          />
        ))}
      </div>
      {confirm.dialog}
    </article>
  );
}

/** A vote counts at once and cannot be changed; under "all" a no decides. */
const questionFor = (decision: 'approve' | 'reject', office: string, rule: string) =>
  decision === 'approve'
    ? { title: t.ask.approve, consequence: t.ask.consequence(t.decisions.approve!, office, false), confirm: t.approve }
    : {
        title: t.ask.reject,
        consequence: t.ask.consequence(t.decisions.reject!, office, rule === 'all'),
        confirm: t.reject,
      };

/** What the project is, why it is voted on, what a yes means, the rule and the deadline. */
function Summary({ e }: { e: EnquiryState }) {
  const jh = e.jointHandling!;
  const r = e.enquiry.siteRequirements;
  return (
    <>
      {!e.enquiry.codeName && <p class="kern-body">{t.firm(e.enquiry.company.name)}</p>}
      <p class="kern-body">
        {`${de.kinds[e.kind] ?? e.kind}: ${count(e.enquiry.project.jobs)} ${de.enquiry.fields.jobs}, ${euro(
          e.enquiry.project.investmentEur,
        )}, ${t.area} ${area(r.areaM2Min)}`}
      </p>
      <p class="kern-body">
        {t.why(
          jh.reached.map((x) => t.thresholds[x] ?? x),
          jh.flaggedBy && actorName(jh.flaggedBy),
        )}
      </p>
      <p class="kern-body">{t.meaning(jh.parties.map(agency).join(' und '))}</p>
      <p class="kern-body">{`${t.rule(jh.rule, jh.offices.length)} ${t.missingCounts}`}</p>
      {jh.status === 'voting' && jh.due && (
        <p class="kern-body">{`${t.due}: ${relativeDeadline(jh.due)} (${dateTime(jh.due)})`}</p>
      )}
    </>
  );
}
