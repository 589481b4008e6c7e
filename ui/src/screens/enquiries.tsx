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
  const apply = (ev: Event) => {
    ev.preventDefault();
    const next = filtersOf(new FormData(ev.target as HTMLFormElement));
    setTyped(next.errors);
    if (Object.keys(next.errors).length > 0) return;
    route(`/anfragen?${new URLSearchParams(next.filters)}`, true);
    setApplied((n) => n + 1);
  };
  const refusal = (name: string) => (name === 'q' ? t.filters.searchShort : t.filters.wrong);
  const wrong = (name: string) => typed[name] ?? (refused.includes(name) ? refusal(name) : undefined);

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
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.filters.apply}</span>
        </button>
      </form>
      {/* Other filters, another list: from its first page. */}
      <Pages key={`${url} ${applied}`} filters={filters} onRefused={setRefused} onAsOf={setAsOf} />
    </section>
  );
}

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
}: {
  filters: Filters;
  onRefused: (fields: string[]) => void;
  onAsOf: (asOf: string | null) => void;
}) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useLoad(
    () =>
      api.GET('/v1/enquiries', {
        params: { query: { ...filters, limit: 25, ...(cursor ? { cursor } : {}) } as never },
      }),
    [cursor],
  );
  useEffect(() => onRefused(page.fields ?? []), [page.fields]);
  useEffect(() => {
    if (page.data) onAsOf(page.data.asOf);
  }, [page.data]);
  const next = page.loading ? null : page.data?.nextCursor;
  return (
    <>
      {/* An office holder who opens the address is told whose list this is, not refused as at an enquiry. */}
      <Loaded load={page} stale={false} problem={(detail, status) => (status === 403 ? t.staffOnly : detail)}>
        {({ items }) =>
          items.length === 0 ? <p class="kern-body">{t.empty}</p> : <Table items={items} page={cursors.length + 1} />
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
      <table class="kern-table">
        <caption class="kern-title">{t.caption(page)}</caption>
        <Headings
          names={[t.columns.enquiry, t.columns.received, t.columns.status, t.columns.responsible, t.columns.handling]}
        />
        <tbody class="kern-table__body">
          {items.map((e) => (
            <tr class="kern-table__row" key={e.enquiryId}>
              <td class="kern-table__cell">
                <a class="kern-link" href={`/anfragen/${e.enquiryId}`}>
                  {e.codeName}
                </a>
                <span class="lotse-ref">{e.enquiryId}</span>
                {e.significant && (
                  <>
                    {' '}
                    <Badge kind="info">{t.significant}</Badge>
                  </>
                )}
              </td>
              <td class="kern-table__cell">{e.receivedAt ? dateTime(e.receivedAt) : '–'}</td>
              <td class="kern-table__cell">
                <StatusBadge status={e.status} />
              </td>
              <td class="kern-table__cell">{e.responsibleAgency ? <AgencyName id={e.responsibleAgency} /> : '–'}</td>
              <td class="kern-table__cell">
                <AgencyNames ids={e.handlingAgencies} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scrollable>
  );
}
