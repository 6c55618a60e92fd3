// A store that grows linearly (issue 11): an event's revisions keep what each report changed, not a copy of the
// record, and its quotes are kept per article, so the bytes a report adds stay the same however many came before;
// reading the same articles again changes nothing at all. On SQLite always, on PostgreSQL when TURNOUT_TEST_PG names
// a server (its revision rows' bytes as pg_column_size counts them). Also: a store written before migration 13 (each
// record holding every quote) reads the same records after it.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventRecord } from '../src/core/types.js';
import { ingestInto, ingestIntoStore } from '../src/pipeline.js';
import { loadGazetteer } from '../src/resolve/gazetteer.js';
import { openPgStore, RECORD, type PgStore } from '../src/store/pg/index.js';
import type { HistoryEntry, StoreCounts } from '../src/store/repository.js';
import { RECORD as SQLITE_RECORD, SqliteRepository } from '../src/store/sqlite/index.js';
import { NO_PG, PG_URL, pgBackend } from './helpers/backends.js';
import { reports } from './helpers/reports.js';
import { tempDir } from './helpers/shared.js';

const gaz = loadGazetteer();
const TODAY = '2026-06-01';

const input = (r: { name: string; text: string }) => ({ bytes: Buffer.from(r.text), name: r.name, contentType: 'text/plain', today: TODAY });

/** A store under test, as these tests read it. */
interface Grown {
  read(r: { name: string; text: string }): Promise<'new' | 'unchanged'>;
  /** the bytes of every revision row's values */
  revisionBytes(): Promise<number>;
  /** the bytes of the largest revision's changes and record copy */
  largestRevision(): Promise<number>;
  /** revisions that hold a copy of the record */
  recordCopies(): Promise<number>;
  records(): Promise<EventRecord[]>;
  history(id: string): Promise<HistoryEntry[] | null>;
  counts(): Promise<StoreCounts>;
  /** a digest of every stored row of the record's tables (what reading again must not change) */
  digest(): Promise<string>;
  close(): Promise<void>;
}

function sqliteGrown(): Grown {
  const path = join(tempDir(), 'growth.db');
  const repo = new SqliteRepository(path);
  const one = (sql: string) => repo.handle.prepare(sql).pluck().get() as number;
  return {
    read: async (r) => ingestInto(repo, input(r), gaz).article,
    revisionBytes: async () =>
      one(`SELECT coalesce(sum(length(event_id) + length(revision) + length(record) + length(reason) + length(created_at) + length(action)
         + coalesce(length(by_user), 0) + length(changes) + coalesce(length(change_id), 0)), 0) FROM event_revisions`),
    largestRevision: async () => one('SELECT max(length(changes) + length(record)) FROM event_revisions'),
    recordCopies: async () => one("SELECT count(*) FROM event_revisions WHERE record <> ''"),
    records: async () => repo.listEvents({ includeRejected: true }),
    history: async (id) => repo.eventHistory(id),
    counts: async () => repo.counts(),
    // the file itself, after a checkpoint
    digest: async () => {
      repo.handle.pragma('wal_checkpoint(TRUNCATE)');
      return createHash('sha256').update(readFileSync(path)).digest('hex');
    },
    close: async () => repo.close(),
  };
}

async function pgGrown(schema: string): Promise<Grown> {
  const store: PgStore = await openPgStore(PG_URL, { schema });
  const one = async (sql: string) => (await store.one<{ n: number }>(store.reader, sql))!.n;
  return {
    read: async (r) => (await ingestIntoStore(store, input(r), gaz)).article,
    revisionBytes: async () => Number(await one('SELECT coalesce(sum(pg_column_size(r.*)), 0)::bigint AS n FROM event_revisions r')),
    largestRevision: async () => one('SELECT max(octet_length(changes) + octet_length(record)) AS n FROM event_revisions'),
    recordCopies: async () => one("SELECT count(*) AS n FROM event_revisions WHERE record <> ''"),
    records: () => store.listEvents({ includeRejected: true }),
    history: (id) => store.eventHistory(id),
    counts: () => store.counts(),
    digest: async () => {
      const tables = [
        "SELECT md5(string_agg(concat_ws('|', id, revision, record, created_at, updated_at), ',' ORDER BY id)) AS n FROM events",
        "SELECT md5(string_agg(concat_ws('|', event_id, part, items), ',' ORDER BY event_id, part)) AS n FROM event_evidence",
        "SELECT md5(string_agg(concat_ws('|', event_id, revision, changes, created_at), ',' ORDER BY event_id, revision)) AS n FROM event_revisions",
        "SELECT md5(string_agg(concat_ws('|', id, event_key, data), ',' ORDER BY id)) AS n FROM mentions",
      ];
      const sums: unknown[] = [];
      for (const t of tables) sums.push(await one(t));
      return sums.join(' ');
    },
    close: () => store.close(),
  };
}

/** A backend under test: a store to open (nothing is opened before), and what drops it at the end. */
interface GrownBackend {
  open(): Promise<Grown>;
  drop(): Promise<void>;
}

/** The backends these tests run on, each with its reason to skip (null: it runs). */
const BACKENDS: Array<{ name: string; make: () => GrownBackend; skip: string | null }> = [
  { name: 'SQLite', make: () => ({ open: async () => sqliteGrown(), drop: async () => undefined }), skip: null },
  {
    name: 'PostgreSQL',
    make: () => {
      const backend = pgBackend(PG_URL);
      return { open: () => pgGrown(backend.schema), drop: () => backend.drop() };
    },
    skip: NO_PG,
  },
];

for (const { name, make, skip } of BACKENDS) {
  describe(`an event reported by 200 articles (${name})`, { skip: skip ?? false }, () => {
    const backend = make();
    after(() => backend.drop());
    let store: Grown;
    const bytes: number[] = [];
    let events: EventRecord[] = [];

    it('is one event citing every report', async () => {
      store = await backend.open();
      bytes.push(await store.revisionBytes());
      for (const r of reports(200, 1)) {
        assert.equal(await store.read(r), 'new');
        bytes.push(await store.revisionBytes());
      }
      events = await store.records();
      assert.equal(events.length, 1);
      assert.equal(events[0]!.sources.length, 200);
      // every report's quotes, each once
      const quotes = events[0]!.evidence;
      assert.deepEqual(new Set(quotes.map((e) => e.source)), new Set(events[0]!.sources.map((s) => s.id)));
      assert.equal(new Set(quotes.map((e) => `${e.field}|${e.source}|${e.start}`)).size, quotes.length);
    });

    it('costs the same revision bytes per report at the end as early on', async () => {
      const added = (from: number, to: number) => bytes[to]! - bytes[from]!;
      const early = added(50, 100);
      const late = added(150, 200);
      assert.ok(early > 0);
      assert.ok(late <= 1.5 * early, `reports 150-200 added ${late} B of revisions, reports 50-100 ${early} B`);
      // and no revision is large: a copy of the record would be tens of kilobytes by now
      const largest = await store.largestRevision();
      assert.ok(largest < 4096, `largest revision ${largest} B`);
      assert.equal(await store.recordCopies(), 0);
    });

    it('lists every change in its history, each field ending at the value the record holds', async () => {
      const e = events[0]!;
      const history = (await store.history(e.id))!;
      assert.equal(history.length, e.revision);
      assert.deepEqual(
        history.map((h) => h.revision),
        Array.from({ length: e.revision }, (_, i) => e.revision - i),
      );
      assert.ok(history.every((h) => h.action === 'ingest' && h.by === null && /^article [0-9a-f]{64}$/.test(h.reason)));
      // every report added its source: the sources' change of each revision is the list before and after
      const sources = history.map((h) => h.changes.find((c) => c.field === 'sources'));
      assert.ok(sources.every(Boolean), 'every revision names the source it added');
      for (const [i, c] of sources.entries()) {
        const now = c!.new as string[];
        assert.equal(now.length, e.revision - i);
        if (i + 1 < sources.length) assert.deepEqual(sources[i + 1]!.new, c!.old, 'each revision starts where the one before ended');
      }
      // the newest change of each field holds the record's value (sources by article id)
      const record = e as unknown as Record<string, unknown>;
      const seen = new Set<string>();
      for (const h of history) {
        for (const c of h.changes) {
          if (seen.has(c.field)) continue;
          seen.add(c.field);
          const value = c.field === 'sources' ? e.sources.map((s) => s.id) : record[c.field];
          assert.deepEqual(c.new, value, c.field);
        }
      }
      assert.ok(['claims', 'organizations', 'flags', 'size_text'].every((f) => seen.has(f)), [...seen].join(' '));
    });

    it('closes', () => store.close());
  });

  describe(`the same 1,000 articles read twice (${name})`, { skip: skip ?? false }, () => {
    const backend = make();
    after(() => backend.drop());
    it('change nothing the second time: counts, records and every stored row', async () => {
      const store = await backend.open();
      try {
        const articles = reports(1000, 50);
        for (const r of articles) await store.read(r);
        const snapshot = async () => ({ counts: await store.counts(), records: await store.records(), digest: await store.digest() });
        const first = await snapshot();
        assert.deepEqual([first.counts.articles, first.counts.events], [1000, 50]);
        for (const r of articles) assert.equal(await store.read(r), 'unchanged');
        assert.deepEqual(await snapshot(), first);
      } finally {
        await store.close();
      }
    });
  });
}

/**
 * Turns a store back into one written before migration 13: each record holding its evidence whole (as read), no
 * event_evidence, and migration 13 not applied. `stale`: an event whose record then loses its last quote, as a record
 * written by older code and not rebuilt since would differ from what its mentions give.
 */
const UNMIGRATE = {
  records: (record: string) => `UPDATE events AS e SET record = ${record}`,
};

/** What a migrated store is checked for: its records as before (the stale one as it stood), and its evidence parts. */
async function checkMigrated(
  records: EventRecord[],
  stale: string,
  migrated: EventRecord[],
  parts: Array<{ event_id: string; part: string }>,
): Promise<void> {
  const expected = records.map((r) => (r.id === stale ? { ...r, evidence: r.evidence.slice(0, -1) } : r));
  assert.deepEqual(migrated, expected);
  // the stale record keeps its list as one part of its own; every other event's parts are its articles'
  assert.deepEqual(parts.filter((p) => p.part === '').map((p) => p.event_id), [stale]);
  for (const p of parts.filter((p) => p.event_id !== stale)) assert.match(p.part, /^[01][0-9a-f]{64}$/);
  assert.ok(parts.some((p) => p.part.startsWith('1')), 'a merged event keeps the quotes of the one merged into it apart');
}

/** Four events of two reports each, the last merged into the first, on any store. */
async function readAndMerge(read: (r: { name: string; text: string }) => Promise<unknown>, merge: (ids: [string, string]) => Promise<unknown>, records: () => Promise<EventRecord[]>) {
  for (const r of reports(8, 4)) await read(r);
  const events = await records();
  assert.equal(events.length, 4);
  await merge([events[0]!.id, events[3]!.id]);
}

describe('a SQLite store written before migration 13', () => {
  it('reads the same records after it, its quotes now kept per article', async () => {
    const path = join(tempDir(), 'before13.db');
    let repo = new SqliteRepository(path);
    await readAndMerge(
      async (r) => ingestInto(repo, input(r), gaz),
      async (ids) => repo.mergeEvents({ ids, reason: 'one rally', user: 'ed' }),
      async () => repo.listEvents(),
    );
    const records = repo.listEvents({ includeRejected: true });
    const stale = records[1]!.id;
    const db = repo.handle;
    db.exec(UNMIGRATE.records(SQLITE_RECORD));
    const full = db.prepare('SELECT record FROM events WHERE id = ?').pluck().get(stale) as string;
    const lessOne = { ...(JSON.parse(full) as EventRecord) };
    lessOne.evidence = lessOne.evidence.slice(0, -1);
    db.prepare('UPDATE events SET record = ? WHERE id = ?').run(JSON.stringify(lessOne), stale);
    db.exec('DROP TABLE event_evidence; DELETE FROM schema_migrations WHERE version = 13');
    repo.close();
    repo = new SqliteRepository(path);
    const parts = repo.handle.prepare('SELECT event_id, part FROM event_evidence ORDER BY event_id, part').all() as Array<{ event_id: string; part: string }>;
    await checkMigrated(records, stale, repo.listEvents({ includeRejected: true }), parts);
    // a later report of the stale event adds its own quotes after the list kept
    assert.equal(ingestInto(repo, input(reports(10, 4)[9]!), gaz).article, 'new');
    const after13 = repo.getEvent(stale)!;
    assert.deepEqual(after13.evidence.slice(0, lessOne.evidence.length), lessOne.evidence);
    assert.equal(after13.sources.length, 3);
    repo.close();
  });
});

describe('a PostgreSQL store written before migration 13', { skip: NO_PG ?? false }, () => {
  const backend = pgBackend(PG_URL);
  after(() => backend.drop());
  it('reads the same records after it, its quotes now kept per article', async () => {
    let store = await openPgStore(PG_URL, { schema: backend.schema });
    const s = store;
    await readAndMerge(
      (r) => ingestIntoStore(s, input(r), gaz),
      (ids) => s.mergeEvents({ ids, reason: 'one rally', user: 'ed' }),
      () => s.listEvents(),
    );
    const records = await store.listEvents({ includeRejected: true });
    const stale = records[1]!.id;
    const c = store.reader;
    await c.query(UNMIGRATE.records(RECORD));
    const full = (await store.one<{ record: string }>(c, 'SELECT record FROM events WHERE id = $1', [stale]))!.record;
    const lessOne = { ...(JSON.parse(full) as EventRecord) };
    lessOne.evidence = lessOne.evidence.slice(0, -1);
    await c.query('UPDATE events SET record = $1 WHERE id = $2', [JSON.stringify(lessOne), stale]);
    await c.query('DROP TABLE event_evidence; CREATE INDEX mentions_key ON mentions(event_key); DROP INDEX mentions_key_id; DELETE FROM schema_migrations WHERE version = 13');
    await store.close();
    store = await openPgStore(PG_URL, { schema: backend.schema });
    try {
      assert.deepEqual(store.applied, [13]);
      const parts = await store.rows<{ event_id: string; part: string }>(store.reader, 'SELECT event_id, part FROM event_evidence ORDER BY event_id, part COLLATE "C"');
      await checkMigrated(records, stale, await store.listEvents({ includeRejected: true }), parts);
      assert.equal((await ingestIntoStore(store, input(reports(10, 4)[9]!), gaz)).article, 'new');
      const after13 = (await store.getEvent(stale))!;
      assert.deepEqual(after13.evidence.slice(0, lessOne.evidence.length), lessOne.evidence);
      assert.equal(after13.sources.length, 3);
    } finally {
      await store.close();
    }
  });
});
