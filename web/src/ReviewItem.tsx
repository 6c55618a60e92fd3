// One item of the review queue, in focus: why the machine doubts it, every field beside the quotes that gave
// it and their sources, a human's values that newer sources dispute, and the suggested neighbours to merge.
import type { EventRecord, Neighbour, QueueItem, SourceRef } from './api.ts';
import { fieldKey, groupQuotes, type QuoteGroup } from './evidence.ts';
import { MarkedQuote, recordRows } from './EventView.tsx';
import { ReviewBadge } from './ReviewBadge.tsx';
import { eventDate, flagText, placeLabel } from './format.ts';
import { editLabel, valueText } from './review.ts';
import { onLinkClick } from './router.ts';
import { SourceLine } from './Sources.tsx';

/** The record row a stored field belongs to ("size_low" → "size", "lat" → "coordinates"). */
function rowOf(field: string): string {
  return field === 'lat' || field === 'lon' ? 'coordinates' : fieldKey(field);
}

/** The quotes that gave one field, at most `max`, each with its sources. */
function FieldQuotes({ groups, field, e, sources, max = 3 }: { groups: QuoteGroup[]; field: string; e: EventRecord; sources: Map<string, SourceRef>; max?: number }) {
  const gave = groups.filter((g) => g.fields.includes(field));
  if (gave.length === 0) return <p class="muted small no-quote">No quote gives this value.</p>;
  return (
    <>
      {gave.slice(0, max).map((g) => (
        <figure class="quote" key={g.quote}>
          <MarkedQuote quote={g.quote} fields={[field]} e={e} />
          <figcaption>
            {g.sources.map((id, i) => (
              <span key={id}>
                {i > 0 && '; '}
                <SourceLine source={sources.get(id)} />
              </span>
            ))}
          </figcaption>
        </figure>
      ))}
      {gave.length > max && <p class="muted small">and {gave.length - max} more on the event page</p>}
    </>
  );
}

/** A suggested neighbour in words: place, day, distance and title. */
export function neighbourText(n: Neighbour): string {
  const where = placeLabel(n.locality, n.region, null);
  const far = n.km == null ? '' : n.km < 1 ? ', same place' : `, ${Math.round(n.km)} km away`;
  return `${where}, ${n.date ? eventDate(n.date, 'day') : 'no date'}${far}${n.title ? `: ${n.title}` : ''}`;
}

export function ReviewItem({ item, position, count, focusRef }: { item: QueueItem; position: number; count: number; focusRef: { current: HTMLElement | null } }) {
  const e = item.event;
  const groups = groupQuotes(e.evidence);
  const sources = new Map(e.sources.map((s) => [s.id, s]));
  const disputes = e.disputes ?? [];
  const editedRows = new Set((e.edited_fields ?? []).map(rowOf));
  const where = placeLabel(e.locality, e.region, e.country);
  const rows = recordRows(e).filter((r) => r.key !== 'confidence' && r.key !== 'county');

  return (
    <article class="queue-item" tabIndex={-1} ref={(el) => void (focusRef.current = el)} data-event-id={e.id} data-revision={e.revision} aria-labelledby="item-heading">
      <header class="item-head">
        <h2 id="item-heading">
          <span class="visually-hidden">Item {position} of {count}: </span>
          {where}
          <span class="subtitle">
            {eventDate(e.date, e.date_precision)} · doubt {Math.round(item.doubt * 100)}% · revision {e.revision} <ReviewBadge e={e} />
          </span>
        </h2>
        <a href={`/event/${encodeURIComponent(e.id)}`} onClick={onLinkClick} class="small">
          Event page and history
        </a>
      </header>
      <section class="item-reasons" aria-labelledby="reasons-heading">
        <h3 id="reasons-heading">Why it is in the queue</h3>
        <ul>
          {item.reasons.map((r) => (
            <li key={r}>{flagText(r)}</li>
          ))}
        </ul>
        {item.reasons.length === 0 && <p class="muted">The machine gave no reason.</p>}
      </section>
      {disputes.length > 0 && (
        <section class="item-disputes" aria-labelledby="disputes-heading">
          <h3 id="disputes-heading">Newer sources disagree with an editor's value</h3>
          <ul>
            {disputes.map((d, i) => (
              <li key={i} data-field={d.field}>
                {editLabel(d.field)}: the editor's {valueText(d.human)}, the sources now {valueText(d.machine)}
                {d.source && sources.get(d.source) && (
                  <>
                    {' '}
                    (<SourceLine source={sources.get(d.source)} />)
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="fields-heading">
        <h3 id="fields-heading">The fields and the quotes that gave them</h3>
        <dl class="review-fields">
          {rows.map((r) => {
            const empty = r.value == null || r.value === '';
            if (empty && r.key !== 'size') return null;
            return (
              <div class="review-field" key={r.key} data-field={r.key}>
                <dt>
                  {r.label}
                  {editedRows.has(r.key) && <span class="edited-mark"> (edited)</span>}
                </dt>
                <dd class="review-value">{empty ? <span class="muted">Not reported</span> : r.value}</dd>
                <dd class="review-quotes">
                  <FieldQuotes groups={groups} field={r.key} e={e} sources={sources} />
                </dd>
              </div>
            );
          })}
        </dl>
      </section>
      <section aria-labelledby="neighbours-heading">
        <h3 id="neighbours-heading">Merge suggestions</h3>
        {item.neighbours.length === 0 ? (
          <p class="muted">No event close enough in place and day.</p>
        ) : (
          <ol class="neighbours">
            {item.neighbours.map((n, i) => (
              <li key={n.id} data-neighbour={n.id}>
                <a href={`/event/${encodeURIComponent(n.id)}`} onClick={onLinkClick}>
                  {neighbourText(n)}
                </a>
                {i === 0 && <span class="muted small"> (m merges it into this one)</span>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  );
}
