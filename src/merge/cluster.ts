// merge: mentions of the same demonstration (same place, same day) become one event record, across
// articles. Disagreeing values are kept side by side with their sources, never overwritten.
import { createHash } from 'node:crypto';
import type { EventRecord, Evidence, Mention, SizeCat, SourceRef } from '../core/types.js';
import { noEdits, UNREVIEWED } from '../core/types.js';
import { sizeMeanCat } from '../extract/size.js';
import { EventFold, type MergeFolds } from './fold.js';

/**
 * The name a file is published under: its last path segment ("river-valley-rallies.txt"), never the directory it
 * was read from on this machine. Both separators count, so a Windows path read on any system loses its folders too.
 */
export function publicFileName(name: string): string {
  const segments = name.split(/[\\/]+/).filter(Boolean);
  return segments.length ? segments[segments.length - 1]! : name.replace(/[\\/]/g, '');
}

/** How an event cites an article: its URL, or the name of the file it was read from (without its directory). */
export function sourceRef(a: { id: string; name: string; url: string | null; title: string | null; publisher: string | null; published: string | null }): SourceRef {
  return { id: a.id, url: a.url, file: a.url ? null : publicFileName(a.name), title: a.title, publisher: a.publisher, published: a.published };
}

/** The flag of a plan that its article reports beside an action already held at the same place that day. */
export const SAME_DAY_PLAN = 'planned_beside_held';

/**
 * The identity of an event: place, date and date precision (a week never swallows its days). A plan that its own
 * article reports beside an action already held at that place that day ("walkouts this morning, a rally at 5 p.m.")
 * is another action: it has a key of its own.
 */
export function eventKey(m: Pick<Mention, 'placeId' | 'locality' | 'region' | 'date' | 'date_precision'> & Partial<Pick<Mention, 'status' | 'flags'>>): string {
  // CCC's rule: same locality and state on the same day is one event (NYC's boroughs are all "New York")
  const place = m.locality ? `${m.region ?? ''}|${m.locality.toLowerCase()}` : m.placeId ?? `${m.region ?? ''}|`;
  const apart = m.status === 'planned' && m.flags?.includes(SAME_DAY_PLAN) ? PLAN_KEY_SUFFIX : '';
  return `${place}|${m.date ?? 'undated'}|${m.date_precision}${apart}`;
}

/** The end of the key of a same-day plan kept apart from the action held at its place that day. */
export const PLAN_KEY_SUFFIX = '|planned';

/** A same-day plan's key from the held action's, and the other way round. */
export function siblingKey(key: string): string {
  return key.endsWith(PLAN_KEY_SUFFIX) ? key.slice(0, -PLAN_KEY_SUFFIX.length) : key + PLAN_KEY_SUFFIX;
}

/**
 * The key of an event an editor split off another (`key`) in change `change`: new, stable, and never the key of a
 * mention as read (so no later article joins it by itself).
 */
export function splitKey(key: string, change: number): string {
  return `${key}|split:${change}`;
}

export interface PlanLinks {
  realized_by: string | null;
  plan_of: string | null;
}

/**
 * Links a same-day plan (kept apart under its own key) and the action at its place that day, once an article other
 * than the plan's own reports that action held: "a rally at 5 p.m." written beside the morning's walkouts, then a
 * later story of the evening rally. The plan's article itself reporting the walkouts is no report of the plan.
 * `own` are the mentions under `key`, `sibling` those under siblingKey(key).
 */
export function planLinks(key: string, own: Mention[], sibling: Mention[]): PlanLinks {
  const isPlan = key.endsWith(PLAN_KEY_SUFFIX);
  const [plan, held] = isPlan ? [own, sibling] : [sibling, own];
  const planArticles = new Set(plan.map((m) => m.articleId));
  const reported = plan.length > 0 && held.some((m) => m.status === 'occurred' && !planArticles.has(m.articleId));
  if (!reported) return { realized_by: null, plan_of: null };
  const other = eventId(siblingKey(key));
  return isPlan ? { realized_by: other, plan_of: null } : { realized_by: null, plan_of: other };
}

export function eventId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * Builds the event record for one key from all its mentions. `sources` maps article id to the source
 * reference. `copyOf` maps an article to the earlier article it is a near-duplicate of (syndicated wire
 * copy): its quotes count as evidence, but not as another independent source. Deterministic: the same
 * mentions give the same record, whatever their order. `folds`: a store's folds of its events (src/merge/fold.ts),
 * so that a rebuild folds in only the mentions of articles new since the last.
 */
export function mergeMentions(
  key: string,
  mentionsIn: Mention[],
  sources: Map<string, SourceRef>,
  copyOf: Map<string, string> = new Map(),
  links: PlanLinks = { realized_by: null, plan_of: null },
  folds?: MergeFolds,
): EventRecord {
  const apart = (m: Mention) => eventKey(m) !== key;
  const fold = folds ? folds.of(key, mentionsIn, apart) : foldOf(mentionsIn, apart);
  const first = fold.runs[0]!.mentions[0]!;
  // an article's own-key run comes before its other
  const articleIds = [...new Set(fold.runs.map((r) => r.articleId))];
  const reporting = new Set(articleIds);
  const copies = articleIds.filter((id) => reporting.has(copyOf.get(id) ?? ''));
  const independent = articleIds.length - copies.length;
  const size = fold.sized
    ? { size_text: fold.sizeTexts.values().join('; '), size_low: fold.sizeLow, size_high: fold.sizeHigh, ...sizeMeanCat(fold.sizeLow, fold.sizeHigh) }
    : { size_text: null, size_low: null, size_high: null, size_mean: null, size_cat: 0 as SizeCat };

  // arrests: one figure when the reports agree; otherwise every report, and no single number (CCC: unspecified)
  const arrestTexts = fold.arrestTexts.values();
  const arrestNums = [...fold.arrestNums];
  const flags = fold.flags.values();
  if (arrestNums.length > 1 || (arrestTexts.length > 1 && arrestNums.length)) flags.push('arrests_disagree');
  if (fold.sized > 1 && fold.sizeRanges.size > 1) flags.push('sizes_disagree');
  if (independent === 1) flags.push('single_source');
  if (copies.length) flags.push('syndicated_copies');

  const evidence = fold.foreign ? partsInOrder(...ordered(fold)).flatMap((p) => p.items) : fold.evidence();

  let miss = 1;
  const copied = new Set(copies);
  for (const r of fold.runs) if (!copied.has(r.articleId)) for (const m of r.mentions) miss *= 1 - m.confidence;
  const confidence = Math.round(Math.min(0.99, 1 - miss) * 100) / 100;

  return {
    id: (fold.id ??= eventId(key)),
    date: first.date,
    date_precision: first.date_precision,
    status: fold.statuses.has('occurred') ? 'occurred' : 'planned',
    realized_by: links.realized_by,
    plan_of: links.plan_of,
    locality: first.locality,
    region: first.region,
    country: first.country,
    lat: first.lat,
    lon: first.lon,
    county: first.county,
    fips: first.fips,
    geo_precision: first.geo_precision,
    location_detail: fold.locationDetail.values().join('; ') || null,
    event_type: fold.eventType.values(),
    title: fold.titles.best(),
    macroevent: fold.macroevents.best(),
    organizations: fold.organizations.values(),
    claims: fold.claims.values(),
    size_text: size.size_text,
    size_low: size.size_low,
    size_high: size.size_high,
    size_mean: size.size_mean,
    size_cat: size.size_cat as SizeCat,
    arrests: arrestNums.length === 1 && arrestTexts.length <= 1 ? arrestNums[0]! : null,
    arrests_text: arrestTexts.join('; ') || null,
    injuries_text: fold.injuries.values().join('; ') || null,
    police_measures: fold.policeMeasures.values(),
    property_damage: fold.propertyDamage.values(),
    sources: articleIds.map((id) => sources.get(id) ?? { id, url: null, file: null, title: null, publisher: null, published: null }),
    evidence,
    confidence,
    flags,
    revision: 0,
    ...UNREVIEWED,
    ...noEdits(),
  };
}

/** A fold of all of some mentions at once. */
function foldOf(mentions: Mention[], apart: (m: Mention) => boolean): EventFold {
  const fold = new EventFold(apart);
  fold.add(mentions);
  return fold;
}

/** A fold's mentions in record order (as inRecordOrder gives them). */
function ordered(fold: EventFold): [Mention[], Set<Mention>] {
  const apart = new Set<Mention>();
  for (const r of fold.runs) if (r.apart) for (const m of r.mentions) apart.add(m);
  return [fold.runs.flatMap((r) => r.mentions), apart];
}

/**
 * One article's evidence in an event's record, as stores keep it apart from the rest of the record (a report then
 * writes its own part, not the whole list again): `part` orders the parts as the record lists them, the quotes of
 * mentions reported under the event's own key first ("0" and the article id), then those of events merged into it
 * ("1" and the article id), compared by UTF-16 code units (article ids are hex: bytewise alike).
 */
export interface EvidencePart {
  part: string;
  items: Evidence[];
}

/**
 * The evidence of the event under `key` from its mentions, in the parts that make the record's list (EvidencePart,
 * sorted by part; parts with no item left out): each mention's quotes once (the same field and start in the same
 * article). Every quote cites its own mention's article, so an article's part follows from its own mentions alone:
 * the parts of a subset of the articles are those articles' parts of the whole.
 */
export function evidenceParts(key: string, mentionsIn: Mention[]): EvidencePart[] {
  const { mentions, apart } = inRecordOrder(key, mentionsIn);
  return partsInOrder(mentions, apart);
}

/**
 * The mentions of the event under `key` in the order its record reads them: those reported under its own key first
 * (an event an editor merged others into keeps its place and day), then the others (`apart`); each group by article
 * id, and one article's mentions as given (a stable sort).
 */
function inRecordOrder(key: string, mentionsIn: Mention[]): { mentions: Mention[]; apart: Set<Mention> } {
  const apart = new Set(mentionsIn.filter((m) => eventKey(m) !== key));
  const mentions = [...mentionsIn].sort(
    (a, b) => Number(apart.has(a)) - Number(apart.has(b)) || (a.articleId < b.articleId ? -1 : a.articleId > b.articleId ? 1 : 0),
  );
  return { mentions, apart };
}

/** The evidence parts of mentions in record order (inRecordOrder): the first of two equal quotes is kept. */
function partsInOrder(mentions: Mention[], apart: Set<Mention>): EvidencePart[] {
  const parts: EvidencePart[] = [];
  const seen = new Set<string>();
  let part: EvidencePart | null = null;
  let previous: Mention | null = null;
  for (const m of mentions) {
    // a part is an article's mentions under the event's own key, or its others
    if (!previous || previous.articleId !== m.articleId || apart.has(previous) !== apart.has(m)) part = null;
    previous = m;
    const keys = evidenceKeys(m.evidence);
    for (let i = 0; i < keys.length; i++) {
      if (seen.has(keys[i]!)) continue;
      seen.add(keys[i]!);
      if (!part) parts.push((part = { part: (apart.has(m) ? '1' : '0') + m.articleId, items: [] }));
      part.items.push(m.evidence[i]!);
    }
  }
  return parts;
}

/**
 * The identity of each quote of an evidence list (field, article, start), kept while the list lives: a stored
 * mention is merged again on every later report of its event, and making these strings each time cost more than
 * the rest of the merge.
 */
const EVIDENCE_KEYS = new WeakMap<Evidence[], string[]>();

function evidenceKeys(list: Evidence[]): string[] {
  let keys = EVIDENCE_KEYS.get(list);
  if (!keys || keys.length !== list.length) {
    keys = list.map((e) => `${e.field}|${e.source}|${e.start}`);
    EVIDENCE_KEYS.set(list, keys);
  }
  return keys;
}

/** Merges a set of mentions (one article's, or any) into events, grouped by key. */
export function merge(mentions: Mention[], sources: Map<string, SourceRef>): EventRecord[] {
  const groups = new Map<string, Mention[]>();
  for (const m of mentions) {
    const k = eventKey(m);
    const g = groups.get(k);
    if (g) g.push(m);
    else groups.set(k, [m]);
  }
  return [...groups].map(([k, ms]) => mergeMentions(k, ms, sources, new Map(), planLinks(k, ms, groups.get(siblingKey(k)) ?? []))).sort(compareEvents);
}

export function compareEvents(a: EventRecord, b: EventRecord): number {
  return (a.date ?? '').localeCompare(b.date ?? '') || (a.region ?? '').localeCompare(b.region ?? '') || (a.locality ?? '').localeCompare(b.locality ?? '') || a.id.localeCompare(b.id);
}
