// The live record end to end: feeds served by a loopback server the test starts, polled by the watcher
// (in-process and as `turnout watch` processes), with SSRF refusals, conditional GET, a SIGKILL mid-run,
// two watchers on one store, near-duplicate wire copy, and signed webhooks with retries.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { EventRecord } from '../src/core/types.js';
import { Watcher, type WatchOptions } from '../src/live/watch.js';
import { ingestInto } from '../src/pipeline.js';
import { SIGNATURE_HEADER, verifySignature } from '../src/live/webhooks.js';
import type { Repository } from '../src/store/repository.js';
import { openStore } from '../src/store/sqlite/index.js';
import { makeArticle } from './helpers/corpus.js';
import { startServer, type TestServer } from './helpers/http-server.js';
import { NO_SHARED, REPO_ROOT, SEEDS_DIR, tempDir } from './helpers/shared.js';
import { storeFrom } from './helpers/store.js';

const SAMPLES = join(REPO_ROOT, 'samples');
const CLI = join(REPO_ROOT, 'src', 'cli.ts');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.md': 'text/markdown; charset=utf-8', '.txt': 'text/plain; charset=utf-8' };

interface Page {
  path: string;
  body: Buffer;
  type: string;
  title: string;
  summary: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An RSS 2.0 feed of pages on `base`; extra raw <item> XML may be appended. */
function rss(base: string, pages: Page[], extra = ''): string {
  const items = pages
    .map((p) => `<item><title>${esc(p.title)}</title><link>${base}${p.path}</link><guid>${base}${p.path}</guid><description>${esc(p.summary)}</description></item>`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Test feed (made up by the Turnout tests)</title><link>${base}/</link>\n${items}\n${extra}</channel></rss>`;
}

/** An RSS 2.0 feed of pages on `base` whose items carry a title and a link only. */
function titlesOnly(base: string, pages: Page[], extra = ''): string {
  const items = pages.map((p) => `<item><title>${esc(p.title)}</title><link>${base}${p.path}</link><guid>${base}${p.path}</guid></item>`).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Headlines only (made up by the Turnout tests)</title><link>${base}/</link>\n${items}\n${extra}</channel></rss>`;
}

function pagesFrom(dir: string): Page[] {
  return readdirSync(dir)
    .filter((f) => TYPES[extname(f)])
    .sort()
    .map((f, i) => {
      const body = readFileSync(join(dir, f));
      const text = body.toString('utf8').replace(/<[^>]+>/g, ' ');
      return { path: `/a/${i}${extname(f)}`, body, type: TYPES[extname(f)]!, title: `Report ${i}`, summary: text.slice(0, 400) };
    });
}

/** Serves pages; `delayMs` slows each one. */
function servePages(server: TestServer, pages: Page[], delayMs = 0): void {
  for (const p of pages) {
    server.route(p.path, (_req: IncomingMessage, res: ServerResponse) => {
      setTimeout(() => res.writeHead(200, { 'content-type': p.type }).end(p.body), delayMs);
    });
  }
}

/** Serves pages and a feed of them with conditional GET; `delayMs` slows each page. */
function serveFeed(server: TestServer, feedPath: string, pages: Page[], opts: { extra?: string; delayMs?: number } = {}): void {
  servePages(server, pages, opts.delayMs);
  const xml = rss(server.url, pages, opts.extra);
  const etag = `"${createHash('sha256').update(xml).digest('hex').slice(0, 16)}"`;
  server.route(feedPath, (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end();
    else res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(xml);
  });
}

const NOT_PROTEST = `<item><title>Council approves road repair budget</title><link>/a/roads</link><guid>roads-1</guid><description>The city council voted 7-2 on Tuesday to spend $4 million on road repairs next year.</description></item>`;

function watcher(repo: Repository, server: TestServer | null, extra: Partial<WatchOptions> = {}): Watcher {
  return new Watcher(repo, { allowHosts: server ? [server.host] : [], politenessMs: 0, retryBaseMs: 5, ...extra });
}

/** What a user compares: the events' identities and coded values, without the sources' names. */
function coded(events: EventRecord[]): Array<Record<string, unknown>> {
  return events.map((e) => ({
    id: e.id,
    date: e.date,
    status: e.status,
    locality: e.locality,
    region: e.region,
    size_text: e.size_text,
    arrests_text: e.arrests_text,
    event_type: e.event_type,
    organizations: e.organizations,
    sources: e.sources.length,
  }));
}

function freshStore(): Repository {
  return openStore(join(tempDir(), 'turnout.db'));
}

async function drainAll(w: Watcher, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds && w.live.openJobs() > 0; i++) {
    await w.drain();
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('feeds in', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });

  test('ingesting a feed gives the same events as ingesting the files; a second poll is a 304 that changes nothing', async () => {
    const server = await startServer();
    servers.push(server);
    serveFeed(server, '/feed.xml', pagesFrom(SAMPLES), { extra: NOT_PROTEST });
    const repo = freshStore();
    const w = watcher(repo, server);
    w.live.addSource(`${server.url}/feed.xml`, 900);
    const first = await w.once();
    assert.equal(first.itemsFailed, 0);
    const fromFiles = storeFrom(SAMPLES).repo;
    assert.deepEqual(coded(repo.listEvents()), coded(fromFiles.listEvents()));
    fromFiles.close();
    const counts = w.live.itemCounts();
    assert.equal(counts.ingested, pagesFrom(SAMPLES).length);
    assert.equal(counts.skipped, 1, 'the road-budget item is skipped');
    const skipped = (repo as unknown as { handle: import('better-sqlite3').Database }).handle.prepare(`SELECT reason FROM items WHERE state = 'skipped'`).pluck().get() as string;
    assert.match(skipped, /protest/i);

    const before = { ...repo.counts() };
    const pageRequests = server.requests.filter((r) => r.url.startsWith('/a/')).length;
    await w.once();
    assert.deepEqual(repo.counts(), before);
    assert.equal(w.live.fetchLog(null, 1)[0]!.status, 304);
    assert.equal(server.requests.filter((r) => r.url.startsWith('/a/')).length, pageRequests, 'no page fetched again');
    repo.close();
  });

  test('the seed articles through a feed give the same events as the files', { skip: NO_SHARED ?? false }, async () => {
    const server = await startServer();
    servers.push(server);
    serveFeed(server, '/seeds.xml', pagesFrom(SEEDS_DIR));
    const repo = freshStore();
    const w = watcher(repo, server);
    w.live.addSource(`${server.url}/seeds.xml`, 900);
    await w.once();
    const fromFiles = storeFrom(SEEDS_DIR).repo;
    assert.deepEqual(coded(repo.listEvents()), coded(fromFiles.listEvents()));
    assert.ok(repo.counts().events >= 20);
    fromFiles.close();
    repo.close();
  });

  test('a feed of titles only: the seed pages are fetched and judged on their text, and give the same events as the files', { skip: NO_SHARED ?? false }, async () => {
    const server = await startServer();
    servers.push(server);
    // neutral headlines, no summary or content: judging the titles would skip both
    const pages = pagesFrom(SEEDS_DIR).map((p, i) => ({ ...p, title: `Weekend update, part ${i + 1}` }));
    servePages(server, pages);
    server.route('/titles.xml', (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(titlesOnly(server.url, pages)));
    const repo = freshStore();
    const w = watcher(repo, server);
    w.live.addSource(`${server.url}/titles.xml`, 900);
    const s = await w.once();
    assert.equal(s.itemsFailed, 0);
    assert.equal(w.live.itemCounts().ingested, pages.length);
    const fromFiles = storeFrom(SEEDS_DIR).repo;
    assert.deepEqual(coded(repo.listEvents()), coded(fromFiles.listEvents()));
    assert.ok(repo.counts().events >= 20);
    fromFiles.close();
    repo.close();
  });

  test('title-only items: a protest-sounding title over a page that is no protest report is skipped on the page; no link, skipped; summaries still pre-filter', async () => {
    const server = await startServer();
    servers.push(server);
    const report = makeArticle(7, 2);
    // MADE UP for this test: a market story whose headline sounds like a protest
    const markets = 'date 2026-02-03\n\nStocks rallied on Tuesday as investors cheered a cooler inflation report. The Dow closed up 420 points, or 1.1 percent, and the Nasdaq gained 2 percent.\n\nBond yields fell and the dollar slipped against the yen.\n';
    const pages: Page[] = [
      { path: '/t/report.txt', body: Buffer.from(report.text), type: TYPES['.txt']!, title: 'Morning briefing', summary: '' },
      { path: '/t/markets.txt', body: Buffer.from(markets), type: TYPES['.txt']!, title: 'Huge rally downtown', summary: '' },
    ];
    servePages(server, pages);
    const noLink = `<item><title>Protesters march on city hall</title><guid>no-link-1</guid></item>`;
    const summaryOnly = `<item><title>Budget notes</title><link>${server.url}/t/never</link><guid>budget-1</guid><description>The council voted 7-2 on the road budget.</description></item>`;
    server.route('/t.xml', (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(titlesOnly(server.url, pages, noLink + summaryOnly)));
    const repo = freshStore();
    const w = watcher(repo, server);
    w.live.addSource(`${server.url}/t.xml`, 900);
    const s = await w.once();
    assert.equal(s.itemsFailed, 0);
    assert.equal(s.itemsSkipped, 1, 'the market page, after it was fetched');
    const reasons = new Map(
      ((repo as unknown as { handle: import('better-sqlite3').Database }).handle.prepare(`SELECT item_key, state, reason FROM items`).all() as Array<{ item_key: string; state: string; reason: string | null }>).map((r) => [r.item_key, r]),
    );
    assert.equal(reasons.get(`${server.url}/t/report.txt`)!.state, 'ingested');
    const skipped = reasons.get(`${server.url}/t/markets.txt`)!;
    assert.equal(skipped.state, 'skipped');
    assert.match(skipped.reason ?? '', /^page: not a protest report: .*markets/);
    assert.equal(reasons.get('no-link-1')!.state, 'skipped');
    assert.match(reasons.get('no-link-1')!.reason ?? '', /title only/);
    assert.equal(reasons.get('budget-1')!.state, 'skipped');
    assert.match(reasons.get('budget-1')!.reason ?? '', /no protest words/);
    const fetched = server.requests.map((r) => r.url);
    assert.ok(fetched.includes('/t/markets.txt') && fetched.includes('/t/report.txt'));
    assert.ok(!fetched.includes('/t/never'), 'a summary that says no is not fetched');
    assert.ok(repo.listEvents().some((e) => e.locality === report.town));
    repo.close();
  });

  test('SSRF: with the default config a loopback feed and a redirect to another loopback port are refused, and nothing is sent', async () => {
    const target = await startServer({ '/feed.xml': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('', [])) });
    const hop = await startServer({ '/go': (_q, res) => res.writeHead(302, { location: `${target.url}/feed.xml` }).end() });
    servers.push(target, hop);
    const repo = freshStore();
    // no allow-list: the loopback server itself is refused before any connection
    const strict = watcher(repo, null);
    strict.live.addSource(`${target.url}/feed.xml`, 900);
    await strict.once();
    assert.equal(target.requests.length, 0);
    assert.match(strict.live.fetchLog(null, 1)[0]!.error ?? '', /refused .*127\.0\.0\.1.* loopback/);
    // allowed: the first hop; its redirect to another (not allowed) loopback port is refused
    strict.live.removeSource(`${target.url}/feed.xml`);
    const w = watcher(repo, hop);
    w.live.addSource(`${hop.url}/go`, 900);
    await w.once();
    assert.equal(hop.requests.filter((r) => r.url === '/go').length, 1);
    assert.equal(target.requests.length, 0);
    assert.match(w.live.fetchLog(null, 1)[0]!.error ?? '', /refused .*loopback/);
    repo.close();
  });

  test('hostile feeds each end in a clear logged error, not a crash or a hang', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><rss version="2.0"><channel><title>&lol3;</title></channel></rss>';
    const many = Array.from({ length: 10_000 }, (_, i) => `<item><title>Bake sale ${i}</title><guid>bake-${i}</guid><description>Cookies and pies for the library fund.</description></item>`).join('');
    const server = await startServer({
      '/endless': (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const write = () => {
          while (res.write(chunk));
          res.once('drain', write);
        };
        write();
      },
      '/bomb': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }).end(bomb),
      '/malformed': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss><channel><item><title>x</item></channel>'),
      '/laughs': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(laughs),
      '/charset': (_q, res) =>
        res
          .writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' })
          .end(Buffer.concat([Buffer.from('<rss version="2.0"><channel><title>Caf'), Buffer.from([0xe9]), Buffer.from(' news</title><item><title>Bake sale</title><guid>c1</guid></item></channel></rss>')])),
      '/many': (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<rss version="2.0"><channel><title>Many</title>${many}</channel></rss>`),
    });
    servers.push(server);
    const repo = freshStore();
    const w = watcher(repo, server);
    for (const p of ['/endless', '/bomb', '/malformed', '/laughs', '/charset', '/many']) w.live.addSource(server.url + p, 900);
    const t0 = Date.now();
    await w.once();
    assert.ok(Date.now() - t0 < 60_000, 'no hang');
    const log = new Map(w.live.fetchLog(null, 20).map((e) => [e.url.slice(server.url.length), e]));
    assert.match(log.get('/endless')!.error ?? '', /10 MiB|too large|larger|cap/i);
    assert.match(log.get('/bomb')!.error ?? '', /decompress|too large|larger|cap/i);
    assert.match(log.get('/malformed')!.error ?? '', /not a readable feed: .*(malformed|line)/i);
    assert.match(log.get('/laughs')!.error ?? '', /entit/i);
    assert.equal(log.get('/charset')!.error, null);
    assert.equal(log.get('/many')!.error, null);
    assert.equal(log.get('/many')!.items_skipped, 10_000);
    assert.equal(repo.integrityCheck(), 'ok');
    repo.close();
  });

  test('near-duplicate wire copy is linked, and does not count as a second independent source', async () => {
    const base = makeArticle(3, 8);
    const copy = `EDITOR'S NOTE: this story was first published by a partner outlet.\n\n${base.text.replace(/\n\n/, '\n\nSyndicated by the wire.\n\n')}`;
    const pages: Page[] = [
      { path: '/a/original', body: Buffer.from(base.text), type: TYPES['.txt']!, title: 'Protesters rally', summary: base.text.slice(0, 300) },
      { path: '/a/copy', body: Buffer.from(copy), type: TYPES['.txt']!, title: 'Protesters rally (wire)', summary: base.text.slice(0, 300) },
    ];
    const server = await startServer();
    servers.push(server);
    serveFeed(server, '/wire.xml', pages);
    const repo = freshStore();
    const w = watcher(repo, server);
    w.live.addSource(`${server.url}/wire.xml`, 900);
    await w.once();
    const counts = w.live.itemCounts();
    assert.equal(counts.ingested, 1);
    assert.equal(counts.duplicate, 1);
    const events = repo.listEvents().filter((e) => e.sources.length === 2);
    assert.ok(events.length >= 1, 'both articles are sources of the event');
    for (const e of events) {
      assert.ok(e.flags.includes('syndicated_copies'), e.flags.join(','));
      assert.ok(e.flags.includes('single_source'), 'a copy is not an independent source');
    }
    repo.close();
  });
});

describe('durable jobs across processes', () => {
  const pages: Page[] = Array.from({ length: 30 }, (_, i) => {
    const a = makeArticle(100 + i, 6);
    return { path: `/a/${i}.txt`, body: Buffer.from(a.text), type: TYPES['.txt']!, title: `Rally in ${a.town}`, summary: a.text.slice(0, 300) };
  });
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server?.close());

  function watchProcess(db: string, env: Record<string, string> = {}) {
    return spawn(process.execPath, ['--import', 'tsx', CLI, 'watch', '--once', '--db', db, '--quiet'], {
      env: { ...process.env, TURNOUT_ALLOW_HOSTS: server.host, TURNOUT_POLITENESS_MS: '0', TURNOUT_RETRY_BASE_MS: '10', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }
  const exited = (p: ReturnType<typeof spawn>) => new Promise<number | null>((r) => p.once('exit', (code) => r(code)));

  test('SIGKILL mid-run, then a restart: every item ingested exactly once, same events as a clean run', async () => {
    serveFeed(server, '/slow.xml', pages, { delayMs: 40 });
    const db = join(tempDir(), 'turnout.db');
    const setup = openStore(db);
    setup.live().addSource(`${server.url}/slow.xml`, 900);
    setup.close();
    const p = watchProcess(db);
    // kill once some pages have been fetched, mid-run
    for (let i = 0; i < 400 && server.requests.filter((r) => r.url.startsWith('/a/')).length < 8; i++) await new Promise((r) => setTimeout(r, 25));
    p.kill('SIGKILL');
    await exited(p);
    const mid = openStore(db);
    const partial = mid.live().itemCounts();
    assert.equal(mid.integrityCheck(), 'ok');
    mid.close();
    assert.ok((partial.ingested ?? 0) < pages.length, `killed mid-run (${JSON.stringify(partial)})`);
    // the killed worker's job is taken over at once: its process is gone (no waiting for the lease)
    assert.equal(await exited(watchProcess(db)), 0);
    const done = openStore(db);
    // every item once: ingested, or linked as a near-duplicate of an earlier one (the corpus is templated)
    const states = done.live().itemCounts();
    assert.deepEqual(Object.keys(states).filter((k) => k !== 'ingested' && k !== 'duplicate'), []);
    assert.equal((states.ingested ?? 0) + (states.duplicate ?? 0), pages.length);
    assert.equal(done.counts().articles, pages.length);
    assert.equal(done.live().openJobs(), 0);
    const clean = freshStore();
    const w = watcher(clean, server);
    w.live.addSource(`${server.url}/slow.xml`, 900);
    await w.once();
    assert.deepEqual(coded(done.listEvents()), coded(clean.listEvents()));
    assert.equal(done.counts().mentions, clean.counts().mentions);
    done.close();
    clean.close();
  });

  test('two watchers on one store do not process any item twice', async () => {
    server.route('/pair.xml', (_q, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(server.url, pages.map((p) => ({ ...p, path: p.path.replace('/a/', '/b/') })))));
    for (const p of pages) server.route(p.path.replace('/a/', '/b/'), (_q, res) => setTimeout(() => res.writeHead(200, { 'content-type': p.type }).end(p.body), 20));
    const db = join(tempDir(), 'turnout.db');
    const setup = openStore(db);
    setup.live().addSource(`${server.url}/pair.xml`, 900);
    setup.close();
    const codes = await Promise.all([exited(watchProcess(db)), exited(watchProcess(db))]);
    assert.deepEqual(codes, [0, 0]);
    const perPage = new Map<string, number>();
    for (const r of server.requests) if (r.url.startsWith('/b/')) perPage.set(r.url, (perPage.get(r.url) ?? 0) + 1);
    assert.equal(perPage.size, pages.length);
    assert.ok([...perPage.values()].every((n) => n === 1), JSON.stringify([...perPage]));
    const repo = openStore(db);
    const states = repo.live().itemCounts();
    assert.equal((states.ingested ?? 0) + (states.duplicate ?? 0), pages.length, JSON.stringify(states));
    repo.close();
  });
});

describe('webhooks out', () => {
  test('signed deliveries; a 500 is retried; a hook that keeps failing is disabled', async () => {
    const got: Array<{ hook: string; body: string; sig: string | undefined; status: number }> = [];
    let flakyCalls = 0;
    const receiver = await startServer();
    const read = (req: IncomingMessage) => new Promise<string>((r) => {
      let b = '';
      req.on('data', (d) => (b += d));
      req.on('end', () => r(b));
    });
    const feedServer = await startServer();
    serveFeed(feedServer, '/feed.xml', pagesFrom(SAMPLES));
    const repo = freshStore();
    const w = watcher(repo, feedServer, { allowHosts: [feedServer.host, receiver.host] });
    const flaky = w.live.addWebhook(`${receiver.url}/flaky`, 'flaky-secret', { region: 'OH' });
    const broken = w.live.addWebhook(`${receiver.url}/broken`, 'broken-secret', {});
    receiver.route('/flaky', async (req, res) => {
      const body = await read(req);
      const status = flakyCalls++ === 0 ? 500 : 200;
      got.push({ hook: 'flaky', body, sig: req.headers[SIGNATURE_HEADER] as string | undefined, status });
      res.writeHead(status).end();
    });
    receiver.route('/broken', async (req, res) => {
      got.push({ hook: 'broken', body: await read(req), sig: req.headers[SIGNATURE_HEADER] as string | undefined, status: 500 });
      res.writeHead(500).end();
    });
    w.live.addSource(`${feedServer.url}/feed.xml`, 900);
    await w.once();
    await drainAll(w);

    const ohio = repo.listEvents({ region: 'OH' });
    const flakyGot = got.filter((g) => g.hook === 'flaky');
    for (const g of flakyGot) assert.ok(verifySignature('flaky-secret', g.sig, g.body).ok, 'signature verifies');
    assert.ok(!verifySignature('wrong-secret', flakyGot[0]!.sig, flakyGot[0]!.body).ok);
    assert.ok(!verifySignature('flaky-secret', flakyGot[0]!.sig, flakyGot[0]!.body, Date.now() + 3_600_000).ok, 'an old signature is refused');
    const delivered = new Set(flakyGot.filter((g) => g.status === 200).map((g) => JSON.parse(g.body).event.id));
    assert.deepEqual([...delivered].sort(), ohio.map((e) => e.id).sort(), 'every Ohio event, and only those');
    const firstFailed = JSON.parse(flakyGot[0]!.body);
    assert.ok(
      flakyGot.slice(1).some((g) => g.status === 200 && JSON.parse(g.body).event.id === firstFailed.event.id && JSON.parse(g.body).revision === firstFailed.revision),
      'the delivery that got a 500 was retried',
    );
    assert.equal(w.live.getWebhook(flaky.id)!.active, true);

    const hook = w.live.getWebhook(broken.id)!;
    assert.equal(hook.active, false);
    assert.match(hook.disabled_reason ?? '', /5 failed deliveries/);
    assert.equal(got.filter((g) => g.hook === 'broken').length, 5, 'no attempt after it was disabled');
    assert.equal(w.live.deliveries(broken.id).length, 5);
    assert.ok(w.live.deliveries(flaky.id).some((d) => !d.ok && d.status === 500));
    repo.close();
    await receiver.close();
    await feedServer.close();
  });

  test('events changed by a plain file ingest are delivered too, by the next watcher run', async () => {
    const bodies: string[] = [];
    const receiver = await startServer({
      '/hook': (req, res) => {
        let b = '';
        req.on('data', (d) => (b += d));
        req.on('end', () => {
          bodies.push(b);
          res.writeHead(204).end();
        });
      },
    });
    const repo = freshStore();
    const w = watcher(repo, receiver);
    w.live.addWebhook(`${receiver.url}/hook`, 's3cret', {});
    const file = join(SAMPLES, readdirSync(SAMPLES).find((f) => f.endsWith('.txt'))!);
    const saved = ingestInto(repo, { bytes: readFileSync(file), name: file, contentType: 'text/plain' });
    assert.ok(saved.changed.length > 0);
    await drainAll(w);
    const delivered = bodies.map((b) => JSON.parse(b) as { type: string; event: EventRecord });
    assert.deepEqual(delivered.map((d) => d.event.id).sort(), saved.changed.map((c) => c.id).sort());
    assert.ok(delivered.every((d) => d.type === 'event.created'));
    repo.close();
    await receiver.close();
  });
});
