// Planned events and time: whether a plan's day is still ahead, has passed with no report, or was reported held.
// A stored record does not change when a day passes, so this is worked out when the record is served.
import type { DatePrecision, EventRecord } from './types.js';

/**
 * Where a planned event stands today: "upcoming" (its day is today or later), "no report yet" (its day has passed
 * and no article reports it held), "reported" (an article reports the action at that place that day: realized_by),
 * "date unknown" (a plan with no date). Null for an event that occurred.
 */
export type PlannedStatus = 'upcoming' | 'no report yet' | 'reported' | 'date unknown';
export const PLANNED_STATUSES: readonly PlannedStatus[] = ['upcoming', 'no report yet', 'reported', 'date unknown'];

/** YYYY-MM-DD of a Date on the server's own calendar (its local time zone). */
export function localDay(d: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The day after an event's date ends (exclusive): the next day, the next Monday for a week, the 1st of the next month. */
export function dateEnd(date: string, precision: DatePrecision): string {
  if (precision === 'week') return addDays(date, 7);
  if (precision === 'month') {
    const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + 1);
    return d.toISOString().slice(0, 10);
  }
  return addDays(date, 1);
}

/** Whether the event's day (or week, or month) is over by `today`. An undated event never is. */
export function dayPassed(e: Pick<EventRecord, 'date' | 'date_precision'>, today: string): boolean {
  return e.date !== null && /^\d{4}-\d{2}-\d{2}$/.test(e.date) && dateEnd(e.date, e.date_precision) <= today;
}

export function plannedStatus(e: Pick<EventRecord, 'status' | 'date' | 'date_precision' | 'realized_by'>, today: string): PlannedStatus | null {
  if (e.status !== 'planned') return null;
  if (e.realized_by) return 'reported';
  if (!e.date) return 'date unknown';
  return dayPassed(e, today) ? 'no report yet' : 'upcoming';
}
