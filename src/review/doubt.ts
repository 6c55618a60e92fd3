// The machine's doubt about an event record: how likely a careful human would change or reject it, from what the
// record itself carries (its confidence, sources, precision, evidence quotes, flags and disputes). The review queue
// is ordered by it, most doubt first, and shows its reasons beside each item. Pure: no store, no clock.
import { RELEVANCE_UNSURE } from '../core/relevance.js';
import type { EventRecord, Evidence } from '../core/types.js';
import { findDates } from '../extract/dates.js';
import { disputeCount } from './status.js';

export interface Doubt {
  /** 0 (nothing to doubt) to 1; higher is more doubt */
  doubt: number;
  /** why, most weighty first: short phrases for the review queue */
  reasons: string[];
}

/** One reason to doubt a record: the chance (0..1) it makes the record wrong, and how the queue says it. */
interface Signal {
  weight: number;
  /** null: counted, not shown (the machine's own confidence when it is not low) */
  reason: string | null;
}

/** Confidence below this is shown as a reason; above it, it still counts. */
const LOW_CONFIDENCE = 0.75;

/** Coarser places than a town, and what each adds. */
const COARSE_PLACE: Partial<Record<EventRecord['geo_precision'], Signal>> = {
  county: { weight: 0.3, reason: 'placed only to the county' },
  state: { weight: 0.45, reason: 'placed only to the state' },
  country: { weight: 0.55, reason: 'placed only to the country' },
};

/** Flags the extractor and the merge set, and what each adds. */
const FLAG_SIGNALS: Record<string, Signal> = {
  sizes_disagree: { weight: 0.3, reason: 'sources disagree on the crowd size' },
  arrests_disagree: { weight: 0.2, reason: 'sources disagree on the arrests' },
  date_after_publication: { weight: 0.45, reason: 'the publication date contradicts the text' },
  published_date_contradicts_text: { weight: 0.45, reason: 'the publication date contradicts the text' },
  [RELEVANCE_UNSURE]: { weight: 0.4, reason: 'the page may not be about a protest' },
};

/**
 * The doubt of a record and its reasons. Independent signals combine as chances of error: doubt = 1 − Π(1 − weight),
 * rounded to three decimals, so one strong reason outranks several weak ones and no sum passes 1.
 */
export function doubtOf(record: EventRecord): Doubt {
  const signals = [
    ...disputeSignals(record),
    confidenceSignal(record),
    sourceSignal(record),
    ...placeSignals(record),
    ...dateSignals(record),
    ...flagSignals(record),
  ];
  // one reason counts once, however many flags say it
  const byReason = new Map<string, Signal>();
  signals.forEach((s, i) => {
    if (!s || !(s.weight > 0)) return;
    const key = s.reason ?? `#${i}`;
    if ((byReason.get(key)?.weight ?? 0) < s.weight) byReason.set(key, s);
  });
  const kept = [...byReason.values()].sort((a, b) => b.weight - a.weight);
  const keep = kept.reduce((k, s) => k * (1 - Math.min(1, s.weight)), 1);
  return { doubt: Math.round((1 - keep) * 1000) / 1000, reasons: kept.filter((s) => s.reason !== null).map((s) => s.reason!) };
}

/** New evidence that differs from a human's value: the strongest reason to look again. */
function disputeSignals(record: EventRecord): Signal[] {
  if (!disputeCount(record)) return [];
  const fields = [...new Set(((record as { disputes?: Array<{ field?: unknown }> }).disputes ?? []).map((d) => String(d.field ?? '')))].filter(Boolean);
  return [{ weight: 0.7, reason: `new evidence disputes an editor's ${fields.length ? fields.join(', ') : 'values'}` }];
}

function confidenceSignal(record: EventRecord): Signal {
  const confidence = Number.isFinite(record.confidence) ? Math.min(1, Math.max(0, record.confidence)) : 0;
  return { weight: 1 - confidence, reason: confidence < LOW_CONFIDENCE ? `low confidence (${confidence.toFixed(2)})` : null };
}

/** One independent source (copies of one story count as one). */
function sourceSignal(record: EventRecord): Signal | null {
  if (record.sources.length === 0) return { weight: 0.4, reason: 'no source' };
  return record.sources.length === 1 || record.flags.includes('single_source') ? { weight: 0.25, reason: 'a single source' } : null;
}

function placeSignals(record: EventRecord): Signal[] {
  const out: Signal[] = [];
  const coarse = COARSE_PLACE[record.geo_precision];
  if (coarse) out.push(coarse);
  if (record.lat === null || record.lon === null) out.push({ weight: 0.2, reason: 'no coordinates' });
  if (record.locality && !placeQuoted(record)) out.push({ weight: 0.3, reason: `${record.locality} is not named where the protest is reported (place taken from context)` });
  return out;
}

/** Whether some quote for the place names the town (or the part of it recorded as location_detail). */
function placeQuoted(record: EventRecord): boolean {
  const names = [record.locality, ...(record.location_detail ?? '').split(';')].map((n) => normalName(n ?? '')).filter((n) => n.length > 1);
  return quotesFor(record, 'locality').some((q) => {
    const text = normalName(q.quote);
    return names.some((n) => text.includes(n));
  });
}

/** A name or text compared loosely: lower case, no accents, "Saint" as "St", only letters and single spaces. */
function normalName(s: string): string {
  // the same quotes are read on every report of their event (see dateReading)
  let n = NORMAL_NAMES.get(s);
  if (n === undefined) {
    if (NORMAL_NAMES.size >= READINGS) NORMAL_NAMES.clear();
    NORMAL_NAMES.set(s, (n = loosely(s)));
  }
  return n;
}

function loosely(s: string): string {
  return ` ${s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\bsaint\b|\bst\b\.?/g, 'st')
    .replace(/[^\p{L}]+/gu, ' ')
    .trim()} `;
}

function dateSignals(record: EventRecord): Signal[] {
  if (!record.date) return [{ weight: 0.5, reason: 'no date' }];
  const out: Signal[] = [];
  if (record.sources.length && record.sources.every((s) => !s.published)) out.push({ weight: 0.2, reason: 'no source has a publication date' });
  if (record.date_precision === 'week') {
    out.push({ weight: 0.35, reason: record.flags.includes('day_unknown') ? 'no day given: dated to the week of the report' : 'date known only to the week' });
  } else if (record.date_precision === 'month') out.push({ weight: 0.45, reason: 'date known only to the month' });
  const quotes = quotesFor(record, 'date');
  if (!quotes.length) {
    // the week of the report already says so
    if (!record.flags.includes('day_unknown')) out.push({ weight: 0.25, reason: 'no quoted sentence gives the date (taken from the rest of the article)' });
    return out;
  }
  const relative = relativeDateWord(record, quotes);
  if (relative) out.push({ weight: 0.15, reason: `date read from "${relative}", counted from the publication day` });
  return out;
}

/**
 * The relative word ("yesterday", "last week", "Saturday") the date was read from, when no quote for the date
 * writes it out as a calendar date; null when one does (or no date expression is found).
 */
function relativeDateWord(record: EventRecord, quotes: Evidence[]): string | null {
  const published = new Map(record.sources.map((s) => [s.id, s.published]));
  let word: string | null = null;
  for (const q of quotes) {
    const read = dateReading(q.quote, published.get(q.source) ?? null);
    if (read.explicit) return null;
    word ??= read.first;
  }
  return word;
}

/**
 * What a quote says of its date, read from the publication day: whether it writes a calendar date, and the first
 * date expression in it. An event is judged again on every report of it, and its earlier quotes are read the same
 * each time: kept by text (up to READINGS of them; then all are forgotten, and kept again as read).
 */
function dateReading(quote: string, published: string | null): { explicit: boolean; first: string | null } {
  if (dateReadings >= READINGS) {
    DATE_READINGS.clear();
    dateReadings = 0;
  }
  // by day, then by the quote itself (a string a record shares with its mention: its hash is worked out once)
  let day = DATE_READINGS.get(published ?? '');
  if (!day) DATE_READINGS.set(published ?? '', (day = new Map()));
  let read = day.get(quote);
  if (!read) {
    const hits = findDates(quote, 0, published, false);
    read = { explicit: hits.some((h) => h.explicit), first: hits[0]?.text ?? null };
    day.set(quote, read);
    dateReadings++;
  }
  return read;
}

/** The most quote readings kept of each kind. */
const READINGS = 20_000;
const DATE_READINGS = new Map<string, Map<string, { explicit: boolean; first: string | null }>>();
let dateReadings = 0;
const NORMAL_NAMES = new Map<string, string>();

function flagSignals(record: EventRecord): Signal[] {
  return record.flags.map((f) => FLAG_SIGNALS[f]).filter((s): s is Signal => s !== undefined);
}

function quotesFor(record: EventRecord, field: string): Evidence[] {
  return record.evidence.filter((e) => e.field === field);
}
