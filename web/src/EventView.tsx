// "/event/{id}": the record in plain words, a small map of the place, each distinct quote once with the fields
// it supports and the words that gave each value marked, conflicting values side by side, and the sources.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, isAbort, type EventRecord, type SourceRef } from './api.ts';
import { fieldKey, fieldLabel, groupQuotes, highlight, sizeWordings, type QuoteGroup } from './evidence.ts';
import {
  cccWord,
  confidenceLine,
  eventDate,
  flagText,
  plannedAndPast,
  plannedAndReported,
  plannedText,
  placeLabel,
  regionName,
  sizeParts,
  sizePlain,
} from './format.ts';
import { History, whenText } from './History.tsx';
import { MiniMap } from './MiniMap.tsx';
import { navigate, onLinkClick } from './router.ts';
import { ReviewBadge } from './ReviewBadge.tsx';
import { SourceLine } from './Sources.tsx';

export interface Row {
  key: string;
  label: string;
  value: ComponentChildren;
}

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

const PRECISION_WORDS: Record<EventRecord['geo_precision'], string> = {
  venue: 'the venue',
  locality: 'the town or city centre',
  county: 'the county centre',
  state: 'the middle of the state',
  country: 'the middle of the country',
};

/** The id of a linked plan or report, when the API serves one (realized_by, plan_of). */
function linked(e: EventRecord, key: 'realized_by' | 'plan_of'): string | null {
  const v = (e as unknown as Record<string, unknown>)[key];
  return typeof v === 'string' && /^[0-9a-f]{16}$/.test(v) ? v : null;
}

function statusText(e: EventRecord): string {
  const planned = plannedText(e);
  if (!planned) return 'Occurred';
  const s = planned.charAt(0).toUpperCase() + planned.slice(1);
  return plannedAndPast(e) || plannedAndReported(e) ? s : `${s} (had not happened when reported)`;
}

/** The record's fields as labelled rows, in the order the event page (and the review queue) list them. */
export function recordRows(e: EventRecord): Row[] {
  const known = e.date_precision === 'day' ? '' : ` (the sources give only the ${e.date_precision})`;
  const arrests = e.arrests != null ? `${e.arrests.toLocaleString('en-US')} ${e.arrests === 1 ? 'person' : 'people'}${e.arrests_text && e.arrests_text !== String(e.arrests) ? ` (reported: ${e.arrests_text})` : ''}` : e.arrests_text ? `${e.arrests_text} (no exact count)` : null;
  return [
    { key: 'date', label: 'Date', value: e.date ? `${eventDate(e.date, e.date_precision)}${known}` : null },
    { key: 'status', label: 'Status', value: statusText(e) },
    { key: 'locality', label: 'Place', value: e.locality },
    { key: 'location_detail', label: 'Venue', value: e.location_detail },
    { key: 'region', label: 'State or region', value: e.region ? regionName(e.region, e.country) : null },
    { key: 'country', label: 'Country', value: e.country ? regionName(e.country, e.country) : null },
    { key: 'county', label: 'County', value: e.county ? `${e.county}${e.fips ? ` (FIPS ${e.fips})` : ''}` : null },
    {
      key: 'coordinates',
      label: 'On the map at',
      value: e.lat != null && e.lon != null ? `${e.lat.toFixed(4)}, ${e.lon.toFixed(4)}: ${PRECISION_WORDS[e.geo_precision]}` : null,
    },
    { key: 'event_type', label: 'Type', value: list(e.event_type) },
    { key: 'macroevent', label: 'Day of action', value: e.macroevent },
    { key: 'title', label: 'Title', value: e.title && e.title !== e.macroevent ? e.title : null },
    { key: 'size', label: 'Crowd size', value: sizePlain(e) },
    { key: 'arrests', label: 'Arrests', value: arrests },
    { key: 'injuries', label: 'Injuries', value: e.injuries_text },
    { key: 'police_measures', label: 'Police measures', value: list(e.police_measures) },
    { key: 'property_damage', label: 'Property damage', value: list(e.property_damage) },
    { key: 'organizations', label: 'Organizations', value: list(e.organizations) },
    { key: 'claims', label: 'Claims', value: list(e.claims) },
    { key: 'confidence', label: 'Confidence', value: confidenceLine(e.confidence, e.sources.length, e.status) },
  ];
}

/** A field's value as the quote's side list shows it: short, plain words. */
function fieldValue(f: string, e: EventRecord, quote: string): string | null {
  switch (f) {
    case 'date':
      return e.date ? eventDate(e.date, e.date_precision) : null;
    case 'status':
      return e.status === 'planned' ? 'planned' : 'occurred';
    case 'locality':
      return e.locality;
    case 'location_detail':
      return e.location_detail;
    case 'region':
      return e.region ? regionName(e.region, e.country) : null;
    case 'country':
      return e.country ? regionName(e.country, e.country) : null;
    case 'event_type':
      return e.event_type.join(', ') || null;
    case 'title':
    case 'macroevent':
      return e.macroevent ?? e.title;
    case 'size': {
      // the wording this sentence gave, when the record joins several
      const q = quote.toLowerCase();
      const found = sizeParts(e.size_text).filter((p) => q.includes(p.toLowerCase()));
      // "thousands of demonstrators" and "thousands" in one sentence: the longer wording is the one it gave
      const here = found.filter((p) => !found.some((o) => o !== p && o.toLowerCase().includes(p.toLowerCase())));
      if (here.length && sizeParts(e.size_text).length > 1) return here.map((p) => `“${p}”`).join('; ');
      return sizePlain(e);
    }
    case 'arrests':
      return e.arrests != null ? String(e.arrests) : e.arrests_text;
    case 'injuries':
      return e.injuries_text;
    case 'police_measures':
      return e.police_measures.join(', ') || null;
    case 'property_damage':
      return e.property_damage.join(', ') || null;
    case 'organizations':
      return e.organizations.join(', ') || null;
    case 'claims':
      return e.claims.join('; ') || null;
    default:
      return null;
  }
}

/** A quote as text, with the words that gave each of `fields`'s values marked. */
export function MarkedQuote({ quote, fields, e }: { quote: string; fields: string[]; e: EventRecord }) {
  return (
    <blockquote>
      {highlight(quote, fields, e).map((p, i) =>
        p.fields ? (
          <mark key={i} data-fields={p.fields.join(' ')} title={p.fields.map(fieldLabel).join(', ')}>
            {p.text}
          </mark>
        ) : (
          p.text
        ),
      )}
    </blockquote>
  );
}

function QuoteCard({ g, n, e, sources, number }: { g: QuoteGroup; n: number; e: EventRecord; sources: Map<string, SourceRef>; number: Map<string, number> }) {
  return (
    <li class="quote-card" id={`q-${n}`} data-fields={g.fields.join(' ')}>
      <figure class="quote">
        <MarkedQuote quote={g.quote} fields={g.fields} e={e} />
        <figcaption>
          <SourceList ids={g.sources} sources={sources} number={number} />
        </figcaption>
      </figure>
      <div class="supports">
        <h3 class="supports-heading">Gives</h3>
        <dl>
          {g.fields.map((f) => (
            <div key={f} data-supports={f}>
              <dt>{fieldLabel(f)}</dt>
              <dd>{fieldValue(f, e, g.quote) ?? <span class="muted">mentioned</span>}</dd>
            </div>
          ))}
        </dl>
      </div>
    </li>
  );
}

/** Sources by their number on the page, each with its title, outlet and date: "[1] Title, Outlet, date; [2] ...". */
function SourceList({ ids, sources, number }: { ids: string[]; sources: Map<string, SourceRef>; number: Map<string, number> }) {
  return (
    <>
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 && '; '}
          <span class="source-number">[{number.get(id) ?? '?'}]</span> <SourceLine source={sources.get(id)} />
        </span>
      ))}
    </>
  );
}

/** Two or more crowd estimates (or arrest counts), each with the sources that gave it, side by side. */
function Conflict({ e, field, sources, number }: { e: EventRecord; field: 'size' | 'arrests'; sources: Map<string, SourceRef>; number: Map<string, number> }) {
  const ws = sizeWordings(e, field);
  // wordings of one value ("thousands of demonstrators; thousands") are no disagreement: the merge flags one
  const disagree = e.flags.includes(field === 'size' ? 'sizes_disagree' : 'arrests_disagree') || (field === 'size' && e.size_high != null && e.size_low != null && e.size_high !== e.size_low);
  if (ws.length < 2 || !disagree) return null;
  const id = `conflict-${field}-heading`;
  return (
    <section class="conflict" data-conflict={field} aria-labelledby={id}>
      <h2 id={id}>{field === 'size' ? 'The sources disagree on the crowd' : 'The sources disagree on the arrests'}</h2>
      <ul class="conflict-list">
        {ws.map((w) => {
          const word = field === 'size' ? cccWord(w.wording) : null;
          return (
            <li key={w.wording} class="conflict-card" data-wording={w.wording}>
              <p class="conflict-value">“{w.wording}”</p>
              {field === 'size' && <p class="muted small">{word ? `A word, not a count: the CCC convention codes “${word}” by a standard number.` : 'A count.'}</p>}
              <p class="small">
                {w.sources.length === 0 ? 'Source not identified' : <SourceList ids={w.sources} sources={sources} number={number} />}
              </p>
            </li>
          );
        })}
      </ul>
      {field === 'size' && <p class="muted small">The record keeps both as a range ({sizePlain(e)}) rather than choosing one.</p>}
    </section>
  );
}

const EVENT_ID = /^[0-9a-f]{16}$/;

/** Whether and by whom the record was reviewed, in a line under the title. */
function ReviewLine({ e }: { e: EventRecord }) {
  const by = e.reviewed_by ? ` by ${e.reviewed_by}${e.reviewed_at ? ` on ${whenText(e.reviewed_at)}` : ''}` : '';
  if (e.review_status === 'unreviewed') return <p class="review-line muted small">Not yet checked by an editor.</p>;
  const words: Record<Exclude<EventRecord['review_status'], 'unreviewed'>, string> = {
    verified: `Checked against the sources${by}.`,
    edited: `Corrected by an editor${by}; the history below has the machine's values.`,
    rejected: `Rejected${by}: not listed on the map or in the downloads.`,
  };
  return (
    <p class="review-line small">
      <ReviewBadge e={e} /> {words[e.review_status]}
    </p>
  );
}

export function EventView({ id, search = '' }: { id: string; search?: string }) {
  const [event, setEvent] = useState<EventRecord | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setEvent(null);
    setError(null);
    api
      .event(id, ctl.signal)
      .then((e) => {
        // an id merged into another: the API answers with the survivor, whose page this becomes
        if (e.id !== id && EVENT_ID.test(e.id)) {
          navigate(`/event/${encodeURIComponent(e.id)}?merged_from=${encodeURIComponent(id)}`, { replace: true });
          return;
        }
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
  const number = new Map(event.sources.map((s, i) => [s.id, i + 1]));
  const groups = groupQuotes(event.evidence);
  const quotesOf = (field: string) => groups.map((g, i) => (g.fields.includes(fieldKey(field)) ? i + 1 : 0)).filter((n) => n > 0);
  const where = placeLabel(event.locality, event.region, event.country);
  const planned = plannedText(event);
  const mergedFrom = new URLSearchParams(search).get('merged_from');

  return (
    <article class="page event-page" data-event-id={event.id}>
      {back}
      <h1>
        {where}
        <span class="subtitle">{eventDate(event.date, event.date_precision)}</span>
      </h1>
      {mergedFrom && EVENT_ID.test(mergedFrom) && mergedFrom !== event.id && (
        <p class="merged-note" role="note">
          Event <code>{mergedFrom}</code> was merged into this one.
        </p>
      )}
      <ReviewLine e={event} />
      {planned && (
        <p class={plannedAndPast(event) ? 'planned-banner planned-past' : 'planned-banner'} role="note">
          <strong>{planned.charAt(0).toUpperCase() + planned.slice(1)}</strong>
          {plannedAndPast(event)
            ? '. The sources announced it; none has reported it since.'
            : plannedAndReported(event)
              ? '. A later article reported it. '
              : '. This had not happened when it was reported.'}
          {linked(event, 'realized_by') && (
            <a href={`/event/${encodeURIComponent(linked(event, 'realized_by')!)}`} onClick={onLinkClick}>
              The report of it
            </a>
          )}
        </p>
      )}
      {linked(event, 'plan_of') && (
        <p class="plan-note" role="note">
          This was announced beforehand.{' '}
          <a href={`/event/${encodeURIComponent(linked(event, 'plan_of')!)}`} onClick={onLinkClick}>
            The plan
          </a>
        </p>
      )}
      <div class="event-top">
        <section class="record" aria-labelledby="record-heading">
          <h2 id="record-heading">The record</h2>
          <dl class="fields">
            {recordRows(event).map((r) => {
              const empty = r.value == null || r.value === '';
              // an empty row is worth a line only where its absence is news (no size, no arrests reported)
              if (empty && r.key !== 'size' && r.key !== 'arrests') return null;
              const qs = quotesOf(r.key);
              return (
                <div class={empty ? 'field-row empty' : 'field-row'} key={r.key} data-field={r.key}>
                  <dt>{r.label}</dt>
                  <dd>
                    <div class="value">{empty ? <span class="muted">Not reported</span> : r.value}</div>
                    {!empty && qs.length > 0 && (
                      <p class="from-quotes small">
                        from{' '}
                        {qs.map((n, i) => (
                          <span key={n}>
                            {i > 0 && ', '}
                            <a href={`#q-${n}`}>quote {n}</a>
                          </span>
                        ))}
                      </p>
                    )}
                  </dd>
                </div>
              );
            })}
          </dl>
        </section>
        <figure class="event-map">
          {event.lat != null && event.lon != null ? (
            <MiniMap
              points={[{ lon: event.lon, lat: event.lat, status: event.status }]}
              label={`Map of ${where}`}
              zoom={event.geo_precision === 'country' ? 3 : event.geo_precision === 'state' ? 5 : 6}
            />
          ) : (
            <p class="muted">This event has no map position.</p>
          )}
          <figcaption class="small muted">
            {where}
            {event.lat != null ? `, placed at ${PRECISION_WORDS[event.geo_precision]}` : ''}.{' '}
            <a href={`/?region=${encodeURIComponent(event.region ?? '')}`} onClick={onLinkClick}>
              Events in {event.region ? regionName(event.region, event.country) : 'this region'}
            </a>
          </figcaption>
        </figure>
      </div>
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
      <Conflict e={event} field="size" sources={sources} number={number} />
      <Conflict e={event} field="arrests" sources={sources} number={number} />
      <section class="evidence" aria-labelledby="evidence-heading">
        <h2 id="evidence-heading">What the sources say ({groups.length === 1 ? '1 quote' : `${groups.length} quotes`})</h2>
        <p class="muted small">Each sentence once, with the values it gave; the words that gave them are marked.</p>
        <ol class="evidence-list">
          {groups.map((g, i) => (
            <QuoteCard key={g.quote} g={g} n={i + 1} e={event} sources={sources} number={number} />
          ))}
        </ol>
      </section>
      <section aria-labelledby="sources-heading">
        <h2 id="sources-heading">Sources ({event.sources.length})</h2>
        <ol class="sources">
          {event.sources.map((s) => (
            <li key={s.id} data-source={s.id}>
              <SourceLine source={s} />
            </li>
          ))}
        </ol>
        <p class="muted small">
          Record id <code>{event.id}</code> · revision {event.revision} · <a href={`/api/events/${encodeURIComponent(event.id)}`}>JSON</a>
        </p>
      </section>
      <History event={event} onChanged={setEvent} />
    </article>
  );
}
