import type { ComponentChildren } from 'preact';
import { api, useLoad } from '../api.js';
import { count, decimal, quarterName } from '../format.js';
import { agencyShort } from '../names.js';
import { ErrorAlert, Scrollable } from '../parts.js';
import { de } from '../texts.js';

const t = de.figures.firms;

/**
 * Kennzahlen der Bestandspflege for the period of the address: visits per quarter and
 * agency, concerns per topic (opened, answered, median days), expansion projects by their
 * state. For staff and managers (GET /v1/firm-stats); tables with captions, German numbers.
 */
export function FirmFigures({ from, to }: { from: string; to: string }) {
  const stats = useLoad(
    () =>
      api.GET('/v1/firm-stats', {
        params: { query: Object.fromEntries(Object.entries({ from, to }).filter(([, v]) => v)) },
      }),
    [from, to],
  );
  const s = stats.data;
  return (
    <section aria-labelledby="bestandspflege" class="lotse-firm-figures">
      <h2 id="bestandspflege" class="kern-heading-medium">
        {t.title}
      </h2>
      {stats.error && <ErrorAlert detail={stats.error} />}
      {!s ? (
        !stats.error && (
          <p role="status" class="kern-body">
            {de.loading}
          </p>
        )
      ) : (
        <>
          <Table
            id="besuche-je-quartal"
            title={t.visits}
            heads={[t.quarterHead, t.agency]}
            numbers={[t.visitCount]}
            rows={s.visitsByQuarter.map((v) => [[quarterName(v.quarter), agencyShort(v.agency)], [count(v.visits)]])}
          />
          <Table
            id="anliegen-nach-thema"
            title={t.concerns}
            heads={[t.topic]}
            numbers={[t.opened, t.answered, t.medianDays]}
            rows={s.concernsByTopic.map((c) => [
              [de.firms.topics[c.topic] ?? c.topic],
              [count(c.opened), count(c.answered), c.medianDays === null ? '–' : decimal(c.medianDays)],
            ])}
          />
          <Table
            id="erweiterungsprojekte"
            title={t.expansions}
            heads={[t.state]}
            numbers={[t.projects, t.jobs, t.jobsSecured]}
            rows={s.expansions.map((x) => [
              [x.outcome === 'open' ? t.open : (de.outcomes[x.outcome] ?? x.outcome)],
              [count(x.projects), count(x.jobs), count(x.jobsSecured)],
            ])}
          />
        </>
      )}
    </section>
  );
}

function Table(props: {
  id: string;
  title: string;
  heads: string[];
  numbers: string[];
  rows: [ComponentChildren[], string[]][];
}) {
  return (
    <section aria-labelledby={props.id}>
      <h3 id={props.id} class="kern-heading-small">
        {props.title}
      </h3>
      {props.rows.length === 0 ? (
        <p class="kern-body">{de.figures.none}</p>
      ) : (
        <Scrollable label={props.title}>
          <table class="kern-table kern-table--small">
            <caption class="kern-sr-only">{props.title}</caption>
            <thead>
              <tr class="kern-table__row">
                {props.heads.map((h) => (
                  <th class="kern-table__header" scope="col" key={h}>
                    {h}
                  </th>
                ))}
                {props.numbers.map((h) => (
                  <th class="kern-table__header kern-table__header--numeric" scope="col" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {props.rows.map(([labels, values], i) => (
                <tr class="kern-table__row" key={i}>
                  {labels.map((l, j) =>
                    j === 0 ? (
                      <th class="kern-table__header" scope="row" key={j}>
                        {l}
                      </th>
                    ) : (
                      <td class="kern-table__cell" key={j}>
                        {l}
                      </td>
                    ),
                  )}
                  {values.map((v, j) => (
                    <td class="kern-table__cell kern-table__cell--numeric" key={`n${j}`}>
                      {v}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </Scrollable>
      )}
    </section>
  );
}
