// Crowd-size coding and arrest/injury counts, following the Crowd Counting Consortium (CCC)
// conventions (see the CCC README, "Crowd size" and "Arrests, injuries, deaths and damage").
//
// Everything works on a small token list so the same quantity grammar serves three uses:
//   - codeSize():   a coder-written size_text ("more than 100", "a few dozen", "30-40") -> numbers;
//   - findSizes():  crowd-size phrases in a sentence of news text, with offsets;
//   - findArrests()/findInjuries()/parseCount(): counts of arrests and injuries.
// All regexes and word tables are built once at module load.

import type { SizeCat } from '../core/types.js';
import { table } from './lexicon.js';


// ---------------------------------------------------------------------------------------------
// Public types

export interface SizeCode {
  size_text: string;
  size_low: number | null;
  size_high: number | null;
  size_mean: number | null;
  size_cat: SizeCat;
}

export interface SizeHit {
  start: number;
  end: number;
  /** CCC-style size_text for the phrase, e.g. "hundreds", "more than 1,000", "about 300" */
  text: string;
  low: number;
  high: number;
}

export interface CountHit {
  start: number;
  end: number;
  /** CCC-style count text: "14", "at least 5", "dozens", or "unspecified" */
  text: string;
  low: number | null;
  high: number | null;
}

export interface CountValue {
  text: string;
  low: number | null;
  high: number | null;
}

// ---------------------------------------------------------------------------------------------
// Derived fields

/** Round half to even, the way R's round() does: 12.5 -> 12, 27.5 -> 28. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (Math.abs(d - 0.5) < 1e-9) return f % 2 === 0 ? f : f + 1;
  return d < 0.5 ? f : f + 1;
}

/** CCC size_mean: mean of low and high, rounded like R (half to even). */
export function rMean(a: number, b: number): number {
  return roundHalfEven((a + b) / 2);
}

/** CCC size_cat: 0 no size, 1 below 100, 2 below 1,000, 3 below 10,000, 4 otherwise. */
export function sizeCat(n: number | null): SizeCat {
  if (n === null || !Number.isFinite(n)) return 0;
  if (n < 100) return 1;
  if (n < 1000) return 2;
  if (n < 10000) return 3;
  return 4;
}

/** CCC size_mean and size_cat of a range: the mean of low and high, or low alone when there is no high. */
export function sizeMeanCat(low: number | null, high: number | null): { size_mean: number | null; size_cat: SizeCat } {
  const mean = low === null ? null : high === null ? low : rMean(low, high);
  return { size_mean: mean, size_cat: sizeCat(mean) };
}

function finish(text: string, low: number | null, high: number | null): SizeCode {
  return { size_text: text, size_low: low, size_high: high, ...sizeMeanCat(low, high) };
}

// ---------------------------------------------------------------------------------------------
// Tokens

const enum K {
  Word = 0,
  Num = 1,
  Punct = 2,
}

interface Tok {
  /** lower-cased text */
  lw: string;
  /** original text */
  raw: string;
  s: number;
  e: number;
  k: K;
}

// digits with optional thousands separators, decimals and a "k" suffix ("1,200", "1.5k", "2k");
// words may contain digits after a letter ("t0"); anything else is one punctuation character. tokenize() reads
// exactly what TOKEN_RE matches, by char codes (it runs on most sentences of every article); the pattern is
// kept as its definition.
// const TOKEN_RE = /(\d+(?:,\d{3})*(?:\.\d+)?(?:[kK](?![A-Za-z]))?)|([A-Za-z][A-Za-z0-9]*(?:['’][A-Za-z]+)*)|(\S)/g;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
/** JavaScript's \s. */
function isSpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const s = i;
    let k: K;
    if (isDigit(c)) {
      k = K.Num;
      i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      // thousands groups: a comma and exactly three digits
      // (no char code is read past the end: V8 dropped the optimized tokenizer for each such read)
      while (i + 3 < n && text.charCodeAt(i) === 44 && isDigit(text.charCodeAt(i + 1)) && isDigit(text.charCodeAt(i + 2)) && isDigit(text.charCodeAt(i + 3))) i += 4;
      if (i + 1 < n && text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
        i += 2;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
      }
      if (i < n) {
        const d = text.charCodeAt(i);
        if ((d === 107 || d === 75) && !(i + 1 < n && isAsciiLetter(text.charCodeAt(i + 1)))) i++;
      }
      // digits glued to a name by an underscore ("IMG_20250610_171202") are part of the name, no count
      if ((s > 0 && text.charCodeAt(s - 1) === 95) || (i < n && text.charCodeAt(i) === 95)) k = K.Word;
    } else if (isAsciiLetter(c)) {
      k = K.Word;
      i++;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (!isAsciiLetter(d) && !isDigit(d)) break;
      }
      // apostrophes followed by letters: "don't", "O’Brien"
      while (i + 1 < n) {
        const d = text.charCodeAt(i);
        if ((d !== 39 && d !== 0x2019) || !isAsciiLetter(text.charCodeAt(i + 1))) break;
        i += 2;
        while (i < n && isAsciiLetter(text.charCodeAt(i))) i++;
      }
    } else if (isSpace(c)) {
      i++;
      continue;
    } else {
      k = K.Punct;
      i++;
    }
    const raw = text.slice(s, i);
    out.push({ lw: raw.toLowerCase(), raw, s, e: i, k });
  }
  return out;
}

// findSizes and the arrest and injury counts read the same sentence one after another: its tokens are read once
// (callers only read them; codeOne, which rewrites its tokens, tokenizes for itself)
let lastText: string | null = null;
let lastToks: Tok[] = [];
function sentenceTokens(text: string): Tok[] {
  if (text !== lastText) {
    lastToks = tokenize(text);
    lastText = text;
  }
  return lastToks;
}

// ---------------------------------------------------------------------------------------------
// Number words

const UNITS: Record<string, number> = table({
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16,
  seventeen: 17, eighteen: 18, nineteen: 19,
});
const TENS: Record<string, number> = table({
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
});
const SCALES: Record<string, number> = table({ hundred: 100, thousand: 1000, million: 1e6, billion: 1e9 });
/**
 * CCC: vague plurals take the lowest multiple the word allows: dozens 24, hundreds 200,
 * thousands 2000. "tens" only appears in "tens of thousands" (10 x 2 x 1000 = 20000, the
 * 2017-2024 dictionary value; note the 2025 file codes it 10000 twice).
 */
const PLURALS: Record<string, number> = table({ dozens: 24, hundreds: 200, thousands: 2000, millions: 2e6, tens: 20 });
/** Multipliers: "a few"/"several" 3, "couple" 2, "handful" 5 (CCC table). */
const MULTS: Record<string, number> = table({ few: 3, several: 3, couple: 2, handful: 5, many: 3 });
/** Scale words a multiplier can apply to, singular or plural ("several hundred(s)"). */
const MULT_SCALES: Record<string, number> = table({
  dozen: 12, dozens: 12, hundred: 100, hundreds: 100, thousand: 1000, thousands: 1000,
  million: 1e6, millions: 1e6,
});

const NUMBER_WORDS = new Set<string>([
  ...Object.keys(UNITS), ...Object.keys(TENS), ...Object.keys(SCALES), ...Object.keys(PLURALS),
  ...Object.keys(MULTS), 'dozen',
]);

/** Words that can begin a quantity. */
const START_WORDS = new Set<string>([...NUMBER_WORDS, 'a', 'an']);

/**
 * Hand-typed coder text has the odd transposed letter ("thousnad"). Fix a word that is one
 * adjacent swap away from a number word (only for words of 6+ letters, where this is unambiguous).
 */
function fixTransposition(w: string): string {
  if (w.length < 6 || NUMBER_WORDS.has(w)) return w;
  for (let i = 0; i + 1 < w.length; i++) {
    const c = w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
    if (NUMBER_WORDS.has(c)) return c;
  }
  return w;
}

/** Format a number the CCC way: digits, thousands separated by commas ("1,000" is the majority style). */
function fmt(n: number): string {
  if (!Number.isInteger(n)) return String(n);
  const s = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return n < 0 ? '-' + out : out;
}

function numValue(raw: string): number {
  let s = raw.replace(/,/g, '');
  let mult = 1;
  const last = s[s.length - 1];
  if (last === 'k' || last === 'K') {
    mult = 1000;
    s = s.slice(0, -1);
  }
  return Math.round(parseFloat(s) * mult * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Quantity grammar

interface Amount {
  /** token range [i, j) */
  i: number;
  j: number;
  value: number;
  /** text for size_text: digits for exact numbers, the words for vague quantities */
  canon: string;
  /** scale word that ended the amount ("three thousand" -> 1000), 0 if none */
  scale: number;
  /** the amount is an exact number (written in digits or spelled out), not vague wording */
  exact: boolean;
}

function wordsCanon(toks: Tok[], i: number, j: number): string {
  let s = '';
  for (let x = i; x < j; x++) {
    const t = toks[x];
    if (x > i && t.s > toks[x - 1].e) s += ' '; // keep the source's spacing, collapsed to one space
    s += t.lw;
  }
  return s;
}

/** A single amount (no range) starting at token i. */
function parseAmount(toks: Tok[], i: number): Amount | null {
  const t = toks[i];
  if (!t) return null;
  const n = toks.length;

  // Digits, optionally followed by scale words: "1,200", "5 thousand", "1.2 million", "2 dozen".
  if (t.k === K.Num) {
    let v = numValue(t.raw);
    let j = i + 1;
    let scale = 0;
    while (j < n && SCALES[toks[j].lw] !== undefined) {
      scale = SCALES[toks[j].lw];
      v *= scale;
      j++;
    }
    if (scale === 0 && j < n && toks[j].lw === 'dozen') {
      // CCC keeps dozen wording as words ("two dozen")
      return { i, j: j + 1, value: v * 12, canon: `${t.lw} dozen`, scale: 12, exact: false };
    }
    return { i, j, value: v, canon: fmt(v), scale, exact: true };
  }
  if (t.k !== K.Word) return null;
  const w = t.lw;

  // Multipliers: "a few", "several hundred", "a couple of hundred", "a handful", "many dozen".
  {
    let x = i;
    if ((toks[x].lw === 'a' || toks[x].lw === 'an') && x + 1 < n) x++;
    if (toks[x].lw === 'good' && x + 1 < n) x++; // "a good few"
    const mw = toks[x].lw;
    const m = MULTS[mw];
    if (m !== undefined && (x > i || mw !== 'a')) {
      let j = x + 1;
      if (j + 1 < n && toks[j].lw === 'of' && MULT_SCALES[toks[j + 1].lw] !== undefined) j++;
      const sw = j < n ? toks[j].lw : '';
      const sv = MULT_SCALES[sw];
      if (sv !== undefined) {
        // "many" before a plural only intensifies it: "many thousands" = thousands = 2000.
        const value = mw === 'many' && sw.endsWith('s') ? PLURALS[sw] ?? m * sv : m * sv;
        return { i, j: j + 1, value, canon: wordsCanon(toks, i, j + 1), scale: sv, exact: false };
      }
      // Standalone: "a few", "several", "a couple", "a handful". Bare "few"/"many" are not counts.
      if (mw === 'many' || (mw === 'few' && x === i)) return null;
      return { i, j, value: m, canon: wordsCanon(toks, i, j), scale: 0, exact: false };
    }
  }

  // Vague plurals: "dozens", "hundreds", "thousands", "tens of thousands", "hundreds of thousands".
  const pv = PLURALS[w];
  if (pv !== undefined) {
    if (i + 2 < n && toks[i + 1].lw === 'of') {
      const next = toks[i + 2].lw;
      if (next === 'thousands' || next === 'millions') {
        return { i, j: i + 3, value: pv * SCALES[next.slice(0, -1)], canon: wordsCanon(toks, i, i + 3), scale: 0, exact: false };
      }
    }
    if (w === 'tens') return null;
    return { i, j: i + 1, value: pv, canon: w, scale: 0, exact: false };
  }

  // Spelled-out numbers: "forty", "twenty-five", "two hundred", "a hundred", "one hundred fifty",
  // "a thousand", "two dozen". CCC converts these to digits, except dozen wording.
  let total = 0;
  let cur = 0;
  let j = i;
  let seen = false;
  let scale = 0;
  if ((w === 'a' || w === 'an') && i + 1 < n && (SCALES[toks[i + 1].lw] !== undefined || toks[i + 1].lw === 'dozen')) {
    cur = 1;
    j = i + 1;
    seen = true;
  }
  // a bare scale word after a hedge: "an estimated thousand"
  if (!seen && (w === 'hundred' || w === 'thousand' || w === 'million')) {
    cur = 1;
    seen = true;
  }
  while (j < n) {
    let lw = toks[j].lw;
    // after a number a plural scale reads as the singular: "two thousands"
    if (seen && cur > 0 && PLURALS[lw] !== undefined && SCALES[lw.slice(0, -1)] !== undefined) lw = lw.slice(0, -1);
    const low2 = cur % 100; // the part below one hundred
    if (UNITS[lw] !== undefined && (low2 === 0 || (low2 >= 20 && low2 % 10 === 0 && UNITS[lw] < 10))) {
      cur += UNITS[lw]; // "five", "one hundred five", "twenty five"
    } else if (TENS[lw] !== undefined && low2 === 0) {
      cur += TENS[lw];
      // "twenty-five"
      if (j + 2 < n && toks[j + 1].lw === '-' && UNITS[toks[j + 2].lw] !== undefined && UNITS[toks[j + 2].lw] < 10) {
        cur += UNITS[toks[j + 2].lw];
        j += 2;
      }
    } else if (seen && lw === 'hundred' && cur > 0 && cur < 100) {
      cur *= 100;
      scale = 100;
      j++;
      continue;
    } else if (seen && cur > 0 && (lw === 'thousand' || lw === 'million' || lw === 'billion')) {
      total += cur * SCALES[lw];
      cur = 0;
      scale = SCALES[lw];
      j++;
      continue;
    } else if (seen && lw === 'and' && scale === 100 && j + 1 < n && (UNITS[toks[j + 1].lw] !== undefined || TENS[toks[j + 1].lw] !== undefined)) {
      j++; // "one hundred and fifty"
      continue;
    } else if (seen && lw === 'dozen' && total === 0 && cur < 100) {
      // CCC keeps dozen wording as words ("two dozen")
      return { i, j: j + 1, value: cur * 12, canon: wordsCanon(toks, i, j + 1), scale: 12, exact: false };
    } else {
      break;
    }
    seen = true;
    scale = 0;
    j++;
  }
  if (!seen) return null;
  const value = total + cur;
  return { i, j, value, canon: fmt(value), scale, exact: true };
}

interface Quant {
  /** token range [i, j), hedge included */
  i: number;
  j: number;
  low: number;
  high: number;
  /** CCC-style text, hedge included, lower case */
  text: string;
}

/**
 * Hedge words before a quantity. CCC keeps the stated number ("more than 100" -> 100) and keeps
 * the wording in size_text. Longest first.
 */
const HEDGES: string[][] = [
  'a little more than', 'a little over', 'a bit more than', 'slightly more than', 'well more than',
  'no more than', 'no fewer than', 'no less than', 'just more than', 'somewhere around',
  'more than', 'fewer than', 'less than', 'well over', 'just over', 'just under', 'at least',
  'at most', 'upwards of', 'upward of', 'up to', 'as many as', 'as few as', 'close to', 'nearly',
  'almost', 'about', 'around', 'roughly', 'approximately', 'approx', 'some', 'over', 'under',
  'an estimated', 'estimated at', 'estimated', 'estimates', 'perhaps', 'possibly', 'maybe',
  'another', 'only', 'just', 'between',
]
  .map((h) => h.split(' '))
  .sort((a, b) => b.length - a.length);

/** Token index where the hedges ending just before token i begin ("only about"; i itself when none). */
function hedgeStart(toks: Tok[], i: number): number {
  const s = oneHedgeStart(toks, i);
  // two hedges in a row: "only about 20", "just over 100"
  if (s < i && (toks[s].lw === 'about' || toks[s].lw === 'around' || toks[s].lw === 'some' || toks[s].lw === 'roughly' || toks[s].lw === 'approximately')) {
    const t = oneHedgeStart(toks, s);
    if (t < s && (toks[t].lw === 'only' || toks[t].lw === 'just' || toks[t].lw === 'perhaps' || toks[t].lw === 'maybe')) return t;
  }
  return s;
}

/** HEDGES by their last word, in HEDGES order (longest first): a quantity is compared only with the hedges that can end before it. */
const HEDGES_BY_LAST = new Map<string, string[][]>();
for (const h of HEDGES) {
  const last = h[h.length - 1]!;
  const list = HEDGES_BY_LAST.get(last);
  if (list) list.push(h);
  else HEDGES_BY_LAST.set(last, [h]);
}

function oneHedgeStart(toks: Tok[], i: number): number {
  const candidates = i > 0 ? HEDGES_BY_LAST.get(toks[i - 1].lw) : undefined;
  outer: for (const h of candidates ?? []) {
    const s = i - h.length;
    if (s < 0) continue;
    for (let x = 0; x < h.length; x++) if (toks[s + x].lw !== h[x]) continue outer;
    // "approx." : allow the abbreviation dot
    return s;
  }
  if (i >= 2 && toks[i - 1].lw === '.' && toks[i - 2].lw === 'approx') return i - 2;
  return i;
}

const RANGE_WORDS = new Set(['-', '–', '—', 'to']);

/** A quantity at token i (i must be where the amount starts): amount, optional range, suffix, hedge. */
function parseQuant(toks: Tok[], i: number): Quant | null {
  const a = parseAmount(toks, i);
  if (!a) return null;
  const n = toks.length;
  let low = a.value;
  let high = a.value;
  let j = a.j;
  let core = a.canon;
  const hs = hedgeStart(toks, i);
  const between = hs < i && toks[hs].lw === 'between';

  // Ranges: "30-40", "30 to 40", "two to three thousand", "two or three", "between 30 and 40".
  if (j + 1 < n) {
    const c = toks[j].lw;
    const isRange = RANGE_WORDS.has(c) || (c === 'or' && a.exact) || (c === 'and' && between);
    const b = isRange ? parseAmount(toks, j + 1) : null;
    if (b && !(c === '-' && toks[j].s !== toks[a.j - 1].e)) {
      let av = a.value;
      // the scale word of the second end applies to a bare first end: "two to three thousand", "5-10k"
      if (a.scale === 0 && a.exact && b.scale >= 100 && av < b.scale && av * b.scale <= b.value) av *= b.scale;
      else if (a.exact && b.exact && toks[b.i].k === K.Num && /k$/i.test(toks[b.i].raw) && !/k$/i.test(toks[a.i].raw) && av < 1000 && av * 1000 <= b.value) av *= 1000;
      if (av <= b.value || !b.exact) {
        low = Math.min(av, b.value);
        high = Math.max(av, b.value);
        core = a.exact && b.exact ? `${fmt(low)}-${fmt(high)}` : `${a.canon} to ${b.canon}`;
        j = b.j;
      }
    }
  }
  // Suffixes: "300+", "500-plus", "200 or so", "100 or more".
  if (j < n && (toks[j].lw === '+' || toks[j].lw === 'plus')) {
    core += '+';
    j++;
  } else if (j + 1 < n && toks[j].lw === '-' && toks[j + 1].lw === 'plus') {
    core += '+';
    j += 2;
  } else if (j + 1 < n && toks[j].lw === 'or' && (toks[j + 1].lw === 'so' || toks[j + 1].lw === 'more')) {
    core += ` or ${toks[j + 1].lw}`;
    j += 2;
  }
  let hedge = '';
  if (hs < i && !between) {
    hedge = wordsCanon(toks, hs, i);
    if (hedge === 'estimated at') hedge = 'estimated';
    hedge += ' ';
  }
  return { i: between ? hs : hs, j, low, high, text: hedge + core };
}

/** Is token i a place where an amount may begin? */
function canStart(toks: Tok[], i: number): boolean {
  const t = toks[i];
  return t.k === K.Num || (t.k === K.Word && START_WORDS.has(t.lw));
}

/** All quantities in a token list, left to right, non-overlapping. */
function allQuants(toks: Tok[]): Quant[] {
  const out: Quant[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (!canStart(toks, i)) continue;
    const q = parseQuant(toks, i);
    if (!q) continue;
    out.push(q);
    i = q.j - 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// codeSize / combineSizes

/** Marker texts (coder estimated from pictures/video, Facebook counts, eyewitness). */
const MARKER_RE = /\b(?:pic|pics|picture|photo|photos|video|videos|image|images|eyewitness)\b|p\W?ic\b|^\s*fb\s*:/i;
/** A single person: "a", "an", "lone", "individual", "a local man" (CCC codes these as 1). */
const SINGLE_RE = /^(?:(?:a|an|one|lone|single|individual)(?:\s+[a-z-]+){0,2}?(?:\s+(?:man|woman|person|individual|protester|protestor|demonstrator|activist|resident|student|worker|veteran|member|teen|teenager|boy|girl))?)$/i;

export function isSizeMarker(text: string): boolean {
  return MARKER_RE.test(text);
}

function codeOne(part: string): { low: number | null; high: number | null } {
  const toks = tokenize(part);
  for (const t of toks) if (t.k === K.Word) t.lw = fixTransposition(t.lw);
  const qs = allQuants(toks);
  if (qs.length === 0) {
    if (SINGLE_RE.test(part.trim())) return { low: 1, high: 1 };
    return { low: null, high: null };
  }
  let low = Infinity;
  let high = -Infinity;
  for (const q of qs) {
    let l = q.low;
    let h = q.high;
    // "about nine others": the others plus the person already named
    if (q.j < toks.length && toks[q.j].lw === 'others') {
      l++;
      h++;
    }
    low = Math.min(low, l);
    high = Math.max(high, h);
  }
  return { low, high };
}

/**
 * Code a CCC-style size_text. Several estimates are separated by ";" and give low = min,
 * high = max over the estimates that carry a number (markers such as "count pic" carry the
 * coder's own count, which the text does not contain, so they contribute nothing).
 */
export function codeSize(sizeText: string): SizeCode {
  const text = sizeText.trim();
  if (text === '' || text === 'NA') return finish(sizeText, null, null);
  let low: number | null = null;
  let high: number | null = null;
  for (const part of text.split(';')) {
    const p = part.trim();
    if (p === '') continue;
    // "FB: 40" carries its number; other markers ("count pic") carry none.
    if (isSizeMarker(p) && !/^\s*fb\s*:/i.test(p)) continue;
    const r = codeOne(p.replace(/^\s*fb\s*:\s*/i, ''));
    if (r.low === null || r.high === null) continue;
    low = low === null ? r.low : Math.min(low, r.low);
    high = high === null ? r.high : Math.max(high, r.high);
  }
  return finish(sizeText, low, high);
}

/** The figures of a size text as combineSizes reads them: its parts between semicolons, trimmed, none empty or "NA". */
export function sizeTextParts(sizeText: string): string[] {
  return sizeText
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== 'NA');
}

/** Merge several size codes into one CCC record: texts joined by "; " (deduplicated), low = min, high = max. */
export function combineSizes(list: Array<{ size_text: string; size_low: number | null; size_high: number | null }>): SizeCode {
  const texts: string[] = [];
  const seen = new Set<string>();
  let low: number | null = null;
  let high: number | null = null;
  for (const s of list) {
    for (const p of sizeTextParts(s.size_text)) {
      const key = p.toLowerCase();
      if (!seen.has(key)) {
        seen.add(key);
        texts.push(p);
      }
    }
    const l = s.size_low;
    const h = s.size_high ?? s.size_low;
    if (l !== null) low = low === null ? l : Math.min(low, l);
    if (h !== null) high = high === null ? h : Math.max(high, h);
  }
  return finish(texts.join('; '), low, high);
}

// ---------------------------------------------------------------------------------------------
// findSizes

/** Nouns for the people a crowd is counted in ("300 teachers", "hundreds of residents"). */
export const PEOPLE = new Set(
  (
    'people persons individuals protesters protestors demonstrators marchers ralliers rallygoers goers ' +
    'picketers strikers residents students workers activists participants supporters members veterans ' +
    'families attendees parents teachers nurses doctors employees staffers faculty advocates organizers ' +
    'organisers unionists volunteers worshippers worshipers mourners counterprotesters counter-protesters ' +
    'neighbors neighbours voters constituents farmers women men youths youth kids retirees seniors ' +
    'faithful allies opponents demonstrants campaigners locals tenants drivers miners educators ' +
    'clergy scientists researchers lawyers physicians healthcare others'
  ).split(' '),
);
const CROWD_NOUNS = new Set(['crowd', 'crowds', 'group', 'groups', 'throng', 'turnout', 'attendance', 'gathering', 'rally', 'march', 'protest', 'demonstration', 'vigil', 'contingent']);
/** Verbs that make a bare quantity a crowd: "hundreds gathered", "thousands marched". */
const GATHER = new Set(
  (
    'gathered gather gathering marched march marching rallied rally rallying protested protest protesting ' +
    'demonstrated demonstrating assembled attended attend attending joined joining packed filled lined ' +
    'converged chanted stood picketed crowded flooded descended participated turned showed came took ' +
    'walked braved held waved poured massed swarmed occupied blocked'
  ).split(' '),
);
/** Particles needed by some gathering verbs ("turned out", "showed up", "took to the streets"). */
const GATHER_PARTICLE: Record<string, string> = table({ turned: 'out', showed: 'up', came: 'out', took: 'to', walked: 'out', held: 'signs' });
/** Left context words that make the next quantity a crowd: "drew thousands", "a crowd of 300". */
const DRAW = new Set(['drew', 'draw', 'draws', 'drawing', 'attracted', 'attract', 'attracts', 'attracting', 'numbered', 'numbering', 'mobilized', 'mobilised']);
/** After an arrest/injury/speech verb the people counted are not a crowd. */
const NOT_CROWD_AFTER = new Set(
  (
    'arrested detained injured hurt wounded killed died dead hospitalized hospitalised cited charged ' +
    'deported jailed booked handcuffed released fired suspended expelled evacuated displaced affected ' +
    'missing said say says told tell spoke speak interviewed quoted wrote signed face faced facing lost ' +
    'remain remained employed work live lives shot stabbed attacked beaten assaulted struck sued ' +
    'indicted convicted sentenced targeted questioned stopped pepper-sprayed tased tear-gassed'
  ).split(' '),
);
const AUX = new Set(['were', 'was', 'had', 'have', 'has', 'been', 'being', 'are', 'is', 'reportedly', 'also', 'later', 'allegedly', 'subsequently', 'eventually', 'all', 'more', 'then', 'still', 'later', 'who', 'would', 'will', 'could', 'be', 'expected', 'to']);
/** Before the quantity: verbs whose object count is not a crowd ("represents 5,000 members"). */
const NOT_CROWD_BEFORE = new Set(
  (
    'arrested detained injured hurt killed wounded evacuated deported fired employs employ employed employing ' +
    'represents represent representing represented serves serve serving enrolls enroll has have had ' +
    'includes include including hired laid affects affect affecting affected aged age ages'
  ).split(' '),
);
/** Words that may sit between a quantity and its people noun ("hundreds of angry local residents"). */
const MOD_STOP = new Set(
  (
    'the a an of in on at to for from with by and or but were was is are had have has been who that which ' +
    'this these those their them his her its our your said says than as into across around over after ' +
    'before during per days weeks months years hours minutes miles times'
  ).split(' '),
);
const PUT_AT = new Set(['put', 'puts', 'placed', 'estimated', 'pegged', 'estimate', 'estimates']);
const MONTHS = new Set('january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '));
/** Following tokens that show a number is not a count of people. */
const NOT_COUNT_NEXT = new Set(['%', 'percent', 'per', 'a.m', 'p.m', 'am', 'pm', "o'clock", 'th', 'st', 'nd', 'rd']);
const FOLLOW_OK = new Set([',', '.', ';', ':', ')', '!', '?', '—', '–', 'who', 'at', 'in', 'on', 'outside', 'near', 'to', 'from', 'and', 'as', 'for', 'along', 'inside', 'into', 'through', 'across', 'around', 'strong', 'people', 'by', 'during', 'when', 'while', 'before', 'after', 'with', 'despite', 'under', 'last', 'this', 'on', 'according']);

const SIZE_QUICK_RE = /\d|dozen|hundred|thousand|million|few|several|couple|handful|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b/i;

function isCapitalized(t: Tok): boolean {
  const c = t.raw.charCodeAt(0);
  return t.k === K.Word && c >= 65 && c <= 90;
}

/** A plural people's name: "Kenyans", "Iraqis", "Minnesotans", "Yorkers". */
const DEMONYM = /^[A-Z][a-z]+(?:ans|is|ers)$/;

/** Index of the people noun after a quantity ending at token j, or -1. Allows "of" and up to 4 modifiers. */
function peopleNounAfter(toks: Tok[], j: number): number {
  let x = j;
  if (x < toks.length && toks[x].lw === 'of') {
    x++;
    // "thousands of Kenyans", "hundreds of Iraqis", "dozens of New Yorkers": a people named by their country or town
    if (x < toks.length && isCapitalized(toks[x]) && DEMONYM.test(toks[x].raw)) return x;
    if (x + 1 < toks.length && isCapitalized(toks[x]) && isCapitalized(toks[x + 1]) && DEMONYM.test(toks[x + 1].raw)) return x + 1;
  }
  let mods = 0;
  while (x < toks.length && mods <= 4) {
    const t = toks[x];
    if (t.k === K.Word && PEOPLE.has(t.lw)) return x;
    if (t.lw === '-' || t.lw === "'s" || t.lw === '’') {
      x++;
      continue;
    }
    if (t.k !== K.Word || MOD_STOP.has(t.lw) || GATHER.has(t.lw) || NOT_CROWD_AFTER.has(t.lw)) return -1;
    mods++;
    x++;
  }
  return -1;
}

/** The first token at or after x that is not an auxiliary ("were", "have been"), skipping at most `max`. */
function skipAux(toks: Tok[], x: number, max: number): number {
  let y = x;
  while (y < toks.length && AUX.has(toks[y].lw) && y - x < max) y++;
  return y;
}

/** Does a gathering verb follow at token x (after auxiliaries/adverbs)? */
function gatherAt(toks: Tok[], x: number): boolean {
  const y = skipAux(toks, x, 3);
  if (y >= toks.length) return false;
  const w = toks[y].lw;
  if (!GATHER.has(w)) return false;
  const p = GATHER_PARTICLE[w];
  return p === undefined || (y + 1 < toks.length && toks[y + 1].lw === p);
}

/** Is a count of people followed by an arrest/injury/speech verb (then it is not a crowd size)? */
function notCrowdAt(toks: Tok[], x: number): boolean {
  const y = skipAux(toks, x, 4);
  return y < toks.length && NOT_CROWD_AFTER.has(toks[y].lw);
}

/** Crowd-size phrases in one sentence of news text. */
export function findSizes(text: string): SizeHit[] {
  if (!SIZE_QUICK_RE.test(text)) return [];
  const toks = sentenceTokens(text);
  const out: SizeHit[] = [];
  const n = toks.length;
  for (let i = 0; i < n; i++) {
    if (!canStart(toks, i)) continue;
    const q = parseQuant(toks, i);
    if (!q) continue;
    sizeAt(toks, i, q, out);
    // the scan goes on after the quantity, whether it counted a crowd or not
    i = q.j - 1;
  }
  return out;
}

/** Is the quantity q, whose amount starts at token i, a crowd size? If so it goes to `out`. */
function sizeAt(toks: Tok[], i: number, q: Quant, out: SizeHit[]): void {
  const n = toks.length;
  const first = toks[i];
  const prev = q.i > 0 ? toks[q.i - 1] : null;
  const prev2 = q.i > 1 ? toks[q.i - 2] : null;
  const after = q.j < n ? toks[q.j] : null;
  const hedged = q.i < i;

  // Things that are numbers but not counts of people.
  if (after && (NOT_COUNT_NEXT.has(after.lw) || (after.lw === ':' && q.j + 1 < n && toks[q.j + 1].k === K.Num))) return;
  // "a 1,500-strong crowd"
  if (after && after.lw === '-' && q.j + 1 < n && toks[q.j + 1].lw === 'strong') {
    out.push({ start: toks[q.i].s, end: toks[q.j + 1].e, text: q.text, low: q.low, high: q.high });
    return;
  }
  if (after && after.lw === '-' && q.j + 1 < n && toks[q.j + 1].k === K.Word && !PEOPLE.has(toks[q.j + 1].lw)) return; // "5-year-old", "300-page"
  if (after && (after.lw === 'year' || after.lw === 'years') && q.j + 1 < n && toks[q.j + 1].lw === '-') return;
  if (prev && (prev.lw === '$' || prev.lw === '#' || prev.lw === '£' || prev.lw === '€' || prev.lw === '-' || prev.lw === '/')) return;
  if (prev && prev.lw === '.' && prev2 && prev2.lw === 'no') return; // "No. 1"
  if (first.k === K.Num && !hedged && prev && isCapitalized(prev) && !DRAW.has(prev.lw)) return; // "Route 66", "Local 1199", "January 30"
  if (prev && MONTHS.has(prev.lw) && first.k === K.Num) return;
  if (first.k === K.Num && !hedged && /^(1[89]|20)\d\d$/.test(first.raw)) return; // years
  if (prev && prev.lw === ',' && after && after.lw === ',' && q.high < 120 && q.low === q.high && first.k === K.Num) return; // "Jane Doe, 13,"
  if (prev && NOT_CROWD_BEFORE.has(prev.lw)) return;
  // Partitive "one of the protesters", "dozens of them": not a crowd count.
  if (after && after.lw === 'of' && q.j + 1 < n && MOD_STOP.has(toks[q.j + 1].lw) && toks[q.j + 1].lw !== 'a') return;

  // Positive evidence that this counts a crowd.
  let start = q.i;
  let endTok = q.j; // exclusive
  let ok = false;
  const noun = peopleNounAfter(toks, q.j);
  if (noun >= 0) {
    if (notCrowdAt(toks, noun + 1)) return;
    ok = true;
    endTok = noun + 1;
  } else if (after && gatherAt(toks, q.j)) {
    ok = true;
  } else if (after && notCrowdAt(toks, q.j)) {
    return;
  }
  // Left context: "a crowd of about 300", "drew thousands", "a crowd estimated at 5,000".
  if (prev) {
    let ctx = -1;
    if (DRAW.has(prev.lw)) ctx = q.i - 1;
    else if (prev.lw === 'of' && prev2 && CROWD_NOUNS.has(prev2.lw)) ctx = q.i - 2;
    else if (CROWD_NOUNS.has(prev.lw) && hedged) ctx = q.i - 1; // "a crowd estimated at 5,000"
    else if ((prev.lw === 'to' || prev.lw === 'at') && prev2 && (prev2.lw === 'swelled' || prev2.lw === 'grew' || prev2.lw === 'estimated')) ctx = q.i - 2;
    // "estimated the crowd at 10,000", "police put it at 4,000"
    else if (prev.lw === 'at' && prev2 && (CROWD_NOUNS.has(prev2.lw) || prev2.lw === 'size' || (prev2.lw === 'it' && q.i > 2 && PUT_AT.has(toks[q.i - 3].lw)))) ctx = prev2.lw === 'it' ? q.i - 3 : q.i - 2;
    if (ctx >= 0 && (ok || !after || FOLLOW_OK.has(after.lw) || gatherAt(toks, q.j))) {
      ok = true;
      start = ctx;
      if (ctx > 0 && (toks[ctx - 1].lw === 'a' || toks[ctx - 1].lw === 'an') && CROWD_NOUNS.has(toks[ctx].lw)) start = ctx - 1;
    }
  }
  if (ok) {
    out.push({ start: toks[start].s, end: toks[endTok - 1].e, text: q.text, low: q.low, high: q.high });
  }
}

// ---------------------------------------------------------------------------------------------
// Arrest and injury counts

const NEGATORS = new Set(['no', 'not', "n't", 'nobody', 'none', 'never', 'without', 'zero', 'neither', 'nor', "didn't", "wasn't", "weren't", "hasn't", "haven't", "don't"]);
const HYPOTHETICAL = new Set(['could', 'would', 'will', 'might', 'may', 'should', 'threatened', 'threaten', 'threatening', 'threatens', 'risk', 'risked', 'risking', 'face', 'faced', 'facing', 'if', 'avoid', 'avoided', 'warned', 'warning', 'possible', 'potential', 'fear', 'feared']);
const CLAUSE_BREAK = new Set([',', '.', ';', ':', '(', ')', '!', '?', '"', '“', '”', 'and', 'or', 'but', 'while', 'after', 'before', 'when', 'as', 'which', 'that', 'said', 'says', 'where', 'since', 'because', 'although', 'though']);
const REPORT_BEFORE = new Set(['the', 'made', 'make', 'making', 'multiple', 'numerous', 'mass', 'some', 'several', 'were', 'reported', 'minor', 'serious', 'any', 'resulted', 'further', 'additional', 'more']);
const REPORT_AFTER = new Set(['were', 'was', 'had', 'have', 'occurred', 'took', 'followed', 'came', 'included', 'resulted']);
const SINGULAR_AUX = new Set(['was', 'is', 'has', 'got', 'gets']);

interface CountSpec {
  quick: RegExp;
  /** verbs whose subject (passive) or object (active) is counted */
  verbs: Set<string>;
  /** nouns counted directly: "14 arrests", "two minor injuries" */
  nouns: Set<string>;
  /** singular nouns: "an arrest", "one injury", "the arrest of 3 people" */
  singular: Set<string>;
  /** verbs that may stand alone (no auxiliary) and still report the event, e.g. "police arrested" */
  activeOk: boolean;
}

const ARREST: CountSpec = {
  quick: /arrest|detain|custody|jail|handcuff|apprehend/i,
  verbs: new Set(['arrested', 'detained', 'jailed', 'handcuffed', 'apprehended', 'arresting', 'detaining']),
  nouns: new Set(['arrests', 'detentions']),
  singular: new Set(['arrest', 'detention']),
  activeOk: true,
};
const INJURY: CountSpec = {
  quick: /injur|hurt|wound|hospital/i,
  verbs: new Set(['injured', 'hurt', 'wounded', 'hospitalized', 'hospitalised', 'injuring', 'wounding']),
  nouns: new Set(['injuries']),
  singular: new Set(['injury']),
  activeOk: false,
};

/** Tokens between two indexes contain no clause break or other number? */
function bridged(toks: Tok[], from: number, to: number): boolean {
  for (let x = from; x < to; x++) {
    const t = toks[x];
    if (CLAUSE_BREAK.has(t.lw) || t.k === K.Num) return false;
  }
  return true;
}

function negatedBefore(toks: Tok[], x: number, window: number): boolean {
  for (let y = x - 1; y >= 0 && y >= x - window; y--) {
    const w = toks[y].lw;
    if (w === ',' || w === ';' || w === '.' || w === 'but') return false;
    if (NEGATORS.has(w) || HYPOTHETICAL.has(w)) return true;
    if (w === 'one' && y > 0 && toks[y - 1].lw === 'no') return true;
  }
  return false;
}

function findCounts(text: string, spec: CountSpec): CountHit[] {
  if (!spec.quick.test(text)) return [];
  const toks = sentenceTokens(text);
  const n = toks.length;
  const quants = allQuants(toks);
  const used: Array<[number, number]> = [];
  const out: CountHit[] = [];
  const quantEndingBefore = (x: number, maxGap: number): Quant | null => {
    for (let k = quants.length - 1; k >= 0; k--) {
      const q = quants[k];
      if (q.j > x) continue;
      if (x - q.j > maxGap) return null;
      return bridged(toks, q.j, x) ? q : null;
    }
    return null;
  };
  const quantAt = (x: number): Quant | null => {
    for (const q of quants) if (q.i === x || (q.i < x && q.j > x && hedgeStart(toks, x) === q.i)) return q;
    return null;
  };
  const push = (s: number, e: number, v: CountValue) => {
    for (const [a, b] of used) if (s < b && e > a) return;
    used.push([s, e]);
    out.push({ start: toks[s].s, end: toks[e - 1].e, text: v.text, low: v.low, high: v.high });
  };

  for (let x = 0; x < n; x++) {
    const w = toks[x].lw;
    const isVerb = spec.verbs.has(w);
    const isNoun = spec.nouns.has(w);
    const isSing = spec.singular.has(w);
    const custody = spec === ARREST && w === 'custody' && x > 0 && (toks[x - 1].lw === 'into' || toks[x - 1].lw === 'in');
    if (!isVerb && !isNoun && !isSing && !custody) continue;
    if (negatedBefore(toks, x, 5)) continue;
    // "uninjured", "not hurt": handled by negation; "hurt" needs an auxiliary or a count (too many other senses).
    if (isVerb || custody) {
      // verb end: "arrested", "taken into custody"
      let vs = x;
      if (custody && x >= 2) vs = x - 2;
      // active object: "police arrested 14 people", "injuring two officers"
      const objStart = x + 1 < n ? x + 1 : -1;
      if (isVerb && objStart > 0) {
        const q = quantAt(objStart) ?? (hedgeStart(toks, objStart) === objStart ? quants.find((qq) => qq.i === objStart) ?? null : null);
        if (q && q.i === objStart) {
          const nounEnd = q.j < n && toks[q.j].k === K.Word && !CLAUSE_BREAK.has(toks[q.j].lw) && !MOD_STOP.has(toks[q.j].lw) ? q.j + 1 : q.j;
          push(vs, nounEnd, { text: q.text, low: q.low, high: q.high });
          continue;
        }
      }
      // passive/predicate subject: "dozens of protestors were arrested", "three injured"
      const q = quantEndingBefore(vs, 7);
      if (q) {
        if (negatedBefore(toks, q.i, 3)) continue;
        push(q.i, x + 1, { text: q.text, low: q.low, high: q.high });
        continue;
      }
      // no count: needs an auxiliary ("was arrested", "were hurt") or an arrest verb used actively
      const aux = vs > 0 ? toks[vs - 1].lw : '';
      const hasAux = AUX.has(aux) || aux === 'got' || aux === 'get' || custody;
      if (!hasAux && !(spec.activeOk && (w === 'arrested' || w === 'detained'))) continue;
      // "in solidarity with detained workers": the participle as an adjective is not an arrest report
      if (!hasAux && /^(?:with|the|for|of|to|and|free|freeing|release|releasing|support|supporting|recently|wrongfully|all)$/.test(aux)) continue;
      if (w === 'arresting' || w === 'detaining' || w === 'injuring' || w === 'wounding') continue;
      // singular subject: "a protester was arrested", "one officer was hurt" -> 1
      let single = false;
      if (SINGULAR_AUX.has(aux) || (aux === 'been' && vs > 1 && toks[vs - 2].lw === 'has')) {
        for (let y = vs - 2; y >= 0 && y >= vs - 6; y--) {
          const lw = toks[y].lw;
          if (CLAUSE_BREAK.has(lw)) break;
          if (lw === 'a' || lw === 'an') {
            single = true;
            break;
          }
        }
      }
      push(vs, x + 1, single ? { text: '1', low: 1, high: 1 } : { text: 'unspecified', low: null, high: null });
      continue;
    }
    if (isNoun) {
      // "14 arrests", "dozens of arrests", "two officers suffered minor injuries"
      const q = quantEndingBefore(x, 5);
      if (q && !negatedBefore(toks, q.i, 3)) {
        push(q.i, x + 1, { text: q.text, low: q.low, high: q.high });
        continue;
      }
      // "arrests of 14 protesters"
      if (x + 2 < n && toks[x + 1].lw === 'of') {
        const q2 = quants.find((qq) => qq.i === x + 2);
        if (q2) {
          push(x, q2.j, { text: q2.text, low: q2.low, high: q2.high });
          continue;
        }
      }
      // a bare plural without a count is a report only in reporting frames ("the arrests",
      // "made arrests", "arrests were made"), not in lists of grievances ("ICE raids, arrests, and ...")
      const p = x > 0 ? toks[x - 1].lw : '';
      const nx = x + 1 < n ? toks[x + 1].lw : '';
      if (REPORT_BEFORE.has(p) || REPORT_AFTER.has(nx)) push(x, x + 1, { text: 'unspecified', low: null, high: null });
      continue;
    }
    // singular noun: "an arrest", "one injury", "the arrest of three protesters", "placed under arrest"
    const p = x > 0 ? toks[x - 1].lw : '';
    const p2 = x > 1 ? toks[x - 2].lw : '';
    if (x + 2 < n && toks[x + 1].lw === 'of') {
      const q2 = quants.find((qq) => qq.i === x + 2);
      if (q2) {
        push(x, q2.j, { text: q2.text, low: q2.low, high: q2.high });
        continue;
      }
      if (toks[x + 2].lw === 'a' || toks[x + 2].lw === 'an') {
        push(x, x + 3, { text: '1', low: 1, high: 1 });
        continue;
      }
      if (p === 'the') {
        push(x, x + 1, { text: 'unspecified', low: null, high: null });
        continue;
      }
    }
    if (p === 'an' || p === 'one' || ((p === 'minor' || p === 'serious') && (p2 === 'a' || p2 === 'one'))) {
      push(p === 'an' || p === 'one' ? x - 1 : x - 2, x + 1, { text: '1', low: 1, high: 1 });
      continue;
    }
    if (p === 'under' && spec === ARREST) push(x - 1, x + 1, { text: 'unspecified', low: null, high: null });
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

/** Counts of arrests/detentions in one sentence ("police arrested 14 people", "dozens of arrests"). */
export function findArrests(text: string): CountHit[] {
  return findCounts(text, ARREST);
}

/** Counts of injuries in one sentence ("at least 3 people were injured", "two officers were hurt"). */
export function findInjuries(text: string): CountHit[] {
  return findCounts(text, INJURY);
}

const NONE_RE = /^\s*(?:no|none|nobody|no one|zero|0(?:\.0+)?)\b/i;
const SOME_RE = /^\s*(some|unspecified|unknown|unclear|multiple|numerous|many)\b/i;

/**
 * Parse an arrests/injuries phrase into a CCC count: {text, low, high}. Vague words take their
 * CCC numbers ("dozens" 24); "some"/"unspecified" keep their text with null numbers. Returns null
 * for an empty phrase or one that reports none ("no arrests").
 */
export function parseCount(text: string): CountValue | null {
  const s = text.trim();
  if (s === '' || s === 'NA') return null;
  if (NONE_RE.test(s)) return null;
  const toks = tokenize(s);
  const qs = allQuants(toks);
  if (qs.length > 0) {
    const q = qs[0];
    return { text: q.text, low: q.low, high: q.high };
  }
  const some = SOME_RE.exec(s);
  if (some) return { text: some[1].toLowerCase(), low: null, high: null };
  if (/^(?:an?|one)\s/i.test(s) || /\b(?:was|is|has been)\b/i.test(s)) return { text: '1', low: 1, high: 1 };
  return { text: 'unspecified', low: null, high: null };
}
