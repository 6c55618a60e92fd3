// The list of events in the filtered set, a page at a time ("Load more" follows the API's cursor).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, isAbort, type EventRecord } from './api.ts';
import type { Counts } from './counts.ts';
import { eventDate, formatNumber, sizePlain, whereLabel } from './format.ts';
import { ReviewBadge } from './ReviewBadge.tsx';
import { onLinkClick } from './router.ts';

const PAGE = 200;

export function EventList({ query, filtered, counts }: { query: string; filtered: boolean; counts: Counts | null }) {
  const [events, setEvents] = useState<EventRecord[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const ctlRef = useRef<AbortController | null>(null);

  const load = (after: string | null) => {
    ctlRef.current?.abort();
    const ctl = new AbortController();
    ctlRef.current = ctl;
    const params = new URLSearchParams(query);
    params.set('limit', String(PAGE));
    if (after) params.set('cursor', after);
    setLoading(true);
    setError(null);
    api
      .events(params, ctl.signal)
      .then((page) => {
        setEvents((prev) => (after ? [...prev, ...page.events] : page.events));
        setTotal(page.total);
        setCursor(page.next_cursor);
        setLoading(false);
      })
      .catch((e) => {
        if (isAbort(e)) return;
        setError(String((e as Error).message));
        setLoading(false);
      });
  };

  useEffect(() => {
    setEvents([]);
    setTotal(null);
    setCursor(null);
    load(null);
    return () => ctlRef.current?.abort();
  }, [query]);

  return (
    <section class="event-list-section" aria-labelledby="list-heading" aria-busy={loading}>
      <h2 id="list-heading">Events</h2>
      <p class="list-count" aria-live="polite">
        {total == null
          ? loading
            ? 'Loading…'
            : ''
          : total === 0
            ? filtered
              ? 'No demonstrations match these filters.'
              : 'No demonstrations recorded yet.'
            : `Showing ${formatNumber(events.length)} of ${formatNumber(total)}${
                counts && counts.occurred + counts.planned === total
                  ? `: ${formatNumber(counts.occurred)} ${counts.occurred === 1 ? 'demonstration' : 'demonstrations'}${counts.planned ? ` and ${formatNumber(counts.planned)} planned` : ''}`
                  : ` ${total === 1 ? 'event' : 'events'}`
              }`}
      </p>
      <p class="downloads small">
        Download {filtered ? 'these events' : 'all events'}: <a class="dl-csv" href={`/api/events.csv${query ? `?${query}` : ''}`}>CSV</a> ·{' '}
        <a class="dl-geojson" href={`/api/events.geojson${query ? `?${query}` : ''}`}>GeoJSON</a>
      </p>
      {error && (
        <p class="error" role="alert">
          The list could not be loaded: {error}
        </p>
      )}
      <ol class="event-list">
        {events.map((e) => (
          <li key={e.id} data-id={e.id} data-status={e.status}>
            <a href={`/event/${encodeURIComponent(e.id)}`} onClick={onLinkClick}>
              <span class="ev-date" data-precision={e.date_precision}>
                {eventDate(e.date, e.date_precision, { day: 'short', unknown: '—' })}
              </span>
              <span class="ev-place">
                <span class="ev-locality">{e.locality ?? 'No locality given'}</span>
                {whereLabel(e.region, e.country) && <span class="ev-region">, {whereLabel(e.region, e.country)}</span>}
                <ReviewBadge e={e} />
              </span>
              <span class="ev-size">{sizePlain(e) ?? 'size not reported'}</span>
              <span class={`status status-${e.status}`}>{e.status === 'planned' ? 'Planned' : 'Occurred'}</span>
            </a>
          </li>
        ))}
      </ol>
      {cursor && (
        <button type="button" class="load-more" disabled={loading} onClick={() => load(cursor)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
