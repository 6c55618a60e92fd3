// Plain-text formatting of record values. Nothing here produces markup: the components render strings as
// text nodes, so whatever an article contained stays text.

export const STATE_NAMES: Record<string, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut',
  DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois',
  IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland',
  MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
  NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York',
  NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
  RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah',
  VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
  PR: 'Puerto Rico', GU: 'Guam', VI: 'U.S. Virgin Islands', AS: 'American Samoa', MP: 'Northern Mariana Islands',
};

let regionNames: Intl.DisplayNames | null = null;
function countryName(code: string): string {
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "California" for a US state code, "France" for a country code, the code itself otherwise. */
export function regionName(region: string | null, country?: string | null): string {
  if (!region) return country ? countryName(country) : 'Unknown place';
  if (country && country !== 'US') return countryName(region);
  return STATE_NAMES[region] ?? countryName(region);
}

/** "CA" for a US state, "France" abroad, "" when unknown. */
export function whereLabel(region: string | null, country: string | null): string {
  return country && country !== 'US' ? countryName(country) : region ?? '';
}

/** "Los Angeles, CA" / "Paris, France" / "United States (no locality)". */
export function placeLabel(locality: string | null, region: string | null, country: string | null): string {
  const where = whereLabel(region, country);
  if (!locality) return region && region === country ? `${countryName(region)} (no locality)` : where || 'Unknown place';
  return where ? `${locality}, ${where}` : locality;
}

const FLAG_WORDS: Record<string, string> = {
  single_source: 'Reported by a single source so far',
  published_date_contradicts_text: 'The publication date contradicts the text',
  date_after_publication: 'An article reports this as past although it is dated before the event (check its publication date)',
  no_publication_date: 'No publication date',
  size_disagreement: 'Sources disagree on the crowd size',
  sizes_disagree: 'Sources disagree on the crowd size',
  arrests_disagree: 'Sources disagree on the arrests',
  day_unknown: 'No day given: dated to the week of the report',
  date_from_article: 'Day taken from the rest of the article',
  syndicated_copies: 'Some sources are copies of one story (counted as one source)',
  planned_beside_held: 'Announced beside a demonstration held the same day',
  encoding_guessed: "A source's text encoding was guessed",
  invalid_utf8: 'A source had characters that could not be read',
  readability_fallback: "A source's main text was found by a fallback reader",
  dom_fallback: "A source's main text was found by a fallback reader",
  markdown: 'A source was read as Markdown',
  large_page: 'A source was a very large page',
  deep_nesting: 'A source page was deeply nested',
};

/** A flag in plain words: known flags by hand, others humanised ("low_confidence" -> "Low confidence"). */
export function flagText(flag: string): string {
  const known = FLAG_WORDS[flag];
  if (known) return known;
  const words = flag.replace(/[_-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : flag;
}

// Dates come from the one shared formatter (pure string work, no server code): a week- or month-precision
// event reads "week of 26 January 2026" or "January 2026", never a made-up day.
import { eventDate } from '../../src/core/dates.ts';
export { eventDate, longDate, shortDate } from '../../src/core/dates.ts';

export function formatNumber(n: number | null | undefined): string {
  return n == null ? '' : Math.round(n).toLocaleString('en-US');
}

/** "thousands (2,000)" / "300" / "2,000–5,000" / "not reported". */
export function sizeText(text: string | null, low: number | null, high: number | null): string {
  const range = low == null ? '' : high != null && high !== low ? `${formatNumber(low)}–${formatNumber(high)}` : formatNumber(low);
  if (text && range && text.replace(/,/g, '') !== String(low)) return `${text} (${range})`;
  if (text) return text;
  return range || 'size not reported';
}

/** The URL if it is an http(s) link; null for javascript:, data: and anything else. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

export function todayIso(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Days between two YYYY-MM-DD dates, in UTC. */
export function dayIndex(iso: string): number {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
}

export function isoFromDayIndex(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

// ---- plain words for the record's codes ----------------------------------------------------------------------

/**
 * The name of a file, never its directory: "river-valley-rallies.txt" from "/srv/in/river-valley-rallies.txt" or
 * "C:\in\x.txt". The server already sends file names only; this is a second guard, so that no page ever shows
 * where the server keeps its files.
 */
export function fileName(path: string | null | undefined): string | null {
  if (!path) return null;
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).trim();
  return name || null;
}

/** The Crowd Counting Consortium's words for a crowd without a count, as they appear in a size_text. */
const CCC_WORDS = /\b(hundreds of thousands|tens of thousands|thousands|hundreds|dozens|scores|a dozen|a few|several|a handful|handful|a crowd)\b/i;

/** "dozens" when a reported size is a word the CCC codes by convention, null when it is a number. */
export function cccWord(sizeTextPart: string): string | null {
  if (/\d/.test(sizeTextPart)) return null;
  const m = CCC_WORDS.exec(sizeTextPart);
  return m ? m[1]!.toLowerCase() : null;
}

/** The reported wordings of a size, one per source: "Thousands of people; roughly 5,000 people" gives two. */
export function sizeParts(sizeText: string | null): string[] {
  return (sizeText ?? '')
    .split(/\s*;\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * A crowd in plain words: "about 24 people (CCC: dozens)", "about 5,000 people", "2,000 to 5,000 people
 * (CCC: thousands; reported: roughly 5,000 people)"; null when no size was reported.
 */
export function sizePlain(e: { size_text: string | null; size_low: number | null; size_high: number | null }): string | null {
  const parts = sizeParts(e.size_text);
  if (e.size_low == null) return parts.length ? parts.join('; ') : null;
  const range = e.size_high != null && e.size_high !== e.size_low;
  const head = range ? `${formatNumber(e.size_low)} to ${formatNumber(e.size_high)} people` : `about ${formatNumber(e.size_low)} ${e.size_low === 1 ? 'person' : 'people'}`;
  const notes = [
    ...new Set(
      parts.map((p) => {
        const w = cccWord(p);
        return w ? `CCC: ${w}` : `reported: ${p}`;
      }),
    ),
  ];
  // one source giving a count: the count is the wording, no need to repeat it
  if (!range && notes.length === 1 && notes[0]!.startsWith('reported:') && parts[0]!.replace(/[^\d]/g, '') === String(Math.round(e.size_low))) return head;
  return notes.length ? `${head} (${notes.join('; ')})` : head;
}

/** The record's confidence in one line a reader can weigh. */
export function confidenceLine(confidence: number, sources: number, status: 'occurred' | 'planned' = 'occurred'): string {
  const pct = Math.round(confidence * 100);
  const level = confidence >= 0.9 ? 'high' : confidence >= 0.7 ? 'medium' : 'low';
  const why =
    level === 'high'
      ? `the text says plainly that a demonstration ${status === 'planned' ? 'was planned' : 'took place'} here, on this day`
      : level === 'medium'
        ? 'the text supports this event, but its place, day or status took some inference'
        : 'the place, day or status is uncertain: check the quotes before using this record';
  return `${pct}% (${level}): ${why}; ${sources} ${sources === 1 ? 'source' : 'sources'}.`;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The last day an event dated at a precision could have taken place (the week's Sunday, the month's last day). */
export function lastPossibleDay(date: string, precision: 'day' | 'week' | 'month'): string {
  if (precision === 'day') return date;
  if (precision === 'week') return isoFromDayIndex(dayIndex(date) + 6);
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** "7 March" this year, "7 March 2025" another year; "March 2026", "week of 2 March 2026" at those precisions. */
export function plannedDate(date: string, precision: 'day' | 'week' | 'month', today = todayIso()): string {
  if (precision !== 'day') return eventDate(date, precision);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTH_NAMES[m - 1]}${String(y) === today.slice(0, 4) ? '' : ` ${y}`}`;
}

/**
 * What the app needs of an event to say where a plan stands. `realized_by` (the occurred event that reported a
 * plan) and `planned_status` are read when the API serves them.
 */
export interface PlanLike {
  status: string;
  date: string | null;
  date_precision: 'day' | 'week' | 'month';
  realized_by?: string | null;
  planned_status?: string | null;
}

/** True for a planned event that a later article reported as held (the API links it to that event). */
export function plannedAndReported(e: PlanLike): boolean {
  return e.status === 'planned' && (!!e.realized_by || e.planned_status === 'reported');
}

/** True for a planned event whose day (or week, or month) has passed with no report of it. */
export function plannedAndPast(e: PlanLike, today = todayIso()): boolean {
  return e.status === 'planned' && !!e.date && !plannedAndReported(e) && lastPossibleDay(e.date, e.date_precision) < today;
}

/** "planned for 7 March; no report yet" (the day has passed), "planned for 7 March" (still to come). */
export function plannedText(e: PlanLike, today = todayIso()): string | null {
  if (e.status !== 'planned') return null;
  if (!e.date) return 'planned; no date given';
  const when = `planned for ${plannedDate(e.date, e.date_precision, today)}`;
  if (plannedAndReported(e)) return `${when}; reported as held`;
  return plannedAndPast(e, today) ? `${when}; no report yet` : when;
}

/** "19 demonstrations", "1 demonstration". */
export function countText(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** The public badge of a record an editor has checked: "Verified", "Edited" (an editor corrected a value), or null. */
export function reviewBadge(status: string): 'Verified' | 'Edited' | null {
  return status === 'verified' ? 'Verified' : status === 'edited' ? 'Edited' : null;
}
