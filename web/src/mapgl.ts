// maplibre-gl with an offline basemap: countries (world-atlas 110m) and US states (us-atlas 10m) drawn from
// GeoJSON converted in the browser. The style references no URL at all: no tiles, glyphs or sprites, so no
// text layers either; cluster counts are HTML markers. Popups are built from DOM nodes and text only.
// The main map: events on the offline basemap (basemap.ts), clustered by place, with place names as you zoom
// in. Cluster counts are HTML markers (no glyphs needed). Popups are built from DOM nodes and text only.
import type { GeoJSONSource, LngLatBoundsLike, Map as MlMap, MapLayerMouseEvent } from 'maplibre-gl';
import type { FeatureCollection, Point } from 'geojson';
import { api, isAbort, type EventRecord, type PointsResponse, type Status } from './api.ts';
import { addPlaceLabels, baseStyle, COLORS, loadBasemap, maplibregl } from './basemap.ts';
import { eventDate, placeLabel, reviewBadge, sizePlain } from './format.ts';
import { onLinkClick } from './router.ts';

export { COLORS };

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

/** window.__turnoutMap, set only on a page opened with ?test-hooks (browser tests). */
export interface MapTestHooks {
  /** viewport coordinates (CSS px) of a place */
  project(lon: number, lat: number): [number, number];
  /** resolves once the map is loaded and not moving */
  whenIdle(): Promise<void>;
  /** moves the map at once to a centre and zoom, and resolves once it has settled */
  jumpTo(lon: number, lat: number, zoom: number): Promise<void>;
}

export interface EventMap {
  setPoints(p: PointsResponse, key: string): void;
  /** which statuses are drawn (the legend's toggles) */
  setVisible(visible: Record<Status, boolean>): void;
  zoomTo(view: 'us' | 'world'): void;
  destroy(): void;
}

/**
 * The map's features: one per place (events sharing exact coordinates, as events geocoded to the same town do).
 * A hundred thousand events fall on a few thousand places, so maplibre's worker clusters places, not events:
 * `n` counts the events at a place (summed over a cluster), `planned` the planned ones, and `size` is the
 * largest crowd. A popup reads the place's events from /api/events when it opens. `lon` and `lat` keep the
 * place's exact position: the geometry of a rendered feature is rounded to its tile's grid (some 30 m at zoom 7),
 * too coarse to find the place's events by.
 */
type SiteProps = { n: number; planned: number; status: 'occurred' | 'planned'; size: number; lon: number; lat: number };

function toSites(p: PointsResponse, visible: Record<Status, boolean>): { data: FeatureCollection<Point, SiteProps>; events: number } {
  const at = (name: string) => p.fields.indexOf(name);
  const [iLon, iLat, iStatus, iSize] = ['lon', 'lat', 'status', 'size'].map(at);
  const bySpot = new Map<string, SiteProps>();
  const features: FeatureCollection<Point, SiteProps>['features'] = [];
  let events = 0;
  for (const r of p.rows) {
    const lon = Number(r[iLon]);
    const lat = Number(r[iLat]);
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    if (!visible[r[iStatus] === 'planned' ? 'planned' : 'occurred']) continue;
    const key = `${lon},${lat}`;
    let props = bySpot.get(key);
    if (!props) {
      props = { n: 0, planned: 0, status: 'occurred', size: 0, lon, lat };
      bySpot.set(key, props);
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: props });
    }
    props.n++;
    if (r[iStatus] === 'planned') props.planned++;
    props.status = props.planned === props.n ? 'planned' : 'occurred';
    const size = r[iSize] == null ? NaN : Number(r[iSize]);
    if (size > props.size) props.size = size;
    events++;
  }
  return { data: { type: 'FeatureCollection', features }, events };
}

/** Events listed in the popup of a place with several: the API's first page for that spot. */
const POPUP_LIST = 8;

function eventMeta(e: EventRecord): string {
  const size = sizePlain(e) ?? 'size not reported';
  const badge = reviewBadge(e.review_status);
  return `${eventDate(e.date, e.date_precision)} · ${e.status === 'planned' ? 'Planned' : 'Occurred'} · ${size}${badge ? ` · ${badge}` : ''}`;
}

function eventLink(e: EventRecord, text: string): HTMLAnchorElement {
  const link = document.createElement('a');
  link.href = `/event/${encodeURIComponent(e.id)}`;
  link.textContent = text;
  link.addEventListener('click', onLinkClick);
  return link;
}

function para(text: string, className?: string): HTMLParagraphElement {
  const p = document.createElement('p');
  if (className) p.className = className;
  p.textContent = text;
  return p;
}

/** Fills a popup with the events at one spot (under the map's filters), read from the API. */
async function fillPopup(root: HTMLElement, [lon, lat]: [number, number], filters: string, signal: AbortSignal): Promise<void> {
  const params = new URLSearchParams(filters);
  // the exact point, widened by about a decimetre against rounding in the JSON
  const d = 1e-6;
  params.set('bbox', [lon - d, lat - d, lon + d, lat + d].map((v) => v.toFixed(7)).join(','));
  params.set('limit', String(POPUP_LIST));
  let page;
  try {
    page = await api.events(params, signal);
  } catch (e) {
    if (!isAbort(e)) root.replaceChildren(para('The events here could not be loaded.'));
    return;
  }
  const first = page.events[0];
  if (!first) {
    root.replaceChildren(para('No events here.'));
    return;
  }
  const title = para(placeLabel(first.locality, first.region, null), 'popup-title');
  if (page.total === 1) {
    root.replaceChildren(title, para(eventMeta(first)), eventLink(first, 'Event page and sources'));
    return;
  }
  const list = document.createElement('ul');
  list.className = 'popup-list';
  for (const e of page.events) {
    const li = document.createElement('li');
    li.append(eventLink(e, eventMeta(e)));
    list.append(li);
  }
  root.replaceChildren(title, para(`${page.total.toLocaleString('en-US')} events here`), list);
  if (page.total > page.events.length) root.append(para(`and ${(page.total - page.events.length).toLocaleString('en-US')} more: the list has every event`));
}

export async function createEventMap(container: HTMLElement): Promise<EventMap> {
  const base = await loadBasemap();
  const style = baseStyle(base);
  style.sources.events = {
    type: 'geojson',
    data: { type: 'FeatureCollection', features: [] },
    cluster: true,
    clusterRadius: 40,
    clusterMaxZoom: 9,
    // clusters of places: events and planned events summed; plain sums, no per-point expression
    clusterProperties: { n: ['+', ['get', 'n']], planned: ['+', ['get', 'planned']] },
  };
  style.layers.push(
    {
      id: 'clusters',
      type: 'circle',
      source: 'events',
      // a cluster, or a place with several events: a count
      filter: ['>', ['get', 'n'], 1],
      paint: {
        'circle-color': ['case', ['==', ['get', 'planned'], 0], COLORS.occurred, ['==', ['get', 'planned'], ['get', 'n']], COLORS.planned, COLORS.mixed],
        'circle-radius': ['step', ['get', 'n'], 15, 10, 18, 100, 22, 1000, 28],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
        'circle-opacity': 0.92,
      },
    },
    {
      id: 'points',
      type: 'circle',
      source: 'events',
      // a place with one event: coloured by its status, sized by its crowd
      filter: ['==', ['get', 'n'], 1],
      paint: {
        'circle-color': ['match', ['get', 'status'], 'planned', COLORS.planned, COLORS.occurred],
        // area grows with the crowd: radius by the square root of the size
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['max', ['coalesce', ['get', 'size'], 0], 0]], 0, 5, 10, 7, 31.6, 10, 100, 15, 316, 24],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
        'circle-opacity': 0.9,
      },
    },
  );

  const map: MlMap = new maplibregl.Map({
    container,
    bounds: VIEWS.us,
    fitBoundsOptions: { padding: 10 },
    renderWorldCopies: false,
    attributionControl: { compact: true, customAttribution: 'Natural Earth · US Census Bureau · GeoNames' },
    maxZoom: 12,
    style,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  const removeLabels = addPlaceLabels(map, () =>
    map.queryRenderedFeatures({ layers: ['clusters', 'points'] }).map((f) => {
      const p = map.project((f.geometry as Point).coordinates as [number, number]);
      const n = Number((f.properties as { n?: number }).n ?? 1);
      return { x: p.x, y: p.y, r: n > 1 ? 22 : 10 };
    }),
  );

  // Once the style is parsed the sources exist: points set from here on are processed with the basemap, in
  // the same first frames, rather than after it has been drawn.
  await new Promise<void>((resolve, reject) => {
    const fail = (e: { error?: unknown }) => reject(e.error ?? new Error('map error'));
    map.once('error', fail);
    map.once('style.load', () => {
      map.off('error', fail);
      resolve();
    });
  });

  // Cluster counts as HTML markers (no glyphs needed).
  const markers = new Map<string, maplibregl.Marker>();
  const updateMarkers = () => {
    const seen = new Set<string>();
    for (const f of map.queryRenderedFeatures({ layers: ['clusters'] })) {
      const props = f.properties as { cluster_id?: number; n: number };
      const at = (f.geometry as Point).coordinates as [number, number];
      const id = props.cluster_id != null ? `c${props.cluster_id}` : `p${at[0]},${at[1]}`;
      if (seen.has(id)) continue;
      seen.add(id);
      let m = markers.get(id);
      if (!m) {
        const el = document.createElement('div');
        el.className = 'cluster-count';
        el.setAttribute('aria-hidden', 'true');
        el.textContent = props.n >= 1000 ? `${Math.round(props.n / 100) / 10}k` : String(props.n);
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
  let filters = '';
  let popupCtl: AbortController | null = null;
  popup.on('close', () => popupCtl?.abort());
  const openPlace = (f: { geometry: unknown; properties: unknown }) => {
    const exact = f.properties as Partial<SiteProps>;
    const at: [number, number] = typeof exact.lon === 'number' && typeof exact.lat === 'number' ? [exact.lon, exact.lat] : ((f.geometry as Point).coordinates as [number, number]);
    popupCtl?.abort();
    const ctl = new AbortController();
    const root = document.createElement('div');
    root.className = 'popup';
    root.append(para('Loading…'));
    popup.setLngLat(at).setDOMContent(root).addTo(map);
    popupCtl = ctl;
    void fillPopup(root, at, filters, ctl.signal);
  };
  map.on('click', 'points', (e: MapLayerMouseEvent) => {
    const f = e.features?.[0];
    if (f) openPlace(f);
  });
  map.on('click', 'clusters', async (e: MapLayerMouseEvent) => {
    const f = e.features?.[0];
    if (!f) return;
    const clusterId = (f.properties as { cluster_id?: number }).cluster_id;
    // a place with several events cannot be split by zooming: list them
    if (clusterId == null) return openPlace(f);
    const src = map.getSource('events') as GeoJSONSource;
    const zoom = await src.getClusterExpansionZoom(clusterId);
    map.easeTo({ center: (f.geometry as Point).coordinates as [number, number], zoom });
  });
  for (const layer of ['points', 'clusters']) {
    map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
  }

  // For browser tests only, when the page was opened with ?test-hooks: where a place is on the screen, and
  // when the map has stopped moving, so a test can click a point with the mouse as a person would.
  if (new URLSearchParams(location.search).has('test-hooks')) {
    const hooks: MapTestHooks = {
      project(lon, lat) {
        const p = map.project([lon, lat]);
        const r = map.getCanvas().getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
      },
      whenIdle: () => new Promise<void>((resolve) => (map.loaded() && !map.isMoving() ? resolve() : map.once('idle', () => resolve()))),
      jumpTo: (lon, lat, zoom) =>
        new Promise<void>((resolve) => {
          map.once('idle', () => resolve());
          map.jumpTo({ center: [lon, lat], zoom });
        }),
    };
    (window as unknown as { __turnoutMap?: MapTestHooks }).__turnoutMap = hooks;
  }

  let lastKey: string | null = null;
  let lastPoints: PointsResponse | null = null;
  let visible: Record<Status, boolean> = { occurred: true, planned: true };
  return {
    setVisible(v) {
      visible = { ...v };
      if (!lastPoints) return;
      popup.remove();
      resetMarkers();
      const { data, events } = toSites(lastPoints, visible);
      container.dataset.points = String(events);
      (map.getSource('events') as GeoJSONSource).setData(data);
    },
    setPoints(p, key) {
      lastPoints = p;
      const { data, events } = toSites(p, visible);
      filters = key;
      popup.remove();
      resetMarkers();
      container.removeAttribute('data-rendered');
      // events drawn (grouped by place)
      container.dataset.points = String(events);
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
      removeLabels();
      resetMarkers();
      map.remove();
    },
  };
}
