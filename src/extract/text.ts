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
    if (text[m.index] === '.' && (ABBREV.has(lw) || /^[A-Z]$/.test(w) || /^([A-Za-z]\.)+[A-Za-z]?$/.test(w))) continue;
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
const WORD = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*\.?/gu;

/** Tokens of a sentence with absolute offsets. Camel-case joins ("MinnesotaNo") are split into two tokens. */
export function tokenize(text: string, base = 0): Token[] {
  const out: Token[] = [];
  let prevEnd = 0;
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text))) {
    let word = m[0];
    let at = m.index;
    // a trailing period belongs to the word only for abbreviations ("St.", "Jan.", "D.C.")
    if (word.endsWith('.') && !/^([A-Za-z]\.)+$/.test(word) && !ABBREV.has(word.slice(0, -1).toLowerCase())) {
      word = word.slice(0, -1);
    }
    const parts = splitCamel(word);
    let offset = 0;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      const s = at + offset;
      out.push(makeToken(p, base + s, text.slice(prevEnd, s).trim(), i > 0));
      offset += p.length;
      prevEnd = s + p.length;
    }
  }
  return out;
}

function makeToken(text: string, start: number, gap: string, glued: boolean): Token {
  const first = text[0]!;
  const lower = first.toLowerCase();
  const cap = first !== lower && first === first.toUpperCase();
  // (a word that starts with a small letter is not in capitals: most words, and no need to look further)
  const smallFirst = first === lower && first !== first.toUpperCase();
  const letters = smallFirst ? '' : text.replace(/[^\p{L}]/gu, '');
  const allCaps = letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  return { start, end: start + text.length, text, cap, allCaps, glued, gap };
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
