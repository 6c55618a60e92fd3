// The fold of an event's mentions into its record's parts, kept between rebuilds: an event reported by n articles is
// rebuilt n times, and building it from all its mentions each time made ingest O(n^2). Each value the record draws
// from its mentions (a union in first-seen order, a most common value, the first mention, a count) is kept with the
// place in the record's order where it was first seen, so adding an article's mentions anywhere in that order
// gives what a fold of all the mentions at once gives: the record depends on the set of mentions, not on the
// order they were folded in. mergeMentions (cluster.ts) builds every record through this.
import type { Evidence, Mention } from '../core/types.js';
import { sizeTextParts } from '../extract/size.js';

/**
 * One article's mentions in one group of an event (those under the event's own key, or the others: `apart`), in
 * the order given. The record reads its mentions group by group, each by article id, one article's as given.
 */
export interface Run {
  apart: boolean;
  articleId: string;
  mentions: Mention[];
  /** this run's evidence part: its quotes once each, less those of its article's own-key run (see partsInOrder) */
  items: Evidence[];
}

/** The record's order of two runs. Article ids compared by UTF-16 code units (ids are hex: bytewise alike). */
function compareRuns(a: Run, b: Run): number {
  return Number(a.apart) - Number(b.apart) || (a.articleId < b.articleId ? -1 : a.articleId > b.articleId ? 1 : 0);
}

/** Where a value was seen: its run, and its place among the run's values of the same kind. */
interface Seen {
  run: Run;
  at: number;
}

function before(a: Seen, b: Seen): boolean {
  const c = compareRuns(a.run, b.run);
  return c < 0 || (c === 0 && a.at < b.at);
}

/** A union of strings, compared without case, in the order first seen (each spelled as where first seen). */
class Union {
  private first = new Map<string, Seen & { value: string }>();
  private list: string[] | null = [];

  add(value: string, where: Seen): void {
    const k = value.toLowerCase();
    const e = this.first.get(k);
    if (e && !before(where, e)) return;
    this.first.set(k, { value, ...where });
    this.list = null;
  }

  values(): string[] {
    this.list ??= [...this.first.values()].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0)).map((e) => e.value);
    return [...this.list];
  }
}

/** The most common of some values; between equals, the one first seen. */
class Tally {
  private counts = new Map<string, Seen & { n: number }>();

  add(value: string | null, where: Seen): void {
    if (!value) return;
    const e = this.counts.get(value);
    if (!e) this.counts.set(value, { n: 1, ...where });
    else {
      e.n++;
      if (before(where, e)) [e.run, e.at] = [where.run, where.at];
    }
  }

  best(): string | null {
    let best: (Seen & { n: number; value: string }) | null = null;
    for (const [value, e] of this.counts) if (!best || e.n > best.n || (e.n === best.n && before(e, best))) best = { ...e, value };
    return best?.value ?? null;
  }
}

/** The identity of a quote in an event's evidence: the same field and start in the same article. */
function quoteKey(e: Evidence): string {
  return `${e.field}|${e.source}|${e.start}`;
}

/**
 * What the record of one event draws from its mentions, folded in article by article. `apart` says which mentions
 * are not under the event's own key.
 */
export class EventFold {
  /** the runs in the record's order */
  readonly runs: Run[] = [];
  private members = new Set<Mention>();
  /** the mentions folded in, in the order last given */
  private last: Mention[] = [];
  private quotes: Evidence[] | null = null;
  private articles = new Set<string>();
  /** the event's id, once worked out (a hash of its key) */
  id: string | null = null;
  /** whether a quote cites an article other than its mention's: then quotes of two articles may be one */
  foreign = false;

  readonly locationDetail = new Union();
  readonly eventType = new Union();
  readonly organizations = new Union();
  readonly claims = new Union();
  readonly policeMeasures = new Union();
  readonly propertyDamage = new Union();
  readonly flags = new Union();
  readonly arrestTexts = new Union();
  readonly injuries = new Union();
  readonly sizeTexts = new Union();
  readonly titles = new Tally();
  readonly macroevents = new Tally();
  readonly arrestNums = new Set<number>();
  readonly statuses = new Set<Mention['status']>();
  /** the crowd ranges given, as "low-high" */
  readonly sizeRanges = new Set<string>();
  sized = 0;
  sizeLow: number | null = null;
  sizeHigh: number | null = null;

  constructor(private apart: (m: Mention) => boolean) {}

  get size(): number {
    return this.members.size;
  }

  /**
   * The mentions of `mentions` not yet folded in, when `mentions` is the list last folded in with others put
   * anywhere in it (a store reads an event's mentions in a stable order: a new article's come between or after
   * them), and those others are all of articles not yet folded in; null otherwise (then the fold is no part of those
   * mentions' record). Compared by identity, one pass over both lists.
   */
  newOf(mentions: Mention[]): Mention[] | null {
    const fresh: Mention[] = [];
    let j = 0;
    for (const m of mentions) {
      if (j < this.last.length && m === this.last[j]) j++;
      else fresh.push(m);
    }
    if (j !== this.last.length) return null;
    for (const m of fresh) if (this.members.has(m) || this.articles.has(m.articleId)) return null;
    return fresh;
  }

  /**
   * Folds in the mentions of articles not yet folded in (see newOf), in the order given; `all` is the list they are
   * part of, as newOf next compares it.
   */
  add(mentions: Mention[], all: Mention[] = mentions): void {
    this.last = all.slice();
    this.quotes = null;
    const byRun = new Map<string, Run>();
    for (const m of mentions) {
      const apart = this.apart(m);
      const id = (apart ? '1' : '0') + m.articleId;
      let run = byRun.get(id);
      if (!run) byRun.set(id, (run = { apart, articleId: m.articleId, mentions: [], items: [] }));
      run.mentions.push(m);
      this.members.add(m);
    }
    // an article's own-key run before its other: the other's quotes are those the first lacks
    const runs = [...byRun.values()].sort(compareRuns);
    const seen = new Map<string, Set<string>>();
    for (const run of runs) {
      let keys = seen.get(run.articleId);
      if (!keys) seen.set(run.articleId, (keys = new Set()));
      this.fold(run, keys);
      this.insert(run);
    }
    for (const run of runs) this.articles.add(run.articleId);
  }

  /** The quotes of every run in order: the record's evidence (unless foreign). */
  evidence(): Evidence[] {
    if (!this.quotes) {
      this.quotes = [];
      for (const r of this.runs) for (const e of r.items) this.quotes.push(e);
    }
    return [...this.quotes];
  }

  /** The run's quotes and values folded in; `keys`: the quotes its article's runs already have. */
  private fold(run: Run, keys: Set<string>): void {
    const counters = new Map<Union, number>();
    const at = (u: Union): Seen => {
      const n = counters.get(u) ?? 0;
      counters.set(u, n + 1);
      return { run, at: n };
    };
    const all = (u: Union, values: string[]) => {
      for (const v of values) u.add(v, at(u));
    };
    let mention = 0;
    for (const m of run.mentions) {
      for (const e of m.evidence) {
        if (e.source !== run.articleId) this.foreign = true;
        const k = quoteKey(e);
        if (keys.has(k)) continue;
        keys.add(k);
        run.items.push(e);
      }
      all(this.locationDetail, m.location_detail);
      all(this.eventType, m.event_type);
      all(this.organizations, m.organizations);
      all(this.claims, m.claims);
      all(this.policeMeasures, m.police_measures);
      all(this.propertyDamage, m.property_damage);
      all(this.flags, m.flags.filter((f) => f !== 'date_from_article'));
      if (m.arrests_text) all(this.arrestTexts, [m.arrests_text]);
      if (m.injuries_text) all(this.injuries, [m.injuries_text]);
      if (m.arrests !== null) this.arrestNums.add(m.arrests);
      this.statuses.add(m.status);
      this.titles.add(m.title, { run, at: mention });
      this.macroevents.add(m.macroevent, { run, at: mention });
      mention++;
      if (m.size_text !== null) this.addSize(m, at);
    }
  }

  /** A mention's crowd size: its texts (as combineSizes reads them), range and bounds. */
  private addSize(m: Mention, at: (u: Union) => Seen): void {
    this.sized++;
    this.sizeRanges.add(`${m.size_low}-${m.size_high}`);
    for (const p of sizeTextParts(m.size_text!)) this.sizeTexts.add(p, at(this.sizeTexts));
    const l = m.size_low;
    const h = m.size_high ?? m.size_low;
    if (l !== null) this.sizeLow = this.sizeLow === null ? l : Math.min(this.sizeLow, l);
    if (h !== null) this.sizeHigh = this.sizeHigh === null ? h : Math.max(this.sizeHigh, h);
  }

  /** Puts a run in its place in the record's order. */
  private insert(run: Run): void {
    let [lo, hi] = [0, this.runs.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareRuns(this.runs[mid]!, run) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.runs.splice(lo, 0, run);
  }
}

/** The most mentions kept in folds (the least recently used events' go first). */
const MAX_FOLDED = 200_000;

/**
 * The folds of recently rebuilt events, by key, for one store: a rebuild whose mentions are those of the last one
 * and some of new articles folds in only the new ones. Mentions are told apart by identity, so a store keeps a fold
 * only as long as it hands the same mention objects to the merge (its own caches of them); any other list of
 * mentions starts a new fold.
 */
export class MergeFolds {
  private folds = new Map<string, EventFold>();
  private size = 0;

  /** The fold of `mentions` for the event under `key` (`apart` as in EventFold). */
  of(key: string, mentions: Mention[], apart: (m: Mention) => boolean): EventFold {
    const kept = this.folds.get(key);
    if (kept) {
      this.folds.delete(key);
      this.size -= kept.size;
    }
    const fresh = kept?.newOf(mentions);
    const fold = fresh ? kept! : new EventFold(apart);
    fold.add(fresh ?? mentions, mentions);
    this.folds.set(key, fold);
    this.size += fold.size;
    for (const [k, f] of this.folds) {
      if (this.size <= MAX_FOLDED || this.folds.size <= 1) break;
      this.folds.delete(k);
      this.size -= f.size;
    }
    return fold;
  }
}
