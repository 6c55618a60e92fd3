// Answers kept between requests (src/serve/answers.ts, issue 11): a public answer is built once per store version
// and served as the same bytes, with an ETag (304 for If-None-Match) and a gzip made once, until a write reaches the
// store, from this connection, another one, or (on PostgreSQL) another process; answers that depend on the caller
// (who is asking, an editor's view, --verified-only) are never kept for anyone else. On SQLite always, on PostgreSQL
// when TURNOUT_TEST_PG names a server (skipped, saying why, otherwise).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import type { EventRecord } from '../src/core/types.js';
import { ingestIntoStore } from '../src/pipeline.js';
import { ANSWER_OVERHEAD, AnswerCache, notModified, type Answer } from '../src/serve/answers.js';
import { servedEvent, servedJson, servedJsonList } from '../src/serve/served.js';
import { createApp } from '../src/serve/server.js';
import { openPgStore, type PgStore } from '../src/store/pg/index.js';
import type { StoreEffects } from '../src/store/repository.js';
import type { Store } from '../src/store/store.js';
import { backends, NO_PG, PG_URL, pgBackend, pgDatabase, type Backend } from './helpers/backends.js';
import { tempDir } from './helpers/shared.js';
import { turnout } from './helpers/cli.js';

const TODAY = '2026-03-10';
const CLOCK: StoreEffects = { now: () => '2026-03-10T12:00:00.000Z' };
const PASSWORD = 'a long enough password for tests';

/** Made-up articles (neutral towns): rallies in Ames and Bend, a plan in Provo. */
const ARTICLES: Record<string, string> = {
  ames: 'About 150 students rallied in Ames, Iowa, on Saturday, March 7, 2026, to demand cheaper bus fares. (A made-up test article.)',
  bend: 'Dozens of residents marched in Bend, Oregon, on Friday, March 6, 2026, against a plan to close a clinic. (A made-up test article.)',
  provo: 'Nurses plan to rally outside the hospital in Provo, Utah, on Saturday, March 14, 2026, over staffing, organizers said. (A made-up test article.)',
};
/** A later report, written after the first answers were kept. */
const LATER = 'About 80 people held a vigil in Laramie, Wyoming, on Sunday, March 8, 2026, for safer crossings. (A made-up test article.)';

type App = ReturnType<typeof createApp>;

async function ingest(store: Store, name: string, text: string): Promise<number> {
  const r = await ingestIntoStore(store, { bytes: Buffer.from(text), name: `${name}.txt`, published: '2026-03-09', contentType: 'text/plain', today: TODAY });
  return r.eventsNew;
}

async function call(app: App, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await app.request(`http://127.0.0.1:8080${path}`, { method, headers });
  return { res, status: res.status, bytes: Buffer.from(await res.arrayBuffer()), etag: res.headers.get('etag') };
}

describe('kept answers: the cache and the bytes', () => {
  const built = (text: string) => async () => ({ body: text, type: 'text/plain' });

  test('an answer is built once per key and version, also for requests that arrive while it is being built', async () => {
    const cache = new AnswerCache();
    let builds = 0;
    const slow = async () => {
      builds++;
      await new Promise((r) => setTimeout(r, 20));
      return { body: `built ${builds}`, type: 'text/plain' };
    };
    const [a, b, c] = await Promise.all([cache.get('k', 'v1', slow), cache.get('k', 'v1', slow), cache.get('k', 'v1', slow)]);
    assert.equal(builds, 1);
    assert.ok(a === b && b === c);
    assert.equal((await cache.get('k', 'v1', slow)).body.toString(), 'built 1');
    assert.equal((await cache.get('k', 'v2', slow)).body.toString(), 'built 2', 'another version is built anew');
    assert.equal((await cache.get('k', null, slow)).body.toString(), 'built 3', 'a store that cannot tell its version is asked every time');
    assert.equal((await cache.get('k', null, slow)).body.toString(), 'built 4');
    await assert.rejects(cache.get('bad', 'v1', async () => Promise.reject(new Error('no such region'))), /no such region/);
    assert.equal((await cache.get('bad', 'v1', built('now good'))).body.toString(), 'now good', 'a failed build is not kept');
  });

  test('bounded: the least recently used go first, gzips count, and an answer over a quarter of the bound is not kept', async () => {
    // each answer below holds its 210 bytes, its one-letter key and the overhead of an entry
    const each = 210 + 1 + ANSWER_OVERHEAD;
    const cache = new AnswerCache(4 * each + 100);
    const x = 'x'.repeat(210);
    await cache.get('a', 'v', built(x));
    await cache.get('b', 'v', built(x));
    await cache.get('c', 'v', built(x));
    await cache.get('a', 'v', built('rebuilt')); // a is used again: b is now the oldest
    await cache.get('d', 'v', built(x));
    assert.equal(cache.bytes, 4 * each);
    await cache.get('e', 'v', built(x));
    assert.equal(cache.bytes, 4 * each, 'the oldest went to make room');
    assert.equal(cache.size, 4);
    assert.equal((await cache.get('b', 'v', built('b again'))).body.toString(), 'b again', 'b was dropped');
    assert.equal((await cache.get('a', 'v', built('rebuilt'))).body.toString(), x, 'a was kept');
    assert.ok(cache.bytes <= cache.maxBytes);
    const big = await cache.get('big', 'v', built('y'.repeat(cache.maxBytes / 4)));
    assert.equal((await cache.get('big', 'v', built('small'))).body.toString(), 'small', 'an answer over a quarter of the bound is not kept');
    assert.equal(big.body.length, cache.maxBytes / 4);
    const kept = await cache.get('big', 'v', built('?'));
    const before = cache.bytes;
    const gz = await cache.gzipOf(kept);
    assert.equal(cache.bytes, before + gz.length, 'a kept gzip counts');
    assert.equal(gz.buffer.byteLength, gz.length, 'kept bytes hold memory of their own');
    assert.equal(kept.body.buffer.byteLength, kept.body.length);
  });

  test('If-None-Match names an answer by either representation, weakly or strongly, or by *', () => {
    const answer = { etag: '"abc"' } as Answer;
    for (const header of ['"abc"', 'W/"abc"', '"abc-gzip"', '"zzz", W/"abc-gzip"', '*']) assert.ok(notModified(header, answer), header);
    for (const header of [undefined, '', '"ab"', '"abcd"', 'abc']) assert.ok(!notModified(header, answer), String(header));
  });

  test('a page written into one buffer is byte for byte the served records (JSON.stringify of servedEvent) joined', () => {
    const base = { id: 'e1', date: '2026-03-07', status: 'occurred', title: 'Fares “now” – café', evidence: [{ quote: 'said "status":"planned" here' }] };
    const records = [
      JSON.stringify(base),
      JSON.stringify({ ...base, id: 'e2', status: 'planned', date: '2026-03-09' }),
      JSON.stringify({ ...base, id: 'e3', title: 'emoji 🚌 and ü' }),
    ];
    const tail = '],"next_cursor":null,"total":3}';
    const joined = `{"events":[${records.map((r) => JSON.stringify(servedEvent(JSON.parse(r) as EventRecord, TODAY))).join(',')}${tail}`;
    assert.deepEqual(
      records.map((r) => servedJson(r, TODAY)),
      records.map((r) => JSON.stringify(servedEvent(JSON.parse(r) as EventRecord, TODAY))),
    );
    assert.equal(servedJsonList('{"events":[', records, TODAY, tail).toString('utf8'), joined);
    assert.equal(servedJsonList('[', [], TODAY, ']').toString(), '[]');
    assert.equal(typeof JSON.parse(joined).events[1].planned_status, 'string', 'where the plan whose day passed stands is worked out');
    assert.equal(JSON.parse(joined).events[0].planned_status, null);
  });
});

for (const { name, backend: makeBackend, skip } of backends(CLOCK)) {
  describe(`kept answers on ${name}`, { skip: skip ?? false }, () => {
    let backend: Backend;
    let store: Store;
    let app: App;
    let tokens: { editor: string; viewer: string };

    before(async () => {
      backend = makeBackend();
      store = await backend.open();
      for (const [n, text] of Object.entries(ARTICLES)) await ingest(store, n, text);
      await store.accounts().addUser('ed', 'editor', PASSWORD);
      await store.accounts().addUser('vi', 'viewer', PASSWORD);
      tokens = { editor: await store.accounts().createToken('ed'), viewer: await store.accounts().createToken('vi') };
      app = createApp(store, { today: () => TODAY });
    });
    after(async () => {
      await store?.close();
      await backend?.drop();
    });

    test('the same bytes and ETag again; If-None-Match gives a 304 without a body; the gzip has its own ETag; HEAD', async () => {
      for (const path of ['/api/events?limit=2', '/api/points', '/api/stats?group=region', '/api/events.csv', '/api/events.geojson']) {
        const first = await call(app, path);
        assert.equal(first.status, 200, path);
        assert.match(first.etag ?? '', /^"[A-Za-z0-9_-]+"$/, path);
        assert.equal(first.res.headers.get('cache-control'), 'no-cache');
        assert.match(first.res.headers.get('vary') ?? '', /Accept-Encoding/);
        const again = await call(app, path);
        assert.deepEqual(again.bytes, first.bytes, path);
        assert.equal(again.etag, first.etag);
        const cached = await call(app, path, { 'if-none-match': first.etag! });
        assert.equal(cached.status, 304, path);
        assert.equal(cached.bytes.length, 0);
        assert.equal(cached.etag, first.etag);
        const gz = await call(app, path, { 'accept-encoding': 'gzip, deflate, br' });
        assert.equal(gz.res.headers.get('content-encoding'), 'gzip', path);
        assert.deepEqual(gunzipSync(gz.bytes), first.bytes, path);
        assert.equal(gz.etag, first.etag!.slice(0, -1) + '-gzip"');
        assert.equal((await call(app, path, { 'accept-encoding': 'gzip', 'if-none-match': `W/${gz.etag}` })).status, 304);
        const head = await call(app, path, {}, 'HEAD');
        assert.equal(head.status, 200);
        assert.equal(head.etag, first.etag);
        assert.equal(head.bytes.length, 0);
      }
      assert.equal((await call(app, '/api/events?region=ZZ')).status, 400, 'a bad query is still a 400');
    });

    test('the body of a page is what the store holds, served: the records as stored, with planned_status', async () => {
      for (const query of ['limit=2', 'limit=500', 'status=planned', 'q=fares']) {
        const { bytes } = await call(app, `/api/events?${query}`);
        const params = new URLSearchParams(query);
        const page = await store.pageEvents({ status: (params.get('status') as 'planned' | null) ?? undefined, q: params.get('q') ?? undefined }, { limit: Number(params.get('limit') ?? 100) });
        const expected = JSON.stringify({
          events: page.events.map((e: EventRecord) => servedEvent(e, TODAY)),
          next_cursor: page.nextCursor,
          total: page.total,
          occurred: page.total - page.planned,
          planned: page.planned,
        });
        assert.equal(bytes.toString('utf8'), expected, query);
      }
    });

    test('a write through another connection reaches the next answer: new bytes, a new ETag, and the old ETag gets a 200', async () => {
      const before = await call(app, '/api/events?limit=100');
      const points = await call(app, '/api/points');
      const writer = await backend.open();
      try {
        assert.ok((await ingest(writer, 'later', LATER)) >= 1);
      } finally {
        await writer.close();
      }
      const after = await call(app, '/api/events?limit=100', { 'if-none-match': before.etag! });
      assert.equal(after.status, 200);
      assert.notEqual(after.etag, before.etag);
      const events = JSON.parse(after.bytes.toString()).events as EventRecord[];
      assert.ok(events.some((e) => e.locality === 'Laramie'));
      assert.equal(JSON.parse(after.bytes.toString()).total, JSON.parse(before.bytes.toString()).total + 1);
      const pointsAfter = await call(app, '/api/points', { 'if-none-match': points.etag! });
      assert.equal(pointsAfter.status, 200);
      assert.equal(JSON.parse(pointsAfter.bytes.toString()).rows.length, JSON.parse(points.bytes.toString()).rows.length + 1);
      // an editor's change through this app's store is a write too
      const laramie = events.find((e) => e.locality === 'Laramie')!;
      const edited = await call(app, `/api/events/${laramie.id}`);
      const revision = JSON.parse(edited.bytes.toString()).revision as number;
      const res = await app.request(`/api/events/${laramie.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${tokens.editor}`, 'content-type': 'application/json' },
        body: JSON.stringify({ revision, changes: { title: 'A vigil for safer crossings' }, reason: 'test' }),
      });
      assert.equal(res.status, 200, await res.text());
      const listed = JSON.parse((await call(app, '/api/events?limit=100')).bytes.toString()).events as EventRecord[];
      assert.equal(listed.find((e) => e.id === laramie.id)!.title, 'A vigil for safer crossings');
    });

    test("answers that depend on the caller are never kept for another: who is asking, the review queue, --verified-only's hidden events", async () => {
      const me = async (token?: string) => JSON.parse((await call(app, '/api/me', token ? { authorization: `Bearer ${token}` } : {})).bytes.toString()).user;
      assert.equal((await me(tokens.editor)).name, 'ed');
      assert.equal((await me(tokens.viewer)).name, 'vi');
      assert.equal(await me(), null);
      assert.equal((await call(app, '/api/review/queue', { authorization: `Bearer ${tokens.editor}` })).status, 200);
      assert.equal((await call(app, '/api/review/queue')).status, 401);
      assert.equal((await call(app, '/api/review/queue', { authorization: `Bearer ${tokens.viewer}` })).status, 403);

      // --verified-only: an event nobody checked is seen by editors only, in either order of asking
      const published = createApp(store, { today: () => TODAY, verifiedOnly: true });
      const all = JSON.parse((await call(app, '/api/events?limit=100')).bytes.toString()).events as EventRecord[];
      const [one, two] = all.filter((e) => e.review_status !== 'verified' && e.review_status !== 'edited');
      assert.ok(one && two);
      assert.equal((await call(published, `/api/events/${one.id}`, { authorization: `Bearer ${tokens.editor}` })).status, 200);
      assert.equal((await call(published, `/api/events/${one.id}`)).status, 404);
      assert.equal((await call(published, `/api/events/${two.id}`)).status, 404);
      assert.equal((await call(published, `/api/events/${two.id}`, { authorization: `Bearer ${tokens.editor}` })).status, 200);
      // and the lists of the two apps on one store are each their own
      const shown = JSON.parse((await call(published, '/api/events?limit=100')).bytes.toString()).events as EventRecord[];
      assert.ok(!shown.some((e) => e.id === one.id));
      assert.ok(JSON.parse((await call(app, '/api/events?limit=100')).bytes.toString()).events.some((e: EventRecord) => e.id === one.id));
      // the public answer an editor gets is everyone's
      const asEditor = await call(app, '/api/events?limit=100', { authorization: `Bearer ${tokens.editor}` });
      assert.deepEqual(asEditor.bytes, (await call(app, '/api/events?limit=100')).bytes);
    });

    test('answers not kept are gzipped per request for a client that accepts it, and left alone for one that does not', async () => {
      const plain = await call(app, '/feeds/events.atom');
      assert.equal(plain.status, 200);
      assert.ok(plain.bytes.length >= 1024, `${plain.bytes.length}`);
      assert.equal(plain.res.headers.get('content-encoding'), null);
      assert.match(plain.res.headers.get('vary') ?? '', /Accept-Encoding/);
      const gz = await call(app, '/feeds/events.atom', { 'accept-encoding': 'gzip' });
      assert.equal(gz.res.headers.get('content-encoding'), 'gzip');
      assert.deepEqual(gunzipSync(gz.bytes), plain.bytes);
      const small = await call(app, '/api/me', { 'accept-encoding': 'gzip' });
      assert.equal(small.res.headers.get('content-encoding'), null, 'under 1 KB stays as it is');
      assert.equal(small.res.headers.get('x-content-type-options'), 'nosniff', 'security headers stay');
    });
  });
}

describe('kept answers on PostgreSQL: the store version', { skip: NO_PG ?? false }, () => {
  test('changes with a write to the events from another process, and not with writes elsewhere on the server', async () => {
    const db = await pgDatabase(PG_URL);
    const other = pgBackend(PG_URL, CLOCK);
    let store: PgStore | null = null;
    const elsewhere = await other.open();
    try {
      store = await openPgStore(db.url, { effects: CLOCK });
      for (const [n, text] of Object.entries(ARTICLES)) await ingest(store, n, text);
      const app = createApp(store, { today: () => TODAY });
      const first = await call(app, '/api/events?limit=100');
      const version = await store.version();

      // writes that are not to these events: another store on the server, and this store's accounts
      await ingest(elsewhere, 'later', LATER);
      await store.accounts().addUser('ed', 'editor', PASSWORD);
      assert.equal(await store.version(), version);
      assert.equal((await call(app, '/api/events?limit=100', { 'if-none-match': first.etag! })).status, 304);

      // `turnout ingest` in its own process
      const file = join(tempDir(), 'later.txt');
      writeFileSync(file, LATER);
      const run = turnout(['ingest', file, '--db', db.url, '--published', '2026-03-09']);
      assert.equal(run.code, 0, run.stderr);
      assert.notEqual(await store.version(), version);
      const after = await call(app, '/api/events?limit=100', { 'if-none-match': first.etag! });
      assert.equal(after.status, 200);
      assert.ok((JSON.parse(after.bytes.toString()).events as EventRecord[]).some((e) => e.locality === 'Laramie'));

      // the counts of ended connections fold into one row, and the version stays
      const settled = await store.version();
      const gone = async () =>
        Number((await store!.reader.query('SELECT count(*) AS n FROM store_writes WHERE backend <> 0 AND backend NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)')).rows[0].n);
      for (let i = 0; i < 100 && (await gone()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok((await gone()) > 0, "the ingest process's connection has ended");
      await store.foldStoreWrites();
      assert.equal(await gone(), 0);
      assert.equal(await store.version(), settled);
      assert.equal((await call(app, '/api/events?limit=100', { 'if-none-match': after.etag! })).status, 304);
    } finally {
      await store?.close();
      await elsewhere.close();
      await other.drop();
      await db.drop();
    }
  });
});
