// The offline basemap shared by every map of the app (the main map, the event page's and the roundup's small
// maps): countries (world-atlas 110m) and US states (us-atlas 10m) drawn from GeoJSON converted in the browser,
// and place names from our own gazetteer (place-labels.json, written beside the built app by
// src/serve/build.ts). The style references no URL at all: no tiles, glyphs or sprites, so no symbol layers;
// place names are HTML markers, each on an opaque chip so that it reads on land and water alike.
import * as maplibregl from 'maplibre-gl';
import type { Map as MlMap, StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import type { FeatureCollection } from 'geojson';
import countriesUrl from 'world-atlas/countries-110m.json?url';
import statesUrl from 'us-atlas/states-10m.json?url';

maplibregl.setWorkerUrl(workerUrl);
// start the worker (fetched from this origin) while the basemap downloads
maplibregl.prewarm();

export { maplibregl };

export const COLORS = { water: '#c6d9e6', land: '#f4f1ea', border: '#8a857b', state: '#b3ada2', occurred: '#b3261e', planned: '#1f4e9c', mixed: '#3d3d3d' };

async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`basemap: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/**
 * world-atlas keeps rings that cross the antimeridian in plain longitude (179 then -179), which a flat
 * renderer draws as a line around the world. Unwrap each ring so consecutive points stay within 180 degrees,
 * and drop Antarctica, whose ring goes around the pole.
 */
function unwrapRings(fc: FeatureCollection): FeatureCollection {
  const unwrap = (ring: number[][]) => {
    let prev = ring[0]?.[0] ?? 0;
    return ring.map(([lon, lat]) => {
      let x = lon;
      while (x - prev > 180) x -= 360;
      while (x - prev < -180) x += 360;
      prev = x;
      return [x, lat];
    });
  };
  const features = fc.features
    .filter((f) => f.id !== '010' && (f.properties as { name?: string } | null)?.name !== 'Antarctica')
    .map((f) => {
      const g = f.geometry;
      if (g?.type === 'Polygon') return { ...f, geometry: { ...g, coordinates: g.coordinates.map(unwrap) } };
      if (g?.type === 'MultiPolygon') return { ...f, geometry: { ...g, coordinates: g.coordinates.map((p) => p.map(unwrap)) } };
      return f;
    });
  return { ...fc, features };
}

export interface Basemap {
  countries: FeatureCollection;
  states: FeatureCollection;
}

let basemap: Promise<Basemap> | null = null;

/** The basemap's GeoJSON, fetched and converted once per page however many maps are drawn. */
export function loadBasemap(): Promise<Basemap> {
  basemap ??= Promise.all([fetchJson<Topology>(countriesUrl), fetchJson<Topology>(statesUrl)]).then(([c, s]) => ({
    countries: unwrapRings(feature(c, c.objects.countries) as FeatureCollection),
    states: feature(s, s.objects.states) as FeatureCollection,
  }));
  basemap.catch(() => (basemap = null));
  return basemap;
}

/** A style of the basemap alone; callers add their sources and layers. */
export function baseStyle(b: Basemap): StyleSpecification {
  return {
    version: 8,
    sources: {
      // the basemap is coarse (110m countries, 10m states) and drawn up to zoom 12: tiling it to zoom 8 and
      // simplifying a little more than the default makes the first frame cheaper
      countries: { type: 'geojson', data: b.countries, maxzoom: 8, tolerance: 0.6 },
      states: { type: 'geojson', data: b.states, maxzoom: 8, tolerance: 0.6 },
    },
    layers: [
      { id: 'water', type: 'background', paint: { 'background-color': COLORS.water } },
      { id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': COLORS.land } },
      { id: 'state-lines', type: 'line', source: 'states', paint: { 'line-color': COLORS.state, 'line-width': 0.6 } },
      { id: 'country-lines', type: 'line', source: 'countries', paint: { 'line-color': COLORS.border, 'line-width': 0.8 } },
    ],
  };
}

// ---- place names -------------------------------------------------------------------------------------------

/** [name, lon, lat, population], largest first. */
type LabelRow = [string, number, number, number];

let labelRows: Promise<LabelRow[]> | null = null;

function loadLabels(): Promise<LabelRow[]> {
  labelRows ??= fetch('/place-labels.json')
    .then((r) => (r.ok ? (r.json() as Promise<{ rows: LabelRow[] }>) : { rows: [] }))
    .then((j) => (Array.isArray(j.rows) ? j.rows : []))
    .catch(() => []);
  return labelRows;
}

/** Smallest population named at a zoom: the biggest cities from afar, towns of 15,000 from zoom 8 in. */
export function minPopulationAt(zoom: number): number {
  if (zoom < 3.5) return 3_000_000;
  if (zoom < 4.5) return 1_000_000;
  if (zoom < 5.5) return 400_000;
  if (zoom < 6.5) return 150_000;
  if (zoom < 7.5) return 60_000;
  if (zoom < 8.5) return 25_000;
  return 0;
}

/** At most this many names at once: a label per town of a dense county would hide the events. */
const MAX_LABELS = 60;

/**
 * Shows place names on a map as it settles: the largest places in view whose label does not overlap one
 * already placed, fewer as the map zooms out. The markers are aria-hidden (the map is described in text
 * elsewhere) and let clicks through to the events under them.
 */
export function addPlaceLabels(map: MlMap, avoid: () => { x: number; y: number; r: number }[] = () => []): () => void {
  const shown = new Map<string, maplibregl.Marker>();
  let rows: LabelRow[] = [];
  let disposed = false;
  const update = () => {
    if (disposed) return;
    const zoom = map.getZoom();
    const min = minPopulationAt(zoom);
    const canvas = map.getCanvas();
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    // the events drawn (circles) are kept clear of names: a name is context, an event is the news. A town with
    // an event on it has its name just under the circle.
    const circles = avoid().map((c) => ({ ...c, l: c.x - c.r, t: c.y - c.r, r2: c.x + c.r, b: c.y + c.r }));
    const placed: { l: number; t: number; r: number; b: number }[] = circles.map((c) => ({ l: c.l, t: c.t, r: c.r2, b: c.b }));
    const keep = new Set<string>();
    for (const [name, lon, lat, pop] of rows) {
      if (pop < min) break;
      if (keep.size >= MAX_LABELS) break;
      const p = map.project([lon, lat]);
      if (p.x < 0 || p.y < 0 || p.x > w || p.y > h) continue;
      const host = circles.find((c) => (c.x - p.x) ** 2 + (c.y - p.y) ** 2 <= (c.r * 0.6) ** 2);
      const dy = host ? Math.round(host.y - p.y + host.r + 2) : 4;
      // the chip is drawn centred under the place: about 7 px a character at 12 px, plus padding
      const half = (name.length * 7 + 10) / 2;
      const box = { l: p.x - half - 4, t: p.y + dy - 2, r: p.x + half + 4, b: p.y + dy + 20 };
      if (box.r > w || box.l < 0 || box.b > h) continue;
      const hostBox = host ? placed[circles.indexOf(host)] : null;
      if (placed.some((o) => o !== hostBox && o.l < box.r && box.l < o.r && o.t < box.b && box.t < o.b)) continue;
      placed.push(box);
      const key = `${name}|${lon}|${lat}`;
      keep.add(key);
      const had = shown.get(key);
      if (had) had.setOffset([0, dy]);
      else {
        const el = document.createElement('div');
        el.className = 'place-label';
        el.setAttribute('aria-hidden', 'true');
        el.textContent = name;
        shown.set(key, new maplibregl.Marker({ element: el, anchor: 'top', offset: [0, dy] }).setLngLat([lon, lat]).addTo(map));
      }
    }
    for (const [key, m] of shown) {
      if (!keep.has(key)) {
        m.remove();
        shown.delete(key);
      }
    }
    map.getContainer().dataset.placeLabels = String(shown.size);
  };
  void loadLabels().then((r) => {
    rows = r;
    if (map.loaded()) update();
  });
  // after every settled render: a move, a zoom, new events drawn
  map.on('idle', update);
  return () => {
    disposed = true;
    map.off('idle', update);
    for (const m of shown.values()) m.remove();
    shown.clear();
  };
}
