import { control, divIcon, latLngBounds, map as leafletMap, marker, tileLayer, type Map as LeafletMap } from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { de } from './texts.js';

/**
 * The map itself, loaded by a dynamic import with the first map (Leaflet and its styles,
 * about 44 KiB with brotli), so that the first load of the web app does not grow.
 */

const t = de.map;

/**
 * One site on the map. `site`: a site of the registry (Flächen); `proposed`: it fits the enquiry;
 * `other`: it does not, and `status` says why. `preferred`: it lies in one of the enquiry's Wunschorte.
 */
export interface Pin {
  key: string;
  name: string;
  href: string;
  lat: number;
  lon: number;
  kind: 'site' | 'proposed' | 'other';
  /** In words, as the list says it: "IRL, 3.200 m²", "vorgeschlagen", "passt nicht: zu klein". */
  status: string;
  preferred?: boolean;
}

/** Where the tiles come from (LOTSE_MAP_TILES, /ui-config.json); no tiles: the markers alone. */
interface Tiles {
  url: string | null;
  attribution: string;
  attributionUrl?: string;
}

/** The api's answer, read as unknown: a missing or odd part means no tiles rather than a broken map. */
type Answer = { map?: { tiles?: unknown; attribution?: unknown; attributionUrl?: unknown } };
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

let tiles: Promise<Tiles> | undefined;
/** Asked once per page load: operators change it with a restart. */
function tilesOf(): Promise<Tiles> {
  tiles ??= fetch('/ui-config.json')
    .then((r) => (r.ok ? (r.json() as Promise<Answer>) : {}))
    .then(({ map: m = {} }: Answer) => ({
      url: text(m.tiles) ?? null,
      attribution: text(m.attribution) ?? '',
      attributionUrl: text(m.attributionUrl),
    }))
    .catch(() => ({ url: null, attribution: '' }));
  return tiles;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Leaflet writes attributions as HTML: the operator's text is escaped, its link an attribute. */
function credit(tiles: Tiles): string {
  const text = escape(tiles.attribution);
  return tiles.attributionUrl ? `<a href="${escape(tiles.attributionUrl)}">${text}</a>` : text;
}

/** A marker's name for the screen reader and its tooltip: the site, its status, a Wunschort. */
const named = (p: Pin) => `${p.name}: ${p.status}${p.preferred ? `; ${t.inPreferred}` : ''}`;

/** What a marker opens: the site's name as a link to its page, and its status. Text, never HTML. */
function popupOf(p: Pin): HTMLElement {
  const box = document.createElement('div');
  const link = Object.assign(document.createElement('a'), { className: 'kern-link', href: p.href });
  link.textContent = p.name;
  const status = document.createElement('p');
  status.textContent = p.preferred ? `${p.status}; ${t.inPreferred}` : p.status;
  box.append(link, status);
  return box;
}

function addPin(map: LeafletMap, p: Pin) {
  const kind = `lotse-pin lotse-pin--${p.kind}${p.preferred ? ' lotse-pin--preferred' : ''}`;
  const icon = divIcon({ className: kind, html: '', iconSize: [18, 18] });
  const m = marker([p.lat, p.lon], { icon, title: named(p), keyboard: true, riseOnHover: true });
  m.bindPopup(popupOf(p)).addTo(map);
  // Leaflet names a marker by its title only; a button's name belongs in aria-label too.
  m.getElement()?.setAttribute('aria-label', named(p));
  // Proposed sites above the greyed ones where they overlap.
  if (p.kind !== 'other') m.setZIndexOffset(1000);
}

/** Leaflet's own controls in German. */
function germanControls(map: LeafletMap) {
  control.zoom({ zoomInTitle: t.zoomIn, zoomOutTitle: t.zoomOut }).addTo(map);
  map.on('popupopen', (e) =>
    e.popup.getElement()?.querySelector('.leaflet-popup-close-button')?.setAttribute('aria-label', t.close),
  );
}

/** The map of `pins` in `box`, all of them in view; without tiles a plain ground under the markers. */
export async function drawMap(box: HTMLElement, pins: Pin[], label: string): Promise<{ destroy: () => void }> {
  const source = await tilesOf();
  // The page may have moved on while the configuration came.
  if (!box.isConnected) return { destroy: () => undefined };
  // Quarter steps of zoom: the sites fill the map rather than a corner of it (tiles scale between levels).
  const map = leafletMap(box, {
    zoomControl: false,
    scrollWheelZoom: false,
    attributionControl: false,
    zoomSnap: 0.25,
  });
  control.attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' }).addTo(map);
  germanControls(map);
  if (source.url) tileLayer(source.url, { maxZoom: 19, attribution: credit(source) }).addTo(map);
  // The view first: Leaflet makes a marker's element only on a map that has one.
  map.fitBounds(latLngBounds(pins.map((p) => [p.lat, p.lon])), { padding: [24, 24], maxZoom: 14 });
  for (const p of pins) addPin(map, p);
  // Leaflet makes the box focusable (arrow keys move the map); the region keeps its name.
  box.setAttribute('aria-label', label);
  return { destroy: () => map.remove() };
}
