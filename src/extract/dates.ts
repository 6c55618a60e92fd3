// Date expressions in a sentence, resolved against the publication date. chrono-node reads the explicit
// month-name spans that the patterns below find; it never sees whole articles (slow, and it reads the verb
// "march" and the modal "may" as months).
import { createRequire } from 'node:module';
import type { DatePrecision } from '../core/types.js';

type ChronoEn = typeof import('chrono-node/en');
let chronoEn: ChronoEn | null = null;

/**
 * chrono-node's English parser, loaded on first use: most spans are read without it (see plainDay), and its
 * CommonJS build loads in a fraction of the time the ES module graph takes through a loader.
 */
function chrono(): ChronoEn {
  return (chronoEn ??= createRequire(import.meta.url)('chrono-node/en') as ChronoEn);
}

export interface DateHit {
  start: number;
  end: number;
  text: string;
  /** YYYY-MM-DD: the day, the Monday of the week, or the 1st of the month; null when it cannot be resolved */
  date: string | null;
  precision: DatePrecision;
  /** an explicit calendar date ("January 30, 2026", "March 28") rather than a relative word */
  explicit: boolean;
}

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
];
const MONTH_RE =
  '(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?)';
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAY_RE = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';

interface Pattern {
  re: RegExp;
  /**
   * Can `re` match at all? Letters or signs every match contains: most sentences hold no date, and running
   * every pattern on each was most of the date pass. A gate must be a necessary condition, so skipping changes no hit.
   */
  gate: (p: Probe) => boolean;
  resolve: (m: RegExpExecArray, pub: Date | null, future: boolean, yearHint: YearHint) => { date: string | null; precision: DatePrecision; explicit: boolean } | null;
}

const ES_MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
const ES_WEEKDAYS: Record<string, string> = { domingo: 'Sunday', lunes: 'Monday', martes: 'Tuesday', 'miércoles': 'Wednesday', jueves: 'Thursday', viernes: 'Friday', 'sábado': 'Saturday' };

const PATTERNS: Pattern[] = [
  // "May Day (2025)": International Workers' Day is May 1
  {
    gate: (p) => p.lower.includes('may day'),
    re: /\bMay Day(?:,?\s+((?:20|19)\d\d))?\b/gi,
    resolve: (m, pub, _future, yearHint) => {
      const year = m[1] ? +m[1] : pub ? nearestYear(5, 1, pub) : yearHint.year;
      return year ? { date: `${year}-05-01`, precision: 'day', explicit: Boolean(m[1]) } : null;
    },
  },
  // Spanish: (el sábado) 14 de junio (de 2025), read as its English form
  {
    gate: (p) => p.digit && SPANISH_DAY.test(p.text),
    re: /\b(?:(domingo|lunes|martes|miércoles|jueves|viernes|sábado)\s+)?(\d{1,2})\s+de\s+(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)(?:\s+(?:de|del)\s+((?:19|20)\d\d))?/gi,
    resolve: (m, pub, _future, yearHint) => {
      const month = MONTHS[ES_MONTHS.indexOf(m[3]!.toLowerCase())]!;
      const english = `${m[1] ? `${ES_WEEKDAYS[m[1].toLowerCase()]}, ` : ''}${month[0]!.toUpperCase()}${month.slice(1)} ${m[2]}${m[4] ? `, ${m[4]}` : ''}`;
      const day = pub ? chronoDay(english, pub) : dayWithoutPublication(english, yearHint);
      return day ? { date: day, precision: 'day', explicit: true } : null;
    },
  },
  // 2026-01-30
  {
    gate: (p) => p.digit && p.text.includes('-'),
    re: /\b(20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b/g,
    resolve: (m) => ({ date: `${m[1]}-${m[2]}-${m[3]}`, precision: 'day', explicit: true }),
  },
  // (Friday,) January 30(, 2026) | Jan. 30 | 30 January 2026
  {
    gate: (p) => p.digit && p.month,
    re: new RegExp(
      `\\b(?:${WEEKDAY_RE},?\\s+)?(?:${MONTH_RE}\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+(?:20|19)\\d\\d)?|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_RE}(?:,?\\s+(?:20|19)\\d\\d)?)(?![\\w-])`,
      'g',
    ),
    resolve: (m, pub, _future, yearHint) => {
      const day = pub ? chronoDay(m[0], pub) : dayWithoutPublication(m[0], yearHint);
      return day ? { date: day, precision: 'day', explicit: true } : null;
    },
  },
  // 1/30/2026
  {
    gate: (p) => p.digit && p.text.includes('/'),
    re: /\b(0?[1-9]|1[0-2])\/(0?[1-9]|[12]\d|3[01])\/((?:20)?\d\d)\b/g,
    resolve: (m) => {
      const y = m[3]!.length === 2 ? `20${m[3]}` : m[3]!;
      return { date: `${y}-${pad(+m[1]!)}-${pad(+m[2]!)}`, precision: 'day', explicit: true };
    },
  },
  // (earlier|early|late|mid-) January (2026) -> month
  {
    gate: (p) => p.month,
    re: new RegExp(
      `\\b(?:(?:earlier|early|late|later|mid-?|in|since|last|this|during)\\s+(?:in\\s+)?)?(January|February|March|April|May|June|July|August|September|October|November|December)(?:\\s+((?:20|19)\\d\\d))?\\b(?!\\s*\\d)`,
      'g',
    ),
    resolve: (m, pub, future) => {
      // a bare capitalised "May" or "March" with no cue is too often a name or a verb
      const cue = /^(?:earlier|early|late|later|mid|in|since|last|this|during)/i.test(m[0]) || m[2];
      if (!cue) return null;
      const month = MONTHS.indexOf(m[1]!.toLowerCase()) + 1;
      let year = m[2] ? +m[2] : pub ? pub.getUTCFullYear() : null;
      if (year === null) return { date: null, precision: 'month', explicit: false };
      // a month after the publication's, spoken of in the past, is last year's ("since early October", in January)
      if (!m[2] && pub && month > pub.getUTCMonth() + 1 + 1 && (!future || /^(?:earlier|last|since)/i.test(m[0]))) year -= 1;
      return { date: `${year}-${pad(month)}-01`, precision: 'month', explicit: Boolean(m[2]) };
    },
  },
  // (last|this|next|on|this past) Friday (night)
  {
    gate: (p) => p.text.includes('day'),
    re: new RegExp(`\\b(?:(last|this past|this coming|this|next|on|late|early)\\s+)?${WEEKDAY_RE}\\b`, 'g'),
    resolve: (m, pub, future) => {
      if (!pub) return { date: null, precision: 'day', explicit: false };
      // "every Sunday": a recurring day is no date
      if (/\b(?:every|each)\s*$/i.test(m.input.slice(Math.max(0, m.index - 8), m.index))) return null;
      const wd = WEEKDAYS.indexOf(/(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)/.exec(m[0])![1]!.toLowerCase());
      const mod = (m[1] ?? '').toLowerCase();
      const pubWd = pub.getUTCDay();
      let delta: number;
      if (mod === 'next' || mod === 'this coming' || (future && mod !== 'last' && mod !== 'this past')) {
        // "protests are expected Friday", said on a Friday, is that day; "next Friday" is a week on
        delta = (wd - pubWd + 7) % 7 || (mod === 'next' || mod === 'this coming' ? 7 : 0);
        if (mod === 'next' && delta < 7 && wd > pubWd) delta += 0; // "next Friday" said on a Tuesday: this week's
      } else if (mod === 'last' || mod === 'this past') {
        delta = -((pubWd - wd + 7) % 7 || 7);
      } else {
        delta = -((pubWd - wd + 7) % 7);
      }
      return { date: iso(addDays(pub, delta)), precision: 'day', explicit: false };
    },
  },
  // today / tonight / this morning / yesterday / last night / tomorrow
  {
    gate: (p) => TODAY_WORDS.test(p.lower),
    re: /\b(today|tonight|this (?:morning|afternoon|evening)|yesterday|last night|tomorrow)\b/gi,
    resolve: (m, pub) => {
      if (!pub) return { date: null, precision: 'day', explicit: false };
      const w = m[1]!.toLowerCase();
      const delta = w === 'yesterday' || w === 'last night' ? -1 : w === 'tomorrow' ? 1 : 0;
      return { date: iso(addDays(pub, delta)), precision: 'day', explicit: false };
    },
  },
  // (earlier|later) this week / last week / next week / this weekend
  {
    gate: (p) => p.lower.includes('week'),
    re: /\b(?:(?:earlier|later|late|early)\s+)?(this|last|next|past)\s+(week|weekend)\b/gi,
    resolve: (m, pub) => {
      if (!pub) return { date: null, precision: 'week', explicit: false };
      const which = m[1]!.toLowerCase();
      const shift = which === 'last' ? -7 : which === 'next' ? 7 : 0;
      return { date: iso(monday(addDays(pub, shift))), precision: 'week', explicit: false };
    },
  },
  // (earlier|later) this month / last month / next month
  {
    gate: (p) => p.lower.includes('month'),
    re: /\b(?:(?:earlier|later|late|early)\s+)?(this|last|next|past)\s+month\b/gi,
    resolve: (m, pub) => {
      if (!pub) return { date: null, precision: 'month', explicit: false };
      const which = m[1]!.toLowerCase();
      const shift = which === 'last' ? -1 : which === 'next' ? 1 : 0;
      const d = new Date(Date.UTC(pub.getUTCFullYear(), pub.getUTCMonth() + shift, 1));
      return { date: iso(d), precision: 'month', explicit: false };
    },
  },
];

/** All date expressions in `text` (offsets are absolute: base + index), longest first where they overlap. */
/**
 * What an undated article's month-day dates are read with: the year it is about (from its URL or text), and the
 * day it was read (no report is dated after it: a weekday written with the date then picks the year).
 */
export interface YearHint {
  year: number | null;
  today: string | null;
}

const NO_HINT: YearHint = { year: null, today: null };

export function findDates(text: string, base: number, published: string | null, future: boolean, yearHint: YearHint = NO_HINT): DateHit[] {
  const pub = published ? publicationDay(published) : null;
  const hits: DateHit[] = [];
  const probe = probeOf(text);
  for (const p of PATTERNS) {
    if (!p.gate(probe)) continue;
    p.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = p.re.exec(text))) {
      const s = m.index;
      const e = s + m[0].length;
      if (hits.some((h) => h.start - base < e && s < h.end - base)) continue;
      const r = p.resolve(m, pub, future, yearHint);
      if (!r) continue;
      hits.push({ start: base + s, end: base + e, text: m[0], date: r.date, precision: r.precision, explicit: r.explicit });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** What the patterns' gates read of a sentence, computed once. */
interface Probe {
  text: string;
  lower: string;
  digit: boolean;
  /** a month's first three letters, capitalised as the month patterns write them */
  month: boolean;
}

function probeOf(text: string): Probe {
  return { text, lower: text.toLowerCase(), digit: /\d/.test(text), month: MONTH_PREFIX.test(text) };
}

const MONTH_PREFIX = /Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec/;
/** "14 de junio": a day, spaces, "de", a space. */
const SPANISH_DAY = /\d\s+de\s/i;
const TODAY_WORDS = /today|tonight|tomorrow|yesterday|last night|this (?:morning|afternoon|evening)/;

// the publication date of the sentences read one after another: parsed once (the Date is only read, never changed)
let lastPublished: string | null = null;
let lastPub: Date | null = null;
function publicationDay(published: string): Date | null {
  if (published !== lastPublished) {
    lastPub = parseIso(published);
    lastPublished = published;
  }
  return lastPub;
}

// chrono is the slow part of date reading; the same span against the same day reads the same
const chronoCache = new Map<string, string | null>();

function chronoDay(span: string, pub: Date | null): string | null {
  const key = `${pub ? pub.getTime() : ''}|${span}`;
  const hit = chronoCache.get(key);
  if (hit !== undefined) return hit;
  if (chronoCache.size > 20000) chronoCache.clear();
  const day = plainDay(span, pub) ?? chronoDayUncached(span, pub);
  chronoCache.set(key, day);
  return day;
}

/**
 * "January 30, 2026", "Jan. 30", "30 January 2026": the spans the explicit-date pattern finds are read directly
 * (a written year, else the year nearest publication); chrono reads anything else. Null when not that shape.
 */
function plainDay(span: string, pub: Date | null): string | null {
  const m = PLAIN_DAY.exec(span);
  if (!m) return null;
  const monthName = (m[1] ?? m[5])!.toLowerCase().replace(/\.$/, '');
  const month = MONTHS.findIndex((x) => x.startsWith(monthName.slice(0, 3))) + 1;
  const day = +(m[2] ?? m[4])!;
  const written = m[3] ?? m[6];
  if (!month || day < 1 || day > 31) return null;
  const year = written ? +written : pub ? nearestYear(month, day, pub) : null;
  if (year === null) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 ? iso(d) : null;
}

const PLAIN_DAY = new RegExp(
  `^(?:${WEEKDAY_RE},?\\s+)?(?:(${MONTH_RE})\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+((?:20|19)\\d\\d))?|(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH_RE})(?:,?\\s+((?:20|19)\\d\\d))?)$`,
);

function chronoDayUncached(span: string, pub: Date | null): string | null {
  // (a copy: the publication Date is shared by the sentences of an article, see publicationDay)
  const ref = pub ? new Date(pub.getTime()) : new Date(Date.UTC(2000, 0, 1));
  const res = chrono().parse(span, { instant: ref, timezone: 0 });
  const r = res[0];
  if (!r) return null;
  const day = r.start.get('day');
  const month = r.start.get('month');
  let year = r.start.get('year');
  if (!day || !month || !year) return null;
  if (!r.start.isCertain('year')) {
    if (!pub) return null;
    // the year nearest to the publication date
    year = nearestYear(month, day, pub);
  }
  return `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * A month and day read with no publication date: a written year wins; else the year (of the hint and the
 * years around it) in which the written weekday falls on that day ("Tuesday, November 18"); else the hint.
 */
function dayWithoutPublication(span: string, hint: YearHint): string | null {
  const res = chrono().parse(span, { instant: new Date(Date.UTC(hint.year ?? 2000, 6, 1)), timezone: 0 })[0];
  if (!res) return null;
  const day = res.start.get('day');
  const month = res.start.get('month');
  if (!day || !month) return null;
  if (res.start.isCertain('year')) return `${res.start.get('year')}-${pad(month)}-${pad(day)}`;
  const wd = /(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)/.exec(span)?.[1];
  const fits = (y: number) => !wd || new Date(Date.UTC(y, month - 1, day)).getUTCDay() === WEEKDAYS.indexOf(wd.toLowerCase());
  if (hint.year !== null) {
    for (const y of [hint.year, hint.year - 1, hint.year + 1]) if (fits(y)) return `${y}-${pad(month)}-${pad(day)}`;
    return null;
  }
  const today = hint.today ? parseIso(hint.today) : null;
  if (!wd || !today) return null;
  // the latest such day not after the day the article was read
  for (let y = today.getUTCFullYear(); y >= today.getUTCFullYear() - 6; y--) {
    const d = `${y}-${pad(month)}-${pad(day)}`;
    if (fits(y) && d <= hint.today!) return d;
  }
  return null;
}

/**
 * The year an undated article is most likely about: the year in its URL; else the year in which the days it
 * writes with their weekday fall on that weekday ("Thursday, March 13"), the latest not after `today` (a year it
 * writes wins among those that fit); else the year it writes most often; else, when it writes a day without a
 * year ("a July 5 rally") and a weekday ("the Saturday rally"), the latest year in which that day is that weekday.
 */
export function yearHintOf(text: string, url: string | null, today: string | null = null): number | null {
  const fromUrl = url ? URL_YEAR.exec(url.replace(/^[a-z]+:\/\/[^/]*/i, ''))?.[1] : undefined;
  if (fromUrl) return +fromUrl;
  const counts = new Map<number, number>();
  for (const m of text.matchAll(/\b((?:19|20)\d\d)\b/g)) counts.set(+m[1]!, (counts.get(+m[1]!) ?? 0) + 1);
  const now = today ? parseIso(today) : null;
  if (now) {
    const pairs = [...text.matchAll(WEEKDAY_DAY)].map((m) => ({ wd: [WEEKDAYS.indexOf(m[1]!.toLowerCase())], ...monthDay(m[2]!, m[3]!) }));
    const fromPairs = fittingYear(pairs, now, (y) => counts.has(y));
    if (fromPairs !== null) return fromPairs;
  }
  let best: number | null = null;
  let n = 0;
  for (const [y, c] of counts) if (c > n || (c === n && best !== null && y > best)) [best, n] = [y, c];
  if (best !== null || !now) return best;
  const weekdays = [...new Set([...text.matchAll(/\b(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)\b/g)].map((m) => WEEKDAYS.indexOf(m[1]!.toLowerCase())))];
  if (!weekdays.length) return null;
  const days = [...text.matchAll(new RegExp(`\\b(${MONTH_RE})\\s+(\\d{1,2})(?!\\d|,?\\s+(?:19|20)\\d\\d)`, 'g'))].map((m) => ({ wd: weekdays, ...monthDay(m[1]!, m[2]!) }));
  return fittingYear(days, now, () => false);
}

/** A year in a URL's path: "/2025/06/", "/evp2025/", "/2025-06-11-" (not a longer number's digits). */
const URL_YEAR = /(?<![\d])((?:19|20)\d\d)(?![\d])/;

/** "Thursday, March 13" (no year): a weekday written with its day. */
const WEEKDAY_DAY = new RegExp(`\\b(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday),?\\s+(${MONTH_RE})\\s+(\\d{1,2})(?!\\d|,?\\s+(?:19|20)\\d\\d)`, 'g');

function monthDay(monthName: string, day: string): { month: number; day: number } {
  const key = monthName.toLowerCase().slice(0, 3);
  return { month: MONTHS.findIndex((x) => x.startsWith(key)) + 1, day: +day };
}

/**
 * The year, among the seven up to `now`, in which the most of the days fall on one of their weekdays: a
 * preferred year first, then the latest. Null when no day fits any year.
 */
function fittingYear(days: Array<{ wd: number[]; month: number; day: number }>, now: Date, preferred: (y: number) => boolean): number | null {
  let best: number | null = null;
  let bestScore = 0;
  for (let y = now.getUTCFullYear(); y >= now.getUTCFullYear() - 6; y--) {
    let n = 0;
    for (const d of days) {
      if (!d.month || d.day < 1 || d.day > 31) continue;
      const date = new Date(Date.UTC(y, d.month - 1, d.day));
      if (date.getTime() <= now.getTime() && date.getUTCMonth() === d.month - 1 && d.wd.includes(date.getUTCDay())) n++;
    }
    const score = n + (n > 0 && preferred(y) ? 0.5 : 0);
    if (score > bestScore) [best, bestScore] = [y, score];
  }
  return best;
}

function nearestYear(month: number, day: number, pub: Date): number {
  const y = pub.getUTCFullYear();
  let best = y;
  let bestGap = Infinity;
  for (const cand of [y - 1, y, y + 1]) {
    const gap = Math.abs(Date.UTC(cand, month - 1, day) - pub.getTime());
    if (gap < bestGap) {
      bestGap = gap;
      best = cand;
    }
  }
  return best;
}

export function parseIso(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return Number.isNaN(d.getTime()) || iso(d) !== s ? null : d;
}

export function iso(d: Date): string {
  const y = d.getUTCFullYear();
  // (toISOString writes a year outside 0-9999 with a sign and six digits, and throws on an invalid date)
  if (!(y >= 1000 && y <= 9999)) return d.toISOString().slice(0, 10);
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return `${y}-${m < 10 ? '0' : ''}${m}-${day < 10 ? '0' : ''}${day}`;
}

export function addDays(d: Date, n: number): Date {
  return new Date(d.getTime() + n * 86400000);
}

export function monday(d: Date): Date {
  return addDays(d, -((d.getUTCDay() + 6) % 7));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Does the day `date` fall inside the period (date, precision)? */
export function within(day: string, start: string, precision: DatePrecision): boolean {
  if (precision === 'day') return day === start;
  if (precision === 'month') return day.slice(0, 7) === start.slice(0, 7);
  const s = parseIso(start);
  const d = parseIso(day);
  if (!s || !d) return false;
  const diff = (d.getTime() - s.getTime()) / 86400000;
  return diff >= 0 && diff < 7;
}
