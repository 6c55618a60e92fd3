// Planned events as iCalendar (RFC 5545): one all-day VEVENT per planned event with a date that is not over.
// - UID <id>@turnout, so a calendar updates an event in place when its record changes;
// - DTSTART;VALUE=DATE and DTEND (exclusive): one day, or the whole week / month when the record knows the
//   date only to that precision (the DESCRIPTION says so);
// - sources in DESCRIPTION by title and URL, never by local file path;
// - TEXT values escaped (backslash, semicolon, comma, newline); control characters dropped;
// - lines folded at 75 octets (never inside a UTF-8 sequence or a surrogate pair), CRLF line ends.
import { dateEnd, dayPassed, localDay } from '../../core/planned.js';
import type { EventRecord } from '../../core/types.js';
import { eventSummary, eventTitle, sourceLabel } from './atom.js';

export function escapeIcsText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x08\x0B-\x1F\x7F]/g, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\n/g, '\\n');
}

/** Folds one content line into lines of at most 75 octets (continuations begin with a space). */
export function foldIcsLine(line: string): string {
  const out: string[] = [];
  let cur = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (octets + n > 75) {
      out.push(cur);
      cur = ' ';
      octets = 1;
    }
    cur += ch;
    octets += n;
  }
  out.push(cur);
  return out.join('\r\n');
}

function icsDate(iso: string): string {
  return iso.replace(/-/g, '');
}

function icsStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}


function description(e: EventRecord, url: string): string {
  const lines = [eventSummary(e)];
  if (e.date_precision !== 'day') lines.push(`The date is known only to the ${e.date_precision}.`);
  if (e.organizations.length) lines.push(`Organizers: ${e.organizations.join('; ')}`);
  if (e.claims.length) lines.push(`Claims: ${e.claims.join('; ')}`);
  if (e.sources.length) {
    lines.push('Sources:');
    for (const s of e.sources) {
      lines.push(`- ${[sourceLabel(s), s.publisher, s.published, s.title ? s.url : null].filter(Boolean).join(' — ')}`);
    }
  }
  lines.push(`Record: ${url}`);
  return lines.join('\n');
}

/**
 * `today` (YYYY-MM-DD, default: the server's calendar day of `now`) drops the plans whose day (week, month) is over:
 * a calendar of what is coming, not of plans that may never have happened.
 */
export function plannedIcs(events: EventRecord[], opts: { baseUrl: string; now?: Date; today?: string }): string {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const now = opts.now ?? new Date();
  const today = opts.today ?? localDay(now);
  const stamp = icsStamp(now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Turnout//Planned protests//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'X-WR-CALNAME:Turnout: planned protests',
  ];
  const planned = events.filter((e) => e.status === 'planned' && e.date && /^\d{4}-\d{2}-\d{2}$/.test(e.date) && !dayPassed(e, today));
  planned.sort((a, b) => (a.date! < b.date! ? -1 : a.date! > b.date! ? 1 : a.id < b.id ? -1 : 1));
  for (const e of planned) {
    const url = `${base}/event/${encodeURIComponent(e.id)}`;
    const where = [e.location_detail, e.locality, e.region, e.country].filter(Boolean).join(', ');
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.id.replace(/[^\w.-]/g, '_')}@turnout`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${icsDate(e.date!)}`,
      `DTEND;VALUE=DATE:${icsDate(dateEnd(e.date!, e.date_precision))}`,
      `SUMMARY:${escapeIcsText(eventTitle(e))}`,
    );
    if (where) lines.push(`LOCATION:${escapeIcsText(where)}`);
    if (e.lat !== null && e.lon !== null && Number.isFinite(e.lat) && Number.isFinite(e.lon)) lines.push(`GEO:${e.lat.toFixed(5)};${e.lon.toFixed(5)}`);
    lines.push(`DESCRIPTION:${escapeIcsText(description(e, url))}`, `URL:${url}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldIcsLine).join('\r\n') + '\r\n';
}
