// CSV export with the Crowd Counting Consortium phase-3 column names where they apply, then Turnout's own.
// As in CCC's data: `state` holds a US state or territory and nothing else (the country of an event abroad is in
// `country`), and a row is an event that took place: planned events are left out unless asked for.
import { localDay, plannedStatus } from '../../core/planned.js';
import type { EventRecord } from '../../core/types.js';
import { US_AREAS } from '../../resolve/regions.js';

/** The two-letter state or territory of an event in the US; null abroad (where region is the country's name). */
function usState(e: EventRecord): string | null {
  return e.country !== null && US_AREAS.has(e.country) && e.region !== null && /^[A-Z]{2}$/.test(e.region) && e.region !== 'US' ? e.region : null;
}

const MAX_SOURCES = 30;

type Col = [string, (e: EventRecord, today: string) => string | number | null];

const list = (v: string[]) => (v.length ? v.join('; ') : null);

const COLUMNS: Col[] = [
  ['date', (e) => e.date],
  ['locality', (e) => e.locality],
  ['state', (e) => usState(e)],
  ['resolved_locality', (e) => e.locality],
  ['resolved_state', (e) => usState(e)],
  ['resolved_county', (e) => e.county],
  ['fips_code', (e) => e.fips],
  ['lat', (e) => e.lat],
  ['lon', (e) => e.lon],
  ['location', (e) => e.location_detail],
  ['title', (e) => e.title],
  ['event_type', (e) => list(e.event_type)],
  ['organizations', (e) => list(e.organizations)],
  ['claims_summary', (e) => list(e.claims)],
  ['conf', (e) => (e.status === 'occurred' ? 1 : null)],
  ['macroevent', (e) => e.macroevent],
  ['online', () => 0],
  ['size_text', (e) => e.size_text],
  ['size_low', (e) => e.size_low],
  ['size_high', (e) => e.size_high],
  ['size_mean', (e) => e.size_mean],
  ['size_cat', (e) => e.size_cat],
  ['police_measures', (e) => list(e.police_measures)],
  ['participant_injuries', (e) => e.injuries_text],
  ['arrests', (e) => (e.arrests !== null ? e.arrests : e.arrests_text)],
  ['property_damage', (e) => list(e.property_damage)],
  ['arrests_any', (e) => (e.arrests_text && e.arrests !== 0 ? 1 : 0)],
  ['property_damage_any', (e) => (e.property_damage.length ? 1 : 0)],
  ['notes', (e) => (e.flags.length ? e.flags.join('; ') : null)],
  ...Array.from({ length: MAX_SOURCES }, (_, i): Col => [`source${i + 1}`, (e) => {
    const s = e.sources[i];
    return s ? s.url ?? s.file ?? s.id : null;
  }]),
  // Turnout's own columns
  ['turnout_id', (e) => e.id],
  ['date_precision', (e) => e.date_precision],
  ['status', (e) => e.status],
  ['country', (e) => e.country],
  ['planned_status', (e, today) => plannedStatus(e, today)],
  ['geo_precision', (e) => e.geo_precision],
  ['confidence', (e) => e.confidence],
  // as in CCC's data: who coded (here, reviewed) the row; NA while no human has
  ['coder', (e) => (e.review_status !== 'unreviewed' ? e.reviewed_by : null)],
  ['review_status', (e) => e.review_status],
];

export const CSV_COLUMNS = COLUMNS.map((c) => c[0]);

function cell(v: string | number | null): string {
  if (v === null || v === undefined) return 'NA';
  if (typeof v === 'number') return String(v);
  // formula injection guard for spreadsheet users: text starting with = + - @ is prefixed with '
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${s.replace(/"/g, '""')}"`;
}

export interface CsvOptions {
  /** keep planned events (rows with conf NA and a planned_status); CCC's rows are events that took place */
  includePlanned?: boolean;
  /** the day planned_status is worked out on (YYYY-MM-DD); default the server's calendar day */
  today?: string;
}

export function toCsv(events: EventRecord[], opts: CsvOptions = {}): string {
  const today = opts.today ?? localDay();
  const lines = [COLUMNS.map((c) => `"${c[0]}"`).join(',')];
  for (const e of events) {
    if (e.status === 'planned' && !opts.includePlanned) continue;
    lines.push(COLUMNS.map(([, f]) => cell(f(e, today))).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
