// Events as an Atom 1.0 feed (RFC 4287), written with the `feed` package.
// - feed id is the self URL (a filtered feed is a different feed); links rel=self and rel=alternate;
// - one entry per event: id urn:turnout:event:<id>:r<12 hex of the record's sha-256>, so an updated record is
//   a new entry to a feed reader; link to `${baseUrl}/event/<id>`; updated = the latest source's publication
//   day (else opts.updated, else now); summary "date — locality, region: size_text (status)", and for an event an
//   editor checked "... Verified by NAME on DAY." (or "Corrected by ..."), with the editor as the entry's author;
// - `feed` writes titles and summaries as type="html" in CDATA, so their text is HTML-escaped here first: a
//   hostile "<script>" in a title reaches the reader as text, never as markup. Characters XML 1.0 forbids
//   (control characters, lone surrogates) are removed.
import { httpUrl } from '../../core/url.js';
import { createHash } from 'node:crypto';
import { Feed } from 'feed';
import { localDay, plannedStatus } from '../../core/planned.js';
import type { EventRecord, SourceRef } from '../../core/types.js';
import { isPublished } from '../../review/status.js';

const XML_ILLEGAL = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe for XML 1.0 (illegal characters removed). */
function xmlSafe(s: string): string {
  return s.replace(XML_ILLEGAL, '');
}

/** Plain text as HTML (for type="html" elements): the reader shows it as text. */
function asHtml(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function placeText(e: EventRecord): string {
  const parts = [e.locality, e.region ?? (e.country && e.country !== 'US' ? e.country : null)].filter(Boolean);
  return parts.length ? parts.join(', ') : (e.country ?? 'place unknown');
}

/**
 * "2026-02-14 — Dayton, OH: hundreds (occurred)"; with `today`, a plan says where it stands: "(planned; no report
 * yet)" once its day has passed, "(planned; reported held)" once another article reports it.
 */
export function eventSummary(e: EventRecord, today?: string): string {
  const date = e.date ? (e.date_precision === 'day' ? e.date : `${e.date} (${e.date_precision})`) : 'date unknown';
  const stands = today === undefined ? null : plannedStatus(e, today);
  const status = stands === 'no report yet' ? 'planned; no report yet' : stands === 'reported' ? 'planned; reported held' : e.status;
  return `${date} — ${placeText(e)}: ${e.size_text ?? 'size not reported'} (${status})`;
}

/**
 * How a human's check is announced: "Verified by ed on 2026-02-10." or "Corrected by ed on 2026-02-10 (size_low,
 * size_high)."; null for an event nobody has checked. A rejection is never announced (a rejected event is no event).
 */
export function reviewNote(e: EventRecord): string | null {
  if (!isPublished(e)) return null;
  const who = e.reviewed_by ?? 'an editor';
  const when = e.reviewed_at ? ` on ${e.reviewed_at.slice(0, 10)}` : '';
  // ('edited' joins ReviewStatus with the edits: read as a string until then)
  if ((e.review_status as string) !== 'edited') return `Verified by ${who}${when}.`;
  const fields = (e as { edited_fields?: string[] }).edited_fields ?? [];
  return `Corrected by ${who}${when}${fields.length ? ` (${fields.join(', ')})` : ''}.`;
}

export function eventTitle(e: EventRecord): string {
  if (e.title) return e.title;
  const what = e.event_type.length ? e.event_type.join(', ') : 'protest';
  return `${what[0].toUpperCase()}${what.slice(1)} in ${placeText(e)}${e.date ? `, ${e.date}` : ''}`;
}

function revision(e: EventRecord): string {
  return createHash('sha256').update(JSON.stringify(e)).digest('hex').slice(0, 12);
}

function latestSourceDate(e: EventRecord): Date | null {
  let best: string | null = null;
  for (const s of e.sources) if (s.published && /^\d{4}-\d{2}-\d{2}$/.test(s.published) && (!best || s.published > best)) best = s.published;
  return best ? new Date(`${best}T00:00:00Z`) : null;
}

/** A source's name for the public: its title or URL, never a local file path (that stays private). */
export function sourceLabel(s: SourceRef): string {
  return s.title ?? s.url ?? `article ${s.id.slice(0, 12)}`;
}

function sourcesHtml(e: EventRecord): string {
  if (!e.sources.length) return '';
  const items = e.sources.map((s) => {
    const label = asHtml([sourceLabel(s), s.publisher, s.published].filter(Boolean).join(' — '));
    const href = httpUrl(s.url);
    return href ? `<li><a href="${asHtml(href)}">${label}</a></li>` : `<li>${label}</li>`;
  });
  return `<p>Sources:</p><ul>${items.join('')}</ul>`;
}

export function eventsAtom(
  events: EventRecord[],
  opts: { baseUrl: string; selfUrl: string; updated?: Date; title?: string; updatedAt?: (e: EventRecord) => Date | null; today?: string },
): string {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const now = opts.updated ?? new Date();
  // when the record last changed in the store, if the caller knows; else its latest source's publication day
  const entries = events.map((e) => ({ e, updated: opts.updatedAt?.(e) ?? latestSourceDate(e) ?? now }));
  const feedUpdated = opts.updated ?? entries.reduce<Date | null>((m, x) => (!m || x.updated > m ? x.updated : m), null) ?? now;
  const feed = new Feed({
    id: opts.selfUrl,
    title: xmlSafe(opts.title ?? 'Turnout: protest events'),
    updated: feedUpdated,
    generator: 'Turnout',
    author: { name: 'Turnout' }, // RFC 4287: a feed needs an author unless every entry has one
    link: `${base}/`,
    feedLinks: { atom: opts.selfUrl },
  });
  for (const { e, updated } of entries) {
    const summary = eventSummary(e, opts.today ?? localDay(now));
    const note = reviewNote(e);
    feed.addItem({
      title: asHtml(eventTitle(e)),
      id: `urn:turnout:event:${encodeURIComponent(e.id)}:r${revision(e)}`,
      link: `${base}/event/${encodeURIComponent(e.id)}`,
      date: updated,
      description: asHtml(note ? `${summary}. ${note}` : summary),
      content: `<p>${asHtml(summary)}</p>${note ? `<p>${asHtml(note)}</p>` : ''}${sourcesHtml(e)}`,
      // a checked event says so: the reviewer as the entry's author, its state as a category
      ...(note ? { author: [{ name: xmlSafe(e.reviewed_by ?? 'an editor') }], category: [{ term: e.review_status, name: e.review_status }] } : {}),
    });
  }
  return feed.atom1();
}
