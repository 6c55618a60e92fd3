// Versioned schema migrations. Append only: a released migration is never edited.
import type Database from 'better-sqlite3';
import { noEdits, UNREVIEWED, type EventRecord, type Mention, type SourceRef } from '../../core/types.js';
import { compactChange, recordChanges, type StoredChange } from '../../merge/edits.js';
import { planLinks, publicFileName, siblingKey, type PlanLinks } from '../../merge/cluster.js';
import { migratedParts, partText, queueDoubt, searchBody, sortKey, storedRecordJson } from '../records.js';

// (moved to src/store/records.ts, shared with the PostgreSQL store; still exported here for existing callers)
export { humanReason, queueDoubt, reasonGiven, searchBody, sortKey, UNDATED_SORT_KEY } from '../records.js';

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
    name: 'compact search table (sort key, filters, coordinates, sizes) and full-text index for the API',
    // The events table keeps the whole record (kilobytes of JSON, spilling onto overflow pages); queries filter
    // and sort on this narrow copy instead, keyed by the events rowid, and read records only for the rows shown.
    sql: `
      CREATE TABLE event_search (
        event_rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        sort_key TEXT NOT NULL,
        date TEXT,
        region TEXT,
        locality TEXT COLLATE NOCASE,
        status TEXT NOT NULL,
        macroevent TEXT COLLATE NOCASE,
        lat REAL,
        lon REAL,
        size_low INTEGER,
        size_high INTEGER,
        size_mean REAL
      );
      CREATE INDEX event_search_sort ON event_search(sort_key);
      CREATE INDEX event_search_region ON event_search(region, sort_key);
      CREATE INDEX event_search_locality ON event_search(locality, sort_key);
      CREATE INDEX event_search_macroevent ON event_search(macroevent, sort_key);
      CREATE INDEX event_search_lon ON event_search(lon, lat);
      CREATE VIRTUAL TABLE events_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
    `,
    backfill: (db) => {
      const rows = db.prepare('SELECT id, record FROM events').all() as Array<{ id: string; record: string }>;
      for (const r of rows) writeQueryColumns(db, r.id, JSON.parse(r.record));
    },
  },
  {
    version: 3,
    name: 'live record: feed sources, fetch log, feed items, durable jobs, near-duplicate links, webhooks and deliveries',
    sql: `
      CREATE TABLE article_duplicates (
        article_id TEXT NOT NULL REFERENCES articles(id),
        duplicate_of TEXT NOT NULL REFERENCES articles(id),
        distance INTEGER NOT NULL,
        PRIMARY KEY (article_id, duplicate_of)
      );
      CREATE TABLE article_hashes (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        simhash TEXT NOT NULL
      );
      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        every_seconds INTEGER NOT NULL,
        etag TEXT,
        last_modified TEXT,
        next_poll_at TEXT NOT NULL,
        last_polled_at TEXT,
        last_status TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL
      );
      CREATE TABLE fetch_log (
        id INTEGER PRIMARY KEY,
        source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
        url TEXT NOT NULL,
        at TEXT NOT NULL,
        status INTEGER,
        items_new INTEGER NOT NULL DEFAULT 0,
        items_skipped INTEGER NOT NULL DEFAULT 0,
        error TEXT
      );
      CREATE INDEX fetch_log_source ON fetch_log(source_id, id);
      CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,
        item_key TEXT NOT NULL,
        url TEXT,
        title TEXT,
        published TEXT,
        state TEXT NOT NULL,
        reason TEXT,
        article_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (source_id, item_key)
      );
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        dedupe_key TEXT UNIQUE,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        run_after TEXT NOT NULL,
        locked_by TEXT,
        locked_until TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE INDEX jobs_due ON jobs(state, run_after);
      CREATE TABLE webhooks (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        filter TEXT NOT NULL DEFAULT '{}',
        active INTEGER NOT NULL DEFAULT 1,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        disabled_reason TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        event_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        at TEXT NOT NULL,
        status INTEGER,
        ok INTEGER NOT NULL,
        error TEXT
      );
      CREATE INDEX events_updated ON events(updated_at);
    `,
  },
  {
    version: 4,
    name: 'sources read from files are cited by file name only, never by the directory they were read from',
    // the articles table keeps the name as given (the store's own record); the records served and exported do not
    sql: '',
    backfill: (db) => {
      for (const table of ['events', 'event_revisions']) {
        const rows = db.prepare(`SELECT rowid, record FROM ${table} WHERE record LIKE '%"file":"%'`).all() as Array<{ rowid: number; record: string }>;
        const update = db.prepare(`UPDATE ${table} SET record = ? WHERE rowid = ?`);
        for (const r of rows) {
          const record = JSON.parse(r.record) as EventRecord;
          if (!record.sources.some((s) => s.file !== null && s.file !== publicFileName(s.file))) continue;
          record.sources = record.sources.map((s): SourceRef => (s.file === null ? s : { ...s, file: publicFileName(s.file) }));
          update.run(JSON.stringify(record), r.rowid);
        }
      }
    },
  },
  {
    version: 5,
    name: 'full-text search matches word forms: the index is rebuilt with the porter stemmer (immigrant finds immigrants)',
    sql: `
      DROP TABLE events_fts;
      CREATE VIRTUAL TABLE events_fts USING fts5(body, tokenize = 'porter unicode61 remove_diacritics 2');
    `,
    backfill: (db) => {
      const insert = db.prepare('INSERT INTO events_fts (rowid, body) VALUES (?, ?)');
      const batch = db.prepare('SELECT rowid, record FROM events WHERE rowid > ? ORDER BY rowid LIMIT 500');
      // in batches: a large store's records never all sit in memory at once
      for (let last = -1; ; ) {
        const rows = batch.all(last) as Array<{ rowid: number; record: string }>;
        if (!rows.length) break;
        for (const r of rows) insert.run(r.rowid, searchBody(JSON.parse(r.record) as EventRecord));
        last = rows[rows.length - 1]!.rowid;
      }
    },
  },
  {
    version: 6,
    name: 'a same-day plan and the action later reported at its place that day link to each other (realized_by, plan_of)',
    sql: '',
    backfill: (db) =>
      rewriteRecords(db, (old, row) => {
        const links = storedPlanLinks(db, row.event_key);
        // the new fields beside status, where a new record has them
        const { id, date, date_precision, status, ...rest } = old;
        return { id, date, date_precision, status, ...links, ...rest } as EventRecord;
      }),
  },
  {
    version: 7,
    name: 'accounts with roles, and API tokens (stored as hashes only)',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );
      CREATE INDEX api_tokens_user ON api_tokens(user_id);
    `,
  },
  {
    version: 8,
    name: 'review state in the record (review_status, reviewed_by, reviewed_at) and its revision number',
    sql: `ALTER TABLE event_search ADD COLUMN review_status TEXT NOT NULL DEFAULT 'unreviewed';`,
    backfill: (db) =>
      rewriteRecords(db, (record, row) => {
        const { revision: _r, review_status: _s, reviewed_by: _b, reviewed_at: _a, ...old } = record;
        return { ...old, revision: row.revision, ...UNREVIEWED } as EventRecord;
      }),
  },
  {
    version: 9,
    name: 'edits are revisions: human values over the machine\'s, merges and splits (undoable), and each revision\'s field changes',
    // event_overrides: an editor's value per field (and the machine's when last compared), laid over every rebuild.
    // events.merged_into: a merged event stays (its history, and its key: later mentions of its place and day join
    // the survivor) but leaves every list. event_changes: merges, splits and their undoing. event_revisions gains who,
    // what action and the field changes; rows written by a human keep those and not the whole record. (The columns
    // added to old tables name other rows without a REFERENCES clause, so that they can be dropped again.)
    sql: `
      ALTER TABLE events ADD COLUMN merged_into TEXT;
      CREATE INDEX events_merged_into ON events(merged_into);
      CREATE TABLE event_overrides (
        event_id TEXT NOT NULL REFERENCES events(id),
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        machine TEXT NOT NULL,
        by_user TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (event_id, field)
      );
      CREATE TABLE event_changes (
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('merge', 'split', 'undo')),
        event_id TEXT NOT NULL REFERENCES events(id),
        other_id TEXT REFERENCES events(id),
        by_user TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}',
        undone_by INTEGER REFERENCES event_changes(id)
      );
      CREATE INDEX event_changes_event ON event_changes(event_id);
      CREATE INDEX event_changes_other ON event_changes(other_id);
      ALTER TABLE event_revisions ADD COLUMN action TEXT NOT NULL DEFAULT 'ingest';
      ALTER TABLE event_revisions ADD COLUMN by_user TEXT;
      ALTER TABLE event_revisions ADD COLUMN changes TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE event_revisions ADD COLUMN change_id INTEGER;
    `,
    backfill: (db) => {
      rewriteRecords(db, (record) => ({ ...record, ...noEdits() }));
      backfillRevisionChanges(db);
    },
  },
  {
    version: 10,
    name: 'browser sessions (the SHA-256 of the cookie secret only) and failed logins for the rate limits',
    // login_failures keeps hashes of the name and the address tried, for 15 minutes: counts survive a restart and
    // are shared by every server process on the store
    sql: `
      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        account_hash TEXT NOT NULL,
        address_hash TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX login_failures_account ON login_failures(account_hash, at);
      CREATE INDEX login_failures_address ON login_failures(address_hash, at);
      CREATE INDEX login_failures_at ON login_failures(at);
    `,
  },
  {
    version: 11,
    name: 'review queue: the doubt of each event awaiting review (null for the others), indexed for the queue by doubt',
    // partial indexes: only the queue's rows, in doubt order, alone or after a region or a macro-event (see reviewQueue)
    sql: `
      ALTER TABLE event_search ADD COLUMN doubt REAL;
      CREATE INDEX event_search_queue ON event_search(doubt, event_rowid) WHERE doubt IS NOT NULL;
      CREATE INDEX event_search_queue_region ON event_search(region, doubt, event_rowid) WHERE doubt IS NOT NULL;
      CREATE INDEX event_search_queue_macroevent ON event_search(macroevent, doubt, event_rowid) WHERE doubt IS NOT NULL;
    `,
    backfill: (db) => {
      const update = db.prepare('UPDATE event_search SET doubt = ? WHERE event_rowid = ?');
      const batch = db.prepare('SELECT rowid, record FROM events WHERE rowid > ? ORDER BY rowid LIMIT 500');
      for (let last = -1; ; ) {
        const rows = batch.all(last) as Array<{ rowid: number; record: string }>;
        if (!rows.length) break;
        for (const r of rows) update.run(queueDoubt(JSON.parse(r.record) as EventRecord), r.rowid);
        last = rows[rows.length - 1]!.rowid;
      }
    },
  },
  {
    version: 12,
    name: 'revisions keep what changed only: no copy of the whole record, and arrays as what was added and removed',
    // The machine's revisions held the whole record: an event reported by n articles took O(n^2) bytes. Their
    // field changes (migration 9) say what the history shows; arrays become splices (compactChange).
    sql: '',
    backfill: compactRevisions,
  },
  {
    version: 13,
    name: "an event's evidence is stored per article (event_evidence), beside its record, so that a report writes its own quotes and not every earlier report's again",
    // A record held every quote of every report: an event reported by n articles rewrote n articles' quotes on each
    // report. The record keeps an empty list (storedRecordJson) that reads fill from event_evidence, in part order.
    sql: `
      CREATE TABLE event_evidence (
        event_id TEXT NOT NULL REFERENCES events(id),
        part TEXT NOT NULL,
        items TEXT NOT NULL,
        PRIMARY KEY (event_id, part)
      );
    `,
    backfill: splitEvidence,
  },
  {
    version: 14,
    name: 'a count of the writes to the events, read as the store version that answer caches are kept under',
    // PostgreSQL's own (src/store/pg/migrations.ts); a SQLite store tells its version from the file (data_version)
    sql: '',
  },
];

/**
 * Moves each stored record's evidence into event_evidence (migratedParts: as a rebuild writes it, from the event's
 * mentions read as the store reads them), an event at a time in batches of 500.
 */
function splitEvidence(db: Database.Database): void {
  const batch = db.prepare('SELECT rowid, id, event_key, record FROM events WHERE rowid > ? ORDER BY rowid LIMIT 500');
  const owned = db.prepare(`WITH RECURSIVE owned(id, event_key) AS (
      SELECT id, event_key FROM events WHERE event_key = ?
      UNION SELECT e.id, e.event_key FROM events e JOIN owned o ON e.merged_into = o.id)
    SELECT data FROM mentions WHERE event_key IN (SELECT event_key FROM owned) ORDER BY event_key, id`);
  const update = db.prepare('UPDATE events SET record = ? WHERE rowid = ?');
  const insert = db.prepare('INSERT INTO event_evidence (event_id, part, items) VALUES (?, ?, ?)');
  for (let last = -1; ; ) {
    const rows = batch.all(last) as Array<{ rowid: number; id: string; event_key: string; record: string }>;
    if (!rows.length) break;
    for (const r of rows) {
      const record = JSON.parse(r.record) as EventRecord;
      const mentions = (owned.pluck().all(r.event_key) as string[]).map((d) => JSON.parse(d) as Mention);
      for (const p of migratedParts(r.event_key, record, mentions)) insert.run(r.id, p.part, partText(p));
      update.run(storedRecordJson(record), r.rowid);
    }
    last = rows[rows.length - 1]!.rowid;
  }
}

/** The stored reasons of reviews before migration 9: "verify by NAME: why". */
const REVIEW_REASON = /^(verify|reject) by (.+?): /;

/**
 * Fills the action, the user and the field changes of the revisions stored before migration 9, from each event's
 * consecutive whole records (every such revision has one), an event at a time.
 */
function backfillRevisionChanges(db: Database.Database): void {
  const events = db.prepare('SELECT rowid, id FROM events WHERE rowid > ? ORDER BY rowid LIMIT 500');
  const revisions = db.prepare('SELECT revision, record, reason FROM event_revisions WHERE event_id = ? ORDER BY revision');
  const update = db.prepare('UPDATE event_revisions SET action = ?, by_user = ?, changes = ? WHERE event_id = ? AND revision = ?');
  for (let last = -1; ; ) {
    const rows = events.all(last) as Array<{ rowid: number; id: string }>;
    if (!rows.length) break;
    for (const e of rows) {
      let before: EventRecord | null = null;
      for (const r of revisions.all(e.id) as Array<{ revision: number; record: string; reason: string }>) {
        const record = JSON.parse(r.record) as EventRecord;
        const review = REVIEW_REASON.exec(r.reason);
        // the reviewer is in the record too: exact where a name holds ": "
        const by = review ? (record.reviewed_by && r.reason.startsWith(`${review[1]} by ${record.reviewed_by}: `) ? record.reviewed_by : review[2]!) : null;
        update.run(review ? 'review' : 'ingest', by, JSON.stringify(recordChanges(before, record)), e.id, r.revision);
        before = record;
      }
    }
    last = rows[rows.length - 1]!.rowid;
  }
}

/**
 * Empties the record copy of every revision and stores its array changes as splices, in batches of 500 rows so a
 * large store's revisions never all sit in memory at once.
 */
function compactRevisions(db: Database.Database): void {
  const update = db.prepare("UPDATE event_revisions SET record = '', changes = ? WHERE rowid = ?");
  const batch = db.prepare('SELECT rowid, record, changes FROM event_revisions WHERE rowid > ? ORDER BY rowid LIMIT 500');
  for (let last = -1; ; ) {
    const rows = batch.all(last) as Array<{ rowid: number; record: string; changes: string }>;
    if (!rows.length) break;
    for (const r of rows) {
      const changes = JSON.stringify((JSON.parse(r.changes) as StoredChange[]).map(compactChange));
      if (r.record !== '' || changes !== r.changes) update.run(changes, r.rowid);
    }
    last = rows[rows.length - 1]!.rowid;
  }
}

/**
 * Keeps the search row's review status and queue doubt in step with the record (writeQueryColumns resets them: call
 * after, on every write of a record). Needs migration 11: no earlier migration may call it.
 */
export function writeReviewColumn(db: Database.Database, id: string, record: EventRecord, prepare: (sql: string) => Database.Statement = (sql) => db.prepare(sql)): void {
  prepare('UPDATE event_search SET review_status = ?, doubt = ? WHERE event_rowid = (SELECT rowid FROM events WHERE id = ?)').run(record.review_status, queueDoubt(record), id);
}

/**
 * Rewrites every stored event record through `change`, in batches of 500 rows, so a large store's records never all
 * sit in memory at once.
 */
function rewriteRecords(db: Database.Database, change: (record: EventRecord, row: { event_key: string; revision: number }) => EventRecord): void {
  const update = db.prepare('UPDATE events SET record = ? WHERE rowid = ?');
  const batch = db.prepare('SELECT rowid, event_key, revision, record FROM events WHERE rowid > ? ORDER BY rowid LIMIT 500');
  for (let last = -1; ; ) {
    const rows = batch.all(last) as Array<{ rowid: number; event_key: string; revision: number; record: string }>;
    if (!rows.length) break;
    for (const r of rows) update.run(JSON.stringify(change(JSON.parse(r.record) as EventRecord, r)), r.rowid);
    last = rows[rows.length - 1]!.rowid;
  }
}

/**
 * The links of the event under `key` to its same-day plan or held action, from the stored mentions (`load` reads
 * the mentions under a key: by default from `db`).
 */
export function storedPlanLinks(db: Database.Database, key: string, own?: Mention[], load = (k: string) => storedMentions(db, k)): PlanLinks {
  const sibling = load(siblingKey(key));
  if (!sibling.length) return { realized_by: null, plan_of: null };
  return planLinks(key, own ?? load(key), sibling);
}

/** The mentions stored under an event key. */
function storedMentions(db: Database.Database, key: string): Mention[] {
  return (db.prepare('SELECT data FROM mentions WHERE event_key = ?').pluck().all(key) as string[]).map((d) => JSON.parse(d) as Mention);
}

/** The search row's values of a record, after its row id and its id: sort key, date, region, place, status, size. */
function searchColumns(r: EventRecord): unknown[] {
  return [sortKey(r), r.date, r.region, r.locality, r.status, r.macroevent, r.lat, r.lon, r.size_low, r.size_high, r.size_mean];
}

/** Keeps the search row and the full-text row of an event in step with its stored record: each rewritten only when it differs. */
export function writeQueryColumns(db: Database.Database, id: string, record: EventRecord, prepare: (sql: string) => Database.Statement = (sql) => db.prepare(sql)): void {
  const { rowid } = prepare('SELECT rowid FROM events WHERE id = ?').get(id) as { rowid: number };
  const columns = searchColumns(record);
  // (a report that changes no listed value, as most reports of a known event do, leaves the row and its indexes be)
  const stored = prepare('SELECT sort_key, date, region, locality, status, macroevent, lat, lon, size_low, size_high, size_mean FROM event_search WHERE event_rowid = ?')
    .raw(true)
    .get(rowid) as unknown[] | undefined;
  if (!stored || columns.some((v, i) => v !== stored[i])) {
    prepare(
      `INSERT OR REPLACE INTO event_search (event_rowid, id, sort_key, date, region, locality, status, macroevent, lat, lon, size_low, size_high, size_mean)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(rowid, id, ...columns);
  }
  // (the full-text row is rewritten only when its text changed: a rewrite reads and indexes the old text again)
  const body = searchBody(record);
  if (prepare('SELECT body FROM events_fts WHERE rowid = ?').pluck().get(rowid) === body) return;
  prepare('DELETE FROM events_fts WHERE rowid = ?').run(rowid);
  prepare('INSERT INTO events_fts (rowid, body) VALUES (?, ?)').run(rowid, body);
}
