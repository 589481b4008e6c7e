import { BarController, BarElement, CategoryScale, Chart, LinearScale } from 'chart.js';

/**
 * Chart.js with only what a bar chart needs (tree-shaken), loaded by the Kennzahlen screen
 * alone (a dynamic import): the first load of the web app stays as small as it was. Chart.js
 * draws on a canvas and injects no stylesheet, so a strict Content-Security-Policy holds.
 */
Chart.register(BarController, BarElement, CategoryScale, LinearScale);

/** KERN's tokens where the page defines them; the chart follows the design system's colours and font. */
function token(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export type Drawn = { destroy: () => void };

/**
 * Bars of whole numbers, one per label, without animation (it would distract and cost); `max`
 * tops the axis where charts are compared side by side (the same scale for each).
 */
export function drawBars(canvas: HTMLCanvasElement, labels: string[], values: number[], max?: number): Drawn {
  Chart.defaults.font.family = token('--kern-typography-font-family-default', 'Fira Sans');
  Chart.defaults.color = token('--kern-color-layout-text-default', '#131525');
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ data: values, backgroundColor: token('--kern-color-action-default', '#004b87') }] },
    options: {
      locale: 'de-DE',
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      // Nothing to hover for: the numbers stand in the table beside.
      events: [],
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 }, ...(max ? { suggestedMax: max } : {}) } },
    },
  });
}
