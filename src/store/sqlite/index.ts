// The embedded store: SQLite through better-sqlite3, WAL mode, one transaction per article.
import Database from 'better-sqlite3';
import type { Article, EventRecord, Mention, SourceRef } from '../../core/types.js';
import { eventId, eventKey, mergeMentions, siblingKey, sourceRef } from '../../merge/cluster.js';
import {
  CursorError,
  type ReviewRequest,
  type ReviewResult,
  systemClock,
  type EventFilter,
  type EventChange,
  type EventPage,
  type PageRequest,
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
import { MIGRATIONS, storedPlanLinks, UNDATED_SORT_KEY, writeQueryColumns, writeReviewColumn } from './migrations.js';

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
    return this.db.transaction((): SaveOutcome => {
      if (this.hasArticle(article.id)) return { article: 'unchanged', mentions: 0, eventsNew: 0, eventsUpdated: 0, changed: [] };
      const now = this.effects.now();
      this.db
        .prepare(
          'INSERT INTO articles (id, name, url, title, publisher, published, published_source, text, flags, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(article.id, article.name, article.url, article.title, article.publisher, article.published, article.publishedSource, article.text, JSON.stringify(article.flags), now);
      const insertMention = this.sql('INSERT INTO mentions (article_id, event_key, data) VALUES (?, ?, ?)');
      const keys = new Set<string>();
      for (const m of mentions) {
        const k = eventKey(m);
        keys.add(k);
        insertMention.run(article.id, k, JSON.stringify(m));
      }
      const changed = this.remergeAll(keys, now, `article ${article.id}`);
      // however the article came in (a file, a page, a feed item), webhooks hear of the events it changed
      this.live().queueDeliveries(changed);
      return {
        article: 'new',
        mentions: mentions.length,
        eventsNew: changed.filter((c) => c.created).length,
        eventsUpdated: changed.filter((c) => !c.created).length,
        changed,
      };
    }).immediate();
  }

  private remergeAll(keys: Iterable<string>, now: string, reason: string): SaveOutcome['changed'] {
    const changed: SaveOutcome['changed'] = [];
    // a same-day plan and the action at its place that day link to each other: a change to one may link the other
    const all = new Set<string>();
    for (const k of keys) {
      all.add(k);
      if (this.sql('SELECT 1 FROM mentions WHERE event_key = ? LIMIT 1').get(siblingKey(k)) !== undefined) all.add(siblingKey(k));
    }
    for (const k of all) {
      const r = this.remerge(k, now, reason);
      if (r) changed.push(r);
    }
    return changed;
  }

  linkDuplicate(articleId: string, originalId: string, distance: number): SaveOutcome['changed'] {
    return this.db.transaction(() => {
      const added = this.sql('INSERT OR IGNORE INTO article_duplicates (article_id, duplicate_of, distance) VALUES (?, ?, ?)').run(articleId, originalId, distance);
      if (!added.changes) return [];
      const keys = this.sql('SELECT DISTINCT event_key FROM mentions WHERE article_id = ?').pluck().all(articleId) as string[];
      const changed = this.remergeAll(keys, this.effects.now(), `article ${articleId} is a copy of ${originalId}`);
      this.live().queueDeliveries(changed);
      return changed;
    }).immediate();
  }

  recentChanges(filter: EventFilter, limit: number): EventChange[] {
    const { sql, args } = whereOf(filter);
    const rows = this.db
      .prepare(
        `SELECT e.record, e.revision, e.created_at, e.updated_at FROM ${FROM_SEARCH} ${sql} ORDER BY e.updated_at DESC, e.id LIMIT ?`,
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

  /** Rebuilds the event for one key from all its stored mentions; writes a revision when it changed. */
  private remerge(key: string, now: string, reason: string): SaveOutcome['changed'][number] | null {
    const rows = this.db
      .prepare(
        `SELECT m.data, a.id, a.name, a.url, a.title, a.publisher, a.published FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_key = ?`,
      )
      .all(key) as Array<{ data: string; id: string; name: string; url: string | null; title: string | null; publisher: string | null; published: string | null }>;
    const sources = new Map<string, SourceRef>();
    for (const r of rows) sources.set(r.id, sourceRef(r));
    const copyOf = new Map(
      (this.db
        .prepare(`SELECT article_id, duplicate_of FROM article_duplicates WHERE article_id IN (SELECT article_id FROM mentions WHERE event_key = ?)`)
        .raw(true)
        .all(key) as Array<[string, string]>),
    );
    if (!rows.length) return null;
    const mentions = rows.map((r) => JSON.parse(r.data) as Mention);
    const merged = mergeMentions(key, mentions, sources, copyOf, storedPlanLinks(this.db, key, mentions));
    const existing = this.sql('SELECT id, revision, record FROM events WHERE event_key = ?').get(key) as { id: string; revision: number; record: string } | undefined;
    // a human's review is no machine value: the rebuilt record keeps it, whatever the mentions say
    const before = existing ? (JSON.parse(existing.record) as EventRecord) : null;
    const review = before
      ? { review_status: before.review_status ?? 'unreviewed', reviewed_by: before.reviewed_by ?? null, reviewed_at: before.reviewed_at ?? null }
      : { review_status: merged.review_status, reviewed_by: merged.reviewed_by, reviewed_at: merged.reviewed_at };
    if (existing && existing.record === JSON.stringify({ ...merged, revision: existing.revision, ...review })) return null;
    const revision = existing ? existing.revision + 1 : 1;
    const record: EventRecord = { ...merged, revision, ...review };
    const json = JSON.stringify(record);
    if (existing) {
      this.db
        .prepare('UPDATE events SET date = ?, region = ?, locality = ?, status = ?, macroevent = ?, revision = ?, record = ?, updated_at = ? WHERE id = ?')
        .run(record.date, record.region, record.locality, record.status, record.macroevent, revision, json, now, existing.id);
    } else {
      this.db
        .prepare(
          'INSERT INTO events (id, event_key, date, region, locality, status, macroevent, revision, record, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(eventId(key), key, record.date, record.region, record.locality, record.status, record.macroevent, revision, json, now, now);
    }
    writeQueryColumns(this.db, record.id, record, (q) => this.sql(q));
    writeReviewColumn(this.db, record.id, record, (q) => this.sql(q));
    this.sql('INSERT INTO event_revisions (event_id, revision, record, reason, created_at) VALUES (?, ?, ?, ?, ?)').run(record.id, revision, json, reason, now);
    return { id: record.id, revision, created: !existing };
  }

  listEvents(filter: EventFilter = {}): EventRecord[] {
    const { sql, args } = whereOf(filter);
    const limit = filter.limit ? ' LIMIT ' + Math.max(1, Math.floor(filter.limit)) : '';
    const rows = this.sql(`SELECT e.record FROM ${FROM_SEARCH} ${sql} ORDER BY s.sort_key${limit}`).pluck().all(...args) as string[];
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
        `SELECT p.sort_key, e.record FROM (SELECT s.event_rowid, s.sort_key FROM event_search s ${where} ORDER BY s.sort_key LIMIT ?) p
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
    return this.db.transaction((): ReviewResult => {
      const row = this.sql('SELECT revision, record FROM events WHERE id = ?').get(id) as { revision: number; record: string } | undefined;
      if (!row) return { outcome: 'not-found' };
      if (row.revision !== req.revision) return { outcome: 'conflict', revision: row.revision };
      const now = this.effects.now();
      const revision = row.revision + 1;
      const record: EventRecord = {
        ...(JSON.parse(row.record) as EventRecord),
        revision,
        review_status: req.action === 'verify' ? 'verified' : 'rejected',
        reviewed_by: req.user,
        reviewed_at: now,
      };
      const json = JSON.stringify(record);
      this.sql('UPDATE events SET revision = ?, record = ?, updated_at = ? WHERE id = ?').run(revision, json, now, id);
      writeReviewColumn(this.db, id, record, (q) => this.sql(q));
      this.sql('INSERT INTO event_revisions (event_id, revision, record, reason, created_at) VALUES (?, ?, ?, ?, ?)').run(
        id,
        revision,
        json,
        `${req.action} by ${req.user}: ${req.reason}`,
        now,
      );
      this.live().queueDeliveries([{ id, revision, created: false }]);
      return { outcome: 'reviewed', record };
    }).immediate();
  }

  getEvent(id: string): EventRecord | null {
    const row = this.sql('SELECT record FROM events WHERE id = ?').get(id) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as EventRecord) : null;
  }

  counts(): StoreCounts {
    const one = (sql: string) => (this.sql(sql).get() as { n: number }).n;
    return {
      articles: one('SELECT count(*) AS n FROM articles'),
      mentions: one('SELECT count(*) AS n FROM mentions'),
      events: one('SELECT count(*) AS n FROM events'),
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

/** Stats groups and the column each one groups by (a fixed table: never user text in SQL). */
const STATS_COLUMNS: Record<StatsGroup, string> = { day: 's.date', region: 's.region', macroevent: 's.macroevent' };

/** The FTS5 query for free text: its words, each quoted (so no operator syntax gets through), all required. */
export function ftsQuery(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}]+/gu);
  if (!words) return null;
  return words.slice(0, 16).map((w) => `"${w}"`).join(' ');
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

function encodeCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const key = /^[A-Za-z0-9_-]{1,2000}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  // a sort key is date, region, locality and id joined by unit separators (see sortKey)
  if (key.split('\u001f').length !== 4) throw new CursorError('cursor is not one this server issued');
  return key;
}

export function openStore(path: string, effects?: StoreEffects): Repository {
  return new SqliteRepository(path, effects);
}
