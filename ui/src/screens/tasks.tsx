import { useEffect, useRef, useState } from 'preact/hooks';
import { problemDetail, useWaitingTasks } from '../api.js';
import { dateTime, relativeDeadline } from '../format.js';
import type { components } from '../schema.js';
import { ErrorAlert, FilterSelect, Scrollable } from '../parts.js';
import { de } from '../texts.js';

type Task = components['schemas']['Task'];
/** Aufgaben: every decision waiting on the person or their office, overdue first; updated as things change. */
export function Tasks() {
  const answer = useWaitingTasks();
  const announcement = useCountAnnouncement(answer?.data?.length);
  return (
    <section aria-labelledby="aufgaben">
      <h1 id="aufgaben" class="kern-heading-large">
        {de.tasks.title}
      </h1>
      <p class="kern-body">{de.tasks.intro}</p>
      <p role="status" class="kern-sr-only">
        {announcement}
      </p>
      {!answer && <p role="status">{de.loading}</p>}
      {answer && !answer.data && <ErrorAlert detail={de.error(problemDetail(answer.error, answer.response.status))} />}
      {answer?.data?.length === 0 && <p class="kern-body">{de.tasks.empty}</p>}
      {answer?.data && answer.data.length > 0 && <Filtered tasks={answer.data} />}
    </section>
  );
}

/** What a screen reader says when the list changes by itself: nothing on the first load. */
function useCountAnnouncement(count: number | undefined): string {
  const first = useRef<number | undefined>(undefined);
  const [said, setSaid] = useState('');
  useEffect(() => {
    if (count === undefined) return;
    if (first.current === undefined) first.current = count;
    else setSaid(de.tasks.updated(count));
  }, [count]);
  return said;
}

/** The agency or office a task is for: `staff:irl` → irl, `office:ob-leipzig` → ob-leipzig. */
const forWhom = (task: Task) => task.for.slice(task.for.indexOf(':') + 1);

/** Filters by kind of task and by agency or office, kept in the address. */
function Filtered({ tasks }: { tasks: Task[] }) {
  const params = new URLSearchParams(location.search);
  const [kind, setKind] = useState(params.get('art') ?? '');
  const [whom, setWhom] = useState(params.get('agentur') ?? '');
  const choose = (next: { art?: string; agentur?: string }) => {
    const query = new URLSearchParams(Object.entries({ art: kind, agentur: whom, ...next }).filter(([, v]) => v));
    history.replaceState(null, '', `?${query}`);
  };
  const kinds = [...new Set(tasks.map((x) => x.task))];
  const whoms = [...new Set(tasks.map(forWhom))];
  const shown = tasks.filter((x) => (!kind || x.task === kind) && (!whom || forWhom(x) === whom));
  return (
    <>
      <form class="lotse-filters" onSubmit={(ev) => ev.preventDefault()}>
        <FilterSelect
          name="art"
          label={de.tasks.filters.kind}
          value={kind}
          options={kinds.map((k) => [k, de.tasks.kinds[k] ?? k])}
          onChange={(v) => (setKind(v), choose({ art: v }))}
        />
        <FilterSelect
          name="agentur"
          label={de.tasks.filters.whom}
          value={whom}
          options={whoms.map((w) => [w, w])}
          onChange={(v) => (setWhom(v), choose({ agentur: v }))}
        />
      </form>
      {shown.length === 0 ? <p class="kern-body">{de.tasks.noneFiltered}</p> : <TaskTable tasks={shown} />}
    </>
  );
}

function TaskTable({ tasks }: { tasks: Task[] }) {
  return (
    <Scrollable label={de.tasks.title}>
      <table class="kern-table">
        <caption class="kern-body">{de.tasks.count(tasks.length)}</caption>
        <thead>
          <tr>
            <th scope="col">{de.tasks.columns.task}</th>
            <th scope="col">{de.tasks.columns.enquiry}</th>
            <th scope="col">{de.tasks.columns.status}</th>
            <th scope="col">{de.tasks.columns.deadline}</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <tr key={`${t.enquiryId}-${t.for}`}>
              <td>{de.tasks.kinds[t.task] ?? t.task}</td>
              <td>
                <a class="kern-link" href={`/anfragen/${t.enquiryId}`}>
                  {t.enquiryId}
                </a>
              </td>
              <td>{de.status[t.status ?? ''] ?? t.status}</td>
              <td>{t.deadline ? `${relativeDeadline(t.deadline)} (${dateTime(t.deadline)})` : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scrollable>
  );
}
