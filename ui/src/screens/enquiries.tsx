import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, useLoad } from '../api.js';
import { dateTime, parseGermanDay, shownDay } from '../format.js';
import type { components } from '../schema.js';
import { currentSession } from '../auth.js';
import { allAgencies } from '../names.js';
import {
  AgencyName,
  AgencyNames,
  AsOf,
  Badge,
  FilterInput,
  FilterSelect,
  Headings,
  Loaded,
  NotForYou,
  Scrollable,
  StatusBadge,
} from '../parts.js';
import { de } from '../texts.js';

type Summary = components['schemas']['EnquiryList']['items'][number];
type Filters = {
  q?: string;
  status?: string;
  responsibleAgency?: string;
  handlingAgency?: string;
  significant?: string;
  from?: string;
  to?: string;
};
const t = de.list;
/** Anfragen a page. */
const PAGE = 25;

/**
 * Anfragen: the enquiries my agency has a part in, with the filters of GET /v1/enquiries, paged.
 * The filters live in the address, so a list can be sent to a colleague and the back button works.
 */
export function Enquiries() {
  const roles = currentSession()?.roles ?? [];
  // An office holder who opens the address is told whose list this is, without filters that would find nothing.
  if (!roles.includes('staff') && !roles.includes('manager')) {
    return <NotForYou id="anfragen" title={t.title} note={t.staffOnly} />;
  }
  return <AgencyEnquiries />;
}

function AgencyEnquiries() {
  const { url, query, route } = useLocation();
  const filters = Object.fromEntries(Object.entries(query).filter(([, v]) => v)) as Filters;
  // Filtering again with the same filters asks again too.
  const [applied, setApplied] = useState(0);
  // Fields the person got wrong (checked here, the list stays) or the api refused (a link's filters).
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [refused, setRefused] = useState<string[]>([]);
  // How current the list shown is ("Stand"), under the heading; the last page's until the next answers.
  const [asOf, setAsOf] = useState<string | null>();
  // What the list shown holds, for the status line; undefined while it loads.
  const [found, setFound] = useState<Found>();
  const [cleared, setCleared] = useState(false);
  const focus = useFocusAfterRender();
  const apply = (ev: Event) => {
    ev.preventDefault();
    const next = filtersOf(new FormData(ev.target as HTMLFormElement));
    setTyped(next.errors);
    setCleared(false);
    // Nothing is asked and the address stays: the list below is still the last one, and the status line says so.
    const first = Object.keys(next.errors)[0];
    if (first) return focus(`filter-${first}`);
    route(`/anfragen?${new URLSearchParams(next.filters)}`, true);
    setApplied((n) => n + 1);
    focus(focusedId());
  };
  // Only the search goes: the other filters stay as the address has them.
  const reset = () => {
    setTyped({});
    setCleared(true);
    route(`/anfragen?${new URLSearchParams(Object.entries(query).filter(([k]) => k !== 'q'))}`, true);
    setApplied((n) => n + 1);
    // The button is gone with the search: the keyboard goes on from the (now empty) field.
    focus('filter-q');
  };
  const refusal = (name: string) => (name === 'q' ? t.filters.searchShort : t.filters.wrong);
  const wrong = (name: string) => typed[name] ?? (refused.includes(name) ? refusal(name) : undefined);
  const status = statusOf(filters, found, Object.keys(typed).length > 0, cleared);

  return (
    <section aria-labelledby="anfragen">
      <h1 id="anfragen" class="kern-heading-large">
        {t.title}
      </h1>
      <AsOf asOf={asOf} />
      <form class="lotse-filters" onSubmit={apply} key={url} noValidate>
        <FilterInput
          name="q"
          label={t.filters.search}
          hint={t.filters.searchHint}
          value={filters.q}
          error={wrong('q')}
        />
        <FilterSelect
          name="status"
          label={t.filters.status}
          value={filters.status}
          options={Object.entries(de.status)}
        />
        {/* Agencies to choose by name: nobody has to know or type a Kennung. */}
        <FilterSelect
          name="responsibleAgency"
          label={t.filters.responsible}
          value={filters.responsibleAgency}
          options={allAgencies()}
        />
        <FilterSelect
          name="handlingAgency"
          label={t.filters.handling}
          value={filters.handlingAgency}
          options={allAgencies()}
        />
        <FilterSelect
          name="significant"
          label={t.filters.significant}
          value={filters.significant}
          options={[
            ['true', de.enquiry.yes],
            ['false', de.enquiry.no],
          ]}
        />
        <FilterInput
          name="from"
          label={`${t.filters.from} (${de.dayFormat})`}
          value={shownDay(filters.from)}
          error={wrong('from')}
        />
        <FilterInput
          name="to"
          label={`${t.filters.to} (${de.dayFormat})`}
          value={shownDay(filters.to)}
          error={wrong('to')}
        />
        <div class="kern-btn-wrapper">
          <button class="kern-btn kern-btn--primary" type="submit" id="anfragen-filtern">
            <span class="kern-label">{t.filters.apply}</span>
          </button>
          {filters.q && <ResetSearch onReset={reset} />}
        </div>
      </form>
      <SearchStatus text={status} />
      {/* Other filters, another list: from its first page. */}
      <Pages key={`${url} ${applied}`} filters={filters} onRefused={setRefused} onAsOf={setAsOf} onFound={setFound} />
    </section>
  );
}

/** How many the list shown holds: those on the pages before it, on it, and whether more follow. */
type Found = { before: number; shown: number; more: boolean };

/** The status line: what was searched and found, that a wrong filter changed nothing, or that the search went. */
function statusOf(filters: Filters, found: Found | undefined, wrong: boolean, cleared: boolean): string {
  const { q, ...others } = filters;
  const filtered = Object.keys(others).length > 0;
  const s = t.search;
  let said = '';
  if (q && found) {
    const total = found.before + found.shown;
    said = found.more ? s.more(total, q, filtered) : s.found(total, q, filtered);
    if (found.before > 0 && found.shown > 0) said += s.range(found.before + 1, total);
  } else if (!q && cleared) said = s.cleared(filtered);
  if (!wrong) return said;
  return said && q ? s.unchanged + s.still(said) : s.unchanged;
}

/**
 * The search's answer in a polite live region, there before any answer so that each new one is
 * announced; empty when there is nothing to say.
 */
export function SearchStatus({ text }: { text: string }) {
  return (
    <p class="kern-body lotse-search-status" role="status">
      {text}
    </p>
  );
}

/** "Suche zurücksetzen": a button, not a link, since it changes what this screen shows and moves the focus. */
export function ResetSearch({ onReset }: { onReset: () => void }) {
  return (
    <button class="kern-btn kern-btn--secondary" type="button" onClick={onReset}>
      <span class="kern-label">{t.search.reset}</span>
    </button>
  );
}

/**
 * Focuses an element by id after the next render: a wrong field, so that its message is read with it; the
 * search after a reset; after a search, what had the focus. After the render, since the form is made anew
 * with the address and the element focused before is gone with it.
 */
export function useFocusAfterRender(): (id: string | undefined) => void {
  const [wanted, setWanted] = useState<{ id: string } | null>(null);
  useEffect(() => {
    if (wanted) document.getElementById(wanted.id)?.focus();
  }, [wanted]);
  return (id) => setWanted(id ? { id } : null);
}

/** The id of the element with the focus, if any. */
export const focusedId = () => document.activeElement?.id || undefined;

/** The filters as the api takes them, days as ISO; or the fields that are wrong. */
function filtersOf(form: FormData): { filters: Record<string, string>; errors: Record<string, string> } {
  const filters: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const [k, raw] of form) {
    const v = String(raw).trim();
    if (v === '') continue;
    const day = k === 'from' || k === 'to';
    filters[k] = day ? (parseGermanDay(v) ?? v) : v;
    if (day && !parseGermanDay(v)) errors[k] = de.dayWrong;
    if (k === 'q' && !/[\p{L}\p{N}]{3}/u.test(v)) errors[k] = t.filters.searchShort;
  }
  return { filters, errors };
}

/** The list, a page at a time: the cursors of the pages before this one, the api's next cursor. */
function Pages({
  filters,
  onRefused,
  onAsOf,
  onFound,
}: {
  filters: Filters;
  onRefused: (fields: string[]) => void;
  onAsOf: (asOf: string | null) => void;
  onFound: (found: Found | undefined) => void;
}) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useLoad(
    () =>
      api.GET('/v1/enquiries', {
        params: { query: { ...filters, limit: PAGE, ...(cursor ? { cursor } : {}) } as never },
      }),
    [cursor],
  );
  useEffect(() => onRefused(page.fields ?? []), [page.fields]);
  useEffect(() => {
    if (page.data) onAsOf(page.data.asOf);
  }, [page.data]);
  // A page with a next cursor is full (the api's limit): those before this one are PAGE each.
  useEffect(() => {
    const { data, loading } = page;
    onFound(
      data && !loading
        ? { before: cursors.length * PAGE, shown: data.items.length, more: !!data.nextCursor }
        : undefined,
    );
  }, [page.data, page.loading]);
  const next = page.loading ? null : page.data?.nextCursor;
  return (
    <>
      {/* An office holder who opens the address is told whose list this is, not refused as at an enquiry. */}
      <Loaded load={page} stale={false} problem={(detail, status) => (status === 403 ? t.staffOnly : detail)}>
        {({ items }) =>
          // None found by a search: the status line says so, with what was searched.
          items.length === 0 ? (
            !filters.q && <p class="kern-body">{t.empty}</p>
          ) : (
            <Table items={items} page={cursors.length + 1} />
          )
        }
      </Loaded>
      <div class="kern-btn-wrapper">
        {cursors.length > 0 && (
          <button class="kern-btn kern-btn--secondary" onClick={() => setCursors((c) => c.slice(0, -1))}>
            <span class="kern-label">{t.previous}</span>
          </button>
        )}
        {next && (
          <button class="kern-btn kern-btn--secondary" onClick={() => setCursors((c) => [...c, next])}>
            <span class="kern-label">{t.next}</span>
          </button>
        )}
      </div>
    </>
  );
}

function Table({ items, page }: { items: Summary[]; page: number }) {
  return (
    <Scrollable label={t.title}>
      <table class="kern-table lotse-enquiry-list">
        <caption class="kern-title">{t.caption(page)}</caption>
        <Headings
          names={[t.columns.enquiry, t.columns.received, t.columns.status, t.columns.responsible, t.columns.handling]}
        />
        <tbody class="kern-table__body">
          {items.map((e) => (
            <tr class="kern-table__row" key={e.enquiryId}>
              <Cell>
                <a class="kern-link" href={`/anfragen/${e.enquiryId}`}>
                  {e.firmName ?? e.codeName}
                </a>
                <span class="lotse-ref">{e.enquiryId}</span>
                {e.significant && (
                  <>
                    {' '}
                    <Badge kind="info">{t.significant}</Badge>
                  </>
                )}
              </Cell>
              <Cell>{e.receivedAt ? dateTime(e.receivedAt) : '–'}</Cell>
              <Cell>
                <StatusBadge status={e.status} />
              </Cell>
              <Cell>{e.responsibleAgency ? <AgencyName id={e.responsibleAgency} /> : '–'}</Cell>
              <Cell>
                <AgencyNames ids={e.handlingAgencies} />
              </Cell>
            </tr>
          ))}
        </tbody>
      </table>
    </Scrollable>
  );
}

/** A cell's content in one box: on a phone it stands beside the column's heading in a grid (app.css). */
const Cell = ({ children }: { children: ComponentChildren }) => (
  <td class="kern-table__cell">
    <div>{children}</div>
  </td>
);
