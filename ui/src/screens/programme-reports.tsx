import { useEffect, useRef, useState } from 'preact/hooks';
import { api, fieldsOf, problemDetail, useLoad, type Load } from '../api.js';
import { useConfirm } from '../confirm.js';
import { saveFile } from '../download.js';
import { dateTime, germanDay, parseGermanDay } from '../format.js';
import { Loaded, Scrollable } from '../parts.js';
import { SaidAlert, useSaid } from '../said.js';
import type { components } from '../schema.js';
import { de } from '../texts.js';
import type { Programme } from '../types.js';

type Reports = components['schemas']['Reports'];
type Report = Reports['items'][number];
type Kind = Report['files'][number]['kind'];

const t = de.figures.reports;

/**
 * Kennzahlen → Berichte: the programme's reports (the quarterly ones the schedule builds and
 * those a manager asked for), each as PDF and Excel file, and a report for any period on demand.
 */
export function ProgrammeReports({ programme: p }: { programme: Programme }) {
  const reports = useLoad(
    () => api.GET('/v1/programmes/{programme}/reports', { params: { path: { programme: p.id } } }),
    [p.id],
  );
  const [busy, setBusy] = useState<string | null>(null);
  const answer = useSaid();
  const download = async (r: Report, kind: Kind, name: string) => {
    answer.clear();
    setBusy(`${r.reportId}.${kind}`);
    const { data, error, response } = await api
      .GET('/v1/programmes/{programme}/reports/{reportId}/{kind}', {
        params: { path: { programme: p.id, reportId: r.reportId, kind } },
        parseAs: 'blob',
      })
      .finally(() => setBusy(null));
    if (!data) return answer.say(problemDetail(error, response.status), false);
    saveFile(data as unknown as Blob, name);
    answer.say(de.figures.programme.downloaded(name));
  };
  const id = `berichte-${p.id}`;
  return (
    <section aria-labelledby={id} class="lotse-reports">
      <h3 id={id} class="kern-heading-small">
        {t.title}
      </h3>
      <Loaded load={reports}>
        {(r) =>
          r.items.length === 0 ? (
            <p class="kern-body">{t.none}</p>
          ) : (
            <ReportTable programme={p} items={r.items} busy={busy} onDownload={download} />
          )
        }
      </Loaded>
      <div aria-live="polite">{busy && <p class="kern-body">{de.figures.programme.downloading}</p>}</div>
      <SaidAlert said={answer.said} />
      <BuildReport programme={p} reports={reports} />
    </section>
  );
}

/** "3. Quartal 2026 (01.07.2026 – 30.09.2026)"; a period that is no quarter is named by its days already. */
function periodOf(r: Report): string {
  const days = t.days(germanDay(r.from), germanDay(r.to));
  return r.title === days ? r.title : `${r.title} (${days})`;
}

const FILE_WORDS: Record<Kind, string> = { pdf: t.pdf, xlsx: t.xlsx };

function ReportTable(props: {
  programme: Programme;
  items: Report[];
  busy: string | null;
  onDownload: (r: Report, kind: Kind, name: string) => Promise<void>;
}) {
  const caption = t.caption(props.programme.title);
  return (
    <Scrollable label={caption}>
      <table class="kern-table kern-table--small">
        <caption class="kern-sr-only">{caption}</caption>
        <thead>
          <tr class="kern-table__row">
            {[t.period, t.builtAt, t.trigger, t.mailed, t.files].map((h) => (
              <th class="kern-table__header" scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {props.items.map((r) => (
            <tr class="kern-table__row" key={r.reportId}>
              <th class="kern-table__header lotse-wrap" scope="row">
                {periodOf(r)}
              </th>
              <td class="kern-table__cell">{dateTime(r.builtAt)}</td>
              <td class="kern-table__cell">{t.triggers[r.trigger] ?? r.trigger}</td>
              <td class="kern-table__cell">
                {r.mailed ? t.mailedTo(r.mailed.to, dateTime(r.mailed.at)) : t.notMailed}
              </td>
              <td class="kern-table__cell">
                <span class="lotse-file-buttons">
                  {r.files.map((f) => (
                    <button
                      key={f.kind}
                      class="kern-btn kern-btn--secondary kern-btn--small"
                      type="button"
                      aria-label={t.fileOf[f.kind](r.title)}
                      disabled={props.busy !== null}
                      onClick={() => void props.onDownload(r, f.kind, f.name)}
                    >
                      <span class="kern-label">{FILE_WORDS[f.kind]}</span>
                    </button>
                  ))}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scrollable>
  );
}

/** How long the form waits between asking the list again for the report it asked for: about a minute in all. */
const POLL_MS = [1000, 1500, 2000, 3000, 4000, 5000, 5000, 8000, 10_000, 10_000, 15_000];

type Field = 'from' | 'to';

/**
 * "Bericht erstellen": a period (both days in, as TT.MM.JJJJ) and whether it goes to the steering
 * group. The api builds it in the background: the form says so, asks the list again a few times,
 * each time waiting longer, and says when it is there. Each problem is said at its field.
 */
function BuildReport({ programme: p, reports }: { programme: Programme; reports: Load<Reports> }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [mail, setMail] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [building, setBuilding] = useState(false);
  const answer = useSaid();
  const gone = useRef(false);
  useEffect(() => () => void (gone.current = true), []);
  const form = useRef<HTMLFormElement>(null);
  const focusFirst = (wrong: Partial<Record<Field, string>>) => {
    const first = (['from', 'to'] as const).find((f) => wrong[f]);
    if (first) form.current?.querySelector<HTMLInputElement>(`#${fieldId(p, first)}`)?.focus();
  };

  const confirm = useConfirm();
  const submit = (ev: Event) => {
    ev.preventDefault();
    answer.clear();
    const first = parseGermanDay(from);
    const last = parseGermanDay(to);
    const wrong: Partial<Record<Field, string>> = {};
    if (!first) wrong.from = t.fromMissing;
    if (!last) wrong.to = t.toMissing;
    else if (first && last < first) wrong.to = t.toBeforeFrom;
    setProblems(wrong);
    if (!first || !last || wrong.to) return focusFirst(wrong);
    // A mail cannot be called back: asked first, naming who gets it.
    if (mail) confirm.ask(t.ask(p.steeringGroup), () => void build(first, last));
    else void build(first, last);
  };
  const build = async (first: string, last: string) => {
    setBuilding(true);
    const before = reports.data?.items.find((r) => r.reportId === `${first}_${last}`)?.builtAt;
    const { data, error, response } = await api.POST('/v1/programmes/{programme}/reports', {
      params: { path: { programme: p.id } },
      body: { from: first, to: last, mail },
    });
    if (!data) {
      setBuilding(false);
      const fields = fieldsOf(error).filter((f): f is Field => f === 'from' || f === 'to');
      if (response.status === 400 && fields.length > 0) {
        const refused = Object.fromEntries(fields.map((f) => [f, f === 'to' ? t.tooLong : t.invalid]));
        setProblems(refused);
        answer.say(t.refused, false);
        return;
      }
      return answer.say(problemDetail(error, response.status), false);
    }
    const listed = await waitForReport(p, data.reportId, before, () => gone.current);
    if (gone.current) return;
    setBuilding(false);
    if (!listed) return answer.note(t.slow(data.title));
    reports.set(listed);
    answer.say(mail ? t.builtAndMailed(data.title, p.steeringGroup) : t.built(data.title));
  };

  const id = `bericht-erstellen-${p.id}`;
  return (
    <section aria-labelledby={id}>
      <h4 id={id} class="kern-heading-small">
        {t.build}
      </h4>
      <p class="kern-hint">{t.buildHint}</p>
      {/* Checked here, with German messages at the fields, not by the browser's own bubbles. */}
      <form ref={form} noValidate onSubmit={submit}>
        <div class="lotse-filters">
          <DayField
            id={fieldId(p, 'from')}
            label={`${t.from} (${de.dayFormat})`}
            value={from}
            onInput={setFrom}
            problem={problems.from}
          />
          <DayField
            id={fieldId(p, 'to')}
            label={`${t.to} (${de.dayFormat})`}
            value={to}
            onInput={setTo}
            problem={problems.to}
          />
        </div>
        <div class="kern-form-check">
          <input
            class="kern-form-check__checkbox"
            type="checkbox"
            id={`bericht-senden-${p.id}`}
            checked={mail}
            onChange={(ev) => setMail((ev.target as HTMLInputElement).checked)}
          />
          <label class="kern-label" for={`bericht-senden-${p.id}`}>
            {t.mail(p.steeringGroup)}
          </label>
        </div>
        <button class="kern-btn kern-btn--primary lotse-build" type="submit" disabled={building}>
          <span class="kern-label">{t.send}</span>
        </button>
      </form>
      <div aria-live="polite">{building && <p class="kern-body">{t.building}</p>}</div>
      <SaidAlert said={answer.said} />
      {confirm.dialog}
    </section>
  );
}

const fieldId = (p: Programme, field: Field) => `bericht-${field}-${p.id}`;

/** A day typed as Germans write it, its problem tied to it. */
function DayField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  problem: string | undefined;
}) {
  const error = `${props.id}-fehler`;
  return (
    <div class={`kern-form-input${props.problem ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
      <input
        class={`kern-form-input__input${props.problem ? ' kern-form-input__input--error' : ''}`}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        id={props.id}
        value={props.value}
        onInput={(ev) => props.onInput((ev.target as HTMLInputElement).value)}
        aria-invalid={props.problem ? true : undefined}
        aria-describedby={props.problem ? error : undefined}
      />
      {props.problem && (
        <p class="kern-error" id={error}>
          {props.problem}
        </p>
      )}
    </div>
  );
}

/**
 * The list once it has the report asked for (built anew: another `builtAt` than before), asked a
 * few times with growing pauses; undefined when it has not come in about a minute, or the screen went.
 */
async function waitForReport(
  p: Programme,
  reportId: string,
  before: string | undefined,
  gone: () => boolean,
): Promise<Reports | undefined> {
  for (const wait of POLL_MS) {
    await new Promise((r) => setTimeout(r, wait));
    if (gone()) return undefined;
    const { data } = await api
      .GET('/v1/programmes/{programme}/reports', { params: { path: { programme: p.id } } })
      .catch(() => ({ data: undefined }));
    const report = data?.items.find((r) => r.reportId === reportId);
    if (data && report && report.builtAt !== before) return data;
  }
  return undefined;
}
