// "/": filters, map, timeline and the list of events, all driven by the filters in the URL query.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, isAbort, type PointsResponse, type StatsRow } from './api.ts';
import { useCounts } from './counts.ts';
import { EventList } from './EventList.tsx';
import { FilterBar, useFilterOptions } from './FilterBar.tsx';
import { isFiltered, parseFilters, toParams, toSearch, type Filters } from './filters.ts';
import { MapView } from './MapView.tsx';
import { navigate } from './router.ts';
import { Timeline } from './Timeline.tsx';

/**
 * The map's points are the page's biggest response: on a load of the map page, ask for them as soon as this
 * module runs, before the list, the timeline and the filter choices put their requests in the queue.
 */
let early: { key: string; points: Promise<PointsResponse> } | null = null;
if (typeof location !== 'undefined' && location.pathname.replace(/\/+$/, '') === '') {
  const key = toParams(parseFilters(location.search)).toString();
  const points = api.points(new URLSearchParams(key));
  points.catch(() => undefined);
  early = { key, points };
}

export function MapPage({ search }: { search: string }) {
  const filters = useMemo(() => parseFilters(search), [search]);
  const key = toParams(filters).toString();
  const undatedKey = toParams(filters, { dates: false }).toString();

  const [points, setPoints] = useState<PointsResponse | null>(null);
  const [pointsError, setPointsError] = useState<string | null>(null);
  const [days, setDays] = useState<StatsRow[] | null>(null);
  const [plannedDays, setPlannedDays] = useState<StatsRow[] | null>(null);
  const options = useFilterOptions();

  const counts = useCounts(key);

  const update = (patch: Partial<Filters>) => {
    const next = { ...filters, ...patch };
    navigate(`/${toSearch(next)}`, { keepScroll: true });
  };

  useEffect(() => {
    const ctl = new AbortController();
    setPointsError(null);
    let alive = true;
    const pending = early?.key === key ? early.points : api.points(new URLSearchParams(key), ctl.signal);
    early = null;
    pending
      .then((p) => alive && setPoints(p))
      .catch((e) => {
        if (alive && !isAbort(e)) setPointsError(String((e as Error).message));
      });
    return () => {
      alive = false;
      ctl.abort();
    };
  }, [key]);

  // The timeline shows every day of the set without the date filters, so a brushed range can be widened.
  useEffect(() => {
    const ctl = new AbortController();
    api
      .stats('day', new URLSearchParams(undatedKey), ctl.signal)
      .then((s) => setDays(s.rows))
      .catch((e) => {
        if (!isAbort(e)) setDays([]);
      });
    // the planned events among them, to colour the bars by status
    const planned = new URLSearchParams(undatedKey);
    if (planned.get('status') === 'occurred') setPlannedDays([]);
    else {
      planned.set('status', 'planned');
      api
        .stats('day', planned, ctl.signal)
        .then((s) => setPlannedDays(s.rows))
        .catch((e) => {
          if (!isAbort(e)) setPlannedDays([]);
        });
    }
    return () => ctl.abort();
  }, [undatedKey]);

  return (
    <div class="map-page">
      <h1 class="visually-hidden">Demonstrations: map, timeline and list</h1>
      <FilterBar filters={filters} options={options} onChange={update} />
      <p class="summary-line" aria-live="polite" data-occurred={counts?.occurred} data-planned={counts?.planned}>
        {counts ? (
          <>
            <strong>{counts.summary}</strong>
            {isFiltered(filters) ? ' match these filters.' : ' recorded.'}
          </>
        ) : (
          '\u00a0'
        )}
      </p>
      <div class="map-layout">
        <div class="map-col">
          <MapView points={points} fitKey={key} />
          {pointsError && (
            <p class="error" role="alert">
              Map data could not be loaded: {pointsError}
            </p>
          )}
          <Timeline rows={days} planned={plannedDays} from={filters.from} to={filters.to} onRange={(from, to) => update({ from, to })} />
        </div>
        <div class="list-col">
          <EventList query={key} filtered={isFiltered(filters)} counts={counts} />
        </div>
      </div>
    </div>
  );
}
