// maplibre-gl with an offline basemap: countries (world-atlas 110m) and US states (us-atlas 10m) drawn from
// GeoJSON converted in the browser. The style references no URL at all: no tiles, glyphs or sprites, so no
// text layers either; cluster counts are HTML markers. Popups are built from DOM nodes and text only.
import * as maplibregl from 'maplibre-gl';
import type { GeoJSONSource, LngLatBoundsLike, Map as MlMap, MapLayerMouseEvent } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import type { FeatureCollection, Point } from 'geojson';
import countriesUrl from 'world-atlas/countries-110m.json?url';
import statesUrl from 'us-atlas/states-10m.json?url';
import type { PointsResponse } from './api.ts';
import { longDate, placeLabel, sizeText } from './format.ts';
import { onLinkClick } from './router.ts';

maplibregl.setWorkerUrl(workerUrl);

export const COLORS = { water: '#c6d9e6', land: '#f4f1ea', border: '#8a857b', state: '#b3ada2', occurred: '#b3261e', planned: '#1f4e9c', mixed: '#3d3d3d' };

const VIEWS: Record<'us' | 'world', LngLatBoundsLike> = {
  us: [
    [-125, 24],
    [-66.5, 49.5],
  ],
  world: [
    [-170, -50],
    [190, 75],
  ],
};

export interface EventMap {
  setPoints(p: PointsResponse, key: string): void;
  zoomTo(view: 'us' | 'world'): void;
  destroy(): void;
}

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

type Props = { id: string; status: string; size: number | null; locality: string | null; region: string | null; date: string | null };

function toGeoJson(p: PointsResponse): FeatureCollection<Point, Props> {
  const at = (name: string) => p.fields.indexOf(name);
  const [iId, iLon, iLat, iDate, iStatus, iSize, iLoc, iRegion] = ['id', 'lon', 'lat', 'date', 'status', 'size', 'locality', 'region'].map(at);
  const features: FeatureCollection<Point, Props>['features'] = [];
  for (const r of p.rows) {
    const lon = Number(r[iLon]);
    const lat = Number(r[iLat]);
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    const size = r[iSize] == null ? null : Number(r[iSize]);
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: {
        id: String(r[iId]),
        status: r[iStatus] === 'planned' ? 'planned' : 'occurred',
        size: Number.isFinite(size) ? size : null,
        locality: r[iLoc] == null ? null : String(r[iLoc]),
        region: r[iRegion] == null ? null : String(r[iRegion]),
        date: r[iDate] == null ? null : String(r[iDate]),
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

function popupContent(p: Props): HTMLElement {
  const root = document.createElement('div');
  root.className = 'popup';
  const title = document.createElement('p');
  title.className = 'popup-title';
  title.textContent = placeLabel(p.locality, p.region, null);
  const meta = document.createElement('p');
  meta.textContent = `${longDate(p.date)} · ${p.status === 'planned' ? 'Planned' : 'Occurred'} · ${p.size == null ? 'size not reported' : `about ${sizeText(null, p.size, p.size)}`}`;
  const link = document.createElement('a');
  link.href = `/event/${encodeURIComponent(p.id)}`;
  link.textContent = 'Event page and sources';
  link.addEventListener('click', onLinkClick);
  root.append(title, meta, link);
  return root;
}

export async function createEventMap(container: HTMLElement): Promise<EventMap> {
  const [countriesTopo, statesTopo] = await Promise.all([fetchJson<Topology>(countriesUrl), fetchJson<Topology>(statesUrl)]);
  const countries = unwrapRings(feature(countriesTopo, countriesTopo.objects.countries) as FeatureCollection);
  const states = feature(statesTopo, statesTopo.objects.states) as FeatureCollection;

  const map: MlMap = new maplibregl.Map({
    container,
    bounds: VIEWS.us,
    fitBoundsOptions: { padding: 10 },
    renderWorldCopies: false,
    attributionControl: { compact: true, customAttribution: 'Natural Earth · US Census Bureau' },
    maxZoom: 12,
    style: {
      version: 8,
      sources: {
        countries: { type: 'geojson', data: countries },
        states: { type: 'geojson', data: states },
        events: {
          type: 'geojson',
          data: { type: 'FeatureCollection', features: [] },
          cluster: true,
          clusterRadius: 40,
          clusterMaxZoom: 9,
          clusterProperties: {
            planned: ['+', ['case', ['==', ['get', 'status'], 'planned'], 1, 0]],
          },
        },
      },
      layers: [
        { id: 'water', type: 'background', paint: { 'background-color': COLORS.water } },
        { id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': COLORS.land } },
        { id: 'state-lines', type: 'line', source: 'states', paint: { 'line-color': COLORS.state, 'line-width': 0.6 } },
        { id: 'country-lines', type: 'line', source: 'countries', paint: { 'line-color': COLORS.border, 'line-width': 0.8 } },
        {
          id: 'clusters',
          type: 'circle',
          source: 'events',
          filter: ['has', 'point_count'],
          paint: {
            'circle-color': ['case', ['==', ['get', 'planned'], 0], COLORS.occurred, ['==', ['get', 'planned'], ['get', 'point_count']], COLORS.planned, COLORS.mixed],
            'circle-radius': ['step', ['get', 'point_count'], 13, 10, 16, 100, 21, 1000, 27],
            'circle-stroke-color': '#ffffff',
            'circle-stroke-width': 2,
            'circle-opacity': 0.92,
          },
        },
        {
          id: 'points',
          type: 'circle',
          source: 'events',
          filter: ['!', ['has', 'point_count']],
          paint: {
            'circle-color': ['match', ['get', 'status'], 'planned', COLORS.planned, COLORS.occurred],
            // area grows with the crowd: radius by the square root of the size
            'circle-radius': ['interpolate', ['linear'], ['sqrt', ['max', ['coalesce', ['get', 'size'], 0], 0]], 0, 5, 10, 7, 31.6, 10, 100, 15, 316, 24],
            'circle-stroke-color': '#ffffff',
            'circle-stroke-width': 1.5,
            'circle-opacity': 0.9,
          },
        },
      ],
    },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');

  await new Promise<void>((resolve, reject) => {
    map.once('load', () => resolve());
    map.once('error', (e) => reject(e.error ?? new Error('map error')));
  });

  // Cluster counts as HTML markers (no glyphs needed).
  const markers = new Map<number, maplibregl.Marker>();
  const updateMarkers = () => {
    const seen = new Set<number>();
    for (const f of map.queryRenderedFeatures({ layers: ['clusters'] })) {
      const props = f.properties as { cluster_id: number; point_count: number };
      const id = props.cluster_id;
      if (seen.has(id)) continue;
      seen.add(id);
      let m = markers.get(id);
      if (!m) {
        const el = document.createElement('div');
        el.className = 'cluster-count';
        el.setAttribute('aria-hidden', 'true');
        el.textContent = props.point_count >= 1000 ? `${Math.round(props.point_count / 100) / 10}k` : String(props.point_count);
        m = new maplibregl.Marker({ element: el }).setLngLat((f.geometry as Point).coordinates as [number, number]);
        markers.set(id, m);
      }
      m.addTo(map);
    }
    for (const [id, m] of markers) {
      if (!seen.has(id)) {
        m.remove();
        markers.delete(id);
      }
    }
  };
  const resetMarkers = () => {
    for (const m of markers.values()) m.remove();
    markers.clear();
  };
  // after every settled render: only the clusters drawn at the current zoom get a count
  map.on('idle', updateMarkers);

  const popup = new maplibregl.Popup({ closeButton: true, maxWidth: '260px', focusAfterOpen: true });
  map.on('click', 'points', (e: MapLayerMouseEvent) => {
    const f = e.features?.[0];
    if (!f) return;
    popup
      .setLngLat((f.geometry as Point).coordinates as [number, number])
      .setDOMContent(popupContent(f.properties as Props))
      .addTo(map);
  });
  map.on('click', 'clusters', async (e: MapLayerMouseEvent) => {
    const f = e.features?.[0];
    if (!f) return;
    const src = map.getSource('events') as GeoJSONSource;
    const zoom = await src.getClusterExpansionZoom((f.properties as { cluster_id: number }).cluster_id);
    map.easeTo({ center: (f.geometry as Point).coordinates as [number, number], zoom });
  });
  for (const layer of ['points', 'clusters']) {
    map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
  }

  let lastKey: string | null = null;
  return {
    setPoints(p, key) {
      const data = toGeoJson(p);
      popup.remove();
      resetMarkers();
      container.removeAttribute('data-rendered');
      container.dataset.points = String(data.features.length);
      (map.getSource('events') as GeoJSONSource).setData(data);
      // for tests and benchmarks: the new points are drawn once the map is idle
      map.once('idle', () => container.setAttribute('data-rendered', 'true'));
      if (key !== lastKey) {
        lastKey = key;
        if (data.features.length > 0) {
          const b = new maplibregl.LngLatBounds();
          for (const f of data.features) b.extend(f.geometry.coordinates as [number, number]);
          map.fitBounds(b, { padding: 40, maxZoom: 8, duration: 0 });
        }
      }
    },
    zoomTo(view) {
      map.fitBounds(VIEWS[view], { padding: 10 });
    },
    destroy() {
      resetMarkers();
      map.remove();
    },
  };
}
