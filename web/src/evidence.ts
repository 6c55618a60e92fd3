// The event page's evidence: each distinct quote once, the fields it supports, and where in it the words that
// gave each value are. Pure string work; the page renders the pieces as text nodes and <mark> elements.
import type { EventRecord, Evidence } from './api.ts';
import { regionName, sizeParts } from './format.ts';

/** The fields of the record, in the order the page lists them, with their labels. */
export const FIELD_LABELS: Record<string, string> = {
  date: 'Date',
  status: 'Status',
  locality: 'Place',
  location_detail: 'Venue',
  region: 'State or region',
  country: 'Country',
  event_type: 'Type',
  title: 'Title',
  macroevent: 'Day of action',
  size: 'Crowd size',
  arrests: 'Arrests',
  injuries: 'Injuries',
  police_measures: 'Police measures',
  property_damage: 'Property damage',
  organizations: 'Organizations',
  claims: 'Claims',
};

/** Older or other names of an evidence field, as the rows of the record know them. */
const FIELD_ALIASES: Record<string, string> = {
  place: 'locality',
  venue: 'location_detail',
  size_text: 'size',
  size_low: 'size',
  size_high: 'size',
  arrests_text: 'arrests',
  injuries_text: 'injuries',
};

export function fieldKey(field: string): string {
  return FIELD_ALIASES[field] ?? field;
}

export function fieldLabel(field: string): string {
  const key = fieldKey(field);
  const known = FIELD_LABELS[key];
  if (known) return known;
  const s = key.replace(/[_-]+/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface QuoteGroup {
  /** the quote as stored (private names already redacted) */
  quote: string;
  /** the fields it supports, in the page's order, without repeats */
  fields: string[];
  /** the sources that carry it, each once, in the order first seen */
  sources: string[];
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Each distinct quote once (the same sentence from a repeated caption, or from several fields, or from two copies
 * of a story), with every field it supports and every source it was read from.
 */
export function groupQuotes(evidence: Evidence[]): QuoteGroup[] {
  const order = Object.keys(FIELD_LABELS);
  const rank = (f: string) => {
    const i = order.indexOf(fieldKey(f));
    return i < 0 ? order.length : i;
  };
  const groups = new Map<string, QuoteGroup>();
  for (const ev of evidence) {
    const k = norm(ev.quote);
    if (!k) continue;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { quote: ev.quote, fields: [], sources: [] }));
    const f = fieldKey(ev.field);
    if (!g.fields.includes(f)) g.fields.push(f);
    if (!g.sources.includes(ev.source)) g.sources.push(ev.source);
  }
  const list = [...groups.values()];
  for (const g of list) g.fields.sort((a, b) => rank(a) - rank(b));
  // the quotes that support the most fields first: the sentence that reports the event, then the details
  return list.sort((a, b) => b.fields.length - a.fields.length || rank(a.fields[0] ?? '') - rank(b.fields[0] ?? ''));
}

// ---- finding the words of a value in a quote ------------------------------------------------------------------

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const RELATIVE_DAYS = /\b(?:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening|weekend|week|month)|last (?:night|week|weekend|month)|next (?:week|weekend|month)|earlier this (?:week|month)|later this (?:week|month))\b/gi;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Patterns for the words that can give a field's value in a sentence. */
function patterns(field: string, e: EventRecord): RegExp[] {
  const lit = (values: (string | null | undefined)[]) =>
    values
      .map((v) => (v ?? '').trim())
      .filter((v) => v.length >= 2)
      .map((v) => new RegExp(`(?<![\\w])${escapeRe(v).replace(/\s+/g, '\\s+')}(?![\\w])`, 'gi'));
  switch (field) {
    case 'date': {
      const out: RegExp[] = [new RegExp(RELATIVE_DAYS.source, 'gi')];
      const m = e.date ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(e.date) : null;
      if (m) {
        const month = MONTHS[Number(m[2]) - 1]!;
        const mon = `(?:${month}|${month.slice(0, 3)}\\.?${month.length > 4 ? `|${month.slice(0, 4)}\\.?` : ''})`;
        const day = String(Number(m[3]));
        if (e.date_precision === 'day') {
          out.push(new RegExp(`\\b(?:(?:${WEEKDAYS.join('|')}),?\\s+)?${mon}\\s+${day}(?:st|nd|rd|th)?\\b(?:,?\\s+${m[1]})?`, 'gi'));
          out.push(new RegExp(`\\b${day}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${mon}(?:,?\\s+${m[1]})?`, 'gi'));
          const wd = WEEKDAYS[new Date(`${e.date}T12:00:00Z`).getUTCDay()]!;
          out.push(new RegExp(`\\b${wd}\\b`, 'gi'));
        } else out.push(new RegExp(`\\b${month}\\b(?:\\s+${m[1]})?`, 'gi'));
      }
      return out;
    }
    case 'status':
      return [/\b(?:plan(?:s|ned|ning)?|will|set to|scheduled|expected|upcoming|announced)\b/gi];
    case 'locality':
      return lit([e.locality]);
    case 'location_detail':
      return lit([e.location_detail]);
    case 'region':
      return lit([e.region ? regionName(e.region, e.country) : null]);
    case 'country':
      return lit([e.country ? regionName(e.country, e.country) : null]);
    case 'event_type':
      // "march" gives marched, marchers; "rally" rallied: the type's stem and any ending
      return e.event_type
        .filter((t) => t.length >= 4)
        .map((t) => new RegExp(`\\b${escapeRe(t.replace(/(?:e|y)$/, '').replace(/-/g, ' ').replace(/\s+/g, '[\\s-]+'))}\\w*`, 'gi'));
    case 'title':
    case 'macroevent':
      return lit([e.title, e.macroevent]);
    case 'size': {
      const out = lit(sizeParts(e.size_text));
      for (const n of [e.size_low, e.size_high]) if (n != null) out.push(new RegExp(`\\b${Math.round(n).toLocaleString('en-US').replace(/,/g, ',?')}\\b`, 'g'));
      return out;
    }
    case 'arrests': {
      const out = lit([e.arrests_text]);
      if (e.arrests != null) out.push(new RegExp(`\\b${e.arrests}\\b`, 'g'));
      out.push(/\b(?:arrest(?:s|ed|ing)?|detain(?:ed|ing)?|taken into custody)\b/gi);
      return out;
    }
    case 'injuries':
      return lit([e.injuries_text]);
    case 'police_measures':
      return lit(e.police_measures);
    case 'property_damage':
      return lit(e.property_damage);
    case 'organizations':
      return lit(e.organizations);
    case 'claims':
      // a claim is stored as "for clean drinking water" / "against the budget cuts": find its words without the stance
      return lit(e.claims.flatMap((c) => [c, c.replace(/^(?:for|against|in support of|in opposition to)\s+/i, '')]));
    default:
      return [];
  }
}

export interface Piece {
  text: string;
  /** the fields whose value these words gave; absent for the rest of the sentence */
  fields?: string[];
}

/**
 * The quote cut into pieces: the words that gave each of `fields`'s values marked with the field, the rest plain.
 * Where two fields' words overlap, the longer match wins and both fields are named on it.
 */
export function highlight(quote: string, fields: string[], e: EventRecord): Piece[] {
  const hits: { start: number; end: number; field: string }[] = [];
  for (const f of fields) {
    for (const re of patterns(f, e)) {
      re.lastIndex = 0;
      for (let m = re.exec(quote); m; m = re.exec(quote)) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        hits.push({ start: m.index, end: m.index + m[0].length, field: f });
        if (!re.global) break;
      }
    }
  }
  // longest first, then earliest: keep each hit that does not overlap one kept; a hit over the same words adds its field
  hits.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: { start: number; end: number; fields: string[] }[] = [];
  for (const h of hits) {
    const same = kept.find((k) => k.start === h.start && k.end === h.end);
    if (same) {
      if (!same.fields.includes(h.field)) same.fields.push(h.field);
      continue;
    }
    const inside = kept.find((k) => h.start >= k.start && h.end <= k.end);
    if (inside) {
      if (!inside.fields.includes(h.field)) inside.fields.push(h.field);
      continue;
    }
    if (kept.some((k) => k.start < h.end && h.start < k.end)) continue;
    kept.push({ start: h.start, end: h.end, fields: [h.field] });
  }
  kept.sort((a, b) => a.start - b.start);
  const out: Piece[] = [];
  let at = 0;
  for (const k of kept) {
    if (k.start > at) out.push({ text: quote.slice(at, k.start) });
    out.push({ text: quote.slice(k.start, k.end), fields: k.fields });
    at = k.end;
  }
  if (at < quote.length) out.push({ text: quote.slice(at) });
  return out;
}

/** The source of each reported wording of the crowd (or of the arrests): the quotes that contain it. */
export function sizeWordings(e: EventRecord, field: 'size' | 'arrests' = 'size'): { wording: string; sources: string[]; quotes: string[] }[] {
  const parts = sizeParts(field === 'size' ? e.size_text : e.arrests_text);
  const sized = e.evidence.filter((ev) => fieldKey(ev.field) === field);
  return parts.map((p) => {
    const needle = norm(p);
    const hits = sized.filter((ev) => norm(ev.quote).includes(needle));
    return { wording: p, sources: [...new Set(hits.map((h) => h.source))], quotes: [...new Set(hits.map((h) => h.quote))] };
  });
}
