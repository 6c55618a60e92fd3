// A small static map (the event page's place, the roundup's events): the offline basemap, place names, and
// circles coloured by status. Not interactive: it illustrates a page whose text already says where.
import type { FeatureCollection, Point } from 'geojson';
import { addPlaceLabels, baseStyle, COLORS, loadBasemap, maplibregl } from './basemap.ts';

export interface MiniPoint {
  lon: number;
  lat: number;
  status: 'occurred' | 'planned';
}

export interface MiniMap {
  destroy(): void;
}

export async function createMiniMap(container: HTMLElement, points: MiniPoint[], opts: { zoom?: number; maxZoom?: number } = {}): Promise<MiniMap> {
  const base = await loadBasemap();
  const style = baseStyle(base);
  const data: FeatureCollection<Point, { status: string }> = {
    type: 'FeatureCollection',
    features: points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { status: p.status } })),
  };
  style.sources.spots = { type: 'geojson', data };
  style.layers.push({
    id: 'spots',
    type: 'circle',
    source: 'spots',
    paint: {
      'circle-color': ['match', ['get', 'status'], 'planned', COLORS.planned, COLORS.occurred],
      'circle-radius': points.length > 1 ? 6 : 8,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  });
  const one = points.length === 1 ? points[0]! : null;
  const bounds = new maplibregl.LngLatBounds();
  for (const p of points) bounds.extend([p.lon, p.lat]);
  const map = new maplibregl.Map({
    container,
    style,
    interactive: false,
    renderWorldCopies: false,
    // credited in the page footer; a small static map has no controls (and no Tab stops)
    attributionControl: false,
    ...(one
      ? { center: [one.lon, one.lat] as [number, number], zoom: opts.zoom ?? 7 }
      : points.length
        ? { bounds, fitBoundsOptions: { padding: 30, maxZoom: opts.maxZoom ?? 6 } }
        : { center: [-97, 39] as [number, number], zoom: 2.5 }),
  });
  const removeLabels = addPlaceLabels(map, () =>
    points.map((p) => {
      const at = map.project([p.lon, p.lat]);
      return { x: at.x, y: at.y, r: 10 };
    }),
  );
  map.once('idle', () => container.setAttribute('data-rendered', 'true'));
  return {
    destroy() {
      removeLabels();
      map.remove();
    },
  };
}
