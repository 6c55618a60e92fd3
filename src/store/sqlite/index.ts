// The embedded store: SQLite through better-sqlite3, WAL mode, one transaction per article.
import Database from 'better-sqlite3';
import type { Article, EventRecord, Mention, SourceRef } from '../../core/types.js';
import { eventId, eventKey, mergeMentions, sourceRef } from '../../merge/cluster.js';
import { systemClock, type EventFilter, type Repository, type SaveOutcome, type StoreCounts, type StoreEffects } from '../repository.js';
import { MIGRATIONS } from './migrations.js';

/** Each filter and the SQL condition it adds to the events query. */
const FILTER_CLAUSES: Array<[keyof EventFilter, string]> = [
  ['from', 'date >= ?'],
  ['to', 'date <= ?'],
  ['region', 'region = ? COLLATE NOCASE'],
  ['locality', 'locality = ? COLLATE NOCASE'],
  ['status', 'status = ?'],
  ['macroevent', 'macroevent = ? COLLATE NOCASE'],
];

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

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const done = new Set(this.db.prepare('SELECT version FROM schema_migrations').all().map((r) => (r as { version: number }).version));
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      this.db.transaction(() => {
        this.db.exec(m.sql);
        this.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, this.effects.now());
      })();
    }
  }

  hasArticle(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM articles WHERE id = ?').get(id) !== undefined;
  }

  saveArticle(article: Article, mentions: Mention[]): SaveOutcome {
    return this.db.transaction((): SaveOutcome => {
      if (this.hasArticle(article.id)) return { article: 'unchanged', mentions: 0, eventsNew: 0, eventsUpdated: 0 };
      const now = this.effects.now();
      this.db
        .prepare(
          'INSERT INTO articles (id, name, url, title, publisher, published, published_source, text, flags, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(article.id, article.name, article.url, article.title, article.publisher, article.published, article.publishedSource, article.text, JSON.stringify(article.flags), now);
      const insertMention = this.db.prepare('INSERT INTO mentions (article_id, event_key, data) VALUES (?, ?, ?)');
      const keys = new Set<string>();
      for (const m of mentions) {
        const k = eventKey(m);
        keys.add(k);
        insertMention.run(article.id, k, JSON.stringify(m));
      }
      let eventsNew = 0;
      let eventsUpdated = 0;
      for (const k of keys) {
        const r = this.remerge(k, now, `article ${article.id}`);
        if (r === 'new') eventsNew++;
        else if (r === 'updated') eventsUpdated++;
      }
      return { article: 'new', mentions: mentions.length, eventsNew, eventsUpdated };
    })();
  }

  /** Rebuilds the event for one key from all its stored mentions; writes a revision when it changed. */
  private remerge(key: string, now: string, reason: string): 'new' | 'updated' | 'same' {
    const rows = this.db
      .prepare(
        `SELECT m.data, a.id, a.name, a.url, a.title, a.publisher, a.published FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_key = ?`,
      )
      .all(key) as Array<{ data: string; id: string; name: string; url: string | null; title: string | null; publisher: string | null; published: string | null }>;
    const sources = new Map<string, SourceRef>();
    for (const r of rows) sources.set(r.id, sourceRef(r));
    const record = mergeMentions(key, rows.map((r) => JSON.parse(r.data) as Mention), sources);
    const json = JSON.stringify(record);
    const existing = this.db.prepare('SELECT id, revision, record FROM events WHERE event_key = ?').get(key) as { id: string; revision: number; record: string } | undefined;
    if (existing && existing.record === json) return 'same';
    const revision = existing ? existing.revision + 1 : 1;
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
    this.db.prepare('INSERT INTO event_revisions (event_id, revision, record, reason, created_at) VALUES (?, ?, ?, ?, ?)').run(record.id, revision, json, reason, now);
    return existing ? 'updated' : 'new';
  }

  listEvents(filter: EventFilter = {}): EventRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    for (const [key, clause] of FILTER_CLAUSES) {
      const v = filter[key];
      if (v === undefined || v === null || v === '') continue;
      where.push(clause);
      args.push(v);
    }
    const sql = `SELECT record FROM events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY date, region, locality, id${filter.limit ? ' LIMIT ' + Math.floor(filter.limit) : ''}`;
    return (this.db.prepare(sql).all(...args) as Array<{ record: string }>).map((r) => JSON.parse(r.record) as EventRecord);
  }

  getEvent(id: string): EventRecord | null {
    const row = this.db.prepare('SELECT record FROM events WHERE id = ?').get(id) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as EventRecord) : null;
  }

  counts(): StoreCounts {
    const one = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
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

export function openStore(path: string, effects?: StoreEffects): Repository {
  return new SqliteRepository(path, effects);
}
