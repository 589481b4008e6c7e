import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, problemDetail, useLastData, useLoad, type Load } from '../api.js';
import { BarsAndTable } from '../chart.js';
import { saveFile } from '../download.js';
import { count, day, euro, hectares, isoDay, quarterName } from '../format.js';
import { AsOf, ErrorAlert, Scrollable } from '../parts.js';
import { SaidAlert, useSaid } from '../said.js';
import type { components } from '../schema.js';
import { de } from '../texts.js';
import type { Programme } from '../types.js';
import { ProgrammeReports } from './programme-reports.js';

type Figures = components['schemas']['ProgrammeFigures'];
type Counts = Figures['total'];
type SiteFigures = NonNullable<Figures['areas'][number]['sites']>;

const t = de.figures.programme;

/** The channels in the order the Eingangsweg table lists them, each with its count (none as 0). */
const CHANNELS = ['website', 'campaign_page', 'fair', 'referral', 'phone', 'other', 'none'];

/**
 * The funding programmes whose figures the manager's agency reads (the Regionalbudget
 * Nordsachsen for the Landratsamt and the WFG); none for staff, whom the api answers no programme.
 */
export function useProgrammes(manager: boolean): Load<Programme[]> {
  return useLoad(
    () =>
      manager
        ? api.GET('/v1/programmes').then((a) => ({ ...a, data: a.data?.items }))
        : Promise.resolve({ data: [] as Programme[] }),
    [manager],
  );
}

/**
 * Kennzahlen → a programme: its figures for the page's period (`from`, `to` of the address, as
 * /v1/stats takes them) per Mittelzentrum, measure and channel, the enquiries per quarter of each
 * Mittelzentrum as charts beside their tables, the CSV, and its reports (Berichte).
 */
export function ProgrammeSection(props: { programme: Programme; from: string; to: string; shown: number }) {
  const { programme: p, from, to } = props;
  const figures = useLoad(
    () =>
      api.GET('/v1/programmes/{programme}/figures', {
        params: {
          path: { programme: p.id },
          query: Object.fromEntries(Object.entries({ from, to }).filter(([, v]) => v)),
        },
      }),
    [p.id, from, to, props.shown],
  );
  // A period the api refuses is marked at the page's period form; the figures shown stay.
  const last = useLastData(figures);
  const id = `programm-${p.id}`;
  return (
    <section aria-labelledby={id} class="lotse-programme">
      <h2 id={id} class="kern-heading-medium">
        {p.title}
      </h2>
      <AsOf asOf={last?.asOf} />
      {figures.error && figures.status !== 400 && <ErrorAlert detail={figures.error} />}
      {last ? (
        <ProgrammeFigures programme={p} f={last} />
      ) : (
        !figures.error && (
          <p role="status" class="kern-body">
            {de.loading}
          </p>
        )
      )}
      <ProgrammeReports programme={p} />
    </section>
  );
}

/** The period's last day: the figures' `to` is the moment after it. */
const lastDay = (f: Figures) => Date.parse(f.to) - 1;

function ProgrammeFigures({ programme: p, f }: { programme: Programme; f: Figures }) {
  const areaRows = f.areas.filter((a) => a.part === 'area');
  const highest = Math.max(1, ...f.quarters.flatMap((q) => Object.values(q.areas).map((a) => a.enquiries)));
  return (
    <>
      <p class="kern-body">{t.period(day(f.from), day(lastDay(f)))}</p>
      <CsvDownload programme={p} f={f} />
      <FiguresTable
        id={`${p.id}-nach-mittelzentrum`}
        title={t.byArea}
        caption={t.captionOf(t.byArea, p.title)}
        what={t.area}
        numbers={[...COUNT_HEADS, t.sites, t.available, t.taken]}
        rows={f.areas.map((a) => ({
          key: a.area ?? a.part,
          label: a.part === 'area' ? a.name : (t.parts[a.part] ?? a.name),
          cells: [...countCells(a), ...siteCells(a.sites)],
        }))}
        sum={[...countCells(f.total), ...siteCells(sumSites(f.areas.flatMap((a) => (a.sites ? [a.sites] : []))))]}
      />
      <FiguresTable
        id={`${p.id}-nach-massnahme`}
        title={t.byMeasure}
        caption={t.captionOf(t.byMeasure, p.title)}
        what={t.measure}
        numbers={COUNT_HEADS}
        rows={f.measures.map((m) => ({
          key: m.measure ?? '',
          label: m.measure ? `${m.measure} ${m.title}` : t.noMeasure,
          cells: countCells(m),
        }))}
        // Its own rows' sum: a proposed site or a lead counts in the area table by where it lies or went.
        sum={countCells(sumCounts(f.measures))}
      />
      <BarsAndTable
        id={`${p.id}-nach-eingangsweg`}
        level={3}
        title={t.byChannel}
        caption={t.captionOf(t.byChannel, p.title)}
        what={t.channel}
        rows={CHANNELS.map((c): [string, number] => [de.enquiry.source.channels[c] ?? c, f.channels[c] ?? 0])}
      />
      <section aria-labelledby={`${p.id}-je-quartal`}>
        <h3 id={`${p.id}-je-quartal`} class="kern-heading-small">
          {t.byQuarter}
        </h3>
        <p class="kern-body">{t.byQuarterHint}</p>
        <div class="lotse-small-multiples">
          {areaRows.map((a) => (
            <BarsAndTable
              key={a.area}
              id={`${p.id}-quartale-${a.area}`}
              level={4}
              title={a.name}
              caption={t.quarterOf(a.name)}
              what={t.quarter}
              max={highest}
              rows={f.quarters.map((q): [string, number] => [
                quarterName(q.quarter),
                q.areas[a.area ?? '']?.enquiries ?? 0,
              ])}
            />
          ))}
        </div>
      </section>
    </>
  );
}

const COUNT_HEADS = [t.enquiries, t.proposedSites, t.leads, t.settled, t.jobs, t.investment];

const countCells = (c: Counts) => [
  count(c.enquiries),
  count(c.proposedSites),
  count(c.leads),
  count(c.settled.enquiries),
  count(c.settled.jobs),
  euro(c.settled.investmentEur),
];

/** Sites, their hectares and what left the registry; "–" where the row has none (enquiries from outside). */
const siteCells = (s: SiteFigures | null) =>
  s ? [count(s.count), hectares(s.availableM2), hectares(s.takenM2)] : [t.noSites, t.noSites, t.noSites];

/** The rows' counts added up. */
function sumCounts(rows: Counts[]): Counts {
  const add = (pick: (c: Counts) => number) => rows.reduce((n, c) => n + pick(c), 0);
  return {
    enquiries: add((c) => c.enquiries),
    proposedSites: add((c) => c.proposedSites),
    leads: add((c) => c.leads),
    settled: {
      enquiries: add((c) => c.settled.enquiries),
      jobs: add((c) => c.settled.jobs),
      investmentEur: add((c) => c.settled.investmentEur),
    },
  };
}

/** The Mittelzentren and the rest of the county split the county's sites: their sum is the county's. */
const sumSites = (all: SiteFigures[]): SiteFigures => ({
  count: all.reduce((n, s) => n + s.count, 0),
  availableM2: all.reduce((n, s) => n + s.availableM2, 0),
  takenM2: all.reduce((n, s) => n + s.takenM2, 0),
});

/**
 * A table of figures under its own heading: a row heading each row, numbers right-aligned, the
 * "Summe" last. On a phone its rows are cards (Scrollable), so nothing is cut off.
 */
function FiguresTable(props: {
  id: string;
  title: string;
  caption: string;
  what: string;
  numbers: string[];
  rows: { key: string; label: ComponentChildren; cells: string[] }[];
  sum: string[];
}) {
  const row = (label: ComponentChildren, cells: string[], extra = '') => (
    <>
      <th class="kern-table__header" scope="row">
        {label}
      </th>
      {cells.map((c, i) => (
        <td class={`kern-table__cell kern-table__cell--numeric${extra}`} key={i}>
          {c}
        </td>
      ))}
    </>
  );
  return (
    <section aria-labelledby={props.id}>
      <h3 id={props.id} class="kern-heading-small">
        {props.title}
      </h3>
      <Scrollable label={props.caption}>
        <table class="kern-table kern-table--small lotse-figure-cards">
          <caption class="kern-sr-only">{props.caption}</caption>
          <thead>
            <tr class="kern-table__row">
              <th class="kern-table__header" scope="col">
                {props.what}
              </th>
              {props.numbers.map((h) => (
                <th class="kern-table__header kern-table__header--numeric" scope="col" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {props.rows.map((r) => (
              <tr class="kern-table__row" key={r.key}>
                {row(r.label, r.cells)}
              </tr>
            ))}
            <tr class="kern-table__row lotse-sum">{row(t.sum, props.sum)}</tr>
          </tbody>
        </table>
      </Scrollable>
    </section>
  );
}

/**
 * The programme's figures as the api writes them (CSV, German headings): fetched with the
 * person's token, which a plain link cannot send, then saved as a download.
 */
function CsvDownload({ programme: p, f }: { programme: Programme; f: Figures }) {
  const [busy, setBusy] = useState(false);
  const answer = useSaid();
  const download = async () => {
    answer.clear();
    setBusy(true);
    const { data, error, response } = await api
      .GET('/v1/programmes/{programme}/figures.csv', {
        params: { path: { programme: p.id }, query: { from: f.from, to: f.to } },
        parseAs: 'blob',
      })
      .finally(() => setBusy(false));
    if (!data) return answer.say(problemDetail(error, response.status), false);
    const name = t.csvFile(p.id, isoDay(f.from), isoDay(lastDay(f)));
    saveFile(data as unknown as Blob, name);
    answer.say(t.downloaded(name));
  };
  return (
    <div class="lotse-download">
      <button class="kern-btn kern-btn--secondary" type="button" disabled={busy} onClick={() => void download()}>
        <span class="kern-label">{t.csv}</span>
      </button>
      <div aria-live="polite">{busy && <p class="kern-body">{t.downloading}</p>}</div>
      <SaidAlert said={answer.said} />
    </div>
  );
}
