// Workers on a job queue (issue 11): `turnout ingest --enqueue` queues made-up articles with overlapping events on a
// PostgreSQL store (pg-boss), four `turnout worker` processes run them while one is killed with SIGKILL mid-run, and
// the record they build equals a single-process SQLite ingest of the same articles: same events, mentions and sources,
// nothing lost, nothing twice. Runs in a fresh database dropped at the end; skipped, saying why, without
// TURNOUT_TEST_PG. The job data's round trip (text or base64, the size limit, bad data) is checked without a server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { BadJobError, enqueueInput, inputOfJob, jobDataOf, jobIdOf, MAX_JOB_BYTES } from '../src/jobs/ingest.js';
import { failForGood, INGEST_QUEUE, JOB_SCHEMA, openJobs } from '../src/jobs/queue.js';
import { ingest } from '../src/ingest/index.js';
import { ingestIntoStore } from '../src/pipeline.js';
import { loadGazetteer } from '../src/resolve/gazetteer.js';
import { openPgStore } from '../src/store/pg/index.js';
import { openStore } from '../src/store/sqlite/index.js';
import { asyncStore, type Store } from '../src/store/store.js';
import { NO_PG, PG_URL, pgDatabase } from './helpers/backends.js';
import { tempDir } from './helpers/shared.js';
import { exited, jobStates, startWorkerProcess, until } from './helpers/workers.js';
import { writeArticles } from './helpers/workload.js';
import { turnout } from './helpers/cli.js';

/** Articles and events: 2,000 reports of 300 protests (bench/workers.bench.ts times the same set). */
const ARTICLES = 2000;
const EVENTS = 300;
/** Short leases for the test: a killed worker's jobs come back after 4 s, looked for every second. */
const JOB_ENV = { TURNOUT_JOB_EXPIRE_SECONDS: '4', TURNOUT_JOB_CHECK_SECONDS: '1' };
const worker = (url: string, concurrency: number) => startWorkerProcess(url, concurrency, JOB_ENV);

/** The same articles ingested one after the other into a SQLite store, as `turnout ingest` reads .txt files. */
async function sqliteRun(paths: string[]): Promise<Store> {
  const store = asyncStore(openStore(join(tempDir(), 'single.db')));
  const gaz = loadGazetteer();
  for (const p of paths) await ingestIntoStore(store, { bytes: readFileSync(p), name: p, url: null, published: null, contentType: 'text/plain' }, gaz);
  return store;
}

describe(`turnout worker: 4 processes ingest ${ARTICLES} queued articles, one killed mid-run`, { skip: NO_PG ?? false }, () => {
  let db: { url: string; drop(): Promise<void> };
  let client: pg.Client;
  let paths: string[];
  before(async () => {
    db = await pgDatabase(PG_URL);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    paths = writeArticles(tempDir(), ARTICLES, EVENTS);
  });
  after(async () => {
    await client?.end();
    await db?.drop();
  });

  it('--enqueue queues each article once, however often it is run', () => {
    const first = turnout(['ingest', join(paths[0]!, '..'), '--db', db.url, '--enqueue'], { env: JOB_ENV });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, `jobs: ${ARTICLES} queued, 0 already queued, 0 already stored, 0 failed\n`);
    const again = turnout(['ingest', join(paths[0]!, '..'), '--db', db.url, '--enqueue'], { env: JOB_ENV });
    assert.equal(again.stdout, `jobs: 0 queued, ${ARTICLES} already queued, 0 already stored, 0 failed\n`);
  });

  it('the workers build the record a single SQLite process builds: same events, mentions and sources, none twice', async (t) => {
    const workers = [4, 2, 2, 2].map((n) => worker(db.url, n));
    try {
      // kill the busiest worker once a tenth of the jobs are done: it holds jobs it never completes
      await until('a tenth of the jobs done', 120_000, async () => ((await jobStates(client)).states.completed ?? 0) >= ARTICLES / 10);
      workers[0]!.p.kill('SIGKILL');
      await until('every job completed', 150_000, async () => ((await jobStates(client)).states.completed ?? 0) === ARTICLES);
    } finally {
      for (const w of workers.slice(1)) w.p.kill('SIGTERM');
    }
    assert.equal(await exited(workers[0]!.p), 'SIGKILL');
    for (const w of workers.slice(1)) {
      assert.equal(await exited(w.p), 0, w.stderr());
      assert.match(w.stderr(), /turnout worker: stopped: \d+ jobs done \(\d+ new articles, \d+ already stored; events \d+ new, \d+ updated\), 0 failed/);
    }
    const { states, retried } = await jobStates(client);
    assert.deepEqual(states, { completed: ARTICLES }, 'every job completed, none failed or left');
    assert.ok(retried >= 1, `the killed worker's jobs were expired and retried by the others (retried: ${retried})`);

    const [onPg, single] = await Promise.all([openPgStore(db.url), sqliteRun(paths)]);
    try {
      const [pgEvents, sqliteEvents] = await Promise.all([onPg.listEvents(), single.listEvents()]);
      const pgCounts = await onPg.counts();
      const sqliteCounts = await single.counts();
      assert.equal(pgCounts.articles, ARTICLES);
      assert.deepEqual(pgCounts, sqliteCounts, 'articles, mentions, events and revisions');
      assert.ok(sqliteEvents.length >= EVENTS, `${sqliteEvents.length} events`);
      for (const e of pgEvents) assert.equal(new Set(e.sources.map((s) => s.id)).size, e.sources.length, `no source twice in ${e.id}`);
      t.diagnostic(`${pgEvents.length} events; ${retried} jobs retried after the kill`);
      const byId = (events: typeof pgEvents) => [...events].sort((x, y) => x.id.localeCompare(y.id));
      assert.deepEqual(byId(pgEvents), byId(sqliteEvents));
    } finally {
      await Promise.all([onPg.close(), single.close()]);
    }
    const late = turnout(['ingest', join(paths[0]!, '..'), '--db', db.url, '--enqueue']);
    assert.equal(late.stdout, `jobs: 0 queued, 0 already queued, ${ARTICLES} already stored, 0 failed\n`);
  });

  it('a job whose data is not an article fails at once with the reason, and is not retried', async () => {
    const boss = await openJobs(db.url, { supervise: false });
    let id: string | null;
    try {
      id = await boss.send(INGEST_QUEUE, { name: 'blank.txt', url: null, published: null, contentType: null, today: '2026-03-01', text: '   ' }, { singletonKey: 'blank' });
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    assert.ok(id);
    const w = worker(db.url, 1);
    try {
      await until('the bad job failed', 30_000, async () => ((await jobStates(client)).states.failed ?? 0) === 1);
    } finally {
      w.p.kill('SIGTERM');
    }
    assert.equal(await exited(w.p), 0, w.stderr());
    const row = (await client.query(`SELECT retry_count, output FROM ${JOB_SCHEMA}.job WHERE id = $1`, [id])).rows[0] as { retry_count: number; output: { reason: string } };
    assert.equal(row.retry_count, 0);
    assert.match(row.output.reason, /file contains only whitespace/);
    assert.match(w.stderr(), new RegExp(`job ${id} \\(blank.txt\\) failed: file contains only whitespace`));
    assert.match(w.stderr(), /1 failed/);
  });

  it('an article whose job failed for good is queued again when it is sent again', async () => {
    const boss = await openJobs(db.url, { supervise: false });
    const store = await openPgStore(db.url);
    try {
      const input = { bytes: Buffer.from('date 2026-03-02\n\nAbout 40 people rallied outside city hall in Akron, Ohio, on Sunday, March 1, 2026.\n'), name: 'again.txt', contentType: 'text/plain' };
      assert.equal(await enqueueInput(boss, store, input, '2026-03-02'), 'queued');
      assert.equal(await enqueueInput(boss, store, input, '2026-03-02'), 'already queued');
      const id = jobIdOf(ingest(input).id);
      // as when its retries were spent (no worker runs now)
      await failForGood(boss, INGEST_QUEUE, id, 'the store was down');
      assert.equal((await boss.getJobById(INGEST_QUEUE, id))?.state, 'failed');
      assert.equal(await enqueueInput(boss, store, input, '2026-03-02'), 'queued');
      assert.equal((await boss.getJobById(INGEST_QUEUE, id))?.state, 'created');
      assert.equal(await enqueueInput(boss, store, input, '2026-03-02'), 'already queued');
    } finally {
      await boss.stop({ graceful: false, wait: true });
      await store.close();
    }
  });

  it('worker refuses a SQLite store and a bad --concurrency, saying why', () => {
    const sqlite = turnout(['worker', '--db', join(tempDir(), 'x.db')]);
    assert.equal(sqlite.code, 1);
    assert.match(sqlite.stderr, /worker needs a PostgreSQL store/);
    const bad = turnout(['worker', '--db', db.url, '--concurrency', 'many']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--concurrency must be a whole number from 1 to 64, got "many"/);
    const enqueue = turnout(['ingest', paths[0]!, '--db', join(tempDir(), 'x.db'), '--enqueue']);
    assert.equal(enqueue.code, 1);
    assert.match(enqueue.stderr, /--enqueue needs a PostgreSQL store/);
  });
});

describe('an ingest job carries the input bytes for bytes', () => {
  const input = (bytes: Buffer) => ({ bytes, name: 'a.html', url: 'https://news.example/a', published: '2026-03-02', contentType: 'text/html' });
  it('as text when they are UTF-8, as base64 when not, and gives back the same input', () => {
    const utf8 = Buffer.from('<p>About 40 people rallied in Keene, New Hampshire, on March 1, 2026 — café.</p>');
    const latin1 = Buffer.from([0x3c, 0x70, 0x3e, 0x63, 0x61, 0x66, 0xe9, 0x3c, 0x2f, 0x70, 0x3e]);
    for (const [bytes, carried] of [[utf8, 'text'], [latin1, 'base64']] as const) {
      const data = jobDataOf(input(bytes), '2026-03-03');
      assert.ok(carried in data, carried);
      const back = inputOfJob(JSON.parse(JSON.stringify(data)));
      assert.deepEqual(Buffer.from(back.bytes), bytes);
      assert.deepEqual({ ...back, bytes: null }, { ...input(bytes), bytes: null, today: '2026-03-03' });
    }
  });
  it('refuses a file over the job size limit, and names what is wrong with data that is not a job', () => {
    assert.throws(() => jobDataOf(input(Buffer.alloc(MAX_JOB_BYTES + 1, 0x61)), '2026-03-03'), /too large for a job/);
    assert.throws(() => inputOfJob({ name: 'x', url: null, published: null, contentType: null, today: 'soon', text: 'hi' }), (e: Error) => e instanceof BadJobError && /today/.test(e.message));
    assert.throws(() => inputOfJob({ name: 'x', url: null, published: null, contentType: null, today: '2026-03-03' }), /either text or base64/);
    assert.throws(() => inputOfJob(null), BadJobError);
  });
  it('has one id per article content', () => {
    assert.equal(jobIdOf('a'.repeat(64)), jobIdOf('a'.repeat(64)));
    assert.notEqual(jobIdOf('a'.repeat(64)), jobIdOf('b'.repeat(64)));
    assert.match(jobIdOf('a'.repeat(64)), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
