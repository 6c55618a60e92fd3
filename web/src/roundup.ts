// The roundup of a day, a date range or a day of action, built in the browser from /api/events (which takes the
// same filters as the map page): occurred and planned counted apart, counts by state and by country, crowd sizes
// summed where reported, and a plain-text version for pasting into a story. Pure functions on event records.
import { api, type EventRecord, type SourceRef } from './api.ts';
import { countText, eventDate, formatNumber, longDate, plannedAndPast, regionName, sizePlain, STATE_NAMES } from './format.ts';
import { sourceName } from './Sources.tsx';

/** US states and the territories counted as states (CCC codes them so). */
const US_COUNTRIES = new Set(['US', 'PR', 'GU', 'VI', 'AS', 'MP']);

export interface RoundupQuery {
  /** one day */
  date: string;
  /** a date range */
  from: string;
  to: string;
  /** a day of action (macro-event) */
  macroevent: string;
}

export function parseRoundupQuery(search: string): RoundupQuery {
  const p = new URLSearchParams(search);
  const iso = (k: string) => (/^\d{4}-\d{2}-\d{2}$/.test(p.get(k) ?? '') ? p.get(k)! : '');
  const q = { date: iso('date'), from: iso('from'), to: iso('to'), macroevent: (p.get('macroevent') ?? '').trim() };
  if (q.from && q.to && q.from > q.to) [q.from, q.to] = [q.to, q.from];
  return q;
}

export function roundupSearch(q: Partial<RoundupQuery>): string {
  const p = new URLSearchParams();
  for (const k of ['date', 'from', 'to', 'macroevent'] as const) if (q[k]) p.set(k, q[k]!);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function isEmptyQuery(q: RoundupQuery): boolean {
  return !q.date && !q.from && !q.to && !q.macroevent;
}

/** The list filters (as the map page and the downloads take them) that select the roundup's events. */
export function roundupFilters(q: RoundupQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.date) {
    p.set('from', q.date);
    p.set('to', q.date);
  } else {
    if (q.from) p.set('from', q.from);
    if (q.to) p.set('to', q.to);
  }
  if (q.macroevent) p.set('macroevent', q.macroevent);
  return p;
}

export interface Group {
  key: string;
  /** US state code, or the country code abroad */
  region: string;
  country: string;
  us: boolean;
  name: string;
  events: EventRecord[];
}

export interface PlaceCount {
  key: string;
  name: string;
  us: boolean;
  occurred: number;
  planned: number;
  sizeLow: number;
  sizeHigh: number;
  sized: number;
}

export interface Roundup {
  query: RoundupQuery;
  /** the one day every dated event of a range or a day of action took place on, if they share one */
  singleDay: string | null;
  heading: string;
  occurred: EventRecord[];
  planned: EventRecord[];
  /** planned events whose day has passed with no report */
  plannedPast: number;
  states: number;
  countries: number;
  summary: string;
  sizes: { low: number; high: number; sized: number; unsized: number };
  sizeLine: string | null;
  occurredGroups: Group[];
  plannedGroups: Group[];
  byState: PlaceCount[];
  byCountry: PlaceCount[];
}

function groupOf(e: EventRecord): { key: string; region: string; country: string; us: boolean; name: string } {
  const us = US_COUNTRIES.has(e.country ?? '');
  if (us) {
    const region = e.region && e.region !== 'US' ? e.region : 'US';
    const name = region === 'US' ? 'United States (nationwide or no state)' : (STATE_NAMES[region] ?? regionName(region, 'US'));
    return { key: `0|${region}`, region, country: 'US', us, name };
  }
  const code = e.country ?? e.region ?? '??';
  return { key: `1|${code}`, region: code, country: code, us, name: code === '??' ? 'Unknown place' : regionName(code, code) };
}

function groupEvents(events: EventRecord[]): Group[] {
  const groups = new Map<string, Group>();
  for (const e of events) {
    const g = groupOf(e);
    let group = groups.get(g.key);
    if (!group) groups.set(g.key, (group = { ...g, events: [] }));
    group.events.push(e);
  }
  const list = [...groups.values()].sort((a, b) => Number(!a.us) - Number(!b.us) || a.name.localeCompare(b.name));
  for (const g of list) g.events.sort((a, b) => (a.locality ?? '').localeCompare(b.locality ?? '') || (a.date ?? '').localeCompare(b.date ?? ''));
  return list;
}

function where(states: number, countries: number): string {
  const parts = [states ? countText(states, 'state', 'states') : '', countries ? countText(countries, states ? 'other country' : 'country', states ? 'other countries' : 'countries') : ''].filter(Boolean);
  return parts.length ? ` in ${parts.join(' and ')}` : '';
}

/** "19 demonstrations in 12 states, and 2 planned": occurred events counted, planned ones apart. */
export function summaryOf(occurred: number, states: number, countries: number, planned: number): string {
  const head = `${countText(occurred, 'demonstration', 'demonstrations')}${where(states, countries)}`;
  return planned ? `${head}, and ${formatNumber(planned)} planned` : head;
}

export function headingOf(q: RoundupQuery): string {
  const when = q.date ? longDate(q.date) : q.from || q.to ? `${q.from ? longDate(q.from) : 'the start'} to ${q.to ? longDate(q.to) : 'today'}` : '';
  return [q.macroevent ? `Day of action: ${q.macroevent}` : '', when].filter(Boolean).join(' · ');
}

function countsBy(groups: Group[], planned: Group[], us: boolean): PlaceCount[] {
  const out = new Map<string, PlaceCount>();
  const row = (g: Group) => {
    let r = out.get(g.key);
    if (!r) out.set(g.key, (r = { key: g.region, name: g.name, us: g.us, occurred: 0, planned: 0, sizeLow: 0, sizeHigh: 0, sized: 0 }));
    return r;
  };
  for (const g of groups.filter((x) => x.us === us)) {
    const r = row(g);
    r.occurred += g.events.length;
    for (const e of g.events) {
      if (e.size_low == null) continue;
      r.sized++;
      r.sizeLow += e.size_low;
      r.sizeHigh += e.size_high ?? e.size_low;
    }
  }
  for (const g of planned.filter((x) => x.us === us)) row(g).planned += g.events.length;
  return [...out.values()].sort((a, b) => b.occurred - a.occurred || b.planned - a.planned || a.name.localeCompare(b.name));
}

/** "At least 12,400 people in the 5 demonstrations that reported a size (up to 15,000 by the higher estimates)". */
export function sizeLineOf(s: Roundup['sizes']): string | null {
  if (s.sized === 0) return s.unsized ? 'No demonstration here reported a crowd size.' : null;
  const where = s.sized === 1 ? 'the 1 demonstration that reported a size' : `the ${formatNumber(s.sized)} demonstrations that reported a size`;
  const upTo = s.high > s.low ? ` (up to ${formatNumber(s.high)} by the higher estimates)` : '';
  const rest = s.unsized ? `; ${formatNumber(s.unsized)} reported none` : '';
  return `At least ${formatNumber(s.low)} people in ${where}${upTo}${rest}.`;
}

export function buildRoundup(query: RoundupQuery, events: EventRecord[]): Roundup {
  const seen = new Set<string>();
  const unique = events.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
  const occurred = unique.filter((e) => e.status === 'occurred');
  const planned = unique.filter((e) => e.status === 'planned');
  const occurredGroups = groupEvents(occurred);
  const plannedGroups = groupEvents(planned);
  const states = occurredGroups.filter((g) => g.us && g.region !== 'US').length;
  const countries = occurredGroups.filter((g) => !g.us).length;
  const sizedEvents = occurred.filter((e) => e.size_low != null);
  const sizes = {
    low: sizedEvents.reduce((n, e) => n + e.size_low!, 0),
    high: sizedEvents.reduce((n, e) => n + (e.size_high ?? e.size_low!), 0),
    sized: sizedEvents.length,
    unsized: occurred.length - sizedEvents.length,
  };
  const days = new Set(unique.filter((e) => e.date && e.date_precision === 'day').map((e) => e.date!));
  const singleDay = query.date ? query.date : days.size === 1 ? [...days][0]! : null;
  const heading = headingOf(query);
  return {
    query,
    singleDay,
    heading: singleDay && !query.date ? `${heading} · ${longDate(singleDay)}` : heading,
    occurred,
    planned,
    plannedPast: planned.filter((e) => plannedAndPast(e)).length,
    states,
    countries,
    summary: summaryOf(occurred.length, states, countries, planned.length),
    sizes,
    sizeLine: sizeLineOf(sizes),
    occurredGroups,
    plannedGroups,
    byState: countsBy(occurredGroups, plannedGroups, true),
    byCountry: countsBy(occurredGroups, plannedGroups, false),
  };
}

// ---- loading ---------------------------------------------------------------------------------------------------

const PAGE = 1000;
const MAX_PAGES = 20;

async function allEvents(params: URLSearchParams, signal: AbortSignal): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const p = new URLSearchParams(params);
    p.set('limit', String(PAGE));
    if (cursor) p.set('cursor', cursor);
    const page = await api.events(p, signal);
    out.push(...page.events);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

/**
 * The roundup's events. A day of action's planned events carry no macro-event (an announcement names no day of
 * action's results), so its roundup adds the planned events dated to the days its demonstrations took place.
 */
export async function loadRoundup(q: RoundupQuery, signal: AbortSignal): Promise<Roundup> {
  const events = await allEvents(roundupFilters(q), signal);
  if (q.macroevent) {
    const days = [...new Set(events.filter((e) => e.date && e.date_precision === 'day').map((e) => e.date!))].sort();
    if (days.length) {
      const p = new URLSearchParams({ status: 'planned', from: days[0]!, to: days.at(-1)! });
      const planned = await allEvents(p, signal);
      events.push(...planned.filter((e) => e.date && days.includes(e.date) && (!e.macroevent || e.macroevent === q.macroevent)));
    }
  }
  return buildRoundup(q, events);
}

// ---- text ------------------------------------------------------------------------------------------------------

export function sourceLabel(s: SourceRef): string {
  return s.publisher && s.title ? `${s.publisher}, “${s.title}”` : (s.publisher ?? (s.title ? `“${s.title}”` : sourceName(s)));
}

/** "January 2026" / "week of 26 January 2026" for a line known only to the month or week; null for a day. */
export function linePeriod(e: EventRecord): string | null {
  return e.date && e.date_precision !== 'day' ? eventDate(e.date, e.date_precision) : null;
}

/** A line's size: plain words ("about 24 people (CCC: dozens)"), or "size not reported". */
export function lineSize(e: EventRecord): string {
  return sizePlain(e) ?? 'size not reported';
}

/** The day a line took place, when the roundup spans several days (its heading gives the one day otherwise). */
export function lineDay(e: EventRecord, singleDay: string | null): string | null {
  if (singleDay || !e.date || e.date_precision !== 'day') return null;
  return longDate(e.date);
}

export function lineText(e: EventRecord, singleDay: string | null): string {
  const parts = [e.locality ?? 'No locality given'];
  if (e.location_detail) parts.push(e.location_detail);
  const day = lineDay(e, singleDay);
  if (day) parts.push(day);
  const period = linePeriod(e);
  if (period) parts.push(period);
  parts.push(lineSize(e));
  const planned = e.status === 'planned' ? ` (planned${plannedAndPast(e) ? '; no report yet' : ''})` : '';
  const src = e.sources.length ? ` (${e.sources.map(sourceLabel).join('; ')})` : '';
  return `${parts.join(' — ')}${planned}${src}`;
}

/** The plain-text version for pasting into a story. */
export function roundupText(r: Roundup): string {
  const out = [r.summary, r.heading];
  if (r.sizeLine) out.push(r.sizeLine);
  out.push('');
  for (const g of r.occurredGroups) {
    out.push(g.name);
    for (const e of g.events) out.push(`- ${lineText(e, r.singleDay)}`);
    out.push('');
  }
  if (r.plannedGroups.length) {
    out.push(`PLANNED (${formatNumber(r.planned.length)}, not counted above)`, '');
    for (const g of r.plannedGroups) {
      out.push(g.name);
      for (const e of g.events) out.push(`- ${lineText(e, r.singleDay)}`);
      out.push('');
    }
  }
  return out.filter((l, i, a) => !(l === '' && a[i - 1] === '')).join('\n').trimEnd() + '\n';
}
