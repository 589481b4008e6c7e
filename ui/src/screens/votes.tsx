import { useState } from 'preact/hooks';
import { api, problemDetail, useLoad, useWaitingTasks, waitingTasks, type Answer } from '../api.js';
import { useDraft } from '../drafts.js';
import type { Session } from '../auth.js';
import { area, count, dateTime, euro, relativeDeadline } from '../format.js';
import { ErrorAlert, Loaded, TwoWayDecision } from '../parts.js';
import { de } from '../texts.js';
import type { EnquiryState, Task } from '../types.js';

const t = de.votes;

/** Abstimmungen: the projects my office votes on, each in a summary a mayor reads in a minute. */
export function Votes({ session }: { session: Session }) {
  // The ballots follow the waiting tasks: asked again whenever those change.
  const tasks = useWaitingTasks();
  const list = tasks.data;
  const ballots = useLoad(list ? () => openBallots(list, session) : null, [list]);
  return (
    <section aria-labelledby="abstimmungen">
      <h1 id="abstimmungen" class="kern-heading-large">
        {t.title}
      </h1>
      <Loaded load={tasks}>
        {() => (
          <Loaded load={ballots}>
            {(open) =>
              open.length === 0 ? (
                <p class="kern-body">{t.empty}</p>
              ) : (
                open.map((e) => <Ballot key={e.enquiryId} enquiry={e} session={session} onVoted={askAgain} />)
              )
            }
          </Loaded>
        )}
      </Loaded>
    </section>
  );
}

/** The enquiries of the office's vote tasks that still wait on one of the person's offices. */
async function openBallots(tasks: Task[], session: Session): Promise<Answer<EnquiryState[]>> {
  const ids = [...new Set(tasks.filter((x) => x.task === 'joint_vote').map((x) => x.enquiryId))];
  const answers = await Promise.all(ids.map((id) => api.GET('/v1/enquiries/{id}', { params: { path: { id } } })));
  // The task list comes from Temporal's visibility store, which may lag a vote by a moment;
  // the enquiry's own state is the truth about which offices still have to vote.
  return { data: answers.flatMap((a) => (a.data && openOffices(a.data, session).length > 0 ? [a.data] : [])) };
}

/** After a vote: the tasks again, and with them this screen. */
const askAgain = async () => void (await waitingTasks(true));

/** The caller's offices that have not voted on this enquiry yet. */
function openOffices(e: EnquiryState, session: Session) {
  const jh = e.jointHandling;
  if (jh?.status !== 'voting') return [];
  return jh.offices.filter((o) => session.offices.includes(o.id) && !jh.votes.some((v) => v.office === o.id));
}

function Ballot(props: { enquiry: EnquiryState; session: Session; onVoted: () => Promise<void> }) {
  const e = props.enquiry;
  const jh = e.jointHandling;
  const [note, setNote, noteSent] = useDraft(`${e.enquiryId}:vote-note`, '');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!jh) return null;
  const mine = openOffices(e, props.session);
  const headingId = `abstimmung-${e.enquiryId}`;
  const vote = async (office: string, decision: 'approve' | 'reject') => {
    setBusy(true);
    setProblem(null);
    const { data, error, response } = await api.POST('/v1/enquiries/{id}/joint-handling/votes', {
      params: { path: { id: e.enquiryId } },
      body: { office, decision, note: note || undefined },
    });
    setBusy(false);
    if (data) {
      noteSent();
      await props.onVoted();
    } else setProblem(problemDetail(error, response.status));
  };
  const r = e.enquiry.siteRequirements;
  return (
    <article class="kern-card" aria-labelledby={headingId}>
      <div class="kern-card__container">
        <h2 id={headingId} class="kern-heading-medium">
          {e.enquiry.codeName ?? e.enquiry.company.name}
        </h2>
        <p class="kern-body">
          {`${de.kinds[e.kind] ?? e.kind}: ${count(e.enquiry.project.jobs)} ${de.enquiry.fields.jobs}, ${euro(
            e.enquiry.project.investmentEur,
          )}, ${t.area} ${area(r.areaM2Min)}`}
        </p>
        <p class="kern-body">
          {t.why(
            jh.reached.map((x) => t.thresholds[x] ?? x),
            jh.flaggedBy,
          )}
        </p>
        {jh.due && <p class="kern-body">{`${t.due}: ${relativeDeadline(jh.due)} (${dateTime(jh.due)})`}</p>}
        <h3 class="kern-body kern-body--bold">{t.cast}</h3>
        <ul class="kern-list">
          {jh.offices.map((o) => {
            const v = jh.votes.find((x) => x.office === o.id);
            return <li key={o.id}>{`${o.title}: ${v ? t.decisions[v.decision] : t.open}`}</li>;
          })}
        </ul>
        {mine.map((o) => (
          <TwoWayDecision
            key={o.id}
            id={`notiz-${e.enquiryId}-${o.id}`}
            note={note}
            onNote={setNote}
            busy={busy}
            yes={t.approve}
            no={t.reject}
            onDecide={(yes) => void vote(o.id, yes ? 'approve' : 'reject')}
          />
        ))}
        <div aria-live="polite">{problem && <ErrorAlert detail={problem} />}</div>
      </div>
    </article>
  );
}
