// The roundup of a day or a macro-event: "N demonstrations in M states", then one line per place, grouped by
// US state and, abroad, by country. Built from stored events; every string in it is data, escaped by whoever
// renders it.
import type { EventRecord, SourceRef } from '../core/types.js';
import { readPlacesData } from '../resolve/gazetteer.js';

export interface RoundupLine {
  id: string;
  locality: string | null;
  location_detail: string | null;
  date: string | null;
  date_precision: EventRecord['date_precision'];
  status: EventRecord['status'];
  size_text: string | null;
  size_low: number | null;
  size_high: number | null;
  sources: SourceRef[];
}

export interface RoundupGroup {
  region: string;
  country: string;
  name: string;
  events: RoundupLine[];
}

export interface Roundup {
  date: string | null;
  macroevent: string | null;
  /** "19 demonstrations in 12 states, and 2 planned": occurred events counted, planned ones apart */
  summary: string;
  /** every event listed, occurred and planned */
  events: number;
  occurred: number;
  planned: number;
  /** US states with an occurred event */
  states: number;
  /** countries other than the US with an occurred event */
  countries: number;
  /** crowd sizes of the occurred events that reported one, summed: at least `low`, up to `high` */
  sizes: { low: number; high: number; reported: number };
  groups: RoundupGroup[];
}

/** US states and the territories CCC codes as states. */
const US_COUNTRIES = new Set(['US', 'PR', 'GU', 'VI', 'AS', 'MP']);

let names: { states: Map<string, string>; countries: Map<string, string> } | null = null;
function placeNames() {
  if (!names) {
    const data = readPlacesData();
    names = {
      states: new Map(data.states.map((s) => [s.code, s.name])),
      countries: new Map(data.countries.map((c) => [c.code, c.name])),
    };
  }
  return names;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function buildRoundup(events: EventRecord[], query: { date?: string; macroevent?: string }): Roundup {
  const { states, countries } = placeNames();
  const groups = new Map<string, RoundupGroup & { us: boolean }>();
  for (const e of events) {
    const us = US_COUNTRIES.has(e.country ?? '');
    const region = us ? (e.region ?? 'US') : (e.country ?? e.region ?? '??');
    const key = `${us ? 0 : 1}|${region}`;
    let g = groups.get(key);
    if (!g) {
      const name = us ? (states.get(region) ?? (region === 'US' ? 'United States (nationwide)' : region)) : (countries.get(region) ?? region);
      g = { region, country: us ? 'US' : region, name, events: [], us };
      groups.set(key, g);
    }
    g.events.push({
      id: e.id,
      locality: e.locality,
      location_detail: e.location_detail,
      date: e.date,
      date_precision: e.date_precision,
      status: e.status,
      size_text: e.size_text,
      size_low: e.size_low,
      size_high: e.size_high,
      sources: e.sources,
    });
  }
  const ordered = [...groups.values()].sort((a, b) => Number(a.us === false) - Number(b.us === false) || a.name.localeCompare(b.name));
  for (const g of ordered) g.events.sort((a, b) => (a.locality ?? '').localeCompare(b.locality ?? '') || (a.date ?? '').localeCompare(b.date ?? ''));
  // places are counted by their occurred events: a planned event is no demonstration yet
  const withOccurred = ordered.filter((g) => g.events.some((e) => e.status === 'occurred'));
  const stateCount = withOccurred.filter((g) => g.us && g.region !== 'US').length;
  const countryCount = withOccurred.filter((g) => !g.us).length;
  const occurred = events.filter((e) => e.status === 'occurred');
  const planned = events.length - occurred.length;
  const sized = occurred.filter((e) => e.size_low != null);
  const where = [stateCount ? plural(stateCount, 'state', 'states') : '', countryCount ? plural(countryCount, stateCount ? 'other country' : 'country', stateCount ? 'other countries' : 'countries') : '']
    .filter(Boolean)
    .join(' and ');
  const summary = `${plural(occurred.length, 'demonstration', 'demonstrations')}${where ? ' in ' + where : ''}${planned ? `, and ${planned} planned` : ''}`;
  return {
    date: query.date ?? null,
    macroevent: query.macroevent ?? null,
    summary,
    events: events.length,
    occurred: occurred.length,
    planned,
    states: stateCount,
    countries: countryCount,
    sizes: {
      low: sized.reduce((n, e) => n + e.size_low!, 0),
      high: sized.reduce((n, e) => n + (e.size_high ?? e.size_low!), 0),
      reported: sized.length,
    },
    groups: ordered.map(({ us: _us, ...g }) => g),
  };
}
