// Versioned schema migrations. Append only: a released migration is never edited.
import type Database from 'better-sqlite3';
import type { EventRecord } from '../../core/types.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** fills new columns or tables from existing rows, inside the migration's transaction */
  backfill?: (db: Database.Database) => void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'articles, mentions, events, revisions',
    sql: `
      CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        url TEXT,
        title TEXT,
        publisher TEXT,
        published TEXT,
        published_source TEXT,
        text TEXT NOT NULL,
        flags TEXT NOT NULL DEFAULT '[]',
        ingested_at TEXT NOT NULL
      );
      CREATE INDEX articles_url ON articles(url);
      CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        event_key TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX mentions_key ON mentions(event_key);
      CREATE INDEX mentions_article ON mentions(article_id);
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        event_key TEXT NOT NULL UNIQUE,
        date TEXT,
        region TEXT,
        locality TEXT,
        status TEXT NOT NULL,
        macroevent TEXT,
        revision INTEGER NOT NULL,
        record TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX events_date ON events(date);
      CREATE INDEX events_region ON events(region, date);
      CREATE TABLE event_revisions (
        event_id TEXT NOT NULL REFERENCES events(id),
        revision INTEGER NOT NULL,
        record TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (event_id, revision)
      );
    `,
  },
  {
    version: 2,
    name: 'query columns (sort key, coordinates, sizes) and full-text index for the API',
    sql: `
      ALTER TABLE events ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
      ALTER TABLE events ADD COLUMN lat REAL;
      ALTER TABLE events ADD COLUMN lon REAL;
      ALTER TABLE events ADD COLUMN size_low INTEGER;
      ALTER TABLE events ADD COLUMN size_high INTEGER;
      ALTER TABLE events ADD COLUMN size_mean REAL;
      CREATE INDEX events_sort ON events(sort_key);
      CREATE INDEX events_lon ON events(lon, lat);
      CREATE INDEX events_macroevent ON events(macroevent, sort_key);
      -- one row per event, keyed by the events table's rowid
      CREATE VIRTUAL TABLE events_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
    `,
    backfill: (db) => {
      const rows = db.prepare('SELECT id, record FROM events').all() as Array<{ id: string; record: string }>;
      for (const r of rows) writeQueryColumns(db, r.id, JSON.parse(r.record));
    },
  },
];

/** The text the full-text search (`q`) looks in: titles, claims, organizations, evidence quotes, places. */
export function searchBody(record: EventRecord): string {
  return [
    record.title,
    record.locality,
    record.region,
    record.location_detail,
    record.macroevent,
    ...record.organizations,
    ...record.claims,
    ...record.event_type,
    ...record.sources.map((s) => s.title),
    ...record.evidence.map((e) => e.quote),
  ]
    .filter((x): x is string => Boolean(x))
    .join('\n');
}

/** Sort order of the API and the CLI: date, region, locality, id; undated events last. */
export function sortKey(record: EventRecord): string {
  return [record.date ?? '9999-99-99', record.region ?? '~', (record.locality ?? '~').toLowerCase(), record.id].join('\u001f');
}

/** Keeps the events table's query columns and the full-text row in step with the stored record. */
export function writeQueryColumns(db: Database.Database, id: string, record: EventRecord): void {
  db.prepare('UPDATE events SET sort_key = ?, lat = ?, lon = ?, size_low = ?, size_high = ?, size_mean = ? WHERE id = ?').run(
    sortKey(record),
    record.lat,
    record.lon,
    record.size_low,
    record.size_high,
    record.size_mean,
    id,
  );
  const { rowid } = db.prepare('SELECT rowid FROM events WHERE id = ?').get(id) as { rowid: number };
  db.prepare('DELETE FROM events_fts WHERE rowid = ?').run(rowid);
  db.prepare('INSERT INTO events_fts (rowid, body) VALUES (?, ?)').run(rowid, searchBody(record));
}
