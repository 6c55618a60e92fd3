// The PostgreSQL store (issue 11): the same record as the SQLite store (src/store/sqlite), built by the same merge
// code, for many processes on many machines. Every write is one transaction; every writer of an event holds a
// transaction-level advisory lock on its key first (lockKeys), so two articles reporting the same place and day at
// the same moment make one event with both sources: the second waits, then rebuilds from both articles' mentions.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Article, EventRecord, Mention, SourceRef } from '../../core/types.js';
import { eventKey, mergeMentions, planLinks, siblingKey, sourceRef } from '../../merge/cluster.js';
import { MergeFolds } from '../../merge/fold.js';
import { applyEdit, applyOverrides, compactChange, recordChanges, reviewedRecord, type FieldChange, type Override } from '../../merge/edits.js';
import { regionValues } from '../../resolve/regions.js';
import { doubtOf } from '../../review/doubt.js';
import { PUBLISHED_STATUSES } from '../../review/status.js';
import {
  daysWithinOne,
  decodeCursor,
  decodeQueueCursor,
  encodeCursor,
  encodeQueueCursor,
  EVIDENCE_SLOT,
  evidenceWrite,
  nearby,
  humanReason,
  mentionView,
  partNames,
  partText,
  queueDoubt,
  sameButRevision,
  sameParts,
  searchBody,
  searchWords,
  sortKey,
  storedRecordJson,
  UNDATED_SORT_KEY,
  type EvidenceWrite,
  type MentionRow,
  type NeighbourRow,
} from '../records.js';
import {
  systemClock,
  type EditRequest,
  type EditResult,
  type EventChange,
  type EventFilter,
  type EventPage,
  type HistoryEntry,
  type MergeRequest,
  type MergeResult,
  type SplitRequest,
  type SplitResult,
  type UndoRequest,
  type UndoResult,
  type MentionView,
  type Neighbour,
  type PageRequest,
  type QueueItem,
  type QueuePage,
  type ReviewRequest,
  type ReviewResult,
  type SaveOutcome,
  type StatsGroup,
  type StatsRow,
  type StoreCounts,
  type StoreEffects,
} from '../repository.js';
import type { AsyncAccountStore, OpenOptions, Store } from '../store.js';
import { PgAccountStore } from './accounts.js';
import { PgEditor } from './edits.js';
import { PgLiveStore } from './live.js';
import { MentionCache } from './mentions.js';
import { PG_MIGRATIONS } from './migrations.js';
import { WrittenRecords } from '../written.js';

/** What a rebuild reads of an event (PgStore.state): its mentions' ids, its stored row (its record unless known) and its human values. */
interface RebuildState {
  ids: number[];
  sibling: number[];
  copyOf: Map<string, string>;
  /** the stored row: its stored JSON, and the record itself when it is the one this process last wrote */
  row: { id: string; revision: number; json: string; written: EventRecord | null } | null;
  overrides: Override[];
}

export type Changed = SaveOutcome['changed'][number];
export type Db = pg.Pool | pg.PoolClient;

/** An event's row as rebuilds and human actions read it. */
export interface EventRow {
  id: string;
  event_key: string;
  revision: number;
  record: string;
}

import type { RevisionEntry } from '../records.js';
export type { RevisionEntry };

/** Error codes after which a whole transaction is run again: a deadlock between key locks, a serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 5;

/** 64-bit counts and ids come back as numbers (they stay far below 2^53), not as strings. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The events whose mentions make the event under key $1: itself, and those merged into it (at any depth). */
const OWNED = `owned(id, event_key) AS (
    SELECT id, event_key FROM events WHERE event_key = $1
    UNION SELECT e.id, e.event_key FROM events e JOIN owned o ON e.merged_into = o.id)`;

/** The keys an event's mentions are stored under: its own, and those of the events merged into it (at any depth). */
const OWNED_KEYS = `WITH RECURSIVE ${OWNED} SELECT event_key FROM owned`;

/**
 * The event that stands for the event whose `column` is `value` (itself, or the one it was merged into, followed to
 * the end): `columns` of it.
 */
const standingOf = (column: string, value: string, columns: string) => `WITH RECURSIVE up(id, event_key, merged_into, depth) AS (
    SELECT id, event_key, merged_into, 0 FROM events WHERE ${column} = ${value}
    UNION ALL SELECT e.id, e.event_key, e.merged_into, up.depth + 1 FROM events e JOIN up ON e.id = up.merged_into WHERE up.depth < 1000)
  SELECT ${columns} FROM up WHERE merged_into IS NULL`;

/** The store version (PgStore.version): the committed writes to the events, as text. */
const STORE_WRITES = 'SELECT coalesce(sum(writes), 0)::text AS writes FROM store_writes';

/** The search table joined to the records: filters and order on `s`, records read only for rows returned. */
/** How many filters' counts a store keeps for its next pages (PgStore.countsOf). */
const COUNTS_KEPT = 64;
const FROM_SEARCH = 'event_search s JOIN events e ON e.seq = s.event_seq';

/**
 * The record of the events row `e` as served: its stored text (storedRecordJson) with the event's evidence parts in
 * place of its empty list, in the parts' order (bytewise, as on SQLite).
 */
export const RECORD = `replace(e.record, '${EVIDENCE_SLOT}', '"evidence":[' || coalesce((SELECT string_agg(v.items, ',' ORDER BY v.part COLLATE "C") FROM event_evidence v WHERE v.event_id = e.id), '') || ']')`;

/**
 * Stats groups: what each one groups by, the key it answers and its order (a fixed table: never user text in SQL).
 * Keys sort bytewise as SQLite's do; macro-events group without case, as SQLite's NOCASE column does.
 */
const STATS_GROUPS: Record<StatsGroup, { group: string; key: string; order: string }> = {
  day: { group: 's.date', key: 's.date', order: 's.date COLLATE "C"' },
  region: { group: 's.region', key: 's.region', order: 's.region' },
  macroevent: { group: 'lower(s.macroevent)', key: 'min(s.macroevent COLLATE "C")', order: 'lower(s.macroevent) COLLATE "C"' },
};

/** A schema name safe to write into SQL: letters, digits and underscores. */
function schemaName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`schema name "${name}" must be letters, digits and underscores`);
  return name;
}

/**
 * The WHERE clause of a filter on the search table `s`, its values appended to `args` ($1, $2, ... in order).
 * The same conditions as the SQLite store's, in PostgreSQL's terms: dates bound the sort key, locality and
 * macro-event compare without case, `q` is the english full-text index.
 */
export function whereOf(filter: EventFilter, args: unknown[]): string {
  const p = (v: unknown): string => {
    args.push(v);
    return `$${args.length}`;
  };
  const given = (v: string | undefined | null): v is string => v !== undefined && v !== null && v !== '';
  const where: string[] = [];
  // undated events sort last, under UNDATED_SORT_KEY: a date range never includes them
  if (given(filter.from)) where.push(`s.sort_key >= ${p(filter.from)} AND s.sort_key < ${p(UNDATED_SORT_KEY)}`);
  if (given(filter.to)) where.push(`s.sort_key < ${p(filter.to + '\u0020')}`);
  if (given(filter.region)) {
    const values = regionValues(filter.region) ?? [filter.region.toUpperCase()];
    where.push(`s.region IN (${p(values[0])}, ${p(values[1] ?? values[0])})`);
  }
  if (given(filter.locality)) where.push(`lower(s.locality) = lower(${p(filter.locality)})`);
  if (given(filter.status)) where.push(`s.status = ${p(filter.status)}`);
  if (given(filter.macroevent)) where.push(`lower(s.macroevent) = lower(${p(filter.macroevent)})`);
  // an event an editor rejected is no event: left out unless asked for
  if (!filter.includeRejected) where.push("s.review_status <> 'rejected'");
  if (filter.verifiedOnly) where.push(`s.review_status IN (${PUBLISHED_STATUSES.map((v) => `'${v}'`).join(', ')})`);
  if (filter.q) {
    const words = searchWords(filter.q);
    // text without a single word matches nothing rather than everything; plainto_tsquery reads no operators
    where.push(words ? `s.body @@ plainto_tsquery('english', ${p(words.join(' '))})` : 'false');
  }
  if (filter.bbox) {
    const [w, s, e, n] = filter.bbox;
    where.push(w <= e ? `s.lon BETWEEN ${p(w)} AND ${p(e)}` : `(s.lon >= ${p(w)} OR s.lon <= ${p(e)})`, `s.lat BETWEEN ${p(s)} AND ${p(n)}`);
  }
  return where.length ? 'WHERE ' + where.join(' AND ') : '';
}

/** Appends a statement's argument and gives its placeholder, with a cast when `type` is given. */
type Param = (value: unknown, type?: string) => string;

/** Placeholders numbered from $1 as arguments are appended to `args`. */
function params(args: unknown[]): Param {
  return (value, type) => {
    args.push(value);
    return `$${args.length}${type ? '::' + type : ''}`;
  };
}

/**
 * Writes (or rewrites) the search rows of stored events from their records in one statement: filters, sort key,
 * full text (the english tsvector of searchBody), review state and queue doubt. What a store moved from SQLite
 * (src/store/move.ts) is indexed with; every write of an event runs the same statement (searchUpsert).
 */
export async function writeSearchRows(c: Db, records: EventRecord[]): Promise<void> {
  if (!records.length) return;
  const args: unknown[] = [];
  await c.query(searchUpsert(params(args), records, 'events'), args);
}

/** The statement of writeSearchRows, each event's row found by id in `events` (a table or a query's result with seq and id). */
function searchUpsert(p: Param, records: EventRecord[], events: string): string {
  const column = <T>(f: (r: EventRecord) => T, type: string) => p(records.map(f), type + '[]');
  return `INSERT INTO event_search (event_seq, id, sort_key, date, region, locality, status, macroevent, lat, lon, size_low, size_high, size_mean, body, review_status, doubt)
     SELECT e.seq, e.id, u.sort_key, u.date, u.region, u.locality, u.status, u.macroevent, u.lat, u.lon, u.size_low, u.size_high, u.size_mean,
       to_tsvector('english', u.body), u.review_status, u.doubt
     FROM unnest(${column((r) => r.id, 'text')}, ${column(sortKey, 'text')}, ${column((r) => r.date, 'text')}, ${column((r) => r.region, 'text')},
       ${column((r) => r.locality, 'text')}, ${column((r) => r.status, 'text')}, ${column((r) => r.macroevent, 'text')}, ${column((r) => r.lat, 'float8')},
       ${column((r) => r.lon, 'float8')}, ${column((r) => r.size_low, 'float8')}, ${column((r) => r.size_high, 'float8')}, ${column((r) => r.size_mean, 'float8')},
       ${column(searchBody, 'text')}, ${column((r) => r.review_status, 'text')}, ${column(queueDoubt, 'float8')})
       AS u(id, sort_key, date, region, locality, status, macroevent, lat, lon, size_low, size_high, size_mean, body, review_status, doubt)
     JOIN ${events} e ON e.id = u.id
     ON CONFLICT (event_seq) DO UPDATE SET sort_key = excluded.sort_key, date = excluded.date, region = excluded.region, locality = excluded.locality,
       status = excluded.status, macroevent = excluded.macroevent, lat = excluded.lat, lon = excluded.lon, size_low = excluded.size_low,
       size_high = excluded.size_high, size_mean = excluded.size_mean, body = excluded.body, review_status = excluded.review_status, doubt = excluded.doubt`;
}

/**
 * The statements that store an evidence write (EvidenceWrite) for event `id`, each as a query of a WITH: the parts it
 * replaces and does not write again deleted, its parts written over those stored (two statements of one WITH see
 * the same rows: none deletes a row the other writes).
 */
function evidenceStatements(p: Param, id: string, w: EvidenceWrite): string[] {
  const out: string[] = [];
  const parts = w.parts.map((x) => x.part);
  if (w.articles === 'all' || w.articles.length) {
    const named = w.articles === 'all' ? '' : ` AND part = ANY(${p(partNames(w.articles), 'text[]')})`;
    out.push(`DELETE FROM event_evidence WHERE event_id = ${p(id)}${named} AND part <> ALL(${p(parts, 'text[]')})`);
  }
  if (parts.length) {
    out.push(`INSERT INTO event_evidence (event_id, part, items) SELECT ${p(id)}, u.p, u.i FROM unnest(${p(parts, 'text[]')}, ${p(w.parts.map(partText), 'text[]')}) AS u(p, i)
      ON CONFLICT (event_id, part) DO UPDATE SET items = excluded.items`);
  }
  return out;
}

/** The statement of a revision row (see PgStore.addRevision). */
function revisionInsert(p: Param, id: string, revision: number, now: string, entry: RevisionEntry, changes: FieldChange[]): string {
  return `INSERT INTO event_revisions (event_id, revision, record, reason, created_at, action, by_user, changes, change_id)
    VALUES (${p(id)}, ${p(revision)}, '', ${p(entry.reason)}, ${p(now)}, ${p(entry.action)}, ${p(entry.by)}, ${p(JSON.stringify(changes.map(compactChange)))}, ${p(entry.changeId ?? null)})`;
}

/** `where` with one more condition. */
function and(where: string, condition: string): string {
  return (where ? where + ' AND ' : 'WHERE ') + condition;
}

export class PgStore implements Store {
  readonly backend = 'postgres' as const;
  /** the migrations this process applied when it opened the store */
  applied: number[] = [];

  constructor(
    private pool: pg.Pool,
    private effects: StoreEffects,
  ) {}

  /** The job queue the live record's jobs go on (openPgStore sets it): the server's address and pg-boss's schema. */
  jobsAt: { url: string; schema: string } | null = null;

  /**
   * The transaction running in this async context, and the events it wrote: a write called inside another write's
   * transaction (a feed item's job saving its article) joins it, and the deliveries of what it changed are queued on it.
   */
  private current = new AsyncLocalStorage<{ client: pg.PoolClient; changed: Changed[] }>();

  /** Applies every migration the store lacks, in one transaction under a lock: processes opening it at once wait. */
  async migrate(schema: string): Promise<number[]> {
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`turnout:migrate:${schema}`]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${schemaName(schema)}`);
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)');
      const done = new Set((await c.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      const applied: number[] = [];
      for (const m of PG_MIGRATIONS) {
        if (done.has(m.version)) continue;
        if (m.sql.trim()) await c.query(m.sql);
        await m.backfill?.(c);
        await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, this.effects.now()]);
        applied.push(m.version);
      }
      return applied;
    });
  }

  /**
   * Runs `fn` in one transaction on one connection; a deadlock or a serialization failure rolls it back and runs
   * it again (up to ATTEMPTS times), any other error rolls it back and is thrown.
   */
  async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const open = this.current.getStore();
    if (open) return fn(open.client);
    for (let attempt = 1; ; attempt++) {
      const c = await this.pool.connect();
      const scope = { client: c, changed: [] as Changed[] };
      try {
        await c.query('BEGIN');
        const result = await this.current.run(scope, () => fn(c));
        // webhooks hear of every event the transaction changed, in the same transaction (src/store/pg/live.ts)
        await this.live().queueDeliveries(c, scope.changed);
        await c.query('COMMIT');
        return result;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        if (attempt < ATTEMPTS && RETRYABLE.has((e as { code?: string }).code ?? '')) continue;
        throw e;
      } finally {
        c.release();
      }
    }
  }

  async rows<T>(db: Db, sql: string, args: unknown[] = []): Promise<T[]> {
    return (await db.query(sql, args)).rows as T[];
  }

  async one<T>(db: Db, sql: string, args: unknown[] = []): Promise<T | null> {
    return ((await db.query(sql, args)).rows[0] as T | undefined) ?? null;
  }

  /**
   * Takes the transaction-level advisory lock of each event key, in sorted order (so two writers never wait on each
   * other in a circle; a circle through merged events is a deadlock PostgreSQL breaks and tx retries).
   */
  async lockKeys(c: pg.PoolClient, keys: Iterable<string>): Promise<void> {
    const sorted = [...new Set(keys)].sort();
    // one statement: a function scan of the array gives its elements in order, and each lock is taken as its row is
    if (sorted.length) await c.query('SELECT pg_advisory_xact_lock(hashtext(k)) FROM unnest($1::text[]) AS k', [sorted]);
  }

  async hasArticle(id: string): Promise<boolean> {
    return (await this.one(this.pool, 'SELECT 1 FROM articles WHERE id = $1', [id])) !== null;
  }

  async saveArticle(article: Article, mentions: Mention[]): Promise<SaveOutcome> {
    return this.tx(async (c): Promise<SaveOutcome> => {
      const now = this.effects.now();
      const keys = mentions.map((m) => eventKey(m));
      const data = mentions.map((m) => JSON.stringify(m));
      // the article and its mentions in one statement (an article saved by another process at the same moment: this
      // insert waits for it, then inserts nothing); the mentions' ids are given in the order of their rows
      const { added, ids } = (await this.one<{ added: number; ids: number[] | null }>(
        c,
        `WITH a AS (
           INSERT INTO articles (id, name, url, title, publisher, published, published_source, text, flags, ingested_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING RETURNING id),
         m AS (
           INSERT INTO mentions (article_id, event_key, data)
           SELECT a.id, u.k, u.d FROM a CROSS JOIN unnest($11::text[], $12::text[]) WITH ORDINALITY AS u(k, d, n) ORDER BY u.n RETURNING id)
         SELECT (SELECT count(*) FROM a) AS added, (SELECT array_agg(id ORDER BY id) FROM m) AS ids`,
        [article.id, article.name, article.url, article.title, article.publisher, article.published, article.publishedSource, article.text, JSON.stringify(article.flags), now, keys, data],
      ))!;
      if (!added) return { article: 'unchanged', mentions: 0, eventsNew: 0, eventsUpdated: 0, changed: [] };
      // as a later read of the rows gives them (ids are never reused: a rollback leaves these unread)
      const source = sourceRef(article);
      (ids ?? []).forEach((id, i) => this.mentionCache.put(Number(id), { source, mention: JSON.parse(data[i]!) as Mention }));
      const changed = await this.remergeAll(c, keys, now, `article ${article.id}`, article.id, [article.id]);
      return {
        article: 'new',
        mentions: mentions.length,
        eventsNew: changed.filter((x) => x.created).length,
        eventsUpdated: changed.filter((x) => !x.created).length,
        changed,
      };
    });
  }

  async linkDuplicate(articleId: string, originalId: string, distance: number): Promise<SaveOutcome['changed']> {
    return this.tx(async (c) => {
      const added = await c.query('INSERT INTO article_duplicates (article_id, duplicate_of, distance) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        articleId,
        originalId,
        distance,
      ]);
      if (!added.rowCount) return [];
      const keys = (await this.rows<{ event_key: string }>(c, 'SELECT DISTINCT event_key FROM mentions WHERE article_id = $1', [articleId])).map((r) => r.event_key);
      return this.remergeAll(c, keys, this.effects.now(), `article ${articleId} is a copy of ${originalId}`, articleId, []);
    });
  }

  /**
   * Rebuilds the events that mentions under `keys` belong to (the event of each key, or the one an editor merged it
   * into), holding the lock of every key involved. `source` is the article read, which any dispute names; `added` the
   * articles whose mentions are new (their evidence is written; every other article's is as stored).
   */
  private async remergeAll(c: pg.PoolClient, keys: Iterable<string>, now: string, reason: string, source: string, added: string[]): Promise<Changed[]> {
    const own = [...new Set(keys)];
    const asked = own.flatMap((k) => [k, siblingKey(k)]);
    await this.lockKeys(c, asked);
    // a same-day plan and the action at its place that day link to each other: a change to one may link the other.
    // Each key read and each sibling with mentions, in that order, with the key of the event that stands for it.
    const rows = await this.rows<{ k: string; owner: string | null }>(
      c,
      `SELECT u.k, (${standingOf('event_key', 'u.k', 'event_key')}) AS owner
       FROM unnest($1::text[]) WITH ORDINALITY AS u(k, n)
       WHERE u.n % 2 = 1 OR EXISTS (SELECT 1 FROM mentions WHERE event_key = u.k) ORDER BY u.n`,
      [asked],
    );
    const all = new Set(rows.map((r) => r.k));
    const owners = new Set(rows.map((r) => r.owner ?? r.k));
    await this.lockKeys(c, [...owners].filter((k) => !all.has(k)));
    const changed: Changed[] = [];
    for (const k of owners) {
      const r = await this.remerge(c, k, now, { action: 'ingest', by: null, reason }, source, added);
      if (r) changed.push(r);
    }
    return changed;
  }

  /** Rebuilds the event for one key from all its mentions with the human values over them; writes a revision when it changed. */
  private async remerge(c: pg.PoolClient, key: string, now: string, entry: RevisionEntry, source: string | null, added: string[]): Promise<Changed | null> {
    const built = await this.rebuild(c, key, source, added);
    if (!built) return null;
    const { record, existing, before, evidence } = built;
    // one serialization of the stored record, compared with the stored one under its revision number
    const revision = existing ? existing.revision + 1 : 1;
    const json = storedRecordJson({ ...record, revision });
    if (existing && sameButRevision(existing.record, existing.revision, json, revision) && !(await this.evidenceDiffers(c, existing.id, evidence))) return null;
    return this.writeEvent(c, key, existing, before, record, now, entry, evidence, json);
  }

  /**
   * The record of the event under `key` rebuilt from its mentions with the human values laid over, the row it replaces
   * (its record as stored: no evidence), and the evidence parts of the articles `articles` (all of them for a new event).
   */
  async rebuild(
    c: pg.PoolClient,
    key: string,
    source: string | null,
    articles: string[] | 'all',
  ): Promise<{ record: EventRecord; existing: EventRow | null; before: EventRecord | null; evidence: EvidenceWrite } | null> {
    const state = await this.state(c, key);
    const machine = await this.machine(c, key, state);
    if (!machine) return null;
    const { existing, before } = this.storedRow(key, state);
    const { record, moved } = applyOverrides(machine.record, state.overrides, before, source);
    for (const o of moved) {
      await c.query('UPDATE event_overrides SET machine = $1 WHERE event_id = $2 AND field = $3', [JSON.stringify(o.machine ?? null), existing!.id, o.field]);
    }
    return { record, existing, before, evidence: evidenceWrite(key, machine.mentions, existing ? articles : 'all') };
  }

  /** The record the machine builds for the event under `key` from the mentions it owns (mergeMentions), or null. */
  async machineRecord(c: Db, key: string): Promise<EventRecord | null> {
    return (await this.machine(c, key))?.record ?? null;
  }

  /** The stored mentions rebuilds read (src/store/pg/mentions.ts). */
  private mentionCache = new MentionCache();

  /** The folds of recently rebuilt events' mentions, from the cache's mention objects (src/merge/fold.ts). */
  private folds = new MergeFolds();

  /** The records this process last wrote, by event key (see storedRow). */
  private written = new WrittenRecords<{ xmin: string }>();

  /**
   * What a rebuild of the event under `key` reads, in one statement: the ids of the mentions it owns (under its own
   * key and those of the events merged into it) and of its sibling's (siblingKey), the near-duplicates among its
   * articles, its stored row and its human values. The stored record is sent only when it is not the one this process
   * last wrote: that is known by the row's revision and xmin (the transaction that wrote the row's version, which
   * another process's write, or a rollback of this one's, changes).
   */
  private async state(c: Db, key: string): Promise<RebuildState> {
    const known = this.written.get(key);
    const row = (await this.one<{
      ids: number[] | null;
      sibling: number[] | null;
      copies: Array<[string, string]> | null;
      id: string | null;
      revision: number | null;
      xmin: string | null;
      record: string | null;
      overrides: Array<[Override['field'], string, string]> | null;
    }>(
      c,
      `WITH RECURSIVE ${OWNED},
       keys AS (SELECT coalesce((SELECT array_agg(event_key) FROM owned), ARRAY[$1::text]) AS k)
       SELECT
         (SELECT array_agg(id ORDER BY id) FROM mentions WHERE event_key = ANY((SELECT k FROM keys)::text[])) AS ids,
         (SELECT array_agg(id ORDER BY id) FROM mentions WHERE event_key = $2) AS sibling,
         (SELECT json_agg(json_build_array(d.article_id, d.duplicate_of)) FROM article_duplicates d
           WHERE d.article_id IN (SELECT article_id FROM mentions WHERE event_key = ANY((SELECT k FROM keys)::text[]))) AS copies,
         e.id, e.revision, e.xmin::text AS xmin, CASE WHEN e.revision = $3 AND e.xmin::text = $4 THEN NULL ELSE e.record END AS record,
         (SELECT json_agg(json_build_array(o.field, o.value, o.machine) ORDER BY o.field COLLATE "C") FROM event_overrides o WHERE o.event_id = e.id) AS overrides
       FROM (SELECT 1) one LEFT JOIN events e ON e.event_key = $1`,
      [key, siblingKey(key), known?.revision ?? null, known?.xmin ?? null],
    ))!;
    return {
      ids: (row.ids ?? []).map(Number),
      sibling: (row.sibling ?? []).map(Number),
      copyOf: new Map(row.copies ?? []),
      // the entry the server was told of, held here: another rebuild in this process may push it out of the cache meanwhile
      row: row.id === null ? null : row.record === null ? { id: row.id, revision: row.revision!, json: known!.json, written: known!.record } : { id: row.id, revision: row.revision!, json: row.record, written: null },
      overrides: (row.overrides ?? []).map(([field, value, machine]) => ({ field, value: JSON.parse(value) as unknown, machine: JSON.parse(machine) as unknown })),
    };
  }

  /** The stored row of the event under `key` and its record (as last written, when this process wrote it). */
  private storedRow(key: string, state: RebuildState): { existing: EventRow | null; before: EventRecord | null } {
    const row = state.row;
    if (!row) return { existing: null, before: null };
    const existing = { id: row.id, event_key: key, revision: row.revision };
    return { existing: { ...existing, record: row.json }, before: row.written ?? (JSON.parse(row.json) as EventRecord) };
  }

  /** machineRecord, and the mentions it was built from (`state`: as read for it, else read now). */
  private async machine(c: Db, key: string, given?: RebuildState): Promise<{ record: EventRecord; mentions: Mention[] } | null> {
    const state = given ?? (await this.state(c, key));
    const rows = await this.mentionCache.list(c, state.ids);
    if (!rows.length) return null;
    const sources = new Map<string, SourceRef>();
    for (const r of rows) sources.set(r.source.id, r.source);
    const copyOf = state.copyOf;
    const mentions = rows.map((r) => r.mention);
    const sibling = (await this.mentionCache.list(c, state.sibling)).map((r) => r.mention);
    const links = sibling.length ? planLinks(key, mentions, sibling) : { realized_by: null, plan_of: null };
    return { record: mergeMentions(key, mentions, sources, copyOf, links, this.folds), mentions };
  }

  async ownedKeys(c: Db, key: string): Promise<string[]> {
    const keys = (await this.rows<{ event_key: string }>(c, OWNED_KEYS, [key])).map((r) => r.event_key);
    return keys.length ? keys : [key];
  }

  async standing(c: Db, column: 'id' | 'event_key', value: string): Promise<{ id: string; event_key: string } | null> {
    return this.one(c, standingOf(column, '$1', 'id, event_key'), [value]);
  }

  async overridesOf(c: Db, id: string): Promise<Override[]> {
    const rows = await this.rows<{ field: Override['field']; value: string; machine: string }>(
      c,
      'SELECT field, value, machine FROM event_overrides WHERE event_id = $1 ORDER BY field COLLATE "C"',
      [id],
    );
    return rows.map((r) => ({ field: r.field, value: JSON.parse(r.value) as unknown, machine: JSON.parse(r.machine) as unknown }));
  }

  /** An event that stands (not merged into another): its row with its record as served, or null. */
  async liveRow(c: Db, id: string): Promise<EventRow | null> {
    return this.one<EventRow>(c, `SELECT e.id, e.event_key, e.revision, ${RECORD} AS record FROM events e WHERE e.id = $1 AND e.merged_into IS NULL`, [id]);
  }

  /** Whether an evidence write would change the parts stored for event `id`. */
  private async evidenceDiffers(c: Db, id: string, w: EvidenceWrite): Promise<boolean> {
    if (w.articles !== 'all' && !w.articles.length) return false;
    const stored =
      w.articles === 'all'
        ? await this.rows<{ part: string; items: string }>(c, 'SELECT part, items FROM event_evidence WHERE event_id = $1 ORDER BY part', [id])
        : await this.rows<{ part: string; items: string }>(c, 'SELECT part, items FROM event_evidence WHERE event_id = $1 AND part = ANY($2::text[]) ORDER BY part', [
            id,
            partNames(w.articles),
          ]);
    return !sameParts(stored, w);
  }

  /**
   * The event `id` for a person's action, with its key's lock held: read, locked, then read again (an ingest may
   * have changed it while this waited). Null when it is unknown or merged away.
   */
  async lockedRow(c: pg.PoolClient, id: string): Promise<EventRow | null> {
    const first = await this.liveRow(c, id);
    if (!first) return null;
    await this.lockKeys(c, [first.event_key]);
    return this.liveRow(c, id);
  }

  /**
   * Stores `record` as the next revision of the event under `key`: the row, its search row, its evidence parts
   * (`evidence`; null when its evidence is as stored) and a revision with its field changes. `serialized`: the stored
   * record's JSON (storedRecordJson), when the caller has it.
   */
  async writeEvent(
    c: pg.PoolClient,
    key: string,
    existing: EventRow | null,
    before: EventRecord | null,
    record: EventRecord,
    now: string,
    entry: RevisionEntry,
    evidence: EvidenceWrite | null,
    serialized?: string,
  ): Promise<Changed> {
    const revision = existing ? existing.revision + 1 : 1;
    const stored: EventRecord = { ...record, revision };
    const json = serialized ?? storedRecordJson(stored);
    // one statement, one round trip: the row, then what follows from it, each a query of one WITH
    const args: unknown[] = [];
    const p = params(args);
    const row = existing
      ? `UPDATE events SET date = ${p(stored.date)}, region = ${p(stored.region)}, locality = ${p(stored.locality)}, status = ${p(stored.status)},
           macroevent = ${p(stored.macroevent)}, revision = ${p(revision)}, record = ${p(json)}, updated_at = ${p(now)} WHERE id = ${p(existing.id)}`
      : `INSERT INTO events (date, region, locality, status, macroevent, revision, record, updated_at, created_at, id, event_key)
           VALUES (${p(stored.date)}, ${p(stored.region)}, ${p(stored.locality)}, ${p(stored.status)}, ${p(stored.macroevent)}, ${p(revision)}, ${p(json)}, ${p(now)},
           ${p(now)}, ${p(stored.id)}, ${p(key)})`;
    const changes = [...(entry.extra ?? []), ...recordChanges(before, stored)];
    const statements = [
      `ev AS (${row} RETURNING seq, id, xmin::text AS xmin)`,
      `search AS (${searchUpsert(p, [stored], 'ev')})`,
      `revision AS (${revisionInsert(p, stored.id, revision, now, entry, changes)})`,
      ...(evidence ? evidenceStatements(p, stored.id, evidence) : []).map((q, n) => `evidence${n} AS (${q})`),
    ];
    const { xmin } = (await this.one<{ xmin: string }>(c, `WITH ${statements.join(',\n')} SELECT xmin FROM ev`, args))!;
    this.written.set(key, { revision, xmin, json, record: stored });
    const changed: Changed = { id: stored.id, revision, created: !existing };
    // a rejection is not announced (the event quietly leaves the record), as on SQLite; every other write is
    const rejection = entry.action === 'review' && stored.review_status === 'rejected';
    if (!rejection) this.current.getStore()?.changed.push({ ...changed, change: changed.created ? 'ingest' : entry.action });
    return changed;
  }

  /**
   * A revision row: what changed (arrays as splices: compactChange), who (null: the machine), why (for the machine,
   * the article read). Never the whole record, so an event's revisions grow with its reports, not with their square.
   */
  async addRevision(c: pg.PoolClient, id: string, revision: number, now: string, entry: RevisionEntry, changes: FieldChange[]): Promise<void> {
    const args: unknown[] = [];
    await c.query(revisionInsert(params(args), id, revision, now, entry, changes), args);
  }

  /**
   * Takes an event out of every list as merged into `into` (a merge, or an undone split): its row stays, for its
   * history and for its key, which later mentions follow to the event that stands.
   */
  async retire(c: pg.PoolClient, row: EventRow, into: string, now: string, entry: RevisionEntry): Promise<void> {
    const revision = row.revision + 1;
    const record = { ...(JSON.parse(row.record) as EventRecord), revision };
    await c.query('UPDATE events SET merged_into = $1, revision = $2, record = $3, updated_at = $4 WHERE id = $5', [into, revision, storedRecordJson(record), now, row.id]);
    // its quotes are the survivor's now (a merge), or were never its own (an undone split): written there
    await c.query('DELETE FROM event_evidence WHERE event_id = $1', [row.id]);
    await c.query('DELETE FROM event_search WHERE event_seq = (SELECT seq FROM events WHERE id = $1)', [row.id]);
    await this.addRevision(c, row.id, revision, now, entry, entry.extra ?? []);
  }

  async recentChanges(filter: EventFilter, limit: number): Promise<EventChange[]> {
    const args: unknown[] = [];
    const where = whereOf(filter, args);
    const rows = await this.rows<{ record: string; revision: number; created_at: string; updated_at: string }>(
      this.pool,
      `SELECT ${RECORD} AS record, e.revision, e.created_at, e.updated_at FROM ${FROM_SEARCH} ${where} ORDER BY e.updated_at COLLATE "C" DESC, e.id COLLATE "C" LIMIT ${Math.max(1, Math.floor(limit))}`,
      args,
    );
    return rows.map((r) => ({ record: JSON.parse(r.record) as EventRecord, revision: r.revision, created_at: r.created_at, updated_at: r.updated_at }));
  }

  async listEvents(filter: EventFilter = {}): Promise<EventRecord[]> {
    const args: unknown[] = [];
    const where = whereOf(filter, args);
    const limit = filter.limit ? ' LIMIT ' + Math.max(1, Math.floor(filter.limit)) : '';
    const rows = await this.rows<{ record: string }>(this.pool, `SELECT ${RECORD} AS record FROM ${FROM_SEARCH} ${where} ORDER BY s.sort_key${limit}`, args);
    return rows.map((r) => JSON.parse(r.record) as EventRecord);
  }

  async pageEvents(filter: EventFilter, page: PageRequest): Promise<EventPage> {
    const p = await this.pageEventsJson(filter, page);
    return { ...p, events: p.events.map((r) => JSON.parse(r) as EventRecord) };
  }

  /** Counts of recent filters with the store version they were read at (countsOf), most recently used last. */
  private pageCounts = new Map<string, { version: string; total: number; planned: number }>();

  /**
   * The total and planned counts of `where` (the filter's WHERE on the search table): reused while the store version
   * is `version` (the one the page was read at, in the same statement), since no write to the events has been
   * committed since they were counted; otherwise counted again. Counting 100,000 rows costs tens of milliseconds,
   * the page one.
   */
  private async countsOf(where: string, args: unknown[], version: string | undefined): Promise<{ total: number; planned: number }> {
    const key = where + '\u0000' + JSON.stringify(args);
    const hit = this.pageCounts.get(key);
    if (hit && version !== undefined && hit.version === version) return hit;
    const count = await this.one<{ version: string; total: number; planned: number }>(
      this.pool,
      `SELECT (${STORE_WRITES}) AS version, count(*) AS total, count(*) FILTER (WHERE s.status = 'planned') AS planned FROM event_search s ${where}`,
      args,
    );
    const fresh = { version: count!.version, total: Number(count!.total), planned: Number(count!.planned) };
    this.pageCounts.delete(key);
    this.pageCounts.set(key, fresh);
    if (this.pageCounts.size > COUNTS_KEPT) this.pageCounts.delete(this.pageCounts.keys().next().value!);
    return fresh;
  }

  async pageEventsJson(filter: EventFilter, page: PageRequest): Promise<EventPage<string>> {
    // (a cursor this store did not issue throws CursorError before any query)
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    const limit = Math.max(1, Math.floor(page.limit));
    const args: unknown[] = [];
    let where = whereOf(filter, args);
    if (after !== null) {
      args.push(after);
      where = and(where, `s.sort_key > $${args.length}`);
    }
    // the page is chosen on the narrow table first; only its records are read. The store version it was read at
    // says whether the filter's counts kept from an earlier page still hold.
    const rows = await this.rows<{ sort_key: string; record: string; version: string }>(
      this.pool,
      `SELECT p.sort_key, ${RECORD} AS record, (${STORE_WRITES}) AS version FROM (SELECT s.event_seq, s.sort_key FROM event_search s ${where} ORDER BY s.sort_key LIMIT ${limit + 1}) p
       JOIN events e ON e.seq = p.event_seq ORDER BY p.sort_key`,
      args,
    );
    const countArgs: unknown[] = [];
    const count = await this.countsOf(whereOf(filter, countArgs), countArgs, rows[0]?.version);
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    return {
      events: shown.map((r) => r.record),
      nextCursor: more ? encodeCursor(shown[shown.length - 1]!.sort_key) : null,
      total: count.total,
      planned: count.planned,
    };
  }

  async pointsJson(filter: EventFilter): Promise<string> {
    const args: unknown[] = [];
    const where = and(whereOf(filter, args), 's.lat IS NOT NULL AND s.lon IS NOT NULL');
    // PostgreSQL writes the JSON itself: a hundred thousand rows never become JavaScript objects. Written without
    // spaces, as SQLite's json_group_array does (json_agg's ", " makes the body of 100,000 points 7% larger)
    const row = await this.one<{ points: string }>(
      this.pool,
      `SELECT '[' || coalesce(string_agg(format('[%s,%s,%s,%s,%s]', to_json(s.id), to_json(s.lon), to_json(s.lat), coalesce(to_json(s.status)::text, 'null'),
         coalesce(to_json(s.size_mean)::text, 'null')), ','), '') || ']' AS points FROM event_search s ${where}`,
      args,
    );
    return row?.points ?? '[]';
  }

  async stats(group: StatsGroup, filter: EventFilter): Promise<StatsRow[]> {
    const g = STATS_GROUPS[group];
    const args: unknown[] = [];
    const where = whereOf(filter, args);
    return this.rows<StatsRow>(
      this.pool,
      `SELECT ${g.key} AS key, count(*) AS events, count(*) FILTER (WHERE s.status <> 'planned') AS occurred, count(*) FILTER (WHERE s.status = 'planned') AS planned,
         coalesce(sum(s.size_low) FILTER (WHERE s.status = 'occurred'), 0) AS size_low, coalesce(sum(s.size_high) FILTER (WHERE s.status = 'occurred'), 0) AS size_high
       FROM event_search s ${where} GROUP BY ${g.group} ORDER BY ${g.group} IS NULL, ${g.order}`,
      args,
    );
  }

  async regions(): Promise<string[]> {
    return (await this.rows<{ region: string }>(this.pool, 'SELECT DISTINCT region FROM event_search WHERE region IS NOT NULL ORDER BY region')).map((r) => r.region);
  }

  /** The event `id` as it stands (read on `c` inside a transaction, to see its own writes). */
  async getEvent(id: string, c: Db = this.pool): Promise<EventRecord | null> {
    const row = await this.liveRow(c, id);
    return row ? (JSON.parse(row.record) as EventRecord) : null;
  }

  async resolveMerged(id: string): Promise<string | null> {
    const row = await this.one<{ merged_into: string | null }>(this.pool, 'SELECT merged_into FROM events WHERE id = $1', [id]);
    return row?.merged_into ? ((await this.standing(this.pool, 'id', row.merged_into))?.id ?? null) : null;
  }

  async counts(): Promise<StoreCounts> {
    const row = await this.one<StoreCounts>(
      this.pool,
      `SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM mentions) AS mentions,
         (SELECT count(*) FROM events WHERE merged_into IS NULL) AS events, (SELECT count(*) FROM event_revisions) AS revisions`,
    );
    return row!;
  }

  async reviewQueue(filter: EventFilter, page: PageRequest): Promise<QueuePage> {
    const after = page.cursor ? decodeQueueCursor(page.cursor) : null;
    // the queue's own filters only, as on SQLite
    const queueFilter: EventFilter = { from: filter.from, to: filter.to, region: filter.region, macroevent: filter.macroevent };
    const countArgs: unknown[] = [];
    const count = await this.one<{ total: number }>(this.pool, `SELECT count(*) AS total FROM event_search s ${and(whereOf(queueFilter, countArgs), 's.doubt IS NOT NULL')}`, countArgs);
    const limit = Math.max(1, Math.floor(page.limit));
    const args: unknown[] = [];
    let where = and(whereOf(queueFilter, args), 's.doubt IS NOT NULL');
    if (after) {
      args.push(...after);
      where = and(where, `(s.doubt, s.event_seq) < ($${args.length - 1}, $${args.length})`);
    }
    const rows = await this.rows<{ doubt: number; event_seq: number; record: string }>(
      this.pool,
      `SELECT p.doubt, p.event_seq, ${RECORD} AS record FROM (SELECT s.event_seq, s.doubt FROM event_search s ${where} ORDER BY s.doubt DESC, s.event_seq DESC LIMIT ${limit + 1}) p
       JOIN events e ON e.seq = p.event_seq ORDER BY p.doubt DESC, p.event_seq DESC`,
      args,
    );
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    const records = shown.map((r) => JSON.parse(r.record) as EventRecord);
    const days = await this.daysAround(records);
    const items: QueueItem[] = [];
    for (const record of records) {
      const neighbours: Neighbour[] = [];
      for (const n of nearby(record, days)) neighbours.push({ record: (await this.getEvent(n.id))!, km: n.km });
      items.push({ record, ...doubtOf(record), neighbours });
    }
    const last = shown[shown.length - 1];
    return { items, nextCursor: more && last ? encodeQueueCursor(last.doubt, last.event_seq) : null, total: count?.total ?? 0 };
  }

  /** The events (not rejected) of every day within one day of the records' dates, by day: where merge suggestions are looked for. */
  private async daysAround(records: EventRecord[]): Promise<Map<string, NeighbourRow[]>> {
    const days = new Map<string, NeighbourRow[]>();
    for (const r of records) {
      if (!r.date) continue;
      for (const day of daysWithinOne(r.date)) {
        if (days.has(day)) continue;
        days.set(
          day,
          await this.rows<NeighbourRow>(
            this.pool,
            "SELECT s.event_seq AS event_rowid, s.id, s.lat, s.lon, s.date, s.locality, s.region FROM event_search s WHERE s.sort_key >= $1 AND s.sort_key < $2 AND s.review_status <> 'rejected'",
            [day, day + '\u0020'],
          ),
        );
      }
    }
    return days;
  }

  async reviewEvent(id: string, req: ReviewRequest): Promise<ReviewResult> {
    return this.tx(async (c): Promise<ReviewResult> => {
      const row = await this.lockedRow(c, id);
      if (!row) return { outcome: 'not-found' };
      if (row.revision !== req.revision) return { outcome: 'conflict', revision: row.revision };
      const now = this.effects.now();
      const before = JSON.parse(row.record) as EventRecord;
      const record = reviewedRecord(before, req.action, req.user, now);
      const changed = await this.writeEvent(c, row.event_key, row, before, record, now, { action: 'review', by: req.user, reason: humanReason(req.action, req.user, req.reason) }, null);
      return { outcome: 'reviewed', record: { ...record, revision: changed.revision } };
    });
  }

  async editEvent(id: string, req: EditRequest): Promise<EditResult> {
    return this.tx(async (c): Promise<EditResult> => {
      const row = await this.lockedRow(c, id);
      if (!row) return { outcome: 'not-found' };
      if (row.revision !== req.revision) return { outcome: 'conflict', revision: row.revision };
      const now = this.effects.now();
      const machine = (await this.machineRecord(c, row.event_key))!;
      const before = JSON.parse(row.record) as EventRecord;
      const out = applyEdit(machine, before, await this.overridesOf(c, id), req.changes, req.user, now);
      if (out.outcome === 'invalid') return out;
      for (const o of out.keep) {
        await c.query(
          `INSERT INTO event_overrides (event_id, field, value, machine, by_user, at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (event_id, field) DO UPDATE SET value = excluded.value, by_user = excluded.by_user, at = excluded.at, reason = excluded.reason`,
          [id, o.field, JSON.stringify(o.value ?? null), JSON.stringify(o.machine ?? null), req.user, now, req.reason],
        );
      }
      const changed = await this.writeEvent(c, row.event_key, row, before, out.record, now, { action: 'edit', by: req.user, reason: humanReason('edit', req.user, req.reason) }, null);
      return { outcome: 'edited', record: { ...out.record, revision: changed.revision } };
    });
  }

  private editorOf: PgEditor | null = null;

  /** Merges, splits, undo and history (src/store/pg/edits.ts), on this store's transactions. */
  private editor(): PgEditor {
    this.editorOf ??= new PgEditor(this, () => this.effects.now());
    return this.editorOf;
  }

  /** The pool, for reads outside a transaction (src/store/pg/edits.ts). */
  get reader(): pg.Pool {
    return this.pool;
  }

  mergeEvents(req: MergeRequest): Promise<MergeResult> {
    return this.editor().merge(req);
  }

  splitEvent(id: string, req: SplitRequest): Promise<SplitResult> {
    return this.editor().split(id, req);
  }

  undoChange(id: string, req: UndoRequest): Promise<UndoResult> {
    return this.editor().undo(id, req);
  }

  eventHistory(id: string): Promise<HistoryEntry[] | null> {
    return this.editor().history(id);
  }

  async eventMentions(id: string): Promise<MentionView[] | null> {
    const row = await this.liveRow(this.pool, id);
    if (!row) return null;
    const rows = await this.rows<MentionRow>(
      this.pool,
      `SELECT m.id, m.data, a.id AS article_id, a.name, a.url, a.title, a.publisher, a.published FROM mentions m JOIN articles a ON a.id = m.article_id
       WHERE m.event_key = ANY($1::text[]) ORDER BY m.id`,
      [await this.ownedKeys(this.pool, row.event_key)],
    );
    return rows.map(mentionView);
  }

  /**
   * The number of committed writes to the events (migration 14: every statement writing the events or their search
   * rows counts one, in any process). It changes with every such commit, and with nothing else on the server. Read
   * before the data it guards, as the API's kept answers do.
   */
  async version(): Promise<string | null> {
    return (await this.one<{ writes: string }>(this.pool, STORE_WRITES))!.writes;
  }

  /**
   * Folds the write counts of connections that have ended into row 0, in one statement: the sum, and so the store
   * version, stays the same, and the table keeps about one row per connection alive. Run when a store is opened.
   */
  async foldStoreWrites(): Promise<void> {
    await this.pool.query(
      `WITH gone AS (DELETE FROM store_writes WHERE backend <> 0 AND backend NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL) RETURNING writes)
       INSERT INTO store_writes (backend, writes) SELECT 0, sum(writes) FROM gone HAVING count(*) > 0
       ON CONFLICT (backend) DO UPDATE SET writes = store_writes.writes + excluded.writes`,
    );
  }

  private accountStore: PgAccountStore | null = null;

  private liveStore: PgLiveStore | null = null;

  /** Feed sources, items, webhooks and deliveries on the same server, their jobs on pg-boss (src/store/pg/live.ts). */
  live(): PgLiveStore {
    this.liveStore ??= new PgLiveStore(this, () => this.effects.now(), async () => {
      if (!this.jobsAt) throw new Error('this store was opened without a job queue');
      return (await import('../../jobs/live.js')).openJobSender(this.jobsAt.url, this.jobsAt.schema);
    });
    return this.liveStore;
  }

  /** Users, roles, API tokens and browser sessions on the same server (src/store/pg/accounts.ts). */
  accounts(): AsyncAccountStore {
    this.accountStore ??= new PgAccountStore({ pool: this.pool, tx: (fn) => this.tx(fn) }, () => this.effects.now());
    return this.accountStore;
  }

  /** The newest migration applied to the store. */
  async schemaVersion(): Promise<number> {
    return (await this.one<{ v: number }>(this.pool, 'SELECT max(version) AS v FROM schema_migrations'))?.v ?? 0;
  }

  /** Each article commits as it comes: a transaction's locks hold up workers on other machines. */
  grouped<T>(work: (saved: () => void) => Promise<T>): Promise<T> {
    return work(() => {});
  }

  async close(): Promise<void> {
    await this.liveStore?.close();
    await this.pool.end();
  }
}

/** A pool of connections to `url` whose tables are looked up in `schema`. */
function connect(url: string, schema: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, types: TYPES, options: `-c search_path=${schemaName(schema)}`, max });
  // an idle connection the server drops is an error event on the pool: without a listener it would end the process
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Opens the PostgreSQL store at `url` (postgres://user@host:port/database) and applies any migration it lacks. With
 * options.schema its tables live in that schema (created when missing): tests use a fresh one per run.
 */
export async function openPgStore(url: string, options: OpenOptions = {}): Promise<PgStore> {
  const schema = options.schema ?? 'public';
  const pool = connect(url, schema, 8);
  const store = new PgStore(pool, options.effects ?? systemClock);
  store.jobsAt = { url, schema: options.jobSchema ?? 'pgboss' };
  try {
    store.applied = await store.migrate(schema);
    await store.foldStoreWrites();
  } catch (e) {
    await pool.end();
    throw e;
  }
  return store;
}
