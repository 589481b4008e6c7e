import { useEffect, useState } from 'preact/hooks';
import { api, problemDetail } from '../api.js';
import { dateTime } from '../format.js';
import type { components } from '../schema.js';
import { ErrorAlert, FilterInput, FilterSelect, Scrollable } from '../parts.js';
import { de } from '../texts.js';

type Summary = components['schemas']['EnquiryList']['items'][number];
type Filters = {
  status?: string;
  responsibleAgency?: string;
  handlingAgency?: string;
  significant?: string;
  from?: string;
  to?: string;
};
type Load =
  { state: 'loading' } | { state: 'error'; detail: string } | { state: 'done'; items: Summary[]; next: string | null };
const t = de.list;

/** Filters live in the address, so a list can be sent to a colleague and the back button works. */
const filtersFromUrl = (): Filters =>
  Object.fromEntries([...new URLSearchParams(location.search)].filter(([, v]) => v)) as Filters;

/** Anfragen: the enquiries my agency has a part in, with the filters of GET /v1/enquiries, paged. */
export function Enquiries() {
  const [filters, setFilters] = useState<Filters>(filtersFromUrl());
  const [cursors, setCursors] = useState<string[]>([]);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const cursor = cursors.at(-1);
  useEffect(() => {
    setLoad({ state: 'loading' });
    const query = { ...filters, limit: 25, ...(cursor ? { cursor } : {}) } as never;
    void api
      .GET('/v1/enquiries', { params: { query } })
      .then(({ data, error, response }) =>
        setLoad(
          data
            ? { state: 'done', items: data.items, next: data.nextCursor }
            : { state: 'error', detail: problemDetail(error, response.status) },
        ),
      );
  }, [filters, cursor]);

  const apply = (ev: Event) => {
    ev.preventDefault();
    const form = new FormData(ev.target as HTMLFormElement);
    const next = Object.fromEntries([...form].filter(([, v]) => v !== '')) as Filters;
    history.replaceState(null, '', `?${new URLSearchParams(next as Record<string, string>)}`);
    setCursors([]);
    setFilters(next);
  };

  return (
    <section aria-labelledby="anfragen">
      <h1 id="anfragen" class="kern-heading-large">
        {t.title}
      </h1>
      <form class="lotse-filters" onSubmit={apply}>
        <FilterSelect
          name="status"
          label={t.filters.status}
          value={filters.status}
          options={Object.entries(de.status)}
        />
        <FilterInput name="responsibleAgency" label={t.filters.responsible} value={filters.responsibleAgency} />
        <FilterInput name="handlingAgency" label={t.filters.handling} value={filters.handlingAgency} />
        <FilterSelect
          name="significant"
          label={t.filters.significant}
          value={filters.significant}
          options={[
            ['true', de.enquiry.yes],
            ['false', de.enquiry.no],
          ]}
        />
        <FilterInput name="from" label={t.filters.from} value={filters.from} type="date" />
        <FilterInput name="to" label={t.filters.to} value={filters.to} type="date" />
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.filters.apply}</span>
        </button>
      </form>
      {load.state === 'loading' && <p role="status">{de.loading}</p>}
      {load.state === 'error' && <ErrorAlert detail={load.detail} />}
      {load.state === 'done' && load.items.length === 0 && <p class="kern-body">{t.empty}</p>}
      {load.state === 'done' && load.items.length > 0 && (
        <Scrollable label={t.title}>
          <table class="kern-table">
            <caption class="kern-body">{t.caption(cursors.length + 1)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.columns.enquiry}</th>
                <th scope="col">{t.columns.received}</th>
                <th scope="col">{t.columns.status}</th>
                <th scope="col">{t.columns.responsible}</th>
                <th scope="col">{t.columns.handling}</th>
              </tr>
            </thead>
            <tbody>
              {load.items.map((e) => (
                <tr key={e.enquiryId}>
                  <td>
                    <a class="kern-link" href={`/anfragen/${e.enquiryId}`}>
                      {e.enquiryId}
                    </a>
                    {e.significant ? ` (${t.significant})` : ''}
                  </td>
                  <td>{e.receivedAt ? dateTime(e.receivedAt) : '–'}</td>
                  <td>{de.status[e.status ?? ''] ?? e.status}</td>
                  <td>{e.responsibleAgency ?? '–'}</td>
                  <td>{e.handlingAgencies.join(', ') || '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scrollable>
      )}
      <div class="kern-btn-wrapper">
        {cursors.length > 0 && (
          <button class="kern-btn kern-btn--secondary" onClick={() => setCursors((c) => c.slice(0, -1))}>
            <span class="kern-label">{t.previous}</span>
          </button>
        )}
        {load.state === 'done' && load.next && (
          <button
            class="kern-btn kern-btn--secondary"
            onClick={() => setCursors((c) => [...c, (load as { next: string }).next])}
          >
            <span class="kern-label">{t.next}</span>
          </button>
        )}
      </div>
    </section>
  );
}
