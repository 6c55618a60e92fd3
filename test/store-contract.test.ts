// One contract for every storage backend (issue 11): the same tests run against SQLite always, and against
// PostgreSQL when TURNOUT_TEST_PG names a server (postgres://postgres@127.0.0.1:5432/test): each run works in a
// fresh schema of its own and drops it at the end. Without TURNOUT_TEST_PG the PostgreSQL tests are skipped, saying
// why. Then both backends, given the same made-up articles, must answer every read alike.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EventRecord } from '../src/core/types.js';
import { processInput, type Processed } from '../src/pipeline.js';
import { loadGazetteer } from '../src/resolve/gazetteer.js';
import { openPgStore } from '../src/store/pg/index.js';
import { PG_MIGRATIONS } from '../src/store/pg/migrations.js';
import { CursorError, type EventFilter, type StoreEffects } from '../src/store/repository.js';
import { MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { isPostgresUrl, openAsyncStore, type Store } from '../src/store/store.js';
import { NO_PG, onServer, PG_URL, pgBackend as pgOn, sqliteBackend as sqliteOn, type Backend } from './helpers/backends.js';
import { tempDir } from './helpers/shared.js';
import { turnout } from './helpers/cli.js';

/** Made-up articles (neutral towns): two of one rally in Tulsa, two of one picket in Reno, and others alone. */
const TEXTS: Record<string, string> = {
  tulsa1: 'About 200 people rallied in Tulsa, Oklahoma, on Saturday, March 7, 2026, to demand safer streets near schools. (A made-up test article.)',
  tulsa2:
    'More than 500 people marched in Tulsa, Oklahoma, on Saturday, March 7, 2026, calling for safer streets near schools, organizers said. (Another made-up test article.)',
  reno1: 'Dozens of nurses picketed outside a hospital in Reno, Nevada, on Friday, March 6, 2026, over staffing levels. (A made-up test article.)',
  reno2: 'Nurses rallied again in Reno, Nevada, on Friday, March 6, 2026, saying wards are short-staffed. (Another made-up test article.)',
  keene: 'About 40 people held a vigil in Keene, New Hampshire, on Saturday, March 7, 2026, for the river cleanup. (A made-up test article.)',
  boise:
    'Teachers plan to rally at the state capitol in Boise, Idaho, on Saturday, March 14, 2026, to demand smaller classes, organizers said. (A made-up test article.)',
  akron: 'Roughly 300 students walked out of classes in Akron, Ohio, on Thursday, March 5, 2026, to protest tuition increases. (A made-up test article.)',
};

/** The newest schema version. */
const LATEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The same clock for every store: records and revisions carry the same times on both backends. */
const CLOCK: StoreEffects = { now: () => '2026-03-10T12:00:00.000Z' };

let gazetteer: ReturnType<typeof loadGazetteer> | null = null;

/** An article read through the same pipeline as `turnout ingest` (the gazetteer loaded once). */
function read(name: string, text = TEXTS[name]!): Processed {
  gazetteer ??= loadGazetteer();
  return processInput({ bytes: Buffer.from(text), name: `${name}.txt`, published: '2026-03-09', contentType: 'text/plain', today: '2026-03-10' }, gazetteer);
}

async function save(store: Store, name: string, text?: string) {
  const p = read(name, text);
  return store.saveArticle(p.article, p.mentions);
}

/** The contract's backends, on the contract's clock. */
const sqliteBackend = () => sqliteOn(CLOCK);
const pgBackend = (url: string) => pgOn(url, CLOCK);

/** The one event at a town (every review state). */
async function eventAt(store: Store, locality: string): Promise<EventRecord> {
  const found = (await store.listEvents({ includeRejected: true })).filter((e) => e.locality === locality);
  assert.equal(found.length, 1, `one event in ${locality}`);
  return found[0]!;
}

/** The contract every backend keeps. */
function contract(backend: Backend): void {
  let store: Store;
  before(async () => {
    store = await backend.open();
  });
  after(async () => {
    await store?.close();
    await backend.drop();
  });

  it('stores an article once: saving it again changes nothing', async () => {
    const first = await save(store, 'keene');
    assert.equal(first.article, 'new');
    assert.equal(first.eventsNew, 1);
    assert.equal(await store.hasArticle(read('keene').article.id), true);
    const counts = await store.counts();
    const again = await save(store, 'keene');
    assert.deepEqual(again, { article: 'unchanged', mentions: 0, eventsNew: 0, eventsUpdated: 0, changed: [] });
    assert.deepEqual(await store.counts(), counts);
    assert.equal(await store.hasArticle('no-such-article'), false);
  });

  it('merges two articles of the same place and day into one event with both sources', async () => {
    const a = await save(store, 'tulsa1');
    const b = await save(store, 'tulsa2');
    assert.equal(a.eventsNew, 1);
    assert.deepEqual([b.eventsNew, b.eventsUpdated], [0, 1]);
    const e = await eventAt(store, 'Tulsa');
    assert.deepEqual(e.sources.map((s) => s.id).sort(), [read('tulsa1').article.id, read('tulsa2').article.id].sort());
    assert.equal(e.revision, 2);
    assert.deepEqual(await store.getEvent(e.id), e);
    const mentions = await store.eventMentions(e.id);
    assert.equal(mentions?.length, 2);
    assert.ok(mentions!.every((m) => m.locality === 'Tulsa' && m.date === '2026-03-07'));
    assert.equal(await store.eventMentions('0000000000000000'), null);
    assert.equal(await store.getEvent('0000000000000000'), null);
  });

  it('filters by date, region, town (any case), status and box, and pages with cursors', async () => {
    for (const name of ['reno1', 'reno2', 'boise', 'akron']) await save(store, name);
    const all = await store.listEvents();
    assert.deepEqual(all.map((e) => e.locality), ['Akron', 'Reno', 'Keene', 'Tulsa', 'Boise']);
    const towns = async (f: EventFilter) => (await store.listEvents(f)).map((e) => e.locality);
    assert.deepEqual(await towns({ from: '2026-03-06', to: '2026-03-07' }), ['Reno', 'Keene', 'Tulsa']);
    assert.deepEqual(await towns({ region: 'nv' }), ['Reno']);
    assert.deepEqual(await towns({ locality: 'RENO' }), ['Reno']);
    assert.deepEqual(await towns({ status: 'planned' }), ['Boise']);
    // a box around Oklahoma and Nevada's west: Tulsa and Reno, not Akron or Keene
    assert.deepEqual(await towns({ bbox: [-125, 30, -95, 42] }), ['Reno', 'Tulsa']);
    assert.deepEqual(await towns({ limit: 2 }), ['Akron', 'Reno']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.pageEvents({}, { limit: 2, cursor });
      assert.equal(page.total, 5);
      assert.equal(page.planned, 1);
      seen.push(...page.events.map((e) => e.locality!));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ['Akron', 'Reno', 'Keene', 'Tulsa', 'Boise']);
    await assert.rejects(store.pageEvents({}, { limit: 2, cursor: 'not-a-cursor' }), CursorError);
    const json = await store.pageEventsJson({ region: 'OK' }, { limit: 10 });
    assert.deepEqual(JSON.parse(json.events[0]!), await eventAt(store, 'Tulsa'));
  });

  it('searches the full text for every word, in any form, and nothing for text without a word', async () => {
    const found = async (q: string) => (await store.listEvents({ q })).map((e) => e.locality);
    assert.deepEqual(await found('nurse'), ['Reno']);
    assert.deepEqual(await found('staffing hospital'), ['Reno']);
    assert.deepEqual(await found('nurses Tulsa'), []);
    assert.deepEqual(await found('schools'), ['Tulsa']);
    assert.deepEqual(await found('"; DROP TABLE events; --'), []);
    assert.deepEqual(await found('!!!'), []);
    assert.equal((await store.counts()).events, 5);
  });

  it('counts and sums per day, region and macro-event, draws points, and lists regions', async () => {
    const byRegion = await store.stats('region', {});
    assert.deepEqual(
      byRegion.map((r) => [r.key, r.events, r.occurred, r.planned]),
      [['ID', 1, 0, 1], ['NH', 1, 1, 0], ['NV', 1, 1, 0], ['OH', 1, 1, 0], ['OK', 1, 1, 0]],
    );
    const tulsa = await eventAt(store, 'Tulsa');
    assert.equal(byRegion.find((r) => r.key === 'OK')!.size_low, tulsa.size_low);
    const byDay = await store.stats('day', { from: '2026-03-07', to: '2026-03-07' });
    assert.deepEqual(byDay.map((r) => [r.key, r.events]), [['2026-03-07', 2]]);
    const points = JSON.parse(await store.pointsJson({ region: 'OK' })) as unknown[];
    assert.deepEqual(points, [[tulsa.id, tulsa.lon, tulsa.lat, 'occurred', tulsa.size_mean]]);
    assert.deepEqual(await store.regions(), ['ID', 'NH', 'NV', 'OH', 'OK']);
  });

  it('reviews at the revision the editor saw, and leaves a rejected event out unless asked', async () => {
    const akron = await eventAt(store, 'Akron');
    assert.deepEqual(await store.reviewEvent(akron.id, { action: 'reject', reason: 'not a protest', revision: akron.revision + 1, user: 'ed' }), {
      outcome: 'conflict',
      revision: akron.revision,
    });
    assert.deepEqual(await store.reviewEvent('0000000000000000', { action: 'verify', reason: 'x', revision: 1, user: 'ed' }), { outcome: 'not-found' });
    const r = await store.reviewEvent(akron.id, { action: 'reject', reason: 'not a protest', revision: akron.revision, user: 'ed' });
    assert.equal(r.outcome, 'reviewed');
    assert.ok(!(await store.listEvents()).some((e) => e.id === akron.id));
    assert.equal((await store.listEvents({ includeRejected: true })).find((e) => e.id === akron.id)?.review_status, 'rejected');
    const keene = await eventAt(store, 'Keene');
    await store.reviewEvent(keene.id, { action: 'verify', reason: 'checked', revision: keene.revision, user: 'ed' });
    assert.deepEqual((await store.listEvents({ verifiedOnly: true })).map((e) => e.locality), ['Keene']);
    // (one clock for the whole test: every change has the same time, so the ids break the tie)
    const recent = await store.recentChanges({}, 10);
    assert.equal(recent.find((c) => c.record.id === keene.id)?.revision, keene.revision + 1);
    assert.ok(!recent.some((c) => c.record.id === akron.id));
  });

  it('queues the events awaiting review, most doubt first, with the events near them to merge with', async () => {
    const near = await save(store, 'brokenarrow', 'About 80 people rallied in Broken Arrow, Oklahoma, on Sunday, March 8, 2026, for safer streets. (A made-up test article.)');
    assert.equal(near.eventsNew, 1);
    const items: Array<{ locality: string | null; doubt: number; neighbours: string[] }> = [];
    let cursor: string | null = null;
    do {
      const page = await store.reviewQueue({}, { limit: 2, cursor });
      assert.equal(page.total, 4);
      items.push(...page.items.map((i) => ({ locality: i.record.locality, doubt: i.doubt, neighbours: i.neighbours.map((n) => n.record.locality!) })));
      cursor = page.nextCursor;
    } while (cursor);
    // the rejected and the verified event are out of the queue
    assert.deepEqual(items.map((i) => i.locality).sort(), ['Boise', 'Broken Arrow', 'Reno', 'Tulsa']);
    assert.deepEqual(items.map((i) => i.doubt), items.map((i) => i.doubt).sort((a, b) => b - a));
    assert.deepEqual(items.find((i) => i.locality === 'Tulsa')!.neighbours, ['Broken Arrow']);
    assert.deepEqual((await store.reviewQueue({ region: 'NV' }, { limit: 5 })).items.map((i) => i.record.locality), ['Reno']);
    await assert.rejects(store.reviewQueue({}, { limit: 2, cursor: 'bm90LWEtY3Vyc29y' }), CursorError);
  });

  it("keeps an editor's value over every later article, and refuses a value that breaks the record's rules", async () => {
    const reno = await eventAt(store, 'Reno');
    const bad = await store.editEvent(reno.id, { changes: { size_low: 90, size_high: 10 }, reason: 'typo', revision: reno.revision, user: 'ed' });
    assert.equal(bad.outcome, 'invalid');
    assert.equal((bad as { field: string }).field, 'changes.size_low');
    const edited = await store.editEvent(reno.id, { changes: { title: 'Nurses picket over staffing' }, reason: 'clearer', revision: reno.revision, user: 'ed' });
    assert.equal(edited.outcome, 'edited');
    const stale = await store.editEvent(reno.id, { changes: { title: 'x' }, reason: 'late', revision: reno.revision, user: 'ed' });
    assert.deepEqual(stale, { outcome: 'conflict', revision: reno.revision + 1 });
    await save(store, 'reno3', 'Nurses in Reno, Nevada, picketed for a second shift on Friday, March 6, 2026, over staffing. (A third made-up test article.)');
    const after = await eventAt(store, 'Reno');
    assert.equal(after.title, 'Nurses picket over staffing');
    assert.equal(after.review_status, 'edited');
    assert.deepEqual(after.edited_fields, ['title']);
    assert.equal(after.sources.length, 3);
  });

  it('merges, splits and undoes, and lists every revision in the history', async () => {
    const LATE = 'Library supporters rallied again in Akron, Ohio, on Tuesday, March 3, 2026. (Another made-up test article.)';
    await save(store, 'keene3', 'About 30 people rallied in Keene, New Hampshire, on Tuesday, March 3, 2026, for the library. (A made-up test article.)');
    await save(store, 'akron3', 'About 20 people rallied in Akron, Ohio, on Tuesday, March 3, 2026, for the library. (A made-up test article.)');
    const [keene, akron] = await store.listEvents({ from: '2026-03-03', to: '2026-03-03' });
    assert.deepEqual([keene!.locality, akron!.locality], ['Keene', 'Akron']);
    const ask = { reason: 'one rally', user: 'ed' };
    assert.equal((await store.mergeEvents({ ids: [keene!.id, keene!.id], ...ask })).outcome, 'invalid');
    const merged = await store.mergeEvents({ ids: [keene!.id, akron!.id], ...ask });
    assert.equal(merged.outcome, 'merged');
    assert.equal(await store.getEvent(akron!.id), null);
    assert.equal(await store.resolveMerged(akron!.id), keene!.id);
    assert.deepEqual(await store.mergeEvents({ ids: [keene!.id, akron!.id], ...ask }), { outcome: 'not-found', id: akron!.id });
    // a later article of the merged event's place and day joins the event that stands
    await save(store, 'akron3b', LATE);
    const joined = (await store.getEvent(keene!.id))!;
    assert.equal(joined.sources.length, 3);
    const mentions = (await store.eventMentions(keene!.id))!;
    const late = mentions.find((m) => m.article.id === read('akron3b', LATE).article.id)!;
    const all = await store.splitEvent(keene!.id, { mentions: mentions.map((m) => m.id), reason: 'x', revision: joined.revision, user: 'ed' });
    assert.equal((all as { field?: string }).field, 'mentions');
    const split = await store.splitEvent(keene!.id, { mentions: [late.id], reason: 'a second rally', revision: joined.revision, user: 'ed' });
    assert.equal(split.outcome, 'split');
    if (split.outcome !== 'split') return;
    assert.deepEqual([split.event.sources.length, split.from.sources.length], [1, 2]);
    const history = (await store.eventHistory(keene!.id))!;
    assert.deepEqual(history.map((h) => h.action), ['split', 'ingest', 'merge', 'ingest']);
    assert.equal(history[0]!.reason, 'a second rally');
    // the split depends on the merge: the merge cannot be undone first
    assert.equal(history[2]!.undo, null);
    const undoSplit = await store.undoChange(keene!.id, { change: history[0]!.undo!.id, reason: 'one rally after all', user: 'ed' });
    assert.equal(undoSplit.outcome, 'undone');
    assert.equal((await store.getEvent(keene!.id))!.sources.length, 3);
    assert.equal((await store.undoChange(keene!.id, { change: history[0]!.undo!.id, reason: 'again', user: 'ed' })).outcome, 'refused');
    const mergeChange = (await store.eventHistory(keene!.id))!.find((h) => h.action === 'merge')!.undo!.id;
    assert.equal((await store.undoChange(keene!.id, { change: mergeChange, reason: 'two rallies', user: 'ed' })).outcome, 'undone');
    assert.equal((await store.getEvent(akron!.id))!.sources.length, 2);
    assert.equal((await store.getEvent(keene!.id))!.sources.length, 1);
    assert.equal(await store.eventHistory('0000000000000000'), null);
    assert.equal((await store.undoChange(keene!.id, { change: 1.5, reason: 'x', user: 'ed' })).outcome, 'invalid');
  });

  it('splits straight after ingest: the moved mention leaves the event it came from, and comes back on undo', async () => {
    const FIRST = 'About 40 people marched in Burlington, Vermont, on Thursday, March 5, 2026, for bus service. (A made-up test article.)';
    const SECOND = 'Riders marched again in Burlington, Vermont, on Thursday, March 5, 2026. (Another made-up test article.)';
    await save(store, 'burlington5', FIRST);
    await save(store, 'burlington5b', SECOND);
    const [joined] = await store.listEvents({ from: '2026-03-05', to: '2026-03-05', locality: 'Burlington' });
    assert.equal(joined!.sources.length, 2);
    const later = (await store.eventMentions(joined!.id))!.find((m) => m.article.id === read('burlington5b', SECOND).article.id)!;
    const split = await store.splitEvent(joined!.id, { mentions: [later.id], reason: 'two marches', revision: joined!.revision, user: 'ed' });
    assert.equal(split.outcome, 'split');
    if (split.outcome !== 'split') return;
    assert.deepEqual([split.event.sources.length, split.from.sources.length], [1, 1]);
    const standing = await store.listEvents({ from: '2026-03-05', to: '2026-03-05', locality: 'Burlington' });
    assert.deepEqual(standing.map((e) => e.sources.length), [1, 1]);
    const change = (await store.eventHistory(joined!.id))![0]!.undo!.id;
    assert.equal((await store.undoChange(joined!.id, { change, reason: 'one march', user: 'ed' })).outcome, 'undone');
    assert.equal((await store.getEvent(joined!.id))!.sources.length, 2);
    assert.equal(await store.getEvent(split.event.id), null);
  });

  it('makes one event with both sources when two connections save reports of the same place and day at once', async () => {
    const other = await backend.open();
    try {
      const towns = ['Boise', 'Eugene', 'Reno', 'Tulsa'];
      const pairs = towns.map((town, i) =>
        [1, 2].map((n) =>
          read(`race-${town}-${n}`, `About ${100 * n + i} people rallied in ${town === 'Eugene' ? 'Eugene, Oregon' : town === 'Boise' ? 'Boise, Idaho' : town === 'Reno' ? 'Reno, Nevada' : 'Tulsa, Oklahoma'}, on Monday, March 2, 2026, for fair rents. (Made-up race article ${n}.)`),
        ),
      );
      const outcomes = await Promise.all(pairs.flatMap(([a, b]) => [store.saveArticle(a!.article, a!.mentions), other.saveArticle(b!.article, b!.mentions)]));
      assert.ok(outcomes.every((o) => o.article === 'new'));
      const day = await store.listEvents({ from: '2026-03-02', to: '2026-03-02' });
      assert.deepEqual(day.map((e) => e.locality).sort(), towns);
      for (const [i, e] of day.entries()) {
        const pair = pairs[towns.indexOf(e.locality!)]!;
        assert.deepEqual(e.sources.map((s) => s.id).sort(), pair.map((p) => p.article.id).sort(), `both sources of event ${i}`);
      }
    } finally {
      await other.close();
    }
  });

  it("a page's counts and the store's version follow a write made through another connection", async () => {
    const filter: EventFilter = { region: 'OR' };
    const before = await store.pageEventsJson(filter, { limit: 1 });
    assert.deepEqual(await store.pageEventsJson(filter, { limit: 1 }), before, 'nothing changed: the same page and counts');
    const version = await store.version();
    const other = await backend.open();
    try {
      await save(other, 'eugene-planned', 'Students plan to march in Eugene, Oregon, on Saturday, March 21, 2026, for cheaper housing, organizers said. (A made-up test article.)');
    } finally {
      await other.close();
    }
    const after = await store.pageEventsJson(filter, { limit: 1 });
    assert.deepEqual([after.total, after.planned], [before.total + 1, before.planned + 1]);
    // a backend that can tell when the store changed must say so; one that cannot answers null (and nothing is cached)
    if (version !== null) assert.notEqual(await store.version(), version);
  });
}

describe('migrations: each version means the same schema state on both backends', () => {
  it('PostgreSQL has a migration for every SQLite version, in order', () => {
    assert.deepEqual(PG_MIGRATIONS.map((m) => m.version), MIGRATIONS.map((m) => m.version));
  });
  it('a postgres:// address selects PostgreSQL, anything else SQLite', async () => {
    assert.equal(isPostgresUrl('postgres://u@h/db'), true);
    assert.equal(isPostgresUrl('postgresql://u@h/db'), true);
    assert.equal(isPostgresUrl('./turnout.db'), false);
    const store = await openAsyncStore(join(tempDir(), 'factory.db'));
    assert.equal(store.backend, 'sqlite');
    await store.close();
  });
});

/** `turnout migrate` with these arguments, run as a user runs it. */
function migrate(...args: string[]) {
  return turnout(['migrate', ...args]);
}

describe('turnout migrate', () => {
  it('brings a SQLite file to the newest version, and again finds it there', () => {
    const file = join(tempDir(), 'migrate.db');
    for (let i = 0; i < 2; i++) {
      const r = migrate('--db', file);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `turnout: ${file}: schema version ${LATEST}\n`);
    }
  });

  it('refuses arguments; the live-record commands on an unreachable server say so in one line', () => {
    const r = migrate('extra');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /migrate takes no arguments/);
    const sources = turnout(['sources', 'list', '--db', 'postgres://nobody@127.0.0.1:1/none']);
    assert.equal(sources.code, 2);
    assert.match(sources.stderr, /^turnout: cannot open the PostgreSQL store: .*ECONNREFUSED/);
  });

  it('exits 2 naming the reason when the PostgreSQL server cannot be reached', () => {
    const r = migrate('--db', 'postgres://nobody@127.0.0.1:1/none');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^turnout: cannot migrate the PostgreSQL store: .*ECONNREFUSED/);
  });

  it('applies every PostgreSQL migration to a new database once', { skip: NO_PG ?? false }, async () => {
    const name = `turnout_migrate_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const url = new URL(PG_URL);
    await onServer(PG_URL, `CREATE DATABASE ${name}`);
    try {
      url.pathname = `/${name}`;
      const first = migrate('--db', url.href);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.stdout, `turnout: the PostgreSQL store: applied ${PG_MIGRATIONS.map((m) => m.version).join(', ')}; schema version ${LATEST}\n`);
      const again = migrate('--db', url.href);
      assert.equal(again.stdout, `turnout: the PostgreSQL store: nothing to apply; schema version ${LATEST}\n`);
    } finally {
      await onServer(PG_URL, `DROP DATABASE IF EXISTS ${name}`);
    }
  });
});

describe('store contract: SQLite', () => contract(sqliteBackend()));

describe('store contract: PostgreSQL', { skip: NO_PG ?? false }, () => {
  contract(pgBackend(PG_URL));

  it('applies its migrations once: a second open finds nothing to do', async () => {
    const backend = pgBackend(PG_URL);
    try {
      const first = await openPgStore(PG_URL, { schema: backend.schema, effects: CLOCK });
      assert.deepEqual(first.applied, PG_MIGRATIONS.map((m) => m.version));
      assert.equal(await first.schemaVersion(), LATEST);
      const [a, b] = await Promise.all([openPgStore(PG_URL, { schema: backend.schema }), openPgStore(PG_URL, { schema: backend.schema })]);
      assert.deepEqual([a.applied, b.applied], [[], []]);
      await Promise.all([first.close(), a.close(), b.close()]);
    } finally {
      await backend.drop();
    }
  });
});

describe('SQLite and PostgreSQL answer alike for the same articles', { skip: NO_PG ?? false }, () => {
  const backends = [sqliteBackend(), pgBackend(PG_URL)];
  let stores: Store[] = [];
  before(async () => {
    stores = await Promise.all(backends.map((b) => b.open()));
    for (const name of Object.keys(TEXTS)) {
      const p = read(name);
      for (const s of stores) await s.saveArticle(p.article, p.mentions);
    }
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await Promise.all(backends.map((b) => b.drop()));
  });

  /** Each store's answer to the same call. */
  const both = <T>(call: (s: Store) => Promise<T>): Promise<T[]> => Promise.all(stores.map(call));

  const FILTERS: EventFilter[] = [{}, { from: '2026-03-06' }, { to: '2026-03-06' }, { region: 'nh' }, { locality: 'tulsa' }, { status: 'occurred' }, { q: 'schools' }, { bbox: [-125, 30, -95, 42] }];

  it('lists, pages (with the same cursors), counts and searches alike', async () => {
    for (const f of FILTERS) {
      const [a, b] = await both((s) => s.listEvents(f));
      assert.deepEqual(b, a, JSON.stringify(f));
      let cursor: string | null = null;
      do {
        const [pa, pb] = await both((s) => s.pageEventsJson(f, { limit: 2, cursor }));
        assert.deepEqual(pb, pa, JSON.stringify(f));
        cursor = pa!.nextCursor;
      } while (cursor);
    }
    const [ca, cb] = await both((s) => s.counts());
    assert.deepEqual(cb, ca);
    const [xa, xb] = await both((s) => s.recentChanges({}, 3));
    assert.deepEqual(xb, xa);
    const [ra, rb] = await both((s) => s.regions());
    assert.deepEqual(rb, ra);
  });

  it('answers stats and map points alike', async () => {
    for (const f of FILTERS) {
      for (const group of ['day', 'region', 'macroevent'] as const) {
        const [a, b] = await both((s) => s.stats(group, f));
        assert.deepEqual(b, a, `${group} ${JSON.stringify(f)}`);
      }
      const [pa, pb] = await both(async (s) => (JSON.parse(await s.pointsJson(f)) as Array<[string]>).sort((x, y) => (x[0] < y[0] ? -1 : 1)));
      assert.deepEqual(pb, pa);
    }
  });

  it('queues alike, with the same cursors and neighbours', async () => {
    let cursor: string | null = null;
    do {
      const [a, b] = await both((s) => s.reviewQueue({}, { limit: 2, cursor }));
      assert.deepEqual(b, a);
      cursor = a!.nextCursor;
    } while (cursor);
  });

  it('reviews and edits alike', async () => {
    const [tulsa] = await stores[0]!.listEvents({ locality: 'Tulsa' });
    const [a, b] = await both((s) => s.editEvent(tulsa!.id, { changes: { size_low: 250, size_high: 400 }, reason: 'recount', revision: tulsa!.revision, user: 'ed' }));
    assert.deepEqual(b, a);
    const [va, vb] = await both((s) => s.reviewEvent(tulsa!.id, { action: 'verify', reason: 'ok', revision: tulsa!.revision + 1, user: 'ed' }));
    assert.deepEqual(vb, va);
    const [la, lb] = await both((s) => s.listEvents({ verifiedOnly: true }));
    assert.deepEqual(lb, la);
    const [keene] = await stores[0]!.listEvents({ locality: 'Keene' });
    const [akron] = await stores[0]!.listEvents({ locality: 'Akron' });
    const [ma, mb] = await both((s) => s.mergeEvents({ ids: [keene!.id, akron!.id], reason: 'same', user: 'ed' }));
    assert.deepEqual(mb, ma);
    const [ha, hb] = await both((s) => s.eventHistory(keene!.id));
    assert.deepEqual(hb, ha);
  });
});
