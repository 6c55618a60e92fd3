// Dates for people to read, at the precision they are known to. An event's `date` is a day (precision 'day'),
// the Monday of a week ('week') or the 1st of a month ('month'): "January 30, 2026", "week of 26 January 2026",
// "January 2026". Pure string work on YYYY-MM-DD (no time zones, no Date objects, no Node APIs): the server,
// the command line and the web app (web/src/format.ts) all import this one module.
import type { DatePrecision } from './types.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parts(iso: string | null | undefined): { y: string; m: number; d: number } | null {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!m) return null;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? { y: m[1], m: month, d: day } : null;
}

/** "January 30, 2026" from "2026-01-30"; the input itself when it is not a date, `unknown` for none. */
export function longDate(iso: string | null | undefined, unknown = 'Unknown date'): string {
  const p = parts(iso);
  if (!p) return iso || unknown;
  return `${MONTHS[p.m - 1]} ${p.d}, ${p.y}`;
}

/** "Jan 30, 2026" from "2026-01-30"; the input itself when it is not a date, `unknown` for none. */
export function shortDate(iso: string | null | undefined, unknown = '—'): string {
  const p = parts(iso);
  if (!p) return iso || unknown;
  return `${SHORT[p.m - 1]} ${p.d}, ${p.y}`;
}

export interface EventDateOptions {
  /** how a day-precision date reads: 'long' "January 30, 2026", 'short' "Jan 30, 2026", 'iso' "2026-01-30" */
  day?: 'long' | 'short' | 'iso';
  /** the text for a missing date */
  unknown?: string;
}

/**
 * An event's date as far as it is known: the day in the chosen style, "week of 26 January 2026" for a week
 * (its Monday), "January 2026" for a month. Never a made-up day for a week or a month.
 */
export function eventDate(date: string | null | undefined, precision: DatePrecision | null | undefined, opts: EventDateOptions = {}): string {
  const unknown = opts.unknown ?? 'Unknown date';
  const p = parts(date);
  if (!p) return date || unknown;
  if (precision === 'month') return `${MONTHS[p.m - 1]} ${p.y}`;
  if (precision === 'week') return `week of ${p.d} ${MONTHS[p.m - 1]} ${p.y}`;
  const style = opts.day ?? 'long';
  return style === 'iso' ? date! : style === 'short' ? shortDate(date) : longDate(date);
}
