// Region codes a user may filter by: a US state or territory code ("OH", "PR"), or, for events abroad, a country's
// ISO 3166-1 alpha-2 code ("FR") or the country's name as records write it ("France": see src/extract/index.ts,
// which names the country abroad so that CA the state never meets CA the country). Read from the two small tables
// in data/places, not from the gazetteer, so that checking a filter costs nothing.
import { readPlacesData } from './gazetteer.js';

interface RegionTables {
  states: Set<string>;
  /** country code -> the name records use */
  countryNames: Map<string, string>;
  /** lower-cased country name or alias -> the name records use */
  countryByName: Map<string, string>;
}

let tables: RegionTables | null = null;

function regionTables(): RegionTables {
  if (tables) return tables;
  const data = readPlacesData();
  const countryNames = new Map<string, string>();
  const countryByName = new Map<string, string>();
  for (const c of data.countries) {
    countryNames.set(c.code, c.name);
    for (const n of [c.name, ...c.aliases]) if (!countryByName.has(n.toLowerCase())) countryByName.set(n.toLowerCase(), c.name);
  }
  tables = { states: new Set(data.states.map((s) => s.code)), countryNames, countryByName };
  return tables;
}

/**
 * The values of the stored `region` that a region filter selects, or null when the filter names no region we know.
 * A two-letter code is a US state or territory first (CA is California), else a country (FR selects the events in
 * France, whose region reads "France"). `present` are the regions the store holds: a code or name found there is
 * known even when our tables lack it (a territory abroad stored under its code).
 */
export function regionValues(input: string, present: Iterable<string> = []): string[] | null {
  const t = regionTables();
  const v = input.trim();
  if (/^[A-Za-z]{2}$/.test(v)) {
    const code = v.toUpperCase();
    if (t.states.has(code)) return [code];
    const name = t.countryNames.get(code);
    if (name) return name === code ? [code] : [code, name];
  } else {
    const name = t.countryByName.get(v.toLowerCase());
    if (name) return [name];
  }
  for (const p of present) if (p.toLowerCase() === v.toLowerCase()) return [p];
  return null;
}

/**
 * The region filter as the store takes it (a two-letter code in capitals, a name as given), or null when the input
 * names no region we know nor one the store holds (`present`, asked only when our tables do not know it).
 */
export function regionFilter(input: string, present: () => Iterable<string> = () => []): string | null {
  if (!(regionValues(input) ?? regionValues(input, present()))) return null;
  return /^[A-Za-z]{2}$/.test(input) ? input.toUpperCase() : input;
}

/** The US and the territories CCC codes as states (a territory is also a country code of its own). */
export const US_AREAS: ReadonlySet<string> = new Set(['US', 'PR', 'GU', 'VI', 'AS', 'MP']);

/** Whether a two-letter code is a country's ISO 3166-1 code we know (or a US territory's). */
export function isCountryCode(code: string): boolean {
  const c = code.toUpperCase();
  return regionTables().countryNames.has(c) || US_AREAS.has(c);
}

/**
 * A region as records store it (a US state code, or abroad the country's name: "FR" and "france" are "France"), or
 * null when it names no region we know nor one the store holds (`present`).
 */
export function storedRegion(input: string, present: () => Iterable<string> = () => []): string | null {
  const values = regionValues(input) ?? regionValues(input, present());
  return values ? values[values.length - 1]! : null;
}

/** The message for a region we do not know, naming the option or parameter at fault. */
export function unknownRegionMessage(param: string, given: string): string {
  const shown = given.length > 60 ? given.slice(0, 60) + '…' : given;
  return `${param} ${JSON.stringify(shown)} is not a region we know: give a two-letter US state code (OH), a country's two-letter ISO code (FR) or a country's name (France)`;
}
