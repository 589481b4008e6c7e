import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { problemDetail, tasksAfter, useWaitingTasks, type Answer } from '../api.js';
import { realFirmTasks, useFirmTasks, type FirmTask } from '../firm-tasks.js';
import { currentSession } from '../auth.js';
import { count, dateTime } from '../format.js';
import { agencyShort, officeTitle } from '../names.js';
import { Badge, Deadline, ErrorAlert, FilterSelect, Headings, Loaded, Scrollable, StatusBadge } from '../parts.js';
import { de } from '../texts.js';
import type { Task, TaskList } from '../types.js';

/** Aufgaben: every decision waiting on the person or their office, overdue first; updated as things change. */
export function Tasks() {
  const tasks = useWaitingTasks();
  const announcement = useCountAnnouncement(tasks.data?.total);
  // Staff have the firms' tasks too: two sections, each under its heading.
  const staff = currentSession()?.roles.includes('staff') ?? false;
  return (
    <section aria-labelledby="aufgaben">
      <h1 id="aufgaben" class="kern-heading-large">
        {de.tasks.title}
      </h1>
      <p class="kern-body">{de.tasks.intro}</p>
      <p role="status" class="kern-sr-only">
        {announcement}
      </p>
      {staff && (
        <h2 id="aufgaben-anfragen" class="kern-heading-medium">
          {de.tasks.enquiries}
        </h2>
      )}
      <Loaded load={tasks} problem={de.error}>
        {(first) =>
          first.items.length === 0 ? (
            <p class="kern-body">{staff ? de.tasks.emptyEnquiries : de.tasks.empty}</p>
          ) : (
            <AllPages first={first} />
          )
        }
      </Loaded>
      {staff && <FirmTasks />}
    </section>
  );
}

const ft = de.firms.tasks;

/** A firm's task opens the firm's page at the visit or concern it is about. */
export function firmTaskPlace(x: FirmTask): string {
  const page = `/unternehmen/${x.firmId}`;
  if (x.kind === 'visit') return `${page}#besuch-${x.ref}`;
  if (x.kind === 'concern') return `${page}#anliegen-${x.ref}`;
  return page;
}

function firmTaskText(x: FirmTask): string {
  if (x.kind === 'visit') return ft.visit(dateTime(x.due));
  if (x.kind === 'concern') return ft.concern(x.topic ? (de.firms.topics[x.topic] ?? x.topic) : '');
  return ft.visitDue;
}

/**
 * Unternehmen: what the firms' care asks of the person's agency — visits due, visits the
 * person takes part in, concerns waiting on the agency; earliest first, "meine" marked.
 */
function FirmTasks() {
  const tasks = useFirmTasks(true);
  const c = ft.columns;
  return (
    <section aria-labelledby="aufgaben-unternehmen" class="lotse-firm-tasks">
      <h2 id="aufgaben-unternehmen" class="kern-heading-medium">
        {ft.title}
      </h2>
      <p class="kern-body">{ft.intro}</p>
      <Loaded load={tasks} problem={de.error}>
        {(all) => {
          const items = realFirmTasks(all.items);
          return items.length === 0 ? (
            <p class="kern-body">{ft.empty}</p>
          ) : (
            <Scrollable label={ft.title}>
              <table class="kern-table">
                <caption class="kern-title">{ft.count(items.length)}</caption>
                <Headings names={[c.task, c.firm, c.due, c.mine]} />
                <tbody class="kern-table__body">
                  {items.map((x) => (
                    <tr
                      class="kern-table__row"
                      key={`${x.firmId} ${x.kind} ${x.ref}`}
                      data-firm-task={`${x.firmId} ${x.kind} ${x.ref}`}
                    >
                      <td class="kern-table__cell">{firmTaskText(x)}</td>
                      <td class="kern-table__cell">
                        <a class="kern-link" href={firmTaskPlace(x)}>
                          {x.firmName}
                        </a>
                      </td>
                      <td class="kern-table__cell">
                        {x.overdue && Date.parse(x.due) >= Date.now() ? (
                          <>
                            <Badge kind="danger">{de.firms.overdue}</Badge> {`(${dateTime(x.due)})`}
                          </>
                        ) : (
                          <Deadline due={x.due} />
                        )}
                      </td>
                      <td class="kern-table__cell">{x.mine ? <Badge kind="info">{ft.mine}</Badge> : ft.agency}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scrollable>
          );
        }}
      </Loaded>
    </section>
  );
}

/** A task's key: an enquiry waits on each agency or office once. */
const keyOf = (task: Task) => `${task.enquiryId} ${task.for}`;

/**
 * The first page and those loaded after it ("Weitere laden"), for the few with more than a
 * page waiting: how many of all are shown, and the next page on request, its first new task
 * then focused. The filters look at what is loaded.
 */
function AllPages({ first }: { first: TaskList }) {
  const later = useLaterPages(first);
  const { query } = useLocation();
  const box = useRef<HTMLDivElement>(null);
  const items = joined(first.items, later.items);
  const next = later.pages > 0 ? later.next : first.nextCursor;
  // After "Weitere laden": the first new task the filters let through gets the focus, else the count.
  const focusFrom = useRef<Set<string> | null>(null);
  useEffect(() => {
    const before = focusFrom.current;
    if (later.loading || !before) return;
    focusFrom.current = null;
    if (later.error) return;
    const rows = [...(box.current?.querySelectorAll<HTMLElement>('tr[data-task]') ?? [])];
    const fresh = rows.find((r) => !before.has(r.dataset.task ?? ''))?.querySelector('a');
    (fresh ?? box.current?.querySelector<HTMLElement>('#aufgaben-geladen'))?.focus();
  }, [later.loading]);
  const more = () => {
    if (!next || later.loading) return;
    focusFrom.current = new Set(items.map(keyOf));
    later.load(next);
  };
  const total = Math.max(first.total, items.length);
  const partial = items.length < total;
  const filtered = Boolean(query.art || query.agentur || query.bearbeitung);
  return (
    <div ref={box}>
      <Filtered tasks={items}>
        {(partial || later.pages > 0) && (
          <div class="lotse-more">
            <p class="kern-body" id="aufgaben-geladen" tabIndex={-1}>
              {!partial
                ? de.tasks.allLoaded(count(total))
                : filtered
                  ? de.tasks.filteredOf(count(items.length), count(total))
                  : de.tasks.shownOf(count(items.length), count(total))}
            </p>
            {later.error && <ErrorAlert detail={de.error(later.error)} />}
            {next && (
              <div class="kern-btn-wrapper">
                <button class="kern-btn kern-btn--secondary" type="button" onClick={more}>
                  <span class="kern-label">{de.tasks.more}</span>
                </button>
              </div>
            )}
            <p role="status" class="kern-body">
              {later.loading ? de.tasks.loadingMore : ''}
            </p>
          </div>
        )}
      </Filtered>
    </div>
  );
}

/** The first page and the later ones as one list: a page may begin with a task the one before ended with. */
function joined(first: Task[], later: Task[]): Task[] {
  const seen = new Set(first.map(keyOf));
  const items = [...first];
  for (const task of later) {
    if (seen.has(keyOf(task))) continue;
    seen.add(keyOf(task));
    items.push(task);
  }
  return items;
}

interface LaterPages {
  /** The tasks of the pages after the first, in order. */
  items: Task[];
  /** How many pages after the first are loaded. */
  pages: number;
  /** The cursor after the last of them. */
  next: string | null;
  loading: boolean;
  error?: string;
  /** Appends the page after `cursor`. */
  load: (cursor: string) => void;
}

type Pages = Pick<LaterPages, 'items' | 'pages' | 'next'>;

/**
 * The pages after the first, as many as the person asked for. A fresh first page (after a
 * live change) asks for them again from its own cursor, so that what is shown stays one
 * list: nothing twice, nothing done still there.
 */
function useLaterPages(first: TaskList): LaterPages {
  const [pages, setPages] = useState<Pages>({ items: [], pages: 0, next: null });
  // `loading` when the person asked for more; a fresh first page's pages are asked for quietly.
  const [asking, setAsking] = useState<{ loading: boolean; error?: string }>({ loading: false });
  const asked = useRef(0);
  /** `n` pages from `cursor`, after `before`: shown once all have answered. */
  const follow = (cursor: string | null, n: number, before: Pages, more: boolean) => {
    const request = ++asked.current;
    setAsking({ loading: more });
    void (async () => {
      const got: Pages = { ...before, items: [...before.items] };
      let next = cursor;
      for (let i = 0; i < n && next; i++) {
        const { data, error, response } = await tasksAfter(next).catch((): Answer<TaskList> => ({}));
        if (request !== asked.current) return;
        if (!data) return setAsking({ loading: false, error: problemDetail(error, response?.status) });
        got.items.push(...data.items);
        got.pages++;
        next = data.nextCursor;
      }
      if (request !== asked.current) return;
      setPages({ ...got, next });
      setAsking({ loading: false });
    })();
  };
  const shownWith = useRef(first);
  useEffect(() => {
    if (shownWith.current === first) return;
    shownWith.current = first;
    if (pages.pages > 0) follow(first.nextCursor, pages.pages, { items: [], pages: 0, next: null }, false);
  }, [first]);
  // An answer that comes after the screen has gone is dropped.
  useEffect(() => () => void asked.current++, []);
  return { ...pages, ...asking, load: (cursor) => follow(cursor, 1, pages, true) };
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

/** Filters by kind of task and by agency or office, kept in the address; `children` below the table. */
function Filtered({ tasks, children }: { tasks: Task[]; children?: ComponentChildren }) {
  const { path, query, route } = useLocation();
  const kind = query.art ?? '';
  const whom = query.agentur ?? '';
  const taken = query.bearbeitung ?? '';
  const choose = (next: { art?: string; agentur?: string; bearbeitung?: string }) => {
    const all = { art: kind, agentur: whom, bearbeitung: taken, ...next };
    const chosen = new URLSearchParams(Object.entries(all).filter(([, v]) => v));
    route(`${path}?${chosen}`, true);
  };
  const me = currentSession()?.sub;
  const kinds = [...new Set(tasks.map((x) => x.task))];
  // An office by its title, an agency by its short name: `office:ob-leipzig` → Oberbürgermeister der Stadt Leipzig.
  const whoms = new Map(
    tasks.map((x) => [forWhom(x), x.for.startsWith('office:') ? officeTitle(forWhom(x)) : agencyShort(forWhom(x))]),
  );
  const shown = tasks.filter(
    (x) => (!kind || x.task === kind) && (!whom || forWhom(x) === whom) && takenAs(x, taken, me),
  );
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
          options={[...whoms]}
          onChange={(v) => choose({ agentur: v })}
        />
        <FilterSelect
          name="bearbeitung"
          label={de.tasks.filters.assignee}
          value={taken}
          options={[
            ['meine', de.tasks.assignees.mine],
            ['offen', de.tasks.assignees.nobody],
          ]}
          onChange={(v) => choose({ bearbeitung: v })}
        />
      </form>
      {shown.length === 0 ? <p class="kern-body">{de.tasks.noneFiltered}</p> : <TaskTable tasks={shown} />}
      {children}
    </>
  );
}

/** "meine": the person has it; "offen": nobody took it yet; else every task. */
function takenAs(task: Task, taken: string, me: string | undefined): boolean {
  if (taken === 'meine') return !!me && task.assignee?.id === me;
  // Only a staff task is taken: an office votes itself, a manager steps in on an overdue one.
  if (taken === 'offen') return !task.assignee && task.for.startsWith('staff:');
  return true;
}

/** A task opens the place where it is done: a lead under Leads, a vote under Abstimmungen, else the Anfrage. */
export function placeOf(task: Task): string {
  if (task.task === 'lead_answer') return `/leads#lead-${task.enquiryId}`;
  if (task.task === 'joint_vote') return `/abstimmungen#abstimmung-${task.enquiryId}`;
  return `/anfragen/${task.enquiryId}`;
}

const c = de.tasks.columns;

function TaskTable({ tasks }: { tasks: Task[] }) {
  return (
    <Scrollable label={de.tasks.title}>
      <table class="kern-table">
        <caption class="kern-title">{de.tasks.count(tasks.length)}</caption>
        <Headings names={[c.task, c.enquiry, c.status, c.deadline, c.assignee]} />
        <tbody class="kern-table__body">
          {tasks.map((t) => (
            <tr class="kern-table__row" key={keyOf(t)} data-task={keyOf(t)}>
              <td class="kern-table__cell">{de.tasks.kinds[t.task] ?? t.task}</td>
              <td class="kern-table__cell">
                <a class="kern-link" href={placeOf(t)}>
                  {t.firmName ?? t.codeName}
                </a>
                <span class="lotse-ref">{t.enquiryId}</span>
              </td>
              <td class="kern-table__cell">
                <StatusBadge status={t.status} />
              </td>
              <td class="kern-table__cell">{t.deadline ? <Deadline due={t.deadline} /> : '–'}</td>
              <td class="kern-table__cell">{t.assignee ? (t.assignee.name ?? de.assignment.unknownPerson) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scrollable>
  );
}
