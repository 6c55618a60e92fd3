// Pass 1 of extraction: the article read as units, one per sentence, each with its tokens, the places and
// regions it names, its protest words, its dates and whether it speaks of the future. Pure.
import type { Article, Block } from '../core/types.js';
import type { Gazetteer } from '../resolve/gazetteer.js';
import { addDays, findDates, iso, parseIso, type DateHit, type YearHint } from './dates.js';
import { ABROAD, AGGREGATE, FUTURE_CUES, GateScanner, NATIONWIDE, NON_PROTEST_DATE_VERBS, passesGate, table, TRIGGERS, WEAK_TRIGGERS, type GateHits, type Gated, type Trigger } from './lexicon.js';
import { capitalRuns, creditPlace, scanSentence, type RawPlace, type SentencePlaces } from './places.js';
import { quotedRanges, splitSentences, tokenize, type Sentence, type Token } from './text.js';


export interface Unit {
  sentence: Sentence;
  /** the gate strings of the sentence's lower-cased text (see Gated in lexicon.ts), for the extractor's patterns */
  gates: GateHits;
  block: number;
  kind: Block['kind'];
  tokens: Token[];
  scan: SentencePlaces;
  triggers: string[];
  /** words that report a demonstration only in an article about demonstrations ("gathered") */
  weak: string[];
  dates: DateHit[];
  future: boolean;
  title: string | null;
  /** the sentence reports background: "Since October, rallies have been held in ...", "had marched" */
  background: boolean;
  /** runs of capitalised words (proper names), read once: see runsOf */
  runs?: Token[][];
}

/** The unit's runs of capitalised words, computed once. */
export function runsOf(u: Unit): Token[][] {
  u.runs ??= capitalRuns(u.tokens, () => false);
  return u.runs;
}

export interface ReadArticle {
  units: Unit[];
  /** block index of a caption -> the place glued to the front of its credit line */
  creditPlaces: Map<number, RawPlace>;
}

/**
 * `published` is the day relative words count from: the article's publication date, or for an undated article
 * the day its reports are anchored to (see index.ts); `yearHint` dates "November 18" when neither is known.
 */
export function readUnits(article: Article, gaz: Gazetteer, published: string | null = article.published, yearHint?: YearHint): ReadArticle {
  const text = article.text;
  const units: Unit[] = [];
  const creditPlaces = new Map<number, RawPlace>();
  // unit index -> the last explicit day it writes, protest's or not
  const lastDays = new Map<number, DateHit>();
  article.blocks.forEach((b, bi) => {
    if (b.kind === 'furniture') return;
    const body = text.slice(b.start, b.end);
    if (b.kind === 'credit') {
      const cp = creditPlace(gaz, tokenize(body, b.start));
      // the caption this credit belongs to is the nearest caption block above it
      for (let k = bi - 1; k >= 0 && k >= bi - 2; k--) {
        if (article.blocks[k]!.kind === 'caption') {
          if (cp) creditPlaces.set(k, cp);
          break;
        }
      }
      return;
    }
    for (const s of splitSentences(body, b.start)) {
      const tokens = tokenize(s.text, s.start);
      // slogans on signs are short ("ICE Out of Minnesota"); a quoted statement names real places
      const quotes = quotedRanges(s.text, s.start).filter(([qs, qe]) => text.slice(qs, qe).split(/\s+/).length <= 8);
      const scan = scanSentence(gaz, tokens, s.start, quotes.length ? inRanges(quotes) : NOT_QUOTED);
      // the sentence's patterns are tried only when its lower-cased text passes their gates
      const gates = SENTENCE_GATES.scan(s.text.toLowerCase());
      // "businesses closed in solidarity with the protest": support for a protest elsewhere reports none here
      // (nor does a feared or compared one: "amid fears of a gathering similar to the rally that preceded ...")
      let own = s.text;
      let ownGates = gates;
      for (const g of NOT_OWN) {
        if (!passesGate(g, ownGates)) continue;
        own = own.replace(g.re, ' ');
        ownGates = SENTENCE_GATES.scan(own.toLowerCase());
      }
      const triggers = findTriggers(own, ownGates, TRIGGERS);
      const weak = findTriggers(own, ownGates, WEAK_TRIGGERS);
      const future = gatedTest(FUTURE_CUES, s.text, gates);
      const read = readDates(s, published, future, yearHint);
      // (the day of a killing is no protest's, but "a day after" it counts from it)
      for (const d of read) if (d.explicit && d.date && d.precision === 'day' && !stampDate(text, d)) lastDays.set(units.length, d);
      const dates = read.filter((d) => !nonProtestDate(text, s.start, d) && !stampDate(text, d));
      const background = gatedTest(BACKGROUND, s.text, gates) || gatedTest(NEGATED, s.text, gates) || (gatedTest(SINCE, s.text, gates) && gatedTest(PERFECT, s.text, gates)) || courtOnly(own);
      units.push({ sentence: s, gates, block: bi, kind: b.kind, tokens, scan, triggers, weak, dates, future, title: passesGate(TITLE, gates) ? findTitle(s.text) : null, background });
    }
  });
  datesAfterLastDate(units, lastDays, article.published);
  return { units, creditPlaces };
}

const COUNT_WORDS: Record<string, number> = table({ a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 });
/** "one day after her death", "two days later": a count of days from the day the text last named. */
const DAYS_AFTER = /\b(a|one|two|three|four|five|six|[1-6]) days? (?:after|later)\b/i;

/** A sentence dated only by "a day after ..." counts from the last explicit day written before it. */
function datesAfterLastDate(units: Unit[], lastDays: Map<number, DateHit>, published: string | null): void {
  let last: DateHit | null = null;
  units.forEach((u, k) => {
    if (last?.date && !u.dates.some((d) => d.date)) {
      const m = DAYS_AFTER.exec(u.sentence.text);
      if (m) {
        const n = COUNT_WORDS[m[1]!.toLowerCase()] ?? Number(m[1]);
        const start = u.sentence.start + m.index;
        const day = iso(addDays(parseIso(last.date)!, n));
        // (a report of what happened is not dated after its page)
        if (!published || day <= published || u.future) u.dates.push({ start, end: start + m[0].length, text: m[0], date: day, precision: 'day', explicit: false });
      }
    }
    last = lastDays.get(k) ?? last;
  });
}

/** A token inside none of a sentence's quoted slogans. */
const NOT_QUOTED = (): boolean => false;

/** Whether a token lies inside one of the ranges. */
function inRanges(ranges: Array<[number, number]>): (t: Token) => boolean {
  return (t) => ranges.some(([qs, qe]) => t.start >= qs && t.end <= qe);
}

/** The gated pattern's test of `s`, whose gate hits are `gates`. */
export function gatedTest(g: Gated, s: string, gates: GateHits): boolean {
  return passesGate(g, gates) && g.re.test(s);
}

/** The tactics of the protest words of `s` (with its gate hits), in list order ("" for generic ones). */
function findTriggers(s: string, gates: GateHits, list: Trigger[]): string[] {
  const out: string[] = [];
  for (const t of list) {
    if (passesGate(t, gates) && t.re.test(s)) out.push(t.tactic ?? '');
  }
  return out;
}

/** A date right after "was arrested", "were killed", ...: the date of that act, not of a demonstration. */
function nonProtestDate(text: string, sentenceStart: number, d: DateHit): boolean {
  const before = text.slice(Math.max(sentenceStart, d.start - 60), d.start);
  // "installed since the previous Wednesday": a date something began, not a protest's
  if (/\bsince\s+(?:the\s+)?(?:previous\s+|last\s+|early\s+|late\s+)?$/i.test(before)) return true;
  const m = NON_PROTEST_DATE_VERBS.exec(before);
  if (!m) return false;
  // "46 protesters were arrested Saturday night": arrests of the protesters happen at the protest
  const clause = text.slice(sentenceStart, d.start - before.length + m.index);
  const people = /\b(?:protesters|protestors|demonstrators|marchers|activists)\b/i;
  return !(/^(?:arrested|detained|cited)/i.test(m[0]) && (people.test(m[0]) || new RegExp(`${people.source}[^,;]*$`, 'i').test(clause)));
}

/** A phrase of support for a protest: "in solidarity with the strikers", "in support of Friday's protests". */
const SUPPORT_OF_PROTEST: Gated = {
  re: /\b(?:in )?(?:solidarity with|support of|support for) (?:the |their |these |those |this |that |[A-Z]\w*['’]s )?(?:\w+ ){0,2}(?:protests?|protesters|protestors|demonstrations?|demonstrators|strikes?|strikers|march(?:es|ers)?|rall(?:y|ies)|walkouts?|shutdown)\b/gi,
  gate: ['solidarity with', 'support of', 'support for'],
};

/** A protest feared, threatened or compared with: "fears of a gathering", "similar to the rally that ...". */
const OTHER_PROTEST: Gated = {
  re: /\b(?:similar to|reminiscent of|fears? of|threats? of|prospect of|possibility of|risk of)\s+(?:the |a |an |any |further |more )?(?:[\w’'-]+ ){0,3}?(?:protests?|demonstrations?|rall(?:y|ies)|march(?:es)?|gatherings?|unrest|riots?)\b(?:\s+similar to\s+(?:the |a |an )?(?:[\w’'\[\]-]+ ){0,3}?(?:protests?|demonstrations?|rall(?:y|ies)|march(?:es)?))?/gi,
  gate: ['similar to', 'reminiscent of', 'fear', 'threat', 'prospect of', 'possibility of', 'risk of'],
};

/** Phrases of protests other than the sentence's own, blanked before its protest words are read. */
const NOT_OWN = [SUPPORT_OF_PROTEST, OTHER_PROTEST];

/** Pluperfect protest verbs: what had happened before the events reported. */
/** The court's part of a story about protesters: "were arraigned", "charged with", "at a hearing on Thursday". */
const COURT_PROCESS = /\b(?:arraign(?:ed|ment|ments)|charged with|indicted|sentenced|pleaded|convicted|acquitted|hearing|appear(?:s|ed)? in court|defen[cs]e attorneys?|prosecutors?)\b/i;
const PARTICIPANTS = /\b(?:protest(?:er|or)s?|demonstrators?|activists?)\b/gi;
const ARREST_WORD = /\barrest|\bdetain|\bcustody\b/i;

/**
 * A sentence that speaks of protesters only as the people a court deals with ("At a hearing on Thursday, lawyers for
 * 30 of the protesters asked ...") reports no demonstration: without those nouns it has no protest word.
 */
function courtOnly(own: string): boolean {
  if (!COURT_PROCESS.test(own) || ARREST_WORD.test(own)) return false;
  const rest = own.replace(PARTICIPANTS, ' ');
  const restGates = SENTENCE_GATES.scan(rest.toLowerCase());
  return !findTriggers(rest, restGates, TRIGGERS).length && !findTriggers(rest, restGates, WEAK_TRIGGERS).length;
}

const BACKGROUND: Gated = { re: /\bhad (?:(?:also|already|previously|earlier) )?(?:protested|marched|rallied|demonstrated|gathered|picketed|walked out)\b/i, gate: ['had '] };
/** "There was no sign of demonstrations": a protest word denied. */
const NEGATED: Gated = {
  re: /\b(?:no sign of|no signs of|there (?:were|was) no|did not see any|saw no)\s+(?:\w+\s+)?(?:protests?|demonstrations?|demonstrators|protesters|rallies|marches)\b/i,
  gate: ['no sign', 'there were no', 'there was no', 'did not see any', 'saw no'],
};

/** "Since October ... have been held": a running count since a past time, not an event of this report. */
const SINCE: Gated = {
  re: /^\W*(?:ever )?since\b|\b(?:since|ever since) (?:early |late |mid-?)?(?:January|February|March|April|May|June|July|August|September|October|November|December|last|the start|the beginning|(?:19|20)\d\d)\b/i,
  gate: ['since'],
};
const PERFECT: Gated = { re: /\b(?:have|has) (?:been (?:held|staged|organi[sz]ed)|taken place|drawn|seen|held|staged|marched|rallied|protested)\b/i, gate: ['have ', 'has '] };

/**
 * The dates of a sentence. In "After protests Saturday, a march is planned for Sunday" the days of the leading
 * "After ..." part are past ones although the sentence speaks of the future.
 */
function readDates(s: Sentence, published: string | null, future: boolean, yearHint?: YearHint): DateHit[] {
  const cue = future && AFTER_THEN_PLAN.test(s.text) ? FUTURE_CUES.re.exec(s.text) : null;
  if (!cue) return findDates(s.text, s.start, published, future, yearHint);
  return [...findDates(s.text.slice(0, cue.index), s.start, published, false, yearHint), ...findDates(s.text.slice(cue.index), s.start + cue.index, published, true, yearHint)];
}

/**
 * A sentence that reports the past, then a plan: "After protests Saturday, a march is planned Sunday" (a page's date
 * stamp may lead it: " date 2025-06-01 After ...").
 */
export const AFTER_THEN_PLAN = /^\W*(?:date:?\s+\d{4}-\d\d-\d\d\s+)?(?:After|Following)\b/i;

/** A page's own date stamp ("date 2026-01-24", "Published Jan. 30, 2026"): the day of the page, not of an event. */
function stampDate(text: string, d: DateHit): boolean {
  if (/(?:^|\s)(?:date|published(?: on)?|posted(?: on)?|updated(?: on)?)[:\s]*$/i.test(text.slice(Math.max(0, d.start - 24), d.start))) return true;
  // a dateline's date: "FORT BRAGG, CA., 1/21/26 —"
  return /^\s*(?:\([^)]{1,30}\)\s*)?[—–]/.test(text.slice(d.end, d.end + 12)) && /[A-Z]{2,}[A-Za-z.]*,?\s*(?:[A-Z][A-Za-z.]*,?\s*)?$/.test(text.slice(Math.max(0, d.start - 40), d.start));
}

/** A quoted Title Case name of an action: "National Shutdown" protest. */
const TITLE: Gated = {
  re: /["“'‘]((?:[A-Z][\w’'-]*\s?){1,5})["”'’]\s*(?:protests?|demonstrations?|events?|day of action|strike|march|rally|campaign|movement|general strike)/,
  gate: ['protest', 'demonstration', 'event', 'day of action', 'strike', 'march', 'rally', 'campaign', 'movement'],
};
function findTitle(s: string): string | null {
  const m = TITLE.re.exec(s);
  return m ? m[1]!.trim() : null;
}

/** The gated patterns of this pass, for the test of their gates. */
export const GATED_FOR_TESTS: Record<string, Gated> = { SUPPORT_OF_PROTEST, OTHER_PROTEST, BACKGROUND, NEGATED, SINCE, PERFECT, TITLE };

/** The gates of every pattern read from a unit: this pass's, and those extract() asks of unit.gates. */
const SENTENCE_GATES = new GateScanner([...TRIGGERS, ...WEAK_TRIGGERS, FUTURE_CUES, NATIONWIDE, ABROAD, AGGREGATE, ...Object.values(GATED_FOR_TESTS)]);
