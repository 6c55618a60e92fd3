// What every storage backend (src/store/sqlite, src/store/pg) derives the same way from a record: the sort key, the
// text full-text search reads, the queue's doubt, the reasons a person's revisions are stored with, and the page
// cursors. Pure functions: no SQL here, so both dialects share them and answer alike.
import type { EventRecord, Mention, SourceRef } from '../core/types.js';
import { haversineKm } from '../core/geo.js';
import { evidenceParts, sourceRef, type EvidencePart } from '../merge/cluster.js';
import { doubtOf } from '../review/doubt.js';
import { inReviewQueue } from '../review/status.js';
import { expandChanges, type FieldChange, type StoredChange } from '../merge/edits.js';
import { CursorError, type HistoryAction, type HistoryEntry, type MentionView } from './repository.js';

/** The reason a human's revision is stored with: "<verb> by <user>: <reason>" (the user is in its own column too). */
export function humanReason(verb: string, user: string, reason: string): string {
  return `${verb} by ${user}: ${reason}`;
}

/** The reason a person gave, from a stored reason (humanReason); the machine's reasons ("article ID") as they are. */
export function reasonGiven(stored: string, user: string | null): string {
  if (user === null) return stored;
  const at = stored.indexOf(` by ${user}: `);
  return at > 0 && !stored.slice(0, at).includes(' ') ? stored.slice(at + user.length + 6) : stored;
}

/** The doubt column of a record: its doubt while it waits in the review queue, else null (out of the queue's index). */
export function queueDoubt(record: EventRecord): number | null {
  return inReviewQueue(record) ? doubtOf(record).doubt : null;
}

/** The text the full-text search (`q`) looks in: titles, claims, organizations, evidence quotes, places. */
export function searchBody(record: EventRecord): string {
  // each line once: a search only asks whether an event holds every word, and copies of a story repeat its quotes
  // (one pass into a set, in this order: an event reported hundreds of times has thousands of lines)
  const lines = new Set<string>();
  const add = (x: string | null | undefined) => {
    if (x) lines.add(x);
  };
  add(record.title);
  add(record.locality);
  add(record.region);
  add(record.location_detail);
  add(record.macroevent);
  for (const list of [record.organizations, record.claims, record.event_type]) for (const x of list) add(x);
  for (const s of record.sources) add(s.title);
  for (const e of record.evidence) add(e.quote);
  return [...lines].join('\n');
}

/** The words of a free-text query (`q`), at most 16: each backend requires them all, with no operator syntax. */
export function searchWords(q: string): string[] | null {
  const words = q.match(/[\p{L}\p{N}]+/gu);
  return words ? words.slice(0, 16) : null;
}

/** The date part of an undated event's sort key: after every date. */
export const UNDATED_SORT_KEY = '9999-99-99';

/** Sort order of the API and the CLI: date, region, locality, id; undated events last. Compared bytewise. */
export function sortKey(record: EventRecord): string {
  return [record.date ?? UNDATED_SORT_KEY, record.region ?? '~', (record.locality ?? '~').toLowerCase(), record.id].join('\u001f');
}

/** A page cursor of listEvents' order: the last event's sort key in base64url. */
export function encodeCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

/** The sort key of a cursor from encodeCursor; throws CursorError for any other text. */
export function decodeCursor(cursor: string): string {
  const key = /^[A-Za-z0-9_-]{1,2000}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  // a sort key is date, region, locality and id joined by unit separators (see sortKey)
  if (key.split('\u001f').length !== 4) throw new CursorError('cursor is not one this server issued');
  return key;
}

/** The queue's keyset: the last item's doubt and row, as "q.<doubt>.<rowid>" in base64url. */
export function encodeQueueCursor(doubt: number, rowid: number): string {
  return Buffer.from(`q.${doubt}.${rowid}`, 'utf8').toString('base64url');
}

/** The doubt and row of a cursor from encodeQueueCursor; throws CursorError for any other text. */
export function decodeQueueCursor(cursor: string): [number, number] {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const m = /^q\.(\d+(?:\.\d+)?|\d*\.\d+)\.(\d{1,15})$/.exec(text);
  if (!m) throw new CursorError('cursor is not one this server issued');
  return [Number(m[1]), Number(m[2])];
}

/** A stored mention with its article, as both stores read it for an event's mentions (MentionView). */
export interface MentionRow {
  id: number;
  data: string;
  article_id: string;
  name: string;
  url: string | null;
  title: string | null;
  publisher: string | null;
  published: string | null;
}

/** How an event's mention is shown for a split: its article and the sentence that reports it. */
export function mentionView(r: MentionRow): MentionView {
  const m = JSON.parse(r.data) as Mention;
  const quote = (m.evidence.find((e) => e.field === 'locality') ?? m.evidence[0])?.quote ?? null;
  return { id: r.id, article: sourceRef({ ...r, id: r.article_id }), quote, date: m.date, locality: m.locality, size_text: m.size_text };
}

/** A candidate merge suggestion as a search table has it (`event_rowid`: the event's row, SQLite's rowid or PostgreSQL's seq). */
export interface NeighbourRow {
  event_rowid: number;
  id: string;
  lat: number | null;
  lon: number | null;
  date: string | null;
  locality: string | null;
  region: string | null;
}

/** Merge suggestions are events within this distance (a town and its suburbs), or in the same town. */
const NEIGHBOUR_KM = 50;
/** Merge suggestions per queue item. */
const NEIGHBOURS = 3;

/** The day before a YYYY-MM-DD date, the day itself, and the day after. */
export function daysWithinOne(date: string): string[] {
  return [-1, 0, 1].map((n) => {
    const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  });
}

/**
 * Merge suggestions for an event in the review queue: others within a day of its date that lie within NEIGHBOUR_KM
 * of it or share its town, from `days` (the events not rejected of each day around it, by day). The nearest first,
 * the same day before the next; up to NEIGHBOURS, each with its distance to a tenth of a km (null when unplaced).
 */
export function nearby(record: EventRecord, days: Map<string, NeighbourRow[]>): Array<{ id: string; km: number | null }> {
  if (!record.date) return [];
  // a same-day plan and the action held there that day were kept apart on purpose (see planLinks)
  const apart = new Set([record.id, record.realized_by, record.plan_of]);
  const town = record.locality?.toLowerCase() ?? null;
  const { lat, lon } = record;
  const found: Array<{ row: NeighbourRow; km: number | null }> = [];
  for (const day of daysWithinOne(record.date)) {
    for (const r of days.get(day) ?? []) {
      if (apart.has(r.id)) continue;
      const sameTown = town !== null && r.region === record.region && r.locality?.toLowerCase() === town;
      const placed = lat !== null && lon !== null && r.lat !== null && r.lon !== null;
      // (a degree of latitude is 111 km: most rows are ruled out before the distance is worked out)
      if (!sameTown && (!placed || Math.abs(r.lat! - lat!) * 111 > NEIGHBOUR_KM)) continue;
      const km = placed ? haversineKm(lat!, lon!, r.lat!, r.lon!) : null;
      if (sameTown || km! <= NEIGHBOUR_KM) found.push({ row: r, km });
    }
  }
  return found
    .sort((a, b) => (a.km ?? NEIGHBOUR_KM) - (b.km ?? NEIGHBOUR_KM) || Number(a.row.date !== record.date) - Number(b.row.date !== record.date) || a.row.event_rowid - b.row.event_rowid)
    .slice(0, NEIGHBOURS)
    .map(({ row, km }) => ({ id: row.id, km: km === null ? null : Math.round(km * 10) / 10 }));
}

/** A revision row as both stores keep it (event_revisions), for an event's history. */
export interface RevisionRow {
  revision: number;
  created_at: string;
  by_user: string | null;
  action: HistoryAction;
  reason: string;
  changes: string;
  change_id: number | null;
}

/**
 * An event's history from its revision rows, oldest first as given, listed newest first: each change as the field's
 * old and new value (arrays are stored as splices and replayed: expandChanges). `canUndo` says whether a change (a
 * merge's or a split's id) can still be undone. Both stores read their revisions through this.
 */
export function historyEntries(rows: RevisionRow[], canUndo: (change: number) => boolean): HistoryEntry[] {
  const changes = expandChanges(rows.map((r) => JSON.parse(r.changes) as StoredChange[]));
  return rows
    .map((r, i) => ({
      revision: r.revision,
      at: r.created_at,
      by: r.by_user,
      action: r.action,
      reason: reasonGiven(r.reason, r.by_user),
      changes: changes[i]!,
      undo: (r.action === 'merge' || r.action === 'split') && r.change_id !== null && canUndo(r.change_id) ? { id: r.change_id } : null,
    }))
    .reverse();
}

/** A merge, a split or an undo as stored (event_changes). */
export interface ChangeRow {
  id: number;
  action: 'merge' | 'split' | 'undo';
  /** a merge's survivor, a split's event of origin */
  event_id: string;
  /** a merge's merged event, a split's new event */
  other_id: string | null;
  data: string;
  undone_by: number | null;
}

/** What a split keeps to undo itself: each moved mention and the key it was stored under before. */
export interface SplitData {
  mentions: Array<{ id: number; key: string }>;
}

/** What a revision records besides the record: who (null: the machine), the action, why, and its change. */
export interface RevisionEntry {
  action: HistoryAction;
  by: string | null;
  /** as stored: "article ID" for the machine, humanReason(...) for a person */
  reason: string;
  /** changes beside the record's own fields (merged_into, merged_from, split_to, split_from) */
  extra?: FieldChange[];
  /** the merge, split or undo (event_changes) this revision belongs to */
  changeId?: number | null;
}

/**
 * What events.record holds in both stores: the record with its evidence listed as none (a report's quotes are kept
 * per article instead, in event_evidence: one row per EvidencePart, written by the report that brought them), so that
 * a report rewrites the record's other fields, not every quote of every earlier report. EVIDENCE_SLOT marks where the
 * parts go back in when the record is read: the record's own "evidence" key is the only one in its JSON (no nested
 * object has one, and within a string the quotes are escaped), so the text occurs once.
 */
export function storedRecordJson(record: EventRecord): string {
  // the sources in place of a placeholder, each written once (see SOURCE_JSON): a copy of a story reported hundreds
  // of times adds one source to a list the record writes whole on every report
  const json = JSON.stringify({ ...record, evidence: [], sources: SOURCES_PLACEHOLDER });
  const at = json.indexOf(SOURCES_SLOT);
  return json.slice(0, at) + '"sources":[' + record.sources.map(sourceJson).join(',') + ']' + json.slice(at + SOURCES_SLOT.length);
}

/**
 * The sources placeholder of storedRecordJson, and the text JSON.stringify writes for it as the record's "sources":
 * its NUL is written escaped and its quotes bare, which text within a string never gives, so it occurs once.
 */
const SOURCES_PLACEHOLDER = '\u0000sources';
const SOURCES_SLOT = '"sources":"\\u0000sources"';

/** Each source's JSON, kept by the source object (stores hand the same objects to every rebuild of an event). */
const SOURCE_JSON = new WeakMap<SourceRef, string>();

function sourceJson(s: SourceRef): string {
  let json = SOURCE_JSON.get(s);
  if (json === undefined) SOURCE_JSON.set(s, (json = JSON.stringify(s)));
  return json;
}

/**
 * Whether two stored records' JSON differ in their revision numbers only, compared in place (a record can be
 * megabytes). The record's own "revision" key is the only one in its JSON: no nested object has one, and within a
 * string the quotes are escaped. It comes near the end: it is looked for from there.
 */
export function sameButRevision(stored: string, storedRevision: number, json: string, revision: number): boolean {
  const [a, b] = [`"revision":${revision},`, `"revision":${storedRevision},`];
  const at = json.lastIndexOf(a);
  if (at < 0 || stored.length !== json.length - a.length + b.length) return false;
  return stored.startsWith(json.slice(0, at)) && stored.startsWith(b, at) && stored.endsWith(json.slice(at + a.length));
}

/** The empty evidence list of a stored record (storedRecordJson), which reads replace with the event's parts. */
export const EVIDENCE_SLOT = '"evidence":[]';

/** An evidence part as event_evidence stores it: its items' JSON without the brackets (the parts join with commas). */
export function partText(p: EvidencePart): string {
  return JSON.stringify(p.items).slice(1, -1);
}

/**
 * The evidence parts a write of an event stores: those of the articles named, leaving the other stored parts as they
 * are (a report adds its article's quotes, a copy found changes none), or every part ('all': after a merge, a split
 * or an undo moved mentions between events).
 */
export interface EvidenceWrite {
  articles: string[] | 'all';
  parts: EvidencePart[];
}

/** The evidence write of a rebuild from `mentions` (the event's, as given to mergeMentions) for `articles`. */
export function evidenceWrite(key: string, mentions: Mention[], articles: string[] | 'all'): EvidenceWrite {
  if (articles === 'all') return { articles, parts: evidenceParts(key, mentions) };
  const named = new Set(articles);
  return { articles, parts: evidenceParts(key, mentions.filter((m) => named.has(m.articleId))) };
}

/** Whether the parts stored (event_evidence rows, in part order) are those an evidence write would store. */
export function sameParts(stored: Array<{ part: string; items: string }>, w: EvidenceWrite): boolean {
  return stored.length === w.parts.length && w.parts.every((p, i) => stored[i]!.part === p.part && stored[i]!.items === partText(p));
}

/** The stored part names (event_evidence.part) an evidence write of named articles replaces: each article's two. */
export function partNames(articles: string[]): string[] {
  return articles.flatMap((a) => ['0' + a, '1' + a]);
}

/**
 * The evidence parts of a record stored whole (before migration 13) from `mentions`, the event's as a rebuild reads
 * them: the parts a rebuild writes when they make the record's own list; otherwise (a record written by older code
 * and not rebuilt since) the record's list as it stands, as one part named "" that sorts before every article's and
 * stays until a merge, a split or an undo writes the event's parts again. Either way the record reads as it did.
 */
export function migratedParts(key: string, record: EventRecord, mentions: Mention[]): EvidencePart[] {
  const parts = evidenceParts(key, mentions);
  if (parts.map(partText).join(',') === JSON.stringify(record.evidence).slice(1, -1)) return parts;
  return record.evidence.length ? [{ part: '', items: record.evidence }] : [];
}
