// "/event/{id}": every field of the record, each value with the quotes that support it.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, isAbort, type EventRecord, type Evidence, type SourceRef } from './api.ts';
import { eventDate, flagText, formatNumber, placeLabel, regionName, sizeText } from './format.ts';
import { onLinkClick } from './router.ts';
import { Quote, SourceLine } from './Sources.tsx';

interface Row {
  key: string;
  label: string;
  value: ComponentChildren;
  /** evidence `field` names that support this row */
  evidence: string[];
}

const SHOWN_QUOTES = 3;

function list(xs: string[]): ComponentChildren {
  if (xs.length === 0) return null;
  if (xs.length === 1) return xs[0];
  return (
    <ul class="values">
      {xs.map((x, i) => (
        <li key={i}>{x}</li>
      ))}
    </ul>
  );
}

function rows(e: EventRecord): Row[] {
  const known = e.date_precision === 'day' ? '' : ` (the sources give only the ${e.date_precision})`;
  return [
    { key: 'date', label: 'Date', value: e.date ? `${eventDate(e.date, e.date_precision)}${known}` : null, evidence: ['date'] },
    { key: 'status', label: 'Status', value: e.status === 'planned' ? 'Planned (had not happened when reported)' : 'Occurred', evidence: ['status'] },
    { key: 'locality', label: 'Place', value: e.locality, evidence: ['locality', 'place'] },
    { key: 'location_detail', label: 'Venue', value: e.location_detail, evidence: ['location_detail', 'venue'] },
    { key: 'region', label: 'State or region', value: e.region ? `${regionName(e.region, e.country)} (${e.region})` : null, evidence: ['region'] },
    { key: 'country', label: 'Country', value: e.country ? regionName(e.country, e.country) : null, evidence: ['country'] },
    { key: 'county', label: 'County', value: e.county, evidence: ['county'] },
    { key: 'fips', label: 'FIPS code', value: e.fips, evidence: [] },
    {
      key: 'coordinates',
      label: 'Coordinates',
      value: e.lat != null && e.lon != null ? `${e.lat.toFixed(4)}, ${e.lon.toFixed(4)} (precision: ${e.geo_precision})` : null,
      evidence: [],
    },
    { key: 'event_type', label: 'Type', value: list(e.event_type), evidence: ['event_type'] },
    { key: 'title', label: 'Title', value: e.title, evidence: ['title'] },
    { key: 'macroevent', label: 'Day of action', value: e.macroevent, evidence: ['macroevent'] },
    { key: 'organizations', label: 'Organizations', value: list(e.organizations), evidence: ['organizations'] },
    { key: 'claims', label: 'Claims', value: list(e.claims), evidence: ['claims'] },
    {
      key: 'size',
      label: 'Crowd size',
      value:
        e.size_text || e.size_low != null
          ? `${sizeText(e.size_text, e.size_low, e.size_high)}${e.size_mean != null ? `; mean ${formatNumber(e.size_mean)}` : ''}; size category ${e.size_cat}`
          : null,
      evidence: ['size', 'size_text', 'size_low', 'size_high'],
    },
    {
      key: 'arrests',
      label: 'Arrests',
      value: e.arrests != null ? `${formatNumber(e.arrests)}${e.arrests_text ? ` (${e.arrests_text})` : ''}` : e.arrests_text,
      evidence: ['arrests', 'arrests_text'],
    },
    { key: 'injuries', label: 'Injuries', value: e.injuries_text, evidence: ['injuries', 'injuries_text'] },
    { key: 'police_measures', label: 'Police measures', value: list(e.police_measures), evidence: ['police_measures'] },
    { key: 'property_damage', label: 'Property damage', value: list(e.property_damage), evidence: ['property_damage'] },
    { key: 'confidence', label: 'Confidence', value: `${Math.round(e.confidence * 100)}%`, evidence: [] },
  ];
}

function dedupe(evs: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evs.filter((ev) => {
    const k = `${ev.source}|${ev.start}|${ev.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function Quotes({ evs, sources }: { evs: Evidence[]; sources: Map<string, SourceRef> }) {
  if (evs.length === 0) return null;
  const shown = evs.slice(0, SHOWN_QUOTES);
  const rest = evs.slice(SHOWN_QUOTES);
  return (
    <div class="quotes">
      {shown.map((ev, i) => (
        <Quote key={i} ev={ev} source={sources.get(ev.source)} />
      ))}
      {rest.length > 0 && (
        <details>
          <summary>
            {rest.length} more {rest.length === 1 ? 'quote' : 'quotes'}
          </summary>
          {rest.map((ev, i) => (
            <Quote key={i} ev={ev} source={sources.get(ev.source)} />
          ))}
        </details>
      )}
    </div>
  );
}

function humanField(f: string): string {
  const s = f.replace(/[_-]+/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function EventView({ id }: { id: string }) {
  const [event, setEvent] = useState<EventRecord | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setEvent(null);
    setError(null);
    api
      .event(id, ctl.signal)
      .then((e) => {
        setEvent(e);
        document.title = `${placeLabel(e.locality, e.region, e.country)}, ${eventDate(e.date, e.date_precision)} · Turnout`;
      })
      .catch((e) => {
        if (isAbort(e)) return;
        const status = (e as { status?: number }).status ?? 0;
        setError({ status, message: String((e as Error).message) });
        document.title = 'Event not found · Turnout';
      });
    return () => ctl.abort();
  }, [id]);

  const back = (
    <p class="back">
      <a href="/" onClick={onLinkClick}>
        ← All events on the map
      </a>
    </p>
  );

  if (error)
    return (
      <article class="page narrow">
        {back}
        <h1>{error.status === 404 ? 'No such event' : 'The event could not be loaded'}</h1>
        <p role="alert">{error.status === 404 ? 'There is no event with this id. It may have been merged into another record.' : error.message}</p>
      </article>
    );
  if (!event)
    return (
      <article class="page narrow" aria-busy="true">
        {back}
        <p>Loading…</p>
      </article>
    );

  const sources = new Map(event.sources.map((s) => [s.id, s]));
  const rs = rows(event);
  const used = new Set(rs.flatMap((r) => r.evidence));
  const other = dedupe(event.evidence.filter((ev) => !used.has(ev.field)));

  return (
    <article class="page narrow event-page" data-event-id={event.id}>
      {back}
      <h1>
        {placeLabel(event.locality, event.region, event.country)}
        <span class="subtitle">{eventDate(event.date, event.date_precision)}</span>
      </h1>
      {event.status === 'planned' && (
        <p class="planned-banner" role="note">
          <strong>Planned</strong> — this has not happened yet (as reported).
        </p>
      )}
      {event.flags.length > 0 && (
        <section class="flags" aria-labelledby="flags-heading">
          <h2 id="flags-heading">Caveats</h2>
          <ul>
            {event.flags.map((f) => (
              <li key={f} data-flag={f}>
                {flagText(f)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="record-heading">
        <h2 id="record-heading">The record, with its evidence</h2>
        <dl class="fields">
          {rs.map((r) => {
            const evs = dedupe(event.evidence.filter((ev) => r.evidence.includes(ev.field)));
            const empty = r.value == null || r.value === '';
            return (
              <div class={empty ? 'field-row empty' : 'field-row'} key={r.key} data-field={r.key}>
                <dt>{r.label}</dt>
                <dd>
                  <div class="value">{empty ? <span class="muted">Not reported</span> : r.value}</div>
                  <Quotes evs={evs} sources={sources} />
                </dd>
              </div>
            );
          })}
        </dl>
      </section>
      {other.length > 0 && (
        <section aria-labelledby="other-heading">
          <h2 id="other-heading">Other evidence</h2>
          <dl class="fields">
            {[...new Set(other.map((o) => o.field))].map((f) => (
              <div class="field-row" key={f} data-field={f}>
                <dt>{humanField(f)}</dt>
                <dd>
                  <Quotes evs={other.filter((o) => o.field === f)} sources={sources} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      <section aria-labelledby="sources-heading">
        <h2 id="sources-heading">Sources ({event.sources.length})</h2>
        <ol class="sources">
          {event.sources.map((s) => (
            <li key={s.id}>
              <SourceLine source={s} />
            </li>
          ))}
        </ol>
        <p class="muted small">
          Record id <code>{event.id}</code> · <a href={`/api/events/${encodeURIComponent(event.id)}`}>JSON</a>
        </p>
      </section>
    </article>
  );
}
