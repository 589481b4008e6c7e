import { useEffect, useRef } from 'preact/hooks';
import { de } from './texts.js';
import type { Pin } from './site-map-draw.js';
import './site-map.css';

export type { Pin };

const t = de.map;

/** A site as the registry answers it: with its coordinates when someone gave them. */
export interface Placed {
  lat?: number;
  lon?: number;
}

export const isPlaced = <T extends Placed>(s: T): s is T & { lat: number; lon: number } =>
  typeof s.lat === 'number' && typeof s.lon === 'number';

/**
 * The sites on a map (Leaflet, loaded with the first map, docs/ui.md), beside the list that
 * says the same for everyone: a labelled region, a legend in words (shapes, not colour alone),
 * a focusable marker per site with its name and status, and how many sites have no place.
 * `skipTo`: the id of the list, which a keyboard user reaches without passing every marker.
 */
export function SiteMap(props: { label: string; pins: Pin[]; unplaced: number; skipTo: string }) {
  const { label, pins, unplaced, skipTo } = props;
  const box = useRef<HTMLDivElement>(null);
  const key = JSON.stringify(pins);
  useEffect(() => {
    if (pins.length === 0) return;
    let drawn: { destroy: () => void } | undefined;
    let gone = false;
    void import('./site-map-draw.js').then(async ({ drawMap }) => {
      const map = await drawMap(box.current!, pins, label);
      if (gone) map.destroy();
      else drawn = map;
    });
    return () => {
      gone = true;
      drawn?.destroy();
    };
  }, [key, label]);
  if (pins.length === 0 && unplaced === 0) return null;
  return (
    <div class="lotse-map-frame lotse-no-print">
      {pins.length > 0 && (
        <>
          <a class="kern-link lotse-map-skip" href={`#${skipTo}`} onClick={skip(skipTo)}>
            {t.skip}
          </a>
          <div class="lotse-map" ref={box} role="region" aria-label={label} />
          <Legend pins={pins} />
        </>
      )}
      {unplaced > 0 && <p class="kern-body kern-body--small">{t.unplaced(unplaced)}</p>}
    </div>
  );
}

/** To the list, without a hash in the address (the router would take it for another page). */
const skip = (id: string) => (ev: Event) => {
  ev.preventDefault();
  document.getElementById(id)?.focus();
};

/** What each shape means, in words: only the kinds this map shows. */
function Legend({ pins }: { pins: Pin[] }) {
  const kinds = (['site', 'proposed', 'other'] as const).filter((k) => pins.some((p) => p.kind === k));
  return (
    <ul class="lotse-map-legend kern-body kern-body--small" aria-label={t.legend}>
      {kinds.map((k) => (
        <li key={k}>
          <span class={`lotse-pin lotse-pin--${k}`} aria-hidden="true" />
          {t.kinds[k]}
        </li>
      ))}
      {pins.some((p) => p.preferred) && (
        <li>
          <span class="lotse-pin lotse-pin--preferred lotse-pin--ring" aria-hidden="true" />
          {t.preferred}
        </li>
      )}
      <li>{t.sameAsList}</li>
    </ul>
  );
}
