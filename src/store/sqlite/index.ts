// The embedded store: SQLite through better-sqlite3, WAL mode, one transaction per article.
import Database from 'better-sqlite3';
import type { Article, EventRecord, Mention, SourceRef } from '../../core/types.js';
import { eventKey, mergeMentions, siblingKey, sourceRef } from '../../merge/cluster.js';
import { MergeFolds } from '../../merge/fold.js';
import { applyOverrides, compactChange, recordChanges, reviewedRecord, type FieldChange, type Override } from '../../merge/edits.js';
import {
  type EditRequest,
  type EditResult,
  type HistoryEntry,
  type MentionView,
  type MergeRequest,
  type MergeResult,
  type SplitRequest,
  type SplitResult,
  type UndoRequest,
  type UndoResult,
  type ReviewRequest,
  type ReviewResult,
  systemClock,
  type EventFilter,
  type EventChange,
  type EventPage,
  type Neighbour,
  type PageRequest,
  type QueueItem,
  type QueuePage,
  type Repository,
  type SaveOutcome,
  type StatsGroup,
  type StatsRow,
  type StoreCounts,
  type StoreEffects,
} from '../repository.js';
import { SqliteLiveStore } from './live.js';
import { SqliteAccountStore } from './accounts.js';
import { regionValues } from '../../resolve/regions.js';
import { doubtOf } from '../../review/doubt.js';
import { PUBLISHED_STATUSES } from '../../review/status.js';
import { EventEditor } from './edits.js';
import {
  daysWithinOne,
  decodeCursor,
  decodeQueueCursor,
  encodeCursor,
  encodeQueueCursor,
  EVIDENCE_SLOT,
  evidenceWrite,
  nearby,
  partNames,
  partText,
  sameButRevision,
  sameParts,
  searchWords,
  storedRecordJson,
  type EvidenceWrite,
  type NeighbourRow,
} from '../records.js';
import { RebuildCache } from './mentions.js';
import { humanReason, MIGRATIONS, storedPlanLinks, UNDATED_SORT_KEY, writeQueryColumns, writeReviewColumn } from './migrations.js';

/**
 * Each plain filter, the SQL condition it adds to a query on the search table `s`, and its arguments. Dates
 * bound the sort key, which starts with the date, so that an index on (column, sort_key) answers both.
 */
const FILTER_CLAUSES: Array<[keyof EventFilter & ('from' | 'to' | 'region' | 'locality' | 'status' | 'macroevent'), string, (v: string) => unknown[]]> = [
  // undated events sort last, under UNDATED_SORT_KEY: a date range never includes them
  ['from', 's.sort_key >= ? AND s.sort_key < ?', (v) => [v, UNDATED_SORT_KEY]],
  ['to', 's.sort_key < ?', (v) => [v + '\u0020']],
  // a state code, or a country by code or name (abroad the stored region is the country's name): see regionValues
  ['region', 's.region IN (?, ?)', (v) => {
    const values = regionValues(v) ?? [v.toUpperCase()];
    return [values[0], values[1] ?? values[0]];
  }],
  ['locality', 's.locality = ?', (v) => [v]],
  ['status', 's.status = ?', (v) => [v]],
  ['macroevent', 's.macroevent = ?', (v) => [v]],
];

/** Distinct filters whose counts are kept. */
const COUNT_CACHE_ENTRIES = 256;

/** The search table joined to the records: filters and order on `s`, records read only for rows returned. */
const FROM_SEARCH = 'event_search s JOIN events e ON e.rowid = s.event_rowid';

/**
 * The record of the events row `e` as served: its stored text (storedRecordJson) with the event's evidence parts in
 * place of its empty list, in the parts' order.
 */
export const RECORD = `replace(e.record, '${EVIDENCE_SLOT}', '"evidence":[' || coalesce((SELECT group_concat(v.items, ',' ORDER BY v.part) FROM event_evidence v WHERE v.event_id = e.id), '') || ']')`;

/** An event's row as rebuilds and human actions read it. */
export interface EventRow {
  id: string;
  event_key: string;
  revision: number;
  record: string;
}

type Changed = SaveOutcome['changed'][number];

import type { RevisionEntry } from '../records.js';
export type { RevisionEntry };

/** The keys an event's mentions are stored under: its own, and those of the events merged into it (at any depth). */
const OWNED_KEYS = `WITH RECURSIVE owned(id, event_key) AS (
    SELECT id, event_key FROM events WHERE event_key = ?
    UNION SELECT e.id, e.event_key FROM events e JOIN owned o ON e.merged_into = o.id)
  SELECT event_key FROM owned`;

/** The event that stands for an event (itself, or the one it was merged into, followed to the end): id and key. */
const STANDING = `WITH RECURSIVE up(id, event_key, merged_into, depth) AS (
    SELECT id, event_key, merged_into, 0 FROM events WHERE %COLUMN% = ?
    UNION ALL SELECT e.id, e.event_key, e.merged_into, up.depth + 1 FROM events e JOIN up ON e.id = up.merged_into WHERE up.depth < 1000)
  SELECT id, event_key FROM up WHERE merged_into IS NULL`;

/**
 * grouped: the most articles, and the longest time in ms, one transaction holds. A group writes each page once (a
 * record that every article of it rewrites, the mentions' index pages) and commits once; other processes' writes wait
 * no longer than this for the write lock.
 */
const GROUP_ARTICLES = 50;
const GROUP_MS = 250;

export class SqliteRepository implements Repository {
  private db: Database.Database;
  private effects: StoreEffects;

  constructor(path: string, effects: StoreEffects = systemClock) {
    this.db = new Database(path);
    this.effects = effects;
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
  }

  private statements = new Map<string, Database.Statement>();

  /** A prepared statement, prepared once per connection and reused (callers set pluck/raw on every use). */
  sql(source: string): Database.Statement {
    let st = this.statements.get(source);
    if (!st) {
      st = this.db.prepare(source);
      this.statements.set(source, st);
    }
    return st;
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const done = new Set(this.db.prepare('SELECT version FROM schema_migrations').all().map((r) => (r as { version: number }).version));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      // under the write lock, and only if no other process opening the store at the same moment applied it first
      this.db.transaction(() => {
        if (this.db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version) !== undefined) return;
        this.db.exec(m.sql);
        m.backfill?.(this.db);
        this.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, this.effects.now());
      }).immediate();
    }
  }

  hasArticle(id: string): boolean {
    return this.sql('SELECT 1 FROM articles WHERE id = ?').get(id) !== undefined;
  }

  saveArticle(article: Article, mentions: Mention[]): SaveOutcome {
    return this.writing(() => this.db.transaction((): SaveOutcome => {
      if (this.hasArticle(article.id)) return { article: 'unchanged', mentions: 0, eventsNew: 0, eventsUpdated: 0, changed: [] };
      const now = this.effects.now();
      this.sql(
        'INSERT INTO articles (id, name, url, title, publisher, published, published_source, text, flags, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(article.id, article.name, article.url, article.title, article.publisher, article.published, article.publishedSource, article.text, JSON.stringify(article.flags), now);
      const insertMention = this.sql('INSERT INTO mentions (article_id, event_key, data) VALUES (?, ?, ?)');
      const source = sourceRef(article);
      const keys = new Set<string>();
      for (const m of mentions) {
        const k = eventKey(m);
        keys.add(k);
        const data = JSON.stringify(m);
        const { lastInsertRowid } = insertMention.run(article.id, k, data);
        // as a later read of the row gives it
        this.cache.added(k, { id: Number(lastInsertRowid), source, mention: JSON.parse(data) as Mention });
      }
      const changed = this.remergeAll(keys, now, `article ${article.id}`, article.id, [article.id]);
      // however the article came in (a file, a page, a feed item), webhooks hear of the events it changed
      this.live().queueDeliveries(changed);
      return {
        article: 'new',
        mentions: mentions.length,
        eventsNew: changed.filter((c) => c.created).length,
        eventsUpdated: changed.filter((c) => !c.created).length,
        changed,
      };
    }).immediate());
  }

  /**
   * Runs a write transaction that may add mentions or write records: should it fail, it rolls back and what it
   * added to the cache is forgotten with everything else. A transaction that calls saveArticle or linkDuplicate
   * inside its own must run through this too (their transactions are then savepoints of it).
   */
  writing<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      this.cache.clear();
      throw e;
    }
  }

  async grouped<T>(work: (saved: () => void) => Promise<T>): Promise<T> {
    if (this.db.inTransaction) return work(() => {});
    let count = 0;
    let since = 0;
    // articles saved in a group that an error then undid whole (SQLite ends the transaction on a full disk, say)
    let lost = 0;
    const begin = () => {
      this.db.exec('BEGIN IMMEDIATE');
      [count, since] = [0, Date.now()];
    };
    // a commit that fails leaves nothing half done: what it held is undone, and the cache forgets it
    const commit = () => {
      try {
        this.db.exec('COMMIT');
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        this.cache.clear();
        throw e;
      }
    };
    const ended = () => {
      if (this.db.inTransaction) return false;
      this.cache.clear();
      lost += count;
      return true;
    };
    begin();
    let result: T;
    try {
      result = await work(() => {
        if (ended()) return begin();
        if (++count < GROUP_ARTICLES && Date.now() - since < GROUP_MS) return;
        commit();
        begin();
      });
    } catch (e) {
      // what was saved is whole (each article ended its savepoint): kept, unless the transaction is already gone
      if (!ended()) commit();
      throw e;
    }
    if (!ended()) commit();
    if (lost) throw new Error(`an error undid a transaction of the store: ${lost} article(s) saved in it were not kept; run the same ingest again to read them`);
    return result;
  }

  /** Mentions were just moved between `keys` (a split or its undo): their cached lists are read again. */
  mentionsMoved(keys: Iterable<string>): void {
    this.cache.moved(keys);
  }

  /** The stored mentions and the records of recently rebuilt events (src/store/sqlite/mentions.ts). */
  private cache = new RebuildCache((q) => this.sql(q));

  /** The folds of recently rebuilt events' mentions, from the cache's mention objects (src/merge/fold.ts). */
  private folds = new MergeFolds();

  /**
   * Rebuilds the events that mentions under `keys` belong to: the event of each key, or the one an editor merged
   * it into. `source` is the article read, which any dispute with a human value names; `added` the articles whose
   * mentions are new (their evidence is written; every other article's is as stored).
   */
  private remergeAll(keys: Iterable<string>, now: string, reason: string, source: string, added: string[]): SaveOutcome['changed'] {
    const changed: SaveOutcome['changed'] = [];
    // a same-day plan and the action at its place that day link to each other: a change to one may link the other
    const all = new Set<string>();
    for (const k of keys) {
      all.add(k);
      if (this.sql('SELECT 1 FROM mentions WHERE event_key = ? LIMIT 1').get(siblingKey(k)) !== undefined) all.add(siblingKey(k));
    }
    const owners = new Set([...all].map((k) => this.standing('event_key', k)?.event_key ?? k));
    for (const k of owners) {
      const r = this.remerge(k, now, { action: 'ingest', by: null, reason }, source, added);
      if (r) changed.push(r);
    }
    return changed;
  }

  linkDuplicate(articleId: string, originalId: string, distance: number): SaveOutcome['changed'] {
    return this.writing(() => this.db.transaction(() => {
      const added = this.sql('INSERT OR IGNORE INTO article_duplicates (article_id, duplicate_of, distance) VALUES (?, ?, ?)').run(articleId, originalId, distance);
      if (!added.changes) return [];
      const keys = this.sql('SELECT DISTINCT event_key FROM mentions WHERE article_id = ?').pluck().all(articleId) as string[];
      const changed = this.remergeAll(keys, this.effects.now(), `article ${articleId} is a copy of ${originalId}`, articleId, []);
      this.live().queueDeliveries(changed);
      return changed;
    }).immediate());
  }

  recentChanges(filter: EventFilter, limit: number): EventChange[] {
    const { sql, args } = whereOf(filter);
    const rows = this.db
      .prepare(
        `SELECT ${RECORD} AS record, e.revision, e.created_at, e.updated_at FROM ${FROM_SEARCH} ${sql} ORDER BY e.updated_at DESC, e.id LIMIT ?`,
      )
      .all(...args, Math.max(1, Math.floor(limit))) as Array<{ record: string; revision: number; created_at: string; updated_at: string }>;
    return rows.map((r) => ({ record: JSON.parse(r.record) as EventRecord, revision: r.revision, created_at: r.created_at, updated_at: r.updated_at }));
  }

  private liveStore: SqliteLiveStore | null = null;

  live(): SqliteLiveStore {
    this.liveStore ??= new SqliteLiveStore(this, () => this.effects.now());
    return this.liveStore;
  }

  private accountStore: SqliteAccountStore | null = null;

  accounts(): SqliteAccountStore {
    this.accountStore ??= new SqliteAccountStore(this, () => this.effects.now());
    return this.accountStore;
  }

  /** The database handle, for the live-record tables (src/store/sqlite/live.ts) that share its transactions. */
  get handle(): Database.Database {
    return this.db;
  }

  /**
   * Rebuilds the event for one key from all its stored mentions, with the human values over them; writes a revision
   * when it changed. `source`: the article whose reading caused it (null for a person's action); `added`: the
   * articles whose evidence is written.
   */
  private remerge(key: string, now: string, entry: RevisionEntry, source: string | null, added: string[]): Changed | null {
    const built = this.rebuild(key, source, added);
    if (!built) return null;
    const { record, existing, before, evidence } = built;
    // one serialization of the stored record, compared with the stored one under its revision number
    const revision = existing ? existing.revision + 1 : 1;
    const json = storedRecordJson({ ...record, revision });
    if (existing && sameButRevision(existing.record, existing.revision, json, revision) && !this.evidenceDiffers(existing.id, evidence)) return null;
    return this.writeEvent(key, existing, before, record, now, entry, evidence, json);
  }

  /**
   * The record of the event under `key` rebuilt from its mentions (its own and those of events merged into it), the
   * human values laid over (src/merge/edits.ts), the stored row it replaces (its record as stored: no evidence), and
   * the evidence parts of the articles `articles` (all of them for a new event); null when no mention is left.
   * Moves the machine baselines of the human values; writes nothing else.
   */
  rebuild(
    key: string,
    source: string | null,
    articles: string[] | 'all',
  ): { record: EventRecord; existing: EventRow | null; before: EventRecord | null; evidence: EvidenceWrite } | null {
    const machine = this.machine(key);
    if (!machine) return null;
    const { existing, before } = this.storedRow(key);
    const { record, moved } = applyOverrides(machine.record, existing ? this.overridesOf(existing.id) : [], before, source);
    const update = this.sql('UPDATE event_overrides SET machine = ? WHERE event_id = ? AND field = ?');
    for (const o of moved) update.run(JSON.stringify(o.machine ?? null), existing!.id, o.field);
    return { record, existing, before, evidence: evidenceWrite(key, machine.mentions, existing ? articles : 'all') };
  }

  /** The stored row of the event under `key` and its record (as last written, when this connection wrote it). */
  private storedRow(key: string): { existing: EventRow | null; before: EventRecord | null } {
    const row = this.sql('SELECT id, event_key, revision FROM events WHERE event_key = ?').get(key) as Omit<EventRow, 'record'> | undefined;
    if (!row) return { existing: null, before: null };
    const written = this.cache.record(row.id, row.revision);
    if (written) return { existing: { ...row, record: written.json }, before: written.record };
    const record = this.sql('SELECT record FROM events WHERE id = ?').pluck().get(row.id) as string;
    return { existing: { ...row, record }, before: JSON.parse(record) as EventRecord };
  }

  /** The record the machine builds for the event under `key` from the mentions it owns, or null when it owns none. */
  machineRecord(key: string): EventRecord | null {
    return this.machine(key)?.record ?? null;
  }

  /** machineRecord, and the mentions it was built from. */
  private machine(key: string): { record: EventRecord; mentions: Mention[] } | null {
    const owned = this.ownedKeys(key);
    // key by key in the order of their UTF-8 bytes, each in row order: as SQLite reads `event_key IN (...)`
    const rows = [...new Set(owned)].sort(utf8Order).flatMap((k) => this.cache.of(k));
    if (!rows.length) return null;
    const sources = new Map<string, SourceRef>();
    for (const r of rows) sources.set(r.source.id, r.source);
    const copyOf = this.copiesAmong(rows.map((r) => r.source.id));
    const mentions = rows.map((r) => r.mention);
    const links = storedPlanLinks(this.db, key, mentions, (k) => this.cache.of(k).map((r) => r.mention));
    return { record: mergeMentions(key, mentions, sources, copyOf, links, this.folds), mentions };
  }

  /** The near-duplicates among these articles: each copy's article id and its original's (see linkDuplicate). */
  private copiesAmong(articleIds: string[]): Map<string, string> {
    // most stores read from files have none: no list of ids is sent
    if (this.sql('SELECT 1 FROM article_duplicates LIMIT 1').get() === undefined) return new Map();
    const rows = this.sql('SELECT article_id, duplicate_of FROM article_duplicates WHERE article_id IN (SELECT value FROM json_each(?))')
      .raw(true)
      .all(JSON.stringify([...new Set(articleIds)])) as Array<[string, string]>;
    return new Map(rows);
  }

  /** The keys whose mentions make the event under `key`: its own and those of every event merged into it. */
  ownedKeys(key: string): string[] {
    const keys = this.sql(OWNED_KEYS).pluck().all(key) as string[];
    return keys.length ? keys : [key];
  }

  /** The event standing for the event with this id or key: itself, or the one it was merged into; null when unknown. */
  standing(column: 'id' | 'event_key', value: string): { id: string; event_key: string } | null {
    return (this.sql(STANDING.replace('%COLUMN%', column)).get(value) as { id: string; event_key: string } | undefined) ?? null;
  }

  /** The human values of an event. */
  overridesOf(id: string): Override[] {
    const rows = this.sql('SELECT field, value, machine FROM event_overrides WHERE event_id = ? ORDER BY field').all(id) as Array<{ field: Override['field']; value: string; machine: string }>;
    return rows.map((r) => ({ field: r.field, value: JSON.parse(r.value) as unknown, machine: JSON.parse(r.machine) as unknown }));
  }

  /** An event that stands (not merged into another): its row with its record as served, or null. */
  liveRow(id: string): EventRow | null {
    return (this.sql(`SELECT e.id, e.event_key, e.revision, ${RECORD} AS record FROM events e WHERE e.id = ? AND e.merged_into IS NULL`).get(id) as EventRow | undefined) ?? null;
  }

  /** Whether an evidence write would change the parts stored for event `id`. */
  private evidenceDiffers(id: string, w: EvidenceWrite): boolean {
    if (w.articles !== 'all' && !w.articles.length) return false;
    const stored = (
      w.articles === 'all'
        ? this.sql('SELECT part, items FROM event_evidence WHERE event_id = ? ORDER BY part').all(id)
        : this.sql('SELECT part, items FROM event_evidence WHERE event_id = ? AND part IN (SELECT value FROM json_each(?)) ORDER BY part').all(id, JSON.stringify(partNames(w.articles)))
    ) as Array<{ part: string; items: string }>;
    return !sameParts(stored, w);
  }

  /** Stores the evidence parts of an evidence write for event `id`, in place of those it replaces. */
  private writeEvidence(id: string, w: EvidenceWrite): void {
    if (w.articles === 'all') this.sql('DELETE FROM event_evidence WHERE event_id = ?').run(id);
    else if (w.articles.length) this.sql('DELETE FROM event_evidence WHERE event_id = ? AND part IN (SELECT value FROM json_each(?))').run(id, JSON.stringify(partNames(w.articles)));
    const insert = this.sql('INSERT INTO event_evidence (event_id, part, items) VALUES (?, ?, ?)');
    for (const p of w.parts) insert.run(id, p.part, partText(p));
  }

  /**
   * Stores `record` as the next revision of the event under `key` (the first when `existing` is null): the row, its search and
   * full-text rows, its evidence parts (`evidence`; null when its evidence is as stored), and a revision with its
   * field changes from `before`. `serialized`: the stored record's JSON (storedRecordJson), when the caller has it.
   */
  writeEvent(
    key: string,
    existing: EventRow | null,
    before: EventRecord | null,
    record: EventRecord,
    now: string,
    entry: RevisionEntry,
    evidence: EvidenceWrite | null,
    serialized?: string,
  ): Changed {
    const revision = existing ? existing.revision + 1 : 1;
    const stored: EventRecord = { ...record, revision };
    const json = serialized ?? storedRecordJson(stored);
    if (existing) {
      this.sql('UPDATE events SET date = ?, region = ?, locality = ?, status = ?, macroevent = ?, revision = ?, record = ?, updated_at = ? WHERE id = ?').run(
        stored.date,
        stored.region,
        stored.locality,
        stored.status,
        stored.macroevent,
        revision,
        json,
        now,
        existing.id,
      );
    } else {
      this.sql(
        'INSERT INTO events (id, event_key, date, region, locality, status, macroevent, revision, record, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(stored.id, key, stored.date, stored.region, stored.locality, stored.status, stored.macroevent, revision, json, now, now);
    }
    if (evidence) this.writeEvidence(stored.id, evidence);
    this.cache.wrote(stored.id, { revision, json, record: stored });
    writeQueryColumns(this.db, stored.id, stored, (q) => this.sql(q));
    writeReviewColumn(this.db, stored.id, stored, (q) => this.sql(q));
    this.addRevision(stored.id, revision, now, entry, [...(entry.extra ?? []), ...recordChanges(before, stored)]);
    return { id: stored.id, revision, created: !existing };
  }
  listEvents(filter: EventFilter = {}): EventRecord[] {
    const { sql, args } = whereOf(filter);
    const limit = filter.limit ? ' LIMIT ' + Math.max(1, Math.floor(filter.limit)) : '';
    const rows = this.sql(`SELECT ${RECORD} FROM ${FROM_SEARCH} ${sql} ORDER BY s.sort_key${limit}`).pluck().all(...args) as string[];
    return rows.map((r) => JSON.parse(r) as EventRecord);
  }

  pageEvents(filter: EventFilter, page: PageRequest): EventPage {
    const p = this.pageEventsJson(filter, page);
    return { ...p, events: p.events.map((r) => JSON.parse(r) as EventRecord) };
  }

  pageEventsJson(filter: EventFilter, page: PageRequest): EventPage<string> {
    const counted = whereOf(filter);
    const { total, planned } = this.count(counted.sql, counted.args);
    const limit = Math.max(1, Math.floor(page.limit));
    // A box or a search matching many events is answered fastest by walking the sort order until the page is
    // full (about limit * all / total rows); a narrow one through its index, then sorting its `total` rows.
    const selective = filter.bbox !== undefined || Boolean(filter.q);
    const all = selective ? (this.sql('SELECT count(*) FROM event_search').pluck().get() as number) : 0;
    const walk = selective && total * total > limit * all;
    const { sql, args } = walk ? whereOf(filter, false) : counted;
    let where = sql;
    const pageArgs = [...args];
    if (page.cursor) {
      where += (where ? ' AND ' : 'WHERE ') + 's.sort_key > ?';
      pageArgs.push(decodeCursor(page.cursor));
    }
    // the page is chosen on the narrow table first; only its records are read
    const rows = this.db
      .prepare(
        `SELECT p.sort_key, ${RECORD} AS record FROM (SELECT s.event_rowid, s.sort_key FROM event_search s ${where} ORDER BY s.sort_key LIMIT ?) p
         JOIN events e ON e.rowid = p.event_rowid ORDER BY p.sort_key`,
      )
      .all(...pageArgs, limit + 1) as Array<{ sort_key: string; record: string }>;
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    return {
      events: shown.map((r) => r.record),
      nextCursor: more ? encodeCursor(shown[shown.length - 1]!.sort_key) : null,
      total,
      planned,
    };
  }

  /** Whether one event passes a filter: the same conditions as every query here (webhooks use it). */
  eventMatches(id: string, filter: EventFilter): boolean {
    const { sql, args } = whereOf(filter);
    const where = (sql ? sql + ' AND ' : 'WHERE ') + 's.event_rowid = (SELECT rowid FROM events WHERE id = ?)';
    return this.sql(`SELECT 1 FROM event_search s ${where}`).get(...args, id) !== undefined;
  }

  /** Matching events for a WHERE clause, and how many of them are planned; kept until the store changes (paging repeats them). */
  private count(where: string, args: unknown[]): { total: number; planned: number } {
    const version = this.version();
    if (version !== this.countsVersion) {
      this.countCache.clear();
      this.countsVersion = version;
    }
    const key = where + '\u0000' + JSON.stringify(args);
    let n = this.countCache.get(key);
    if (n === undefined) {
      n = this.sql(`SELECT count(*) AS total, coalesce(sum(s.status = 'planned'), 0) AS planned FROM event_search s ${where}`).get(...args) as { total: number; planned: number };
      if (this.countCache.size >= COUNT_CACHE_ENTRIES) this.countCache.delete(this.countCache.keys().next().value!);
      this.countCache.set(key, n);
    }
    return n;
  }

  private countCache = new Map<string, { total: number; planned: number }>();
  private countsVersion = '';

  pointsJson(filter: EventFilter): string {
    const { sql, args } = whereOf(filter);
    const where = (sql ? sql + ' AND ' : 'WHERE ') + 's.lat IS NOT NULL AND s.lon IS NOT NULL';
    // SQLite writes the JSON itself: a hundred thousand rows never become JavaScript objects
    return this.db
      .prepare(`SELECT json_group_array(json_array(s.id, s.lon, s.lat, s.status, s.size_mean)) FROM event_search s ${where}`)
      .pluck()
      .get(...args) as string;
  }

  regions(): string[] {
    return this.sql('SELECT DISTINCT region FROM event_search WHERE region IS NOT NULL ORDER BY region').pluck().all() as string[];
  }

  version(): string {
    return `${this.db.pragma('data_version', { simple: true })}:${this.sql('SELECT total_changes()').pluck().get()}`;
  }

  stats(group: StatsGroup, filter: EventFilter): StatsRow[] {
    const column = STATS_COLUMNS[group];
    const { sql, args } = whereOf(filter);
    return this.db
      .prepare(
        `SELECT ${column} AS key, count(*) AS events, count(*) - coalesce(sum(s.status = 'planned'), 0) AS occurred, coalesce(sum(s.status = 'planned'), 0) AS planned,
           coalesce(sum(CASE WHEN s.status = 'occurred' THEN s.size_low END), 0) AS size_low, coalesce(sum(CASE WHEN s.status = 'occurred' THEN s.size_high END), 0) AS size_high
         FROM event_search s ${sql} GROUP BY ${column} ORDER BY ${column} IS NULL, ${column}`,
      )
      .all(...args) as StatsRow[];
  }

  reviewEvent(id: string, req: ReviewRequest): ReviewResult {
    return this.writing(() => this.db.transaction((): ReviewResult => {
      const row = this.liveRow(id);
      if (!row) return { outcome: 'not-found' };
      if (row.revision !== req.revision) return { outcome: 'conflict', revision: row.revision };
      const now = this.effects.now();
      const before = JSON.parse(row.record) as EventRecord;
      const record = reviewedRecord(before, req.action, req.user, now);
      const changed = this.writeEvent(row.event_key, row, before, record, now, { action: 'review', by: req.user, reason: humanReason(req.action, req.user, req.reason) }, null);
      // a verification is announced; a rejection is not (the event quietly leaves the record)
      if (req.action === 'verify') this.live().queueDeliveries([{ ...changed, change: 'review' }]);
      return { outcome: 'reviewed', record: { ...record, revision: changed.revision } };
    }).immediate());
  }

  reviewQueue(filter: EventFilter, page: PageRequest): QueuePage {
    // the queue's own filters only: the rest of an EventFilter has no index in doubt order here
    const queueFilter: EventFilter = { from: filter.from, to: filter.to, region: filter.region, macroevent: filter.macroevent };
    const counted = whereOf(queueFilter);
    const inQueue = (sql: string) => (sql ? sql + ' AND ' : 'WHERE ') + 's.doubt IS NOT NULL';
    const { total } = this.count(inQueue(counted.sql), counted.args);
    const limit = Math.max(1, Math.floor(page.limit));
    // A date range's items are read through the date index and sorted by doubt, up to DATE_SORT_MAX of them; a range
    // holding more is answered by walking the doubt order until the page is full (the date kept from driving: see
    // unindexedDates). A region or a macro-event has an index in doubt order of its own.
    const walk = Boolean(filter.from || filter.to) && !filter.region && !filter.macroevent && total > DATE_SORT_MAX;
    let where = inQueue(walk ? unindexedDates(counted.sql) : counted.sql);
    const args = [...counted.args];
    if (page.cursor) {
      const [doubt, rowid] = decodeQueueCursor(page.cursor);
      where += ' AND (s.doubt, s.event_rowid) < (?, ?)';
      args.push(doubt, rowid);
    }
    // (a few shapes of query, one per combination of filters: prepared once each)
    const rows = this.sql(
      `SELECT p.doubt, p.event_rowid, ${RECORD} AS record FROM (SELECT s.event_rowid, s.doubt FROM event_search s ${where} ORDER BY s.doubt DESC, s.event_rowid DESC LIMIT ?) p
       JOIN events e ON e.rowid = p.event_rowid ORDER BY p.doubt DESC, p.event_rowid DESC`,
    ).all(...args, limit + 1) as Array<{ doubt: number; event_rowid: number; record: string }>;
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    const records = shown.map((r) => JSON.parse(r.record) as EventRecord);
    const days = this.daysAround(records);
    const items = records.map((record): QueueItem => ({ record, ...doubtOf(record), neighbours: this.neighbours(record, days) }));
    const last = shown[shown.length - 1];
    return { items, nextCursor: more && last ? encodeQueueCursor(last.doubt, last.event_rowid) : null, total };
  }

  /**
   * The events (not rejected) of every day within one day of the records' dates, by day: where their merge
   * suggestions are looked for. One read of the sort key's range per day, shared by a page's records.
   */
  private daysAround(records: EventRecord[]): Map<string, NeighbourRow[]> {
    const days = new Map<string, NeighbourRow[]>();
    const read = this.sql(
      "SELECT s.event_rowid, s.id, s.lat, s.lon, s.date, s.locality, s.region FROM event_search s WHERE s.sort_key >= ? AND s.sort_key < ? AND s.review_status <> 'rejected'",
    );
    for (const r of records) {
      if (!r.date) continue;
      for (const day of daysWithinOne(r.date)) {
        if (!days.has(day)) days.set(day, read.all(day, day + '\u0020') as NeighbourRow[]);
      }
    }
    return days;
  }

  /** Merge suggestions for an event (see nearby, src/store/records.ts), as records. */
  private neighbours(record: EventRecord, days: Map<string, NeighbourRow[]>): Neighbour[] {
    return nearby(record, days).map(({ id, km }) => ({ record: this.getEvent(id)!, km }));
  }

  /**
   * A revision row: what changed (arrays as splices: compactChange), who (null: the machine), why (for the machine,
   * the article read). Never the whole record, so an event's revisions grow with its reports, not with their square.
   */
  addRevision(id: string, revision: number, now: string, entry: RevisionEntry, changes: FieldChange[]): void {
    this.sql(
      "INSERT INTO event_revisions (event_id, revision, record, reason, created_at, action, by_user, changes, change_id) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?)",
    ).run(id, revision, entry.reason, now, entry.action, entry.by, JSON.stringify(changes.map(compactChange)), entry.changeId ?? null);
  }

  /**
   * Takes an event out of every list as merged into `into` (a merge, or an undone split): its row stays, for its
   * history and for its key, which later mentions follow to the event that stands.
   */
  retire(row: EventRow, into: string, now: string, entry: RevisionEntry): void {
    const revision = row.revision + 1;
    const record = { ...(JSON.parse(row.record) as EventRecord), revision };
    this.sql('UPDATE events SET merged_into = ?, revision = ?, record = ?, updated_at = ? WHERE id = ?').run(into, revision, storedRecordJson(record), now, row.id);
    // its quotes are the survivor's now (a merge), or were never its own (an undone split): written there
    this.sql('DELETE FROM event_evidence WHERE event_id = ?').run(row.id);
    // (the statement writeQueryColumns shares: not plucked)
    const { rowid } = this.sql('SELECT rowid FROM events WHERE id = ?').pluck(false).get(row.id) as { rowid: number };
    this.sql('DELETE FROM event_search WHERE event_rowid = ?').run(rowid);
    this.sql('DELETE FROM events_fts WHERE rowid = ?').run(rowid);
    this.addRevision(row.id, revision, now, entry, entry.extra ?? []);
  }

  private editorOf: EventEditor | null = null;

  /** Merges, splits, edits and their history (src/store/sqlite/edits.ts), on this store's transactions. */
  private editor(): EventEditor {
    this.editorOf ??= new EventEditor(this, () => this.effects.now());
    return this.editorOf;
  }

  /** Runs `fn` in one write transaction, queueing webhook deliveries for the events it changed. */
  inTransaction<T>(fn: () => { result: T; changed: Changed[] }): T {
    try {
      return this.db.transaction((): T => {
        const { result, changed } = fn();
        this.live().queueDeliveries(changed);
        return result;
      }).immediate();
    } catch (e) {
      // what the transaction wrote into the cache was rolled back with it
      this.cache.clear();
      throw e;
    }
  }

  editEvent(id: string, req: EditRequest): EditResult {
    return this.editor().edit(id, req);
  }

  mergeEvents(req: MergeRequest): MergeResult {
    return this.editor().merge(req);
  }

  splitEvent(id: string, req: SplitRequest): SplitResult {
    return this.editor().split(id, req);
  }

  undoChange(id: string, req: UndoRequest): UndoResult {
    return this.editor().undo(id, req);
  }

  eventHistory(id: string): HistoryEntry[] | null {
    return this.editor().history(id);
  }

  eventMentions(id: string): MentionView[] | null {
    return this.editor().mentions(id);
  }

  resolveMerged(id: string): string | null {
    const row = this.sql('SELECT merged_into FROM events WHERE id = ?').get(id) as { merged_into: string | null } | undefined;
    return row?.merged_into ? (this.standing('id', row.merged_into)?.id ?? null) : null;
  }

  getEvent(id: string): EventRecord | null {
    const row = this.liveRow(id);
    return row ? (JSON.parse(row.record) as EventRecord) : null;
  }

  counts(): StoreCounts {
    const one = (sql: string) => (this.sql(sql).get() as { n: number }).n;
    return {
      articles: one('SELECT count(*) AS n FROM articles'),
      mentions: one('SELECT count(*) AS n FROM mentions'),
      events: one('SELECT count(*) AS n FROM events WHERE merged_into IS NULL'),
      revisions: one('SELECT count(*) AS n FROM event_revisions'),
    };
  }

  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }

  close(): void {
    this.db.close();
  }
}

/** Orders strings as SQLite's BINARY collation does: by their UTF-8 bytes. */
function utf8Order(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Stats groups and the column each one groups by (a fixed table: never user text in SQL). */
const STATS_COLUMNS: Record<StatsGroup, string> = { day: 's.date', region: 's.region', macroevent: 's.macroevent' };

/** The FTS5 query for free text: its words, each quoted (so no operator syntax gets through), all required. */
export function ftsQuery(q: string): string | null {
  const words = searchWords(q);
  if (!words) return null;
  return words.map((w) => `"${w}"`).join(' ');
}

/**
 * The WHERE clause of a filter. `driving` false keeps SQLite from starting at the lon/lat index or the
 * full-text matches, so that it walks the sort order instead (see pageEventsJson).
 */
function whereOf(filter: EventFilter, driving = true): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  for (const [key, clause, values] of FILTER_CLAUSES) {
    const v = filter[key];
    if (v === undefined || v === null || v === '') continue;
    where.push(clause);
    args.push(...values(v));
  }
  // an event an editor rejected is no event: left out unless asked for
  if (!filter.includeRejected) where.push("s.review_status <> 'rejected'");
  if (filter.verifiedOnly) where.push(`s.review_status IN (${PUBLISHED_STATUSES.map((v) => `'${v}'`).join(', ')})`);
  if (filter.q) {
    const match = ftsQuery(filter.q);
    // text without a single word matches nothing rather than everything
    // a unary + makes a column expression that no index serves
    where.push(match ? `${driving ? '' : '+'}s.event_rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)` : '0');
    if (match) args.push(match);
  }
  if (filter.bbox) {
    const [w, s, e, n] = filter.bbox;
    const [lon, lat] = driving ? ['s.lon', 's.lat'] : ['+s.lon', '+s.lat'];
    where.push(w <= e ? `${lon} BETWEEN ? AND ?` : `(${lon} >= ? OR ${lon} <= ?)`, `${lat} BETWEEN ? AND ?`);
    args.push(w, e, s, n);
  }
  return { sql: where.length ? 'WHERE ' + where.join(' AND ') : '', args };
}

/** The most queue items of a date range read through the date index and sorted (more: the doubt order is walked). */
const DATE_SORT_MAX = 20_000;

/** A WHERE clause whose date conditions no index serves (a unary + makes a column expression no index serves). */
function unindexedDates(where: string): string {
  return where.replaceAll('s.sort_key', '+s.sort_key');
}

export function openStore(path: string, effects?: StoreEffects): Repository {
  return new SqliteRepository(path, effects);
}
