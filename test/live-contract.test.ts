// The live record's storage on every backend (issue 11): feed sources and their fetch log, a poll's items and their
// item jobs, an item's article with its near-duplicate link and hash, webhooks and their delivery log, and the
// delivery jobs queued for changed events. SQLite always; PostgreSQL when TURNOUT_TEST_PG names a server (a fresh
// schema for the store and one for its job queue, dropped at the end; skipped, saying why, otherwise). The same
// steps must give the same answers on both; only where the jobs wait differs (SQLite's job table, pg-boss's).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { simhash } from '../src/feeds/simhash.js';
import { processInput } from '../src/pipeline.js';
import { loadGazetteer } from '../src/resolve/gazetteer.js';
import type { ItemResult, NewItem, PollOutcome } from '../src/store/live.js';
import { openPgStore } from '../src/store/pg/index.js';
import type { SaveOutcome, StoreEffects } from '../src/store/repository.js';
import { openStore, type SqliteRepository } from '../src/store/sqlite/index.js';
import { asyncStore, type Store } from '../src/store/store.js';
import { NO_PG, onServer, PG_URL } from './helpers/backends.js';
import { tempDir } from './helpers/shared.js';

/** Made-up reports (neutral towns): a rally, its syndicated copy, a second rally, and a vigil. */
const TEXTS: Record<string, string> = {
  rally:
    'About 200 people rallied in Tulsa, Oklahoma, on Saturday, March 7, 2026, to demand safer streets near schools. Speakers took turns at a microphone outside the library, and the crowd walked to the county courthouse afterwards. (A made-up test article.)',
  copy: 'About 200 people rallied in Tulsa, Oklahoma, on Saturday, March 7, 2026, to demand safer streets near schools. Speakers took turns at a microphone outside the library, and the crowd walked to the county courthouse afterwards. (A made-up test article, syndicated.)',
  reno: 'Dozens of nurses picketed outside a hospital in Reno, Nevada, on Friday, March 6, 2026, over staffing levels. (A made-up test article.)',
  keene: 'About 40 people held a vigil in Keene, New Hampshire, on Saturday, March 7, 2026, for the river cleanup. (A made-up test article.)',
};

const CLOCK: StoreEffects = { now: () => '2026-03-10T12:00:00.000Z' };

let gazetteer: ReturnType<typeof loadGazetteer> | null = null;

function read(name: string) {
  gazetteer ??= loadGazetteer();
  return processInput({ bytes: Buffer.from(TEXTS[name]!), name: `${name}.txt`, published: '2026-03-09', contentType: 'text/plain', today: '2026-03-10' }, gazetteer);
}

/** An item's reading as the watcher makes it: the article, its SimHash, and the near-duplicate found (if any). */
function reading(name: string, duplicateOf: { id: string; distance: number } | null = null): ItemResult {
  const p = read(name);
  return { article: p.article, mentions: p.mentions, simhash: simhash(p.article.text), duplicateOf };
}

/** A store under test, with the backend's own way of ending jobs and of listing the jobs it queued. */
interface LiveBackend {
  name: 'SQLite' | 'PostgreSQL';
  store: Store;
  /** a poll's outcome recorded (its job's end aside) */
  finishPoll(sourceId: number, outcome: PollOutcome): Promise<{ itemsNew: number; itemsSkipped: number }>;
  /** an item's outcome recorded (its job's end aside) */
  finishItem(itemId: number | null, result: ItemResult): Promise<SaveOutcome | null>;
  /** the data of the jobs queued of one kind, oldest first */
  queued(kind: 'poll' | 'item' | 'deliver'): Promise<object[]>;
  /** whether the store opened a job queue (PostgreSQL: pg-boss's schema exists); SQLite's job table is always there */
  queueOpened(): Promise<boolean>;
  /** an item's row id, state and reason, by its key */
  item(key: string): Promise<{ id: number; state: string; reason: string | null } | null>;
  close(): Promise<void>;
}

function sqliteLive(): LiveBackend {
  const repo = openStore(join(tempDir(), 'live.db'), CLOCK) as SqliteRepository;
  const live = repo.live();
  return {
    name: 'SQLite',
    store: asyncStore(repo),
    finishPoll: async (sourceId, outcome) => live.finishPoll(0, sourceId, outcome),
    finishItem: async (itemId, result) => live.finishItem(0, itemId, result),
    queued: async (kind) => (repo.handle.prepare('SELECT payload FROM jobs WHERE kind = ? ORDER BY id').pluck().all(kind) as string[]).map((p) => JSON.parse(p) as object),
    queueOpened: async () => true,
    item: async (key) => (repo.handle.prepare('SELECT id, state, reason FROM items WHERE item_key = ?').get(key) as { id: number; state: string; reason: string | null } | undefined) ?? null,
    close: async () => repo.close(),
  };
}

async function pgLive(): Promise<LiveBackend> {
  const schema = `turnout_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const jobSchema = `${schema}_jobs`;
  const store = await openPgStore(PG_URL, { schema, jobSchema, effects: CLOCK });
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  return {
    name: 'PostgreSQL',
    store,
    finishPoll: (sourceId, outcome) => store.tx((c) => store.live().finishPoll(c, sourceId, outcome)),
    finishItem: (itemId, result) => store.tx((c) => store.live().finishItem(c, itemId, result)),
    async queued(kind) {
      if ((await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [jobSchema])).rowCount !== 1) return [];
      return (await client.query(`SELECT data FROM ${jobSchema}.job WHERE name = $1 ORDER BY created_on, id`, [kind])).rows.map((r: { data: object }) => r.data);
    },
    queueOpened: async () => (await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [jobSchema])).rowCount === 1,
    item: async (key) => ((await client.query(`SELECT id::int, state, reason FROM ${schema}.items WHERE item_key = $1`, [key])).rows[0] as { id: number; state: string; reason: string | null } | undefined) ?? null,
    async close() {
      await store.close();
      await client.end();
      await onServer(PG_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${jobSchema} CASCADE`);
    },
  };
}

const item = (key: string, extra: Partial<NewItem> = {}): NewItem => ({
  key,
  url: `https://news.example/${key}`,
  title: `Story ${key}`,
  published: '2026-03-09',
  skipReason: null,
  content: null,
  contentType: null,
  ...extra,
});

function liveContract(open: () => Promise<LiveBackend>): void {
  let b: LiveBackend;
  before(async () => {
    b = await open();
  });
  after(async () => {
    await b?.close();
  });

  it('saving with no webhook queues no delivery (on PostgreSQL it does not start the job queue)', async () => {
    const saved = await b.store.saveArticle(read('keene').article, read('keene').mentions);
    assert.equal(saved.eventsNew, 1);
    assert.deepEqual(await b.queued('deliver'), []);
    if (b.name === 'PostgreSQL') assert.equal(await b.queueOpened(), false, 'pg-boss is not started');
  });

  it('adds a source once, lists, finds and removes it by id or URL', async () => {
    const live = b.store.live();
    const first = await live.addSource('https://news.example/feed.xml', 900);
    assert.equal(first.added, true);
    assert.deepEqual(first.source, {
      id: 1,
      url: 'https://news.example/feed.xml',
      every_seconds: 900,
      etag: null,
      last_modified: null,
      next_poll_at: CLOCK.now(),
      last_polled_at: null,
      last_status: null,
      failures: 0,
      added_at: CLOCK.now(),
    });
    const again = await live.addSource('https://news.example/feed.xml', 60);
    assert.equal(again.added, false);
    assert.equal(again.source.every_seconds, 900, 'the first interval stays');
    await live.addSource('https://news.example/other.xml', 3600);
    assert.deepEqual((await live.listSources()).map((s) => [s.id, s.url]), [
      [1, 'https://news.example/feed.xml'],
      [2, 'https://news.example/other.xml'],
    ]);
    assert.equal((await live.getSource(2))!.every_seconds, 3600);
    assert.equal(await live.getSource(99), null);
    assert.equal(await live.removeSource('https://news.example/other.xml'), true);
    assert.equal(await live.removeSource('2'), false);
    assert.equal(await live.removeSource('https://news.example/nothing.xml'), false);
    const third = await live.addSource('https://news.example/third.xml', 900);
    assert.equal(await live.removeSource(String(third.source.id)), true);
  });

  it("records a poll's new items once, queues an item job for each relevant one, logs the fetch and keeps the source's state", async () => {
    const live = b.store.live();
    const items = [item('a1', { content: 'Protesters rallied.', contentType: 'text/plain' }), item('a2', { judgeOnPage: true }), item('roads', { skipReason: 'no protest words' })];
    assert.deepEqual(await b.finishPoll(1, { status: 200, etag: '"v1"', lastModified: 'Tue, 10 Mar 2026 11:00:00 GMT', items }), { itemsNew: 2, itemsSkipped: 1 });
    const jobs = await b.queued('item');
    assert.deepEqual(jobs, [
      { itemId: 1, url: 'https://news.example/a1', content: 'Protesters rallied.', contentType: 'text/plain', published: '2026-03-09', title: 'Story a1' },
      { itemId: 2, url: 'https://news.example/a2', content: null, contentType: null, published: '2026-03-09', title: 'Story a2', judgeOnPage: true },
    ]);
    assert.deepEqual(await b.item('roads'), { id: 3, state: 'skipped', reason: 'no protest words' });
    assert.deepEqual(await b.item('a1'), { id: 1, state: 'queued', reason: null });
    // the same items again (and one more): only the new one is recorded and queued
    assert.deepEqual(await b.finishPoll(1, { status: 200, items: [...items, item('a3')] }), { itemsNew: 1, itemsSkipped: 0 });
    const a3 = (await b.item('a3'))!;
    assert.deepEqual((await b.queued('item')).map((j) => (j as { itemId: number }).itemId), [1, 2, a3.id]);
    const source = (await live.getSource(1))!;
    assert.deepEqual([source.last_status, source.failures, source.etag, source.last_modified, source.last_polled_at], ['200', 0, '"v1"', 'Tue, 10 Mar 2026 11:00:00 GMT', CLOCK.now()]);
    assert.deepEqual(await b.finishPoll(1, { status: 200, error: 'not a readable feed: line 1' }), { itemsNew: 0, itemsSkipped: 0 });
    const failed = (await live.getSource(1))!;
    assert.deepEqual([failed.last_status, failed.failures, failed.etag], ['error: not a readable feed: line 1', 1, '"v1"']);
    await live.logFetch({ url: 'https://news.example/page', status: 404, items_new: 0, items_skipped: 0, error: 'HTTP 404' });
    const log = await live.fetchLog(null, 2);
    assert.deepEqual(
      log.map((e) => [e.source_id, e.url, e.status, e.items_new, e.items_skipped, e.error, e.at]),
      [
        [null, 'https://news.example/page', 404, 0, 0, 'HTTP 404', CLOCK.now()],
        [1, 'https://news.example/feed.xml', 200, 0, 0, 'not a readable feed: line 1', CLOCK.now()],
      ],
    );
    assert.deepEqual((await live.fetchLog(1, 10)).map((e) => e.items_new), [0, 1, 2]);
  });

  it("saves an item's article with its hash; a near-duplicate is linked; failures and skips keep their reasons", async () => {
    const live = b.store.live();
    const first = reading('rally');
    const state = async (key: string) => {
      const row = (await b.item(key))!;
      return { state: row.state, reason: row.reason };
    };
    const out = (await b.finishItem(1, first))!;
    assert.equal(out.article, 'new');
    assert.deepEqual(await state('a1'), { state: 'ingested', reason: null });
    const id = (first as { article: { id: string } }).article.id;
    const copy = reading('copy');
    const near = await live.nearArticles((copy as { simhash: bigint }).simhash, 12, 'none');
    assert.deepEqual(near.map((n) => n.id), [id], 'the copy is near the original');
    assert.ok(near[0]!.distance <= 12);
    assert.deepEqual(await live.nearArticles((copy as { simhash: bigint }).simhash, 12, id), [], 'except');
    assert.deepEqual((await live.articleEventKeys(id)).length, 1);
    const linked = (await b.finishItem(2, reading('copy', near[0]!)))!;
    assert.equal(linked.article, 'new');
    assert.ok(linked.changed.length >= 1, 'the link changes the event');
    assert.deepEqual(await state('a2'), { state: 'duplicate', reason: `near-duplicate of ${id}` });
    const [event] = (await b.store.listEvents({ locality: 'Tulsa' }))!;
    assert.equal(event!.sources.length, 2);
    assert.ok(event!.flags.includes('syndicated_copies'), event!.flags.join(','));
    assert.equal(await b.finishItem((await b.item('a3'))!.id, { error: 'HTTP 404' }), null);
    assert.deepEqual(await state('a3'), { state: 'failed', reason: 'HTTP 404' });
    assert.equal(await b.finishItem(null, { skipped: 'page: not a protest report' }), null);
    // an article saved again (another item linking to the same page) leaves its item unchanged
    const again = await live.addSource('https://news.example/again.xml', 900);
    await b.finishPoll(again.source.id, { status: 200, items: [item('again')] });
    await b.finishItem((await b.item('again'))!.id, reading('rally'));
    assert.deepEqual(await state('again'), { state: 'unchanged', reason: null });
    assert.deepEqual(await live.itemCounts(), { duplicate: 1, failed: 1, ingested: 1, skipped: 1, unchanged: 1 });
  });

  it('adds, lists, finds and removes webhooks; logs deliveries; disables a hook after 3 failures in a row', async () => {
    const live = b.store.live();
    const hook = await live.addWebhook('https://hooks.example/in', 's3cret', { region: 'NV' });
    assert.deepEqual(hook, { id: 1, url: 'https://hooks.example/in', secret: 's3cret', filter: { region: 'NV' }, active: true, consecutive_failures: 0, disabled_reason: null, created_at: CLOCK.now() });
    const other = await live.addWebhook('https://hooks.example/other', 'x', {});
    assert.deepEqual((await live.listWebhooks()).map((h) => h.id), [1, 2]);
    const attempt = { webhook_id: other.id, event_id: 'e1', revision: 1, attempt: 1, status: 500, ok: false, error: 'HTTP 500' };
    await live.logDelivery(attempt, 3);
    await live.logDelivery({ ...attempt, attempt: 2, status: 200, ok: true, error: null }, 3);
    assert.equal((await live.getWebhook(other.id))!.consecutive_failures, 0, 'a success resets the count');
    for (let i = 3; i <= 5; i++) await live.logDelivery({ ...attempt, attempt: i }, 3);
    const disabled = (await live.getWebhook(other.id))!;
    assert.equal(disabled.active, false);
    assert.equal(disabled.disabled_reason, 'disabled after 3 failed deliveries in a row (last: HTTP 500)');
    assert.deepEqual((await live.deliveries(other.id)).map((d) => [d.attempt, d.ok, d.status, d.at]), [
      [1, false, 500, CLOCK.now()],
      [2, true, 200, CLOCK.now()],
      [3, false, 500, CLOCK.now()],
      [4, false, 500, CLOCK.now()],
      [5, false, 500, CLOCK.now()],
    ]);
    assert.equal(await live.getWebhook(99), null);
  });

  it('queues one delivery per matching active webhook and revision, in the transaction of the change, saying what made it', async () => {
    const saved = (await b.store.saveArticle(read('reno').article, read('reno').mentions))!;
    assert.equal(saved.eventsNew, 1);
    const reno = saved.changed[0]!;
    assert.equal(await b.queueOpened(), true);
    // the NV hook matches; the disabled one hears nothing; the Tulsa and Keene events changed before any hook existed
    assert.deepEqual(await b.queued('deliver'), [{ webhookId: 1, eventId: reno.id, revision: 1, created: true, change: 'ingest' }]);
    const verified = await b.store.reviewEvent(reno.id, { action: 'verify', reason: 'checked', revision: 1, user: 'ed' });
    assert.equal(verified.outcome, 'reviewed');
    const edited = await b.store.editEvent(reno.id, { revision: 2, changes: { size_text: 'about 60 nurses' }, reason: 'the union count', user: 'ed' });
    assert.equal(edited.outcome, 'edited');
    assert.deepEqual((await b.queued('deliver')).slice(1), [
      { webhookId: 1, eventId: reno.id, revision: 2, created: false, change: 'review' },
      { webhookId: 1, eventId: reno.id, revision: 3, created: false, change: 'edit' },
    ]);
    // a change that touches no event queues nothing; removing the hook stops its deliveries
    assert.equal((await b.store.saveArticle(read('reno').article, read('reno').mentions)).article, 'unchanged');
    assert.equal(await b.store.live().removeWebhook(1), true);
    await b.store.reviewEvent(reno.id, { action: 'verify', reason: 'again', revision: 3, user: 'ed' });
    assert.equal((await b.queued('deliver')).length, 3);
    // a rejection is never announced, even to a hook that lists rejected events
    await b.store.live().addWebhook('http://127.0.0.1:9/all', 'secret', { includeRejected: true });
    assert.equal((await b.store.reviewEvent(reno.id, { action: 'reject', reason: 'not a protest', revision: 4, user: 'ed' })).outcome, 'reviewed');
    assert.equal((await b.queued('deliver')).length, 3);
  });
}

describe('live record contract: SQLite', () => liveContract(async () => sqliteLive()));
describe('live record contract: PostgreSQL', { skip: NO_PG ?? false }, () => liveContract(pgLive));
