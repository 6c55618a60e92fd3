// The live record on PostgreSQL end to end (issue 11), as a user runs it: feeds and pages served by a loopback server
// the test starts, a webhook receiver on another, `sources add` and `webhooks add` on a fresh database, `watch --once`
// queueing the polls, and two `turnout worker` processes draining the queues while one is killed with SIGKILL in the
// middle of a page fetch. The events equal those SQLite's `watch --once` makes from the same feeds; every webhook
// delivery arrives once per (event, revision) with a valid signature; a feed that is no feed and a page that is no
// article fail for good with the reason, a page that answers 503 once is retried; polling again adds nothing.
// Skipped, saying why, without TURNOUT_TEST_PG.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { JOB_SCHEMA } from '../src/jobs/queue.js';
import { SIGNATURE_HEADER, verifySignature } from '../src/live/webhooks.js';
import { openPgStore } from '../src/store/pg/index.js';
import { openStore } from '../src/store/sqlite/index.js';
import { NO_PG, PG_URL, pgDatabase } from './helpers/backends.js';
import { makeArticle } from './helpers/corpus.js';
import { startServer, type TestServer } from './helpers/http-server.js';
import { REPO_ROOT, servedUrl, tempDir } from './helpers/shared.js';
import { exited, startWorkerProcess, until } from './helpers/workers.js';
import { turnoutAsync } from './helpers/cli.js';

const CLI = join(REPO_ROOT, 'src', 'cli.ts');
const SECRET = 'made-up-test-secret';

/** Second reports of three of the corpus's rallies (same place and day, other words): their events get a second source. */
function secondReport(i: number): string {
  const a = makeArticle(i);
  const [, month, day] = a.date.split('-').map(Number) as [number, number, number];
  const when = new Date(Date.UTC(2026, month - 1, day)).toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  return `date ${a.date}\n\nA second look at the ${a.town} protest\n\nMore than 300 people marched through ${a.town}, ${a.state}, on ${when} to protest the raids, a police spokesman said; the organizers counted more. Nobody was arrested. (A made-up test article.)\n`;
}

interface Page {
  path: string;
  text: string;
  title: string;
  /** what the feed says of it: a summary (judged by its words), or nothing (the page is judged once fetched) */
  summary: string | null;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function rss(base: string, pages: Page[], extra = ''): string {
  const items = pages
    .map((p) => `<item><title>${esc(p.title)}</title><link>${base}${p.path}</link><guid>${base}${p.path}</guid>${p.summary === null ? '' : `<description>${esc(p.summary)}</description>`}</item>`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Made-up test feed</title><link>${base}/</link>\n${items}\n${extra}</channel></rss>`;
}

const ARTICLES: Page[] = Array.from({ length: 14 }, (_, i) => {
  const a = makeArticle(i);
  return { path: `/p/${i}.txt`, text: a.text, title: `Rally in ${a.town}`, summary: a.text.slice(0, 300) };
});
const SECOND: Page[] = [0, 1, 2].map((i) => ({ path: `/p/second-${i}.txt`, text: secondReport(i), title: 'Weekend update', summary: null }));
const EMPTY: Page = { path: '/p/empty.txt', text: '   \n', title: 'Protesters march downtown', summary: 'Protesters marched downtown on Saturday, organizers said.' };
const FLAKY: Page = { path: '/p/flaky.txt', text: makeArticle(15).text, title: 'Rally', summary: makeArticle(15).text.slice(0, 300) };
const NOT_PROTEST = `<item><title>Council approves road repair budget</title><link>/p/roads</link><guid>roads-1</guid><description>The city council voted 7-2 on Tuesday to spend $4 million on road repairs next year.</description></item>`;
/** Pages the workers fetch before the gate closes; the rest wait until every worker loop holds one. */
const OPEN_FIRST = 6;
/** Job lifetimes for the test: a killed worker's job comes back after 6 s, looked for every second; retries after 1 s. */
const ENV = { TURNOUT_JOB_EXPIRE_SECONDS: '6', TURNOUT_JOB_CHECK_SECONDS: '1', TURNOUT_RETRY_BASE_MS: '1000', TURNOUT_POLITENESS_MS: '0' };

describe('the live record on PostgreSQL: watch --once queues, two workers (one killed) poll, ingest and deliver', { skip: NO_PG ?? false }, () => {
  let db: { url: string; drop(): Promise<void> };
  let client: pg.Client;
  let feeds: TestServer;
  let receiver: TestServer;
  let env: Record<string, string>;
  const held: Array<() => void> = [];
  let gate = { open: true, served: 0 };
  let flakyAnswers = 0;
  const received: Array<{ body: string; sig: string | undefined }> = [];

  before(async () => {
    db = await pgDatabase(PG_URL);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    feeds = await startServer();
    receiver = await startServer({
      '/hook': (req: IncomingMessage, res: ServerResponse) => {
        let body = '';
        req.on('data', (d) => (body += d));
        req.on('end', () => {
          received.push({ body, sig: req.headers[SIGNATURE_HEADER] as string | undefined });
          res.writeHead(204).end();
        });
      },
    });
    const answer = (p: Page, res: ServerResponse) => {
      if (p === FLAKY && flakyAnswers++ === 0) res.writeHead(503).end('busy');
      else res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(p.text);
    };
    for (const p of [...ARTICLES, ...SECOND, EMPTY, FLAKY]) {
      feeds.route(p.path, (_req, res) => {
        // (the page that answers 503 once is never held: its one 503 must reach a worker that lives)
        if (gate.open || gate.served < OPEN_FIRST || p === FLAKY) {
          gate.served++;
          answer(p, res);
        } else held.push(() => answer(p, res));
      });
    }
    const feed = (path: string, xml: string) => {
      const etag = `"${createHash('sha256').update(xml).digest('hex').slice(0, 16)}"`;
      feeds.route(path, (req, res) => {
        if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end();
        else res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(xml);
      });
    };
    feed('/news.xml', rss(feeds.url, [...ARTICLES, EMPTY, FLAKY], NOT_PROTEST));
    feed('/headlines.xml', rss(feeds.url, SECOND));
    feeds.route('/broken.xml', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss><channel><item><title>x</item></channel>'));
    env = { ...ENV, TURNOUT_ALLOW_HOSTS: `${feeds.host},${receiver.host}` };
  });
  after(async () => {
    for (const release of held.splice(0)) release();
    await feeds?.close();
    await receiver?.close();
    await client?.end();
    await db?.drop();
  });

  /** Jobs of the live queues by state. */
  const states = async (): Promise<Record<string, number>> => {
    const rows = (await client.query(`SELECT state::text AS state, count(*)::int AS n FROM ${JOB_SCHEMA}.job WHERE name IN ('poll', 'item', 'deliver') GROUP BY state`)).rows as Array<{ state: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  };
  const drained = async () => {
    const s = await states();
    return !s.created && !s.retry && !s.active && (s.completed ?? 0) > 0;
  };

  it('adds the sources and a webhook, and watch --once queues one poll per source', async () => {
    for (const path of ['/news.xml', '/headlines.xml', '/broken.xml']) {
      const r = await turnoutAsync(['sources', 'add', `${feeds.url}${path}`, '--db', db.url], { env: env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^added: source \d /);
    }
    const hook = await turnoutAsync(['webhooks', 'add', `${receiver.url}/hook`, '--secret', SECRET, '--db', db.url], { env: env });
    assert.equal(hook.stdout, `added webhook 1 ${receiver.url}/hook\nsecret: ${SECRET}\n`);
    const once = await turnoutAsync(['watch', '--once', '--db', db.url], { env: env });
    assert.equal(once.code, 0, once.stderr);
    assert.match(once.stdout, /^queued 3 polls \(one per source\)/);
    assert.deepEqual(await states(), { created: 3 });
  });

  it('two workers drain the queues, one killed in the middle of a page; the record equals SQLite watch --once; deliveries arrive once each', async (t) => {
    gate = { open: false, served: 0 };
    const killed = startWorkerProcess(db.url, 1, env);
    const survivor = startWorkerProcess(db.url, 2, env);
    try {
      // every loop of both workers waits on a page: the one killed holds a job, and is sending no webhook
      await until('every worker loop holding a page', 60_000, async () => held.length >= 3);
      killed.p.kill('SIGKILL');
      assert.equal(await exited(killed.p), 'SIGKILL');
      gate.open = true;
      for (const release of held.splice(0)) release();
      await until('the queues drained', 120_000, drained);
    } finally {
      survivor.p.kill('SIGTERM');
    }
    assert.equal(await exited(survivor.p), 0, survivor.stderr());
    assert.match(survivor.stderr(), /turnout worker: stopped: \d+ jobs done .*; feeds: \d+ polls, \d+ items, \d+ deliveries/);

    // bad input fails for good with its reason; the 503 was retried; the killed worker's job was taken over
    const jobs = (await client.query(`SELECT name, state::text AS state, retry_count, data, output FROM ${JOB_SCHEMA}.job WHERE name IN ('poll', 'item', 'deliver')`)).rows as Array<{
      name: string;
      state: string;
      retry_count: number;
      data: { sourceId?: number; url?: string };
      output: { reason?: string } | null;
    }>;
    const failed = jobs.filter((j) => j.state === 'failed');
    // (each failed at its first reading: a retry count of 1 is the kill's, when the killed worker held that page)
    assert.deepEqual(failed.map((j) => j.name).sort(), ['item', 'poll'], JSON.stringify(failed));
    assert.ok(failed.every((j) => j.retry_count <= (j.data.url === `${feeds.url}${EMPTY.path}` ? 1 : 0)), JSON.stringify(failed));
    assert.match(failed.find((j) => j.name === 'poll')!.output!.reason!, /not a readable feed/);
    assert.match(failed.find((j) => j.name === 'item')!.output!.reason!, /whitespace/);
    const flaky = jobs.find((j) => j.data.url === `${feeds.url}${FLAKY.path}`)!;
    assert.deepEqual([flaky.state, flaky.retry_count], ['completed', 1], 'the page that answered 503 was fetched again');
    const takenOver = jobs.filter((j) => j.retry_count > 0 && j !== flaky);
    assert.ok(takenOver.length >= 1, "the killed worker's job expired and was run by the other worker");
    t.diagnostic(`${jobs.length} live jobs; ${takenOver.length} taken over from the killed worker`);

    // the same feeds read by SQLite's watch --once (the gate is open and the 503 spent: every page answers at once)
    const file = join(tempDir(), 'turnout.db');
    for (const path of ['/news.xml', '/headlines.xml', '/broken.xml']) await turnoutAsync(['sources', 'add', `${feeds.url}${path}`, '--db', file], { env: env });
    const sqliteRun = await turnoutAsync(['watch', '--once', '--db', file], { env: env });
    assert.equal(sqliteRun.code, 0, sqliteRun.stderr);
    const onPg = await openPgStore(db.url);
    const onSqlite = openStore(file);
    try {
      const byId = <T extends { id: string }>(events: T[]) => [...events].sort((x, y) => x.id.localeCompare(y.id));
      const pgEvents = await onPg.listEvents();
      assert.ok(pgEvents.length >= ARTICLES.length, `${pgEvents.length} events`);
      assert.deepEqual(byId(pgEvents), byId(onSqlite.listEvents()));
      assert.deepEqual(await onPg.counts(), onSqlite.counts());
      assert.deepEqual(await onPg.live().itemCounts(), onSqlite.live().itemCounts());
      assert.ok(pgEvents.some((e) => e.sources.length === 2), 'the second reports joined their events');

      // every revision of every event was delivered once, signed with the hook's secret
      const revisions = (await client.query('SELECT event_id, revision FROM event_revisions ORDER BY event_id, revision')).rows.map((r: { event_id: string; revision: number }) => `${r.event_id} r${r.revision}`);
      const got = received.map((r) => {
        assert.ok(verifySignature(SECRET, r.sig, r.body).ok, 'the signature verifies');
        const body = JSON.parse(r.body) as { type: string; change: string; revision: number; event: { id: string } };
        assert.equal(body.change, 'ingest');
        assert.equal(body.type, body.revision === 1 ? 'event.created' : 'event.updated');
        return `${body.event.id} r${body.revision}`;
      });
      assert.deepEqual([...got].sort(), [...revisions].sort(), 'each (event, revision) delivered exactly once');
      assert.equal((await onPg.live().deliveries(1)).filter((d) => d.ok).length, revisions.length);
    } finally {
      await onPg.close();
      onSqlite.close();
    }
  });

  it('polling again adds nothing: the feeds answer 304, no page is fetched, no event changes, nothing is delivered', async () => {
    const before = { counts: await countsOf(db.url), received: received.length, pages: feeds.requests.filter((r) => r.url.startsWith('/p/')).length };
    const once = await turnoutAsync(['watch', '--once', '--db', db.url], { env: env });
    assert.match(once.stdout, /^queued 3 polls/);
    const w = startWorkerProcess(db.url, 2, env);
    try {
      await until('the polls done', 60_000, drained);
    } finally {
      w.p.kill('SIGTERM');
    }
    assert.equal(await exited(w.p), 0, w.stderr());
    assert.deepEqual(await countsOf(db.url), before.counts);
    assert.equal(received.length, before.received);
    assert.equal(feeds.requests.filter((r) => r.url.startsWith('/p/')).length, before.pages);
    const log = await turnoutAsync(['sources', 'log', '--db', db.url], { env: env });
    assert.equal(log.stdout.split('\n').filter((l) => /\s304\s+new 0 /.test(l)).length, 2, log.stdout);
  });

  it('fetch queues a page as an item job; a worker ingests it and its new event is delivered', async () => {
    const extra = makeArticle(16);
    feeds.route('/p/extra.txt', (_req, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(extra.text));
    const before = received.length;
    const r = await turnoutAsync(['fetch', `${feeds.url}/p/extra.txt`, '--db', db.url], { env: env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'queued 1 page as item jobs: "turnout worker --db URL" fetches and ingests them\n');
    const w = startWorkerProcess(db.url, 1, env);
    try {
      await until('the page ingested and its event delivered', 60_000, async () => (await drained()) && received.length > before);
    } finally {
      w.p.kill('SIGTERM');
    }
    assert.equal(await exited(w.p), 0, w.stderr());
    const bodies = received.slice(before).map((x) => JSON.parse(x.body) as { type: string; event: { locality: string } });
    assert.deepEqual(bodies.map((b) => [b.type, b.event.locality]), [['event.created', extra.town]]);
  });

  it('serve and watch, two schedulers on one store, queue a due poll once; serve --no-watch queues none', async () => {
    const added = await turnoutAsync(['sources', 'add', `${feeds.url}/news.xml?again`, '--db', db.url], { env: env });
    const id = Number(/source (\d+)/.exec(added.stdout)![1]);
    const polls = async () => ((await client.query(`SELECT count(*)::int AS n FROM ${JOB_SCHEMA}.job WHERE name = 'poll' AND (data->>'sourceId')::int = $1`, [id])).rows[0] as { n: number }).n;
    const start = (args: string[]) => {
      const p = spawn(process.execPath, ['--import', 'tsx', CLI, ...args, '--db', db.url], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
      let err = '';
      p.stderr.on('data', (d) => (err += d));
      return { p, stderr: () => err };
    };
    const stopped = (p: ReturnType<typeof spawn>) => new Promise((r) => (p.exitCode !== null ? r(p.exitCode) : p.once('exit', r)));
    const quiet = start(['serve', '--port', '0', '--no-watch']);
    try {
      await servedUrl(quiet.p);
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(await polls(), 0, 'serve --no-watch schedules nothing');
    } finally {
      quiet.p.kill('SIGTERM');
    }
    assert.equal(await stopped(quiet.p), 0, quiet.stderr());
    const serve = start(['serve', '--port', '0']);
    const watch = start(['watch']);
    watch.p.stdout.resume();
    try {
      await servedUrl(serve.p);
      await until('a poll of the new source queued', 30_000, async () => (await polls()) >= 1);
      // both schedulers tick every second: a few more rounds each
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(await polls(), 1, 'queued once');
    } finally {
      serve.p.kill('SIGTERM');
      watch.p.kill('SIGTERM');
    }
    for (const w of [serve, watch]) assert.equal(await stopped(w.p), 0, w.stderr());
    assert.match(serve.stderr(), /scheduling the polls of due sources/);
    assert.match(watch.stderr(), /scheduling the polls of \d+ sources/);
  });
});

/** What polling again must not change: articles, mentions, events, revisions, items by state. */
async function countsOf(url: string): Promise<object> {
  const store = await openPgStore(url);
  try {
    return { ...(await store.counts()), items: await store.live().itemCounts() };
  } finally {
    await store.close();
  }
}
