import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useWaitingTasks } from '../api.js';
import { dateTime, relativeDeadline } from '../format.js';
import { FilterSelect, Loaded, Scrollable } from '../parts.js';
import { de } from '../texts.js';
import type { Task } from '../types.js';

/** Aufgaben: every decision waiting on the person or their office, overdue first; updated as things change. */
export function Tasks() {
  const tasks = useWaitingTasks();
  const announcement = useCountAnnouncement(tasks.data?.length);
  return (
    <section aria-labelledby="aufgaben">
      <h1 id="aufgaben" class="kern-heading-large">
        {de.tasks.title}
      </h1>
      <p class="kern-body">{de.tasks.intro}</p>
      <p role="status" class="kern-sr-only">
        {announcement}
      </p>
      <Loaded load={tasks} problem={de.error}>
        {(list) => (list.length === 0 ? <p class="kern-body">{de.tasks.empty}</p> : <Filtered tasks={list} />)}
      </Loaded>
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
  const { path, query, route } = useLocation();
  const kind = query.art ?? '';
  const whom = query.agentur ?? '';
  const choose = (next: { art?: string; agentur?: string }) => {
    const chosen = new URLSearchParams(Object.entries({ art: kind, agentur: whom, ...next }).filter(([, v]) => v));
    route(`${path}?${chosen}`, true);
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
          onChange={(v) => choose({ art: v })}
        />
        <FilterSelect
          name="agentur"
          label={de.tasks.filters.whom}
          value={whom}
          options={whoms.map((w) => [w, w])}
          onChange={(v) => choose({ agentur: v })}
        />
      </form>
      {shown.length === 0 ? <p class="kern-body">{de.tasks.noneFiltered}</p> : <TaskTable tasks={shown} />}
    </>
  );
}

/** A task opens the place where it is done: a lead under Leads, a vote under Abstimmungen, else the Anfrage. */
export function placeOf(task: Task): string {
  if (task.task === 'lead_answer') return `/leads#lead-${task.enquiryId}`;
  if (task.task === 'joint_vote') return `/abstimmungen#abstimmung-${task.enquiryId}`;
  return `/anfragen/${task.enquiryId}`;
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
                <a class="kern-link" href={placeOf(t)}>
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
