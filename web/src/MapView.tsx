// The map panel: loads maplibre (and the basemap) only when the map page is shown.
import { useEffect, useRef, useState } from 'preact/hooks';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import countriesUrl from 'world-atlas/countries-110m.json?url';
import statesUrl from 'us-atlas/states-10m.json?url';
import type { PointsResponse, Status } from './api.ts';
import { formatNumber } from './format.ts';
import type { EventMap } from './mapgl.ts';

/**
 * The map's worker and basemap are fetched as soon as the map page loads, in parallel with maplibre's own
 * code, so that they come from the browser's cache (they are immutable assets) when maplibre asks for them.
 */
let warmed = false;
function warmMapAssets(): void {
  if (warmed) return;
  warmed = true;
  for (const url of [workerUrl, countriesUrl, statesUrl]) void fetch(url).catch(() => undefined);
}

export function MapView({ points, fitKey }: { points: PointsResponse | null; fitKey: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<EventMap | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // the points and key of the latest render, and what the map was last given: when the map is ready and the
  // points are already here, they go to it at once rather than an effect (a frame or more) later
  const latest = useRef({ points, fitKey });
  latest.current = { points, fitKey };
  const given = useRef<PointsResponse | null>(null);
  // the legend's toggles: which statuses the map draws (the list and the counts keep every event)
  const [visible, setVisible] = useState<Record<Status, boolean>>({ occurred: true, planned: true });
  const visibleRef = useRef(visible);
  visibleRef.current = visible;

  useEffect(() => {
    let disposed = false;
    let created: EventMap | null = null;
    warmMapAssets();
    import('./mapgl.ts')
      .then(({ createEventMap }) => createEventMap(box.current!))
      .then((m) => {
        if (disposed) m.destroy();
        else {
          created = m;
          m.setVisible(visibleRef.current);
          const { points: now, fitKey: key } = latest.current;
          if (now) {
            given.current = now;
            m.setPoints(now, key);
          }
          setMap(m);
        }
      })
      .catch((e: unknown) => {
        if (!disposed) setFailure(e instanceof Error ? e.message : String(e));
      });
    return () => {
      disposed = true;
      created?.destroy();
    };
  }, []);

  useEffect(() => {
    if (map && points && points !== given.current) {
      given.current = points;
      map.setPoints(points, fitKey);
    }
  }, [map, points]);

  useEffect(() => {
    map?.setVisible(visible);
  }, [map, visible]);

  const count = points?.rows.length;
  const iStatus = points ? points.fields.indexOf('status') : -1;
  const planned = points ? points.rows.filter((r) => r[iStatus] === 'planned').length : null;
  const toggle = (s: Status, label: string) => (
    <button
      type="button"
      class={`legend-toggle legend-${s}`}
      aria-pressed={visible[s]}
      onClick={() => setVisible({ ...visible, [s]: !visible[s] })}
      title={visible[s] ? `Hide ${label.toLowerCase()} events on the map` : `Show ${label.toLowerCase()} events on the map`}
    >
      <span class={`swatch swatch-${s}`} aria-hidden="true" />
      {label}
    </button>
  );

  return (
    <section class="map-panel" aria-labelledby="map-heading">
      <h2 id="map-heading" class="visually-hidden">
        Map
      </h2>
      <div class="map-tools">
        <div class="presets" role="group" aria-label="Zoom to">
          <button type="button" disabled={!map} onClick={() => map?.zoomTo('us')}>
            US
          </button>
          <button type="button" disabled={!map} onClick={() => map?.zoomTo('world')}>
            World
          </button>
        </div>
        <div class="legend" role="group" aria-label="Legend: show or hide on the map">
          {toggle('occurred', 'Occurred')}
          {toggle('planned', 'Planned')}
          <span class="legend-key">
            <span class="swatch swatch-mixed" aria-hidden="true" />
            Group with both
          </span>
          <span class="legend-size">Bigger circle: bigger crowd; numbers: events grouped</span>
        </div>
      </div>
      <div ref={box} class="map" role="region" aria-label={count == null || planned == null ? 'Map of demonstrations' : `Map of ${formatNumber(count - planned)} mapped demonstrations and ${formatNumber(planned)} planned; the list has every event`} />
      {failure && (
        <p class="error" role="alert">
          The map could not be shown ({failure}). The list below has every event.
        </p>
      )}
    </section>
  );
}
