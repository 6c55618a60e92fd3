// Ranking gazetteer candidates by context, and geocoding free-form place strings ("St. Paul, Minn.").

import type { GeoPrecision, Place, PlaceKind } from '../core/types.js';
import { haversineKm } from '../core/geo.js';
import { loadGazetteer, normalizeName, readPlacesData, type Gazetteer } from './gazetteer.js';

export interface GeoContext {
  /** an explicit state/country qualifier ("Portland, Maine"): decisive */
  region?: string | null;
  /** regions named near the mention (same sentence, heading): strong */
  nearbyRegions?: string[];
  /** weights of regions in the whole article: moderate */
  articleRegions?: Record<string, number>;
  /** the article's country, e.g. "US": mild */
  country?: string | null;
  /** the text says "around the world"/"abroad": no home-country bonus */
  abroad?: boolean;
  /** US counties the article names ("Fillmore County"), lower case: a namesake in one of them is meant */
  counties?: string[];
}

export interface GeocodeAlternative {
  locality: string | null;
  region: string | null;
  country: string | null;
  lat: number;
  lon: number;
  score: number;
}

export interface GeocodeResult {
  query: string;
  locality: string | null;
  region: string | null;
  country: string | null;
  lat: number;
  lon: number;
  county: string | null;
  fips: string | null;
  precision: GeoPrecision;
  placeId: string;
  /** when the match is a neighbourhood: its own name (lat/lon are its own point, locality the city containing it) */
  neighbourhood: string | null;
  /**
   * the part of the city the query names, kept as CCC keeps it in `location` while the locality is the city: a
   * neighbourhood ("Echo Park") or a New York borough ("Brooklyn"); null otherwise
   */
  location_detail: string | null;
  /** another reading of the name is about as likely as the one given (see AMBIGUITY_MARGIN): say which place is meant */
  ambiguous: boolean;
  /** when ambiguous: the likeliest readings, the one given first; else empty */
  candidates: GeocodeCandidate[];
  alternatives: GeocodeAlternative[];
}

export interface GeocodeCandidate {
  locality: string | null;
  region: string | null;
  country: string | null;
  county: string | null;
  population: number;
  lat: number;
  lon: number;
}


// ---------------------------------------------------------------------------------------------
// Scoring weights. A candidate's score is the sum of these terms; higher is better.

/** the candidate lies in the explicit qualifier's region (or country) */
export const W_QUALIFIER = 1000;
/** the candidate contradicts an explicit qualifier */
export const W_QUALIFIER_MISMATCH = -1000;
/** the candidate's region is named near the mention */
export const W_NEARBY = 40;
/** times the share of the article's region weight that the candidate's region carries (dominant region = 1) */
export const W_ARTICLE = 15;
/** the candidate is in the article's country (unless the text is about places abroad) */
export const W_HOME_COUNTRY = 8;
/** per tenfold of population; populations below POPULATION_FLOOR count as the floor */
export const W_POPULATION = 5;
export const POPULATION_FLOOR = 100;
/**
 * A name is ambiguous when a different town scores within this many points of the best: a runner-up that would win
 * with five times its population (Franklin TN, WI and MA; Clinton IA, MS and MD), but not a town of a few thousand
 * beside a city (Reno NV and TX).
 */
export const AMBIGUITY_MARGIN = W_POPULATION * Math.log10(5);
const MAX_CANDIDATES = 5;
/**
 * per prominence point (seat of government; own post office name), counted only for candidates in a region
 * the context points to: context picks the region, prominence picks the town among namesakes in it
 */
export const W_PROMINENCE = 3;
/** by kind: a bare name is first a town; neighbourhoods, counties, states and countries need the context */
export const KIND_BONUS: Record<PlaceKind, number> = {
  locality: 0,
  neighbourhood: -6,
  county: -8,
  state: -6,
  country: -4,
};

/** US states' places carry country "US"; the territories (PR, GU, VI, AS, MP) carry their own code as both. */
const US_COUNTRIES = new Set(['US', 'PR', 'GU', 'VI', 'AS', 'MP']);

/** The place lies in the US state or territory `state` (not in a country sharing the code: IN India, CO Colombia). */
function inState(place: Place, state: string): boolean {
  return place.region === state && US_COUNTRIES.has(place.country);
}

function regionMatches(place: Place, region: string): boolean {
  return place.region === region || place.country === region;
}

export function scorePlace(place: Place, ctx: GeoContext, gaz: Gazetteer | null = null): number {
  return scoreWith(place, ctx, gaz, maxArticleWeight(ctx));
}

/** The largest of the article's region weights (0 when none): the same for every candidate of a context. */
function maxArticleWeight(ctx: GeoContext): number {
  let max = 0;
  if (ctx.articleRegions) for (const w of Object.values(ctx.articleRegions)) if (w > max) max = w;
  return max;
}

function scoreWith(place: Place, ctx: GeoContext, gaz: Gazetteer | null, max: number): number {
  let score = W_POPULATION * Math.log10(Math.max(place.population, POPULATION_FLOOR)) + KIND_BONUS[place.kind];
  let inContext = false;
  if (ctx.region) {
    const ok = regionMatches(place, ctx.region);
    score += ok ? W_QUALIFIER : W_QUALIFIER_MISMATCH;
    inContext ||= ok;
  }
  if (ctx.nearbyRegions && ctx.nearbyRegions.some((r) => regionMatches(place, r))) {
    score += W_NEARBY;
    inContext = true;
  }
  if (ctx.articleRegions) {
    if (max > 0) {
      const w = Math.max(ctx.articleRegions[place.region] ?? 0, place.country !== place.region ? ctx.articleRegions[place.country] ?? 0 : 0);
      score += (W_ARTICLE * w) / max;
      inContext ||= w > 0;
    }
  }
  if (ctx.counties?.length && place.county && place.country === 'US' && ctx.counties.includes(place.county.toLowerCase())) {
    score += W_NEARBY;
    inContext = true;
  }
  if (ctx.country && !ctx.abroad && place.country === ctx.country) score += W_HOME_COUNTRY;
  if (inContext && gaz) score += W_PROMINENCE * gaz.prominence(place);
  return score;
}

/** Candidates ordered best first. Ties go to the larger population, then the id, so the order is stable. */
export function rankPlaces(cands: Place[], ctx: GeoContext = {}): Array<{ place: Place; score: number }> {
  // (a short list is checked for repeated ids by a scan; a Set only for a long one)
  const seen = cands.length > 16 ? new Set<string>() : null;
  const gaz = cands.length > 1 ? loadGazetteer() : null;
  const max = maxArticleWeight(ctx);
  const out: Array<{ place: Place; score: number }> = [];
  for (const place of cands) {
    if (seen ? seen.has(place.id) : out.some((o) => o.place.id === place.id)) continue;
    seen?.add(place.id);
    out.push({ place, score: scoreWith(place, ctx, gaz, max) });
  }
  out.sort(
    (a, b) =>
      b.score - a.score ||
      b.place.population - a.place.population ||
      (a.place.id < b.place.id ? -1 : a.place.id > b.place.id ? 1 : 0),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Query parsing

/** geocode() assumes a US reader unless the context names another country (or null for none). */
export const DEFAULT_COUNTRY = 'US';

interface Qualifier {
  region: string; // US state code or ISO2 country code
  kind: 'state' | 'country';
}

function qualifierOf(gaz: Gazetteer, s: string): Qualifier | null {
  const t = s.trim();
  if (!t) return null;
  const st = gaz.state(t);
  if (st) return { region: st.code, kind: 'state' };
  const co = gaz.country(t);
  if (co) return { region: co.code, kind: 'country' };
  return null;
}

const AFFIX_PATTERNS: RegExp[] = [
  /^(city|town|village|borough|township|municipality|county) of /,
  / (charter township|township|twp|town|village|borough|city|cdp|municipality)$/,
  /^(downtown|uptown|midtown|greater|central|north|south|east|west|northern|southern|eastern|western|northeast|northwest|southeast|southwest|eastside|westside|northside|southside|historic) /
];

/** "Moon Township", "Brownstown Twp", "Lake Charter Township", "Township of Ocean" */
const TOWNSHIP_AFFIX = /^township of | (charter township|township|twp)$/;

/** In a state, a namesake that is no Census place and has fewer people gives way to one that is. */
export const CENSUS_PREFERENCE_POPULATION = 10_000;

/** A SimpleMaps town (mostly a township or New England town), which geocode asks after the other places of its name. */
const isMinorTown = (gaz: Gazetteer, p: Place): boolean => gaz.flags(p).includes('w');

/**
 * Lookup with fallbacks: the name as written, then without "City of"/"Township"/"downtown" affixes. With a
 * region, every step looks only in that region (including the places indexed only under it, see
 * Gazetteer.lookupInRegion), so a namesake elsewhere does not stop the fallbacks.
 */
function lookupWithFallbacks(gaz: Gazetteer, name: string, region: string | null = null, alternate = false): Place[] {
  const lookAll = (n: string): Place[] =>
    !region
      ? gaz.lookup(n)
      : alternate
        ? gaz.lookupAlternate(n, region).filter((p) => inState(p, region))
        : gaz.lookupInRegion(n, region).filter((p) => inState(p, region));
  // SimpleMaps towns (flag "w": townships, New England towns) only when no other place of the name is in the state:
  // a borough, not the township of the same name beside it
  const look = (n: string): Place[] => {
    const all = lookAll(n);
    const main = all.filter((p) => !isMinorTown(gaz, p));
    // among namesakes in the state, a Census place (incorporated place or CDP) before a small place that is none
    // (a post office name, a hamlet): the Census place is what "Monroe, IN" names
    if (region && main.some((p) => p.kind === 'locality' && gaz.flags(p).includes('p'))) {
      return main.filter((p) => p.kind !== 'locality' || gaz.flags(p).includes('p') || p.population >= CENSUS_PREFERENCE_POPULATION);
    }
    return main.length ? main : all;
  };
  const key = normalizeName(name);
  // "Franklin Township, NJ": the township of that name before any other Franklin
  if (region && !alternate && TOWNSHIP_AFFIX.test(key)) {
    const twp = lookAll(key.replace(TOWNSHIP_AFFIX, '')).filter((p) => isMinorTown(gaz, p));
    if (twp.length) return twp;
  }
  const direct = look(name);
  // "Butler, OH": the village of Butler, not Butler County, which is written with its "County"
  const towns = direct.filter((p) => p.kind === 'locality' || p.kind === 'neighbourhood');
  if (towns.length && direct.some((p) => p.kind === 'county' && normalizeName(p.name) !== key)) {
    return direct.filter((p) => p.kind !== 'county' || normalizeName(p.name) === key);
  }
  if (direct.length) return direct;
  for (const re of AFFIX_PATTERNS) {
    if (!re.test(key)) continue;
    // in a region, a place in it, not the region itself left when the affix goes ("Michigan City, MI" does not name
    // Michigan; "Central Texas" does name Texas)
    const found = look(key.replace(re, '')).filter((p) => !region || (p.kind !== 'state' && p.kind !== 'country'));
    if (found.length) return found;
  }
  const withCity = look(`${key} city`); // "West Valley" -> "West Valley City"
  if (withCity.length) return withCity;
  const noParens = name.replace(/\([^)]*\)/g, ' ').trim();
  if (noParens !== name.trim() && noParens) return look(noParens);
  // "Shreveport/Bossier", "Eugene-Bend": the first named piece
  const pieces = name.split(/\s*[/+&]\s*|\s+-\s+|-|\s+and\s+/).map((x) => x.trim()).filter(Boolean);
  // (unless the whole name is a town in another state: "Winston-Salem, SC" is no Salem, SC)
  const elsewhere = (): boolean => !!region && gaz.lookup(name).some((p) => p.kind === 'locality' && US_COUNTRIES.has(p.country));
  if (pieces.length > 1 && !elsewhere()) for (const piece of pieces) {
    const found = look(piece);
    if (found.length) return found;
  }
  return [];
}

/** Generic last words of US place names: "Daytona" is written for Daytona Beach, "Ventura Beach" for Ventura. */
const GENERIC_TAILS = [
  'beach', 'city', 'springs', 'hills', 'heights', 'park', 'falls', 'village', 'center', 'junction', 'valley', 'township', 'island',
  'hill', 'corner', 'corners', 'courthouse', 'depot', 'station', 'mills', 'square', 'crossing',
];
/** A first word that writers leave out: "Johnsbury" for Saint Johnsbury. */
const GENERIC_HEADS = ['saint'];

/**
 * In a region, a name that differs from exactly one place's name by a generic last word ("Daytona, FL" ->
 * Daytona Beach; "Ventura Beach, CA" -> Ventura) or a left-out "Saint" ("Johnsbury, VT"). Only when that place is
 * the one such namesake in the region.
 */
function genericTailMatch(gaz: Gazetteer, name: string, region: string): Place[] {
  const key = normalizeName(name);
  if (!key) return [];
  const tokens = key.split(' ');
  const last = tokens[tokens.length - 1]!;
  const found = new Map<string, Place>();
  const add = (ps: Place[]): void => {
    for (const p of ps) if (inState(p, region) && (p.kind === 'locality' || p.kind === 'neighbourhood')) found.set(p.id, p);
  };
  if (tokens.length > 1 && GENERIC_TAILS.includes(last)) add(gaz.lookupInRegion(tokens.slice(0, -1).join(' '), region));
  if (!GENERIC_TAILS.includes(last)) for (const t of GENERIC_TAILS) add(gaz.lookupInRegion(`${key} ${t}`, region));
  if (!GENERIC_HEADS.includes(tokens[0]!)) for (const h of GENERIC_HEADS) add(gaz.lookupInRegion(`${h} ${key}`, region));
  const ps = [...found.values()];
  // one place under two ids (a village and the town around it) counts once
  const one = ps.every((p) => normalizeName(p.name) === normalizeName(ps[0]!.name) && haversineKm(p.lat, p.lon, ps[0]!.lat, ps[0]!.lon) <= 15);
  return ps.length && one ? ps : [];
}

/** In a region, the towns a one-edit typo away from the name without its generic last word ("Tuscalosa City"). */
function genericTailTypoMatch(gaz: Gazetteer, name: string, region: string): Place[] {
  const tokens = normalizeName(name).split(' ');
  if (tokens.length < 2 || !GENERIC_TAILS.includes(tokens[tokens.length - 1]!)) return [];
  return gaz.fuzzyLookup(tokens.slice(0, -1).join(' '), region, 1).filter((p) => inState(p, region) && p.kind === 'locality');
}

/** Spellings of one word ending that US place names use either way: Hillsboro and Hillsborough, Greensburg and Greensburgh. */
const SPELLING_VARIANTS: Array<[RegExp, string]> = [
  [/boro\b/g, 'borough'],
  [/borough\b/g, 'boro'],
  [/burg\b/g, 'burgh'],
  [/burgh\b/g, 'burg'],
  [/center\b/g, 'centre'],
  [/centre\b/g, 'center'],
];

/** In a region, the places named by the name with a word ending spelled the other way ("Hillsboro, NC" -> Hillsborough). */
function spellingVariantMatch(gaz: Gazetteer, name: string, region: string): Place[] {
  const key = normalizeName(name);
  const out = new Map<string, Place>();
  for (const [re, to] of SPELLING_VARIANTS) {
    const v = key.replace(re, to);
    if (v !== key) for (const p of gaz.lookupInRegion(v, region)) if (inState(p, region) && (p.kind === 'locality' || p.kind === 'neighbourhood')) out.set(p.id, p);
  }
  return [...out.values()];
}

/**
 * First words of US place names that name a place after the one it lies by ("Fort Stockton", "Lake Havasu", "South
 * Royalton", "San Ramon"): writers leave them out ("Stockton, TX" for Fort Stockton), or write them for the place
 * itself ("Lake Pueblo, CO" for Pueblo).
 */
const DERIVED_HEADS = ['fort', 'mount', 'port', 'san', 'santa', 'lake', 'bay', 'north', 'south', 'east', 'west', 'upper', 'lower', 'new'];
/** Places this close together are one answer for a name that leaves out a head word. */
const DERIVED_CLUSTER_KM = 25;

/**
 * In a region, the places named by the name with a head word added ("Stockton, TX" -> Fort Stockton) when they all
 * lie within DERIVED_CLUSTER_KM of each other ("Lyme, CT": East Lyme and South Lyme), else the place named by the name
 * without its head word ("Lake Pueblo, CO" -> Pueblo).
 */
function derivedHeadMatch(gaz: Gazetteer, name: string, region: string): Place[] {
  const key = normalizeName(name);
  if (!key) return [];
  const tokens = key.split(' ');
  const found = new Map<string, Place>();
  if (!DERIVED_HEADS.includes(tokens[0]!))
    for (const h of DERIVED_HEADS)
      for (const p of gaz.lookupInRegion(`${h} ${key}`, region)) if (inState(p, region) && p.kind === 'locality') found.set(p.id, p);
  const ps = [...found.values()];
  if (ps.length && ps.every((p) => ps.every((q) => haversineKm(p.lat, p.lon, q.lat, q.lon) <= DERIVED_CLUSTER_KM))) return ps;
  if (tokens.length > 1 && DERIVED_HEADS.includes(tokens[0]!)) {
    const rest = gaz.lookupInRegion(tokens.slice(1).join(' '), region).filter((p) => inState(p, region) && p.kind === 'locality');
    if (rest.length) return rest;
  }
  return [];
}

/**
 * Names of at least this many letters may be two edits off ("Abeline" -> Abilene, "Fullteron" -> Fullerton) when
 * they match nothing in the qualifier's region; shorter ones one edit.
 */
export const FUZZY2_MIN_LETTERS = 7;

/** A "well-known" town for the cross-state rule below: at least this many people. */
export const WELL_KNOWN_POPULATION = 100_000;
/** A dominant namesake for the cross-state rule below: at least this many people... */
export const DOMINANT_POPULATION = 10_000;
/** ...and this many times as many as any other US place of the name. */
export const DOMINANT_RATIO = 10;
/** A likely namesake, asked after every reading in the state: DOMINANT_POPULATION people and this many times as many. */
export const LIKELY_RATIO = 2;

type CrossStateRule = 'border' | 'slip' | 'dominant' | 'likely';

/**
 * When a state qualifier names a state with no place of that name, one of these readings of a slip in the state:
 * - a border town: a namesake in a neighbouring state lies within 15 km of the named state ("Chattanooga, GA",
 *   "Weirton, OH"); the metro area straddles the line and writers name either side;
 * - a code slip: the state's code is often written for another state's (AK for Arkansas; data/places/state-slips.tsv)
 *   and a place of the name lies there ("Little Rock, AK");
 * - a dominant town: the largest US place of the name has at least DOMINANT_POPULATION people and DOMINANT_RATIO
 *   times as many as any other ("Anaheim, FL", "Tulsa, KS", "Wichita, MO"), or it is the only one and has
 *   WELL_KNOWN_POPULATION; the name alone says which town is meant, as it would without a state;
 * - a likely town, asked only after every reading in the state, typos included: the only US town of the name, of
 *   any size ("Ogunquit, NH"), or the largest with DOMINANT_POPULATION people and LIKELY_RATIO times as many as any
 *   other ("Fayetteville, ME" is Fayetteville, NC). A name that no place of the state has, nor a typo of one, is more likely a slip of
 *   the state than a place nobody has heard of.
 * Otherwise the qualifier stays decisive and the result is the state itself: "Franklin, ME" is Maine, since no
 * Franklin stands out. Either way, the state itself is listed among the alternatives, so the conflict with the
 * qualifier stays visible to the caller.
 */
function crossStateMatch(gaz: Gazetteer, name: string, region: string, rule: CrossStateRule): Place[] {
  // a township is a place of its state: "Bloomfield Township, MI" is not Bloomfield, NJ
  if (TOWNSHIP_AFFIX.test(normalizeName(name))) return [];
  // the name as written, or with "City" ("Lake Havasu"): not a piece of it, nor without a "Village" it has ("Canyon
  // Village, WY" is no slip for Canyon, TX)
  const direct = gaz.lookup(name);
  const us = (direct.length ? direct : gaz.lookup(`${normalizeName(name)} city`)).filter(
    (p) => p.country === 'US' && p.kind === 'locality' && p.region !== region,
  );
  if (!us.length) return [];
  if (rule === 'border') return us.filter((p) => gaz.borderRegions(p).includes(region));
  if (rule === 'slip') {
    const slips = gaz.stateSlips(region);
    return us.filter((p) => slips.includes(p.region));
  }
  return standsOut(us, rule === 'likely');
}

/**
 * Among US towns of one name, the one the name alone points to: the only one when it has WELL_KNOWN_POPULATION people
 * (any number when `likely`), or the largest with DOMINANT_POPULATION people and DOMINANT_RATIO (LIKELY_RATIO) times
 * as many as any other. Else none.
 */
function standsOut(us: Place[], likely: boolean): Place[] {
  if (!us.length) return [];
  const states = new Set(us.map((p) => p.region));
  if (states.size === 1 && (likely || Math.max(...us.map((p) => p.population)) >= WELL_KNOWN_POPULATION)) return us;
  const byPop = [...us].sort((a, b) => b.population - a.population);
  const top = byPop[0]!;
  // other places of the name: not the top one under another id (a namesake within 25 km is the same town)
  const others = byPop.filter((p) => p !== top && (p.region !== top.region || haversineKm(p.lat, p.lon, top.lat, top.lon) > 25));
  const second = Math.max(POPULATION_FLOOR, ...others.map((p) => p.population));
  const ratio = likely ? LIKELY_RATIO : DOMINANT_RATIO;
  return top.population >= DOMINANT_POPULATION && top.population >= ratio * second ? [top] : [];
}

let usStateCodes: string[] | null = null;

/**
 * A one-edit typo (first letter kept, see Gazetteer.fuzzyLookup) of a town in another state, asked when nothing in
 * the named state reads it: in a code-slip state ("Fayeteville, AK" is Fayetteville, AR), else a dominant town of the
 * names found ("Oklahama City, TX" is Oklahoma City, OK).
 */
function crossStateTypo(gaz: Gazetteer, name: string, region: string): Place[] {
  if (TOWNSHIP_AFFIX.test(normalizeName(name))) return [];
  usStateCodes ??= readPlacesData().states.map((s) => s.code);
  const found: Place[] = [];
  for (const st of usStateCodes) {
    if (st === region) continue;
    for (const p of gaz.fuzzyLookup(name, st, 1)) if (p.kind === 'locality' && inState(p, st)) found.push(p);
  }
  const slips = gaz.stateSlips(region);
  const slipped = found.filter((p) => slips.includes(p.region));
  return slipped.length ? slipped : standsOut(found, false);
}

/**
 * The name without the state and country codes and ZIP codes at its end, keeping at least one word ("Ocala FL 34470"
 * -> "Ocala"). Only codes in capitals: a word like "Kent" or "Washington" is part of a name ("Fort Kent").
 */
function trimTrailingQualifiers(gaz: Gazetteer, name: string): string {
  const tokens = name.split(' ');
  const strip = (t: string): boolean => /^\d{5}(-\d{4})?$/.test(t) || (/^[A-Z]{2,3}$/.test(t) && qualifierOf(gaz, t) !== null);
  while (tokens.length > 1 && strip(tokens[tokens.length - 1]!)) tokens.pop();
  return tokens.join(' ');
}

const regionPlace = (gaz: Gazetteer, q: Qualifier): Place | undefined =>
  gaz.byId(q.kind === 'state' ? `st:${q.region}` : `cc:${q.region}`);

function precisionOf(kind: PlaceKind): GeoPrecision {
  switch (kind) {
    case 'county':
      return 'county';
    case 'state':
      return 'state';
    case 'country':
      return 'country';
    default:
      return 'locality';
  }
}

function localityOf(gaz: Gazetteer, p: Place): string | null {
  if (p.kind === 'locality') return p.name;
  if (p.kind === 'neighbourhood') {
    const parent = p.parentId ? gaz.byId(p.parentId) : undefined;
    return parent ? parent.name : p.name;
  }
  return null;
}

const regionOf = (p: Place): string | null => (p.kind === 'country' && p.country === 'US' ? null : p.region);

let boroughAliases: string[] | null = null;

/** A New York borough named at the start of the query ("Brooklyn, NY", "the Bronx"), as the boroughs table writes it. */
function boroughOf(query: string): string | null {
  boroughAliases ??= readPlacesData().boroughs.map((b) => b.alias);
  const q = query.trim().toLowerCase().replace(/^the\s+/, '');
  let found: string | null = null;
  for (const alias of boroughAliases) {
    const name = alias.toLowerCase().replace(/^the\s+/, '');
    if ((q === name || q.startsWith(name + ',') || q.startsWith(name + ' ')) && (!found || alias.length > found.length)) found = alias;
  }
  return found;
}

/** The other towns that read the name about as well as the best: see AMBIGUITY_MARGIN. */
function closeReadings(gaz: Gazetteer, ranked: Array<{ place: Place; score: number }>): Array<{ place: Place; score: number }> {
  const best = ranked[0]!;
  if (best.place.kind !== 'locality') return [];
  const seen = new Set([`${localityOf(gaz, best.place)}|${best.place.region}`]);
  const close: Array<{ place: Place; score: number }> = [];
  for (const r of ranked.slice(1)) {
    if (r.place.kind !== 'locality' || r.score > best.score || best.score - r.score >= AMBIGUITY_MARGIN) continue;
    const key = `${localityOf(gaz, r.place)}|${r.place.region}`;
    if (seen.has(key)) continue; // the same town twice (two records of one place)
    seen.add(key);
    close.push(r);
  }
  return close;
}

function toResult(gaz: Gazetteer, query: string, ranked: Array<{ place: Place; score: number }>): GeocodeResult {
  const best = ranked[0]!.place;
  const close = closeReadings(gaz, ranked);
  const locality = localityOf(gaz, best);
  const borough = locality === 'New York' && best.region === 'NY' ? boroughOf(query) : null;
  const candidate = (p: Place): GeocodeCandidate => ({
    locality: localityOf(gaz, p),
    region: regionOf(p),
    country: p.country,
    county: p.kind === 'state' || p.kind === 'country' ? null : p.county,
    population: p.population,
    lat: p.lat,
    lon: p.lon,
  });
  return {
    query,
    locality: localityOf(gaz, best),
    region: regionOf(best),
    country: best.country,
    lat: best.lat,
    lon: best.lon,
    county: best.kind === 'state' || best.kind === 'country' ? null : best.county,
    fips: best.kind === 'state' || best.kind === 'country' ? null : best.fips,
    precision: precisionOf(best.kind),
    placeId: best.id,
    neighbourhood: best.kind === 'neighbourhood' ? best.name : null,
    location_detail: best.kind === 'neighbourhood' ? best.name : borough,
    ambiguous: close.length > 0,
    candidates: close.length ? [best, ...close.map((c) => c.place)].slice(0, MAX_CANDIDATES).map(candidate) : [],
    alternatives: ranked.slice(1, 6).map(({ place, score }) => ({
      locality: localityOf(gaz, place),
      region: regionOf(place),
      country: place.country,
      lat: place.lat,
      lon: place.lon,
      score: Math.round(score * 100) / 100,
    })),
  };
}

/**
 * Geocodes "City, ST", "City, State", "City ST", "City, Country", a bare state or country, a county
 * ("Cook County, IL") or a neighbourhood ("Echo Park, CA"). Returns null when nothing matches.
 * When a state/country qualifier is given but no place of that name lies in it, the result is the
 * qualifier itself at state/country precision.
 */
export function geocode(query: string, context: GeoContext = {}): GeocodeResult | null {
  const gaz = loadGazetteer();
  const ctx: GeoContext = context.country === undefined ? { ...context, country: DEFAULT_COUNTRY } : context;
  const q = query.replace(/\s+/g, ' ').replace(/\s+\d{5}(-\d{4})?$/, '').trim();
  if (!q) return null;

  // 1. the whole string is a name ("Washington, D.C.", "New York City", "Oregon")
  const whole = gaz.lookup(q);
  if (whole.length) return toResult(gaz, query, rankPlaces(whole, ctx));

  // 2. trailing qualifiers, after commas ("Echo Park, Los Angeles, CA", "Paris, France")
  let parts = q.split(',').map((p) => p.trim()).filter(Boolean);
  let qual: Qualifier | null = null;
  while (parts.length > 1) {
    const qq = qualifierOf(gaz, parts[parts.length - 1]!);
    if (!qq) break;
    // "City, ST, USA": keep the state, drop the country
    if (!qual || qual.kind === 'country') qual = qq.kind === 'state' || !qual ? qq : qual;
    parts = parts.slice(0, -1);
  }
  // 3. no comma: a trailing state or country ("Portland Oregon", "Columbia MO")
  if (parts.length === 1 && !qual) {
    const tokens = parts[0]!.split(' ');
    for (let k = Math.min(3, tokens.length - 1); k >= 1; k--) {
      const qq = qualifierOf(gaz, tokens.slice(-k).join(' '));
      if (!qq) continue;
      const head = tokens.slice(0, -k).join(' ');
      if (lookupWithFallbacks(gaz, head).some((p) => regionMatches(p, qq.region))) {
        parts = [head];
        qual = qq;
        break;
      }
    }
  }

  const rctx: GeoContext = qual ? { ...ctx, region: qual.region } : ctx;
  // the first part is the place; further parts ("Los Angeles" in "Echo Park, Los Angeles") are context
  for (const part of parts) {
    let cands: Place[];
    if (!qual) cands = lookupWithFallbacks(gaz, part);
    else if (qual.kind === 'state') {
      cands = lookupWithFallbacks(gaz, part, qual.region);
      // a border town of the very name across the line before a reading of the name without a word of it ("East
      // Moline, IA" is East Moline, IL, not Moline, IA)
      if (cands.length && part === parts[0] && !gaz.lookupInRegion(part, qual.region).some((p) => inState(p, qual!.region))) {
        const across = crossStateMatch(gaz, part, qual.region, 'border');
        const rp = regionPlace(gaz, qual);
        if (across.length) {
          const ranked = rankPlaces(across, ctx);
          if (rp) ranked.splice(1, 0, { place: rp, score: W_QUALIFIER });
          return toResult(gaz, query, ranked);
        }
      }
    } else cands = lookupWithFallbacks(gaz, part).filter((p) => regionMatches(p, qual!.region));
    if (cands.length) return toResult(gaz, query, rankPlaces(cands, rctx));
  }
  if (qual) {
    let name = parts[0]!;
    // a state or country code or a ZIP code left at the end of the place ("Ocala FL 34470, FL", "Ocala FL USA, FL"):
    // the place without them
    const trimmed = trimTrailingQualifiers(gaz, name);
    if (trimmed !== name) {
      const found = (qual.kind === 'state' ? lookupWithFallbacks(gaz, trimmed, qual.region) : lookupWithFallbacks(gaz, trimmed).filter((p) => regionMatches(p, qual!.region)));
      if (found.length) return toResult(gaz, query, rankPlaces(found, rctx));
      name = trimmed;
    }
    const rp = regionPlace(gaz, qual);
    const isState = qual.kind === 'state';
    const inRegion = (p: Place): boolean => !isState || inState(p, qual!.region);
    const otherState = (rule: CrossStateRule): GeocodeResult | null => {
      const other = isState ? crossStateMatch(gaz, name, qual!.region, rule) : [];
      if (!other.length) return null;
      const ranked = rankPlaces(other, ctx);
      if (rp) ranked.splice(1, 0, { place: rp, score: W_QUALIFIER });
      return toResult(gaz, query, ranked);
    };
    // in order: a word ending spelled the other way ("Greensborough, NC"); a generic last word added or left out
    // ("Daytona, FL"); a piece of a two-place name ("Setauket, NY"); a head word added or left out ("Clemente, CA",
    // "Lake Modesto, CA"); a typo ("Corpus Cristi, TX"); a border town across the line ("Weirton, OH") or a code slip
    // ("Little Rock, AK"); an alternate name; a dominant town elsewhere ("Anaheim, FL"); a worse typo ("Fullteron,
    // CA"); a likely town elsewhere ("Ogunquit, NH"); a typo of a town elsewhere ("Oklahama City, TX"); a typo in the
    // first letter ("Cobile, AL")
    const variant = isState ? spellingVariantMatch(gaz, name, qual.region) : [];
    if (variant.length) return toResult(gaz, query, rankPlaces(variant, rctx));
    const tail = isState ? genericTailMatch(gaz, name, qual.region) : [];
    if (tail.length) return toResult(gaz, query, rankPlaces(tail, rctx));
    // a piece of a two-place name ("Setauket, NY" for Setauket-East Setauket) before a head word added (East Setauket)
    const piece = isState
      ? lookupWithFallbacks(gaz, name, qual.region, true).filter((p) => {
          const pieces = p.name.split('-');
          return pieces.length === 2 && pieces.some((x) => normalizeName(x) === normalizeName(name));
        })
      : [];
    if (piece.length) return toResult(gaz, query, rankPlaces(piece, rctx));
    const head = isState ? derivedHeadMatch(gaz, name, qual.region) : [];
    if (head.length) return toResult(gaz, query, rankPlaces(head, rctx));
    const fuzzy1 = gaz.fuzzyLookup(name, qual.region, 1).filter(inRegion);
    if (fuzzy1.length) return toResult(gaz, query, rankPlaces(fuzzy1, rctx));
    const border = otherState('border') ?? otherState('slip');
    if (border) return border;
    // a GeoNames alternate name ("Utqiagvik, AK" for Barrow; "Westboro, MA" for Westborough)
    const alt = isState ? lookupWithFallbacks(gaz, name, qual.region, true) : [];
    if (alt.length) return toResult(gaz, query, rankPlaces(alt, rctx));
    // a one-edit typo of the name without its generic last word ("Tuscalosa City, AL" is Tuscaloosa)
    const tailTypo = isState ? genericTailTypoMatch(gaz, name, qual.region) : [];
    if (tailTypo.length) return toResult(gaz, query, rankPlaces(tailTypo, rctx));
    const dominant = otherState('dominant');
    if (dominant) return dominant;
    if (normalizeName(name).replace(/ /g, '').length >= FUZZY2_MIN_LETTERS) {
      const fuzzy2 = gaz.fuzzyLookup(name, qual.region, 2).filter(inRegion);
      if (fuzzy2.length) return toResult(gaz, query, rankPlaces(fuzzy2, rctx));
    }
    const likely = otherState('likely');
    if (likely) return likely;
    const typoElsewhere = isState ? crossStateTypo(gaz, name, qual.region) : [];
    if (typoElsewhere.length) {
      const ranked = rankPlaces(typoElsewhere, ctx);
      if (rp) ranked.splice(1, 0, { place: rp, score: W_QUALIFIER });
      return toResult(gaz, query, ranked);
    }
    const firstLetter = gaz.fuzzyLookup(name, qual.region, 1, true).filter(inRegion);
    if (firstLetter.length) return toResult(gaz, query, rankPlaces(firstLetter, rctx));
    if (rp) return toResult(gaz, query, [{ place: rp, score: W_QUALIFIER }]);
  }
  return null;
}

/** One JSON line per query, for `turnout geocode`. A query that matches nothing gives precision null. */
/** A geocode result as `turnout geocode` prints it: one object per query, with nulls when nothing matched. */
export function geocodeOutput(query: string, ctx: GeoContext = {}): Record<string, unknown> & { ambiguous: boolean; candidates: GeocodeCandidate[] } {
  const r = geocode(query, ctx);
  if (!r) {
    return {
      query,
      locality: null,
      region: null,
      country: null,
      lat: null,
      lon: null,
      county: null,
      fips: null,
      precision: null,
      neighbourhood: null,
      location_detail: null,
      ambiguous: false,
      candidates: [],
      alternatives: [],
    };
  }
  return {
    query,
    locality: r.locality,
    region: r.region,
    country: r.country,
    lat: r.lat,
    lon: r.lon,
    county: r.county,
    fips: r.fips,
    precision: r.precision,
    neighbourhood: r.neighbourhood,
    location_detail: r.location_detail,
    ambiguous: r.ambiguous,
    candidates: r.candidates,
    alternatives: r.alternatives,
  };
}

export function geocodeLines(queries: string[], ctx: GeoContext = {}): string[] {
  return queries.map((query) => JSON.stringify(geocodeOutput(query, ctx)));
}
