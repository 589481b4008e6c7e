import { useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, problemDetail, useLastData, useLoad } from '../api.js';
import type { Session } from '../auth.js';
import { count, germanDay } from '../format.js';
import { saveFile } from '../download.js';
import type { components } from '../schema.js';
import { AgencyName, Badge, ErrorAlert, FilterInput, Headings, NotForYou, Scrollable } from '../parts.js';
import { PlaceField, placeWords, usePlaceNames } from '../place-field.js';
import { SaidAlert, useSaid } from '../said.js';
import { de } from '../texts.js';
import { visitDueNow } from '../firm-tasks.js';

type FirmRow = components['schemas']['FirmList']['items'][number];
const t = de.firms;

/**
 * Unternehmen: the firms the agency looks after (and those it co-cares for), visits due
 * first; a search by name, sector and town kept in the address; the register as a CSV file
 * in and out.
 */
export function Firms({ session }: { session: Session }) {
  if (!session.roles.includes('staff') && !session.roles.includes('manager')) {
    return <NotForYou id="unternehmen" title={t.title} note={t.staffOnly} />;
  }
  return <FirmList session={session} />;
}

function FirmList({ session }: { session: Session }) {
  const { url, query, route } = useLocation();
  const [searched, setSearched] = useState(0);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const search = Object.fromEntries(['q', 'sector', 'place'].flatMap((k) => (query[k] ? [[k, query[k]]] : [])));
  const firms = useLoad(() => api.GET('/v1/firms', { params: { query: search } }), [url, searched]);
  const list = useLastData(firms)?.items;
  const apply = (ev: Event) => {
    ev.preventDefault();
    const form = ev.target as HTMLFormElement;
    const data = new FormData(form);
    const next: Record<string, string> = {};
    const errors: Record<string, string> = {};
    for (const k of ['q', 'sector', 'place']) {
      const v = String(data.get(k) ?? '').trim();
      if (v) next[k] = v;
    }
    if (next.q !== undefined && next.q.length < 2) errors.q = t.filters.qShort;
    if (next.sector !== undefined && !/^[A-U]?\d{1,2}(\.\d{0,2})?$/.test(next.sector))
      errors.sector = t.filters.sectorWrong;
    const place = form.elements.namedItem('place') as HTMLInputElement | null;
    if (place?.dataset.unchosen === 'true') errors.place = placeWords.choose;
    setTyped(errors);
    if (Object.keys(errors).length > 0) {
      const first = ['q', 'sector', 'place'].find((k) => errors[k]);
      form.querySelector<HTMLElement>(first === 'place' ? '#ort-place' : `#filter-${first}`)?.focus();
      return;
    }
    route(`/unternehmen${Object.keys(next).length ? `?${new URLSearchParams(next)}` : ''}`, true);
    setSearched((n) => n + 1);
  };
  const refused = Object.fromEntries(
    (firms.fields ?? []).map((f) => [f, f === 'place' ? t.filters.placeWrong : t.filters.sectorWrong]),
  );
  const wrong = { ...refused, ...typed };
  const staff = session.roles.includes('staff');
  return (
    <section aria-labelledby="unternehmen">
      <h1 id="unternehmen" class="kern-heading-large">
        {t.title}
      </h1>
      <p class="kern-body">{t.intro}</p>
      {staff && (
        <p class="kern-body">
          <a class="kern-btn kern-btn--primary" href="/neues-unternehmen">
            <span class="kern-label">{t.create}</span>
          </a>
        </p>
      )}
      <form class="lotse-filters" onSubmit={apply} key={url} noValidate>
        <FilterInput name="q" label={t.filters.q} hint={t.filters.qHint} value={query.q} error={wrong.q} />
        <FilterInput
          name="sector"
          label={t.filters.sector}
          hint={t.filters.sectorHint}
          value={query.sector}
          error={wrong.sector}
        />
        <PlaceField
          name="place"
          label={t.filters.place}
          hint={t.filters.placeHint}
          value={query.place}
          kinds={['gemeinde', 'kreis']}
          error={wrong.place}
        />
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.filters.search}</span>
        </button>
      </form>
      {firms.error && <ErrorAlert detail={firms.error} />}
      {list === undefined ? (
        !firms.error && (
          <p role="status" class="kern-body">
            {de.loading}
          </p>
        )
      ) : list.length === 0 ? (
        <p class="kern-body">{Object.keys(search).length ? t.empty : t.none}</p>
      ) : (
        <FirmTable firms={list} own={session.agency} />
      )}
      {staff && (
        <Csv
          agency={session.agency}
          // The list comes from the read model, a moment behind the firms entered: asked now and once more.
          onImported={() => {
            firms.reload();
            setTimeout(firms.reload, 2000);
          }}
        />
      )}
    </section>
  );
}

function FirmTable({ firms, own }: { firms: FirmRow[]; own: string }) {
  const place = usePlaceNames(firms.flatMap((f) => f.places));
  const c = t.columns;
  const others = firms.some((f) => f.agency !== own);
  // Visits due first (as the api sorts them), by whether they are due today.
  const due = (f: FirmRow) => visitDueNow(f.visitDue, f.nextVisitDue);
  const sorted = [...firms.filter(due), ...firms.filter((f) => !due(f))];
  const headings = [c.name, c.place, c.sector, ...(others ? [c.agency] : []), c.careLevel, c.nextVisit, c.concerns];
  return (
    <Scrollable label={t.title}>
      <table class="kern-table">
        <caption class="kern-title">{t.count(firms.length)}</caption>
        <Headings names={headings} />
        <tbody class="kern-table__body">
          {sorted.map((f) => (
            <tr class="kern-table__row" key={f.firmId}>
              <td class="kern-table__cell">
                <a class="kern-link" href={`/unternehmen/${f.firmId}`}>
                  {f.name}
                </a>
                {due(f) && (
                  <>
                    {' '}
                    <Badge kind="warning">{t.visitDue}</Badge>
                  </>
                )}
              </td>
              <td class="kern-table__cell">{f.places.map(place).join(', ')}</td>
              <td class="kern-table__cell lotse-nowrap">{f.sector}</td>
              {others && (
                <td class="kern-table__cell">
                  <AgencyName id={f.agency} />
                </td>
              )}
              <td class="kern-table__cell">{t.careLevels[f.careLevel]}</td>
              <td class="kern-table__cell lotse-nowrap">{germanDay(f.nextVisitDue)}</td>
              <td class="kern-table__cell lotse-number">{count(f.openConcerns)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scrollable>
  );
}

/** The import's refusal, line by line, in German where the api's message is known. */
type LineError = { path: string; message: string };

/**
 * CSV importieren (a file, all of its firms or none: the lines that are wrong listed) and CSV
 * exportieren (the agency's own firms, as a download).
 */
function Csv({ agency, onImported }: { agency: string; onImported: () => void }) {
  const file = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [lines, setLines] = useState<LineError[]>([]);
  const { said, say, clear } = useSaid();
  const c = t.csv;
  const importFile = async (ev: Event) => {
    ev.preventDefault();
    const chosen = file.current?.files?.[0];
    setMissing(!chosen);
    setLines([]);
    clear();
    if (!chosen) return file.current?.focus();
    setBusy(c.importing);
    const text = await chosen.text();
    const { data, error, response } = await api
      .POST('/v1/firms/import', {
        body: text,
        bodySerializer: (b: string) => b,
        headers: { 'content-type': 'text/csv' },
      })
      .finally(() => setBusy(null));
    if (data) {
      say(c.entered(data.entered, data.already));
      if (file.current) file.current.value = '';
      onImported();
      return;
    }
    const errors = (error as { errors?: LineError[] } | undefined)?.errors ?? [];
    if (response.status === 400 && errors.length > 0) {
      setLines(errors);
      say(c.refused(errors.length), false);
    } else say(problemDetail(error, response.status), false);
  };
  const exportFile = async () => {
    clear();
    setBusy(c.exporting);
    const { data, error, response } = await api
      .GET('/v1/firms/export', { parseAs: 'blob' })
      .finally(() => setBusy(null));
    if (!data) return say(problemDetail(error, response.status), false);
    saveFile(data as unknown as Blob, c.file_name(agency));
    say(c.exported);
  };
  return (
    <section aria-labelledby="csv" class="lotse-csv">
      <h2 id="csv" class="kern-heading-medium">
        {c.title}
      </h2>
      <form onSubmit={(ev) => void importFile(ev)} noValidate>
        <div class={`kern-form-input${missing ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for="csv-datei">
            {c.file}
          </label>
          {missing && (
            <p class="kern-error" id="csv-datei-fehler">
              {c.noFile}
            </p>
          )}
          <input
            class="kern-form-input__input lotse-file"
            type="file"
            ref={file}
            id="csv-datei"
            accept=".csv,text/csv"
            aria-invalid={missing ? true : undefined}
            aria-describedby={missing ? 'csv-datei-fehler' : undefined}
            onChange={() => setMissing(false)}
          />
        </div>
        <div class="kern-btn-wrapper lotse-buttons">
          <button class="kern-btn kern-btn--secondary" type="submit" disabled={busy !== null}>
            <span class="kern-label">{c.import}</span>
          </button>
          <button
            class="kern-btn kern-btn--secondary"
            type="button"
            disabled={busy !== null}
            onClick={() => void exportFile()}
          >
            <span class="kern-label">{c.export}</span>
          </button>
        </div>
      </form>
      <p role="status" class="kern-body">
        {busy ?? ''}
      </p>
      <SaidAlert said={said} />
      {lines.length > 0 && (
        <ul class="kern-list kern-list--bullet" aria-label={c.refused(lines.length)}>
          {lines.map((e, i) => (
            <li key={i}>{`${e.path}: ${importMessage(e.path, e.message)}`}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The column a line's error names ("Zeile 4, Beschäftigte"), to what its field says when wrong. */
const COLUMN_ERRORS: Record<string, string | undefined> = {
  Name: t.errors.name,
  Rechtsform: t.errors.legalForm,
  Registernummer: t.errors.registerNumber,
  'WZ 2008': t.errors.sector,
  Gemeindeschlüssel: t.importErrors.ags,
  Anschrift: t.errors.address,
  Beschäftigte: t.errors.employees,
  Betreuungsstufe: t.errors.careLevel,
  Ansprechperson: t.errors.contactName,
  Funktion: t.errors.role,
  'E-Mail': t.errors.email,
  Telefon: t.errors.phone,
};

/** The api's line messages in the web app's words where they are known; else what the column wants. */
export function importMessage(path: string, message: string): string {
  const m = t.importErrors;
  const known: [RegExp, (x: RegExpExecArray) => string][] = [
    [/^Keine Gemeinde hat den Schlüssel (\d+)/, (x) => m.municipality(x[1]!)],
    [/^Bitte „Schlüsselunternehmen“ oder „regulär“/, () => m.careLevel],
    [/^„(.+)“ ist schon eingetragen/, (x) => m.already(x[1]!)],
    [/^„(.+)“ steht zweimal in der Datei/, (x) => m.twice(x[1]!)],
    [/^Der Hauptstandort liegt nicht im Gebiet/, () => m.outside],
    [/^Die erste Zeile muss die Spaltenüberschriften/, () => m.header],
    [/^Die Datei ist keine lesbare CSV-Datei/, () => m.unreadable],
    [/^Das Feld ist leer/, () => m.empty],
  ];
  for (const [re, say] of known) {
    const x = re.exec(message);
    if (x) return say(x);
  }
  return COLUMN_ERRORS[path.split(', ')[1] ?? ''] ?? m.invalid;
}
