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
    // a single capitalised word followed by an age: "Maria, 12,"
    const ageRe = /\b([A-Z][\p{L}'’-]+),\s+(\d{1,2}),/gu;
    let m: RegExpExecArray | null;
    while ((m = ageRe.exec(s.text))) {
      if (!SENTENCE_WORDS.has(m[1]!) && !isPlace(m[1]!)) names.add(m[1]!);
    }
  }
  return names;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A redactor for one article: replaces its private names (full names, and surnames written alone). */
export function makeRedactor(names: Set<string>, articleText = ''): (text: string) => string {
  if (!names.size) return (t) => t;
  const lowerWords = new Set(articleText.match(/\b\p{Ll}[\p{L}'’-]*/gu) ?? []);
  const full = [...names].sort((a, b) => b.length - a.length).map(escapeRe);
  const surnames = new Set<string>();
  for (const n of names) {
    const parts = n.split(' ');
    const last = parts[parts.length - 1]!;
    // a surname or first name alone, unless the article also uses it as an ordinary word ("good", "back")
    if (last.length >= 3 && !lowerWords.has(last.toLowerCase())) surnames.add(escapeRe(last));
    if (parts.length > 1 && parts[0]!.length >= 3 && !lowerWords.has(parts[0]!.toLowerCase())) surnames.add(escapeRe(parts[0]!));
  }
  const fullRe = new RegExp(`\\b(?:${full.join('|')})\\b`, 'giu');
  // surnames and first names alone: only where capitalised (Title Case or capitals), so "good" stays
  const partRe = surnames.size ? new RegExp(`\\b(?:${[...surnames].join('|')})\\b`, 'gu') : null;
  const partUpperRe = surnames.size ? new RegExp(`\\b(?:${[...surnames].map((s) => s.toUpperCase()).join('|')})\\b`, 'gu') : null;
  return (text: string) => {
    let out = text.replace(fullRe, REDACTED);
    if (partRe) out = out.replace(partRe, REDACTED);
    if (partUpperRe) out = out.replace(partUpperRe, REDACTED);
    // collapse "[name] [name]" left by partial matches
    return out.replace(/\[name\](?:\s+\[name\])+/g, REDACTED);
  };
}
