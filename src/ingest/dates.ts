// Date helpers for ingest: parse metadata date values, find calendar dates in header lines and URLs.
// Every function returns an ISO day (YYYY-MM-DD) or null; nothing here reads the clock.

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = '(\\d{4})';

/** "28 January 2026", "28th of Jan. 2026" */
const DAY_MONTH_YEAR = new RegExp(`\\b${DAY}\\s+(?:of\\s+)?${MONTH}\\.?,?\\s+${YEAR}\\b`, 'i');
/** "January 28, 2026", "Jan. 28 2026" */
const MONTH_DAY_YEAR = new RegExp(`\\b${MONTH}\\.?\\s+${DAY},?\\s+${YEAR}\\b`, 'i');
/** "2025 Apr 5", "2025 April 5" (a stamp that writes the year first) */
const YEAR_MONTH_DAY = new RegExp(`\\b${YEAR}\\s+${MONTH}\\.?\\s+${DAY}\\b(?![:\\d])`, 'i');
/** "2026-01-28", also the date part of "2026-01-28T10:00:00Z" */
const ISO = /\b(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])/;
/** "2026/01/28" */
const YMD_SLASH = /\b(\d{4})\/(\d{1,2})\/(\d{1,2})\b/;
/** "Jan 28", "• January 28" without a year */
const MONTH_DAY = new RegExp(`\\b${MONTH}\\.?\\s+${DAY}\\b(?!,?\\s*\\d{4})`, 'i');

export function monthNumber(name: string): number {
  return MONTHS[name.slice(0, 3).toLowerCase()] ?? 0;
}

/** A valid calendar day between 1900 and 2199 as YYYY-MM-DD, else null. */
export function isoDay(y: number, m: number, d: number): string | null {
  if (!(y >= 1900 && y < 2200 && m >= 1 && m <= 12 && d >= 1)) return null;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > daysInMonth) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export interface FoundDate {
  iso: string;
  /** offset and length of the matched date text in the searched string */
  index: number;
  length: number;
  /** true when the match was a numeric ISO / slash date */
  numeric: boolean;
}

/** The first full calendar date (with a year) in a string. */
export function findFullDate(s: string): FoundDate | null {
  let best: FoundDate | null = null;
  const consider = (m: RegExpExecArray | null, y: number, mo: number, d: number, numeric: boolean) => {
    if (!m) return;
    const iso = isoDay(y, mo, d);
    if (iso && (!best || m.index < best.index)) best = { iso, index: m.index, length: m[0].length, numeric };
  };
  let m = ISO.exec(s);
  if (m) consider(m, +m[1], +m[2], +m[3], true);
  m = YMD_SLASH.exec(s);
  if (m) consider(m, +m[1], +m[2], +m[3], true);
  m = DAY_MONTH_YEAR.exec(s);
  if (m) consider(m, +m[3], monthNumber(m[2]), +m[1], false);
  m = MONTH_DAY_YEAR.exec(s);
  if (m) consider(m, +m[3], monthNumber(m[1]), +m[2], false);
  m = YEAR_MONTH_DAY.exec(s);
  if (m) consider(m, +m[1], monthNumber(m[2]), +m[3], false);
  return best;
}

/** A month and day without a year ("Jan 28"), or null. */
export function findMonthDay(s: string): { month: number; day: number } | null {
  const m = MONTH_DAY.exec(s);
  if (!m) return null;
  const month = monthNumber(m[1]);
  const day = +m[2];
  return isoDay(2000, month, day) ? { month, day } : null;
}

/**
 * A date value from metadata: ISO 8601 (the publisher's local calendar day is kept, no time-zone shift),
 * "2026/01/28", "20260128", month-name forms and RFC 2822 ("Wed, 28 Jan 2026 10:00:00 GMT").
 */
export function parseDateValue(value: string): string | null {
  const s = value.trim();
  if (!s) return null;
  const compact = /^(\d{4})(\d{2})(\d{2})(?:T|$)/.exec(s);
  if (compact) return isoDay(+compact[1], +compact[2], +compact[3]);
  const found = findFullDate(s);
  if (found && found.index < 40) return found.iso;
  // Unix time in seconds or milliseconds
  if (/^\d{10}(\d{3})?$/.test(s)) {
    const ms = s.length === 10 ? +s * 1000 : +s;
    const d = new Date(ms);
    return isoDay(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  return null;
}

/** A date in a URL path: /2026/01/31/, /2026-01-31/ or /20260131/. */
export function dateFromUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const m =
    /\/((?:19|20)\d{2})\/(\d{1,2})\/(\d{1,2})(?:\/|$)/.exec(path) ??
    /[/_-]((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[/_.-]|$)/.exec(path) ??
    /\/((?:19|20)\d{2})(\d{2})(\d{2})(?:\/|$)/.exec(path);
  return m ? isoDay(+m[1], +m[2], +m[3]) : null;
}

// Words that may appear in a line that carries nothing but a date or a time stamp.
const DATE_NOISE = new RegExp(
  [
    `\\d{4}-\\d{1,2}-\\d{1,2}(?:t[\\d:.]+(?:z|[+-]\\d{2}:?\\d{2})?)?`,
    `\\d{1,2}:\\d{2}(?::\\d{2})?\\s*(?:[ap]\\.?m\\.?)?`,
    `${MONTH}\\.?`,
    '(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\\.?',
    '\\d+(?:st|nd|rd|th)?',
    '[ap]\\.?m\\.?',
    '(?:utc|gmt|[ecmp][sd]?t|bst|cet|cest|ist|aest|aedt)',
    'ago|just now|today|yesterday|(?:sec|second|min|minute|hr|hour|day|week|month|year)s?',
    'date[ds]?|updated?|published|posted|modified|last|first|on|at|of',
  ].join('|'),
  'gi',
);

/**
 * True for a line made only of a date or time stamp and its labels:
 * "date 2026-01-31 4 hours ago", "• Jan 28", "28 January 2026", "Updated 3:45 PM EST, Jan. 30, 2026".
 */
export function isDateOnlyLine(line: string): boolean {
  if (line.length > 90 || !/\d/.test(line)) return false;
  const rest = line.replace(DATE_NOISE, ' ').replace(/[\s•·|,.\-–—/:()[\]]+/g, '');
  return rest.length === 0;
}
