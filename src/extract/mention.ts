// Mentions: the date each place of a sentence takes, the status of a report, and the mention records built
// from them (one place, one day), including planned nationwide days. Pure.
import type { Mention, Status } from '../core/types.js';
import { protestWordSpans } from './attach.js';
import { addDays, iso, monday, parseIso, type DateHit } from './dates.js';
import type { RawPlace } from './places.js';
import { MIN_UNQUALIFIED_POP, type Resolved } from './resolve.js';
import type { Sentence } from './text.js';
import type { Unit } from './units.js';

/** "- Eugene, Oregon", "2. Peoria, Illinois – noon at Federal Plaza": a list item that starts with a place. */
export function isPlaceLine(u: Unit, resolved: Resolved[]): boolean {
  const first = resolved[0];
  if (!first || u.tokens.length > 12) return false;
  const lead = u.sentence.text.slice(0, first.raw.start - u.sentence.start);
  return /^[\s\-–—•*·]*(?:\d{1,3}[.)]\s*)?$/.test(lead) && (lead.trim() !== '' || u.tokens.length <= 6);
}

/**
 * Gives each place in the sentence the date written nearest to it, unless another group of places stands
 * between them ("in Tulsa, Reno and Boise on Saturday" dates all three; "in Fresno, where ...
 * a protest in Modesto earlier this month" dates only Modesto).
 */
export function assignDates(u: Unit, places: Resolved[], others: Resolved[] = []): Array<DateHit | null> {
  const dates = u.dates.filter((d) => d.date && !inAsideAbout(u.sentence, d));
  if (!dates.length) return places.map(() => null);
  const own = places.map((p) => p.raw);
  if (own.some((r) => r.start < u.sentence.start || r.end > u.sentence.end)) {
    // inherited place: the sentence's own date, if it has exactly one
    return places.map(() => (dates.length >= 1 ? dates[0]! : null));
  }
  // the sentence's other places (context: "following earlier rallies in Lyon in May") keep their dates too
  const groups = groupPlaces(u.sentence, [...own, ...others.map((o) => o.raw).filter((r) => !own.includes(r))]);
  const all = [...new Set(groups.values())];
  return places.map((p) => {
    const g = groups.get(p.raw)!;
    let best: DateHit | null = null;
    let bestDist = Infinity;
    let after: DateHit | null = null;
    for (const d of dates) {
      const dist = d.start >= g.end ? d.start - g.end : g.start - d.end;
      // another group between the date and this one?
      const lo = Math.min(d.start, g.start);
      const hi = Math.max(d.end, g.end);
      const blocked = all.some((o) => o !== g && o.start > lo && o.end < hi);
      if (blocked) continue;
      if (d.start >= g.end && (!after || d.start < after.start)) after = d;
      if (dist < bestDist) [best, bestDist] = [d, dist];
    }
    // "In Lyon, thousands marched on Saturday, while in Porto they gathered on Sunday": a date between the
    // previous group and this one is the previous group's when this one has its own date after it
    if (best && after && best !== after && best.end <= g.start && all.some((o) => o !== g && o.end <= best!.start)) return after;
    return best;
  });
}

/** ", who was killed on Thursday,": a clause set off about someone or something else. */
const ASIDE = /,\s+(?:who|whom|whose|which)\b[^,;]*,/g;

/**
 * The date sits in an aside about someone else, one with no protest word of the lexicon ("Posters of a singer, who
 * was honored on Thursday, hung there").
 */
function inAsideAbout(s: Sentence, d: DateHit): boolean {
  if (!s.text.includes(', wh')) return false;
  for (const m of s.text.matchAll(ASIDE)) {
    const a = m.index!;
    const b = a + m[0].length;
    if (d.start >= s.start + a && d.end <= s.start + b) return !protestWordSpans(s.text).some(([x, y]) => x >= a && y <= b);
  }
  return false;
}

/** Places listed together ("Tulsa, Reno, Boise and Fresno") form one group. */
export function groupPlaces(s: Sentence, raws: RawPlace[]): Map<RawPlace, { start: number; end: number }> {
  const sorted = [...raws].sort((a, b) => a.start - b.start);
  const map = new Map<RawPlace, { start: number; end: number }>();
  let cur: { start: number; end: number } | null = null;
  let prevEnd = -1;
  for (const r of sorted) {
    const between = prevEnd >= 0 ? s.text.slice(prevEnd - s.start, r.start - s.start) : '';
    const listed = cur && /^(?:,\s*(?:[A-Z][\w.]*(?:\s[A-Z][\w.]*)?,?\s*)?(?:and|or)?\s*|\s+(?:and|or)\s+)$/.test(between);
    if (!cur || !listed) {
      cur = { start: r.start, end: r.qualifier?.end ?? r.end };
    } else {
      cur.end = r.qualifier?.end ?? r.end;
    }
    map.set(r, cur);
    prevEnd = r.qualifier?.end ?? r.end;
  }
  return map;
}

export function statusOf(u: Unit, date: DateHit | null, published: string | null): Status {
  if (u.future && (!date?.date || !published || date.date >= published)) return 'planned';
  return 'occurred';
}

export function emptyMention(articleId: string): Mention {
  return {
    articleId,
    date: null,
    date_precision: 'day',
    status: 'occurred',
    locality: null,
    region: null,
    country: null,
    county: null,
    fips: null,
    lat: null,
    lon: null,
    geo_precision: 'locality',
    placeId: null,
    location_detail: [],
    event_type: [],
    macroevent: null,
    title: null,
    organizations: [],
    claims: [],
    size_text: null,
    size_low: null,
    size_high: null,
    arrests: null,
    arrests_text: null,
    injuries_text: null,
    police_measures: [],
    property_damage: [],
    evidence: [],
    confidence: 0.5,
    flags: [],
  };
}

export function newMention(
  articleId: string,
  p: Resolved,
  date: DateHit | null,
  published: string | null,
  u: Unit,
  dateNote: string | null,
  inherited: boolean,
): Mention {
  const m = emptyMention(articleId);
  const loc = p.locality;
  m.locality = loc.name;
  m.region = loc.region;
  m.country = loc.country;
  m.county = loc.county;
  m.fips = loc.fips;
  m.lat = loc.lat;
  m.lon = loc.lon;
  m.placeId = loc.id;
  m.geo_precision = 'locality';
  if (p.detail) m.location_detail.push(p.detail);
  if (date?.date) {
    m.date = date.date;
    m.date_precision = date.precision;
  } else if (published) {
    // no day can be read: the report is of the week the article was written in (the week of the day before
    // publication), said at that precision and flagged, never a made-up day
    m.date = iso(monday(addDays(parseIso(published)!, -1)));
    m.date_precision = 'week';
    m.flags.push('day_unknown');
  }
  if (dateNote) m.flags.push(dateNote);
  m.status = statusOf(u, date, published);
  let conf = 0.9;
  if (inherited) conf -= 0.15;
  if (p.raw.venue) conf -= 0.1;
  if (dateNote || !date) conf -= 0.1;
  if (!p.raw.qualifier && p.locality.population < MIN_UNQUALIFIED_POP) conf -= 0.1;
  m.confidence = Math.round(conf * 100) / 100;
  m.title = u.title;
  return m;
}

/** Words that call for a nationwide action to come: "join", "the next national day of action", "tomorrow". */
export const CALL_CUES = /\b(?:join|next|tomorrow|upcoming|calls? for|called for|set to|are set|is set)\b/i;

/**
 * The days of a nationwide action that a sentence announces: days not before publication, in a sentence that
 * speaks of the future or calls people to it (with no publication date, the call alone decides). `anchored`: the
 * day given is not a publication date but the day an undated page is about.
 */
export function plannedNationwideDays(u: Unit, published: string | null, anchored = false): DateHit[] {
  const call = CALL_CUES.test(u.sentence.text);
  const calls = u.future || call;
  const days = u.dates.filter((h) => h.date && h.precision === 'day' && (!published || h.date >= published));
  // (an undated page counts from the day it is about: a call to join that day is a plan for it)
  return days.filter((h) => (published && h.date! > published && h.explicit) || (calls && (!published || h.date! > published || u.future)) || (anchored && call));
}

export function nationwideMention(articleId: string, d: DateHit, u: Unit, country: string): Mention {
  const m = emptyMention(articleId);
  m.date = d.date;
  m.date_precision = d.precision;
  m.status = 'planned';
  m.region = country;
  m.country = country;
  m.geo_precision = 'country';
  m.placeId = `country:${country}`;
  m.location_detail.push('nationwide');
  m.confidence = 0.7;
  m.title = u.title;
  return m;
}
