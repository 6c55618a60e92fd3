// Sentence splitting and word tokens with offsets into the article text. Pure, no I/O.

export interface Sentence {
  start: number;
  end: number;
  text: string;
}

export interface Token {
  start: number;
  end: number;
  text: string;
  /** starts with an upper-case letter */
  cap: boolean;
  /** every letter is upper case and there are at least two */
  allCaps: boolean;
  /** the token follows a camel-case join ("AngelesGenaro"): a word boundary the text lost */
  glued: boolean;
  /** punctuation between the previous token and this one (trimmed), "" when only spaces */
  gap: string;
}

// Abbreviations after which a period does not end a sentence.
const ABBREV = new Set(
  (
    'mr mrs ms dr st ft mt jr sr gov sen rep lt sgt gen col capt prof rev ave blvd no vs etc inc corp co ' +
    'jan feb mar apr aug sept sep oct nov dec calif colo conn fla ill ind kan mass mich minn miss mont neb ' +
    'nev okla ore penn tenn tex wash wis wyo ariz ark del md va vt wva ga la pa nc sc nd sd dc u.s a.m p.m'
  ).split(' '),
);

/**
 * A state's code in capitals ("DC", "PA"): its abbreviation is written with periods ("D.C.") or in lower case
 * ("Pa."), so a period after it ends the sentence. (Not "ST.", "FT.", "NO.", "CO.", "MS.": in capitals too, they
 * may be abbreviations.)
 */
const ALL_CAPS_CODE = /^(?:DC|PA|NC|SC|ND|SD|GA|LA|MD|VA|VT)$/;

/** Splits a block of text into sentences; offsets are absolute (base + index). */
export function splitSentences(text: string, base = 0): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  const re = /[.!?]+["'”’)\]]*\s+(?=["'“‘(]?[A-Z0-9])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const endPunct = m.index + m[0].trimEnd().length;
    // the word before the period
    const before = text.slice(Math.max(0, m.index - 12), m.index);
    const w = /([A-Za-z.]+)$/.exec(before)?.[1] ?? '';
    const lw = w.toLowerCase().replace(/\.$/, '');
    // (a state's code in capitals is no abbreviation: "in Tacoma and DC. The" ends a sentence, "D.C. The" may not)
    if (text[m.index] === '.' && ((ABBREV.has(lw) && !ALL_CAPS_CODE.test(w)) || /^[A-Z]$/.test(w) || /^([A-Za-z]\.)+[A-Za-z]?$/.test(w))) continue;
    pushSentence(out, text, start, endPunct, base);
    start = m.index + m[0].length;
  }
  pushSentence(out, text, start, text.length, base);
  return out;
}

function pushSentence(out: Sentence[], text: string, s: number, e: number, base: number): void {
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  if (e > s) out.push({ start: base + s, end: base + e, text: text.slice(s, e) });
}

// A word: letters (any script), digits, inner apostrophes, hyphens and periods of abbreviations ("St.", "D.C.").
// The scanner below reads exactly what /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*\.?/gu would match; it is written
// out by hand because tokenize runs on every sentence and the Unicode-property regex was its slowest part.
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
/** [0-9A-Za-z] by char code. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = /[0-9A-Za-z]/.test(String.fromCharCode(c)) ? 1 : 0;
/** Whether each BMP char is a letter or digit: 0 not looked at yet, 1 yes, 2 no. */
const BMP_WORD = new Uint8Array(0x10000);

/** The length in code units (1 or 2) of the letter or digit at i, or 0 when there is none. */
function wordCharAt(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (c < 128) return ASCII_WORD[c]!;
  const cp = s.codePointAt(i)!;
  if (cp > 0xffff) return WORD_CHAR.test(String.fromCodePoint(cp)) ? 2 : 0;
  let k = BMP_WORD[cp]!;
  if (k === 0) BMP_WORD[cp] = k = WORD_CHAR.test(String.fromCharCode(cp)) ? 1 : 2;
  return k === 1 ? 1 : 0;
}

/** Tokens of a sentence with absolute offsets. Camel-case joins ("MinnesotaNo") are split into two tokens. */
export function tokenize(text: string, base = 0): Token[] {
  const out: Token[] = [];
  let prevEnd = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    let w = wordCharAt(text, i);
    if (w === 0) {
      i += text.codePointAt(i)! > 0xffff ? 2 : 1;
      continue;
    }
    const at = i;
    // most words are ASCII letters and digits ending before a space or a sign: read in one pass, their capitals
    // counted on the way (the general path below handles anything else: other scripts, inner apostrophes,
    // periods and hyphens, a trailing period, a camel-case join)
    let upper = 0;
    let lower = 0;
    let camel = false;
    let j = i;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c >= 97 && c <= 122) lower++;
      else if (c >= 65 && c <= 90) {
        upper++;
        if (j > i && isAsciiLower(text.charCodeAt(j - 1))) camel = true;
      } else if (c < 48 || c > 57) break;
    }
    // (no char code is read past the end: V8 dropped the optimized tokenizer for each such read)
    const next = j < n ? text.charCodeAt(j) : -1;
    if (j > i && !camel && (j === n || (next < 128 && next !== 39 && next !== 46 && next !== 45))) {
      const first = text.charCodeAt(i);
      const allCaps = !isAsciiLower(first) && upper >= 2 && lower === 0;
      out.push({ start: base + i, end: base + j, text: text.slice(i, j), cap: first >= 65 && first <= 90, allCaps, glued: false, gap: gapText(text, prevEnd, i) });
      prevEnd = j;
      i = j;
      continue;
    }
    i += w;
    while ((w = wordCharAt(text, i))) i += w;
    // inner apostrophes, periods and hyphens, each followed by more letters or digits
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 39 && c !== 0x2019 && c !== 46 && c !== 45) break;
      w = wordCharAt(text, i + 1);
      if (w === 0) break;
      i += 1 + w;
      while ((w = wordCharAt(text, i))) i += w;
    }
    if (i < n && text.charCodeAt(i) === 46) i++;
    let word = text.slice(at, i);
    // a trailing period belongs to the word only for abbreviations ("St.", "Jan.", "D.C.")
    if (word.endsWith('.') && !/^([A-Za-z]\.)+$/.test(word) && (!ABBREV.has(word.slice(0, -1).toLowerCase()) || ALL_CAPS_CODE.test(word.slice(0, -1)))) {
      word = word.slice(0, -1);
    }
    if (!hasCamelJoin(word)) {
      out.push(makeToken(word, base + at, gapText(text, prevEnd, at), false));
      prevEnd = at + word.length;
      continue;
    }
    const parts = splitCamel(word);
    let offset = 0;
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k]!;
      const s = at + offset;
      out.push(makeToken(p, base + s, gapText(text, prevEnd, s), k > 0));
      offset += p.length;
      prevEnd = s + p.length;
    }
  }
  return out;
}

/** The text between two tokens, trimmed ("" for the usual single space, without slicing). */
function gapText(text: string, from: number, to: number): string {
  if (to === from || (to === from + 1 && text.charCodeAt(from) === 32)) return '';
  return text.slice(from, to).trim();
}

function makeToken(text: string, start: number, gap: string, glued: boolean): Token {
  const c = text.charCodeAt(0);
  // an ASCII word is read by its char codes; any other goes through the case mappings
  if (c < 128 && isAsciiString(text)) {
    const cap = c >= 65 && c <= 90;
    let allCaps = false;
    if (!(c >= 97 && c <= 122)) {
      let upper = 0;
      let lower = 0;
      for (let k = 0; k < text.length; k++) {
        const d = text.charCodeAt(k);
        if (d >= 65 && d <= 90) upper++;
        else if (d >= 97 && d <= 122) lower++;
      }
      allCaps = upper >= 2 && lower === 0;
    }
    return { start, end: start + text.length, text, cap, allCaps, glued, gap };
  }
  const first = text[0]!;
  const lower = first.toLowerCase();
  const cap = first !== lower && first === first.toUpperCase();
  // (a word that starts with a small letter is not in capitals: most words, and no need to look further)
  const smallFirst = first === lower && first !== first.toUpperCase();
  const letters = smallFirst ? '' : text.replace(/[^\p{L}]/gu, '');
  const allCaps = letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  return { start, end: start + text.length, text, cap, allCaps, glued, gap };
}

function isAsciiLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isAsciiString(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) >= 128) return false;
  return true;
}

/** Is there a small letter followed by a capital (the test splitCamel starts with), read by char codes for ASCII? */
function hasCamelJoin(word: string): boolean {
  let prevLower = false;
  for (let k = 0; k < word.length; k++) {
    const d = word.charCodeAt(k);
    if (d >= 128) return CAMEL.test(word);
    if (prevLower && d >= 65 && d <= 90) return true;
    prevLower = d >= 97 && d <= 122;
  }
  return false;
}

/**
 * "AngelesGenaro" -> ["Angeles", "Genaro"]: text extracted from pages often loses the space between a
 * label and the next line. Short prefixes ("McDonald", "DeSantis", "LaGuardia", "SoHo") stay whole.
 */
const CAMEL = /\p{Ll}\p{Lu}/u;

function splitCamel(word: string): string[] {
  if (!CAMEL.test(word)) return [word];
  const parts: string[] = [];
  let last = 0;
  for (let i = 1; i < word.length - 1; i++) {
    const a = word[i - 1]!;
    const b = word[i]!;
    const c = word[i + 1]!;
    // "AngelesGenaro" and "AngelesPATRICK": a lower-case letter, then a capital that starts a new word
    const startsWord = isLower(c) || (isUpper(c) && word.slice(i).toUpperCase() === word.slice(i) && word.length - i >= 2);
    if (isLower(a) && isUpper(b) && startsWord && i - last >= 4 && !/^(Mc|Mac|De|Da|Di|La|Le|Van|Von|O)$/.test(word.slice(last, i))) {
      parts.push(word.slice(last, i));
      last = i;
    }
  }
  parts.push(word.slice(last));
  return parts;
}

function isLower(ch: string): boolean {
  return ch !== ch.toUpperCase() && ch === ch.toLowerCase();
}
function isUpper(ch: string): boolean {
  return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

/** Ranges of text inside quotation marks (slogans, sign text, titles). */
export function quotedRanges(text: string, base = 0): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const re = /["“”]([^"“”\n]{1,200})["“”]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push([base + m.index + 1, base + m.index + m[0].length - 1]);
  return out;
}
