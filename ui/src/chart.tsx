import { useEffect, useRef } from 'preact/hooks';
import { count } from './format.js';
import { Scrollable } from './parts.js';
import { de } from './texts.js';

/**
 * Figures as bars beside their table (Kennzahlen): the chart for the eye, the table for everyone
 * and for screen readers, so nothing is said by length or colour alone. The canvas is an image
 * that names itself and points to the table; the chart library comes with the first chart.
 */
export function BarsAndTable(props: {
  id: string;
  title: string;
  what: string;
  rows: [string, number][];
  /** The heading's level under the screen's: 2 (a section of Kennzahlen), 3 or 4 inside one. */
  level?: 2 | 3 | 4;
  /** The axis's top, shared by charts that are read side by side; else the highest bar's. */
  max?: number;
  /** What the table's caption says, where the heading alone does not ("Torgau: Anfragen je Quartal"). */
  caption?: string;
}) {
  const { id, title, what, rows, level = 2, max } = props;
  const Heading = (['h2', 'h3', 'h4'] as const)[level - 2]!;
  const canvas = useRef<HTMLCanvasElement>(null);
  const key = JSON.stringify(rows);
  useEffect(() => {
    if (rows.length === 0) return;
    let drawn: { destroy: () => void } | undefined;
    let gone = false;
    void import('./bar-chart.js').then(({ drawBars }) => {
      if (gone || !canvas.current) return;
      drawn = drawBars(
        canvas.current,
        rows.map(([label]) => label),
        rows.map(([, n]) => n),
        max,
      );
    });
    return () => {
      gone = true;
      drawn?.destroy();
    };
  }, [key, max]);
  return (
    <section aria-labelledby={id}>
      <Heading id={id} class={level === 2 ? 'kern-heading-medium' : 'kern-heading-small'}>
        {title}
      </Heading>
      {rows.length === 0 ? (
        <p class="kern-body">{de.figures.none}</p>
      ) : (
        <div class="lotse-chart-pair">
          <div class="lotse-chart">
            <canvas ref={canvas} role="img" aria-label={de.figures.chart(props.caption ?? title)} />
          </div>
          <Scrollable label={props.caption ?? title}>
            <table class="kern-table kern-table--small lotse-narrow">
              <caption class="kern-sr-only">{props.caption ?? title}</caption>
              <thead>
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="col">
                    {what}
                  </th>
                  <th class="kern-table__header kern-table__header--numeric" scope="col">
                    {de.figures.count}
                  </th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {rows.map(([label, n]) => (
                  <tr class="kern-table__row" key={label}>
                    <th class="kern-table__header" scope="row">
                      {label}
                    </th>
                    <td class="kern-table__cell kern-table__cell--numeric">{count(n)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scrollable>
        </div>
      )}
    </section>
  );
}
