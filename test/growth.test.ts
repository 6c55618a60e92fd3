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
import { openPgStore, type PgStore } from '../src/store/pg/index.js';
import type { HistoryEntry, StoreCounts } from '../src/store/repository.js';
import { SqliteRepository } from '../src/store/sqlite/index.js';
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
