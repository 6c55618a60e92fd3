// Moving a store (issue 11): `turnout migrate --from sqlite FILE --to postgres://...` copies a SQLite store (articles,
// events, revisions, a review, an edit, a merge and its undo, accounts, sources, jobs, webhooks) into PostgreSQL; both
// stores then answer the same through the Store API; a rerun copies nothing; a target holding other data under the
// same ids is refused, naming them; a target with more rows does not verify. Each run uses a fresh schema (or
// database, for the command) dropped at the end; skipped, saying why, when TURNOUT_TEST_PG names no server.
// The articles are made up here.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ingestInto, ingestIntoStore } from '../src/pipeline.js';
import { MoveConflict, moveStore, recordChecksum, verifyMove, type MoveReport } from '../src/store/move.js';
import { openPgStore, type PgStore } from '../src/store/pg/index.js';
import type { Repository } from '../src/store/repository.js';
import { openStore } from '../src/store/sqlite/index.js';
import { asyncStore, type Store } from '../src/store/store.js';
import { NO_PG, PG_URL, onServer, pgDatabase } from './helpers/backends.js';
import { tempDir } from './helpers/shared.js';
import { turnout } from './helpers/cli.js';

const ARTICLES: Record<string, string> = {
  'tulsa.txt': 'About 200 people rallied in Tulsa, Oklahoma, on Saturday, March 7, 2026, to demand safer streets near schools. (A made-up test article.)',
  'tulsa-more.txt': 'More than 500 people marched in Tulsa, Oklahoma, on Saturday, March 7, 2026, calling for safer streets near schools, organizers said. (Another made-up test article.)',
  'reno.txt': 'Dozens of nurses picketed outside a hospital in Reno, Nevada, on Friday, March 6, 2026, over staffing levels. (A made-up test article.)',
  'reno-more.txt': 'Nurses rallied again in Reno, Nevada, on Friday, March 6, 2026, saying wards are short-staffed. (Another made-up test article.)',
  'keene-7.txt': 'About 40 people held a vigil in Keene, New Hampshire, on Saturday, March 7, 2026, for the river cleanup. (A made-up test article.)',
  'keene-8.txt': 'Around 60 people gathered in Keene, New Hampshire, on Sunday, March 8, 2026, for the river cleanup vigil. (A made-up test article.)',
  'boise.txt': 'Hundreds of teachers marched to the statehouse in Boise, Idaho, on Monday, March 9, 2026, asking for smaller classes. (A made-up test article.)',
};
const LATE = 'About 80 people protested a rent increase in Akron, Ohio, on Tuesday, March 10, 2026. (A late made-up test article.)';
const PASSWORD = 'a long enough password for tests';

function ingest(repo: Repository, name: string, text: string) {
  return ingestInto(repo, { bytes: Buffer.from(text), name, published: '2026-03-10', contentType: 'text/plain' });
}

/** The one event at a town (any day). */
function eventIn(repo: Repository, locality: string) {
  const found = repo.listEvents({ includeRejected: true }).filter((e) => e.locality === locality);
  assert.ok(found.length >= 1, `an event in ${locality}`);
  return found;
}

/** A SQLite store with a review, an edit, a merge undone and a merge kept, accounts, a source, jobs and a webhook. */
function buildStore(): string {
  const file = join(tempDir(), 'move.db');
  const repo = openStore(file);
  for (const [name, text] of Object.entries(ARTICLES)) ingest(repo, name, text);
  const [tulsa] = eventIn(repo, 'Tulsa');
  assert.equal(repo.reviewEvent(tulsa!.id, { action: 'verify', reason: 'two reports agree', revision: tulsa!.revision, user: 'ed' }).outcome, 'reviewed');
  const [reno] = eventIn(repo, 'Reno');
  const edit = repo.editEvent(reno!.id, { changes: { title: 'Nurses picket over staffing', size_low: 30, size_high: 60 }, reason: 'from the photos', revision: reno!.revision, user: 'ed' });
  assert.equal(edit.outcome, 'edited');
  const keene = eventIn(repo, 'Keene');
  assert.equal(keene.length, 2);
  const ids: [string, string] = [keene[0]!.id, keene[1]!.id];
  assert.equal(repo.mergeEvents({ ids, reason: 'one vigil', user: 'ed' }).outcome, 'merged');
  const merge = repo.eventHistory(ids[0])!.find((h) => h.undo)!;
  assert.equal(repo.undoChange(ids[0], { change: merge.undo!.id, reason: 'two vigils after all', user: 'ed' }).outcome, 'undone');
  assert.equal(repo.mergeEvents({ ids, reason: 'one vigil, the photos show', user: 'ed' }).outcome, 'merged');
  repo.accounts().addUser('ed', 'editor', PASSWORD);
  repo.accounts().addUser('ada', 'admin', PASSWORD);
  repo.accounts().createToken('ed');
  repo.accounts().startSession('ada');
  repo.accounts().recordLoginFailure('ed', '127.0.0.1');
  const live = repo.live();
  live.addSource('https://news.example/feed.xml', 600);
  live.enqueueAllPolls('first');
  live.enqueue('item', { url: 'https://news.example/a' }, 'item:a');
  const hook = live.addWebhook('https://hooks.example/turnout', 'a webhook secret', { region: 'OK' });
  live.logFetch({ url: 'https://news.example/feed.xml', status: 200, items_new: 1, items_skipped: 0, error: null });
  live.logDelivery({ webhook_id: hook.id, event_id: tulsa!.id, revision: 2, attempt: 1, status: 200, ok: true, error: null }, 5);
  repo.close();
  return file;
}

/** What a Store answers about every event: the list (rejected too), each event, its history and mentions, a search, the counts. */
async function answers(store: Store) {
  const events = await store.listEvents({ includeRejected: true });
  const each = [];
  for (const e of events) each.push({ event: await store.getEvent(e.id), history: await store.eventHistory(e.id), mentions: await store.eventMentions(e.id) });
  return {
    events,
    each,
    search: await store.listEvents({ q: 'nurses' }),
    counts: await store.counts(),
    stats: await store.stats('region', {}),
    users: await store.accounts().listUsers(),
  };
}

function table(report: MoveReport, name: string) {
  const t = report.tables.find((x) => x.table === name);
  assert.ok(t, `the summary has ${name}`);
  return t;
}

describe('moving a SQLite store to PostgreSQL', { skip: NO_PG ?? false }, () => {
  const schema = `turnout_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  let file: string;
  before(() => {
    file = buildStore();
  });
  after(async () => {
    await onServer(PG_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('copies every table in batches, verifies counts and checksums, and both stores answer the same', async () => {
    const report = await moveStore(file, PG_URL, { schema, batch: 2 });
    assert.ok(report.ok, JSON.stringify(report, null, 1));
    for (const name of ['articles', 'mentions', 'events', 'event_search', 'event_revisions', 'event_overrides', 'event_changes', 'sources', 'jobs', 'webhooks', 'deliveries', 'fetch_log', 'users', 'api_tokens', 'sessions', 'login_failures']) {
      const t = table(report, name);
      assert.ok(t.source > 0, `${name} has rows to move`);
      assert.equal(t.target, t.source, name);
      assert.equal(t.copied, t.source, name);
      assert.equal(t.targetSum, t.sourceSum, name);
    }
    assert.equal(table(report, 'event_changes').source, 3, 'merge, undo, merge');
    assert.equal(report.events.equal, report.events.checked);
    assert.equal(report.events.checked, table(report, 'events').source);
    assert.deepEqual(
      report.notMoved.map((n) => n.table),
      ['events_fts', 'schema_migrations'],
    );
    assert.ok(report.notMoved.every((n) => !n.lost && n.reason));

    const sqlite = asyncStore(openStore(file));
    const pg = await openPgStore(PG_URL, { schema });
    try {
      const [a, b] = [await answers(sqlite), await answers(pg)];
      assert.equal(a.events.length, 4, 'Tulsa, Reno, Keene (two merged), Boise');
      assert.equal(a.search.length, 1);
      assert.deepEqual(b, a);
      const keene = a.events.find((e) => e.locality === 'Keene')!;
      assert.equal(keene.sources.length, 2, 'the merge moved');
    } finally {
      await sqlite.close();
      await pg.close();
    }
  });

  it('an interrupted move resumes: the rows missing on PostgreSQL are copied, the others left as they are', async () => {
    const pg = await openPgStore(PG_URL, { schema });
    try {
      // as if the move had stopped part way: the newer revisions and the search rows not there, the changes' undone_by not filled in yet
      await pg.reader.query('DELETE FROM event_revisions WHERE revision > 1');
      await pg.reader.query('DELETE FROM event_search');
      await pg.reader.query('UPDATE event_changes SET undone_by = NULL');
    } finally {
      await pg.close();
    }
    const resumed = await moveStore(file, PG_URL, { schema, batch: 3 });
    assert.ok(resumed.ok, JSON.stringify(resumed.tables.filter((t) => !t.ok)));
    assert.ok(table(resumed, 'event_revisions').copied > 0);
    assert.equal(table(resumed, 'event_changes').copied, 0, 'the rows there get their undone_by, and are not copied again');
    assert.equal(table(resumed, 'event_search').copied, table(resumed, 'event_search').source);
    assert.equal(table(resumed, 'articles').copied, 0);
  });

  it('a rerun copies nothing and verifies; a new write on PostgreSQL takes fresh ids; then the target no longer verifies', async () => {
    const again = await moveStore(file, PG_URL, { schema });
    assert.ok(again.ok);
    assert.ok(again.tables.every((t) => t.copied === 0), 'nothing copied twice');
    const pg = await openPgStore(PG_URL, { schema });
    try {
      const saved = await ingestIntoStore(pg, { bytes: Buffer.from(LATE), name: 'akron.txt', published: '2026-03-10', contentType: 'text/plain' });
      assert.equal(saved.eventsNew, 1);
    } finally {
      await pg.close();
    }
    const checked = await verifyMove(file, PG_URL, { schema });
    assert.equal(checked.ok, false);
    assert.equal(table(checked, 'articles').ok, false);
    assert.equal(table(checked, 'articles').target, table(checked, 'articles').source + 1);
    assert.equal(table(checked, 'users').ok, true);
  });

  it('refuses a target holding different data under the same ids, naming them, and writes nothing', async () => {
    const pg = (await openPgStore(PG_URL, { schema })) as PgStore;
    let id: string;
    try {
      const row = (await pg.one<{ id: string; record: string }>(pg.reader, "SELECT id, record FROM events WHERE locality = 'Boise'"))!;
      id = row.id;
      const changed = JSON.stringify({ ...JSON.parse(row.record), title: 'Not what the store said' });
      assert.notEqual(recordChecksum(changed), recordChecksum(row.record));
      await pg.reader.query('UPDATE events SET record = $1 WHERE id = $2', [changed, id]);
      await pg.reader.query("DELETE FROM login_failures");
    } finally {
      await pg.close();
    }
    await assert.rejects(moveStore(file, PG_URL, { schema }), (e: unknown) => {
      assert.ok(e instanceof MoveConflict);
      assert.match(e.message, new RegExp(`events ${id}`));
      return true;
    });
    const checked = await verifyMove(file, PG_URL, { schema });
    assert.equal(checked.ok, false);
    assert.deepEqual(checked.events.differing, [id!]);
    assert.equal(table(checked, 'login_failures').target, 0, 'the refused move wrote nothing');
  });
});

describe('moving into a store where another row holds a unique value', { skip: NO_PG ?? false }, () => {
  const schema = `turnout_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  after(async () => {
    await onServer(PG_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('is refused before anything is written, naming the row and the one holding its value', async () => {
    const file = buildStore();
    const pg = await openPgStore(PG_URL, { schema });
    try {
      await pg.reader.query("INSERT INTO users (id, name, role, password_hash, created_at) VALUES (50, 'ed', 'viewer', 'x', '2026-03-01T00:00:00Z')");
    } finally {
      await pg.close();
    }
    await assert.rejects(moveStore(file, PG_URL, { schema }), /users 1 \(its name is held by 50\)/);
    const checked = await verifyMove(file, PG_URL, { schema });
    assert.equal(table(checked, 'articles').target, 0, 'nothing written');
    assert.equal(table(checked, 'events').target, 0, 'nothing written');
  });
});

describe('turnout migrate --from sqlite FILE --to postgres://...', { skip: NO_PG ?? false }, () => {
  let db: { url: string; drop(): Promise<void> };
  let file: string;
  before(async () => {
    db = await pgDatabase(PG_URL);
    file = buildStore();
  });
  after(async () => {
    await db?.drop();
  });

  it('moves the store and prints the summary (exit 0); again, copies nothing (exit 0); says what is wrong with bad arguments', () => {
    const first = turnout(['migrate', '--from', 'sqlite', file, '--to', db.url]);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.match(first.stdout, /^events +\d+ +\d+ +\d+ +[0-9a-f]{12} +ok$/m);
    assert.match(first.stdout, /^jobs +2 +2 +2 /m);
    assert.match(first.stdout, /^not copied: events_fts \(\d+ rows\): /m);
    assert.match(first.stdout, /^verified: every count and checksum is equal$/m);
    const again = turnout(['migrate', '--from', 'sqlite', file, '--to', db.url]);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /^\S+ +\d+ +\d+ +[1-9]\d* /m, 'nothing copied');
    const wrong = turnout(['migrate', '--from', 'mysql', file, '--to', db.url]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /--from must be "sqlite"/);
    const noTarget = turnout(['migrate', '--from', 'sqlite', file, '--to', file]);
    assert.equal(noTarget.code, 1);
    assert.match(noTarget.stderr, /--to must be a PostgreSQL address/);
    const missing = turnout(['migrate', '--from', 'sqlite', join(tempDir(), 'none.db'), '--to', db.url]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot move .*none\.db: cannot open the SQLite store/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
    const notStore = join(tempDir(), 'notes.txt');
    writeFileSync(notStore, 'not a store\n');
    const bad = turnout(['migrate', '--from', 'sqlite', notStore, '--to', db.url]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /notes\.txt is not a turnout store/);
    const down = turnout(['migrate', '--from', 'sqlite', file, '--to', 'postgres://postgres@127.0.0.1:1/none']);
    assert.equal(down.code, 2);
    assert.match(down.stderr, /^turnout: cannot move .*move\.db: /m);
    const help = turnout(['migrate', '--help']);
    assert.match(help.stdout, /--from sqlite FILE --to postgres:/);
  });
});
