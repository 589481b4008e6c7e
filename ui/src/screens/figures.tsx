import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, useLastData, useLoad } from '../api.js';
import type { Session } from '../auth.js';
import { count, dateTime, day, decimal, duration, euro, isoDay, month, parseGermanDay, shownDay } from '../format.js';
import type { components } from '../schema.js';
import { agencyShort } from '../names.js';
import { BarsAndTable } from '../chart.js';
import { AgencyName, AsOf, ErrorAlert, FilterInput, Item, NotForYou } from '../parts.js';
import { de } from '../texts.js';
import { FirmFigures } from './firm-figures.js';
import { ProgrammeSection, useProgrammes } from './programme-figures.js';

type Stats = components['schemas']['Stats'];
const t = de.figures;

/**
 * Kennzahlen: the figures of the enquiries my agency may list, for a period (default: this
 * year, kept in the address), and a CSV. For managers; anyone else who opens the address is
 * told whose page this is, rather than refused as if it were about an enquiry.
 */
export function Figures({ session }: { session: Session }) {
  const manager = session.roles.includes('manager');
  if (!manager && !session.roles.includes('staff')) {
    return <NotForYou id="kennzahlen" title={t.title} note={t.managersOnly} />;
  }
  return <PeriodFigures manager={manager} />;
}

/** A manager sees the figures of the enquiries and of Bestandspflege; staff those of Bestandspflege. */
function PeriodFigures({ manager }: { manager: boolean }) {
  const { url, query, route } = useLocation();
  const period = { from: query.from ?? '', to: query.to ?? '' };
  // Showing the same period again asks again too.
  const [shown, setShown] = useState(0);
  const stats = useLoad(
    () =>
      manager
        ? api.GET('/v1/stats', { params: { query: Object.fromEntries(Object.entries(period).filter(([, v]) => v)) } })
        : Promise.resolve({ data: undefined, error: undefined, response: new Response() }),
    [period.from, period.to, shown, manager],
  );
  const programmeLoad = useProgrammes(manager);
  const programmes = programmeLoad.data ?? [];
  // A period the api refuses keeps the last figures on screen, with the field marked; shown once the
  // programmes are known too, so that what comes first does not change under the reader.
  const stayed = useLastData(stats);
  const programmesKnown = !(programmeLoad.loading && !programmeLoad.data);
  const last = programmesKnown ? stayed : undefined;
  // An agency that has no enquiries of its own (the Landratsamt) but a programme's: the programme first, no zeros.
  const programmeOnly = !!last && last.enquiries === 0 && programmes.length > 0;
  const wrong = new Set(stats.fields ?? []);
  const [mistyped, setMistyped] = useState<Set<string>>(new Set());
  const apply = (ev: Event) => {
    ev.preventDefault();
    const form = new FormData(ev.target as HTMLFormElement);
    const typed = { from: String(form.get('from') ?? '').trim(), to: String(form.get('to') ?? '').trim() };
    const next = { from: typed.from && parseGermanDay(typed.from), to: typed.to && parseGermanDay(typed.to) };
    setMistyped(new Set(Object.entries(next).flatMap(([k, v]) => (v === null ? [k] : []))));
    if (next.from === null || next.to === null) return;
    const chosen = Object.entries({ from: next.from, to: next.to }).filter(([, v]) => v);
    route(`/kennzahlen?${new URLSearchParams(chosen)}`, true);
    setShown((n) => n + 1);
  };
  return (
    <section aria-labelledby="kennzahlen">
      <h1 id="kennzahlen" class="kern-heading-large">
        {t.title}
      </h1>
      <AsOf asOf={last?.asOf} />
      <form class="lotse-filters" onSubmit={apply} key={url} noValidate>
        <FilterInput
          name="from"
          label={`${t.from} (${de.dayFormat})`}
          value={shownDay(period.from)}
          error={mistyped.has('from') ? de.dayWrong : wrong.has('from') ? t.invalidPeriod : undefined}
        />
        <FilterInput
          name="to"
          label={`${t.to} (${de.dayFormat})`}
          value={shownDay(period.to)}
          error={mistyped.has('to') ? de.dayWrong : wrong.has('to') ? t.invalidPeriod : undefined}
        />
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.show}</span>
        </button>
      </form>
      {!manager && <p class="kern-body">{t.staffNote}</p>}
      {manager && stats.error && <ErrorAlert detail={stats.error} />}
      {programmeLoad.error && <ErrorAlert detail={programmeLoad.error} />}
      {manager &&
        (last
          ? !programmeOnly && <Report stats={last} />
          : !stats.error && (
              <p role="status" class="kern-body">
                {de.loading}
              </p>
            ))}
      {programmesKnown &&
        (stayed || stats.error) &&
        programmes.map((p) => (
          <ProgrammeSection key={p.id} programme={p} from={period.from} to={period.to} shown={shown} />
        ))}
      {programmeOnly && <p class="kern-body lotse-programme-note">{t.programme.noEnquiries}</p>}
      <FirmFigures from={period.from} to={period.to} key={shown} />
    </section>
  );
}

function Report({ stats: s }: { stats: Stats }) {
  const medians = Object.entries(s.medianSecondsFromReceipt).filter(([, m]) => m.count > 0);
  return (
    <>
      <p class="kern-body">{t.period(day(s.from), day(lastDay(s)), s.period === 'calendar_year_default')}</p>
      <p class="kern-body">
        <a class="kern-link" href={csvLink(s)} download={t.csvFile(s.agency, isoDay(s.from), isoDay(lastDay(s)))}>
          {t.csv}
        </a>
      </p>
      <dl class="kern-description-list">
        <Item term={t.enquiries} value={count(s.enquiries)} />
        <Item term={t.significant} value={count(s.significant)} />
        <Item
          term={t.forwarded}
          value={`${count(s.forwarding.requested)} / ${count(s.forwarding.leadsForwarded)} / ${count(s.forwarding.accepted)}`}
        />
        <Item
          term={t.settled}
          value={`${count(s.settled.enquiries)} · ${count(s.settled.jobs)} ${de.enquiry.fields.jobs} · ${euro(s.settled.investmentEur)}`}
        />
      </dl>
      <BarsAndTable id="nach-monat" title={t.byMonth} what={t.month} rows={named(s.receivedByMonth, month)} />
      <BarsAndTable
        id="nach-stand"
        title={t.byStatus}
        what={de.enquiry.fields.status}
        rows={named(s.byStatus, (k) => de.status[k] ?? k)}
      />
      <BarsAndTable
        id="ergebnisse"
        title={t.outcomes}
        what={de.actions.outcome}
        rows={named(s.outcomes, (k) => de.outcomes[k] ?? k)}
      />
      <h2 class="kern-heading-medium">{t.medians}</h2>
      {medians.length === 0 ? (
        <p class="kern-body">{t.noDecisions}</p>
      ) : (
        <ul class="kern-list">
          {medians.map(([k, m]) => (
            <li key={k}>{`${de.events[k] ?? k}: ${duration(m.median)} (${count(m.count)})`}</li>
          ))}
        </ul>
      )}
      <h2 class="kern-heading-medium">{t.joint}</h2>
      <p class="kern-body">{t.jointProjects(s.joint.projects)}</p>
      {s.joint.projects > 0 && (
        <ul class="kern-list">
          {Object.entries(s.joint.byAgency).map(([agency, n]) => (
            <li key={agency}>
              <AgencyName id={agency} />
              {t.jointShare(n)}
            </li>
          ))}
        </ul>
      )}
      <h2 class="kern-heading-medium">{t.shares}</h2>
      {Object.keys(s.settled.byAgency).length === 0 && <p class="kern-body">{t.none}</p>}
      <ul class="kern-list">
        {Object.entries(s.settled.byAgency).map(([agency, a]) => (
          <li key={agency}>
            <AgencyName id={agency} />
            {`: ${count(a.enquiries)} · ${count(a.jobs)} ${de.enquiry.fields.jobs} · ${euro(a.investmentEur)}`}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Figures by key as rows with the key in words: "2026-03" → "März 2026". */
const named = (values: Record<string, number>, label: (k: string) => string): [string, number][] =>
  Object.entries(values).map(([k, v]) => [label(k), v]);

/** The period ends before `to`: its last day is the day before, in Berlin. */
const lastDay = (s: Stats) => Date.parse(s.to) - 1;

/** The medians the screen shows, in hours as a German spreadsheet reads numbers ("1,5"), and how many. */
const medianRows = (s: Stats): (string | number)[][] =>
  Object.entries(s.medianSecondsFromReceipt)
    .filter(([, m]) => m.count > 0)
    .flatMap(([k, m]) => [
      [`${t.medians}: ${de.events[k] ?? k} (Stunden)`, decimal(Math.round(m.median / 36) / 100)],
      [`${t.medians}: ${de.events[k] ?? k} (Anzahl)`, m.count],
    ]);

/** The figures as CSV (semicolon-separated, as German spreadsheets expect). */
function csvLink(s: Stats): string {
  const rows: (string | number)[][] = [
    ['Kennzahl', 'Wert'],
    ['Zeitraum', `${day(s.from)} bis ${day(lastDay(s))}`],
    [t.csvAsOf, s.asOf ? dateTime(s.asOf) : t.csvPending],
    ['Anfragen', s.enquiries],
    ['bedeutsam', s.significant],
    ...Object.entries(s.byStatus).map(([k, v]) => [`Stand: ${de.status[k] ?? k}`, v]),
    ['Weiterleitung angefragt', s.forwarding.requested],
    ['Leads weitergeleitet', s.forwarding.leadsForwarded],
    ['Leads angenommen', s.forwarding.accepted],
    ['Leads abgelehnt', s.forwarding.declined],
    ['Leads abgelaufen', s.forwarding.expired],
    ...Object.entries(s.outcomes).map(([k, v]) => [`Ergebnis: ${de.outcomes[k] ?? k}`, v]),
    ['Angesiedelt: Anfragen', s.settled.enquiries],
    ['Angesiedelt: Arbeitsplätze', s.settled.jobs],
    ['Angesiedelt: Investition (EUR)', s.settled.investmentEur],
    ...Object.entries(s.receivedByMonth).map(([k, v]) => [`Eingang ${month(k)}`, v]),
    ...medianRows(s),
    ['Gemeinsam bearbeitete Vorhaben', s.joint.projects],
    ...Object.entries(s.joint.byAgency).map(([k, v]) => [`Gemeinsam bearbeitet: ${agencyShort(k)}`, v]),
  ];
  const csv = rows.map((r) => r.map((c) => `"${String(c).replace(/"/g, '""')}"`).join(';')).join('\r\n');
  return `data:text/csv;charset=utf-8,${encodeURIComponent('\uFEFF' + csv)}`;
}
