// Finds place names in a sentence: runs of capitalised words looked up in the gazetteer, with the state or
// country that qualifies them ("Bozeman, Montana", "Durham NC"), venues named after a town
// ("Pasadena City College"), and the names that only look like places ("Renée Good", "John Moore/AGENCY").
import type { Place } from '../core/types.js';
import type { Gazetteer } from '../resolve/gazetteer.js';
import { CALENDAR_WORDS, NON_PLACE_TAILS, SENTENCE_WORDS, STREET_HEADS, VENUE_HEADS } from './lexicon.js';
import type { Token } from './text.js';

export interface Qualifier {
  /** a US state code, a country code, or null when the qualifier is the United States itself */
  region: string | null;
  country: string;
  start: number;
  end: number;
}

export interface RawPlace {
  /** offsets of the name (without qualifier) */
  start: number;
  end: number;
  text: string;
  cands: Place[];
  qualifier: Qualifier | null;
  /** the whole proper name when the place only prefixes a venue ("Pasadena City College") */
  venue: string | null;
  /** the word written right before the name, lower case ("in", "said"), or "" */
  before?: string;
}

export interface SentencePlaces {
  places: RawPlace[];
  /** states and countries named on their own ("protests in Minnesota", "United States") */
  regions: Array<{ region: string; country: string; kind: 'state' | 'country'; start: number; end: number }>;
  /** US states named inside a longer proper name ("Ohio Nurses Union", "Texas Tribune"): weak evidence of the region */
  namedStates: string[];
  /** proper names that end in a venue word, with or without a town in them: "City Hall", "Federal Plaza" */
  venues: Array<{ text: string; start: number; end: number }>;
}

/** A city this big keeps its name even when a state or country shares it. */
const BIG_CITY = 500000;

const CONNECTORS = new Set(['of', 'de', 'del', 'la', 'da', 'du', 'upon', 'on-the', 'y']);
const DIRECTION_PREFIX = /^(?:North|South|East|West|Northeast|Northwest|Southeast|Southwest|Downtown|Greater|Central|Lower|Upper|Midtown|Uptown|Old)$/;

/** Every calendar word starts with a capital A-Z (a token that is one has `cap`). */
const CALENDAR_CAPITALISED = [...CALENDAR_WORDS].every((w) => /^[A-Z]/.test(w));

/** Runs of capitalised tokens, broken by punctuation, calendar words and camel-case joins. */
export function capitalRuns(tokens: Token[], skip: (t: Token) => boolean): Token[][] {
  const runs: Token[][] = [];
  let cur: Token[] = [];
  for (const t of tokens) {
    const joins = t.gap === '' && !t.glued;
    if (!joins) cur = flushRun(cur, runs);
    // (runs on every token of every sentence: the trailing period is cut without a regex, and a word in small
    // letters is not looked up when every calendar word is capitalised)
    if (skip(t) || ((t.cap || !CALENDAR_CAPITALISED) && CALENDAR_WORDS.has(t.text.endsWith('.') ? t.text.slice(0, -1) : t.text))) {
      cur = flushRun(cur, runs);
      continue;
    }
    // capitals longer than two letters are acronyms ("ICE"), save two-letter abbreviations ("D.C.", "N.J.")
    if (t.cap && !(t.allCaps && t.text.length > 2 && !/^(?:[A-Z]\.){2}$/.test(t.text))) cur.push(t);
    else if (cur.length && CONNECTORS.has(t.text)) cur.push(t);
    else cur = flushRun(cur, runs);
  }
  flushRun(cur, runs);
  return runs;
}

/** Ends the current run: kept (without trailing connectors) when it has a capitalised word. Returns the next run. */
function flushRun(cur: Token[], runs: Token[][]): Token[] {
  if (!cur.length) return cur;
  while (cur.length && !cur[cur.length - 1]!.cap) cur.pop();
  if (cur.length) runs.push(cur);
  return [];
}

function joinTokens(ts: Token[]): string {
  return ts.map((t) => t.text).join(' ');
}

/**
 * Scans one sentence. `sentenceStart` is the offset where the sentence begins (a capitalised first word
 * there is not evidence of a name). `skip` marks tokens inside quotes (slogans on signs).
 */
export function scanSentence(gaz: Gazetteer, tokens: Token[], sentenceStart: number, skip: (t: Token) => boolean): SentencePlaces {
  const out: SentencePlaces = { places: [], regions: [], venues: [], namedStates: [] };
  const runs = capitalRuns(tokens, skip);
  for (let r = 0; r < runs.length; r++) {
    let run = runs[r]!;
    // the state or country that qualified the previous name ("Miami, Florida") is not a place of its own
    const prev = out.places[out.places.length - 1];
    if (prev?.qualifier && run[0]!.start >= prev.qualifier.start && run[0]!.start < prev.qualifier.end) continue;
    // sentence-initial function words ("In", "The", "Protesters") are not part of a name
    while (run.length && (SENTENCE_WORDS.has(run[0]!.text) || (run[0]!.start === sentenceStart && isCommonWord(run[0]!.text))) && !startsWithPlace(gaz, run)) {
      run = run.slice(1);
    }
    // "Residents of Ames": a connector left in front of the name after the common words are gone
    while (run.length && !run[0]!.cap) run = run.slice(1);
    if (!run.length) continue;
    const last = run[run.length - 1]!;
    if (VENUE_HEADS.has(last.text.replace(/\.$/, '')) && run.length >= 2) {
      out.venues.push({ text: textOf(run), start: run[0]!.start, end: last.end });
    }
    scanRun(gaz, run, tokens, out);
  }
  // "Tulsa; XYZ; Reno": a city's short name in capitals (an alias in data/places/aliases.tsv) is no run of its own
  // (acronyms are not), but a place
  let added = false;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    // (most words are not in capitals: that test first, the rest only for those)
    if (!t.allCaps) continue;
    // (not inside a longer name: "XYZ Climate Week")
    if ((tokens[k + 1]?.cap && tokens[k + 1]!.gap === '') || (tokens[k - 1]?.cap && t.gap === '' && k > 0 && tokens[k - 1]!.start !== sentenceStart)) continue;
    const inPlace = out.places.some((p) => t.start < (p.qualifier?.end ?? p.end) && t.end > p.start);
    if (/^[A-Z]{3,4}$/.test(t.text) && !inPlace && !skip(t) && isCityAbbreviation(gaz, t.text)) {
      scanRun(gaz, [t], tokens, out);
      added = true;
    }
  }
  // "University of Ohio-Lima students": a campus named "<State>-<Town>" is in that town of that state
  for (const t of tokens) {
    if (!t.cap) continue;
    const dash = t.text.indexOf('-');
    if (dash < 3 || skip(t)) continue;
    const st = gaz.state(t.text.slice(0, dash));
    const town = t.text.slice(dash + 1);
    if (!st || !/^[A-Z][a-z]{2,}/.test(town)) continue;
    const cands = gaz.lookupInRegion(town, st.code).filter((p) => p.kind === 'locality');
    if (!cands.length) continue;
    const start = t.start + dash + 1;
    out.places.push({ start, end: t.end, text: town, cands, qualifier: { region: st.code, country: 'US', start: t.start, end: t.end }, venue: null });
    added = true;
  }
  if (added) out.places.sort((a, b) => a.start - b.start);
  return out;
}

/** "New York City", "The Dalles": a name of two or more words that begins with a common word. */
function startsWithPlace(gaz: Gazetteer, run: Token[]): boolean {
  for (let k = Math.min(run.length, gaz.maxNameTokens); k >= 2; k--) if (gaz.lookup(joinTokens(run.slice(0, k))).length) return true;
  return false;
}

function textOf(run: Token[]): string {
  return joinTokens(run);
}

/**
 * The first state or country among a name's candidates, and whether the name is that region only (no big city
 * of its country shares it). Kept per candidate list: the gazetteer hands out the same list for the same name.
 */
function regionOf(cands: Place[]): { region: Place | undefined; regionOnly: boolean } {
  let r = regionsOf.get(cands);
  if (!r) {
    const region = cands.find((c) => c.kind === 'state' || c.kind === 'country');
    const regionOnly = region !== undefined && !cands.some((c) => c.kind === 'locality' && c.population >= BIG_CITY && c.country === region.country);
    regionsOf.set(cands, (r = { region, regionOnly }));
  }
  return r;
}
const regionsOf = new WeakMap<Place[], { region: Place | undefined; regionOnly: boolean }>();

function scanRun(gaz: Gazetteer, run: Token[], all: Token[], out: SentencePlaces): void {
  const n = run.length;
  let i = 0;
  while (i < n) {
    if (!run[i]!.cap || (run[i]!.allCaps && !isStateCode(gaz, run[i]!.text) && !isCityAbbreviation(gaz, run[i]!.text))) {
      i++;
      continue;
    }
    let matched = 0;
    let cands: Place[] = [];
    for (let j = Math.min(n, i + gaz.maxNameTokens); j > i; j--) {
      if (!run[j - 1]!.cap) continue;
      const slice = run.slice(i, j);
      // a code in capitals names a town only where the gazetteer says so ("DC" is its city); else it is a state
      const code = slice.length === 1 && slice[0]!.allCaps;
      if (slice.some((t) => t.allCaps) && !code) continue;
      // "Keene’s Central Square": the possessive is not part of the name
      const name = joinTokens(slice);
      const bare = name.replace(/['’]s$/, '');
      const c = gaz.lookup(name).length || bare === name ? gaz.lookup(name) : gaz.lookup(bare);
      if (code && !c.some((p) => p.kind === 'locality')) continue;
      if (c.length) {
        matched = j - i;
        cands = c;
        break;
      }
    }
    if (!matched) {
      i++;
      continue;
    }
    const j = i + matched;
    const prefix = run.slice(0, i);
    const tail = run.slice(j);
    const start = run[i]!.start;
    const end = run[j - 1]!.end;
    const text = joinTokens(run.slice(i, j));
    const at = all.indexOf(run[i]!);
    const before = at > 0 && all[at]!.gap === '' ? all[at - 1]!.text.toLowerCase() : '';
    // a capitalised word right before the name makes it part of a longer name ("Karen Bass", "Don Lemon")
    const prefixOk = prefix.length === 0 || prefix.every((t) => DIRECTION_PREFIX.test(t.text));
    // a state or country name is the region, unless a big city shares it ("New York", "Washington")
    const { region, regionOnly } = regionOf(cands);
    if (regionOnly) cands = [region!];

    if (regionOnly) {
      const c = cands[0]!;
      if (prefixOk && tail.length === 0) {
        out.regions.push({ region: c.region, country: c.country, kind: c.kind === 'state' ? 'state' : 'country', start, end });
      } else if (c.kind === 'state') out.namedStates.push(c.region);
      i = j;
      continue;
    }
    if (!prefixOk) {
      i = j;
      continue;
    }
    if (tail.length === 0) {
      // "Reno, Indiana, Tulsa": a state after the comma qualifies only a town it has
      const q = qualifierAfter(gaz, all, run[j - 1]!);
      const fits = q && cands.some((c) => c.country === q.country && (q.region === null || c.region === q.region));
      out.places.push({ start, end, text, cands, qualifier: fits ? q : null, venue: null, before });
    } else {
      const st = stateAt(gaz, tail);
      if (st) {
        out.places.push({ start, end, text, cands, qualifier: st, venue: null, before });
        i = j + (st.tokens as number);
        continue;
      }
      const lastTail = tail[tail.length - 1]!.text.replace(/\.$/, '');
      // "Salem Highway", "Reno Street": a road named after a town is a street, in whatever town it runs through
      if (tail.length === 1 && STREET_HEADS.test(lastTail)) {
        i = n;
        continue;
      }
      if (VENUE_HEADS.has(lastTail) && !NON_PLACE_TAILS.test(tail[0]!.text)) {
        // "Boise City Hall" is Boise's city hall, not a hall of a small "Boise City": the town before "City"
        // wins when it is far bigger (not "Mason City Hall": Mason, Ohio is about as big as Mason City)
        if (tail.length === 1 && lastTail === 'Hall' && matched >= 2 && run[j - 1]!.text === 'City') {
          const shortName = joinTokens(run.slice(i, j - 1));
          const shorter = gaz.lookup(shortName);
          if (maxLocalityPop(shorter) > 5 * maxLocalityPop(cands)) {
            out.places.push({ start, end: run[j - 2]!.end, text: shortName, cands: shorter, qualifier: null, venue: joinTokens(run.slice(i)), before });
            i = n;
            continue;
          }
        }
        out.places.push({ start, end, text, cands, qualifier: null, venue: joinTokens(run.slice(i)), before });
      }
    }
    i = n; // the rest of the run belongs to the same proper name
  }
}

/** The population of the biggest town among a name's candidates (0 if none is a town). */
function maxLocalityPop(cands: Place[]): number {
  let best = 0;
  for (const c of cands) if (c.kind === 'locality' && c.population > best) best = c.population;
  return best;
}

const COMMON_SENTENCE_START = /^(?:A|An|The|In|At|On|It|As|If|So|No|Yes|Good|Great|New|Many|Few|Some|All|Most|One|Two|Three|Hope|Justice|Peace|Unity|Liberty|Freedom|Independence|Union|Progress|Victory)$/;
function isCommonWord(w: string): boolean {
  return COMMON_SENTENCE_START.test(w);
}

/** A short word in capitals that the gazetteer (its alias table) has as another name of a big city. */
function isCityAbbreviation(gaz: Gazetteer, w: string): boolean {
  return w.length >= 3 && w.length <= 4 && gaz.lookup(w).some((p) => p.kind === 'locality' && p.population >= 100000 && p.name.toUpperCase() !== w);
}

function isStateCode(gaz: Gazetteer, w: string): boolean {
  return w.replace(/\./g, '').length === 2 && gaz.state(w) !== null;
}

/** "Charlotte NC", "Portland Maine": a state written right after the name inside the same run. */
function stateAt(gaz: Gazetteer, tail: Token[]): (Qualifier & { tokens: number }) | null {
  for (let k = Math.min(3, tail.length); k >= 1; k--) {
    const words = tail.slice(0, k);
    // a two-letter state code is written in capitals ("Unity In Action" is no Unity, Indiana)
    if (k === 1 && words[0]!.text.length <= 2 && !words[0]!.allCaps) continue;
    const s = gaz.state(joinTokens(words));
    if (s) return { region: s.code, country: 'US', start: words[0]!.start, end: words[k - 1]!.end, tokens: k };
  }
  return null;
}

/** "Minneapolis, Minnesota", "Paris, France", "Washington, D.C.": the run right after a comma. */
function qualifierAfter(gaz: Gazetteer, all: Token[], lastOfName: Token): Qualifier | null {
  const idx = all.indexOf(lastOfName);
  let next = all[idx + 1];
  let from = idx + 1;
  // "Perth in Australia", "Ames in Iowa", "Leeds in England"
  if (next && next.gap === '' && next.text === 'in') {
    from = all[idx + 2]?.text === 'the' ? idx + 3 : idx + 2;
    next = all[from];
    if (!next || next.gap !== '') return null;
    for (let k = 3; k >= 1; k--) {
      const words = all.slice(from, from + k);
      if (words.length < k || words.some((t) => t.gap !== '' || !t.cap)) continue;
      const phrase = joinTokens(words);
      const st = phrase.length > 2 ? gaz.state(phrase) : null;
      if (st) return { region: st.code, country: 'US', start: words[0]!.start, end: words[k - 1]!.end };
      const c = gaz.country(phrase);
      if (c && phrase.length > 2) return { region: c.code === 'US' ? null : c.code, country: c.code, start: words[0]!.start, end: words[k - 1]!.end };
    }
    return null;
  }
  if (!next || next.gap !== ',') return null;
  // the words after the comma, up to three
  for (let k = 3; k >= 1; k--) {
    const words = all.slice(idx + 1, idx + 1 + k);
    if (words.length < k || words.slice(1).some((t) => t.gap !== '')) continue;
    if (!words.every((t) => t.cap)) continue;
    const phrase = joinTokens(words);
    // a two-letter code is written in capitals: "Tulsa, St. Cloud" lists two towns
    if (k === 1 && !words[0]!.allCaps && words[0]!.text.replace(/\.$/, '').length <= 2) continue;
    // and a name that goes on is a town, not a state: "Boise, Nevada City"
    const next = all[idx + 1 + k];
    if (next && next.gap === '' && next.cap && !next.allCaps && !phrase.endsWith('.')) continue;
    const s = gaz.state(phrase);
    if (s) return { region: s.code, country: 'US', start: words[0]!.start, end: words[k - 1]!.end };
    const c = gaz.country(phrase);
    if (c) return { region: c.code === 'US' ? null : c.code, country: c.code, start: words[0]!.start, end: words[k - 1]!.end };
  }
  return null;
}

/** A place glued to the front of a photo credit line ("CitynameFirst Last/AGENCY"): the photo's location. */
export function creditPlace(gaz: Gazetteer, tokens: Token[]): RawPlace | null {
  let k = 0;
  while (k < tokens.length && !tokens[k]!.glued && tokens[k]!.gap === '' && tokens[k]!.cap) k++;
  if (k === 0 || k >= tokens.length || !tokens[k]!.glued) return null;
  const run = tokens.slice(0, k);
  const cands = gaz.lookup(joinTokens(run)).filter((c) => c.kind === 'locality' || c.kind === 'neighbourhood');
  if (!cands.length) return null;
  return { start: run[0]!.start, end: run[k - 1]!.end, text: joinTokens(run), cands, qualifier: null, venue: null };
}
