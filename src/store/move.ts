// Moving a store (issue 11): `turnout migrate --from sqlite FILE --to postgres://...` copies every table of a SQLite
// store that the PostgreSQL store has (events, mentions, evidence, revisions, edits, accounts, and the live record:
// sources, fetch log, feed items, jobs, webhooks, deliveries), then verifies it.
//
// Three passes over the SQLite file, read-only and in one read transaction (one snapshot):
//  1. check: every SQLite row whose key the target already holds must hold the same values there; any difference
//     refuses the move before anything is written (MoveConflict names the table and the ids);
//  2. copy: the rows the target lacks, 1,000 per INSERT ... ON CONFLICT DO NOTHING, one transaction per batch, so an
//     interrupted move resumes and a second move copies nothing; then the search rows are rebuilt by the PostgreSQL
//     store's own writer (writeSearchRows: its tsvector, sort key and queue doubt, from each record) and the identity
//     sequences are moved past the copied ids;
//  3. verify: per table, the row counts and a SHA-256 of the rows (read on each side in the same order) are equal, and
//     per event, the SHA-256 of its record as canonical JSON (keys sorted) is equal on both sides (the record as
//     stored, without its evidence: the evidence parts are a table of their own, compared as the others are).
//
// Column differences are written out in TABLES, and checked against both schemas before anything is read: a column on
// one side that the move does not place is an error, never a silent loss.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type pg from 'pg';
import type { EventRecord } from '../core/types.js';
import { openPgStore, RECORD, writeSearchRows, type PgStore } from './pg/index.js';
import { PG_MIGRATIONS } from './pg/migrations.js';
import { MIGRATIONS } from './sqlite/migrations.js';

/** How one table moves. Column names are PostgreSQL's; `from` names the SQLite column where it differs. */
interface TableSpec {
  table: string;
  /** the primary key on PostgreSQL (the rows compared and skipped on a rerun) */
  key: string[];
  /** PostgreSQL column -> SQLite column, where the names differ (SQLite's rowid is PostgreSQL's seq) */
  from?: Record<string, string>;
  /** PostgreSQL columns computed there from the record, not copied (the search table's tsvector) */
  derived?: string[];
  /** columns naming a later row of the same table (a foreign key): written in a second pass, once every row is there */
  later?: string[];
  /** rows not copied but rebuilt by the PostgreSQL store from its events, then compared with SQLite's */
  rebuilt?: boolean;
}

/** Every table that moves, in an order that keeps foreign keys satisfied. */
const TABLES: TableSpec[] = [
  { table: 'articles', key: ['id'] },
  { table: 'article_hashes', key: ['article_id'], from: { seq: 'rowid' } },
  { table: 'article_duplicates', key: ['article_id', 'duplicate_of'] },
  { table: 'mentions', key: ['id'] },
  { table: 'events', key: ['id'], from: { seq: 'rowid' } },
  // before the search rows, which are written from the records with their evidence
  { table: 'event_evidence', key: ['event_id', 'part'] },
  { table: 'event_search', key: ['event_seq'], from: { event_seq: 'event_rowid' }, derived: ['body'], rebuilt: true },
  { table: 'event_revisions', key: ['event_id', 'revision'] },
  { table: 'event_overrides', key: ['event_id', 'field'] },
  { table: 'event_changes', key: ['id'], later: ['undone_by'] },
  { table: 'sources', key: ['id'] },
  { table: 'fetch_log', key: ['id'] },
  { table: 'items', key: ['id'] },
  { table: 'jobs', key: ['id'] },
  { table: 'webhooks', key: ['id'] },
  { table: 'deliveries', key: ['id'] },
  { table: 'users', key: ['id'] },
  { table: 'api_tokens', key: ['id'] },
  { table: 'sessions', key: ['id'] },
  { table: 'login_failures', key: ['id'] },
];

/** SQLite tables that are not moved, and why (said in the summary). */
const NOT_MOVED: Array<[RegExp, string]> = [
  [/^schema_migrations$/, 'each store records its own migrations (the versions must be equal)'],
  [/^events_fts(_.*)?$/, "PostgreSQL's full text is event_search.body, rebuilt from each record"],
  [/^sqlite_/, "SQLite's own bookkeeping"],
];

const BATCH = 1000;
/** How many differing ids a refusal or a failed verification names, per table. */
const NAMED = 10;

export interface MoveOptions {
  /** PostgreSQL schema of the target's tables (public by default; tests use a fresh one) */
  schema?: string;
  /** rows per INSERT (1,000 by default) */
  batch?: number;
  /** progress lines (rows per table), for long runs */
  progress?: (line: string) => void;
}

/** One table in the summary. */
export interface TableReport {
  table: string;
  /** rows on SQLite, and on PostgreSQL after the move */
  source: number;
  target: number;
  /** rows this run wrote (inserted, or rebuilt) */
  copied: number;
  /** SHA-256 of the rows as read on each side (SQLite's order), hex */
  sourceSum: string;
  targetSum: string;
  /** keys of SQLite rows that PostgreSQL lacks or holds differently (up to NAMED) */
  differing: string[];
  ok: boolean;
}

/** A SQLite table that was not copied, and why. */
export interface NotMoved {
  table: string;
  rows: number;
  reason: string;
  /** true when rows were left behind that the target should have had: the move does not verify */
  lost: boolean;
}

export interface MoveReport {
  tables: TableReport[];
  /** per-event checksums of the stored records: how many compared, how many equal, the ids that differ (up to NAMED) */
  events: { checked: number; equal: number; differing: string[] };
  notMoved: NotMoved[];
  /** every table's counts and checksums and every event's checksum equal, and nothing left behind */
  ok: boolean;
}

/** The target already holds other values under the same keys: the move refuses, naming them, and writes nothing. */
export class MoveConflict extends Error {
  constructor(readonly conflicts: Array<{ table: string; keys: string[]; more: number }>) {
    super(
      'the PostgreSQL store already holds different data for the same ids, so nothing was copied: ' +
        conflicts.map((c) => `${c.table} ${c.keys.join(', ')}${c.more ? ` (and ${c.more} more)` : ''}`).join('; '),
    );
  }
}

/** A store that cannot be moved as it is (an old or newer schema, a column the move does not know). */
export class MoveError extends Error {}

type Row = unknown[];

/** A table's columns on both sides: PostgreSQL's names in order, SQLite's expression for each, and array types for lookups. */
interface Plan {
  spec: TableSpec;
  columns: string[];
  sources: string[];
  types: Map<string, string>;
  keyIndex: number[];
  laterIndex: number[];
  identity: string | null;
  /** rows on SQLite (for progress lines) */
  rows: number;
  /** PostgreSQL's unique constraints besides the key (their columns): another row holding the same values keeps a row out */
  unique: string[][];
}

/** JSON with object keys sorted at every depth: the same text for the same value on either side. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The SHA-256 (hex) of a stored record's canonical JSON: the per-event checksum. */
export function recordChecksum(record: string): string {
  return createHash('sha256').update(canonicalJson(JSON.parse(record) as EventRecord)).digest('hex');
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The key of a row as text (for maps and messages): the value itself, or the values joined by "/". */
function keyText(row: Row, plan: Plan): string {
  return plan.keyIndex.map((i) => String(row[i])).join('/');
}

/**
 * Copies the SQLite store at `file` into the PostgreSQL store at `url` (its migrations applied first) and verifies
 * the copy. Refuses (MoveConflict) when the target holds other values under the same keys; a rerun copies nothing.
 */
export async function moveStore(file: string, url: string, options: MoveOptions = {}): Promise<MoveReport> {
  const size = options.batch ?? BATCH;
  return withStores(file, url, options, async (src, store, plans, notMoved) => {
    const say = progressOf(options.progress);
    const conflicts: MoveConflict['conflicts'] = [];
    const missing = new Map<string, number>();
    for (const plan of plans) {
      const found = await check(src, store, plan, size, say);
      missing.set(plan.spec.table, found.missing);
      if (found.differing.length) conflicts.push({ table: plan.spec.table, keys: found.differing.slice(0, NAMED), more: Math.max(0, found.differing.length - NAMED) });
    }
    if (conflicts.length) throw new MoveConflict(conflicts);
    const copied = new Map<string, number>();
    for (const plan of plans) {
      const n = plan.spec.rebuilt ? await rebuildSearch(store, plan, size, say) : missing.get(plan.spec.table) ? await copy(src, store, plan, size, say) : 0;
      // (also when nothing was missing: a move stopped between the rows and their later columns left them empty)
      if (plan.laterIndex.length) await fillLater(src, store, plan, size);
      copied.set(plan.spec.table, n);
    }
    await resetSequences(store, plans);
    // a bulk load leaves the planner without statistics and the visibility map empty until autovacuum comes by
    // (never, where it is off): the first queries would read every row. VACUUM cannot run in a transaction.
    if ([...copied.values()].some((n) => n > 0)) await store.reader.query(`VACUUM (ANALYZE) ${plans.map((p) => quote(p.spec.table)).join(', ')}`);
    return verifyPlans(src, store, plans, notMoved, copied, size, say);
  });
}

/** Verifies, without writing, that the PostgreSQL store at `url` holds everything of the SQLite store at `file`. */
export async function verifyMove(file: string, url: string, options: MoveOptions = {}): Promise<MoveReport> {
  return withStores(file, url, options, (src, store, plans, notMoved) =>
    verifyPlans(src, store, plans, notMoved, new Map(), options.batch ?? BATCH, progressOf(options.progress)),
  );
}

/** Opens both stores (SQLite read-only, in one read transaction; PostgreSQL with its migrations), plans the tables, runs `fn`, closes both. */
async function withStores<T>(
  file: string,
  url: string,
  options: MoveOptions,
  fn: (src: Database.Database, store: PgStore, plans: Plan[], notMoved: NotMoved[]) => Promise<T>,
): Promise<T> {
  let src: Database.Database;
  try {
    src = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new MoveError(`cannot open the SQLite store ${file}: ${(e as Error).message}`);
  }
  try {
    checkVersions(src, file);
    const store = await openPgStore(url, { schema: options.schema });
    try {
      src.exec('BEGIN');
      const { plans, notMoved } = await planTables(src, store);
      return await fn(src, store, plans, notMoved);
    } finally {
      if (src.inTransaction) src.exec('ROLLBACK');
      await store.close();
    }
  } finally {
    src.close();
  }
}

/** The SQLite store must be at the newest schema, which must be PostgreSQL's newest too (version N is the same schema on both). */
function checkVersions(src: Database.Database, file: string): void {
  let version: number;
  try {
    version = (src.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0;
  } catch (e) {
    throw new MoveError(`${file} is not a turnout store (${(e as Error).message})`);
  }
  const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
  const pgNewest = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]!.version;
  if (version < newest) throw new MoveError(`${file} is at schema version ${version}, not ${newest}: run "turnout migrate --db ${file}" first (the move opens it read-only)`);
  if (version > newest) throw new MoveError(`${file} is at schema version ${version}, newer than this turnout knows (${newest})`);
  if (pgNewest !== newest) throw new MoveError(`the PostgreSQL migrations end at version ${pgNewest} and SQLite's at ${newest}: this turnout cannot move stores`);
}

/** SQLite's column names of a table (empty when there is no such table). */
function sqliteColumns(src: Database.Database, table: string): string[] {
  return (src.prepare(`PRAGMA table_info(${quote(table)})`).all() as Array<{ name: string }>).map((c) => c.name);
}

/** Rows of a SQLite table. */
function sqliteCount(src: Database.Database, table: string): number {
  return src.prepare(`SELECT count(*) FROM ${quote(table)}`).pluck().get() as number;
}

/**
 * Each table's plan, checked against both schemas: every column on either side is placed (copied, renamed, or derived
 * on PostgreSQL) or the move stops. SQLite tables the move does not copy are listed with the reason.
 */
async function planTables(src: Database.Database, store: PgStore): Promise<{ plans: Plan[]; notMoved: NotMoved[] }> {
  const pgColumns = await store.rows<{ table_name: string; column_name: string; udt_name: string; is_identity: string }>(
    store.reader,
    `SELECT table_name, column_name, udt_name, is_identity FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const plans: Plan[] = [];
  const notMoved: NotMoved[] = [];
  for (const spec of TABLES) {
    const target = pgColumns.filter((c) => c.table_name === spec.table);
    const have = sqliteColumns(src, spec.table);
    if (!target.length) {
      const rows = have.length ? sqliteCount(src, spec.table) : 0;
      notMoved.push({ table: spec.table, rows, reason: 'the PostgreSQL store has no such table', lost: rows > 0 });
      continue;
    }
    const derived = new Set(spec.derived ?? []);
    const copied = target.filter((c) => !derived.has(c.column_name));
    const sources = copied.map((c) => spec.from?.[c.column_name] ?? c.column_name);
    for (const s of sources) if (s !== 'rowid' && !have.includes(s)) throw new MoveError(`${spec.table}.${s} is on PostgreSQL but not in the SQLite store: the move does not know where it comes from`);
    for (const h of have) if (!sources.includes(h)) throw new MoveError(`${spec.table}.${h} is in the SQLite store but has no place on PostgreSQL: the move would lose it`);
    const columns = copied.map((c) => c.column_name);
    plans.push({
      spec,
      columns,
      sources,
      types: new Map(copied.map((c) => [c.column_name, c.udt_name])),
      keyIndex: spec.key.map((k) => columns.indexOf(k)),
      laterIndex: (spec.later ?? []).map((k) => columns.indexOf(k)),
      identity: target.find((c) => c.is_identity === 'YES')?.column_name ?? null,
      rows: sqliteCount(src, spec.table),
      unique: (await uniqueColumns(store, spec.table)).filter((u) => u.every((c) => columns.includes(c))),
    });
  }
  const known = new Set(TABLES.map((t) => t.table));
  for (const name of src.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]) {
    if (known.has(name)) continue;
    const why = NOT_MOVED.find(([re]) => re.test(name));
    if (why && /^sqlite_|^events_fts_/.test(name)) continue;
    const rows = sqliteCount(src, name);
    notMoved.push(why ? { table: name, rows, reason: why[1], lost: false } : { table: name, rows, reason: 'turnout does not know this table: not copied', lost: rows > 0 });
  }
  return { plans, notMoved };
}

/** SQLite's rows of a table in rowid order, `size` at a time, each as PostgreSQL's column values. */
function* sourceBatches(src: Database.Database, plan: Plan, size: number): Generator<Row[]> {
  const select = src.prepare(`SELECT rowid, ${plan.sources.map((s) => (s === 'rowid' ? 'rowid' : quote(s))).join(', ')} FROM ${quote(plan.spec.table)} WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw(true);
  for (let last = Number.MIN_SAFE_INTEGER; ; ) {
    const rows = select.all(last, size) as Row[];
    if (!rows.length) return;
    last = rows[rows.length - 1]![0] as number;
    yield rows.map((r) => r.slice(1));
  }
}

/** The columns of each unique constraint of a PostgreSQL table other than its primary key. */
async function uniqueColumns(store: PgStore, table: string): Promise<string[][]> {
  const rows = await store.rows<{ columns: string[] }>(
    store.reader,
    `SELECT array_agg(a.attname::text ORDER BY k.n) AS columns
     FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
       CROSS JOIN unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
     WHERE ns.nspname = current_schema() AND c.relname = $1 AND i.indisunique AND NOT i.indisprimary
     GROUP BY i.indexrelid ORDER BY i.indexrelid`,
    [table],
  );
  return rows.map((r) => r.columns);
}

/** PostgreSQL's rows whose `columns` hold the values of `rows` in those columns. */
async function targetRowsBy(db: pg.Pool | pg.PoolClient, plan: Plan, rows: Row[], columns: string[]): Promise<Row[]> {
  const args = columns.map((c) => rows.map((r) => r[plan.columns.indexOf(c)]));
  const result = await db.query({
    text: `SELECT ${plan.columns.map(quote).join(', ')} FROM ${quote(plan.spec.table)} WHERE (${columns.map(quote).join(', ')}) IN
      (SELECT * FROM unnest(${columns.map((k, i) => `$${i + 1}::${plan.types.get(k)}[]`).join(', ')}))`,
    values: args,
    rowMode: 'array',
  });
  return result.rows as Row[];
}

/** PostgreSQL's rows with the keys of `rows`, by key text. */
async function targetRows(db: pg.Pool | pg.PoolClient, plan: Plan, rows: Row[]): Promise<Map<string, Row>> {
  return new Map((await targetRowsBy(db, plan, rows, plan.spec.key)).map((r) => [keyText(r, plan), r]));
}

/** The SQLite rows that another PostgreSQL row (another key) keeps out by holding the same values of a unique constraint. */
async function keptOut(db: pg.Pool | pg.PoolClient, plan: Plan, rows: Row[]): Promise<string[]> {
  const out: string[] = [];
  for (const unique of plan.unique) {
    const index = unique.map((c) => plan.columns.indexOf(c));
    const valuesOf = (r: Row) => JSON.stringify(index.map((i) => r[i]));
    const holders = new Map((await targetRowsBy(db, plan, rows, unique)).map((t) => [valuesOf(t), t]));
    for (const r of rows) {
      const t = holders.get(valuesOf(r));
      if (t && keyText(t, plan) !== keyText(r, plan)) out.push(`${keyText(r, plan)} (its ${unique.join(', ')} is held by ${keyText(t, plan)})`);
    }
  }
  return out;
}

/** Whether a PostgreSQL row holds the SQLite row's values (a later column still empty there counts as equal when `pending`). */
function sameRow(source: Row, target: Row, plan: Plan, pending: boolean): boolean {
  return source.every((v, i) => (pending && plan.laterIndex.includes(i) && target[i] === null) || JSON.stringify(v) === JSON.stringify(target[i]));
}

/** Rows on PostgreSQL, counted. */
async function targetCount(store: PgStore, table: string): Promise<number> {
  return (await store.one<{ n: number }>(store.reader, `SELECT count(*) AS n FROM ${quote(table)}`))!.n;
}

/** Pass 1: how many SQLite rows the target lacks, and the keys it holds with other values. */
async function check(src: Database.Database, store: PgStore, plan: Plan, size: number, say: Say): Promise<{ missing: number; differing: string[] }> {
  const empty = (await targetCount(store, plan.spec.table)) === 0;
  let missing = 0;
  const differing: string[] = [];
  let seen = 0;
  for (const rows of sourceBatches(src, plan, size)) {
    seen += rows.length;
    if (empty) {
      missing += rows.length;
      continue;
    }
    const there = await targetRows(store.reader, plan, rows);
    for (const r of rows) {
      const t = there.get(keyText(r, plan));
      if (!t) missing++;
      else if (!plan.spec.rebuilt && !sameRow(r, t, plan, true)) differing.push(keyText(r, plan));
    }
    if (!plan.spec.rebuilt) differing.push(...(await keptOut(store.reader, plan, rows)));
    say(`check ${plan.spec.table}`, seen, plan.rows);
  }
  return { missing, differing };
}

/**
 * Pass 2: inserts the rows the target lacks, a batch per transaction (ON CONFLICT DO NOTHING: a row another unique
 * value keeps out is a conflict, named). Later columns are written empty here and filled by fillLater.
 */
async function copy(src: Database.Database, store: PgStore, plan: Plan, size: number, say: Say): Promise<number> {
  let copied = 0;
  let seen = 0;
  const width = plan.columns.length;
  for (const rows of sourceBatches(src, plan, size)) {
    seen += rows.length;
    copied += await store.tx(async (c) => {
      const there = await targetRows(c, plan, rows);
      const absent = rows.filter((r) => !there.has(keyText(r, plan)));
      if (!absent.length) return 0;
      const values = absent.flatMap((r) => r.map((v, i) => (plan.laterIndex.includes(i) ? null : v)));
      const tuples = absent.map((_, n) => `(${plan.columns.map((_c, i) => `$${n * width + i + 1}`).join(', ')})`);
      const result = await c.query({
        text: `INSERT INTO ${quote(plan.spec.table)} (${plan.columns.map(quote).join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(', ')}
          ON CONFLICT DO NOTHING RETURNING ${plan.spec.key.map(quote).join(', ')}`,
        values,
        rowMode: 'array',
      });
      if (result.rows.length < absent.length) {
        const inserted = new Set((result.rows as Row[]).map((r) => r.map(String).join('/')));
        const kept = absent.map((r) => keyText(r, plan)).filter((k) => !inserted.has(k));
        throw new MoveConflict([{ table: plan.spec.table, keys: kept.slice(0, NAMED), more: Math.max(0, kept.length - NAMED) }]);
      }
      return absent.length;
    });
    say(`copy ${plan.spec.table}`, seen, plan.rows);
  }
  return copied;
}

/** Pass 2, second half: the columns that name later rows of the same table, where the target still has them empty. */
async function fillLater(src: Database.Database, store: PgStore, plan: Plan, size: number): Promise<void> {
  for (const rows of sourceBatches(src, plan, size)) {
    await store.tx(async (c) => {
      for (const r of rows) {
        for (const i of plan.laterIndex) {
          if (r[i] === null) continue;
          const where = plan.keyIndex.map((k, n) => `${quote(plan.columns[k]!)} = $${n + 2}`).join(' AND ');
          await c.query(`UPDATE ${quote(plan.spec.table)} SET ${quote(plan.columns[i]!)} = $1 WHERE ${where} AND ${quote(plan.columns[i]!)} IS NULL`, [r[i], ...plan.keyIndex.map((k) => r[k])]);
        }
      }
    });
  }
}

/** The search rows of the events that stand (not merged away) and have none yet, written by the PostgreSQL store's own writer. */
async function rebuildSearch(store: PgStore, plan: Plan, size: number, say: Say): Promise<number> {
  let written = 0;
  for (let last = 0; ; ) {
    const rows = await store.rows<{ seq: number; record: string }>(
      store.reader,
      `SELECT e.seq, ${RECORD} AS record FROM events e WHERE e.seq > $1 AND e.merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM event_search s WHERE s.event_seq = e.seq)
       ORDER BY e.seq LIMIT ${size}`,
      [last],
    );
    if (!rows.length) return written;
    await store.tx((c) => writeSearchRows(c, rows.map((r) => JSON.parse(r.record) as EventRecord)));
    written += rows.length;
    last = rows[rows.length - 1]!.seq;
    say(`index ${plan.spec.table}`, written, plan.rows);
  }
}

/** Moves each identity sequence past the largest id copied, so that new rows on PostgreSQL take fresh ids. */
async function resetSequences(store: PgStore, plans: Plan[]): Promise<void> {
  for (const { spec, identity } of plans) {
    if (!identity) continue;
    await store.reader.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), greatest(coalesce(max(${quote(identity)}), 0), 1), max(${quote(identity)}) IS NOT NULL) FROM ${quote(spec.table)}`,
      [spec.table, identity],
    );
  }
}

/** Pass 3: counts and checksums per table, and per-event record checksums. */
async function verifyPlans(src: Database.Database, store: PgStore, plans: Plan[], notMoved: NotMoved[], copied: Map<string, number>, size: number, say: Say): Promise<MoveReport> {
  const tables: TableReport[] = [];
  const events = { checked: 0, equal: 0, differing: [] as string[] };
  for (const plan of plans) {
    const sourceHash = createHash('sha256');
    const targetHash = createHash('sha256');
    const differing: string[] = [];
    let source = 0;
    const record = plan.spec.table === 'events' ? plan.columns.indexOf('record') : -1;
    for (const rows of sourceBatches(src, plan, size)) {
      const there = await targetRows(store.reader, plan, rows);
      for (const r of rows) {
        const t = there.get(keyText(r, plan));
        sourceHash.update(JSON.stringify(r) + '\n');
        targetHash.update((t ? JSON.stringify(t) : 'missing') + '\n');
        if (!t || !sameRow(r, t, plan, false)) differing.push(keyText(r, plan));
        if (record >= 0) {
          events.checked++;
          if (t && recordChecksum(r[record] as string) === recordChecksum(t[record] as string)) events.equal++;
          else if (events.differing.length < NAMED) events.differing.push(keyText(r, plan));
        }
      }
      source += rows.length;
      say(`verify ${plan.spec.table}`, source, plan.rows);
    }
    const target = await targetCount(store, plan.spec.table);
    const sourceSum = sourceHash.digest('hex');
    const targetSum = targetHash.digest('hex');
    const ok = source === target && sourceSum === targetSum && !differing.length;
    tables.push({ table: plan.spec.table, source, target, copied: copied.get(plan.spec.table) ?? 0, sourceSum, targetSum, differing: differing.slice(0, NAMED), ok });
  }
  const ok = tables.every((t) => t.ok) && events.equal === events.checked && !notMoved.some((n) => n.lost);
  return { tables, events, notMoved, ok };
}

type Say = (what: string, rows: number, total: number) => void;

/** Progress lines at most once a second per step (and never without a listener). */
function progressOf(progress: MoveOptions['progress']): Say {
  let at = Date.now();
  return (what, rows, total) => {
    if (!progress || Date.now() - at < 1000) return;
    at = Date.now();
    progress(`${what}: ${rows} of ${total} rows`);
  };
}

/** The summary as a table: one line per table (rows on each side, rows copied, checksums), then the events and what was left behind. */
export function formatReport(report: MoveReport): string {
  const lines = [['table', 'sqlite', 'postgres', 'copied', 'checksum', 'verified']];
  for (const t of report.tables) {
    lines.push([t.table, String(t.source), String(t.target), String(t.copied), t.sourceSum === t.targetSum ? t.sourceSum.slice(0, 12) : `${t.sourceSum.slice(0, 12)} ≠ ${t.targetSum.slice(0, 12)}`, t.ok ? 'ok' : 'FAILED']);
  }
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const out = lines.map((l) => l.map((c, i) => (i === 0 || i === 4 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
  for (const t of report.tables) if (t.differing.length) out.push(`${t.table}: missing or different on PostgreSQL: ${t.differing.join(', ')}`);
  for (const t of report.tables) if (t.source !== t.target) out.push(`${t.table}: ${t.source} rows on SQLite, ${t.target} on PostgreSQL`);
  const e = report.events;
  out.push(`event checksums: ${e.equal} of ${e.checked} equal${e.differing.length ? `; different: ${e.differing.join(', ')}` : ''}`);
  for (const n of report.notMoved) out.push(`not copied: ${n.table} (${n.rows} rows): ${n.reason}`);
  out.push(report.ok ? 'verified: every count and checksum is equal' : 'NOT verified: see the lines above');
  return out.join('\n');
}
