// Names of private individuals never leave the article: quotes are redacted before they are stored in a
// mention. Public officials named with their title ("Mayor ...", "President ...") and organizations stay.
import { AGENCY_WORDS, CALENDAR_WORDS, ORG_HEADS, PUBLIC_TITLES, SENTENCE_WORDS, VENUE_HEADS } from './lexicon.js';
import { isFirstName } from './names.js';
import { capitalRuns } from './places.js';
import { tokenize, type Token } from './text.js';

export const REDACTED = '[name]';

/** Capitalised words that are ordinary nouns in names of things, never part of a person's name. */
const THING_WORDS = new Set(
  (
    'National Nationwide Federal State States United American Americans City County Town Village Games Olympic ' +
    'Olympics Day Week Weekend Shutdown Strike March Rally Protest Protests Democrats Republicans Democratic ' +
    'Republican Constitution Act Bill Law Order Executive Supreme District Court Police Department Security ' +
    'Homeland Immigration Customs Enforcement Border Patrol News Times Post Press Getty Images Photo Photos AP ' +
    'Reuters Free Justice Out In Against Stop No Yes Love God Black Lives Matter Women Men Kings King Queen ' +
    'Cities Twin Spider-Man Instagram Facebook Twitter TikTok YouTube Internet English Spanish Latino Latinos ' +
    'Christmas Easter Thanksgiving Halloween Pride Earth Labor Memorial Independence Mayday Olympics Super Bowl ' +
    'World Cup Series War Wars Revolution Movement Coalition Party North South East West Northern Southern ' +
    'Eastern Western Central Downtown Midtown Uptown Lower Upper Greater Metro Metropolitan Mall'
  ).split(' '),
);

const TITLE_WORD = /^(?:President|Vice|Gov\.?|Governor|Sen\.?|Senator|Rep\.?|Representative|Mayor|Judge|Justice|Secretary|Commissioner|Sheriff|Chief|Councilmember|Speaker|Minister|Pope|Director|Superintendent|Attorney|Lt\.?|Gen\.?|Dr\.?)$/;

export interface NameFinder {
  /** private names found in the article, in the case they were written */
  names: Set<string>;
}

/** Is this run of capitalised tokens shaped like a person's name? */
function looksLikeName(run: Token[], text: string, base: number, isPlace: (s: string) => boolean): boolean {
  if (run.length < 2 || run.length > 4) return false;
  if (run.some((t) => !t.cap || t.allCaps || t.glued)) return false;
  const words = run.map((t) => t.text.replace(/['’]s$/, '').replace(/\.$/, ''));
  if (words.some((w) => THING_WORDS.has(w) || VENUE_HEADS.has(w) || ORG_HEADS.has(w) || CALENDAR_WORDS.has(w) || SENTENCE_WORDS.has(w))) {
    return false;
  }
  const phrase = words.join(' ');
  if (AGENCY_WORDS.test(phrase)) return false;
  // a place, or a name that begins with one ("Santa Fe Becomes ...", "Wichita Common"), unless that
  // word is also a first name ("Marion Smith")
  for (let k = words.length; k >= 2; k--) if (isPlace(words.slice(0, k).join(' '))) return false;
  if (isPlace(words[0]!) && !isFirstName(words[0]!)) return false;
  if (isPlace(phrase)) return false;
  // "the Smith Foundation", "the Twin Cities": a name of a thing
  const before = text.slice(Math.max(0, run[0]!.start - base - 5), run[0]!.start - base);
  if (/\bthe\s+$/i.test(before)) return false;
  // followed by a lower-case organization noun: "No Kings coalition"
  const after = text.slice(run[run.length - 1]!.end - base, run[run.length - 1]!.end - base + 14);
  if (/^\s+(?:coalition|movement|group|alliance|network|union|campaign|organization|organisation)\b/i.test(after)) return false;
  return true;
}

function isPublicFigure(text: string, base: number, run: Token[]): boolean {
  const before = text.slice(Math.max(0, run[0]!.start - base - 40), run[0]!.start - base);
  return PUBLIC_TITLES.test(before);
}

/**
 * Collects the private names written in an article (in mixed case), so that the same names can be
 * removed wherever they appear, including slogans written in capitals.
 */
export function findPrivateNames(
  sentences: Array<{ text: string; start: number; tokens?: Token[]; runs?: Token[][] }>,
  isPlace: (s: string) => boolean,
): Set<string> {
  const names = new Set<string>();
  for (const s of sentences) {
    const tokens = s.tokens ?? tokenize(s.text, s.start);
    for (const run of s.runs ?? capitalRuns(tokens, () => false)) {
      let r = run;
      while (r.length && SENTENCE_WORDS.has(r[0]!.text)) r = r.slice(1);
      // "President Donald Trump", "Mayor Jane Roe": a public official, named with the title
      if (r.length && TITLE_WORD.test(r[0]!.text)) continue;
      if (looksLikeName(r, s.text, s.start, isPlace) && !isPublicFigure(s.text, s.start, r)) {
        names.add(r.map((t) => t.text.replace(/['’]s$/, '')).join(' '));
      }
    }
    // a single capitalised word followed by an age: "Maria, 12," (looked for only where ", 12," is written)
    if (!AGE_AFTER_COMMA.test(s.text)) continue;
    const ageRe = /\b([A-Z][\p{L}'’-]+),\s+(\d{1,2}),/gu;
    let m: RegExpExecArray | null;
    while ((m = ageRe.exec(s.text))) {
      if (!SENTENCE_WORDS.has(m[1]!) && !isPlace(m[1]!)) names.add(m[1]!);
    }
  }
  return names;
}

/** The part of the age pattern after the name: a cheap test before the Unicode pattern. */
const AGE_AFTER_COMMA = /,\s+\d{1,2},/;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A redactor for one article: replaces its private names (full names, and surnames written alone). */
export function makeRedactor(names: Set<string>, articleText = ''): (text: string) => string {
  if (!names.size) return (t) => t;
  const full = [...names].sort((a, b) => b.length - a.length).map(escapeRe);
  const surnames = new Set<string>();
  for (const n of names) {
    const parts = n.split(' ');
    const last = parts[parts.length - 1]!;
    // a surname or first name alone, unless the article also uses it as an ordinary word ("good", "back")
    if (last.length >= 3 && !isLowerCaseWordOf(articleText, last.toLowerCase())) surnames.add(last);
    if (parts.length > 1 && parts[0]!.length >= 3 && !isLowerCaseWordOf(articleText, parts[0]!.toLowerCase())) surnames.add(parts[0]!);
  }
  const fullRe = new RegExp(`\\b(?:${full.join('|')})\\b`, 'giu');
  // surnames and first names alone: only where capitalised (Title Case or capitals), so "good" stays
  const partRe = surnames.size ? new RegExp(`\\b(?:${[...surnames].map(escapeRe).join('|')})\\b`, 'gu') : null;
  const partUpperRe = surnames.size ? new RegExp(`\\b(?:${[...surnames].map((s) => escapeRe(s.toUpperCase())).join('|')})\\b`, 'gu') : null;
  // Most sentences hold none of the names: each pattern runs only when the text can match it. The surname
  // patterns are case-sensitive (a match contains the surname as written). The full names match in any case
  // (/iu): for ASCII names a lower-cased search decides, once "ſ" is read as "s" (the only characters outside
  // ASCII that /iu matches to an ASCII character are "ſ" for s and the Kelvin sign, which lower-cases to k);
  // other names always run the pattern.
  const fullLower = [...names].map((n) => n.toLowerCase());
  const namesAscii = [...names].every(isAscii);
  const parts = [...surnames];
  const upperParts = parts.map((p) => p.toUpperCase());
  return (text: string) => {
    let out = text;
    if (!namesAscii) out = out.replace(fullRe, REDACTED);
    else {
      let lower = text.toLowerCase();
      if (lower.includes('ſ')) lower = lower.replace(/ſ/g, 's');
      if (fullLower.some((n) => lower.includes(n))) out = out.replace(fullRe, REDACTED);
    }
    if (partRe && parts.some((p) => out.includes(p))) out = out.replace(partRe, REDACTED);
    if (partUpperRe && upperParts.some((p) => out.includes(p))) out = out.replace(partUpperRe, REDACTED);
    // collapse "[name] [name]" left by partial matches
    return out.includes(REDACTED) ? out.replace(/\[name\](?:\s+\[name\])+/g, REDACTED) : out;
  };
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return false;
  return true;
}

/**
 * Would /\b\p{Ll}[\p{L}'’-]*\/gu, run over `text`, give `w` as one of its matches (a word that starts with a small
 * letter)? The redactor asks this of a few words; collecting every such word of the article was one of its costs.
 * \b is the ASCII word boundary of a /u pattern without /i. A match starts where the pattern can start and no
 * earlier match runs on through (see startsInsideMatch), and it is `w` when the run of word characters ends with it.
 */
function isLowerCaseWordOf(text: string, w: string): boolean {
  if (!isLowerCaseWordShape(w)) return false;
  for (let p = text.indexOf(w); p >= 0; p = text.indexOf(w, p + 1)) {
    if (isAsciiWord(text.charCodeAt(p - 1)) === isAsciiWord(text.charCodeAt(p))) continue;
    const e = p + w.length;
    if (e < text.length && inWordClass(text.codePointAt(e)!)) continue;
    if (startsInsideMatch(text, p)) continue;
    return true;
  }
  return false;
}

/** A small letter, then letters, apostrophes and hyphens only. */
function isLowerCaseWordShape(w: string): boolean {
  if (!w) return false;
  const first = w.codePointAt(0)!;
  if (letterClass(first) !== LOWER) return false;
  for (let i = first > 0xffff ? 2 : 1; i < w.length; ) {
    const cp = w.codePointAt(i)!;
    if (!inWordClass(cp)) return false;
    i += cp > 0xffff ? 2 : 1;
  }
  return true;
}

/** [\p{L}'’-] */
function inWordClass(cp: number): boolean {
  return cp === 39 || cp === 0x2019 || cp === 45 || letterClass(cp) !== NOT_LETTER;
}

/**
 * Does a match of the pattern that starts before p run on through p? Only one that starts in the run of
 * [\p{L}'’-] characters right before p: the first place in that run where the pattern can start begins one.
 */
function startsInsideMatch(text: string, p: number): boolean {
  let q = p;
  while (q > 0) {
    const c = text.charCodeAt(q - 1);
    const pair = c >= 0xdc00 && c <= 0xdfff && q >= 2 && text.charCodeAt(q - 2) >= 0xd800 && text.charCodeAt(q - 2) <= 0xdbff;
    const start = pair ? q - 2 : q - 1;
    const cp = text.codePointAt(start)!;
    if (!inWordClass(cp)) return false;
    q = start;
    if (isAsciiWord(text.charCodeAt(q - 1)) !== isAsciiWord(text.charCodeAt(q)) && letterClass(cp) === LOWER) return true;
  }
  return false;
}

/** [A-Za-z0-9_] by char code (NaN, before the start or after the end, is not). */
function isAsciiWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

const NOT_LETTER = 1;
const LOWER = 2;
const OTHER_LETTER = 3;
/** \p{Ll}, other \p{L}, or neither, of each BMP code point: 0 until first asked. */
const BMP_LETTER = new Uint8Array(0x10000);
function letterClass(cp: number): number {
  if (cp <= 0xffff) {
    let k = BMP_LETTER[cp]!;
    if (k === 0) BMP_LETTER[cp] = k = classify(String.fromCharCode(cp));
    return k;
  }
  return classify(String.fromCodePoint(cp));
}
function classify(ch: string): number {
  return /^\p{Ll}$/u.test(ch) ? LOWER : /^\p{L}$/u.test(ch) ? OTHER_LETTER : NOT_LETTER;
}
