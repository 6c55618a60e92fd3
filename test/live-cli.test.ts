// The live-record commands as a user runs them: sources, fetch, webhooks, watch --once, and serve's scheduler.
// Every server is one the test starts on 127.0.0.1.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openStore } from '../src/store/sqlite/index.js';
import { makeArticle } from './helpers/corpus.js';
import { startServer, type TestServer } from './helpers/http-server.js';
import { REPO_ROOT, servedUrl, tempDir } from './helpers/shared.js';
import { turnoutAsync, type Run } from './helpers/cli.js';

/** The CLI without blocking this process (its loopback servers must keep answering), with no pause between requests. */
const turnout = (args: string[], env: Record<string, string> = {}): Promise<Run> => turnoutAsync(args, { env: { TURNOUT_POLITENESS_MS: '0', ...env } });

const CLI = join(REPO_ROOT, 'src', 'cli.ts');

const article = makeArticle(7, 6);

describe('live-record commands', () => {
  let server: TestServer;
  let db: string;
  let allow: Record<string, string>;

  before(async () => {
    server = await startServer({
      '/a/7.txt': (_q, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(article.text),
      '/feed.xml': (_q, res) =>
        res
          .writeHead(200, { 'content-type': 'application/rss+xml' })
          .end(`<rss version="2.0"><channel><title>Made-up test feed</title><item><title>Rally in ${article.town}</title><link>/a/7.txt</link><guid>7</guid><description>Protesters rallied.</description></item></channel></rss>`),
    });
    db = join(tempDir(), 'turnout.db');
    allow = { TURNOUT_ALLOW_HOSTS: server.host };
  });
  after(() => server?.close());

  test('sources add, list, log and remove; bad URLs and intervals are refused with a reason', async () => {
    const feed = `${server.url}/feed.xml`;
    const add = await turnout(['sources', 'add', feed, '--every', '5m', '--db', db]);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /^added: source 1 .*feed\.xml every 5m/);
    assert.match((await turnout(['sources', 'add', feed, '--db', db])).stdout, /^already there: source 1/);
    const ftp = await turnout(['sources', 'add', 'ftp://example.org/feed', '--db', db]);
    assert.equal(ftp.code, 2);
    assert.match(ftp.stderr, /only http: and https:/);
    const every = await turnout(['sources', 'add', feed, '--every', '10s', '--db', db]);
    assert.equal(every.code, 1);
    assert.match(every.stderr, /--every must be a duration of at least 1m/);
    const list = await turnout(['sources', 'list', '--db', db]);
    assert.match(list.stdout, /feed\.xml/);
    assert.match(list.stdout, /1 source$/m);
    const missing = await turnout(['sources', 'remove', '99', '--db', db]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no source 99/);
  });

  test('watch --once polls the source and ingests its item; without the allow-list the loopback feed is refused', async () => {
    const refused = await turnout(['watch', '--once', '--db', db]);
    assert.equal(refused.code, 0);
    assert.match(refused.stderr, /refused http:\/\/127\.0\.0\.1:\d+\/feed\.xml: 127\.0\.0\.1 is a loopback address/);
    assert.equal(server.requests.length, 0, 'nothing was sent');
    const log = await turnout(['sources', 'log', '1', '--db', db]);
    assert.match(log.stdout, /error: refused/);

    const r = await turnout(['watch', '--once', '--db', db], allow);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /jobs: 2 \(1 polls, 1 items of which 0 failed/);
    assert.match(r.stdout, /events: [1-9]\d* new/);
    const events = await turnout(['events', '--db', db]);
    assert.match(events.stdout, new RegExp(article.town));
  });

  test('fetch ingests a page; a loopback page without the allow-list fails with exit code 2', async () => {
    const db2 = join(tempDir(), 'turnout.db');
    const bad = await turnout(['fetch', `${server.url}/a/7.txt`, '--db', db2]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /loopback address \(allow it with --allow-host or TURNOUT_ALLOW_HOSTS\)/);
    const ok = await turnout(['fetch', `${server.url}/a/7.txt`, '--db', db2, '--allow-host', server.host]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /events: [1-9]\d* new/);
    const again = await turnout(['fetch', `${server.url}/a/7.txt`, '--db', db2, '--allow-host', server.host]);
    assert.match(again.stdout, /events: 0 new, 0 updated/);
  });

  test('webhooks add prints a secret; filters are checked; list shows the hook', async () => {
    const add = await turnout(['webhooks', 'add', 'http://127.0.0.1:9/hook', '--filter', 'region=MN', '--db', db]);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /^added webhook 1 http:\/\/127\.0\.0\.1:9\/hook\nsecret: [\w-]{20,}\n$/);
    const bad = await turnout(['webhooks', 'add', 'http://127.0.0.1:9/hook', '--filter', 'colour=red', '--db', db]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--filter takes KEY=VALUE/);
    const badRegion = await turnout(['webhooks', 'add', 'http://127.0.0.1:9/hook', '--filter', 'region=Minnesota', '--db', db]);
    assert.equal(badRegion.code, 1);
    const list = await turnout(['webhooks', 'list', '--db', db]);
    assert.match(list.stdout, /^1 +active +http:\/\/127\.0\.0\.1:9\/hook +region=MN$/m);
  });

  test('serve runs the scheduler (and does not with --no-watch)', async () => {
    const base = await startServer({
      '/a/7.txt': (_q, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(article.text),
      '/feed.xml': (_q, res) =>
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<rss version="2.0"><channel><title>t</title><item><title>Rally</title><link>/a/7.txt</link><guid>7</guid></item></channel></rss>`),
    });
    try {
      for (const watch of [false, true]) {
        const store = join(tempDir(), 'turnout.db');
        await turnout(['sources', 'add', `${base.url}/feed.xml`, '--db', store]);
        const before = base.requests.length;
        const p = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--db', store, '--port', '0', ...(watch ? [] : ['--no-watch'])], {
          cwd: REPO_ROOT,
          env: { ...process.env, TURNOUT_POLITENESS_MS: '0', TURNOUT_ALLOW_HOSTS: base.host },
        });
        const url = await servedUrl(p);
        let total = 0;
        for (let i = 0; i < 60 && total === 0; i++) {
          await new Promise((r) => setTimeout(r, 100));
          total = ((await (await fetch(`${url}/api/events`)).json()) as { total: number }).total;
          if (!watch && i >= 15) break;
        }
        p.kill('SIGTERM');
        await new Promise((r) => p.once('exit', r));
        if (watch) assert.ok(total > 0, 'the scheduler polled the feed and ingested its item');
        else {
          assert.equal(total, 0);
          assert.equal(base.requests.length, before, '--no-watch fetches nothing');
        }
      }
    } finally {
      await base.close();
    }
  });

  test('serve --workers 2 answers from two processes on one port and stops cleanly', async () => {
    const store = join(tempDir(), 'turnout.db');
    assert.equal((await turnout(['ingest', join(REPO_ROOT, 'samples'), '--db', store])).code, 0);
    const p = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--db', store, '--port', '0', '--workers', '2', '--no-watch'], { cwd: REPO_ROOT });
    const url = await servedUrl(p, /at (http:\/\/127\.0\.0\.1:\d+)\/.*2 server processes/);
    const totals = await Promise.all(Array.from({ length: 8 }, async () => ((await (await fetch(`${url}/api/events`)).json()) as { total: number }).total));
    const stored = openStore(store);
    const expected = stored.counts().events;
    stored.close();
    assert.ok(expected > 0);
    assert.deepEqual(new Set(totals), new Set([expected]));
    const bad = await turnout(['serve', '--workers', '0', '--db', store]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--workers must be a number/);
    p.kill('SIGTERM');
    const code = await new Promise((r) => p.once('exit', r));
    assert.equal(code, 0);
  });
});
