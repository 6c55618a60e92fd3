// A store that grows linearly (issue 11): an event's revisions keep what each report changed, not a copy of the
// record, so the bytes a report adds stay the same however many came before; reading the same articles again
// changes nothing at all.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestInto } from '../src/pipeline.js';
import { loadGazetteer } from '../src/resolve/gazetteer.js';
import { SqliteRepository } from '../src/store/sqlite/index.js';
import { reports } from './helpers/reports.js';
import { tempDir } from './helpers/shared.js';

const gaz = loadGazetteer();
const TODAY = '2026-06-01';

function read(repo: SqliteRepository, r: { name: string; text: string }) {
  return ingestInto(repo, { bytes: Buffer.from(r.text), name: r.name, contentType: 'text/plain', today: TODAY }, gaz);
}

/** The bytes of every revision row's values. */
function revisionBytes(repo: SqliteRepository): number {
  return repo.handle
    .prepare(
      `SELECT coalesce(sum(length(event_id) + length(revision) + length(record) + length(reason) + length(created_at) + length(action)
         + coalesce(length(by_user), 0) + length(changes) + coalesce(length(change_id), 0)), 0) FROM event_revisions`,
    )
    .pluck()
    .get() as number;
}

describe('an event reported by 200 articles', () => {
  const repo = new SqliteRepository(join(tempDir(), 'growth.db'));
  const bytes: number[] = [revisionBytes(repo)];
  for (const r of reports(200, 1)) {
    assert.equal(read(repo, r).article, 'new');
    bytes.push(revisionBytes(repo));
  }
  const events = repo.listEvents();

  it('is one event citing every report', () => {
    assert.equal(events.length, 1);
    assert.equal(events[0]!.sources.length, 200);
  });

  it('costs the same revision bytes per report at the end as early on', () => {
    const added = (from: number, to: number) => bytes[to]! - bytes[from]!;
    const early = added(50, 100);
    const late = added(150, 200);
    assert.ok(early > 0);
    assert.ok(late <= 1.5 * early, `reports 150-200 added ${late} B of revisions, reports 50-100 ${early} B`);
    // and no revision is large: a copy of the record would be tens of kilobytes by now
    const largest = repo.handle.prepare('SELECT max(length(changes) + length(record)) FROM event_revisions').pluck().get() as number;
    assert.ok(largest < 4096, `largest revision ${largest} B`);
    assert.equal(repo.handle.prepare("SELECT count(*) FROM event_revisions WHERE record <> ''").pluck().get(), 0);
  });

  it('lists every change in its history, each field ending at the value the record holds', () => {
    const e = events[0]!;
    const history = repo.eventHistory(e.id)!;
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

  it('closes', () => repo.close());
});

describe('the same 1,000 articles read twice', () => {
  it('change nothing the second time: counts, records and the file itself', () => {
    const path = join(tempDir(), 'twice.db');
    const repo = new SqliteRepository(path);
    const articles = reports(1000, 50);
    for (const r of articles) read(repo, r);
    const snapshot = () => {
      repo.handle.pragma('wal_checkpoint(TRUNCATE)');
      const file = readFileSync(path);
      return { counts: repo.counts(), records: repo.listEvents(), bytes: file.length, sha: createHash('sha256').update(file).digest('hex') };
    };
    const first = snapshot();
    assert.deepEqual([first.counts.articles, first.counts.events], [1000, 50]);
    for (const r of articles) assert.equal(read(repo, r).article, 'unchanged');
    const second = snapshot();
    assert.deepEqual(second, first);
    repo.close();
  });
});
