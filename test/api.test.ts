// The HTTP API, in-process (Hono's app.request: no sockets), against stores filled from real inputs: the
// project's own sample articles (always present) and the seed articles in ../shared (skipped without them). The
// same suite runs on a SQLite store, and on a PostgreSQL one when TURNOUT_TEST_PG names a server (skipped, saying
// why, otherwise).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Database from 'better-sqlite3';
import { parseCsv } from '../src/core/csv.js';
import type { EventRecord } from '../src/core/types.js';
import { ingestIntoStore } from '../src/pipeline.js';
import { createApp } from '../src/serve/server.js';
import { searchBody } from '../src/store/sqlite/migrations.js';
import { localDay } from '../src/core/planned.js';
import { servedEvent } from '../src/serve/served.js';
import type { Repository } from '../src/store/repository.js';
import type { Store } from '../src/store/store.js';
import { backends, type Backend } from './helpers/backends.js';
import { NO_SHARED, REPO_ROOT, SEEDS_DIR, tempDir } from './helpers/shared.js';
import { PRECISION_CASES, precisionArticles } from './helpers/precision.js';
import { fillStore, storeFrom } from './helpers/store.js';

type App = ReturnType<typeof createApp>;
type Json = Record<string, any>;

async function get(app: App, path: string): Promise<{ status: number; type: string; body: any; res: Response }> {
  const res = await app.request(path);
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  return { status: res.status, type, body: type.includes('json') ? JSON.parse(text) : text, res };
}

/** Every page of /api/events for a query, following next_cursor. */
async function allPages(app: App, query: string, limit: number): Promise<{ events: EventRecord[]; pages: number; totals: number[] }> {
  const events: EventRecord[] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r = await get(app, `/api/events?${query}&limit=${limit}${cursor ? '&cursor=' + cursor : ''}`);
    assert.equal(r.status, 200);
    events.push(...r.body.events);
    totals.push(r.body.total);
    cursor = r.body.next_cursor;
    pages++;
    assert.ok(pages < 1000, 'pagination does not end');
  } while (cursor);
  return { events, pages, totals };
}

function validator(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  return (name: string, value: unknown) => {
    if (!compiled.has(name)) compiled.set(name, ajv.compile(doc.components.schemas[name]));
    const v = compiled.get(name)!;
    assert.ok(v(value), `${name}: ${JSON.stringify(v.errors?.slice(0, 3))}`);
  };
}

const stemDb = new Database(':memory:');
stemDb.exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'porter unicode61 remove_diacritics 2')");
/** Whether a text holds a form of the word, by SQLite's porter stemmer, outside the store under test. */
function stemMatch(word: string, text: string): boolean {
  stemDb.exec('DELETE FROM t');
  stemDb.prepare('INSERT INTO t (body) VALUES (?)').run(text);
  return stemDb.prepare('SELECT 1 FROM t WHERE t MATCH ?').get(`"${word}"`) !== undefined;
}

/** The most common value of a field among events. */
function commonest(all: EventRecord[], pick: (e: EventRecord) => string | null): string {
  const n = new Map<string, number>();
  for (const e of all) {
    const v = pick(e);
    if (v) n.set(v, (n.get(v) ?? 0) + 1);
  }
  return [...n].sort((a, b) => b[1] - a[1])[0]![0];
}

/**
 * The same API tests on a store of `backend` filled from `dir`: our sample articles (always) and the seed articles.
 * The backend is made when the suite runs (a skipped suite opens nothing).
 */
function apiSuite(label: string, dir: string, skip: string | null, makeBackend: () => Backend): void {
describe(`API on ${label}`, { skip: skip ?? false }, () => {
  let backend: Backend;
  let repo: Store;
  let app: App;
  let all: EventRecord[];
  /** the region most events are in, and one event with coordinates, to build filters from the data */
  let region: string;
  let anchor: EventRecord;

  before(async () => {
    backend = makeBackend();
    repo = await backend.open();
    await fillStore(repo, dir);
    app = createApp(repo);
    all = await repo.listEvents();
    assert.ok(all.length >= 6, `the articles give events (${all.length})`);
    region = commonest(all, (e) => e.region);
    anchor = all.find((e) => e.lat !== null && e.locality && e.evidence.some((ev) => /[a-z]{6,}/.test(ev.quote)))!;
  });
  after(async () => {
    await repo?.close();
    await backend?.drop();
  });

  test('GET /api/events lists every event sorted by date, and pages with a cursor give the same list', async () => {
    const one = await get(app, '/api/events?limit=1000');
    assert.equal(one.status, 200);
    assert.equal(one.body.total, all.length);
    assert.equal(one.body.next_cursor, null);
    const dates = one.body.events.map((e: EventRecord) => e.date);
    assert.deepEqual(dates, [...dates].sort());
    for (const limit of [1, 2, 4]) {
      const paged = await allPages(app, '', limit);
      assert.deepEqual(
        paged.events.map((e) => e.id),
        one.body.events.map((e: EventRecord) => e.id),
        `limit ${limit}`,
      );
      assert.equal(paged.pages, Math.ceil(all.length / limit));
      assert.ok(paged.totals.every((t) => t === all.length));
    }
    // a box holding most events is paged by walking the sort order, a small one through the coordinate index
    const near = [anchor.lon! - 2, anchor.lat! - 2, anchor.lon! + 2, anchor.lat! + 2].map((v) => v.toFixed(4)).join(',');
    // and so is a search matching many events (the commonest region's code is in each of its events' text)
    for (const query of ['bbox=-180,-90,180,90', `bbox=${near}`, `q=${region}`]) {
      const want = (await get(app, `/api/events?${query}&limit=1000`)).body.events.map((e: EventRecord) => e.id);
      assert.ok(want.length > 1, query);
      for (const limit of [1, 3]) {
        const paged = await allPages(app, query, limit);
        assert.deepEqual(paged.events.map((e) => e.id), want, `${query}, limit ${limit}`);
      }
    }
  });

  test('filters: region, status, dates, locality, bbox and q select exactly the matching events', async () => {
    const dates = all.map((e) => e.date!).filter(Boolean).sort();
    const [from, to] = [dates[Math.floor(dates.length / 3)]!, dates[Math.floor((2 * dates.length) / 3)]!];
    const [lon, lat] = [anchor.lon!, anchor.lat!];
    const box = [lon - 2, lat - 2, lon + 2, lat + 2].map((v) => v.toFixed(4));
    // a word of the anchor's quotes whose forms some events hold and others do not
    const word = anchor.evidence
      .flatMap((ev) => ev.quote.match(/\b[a-z]{6,}\b/g) ?? [])
      .find((w) => all.some((e) => !stemMatch(w, searchBody(e))))!;
    const cases: Array<[string, (e: EventRecord) => boolean]> = [
      [`region=${region.toLowerCase()}`, (e) => e.region === region],
      ['status=planned', (e) => e.status === 'planned'],
      [`from=${from}&to=${to}`, (e) => e.date !== null && e.date >= from && e.date <= to],
      [`locality=${encodeURIComponent(anchor.locality!.toUpperCase())}`, (e) => e.locality === anchor.locality],
      [`bbox=${box.join(',')}`, (e) => e.lon !== null && e.lon >= +box[0]! && e.lon <= +box[2]! && e.lat! >= +box[1]! && e.lat! <= +box[3]!],
      // the search matches word forms (porter stemmer): the oracle is the same stemmer over each record's text
      [`q=${word}`, (e) => stemMatch(word, searchBody(e))],
      [`region=${region}&status=occurred`, (e) => e.region === region && e.status === 'occurred'],
    ];
    for (const [query, keep] of cases) {
      const want = all.filter(keep).map((e) => e.id);
      assert.ok(want.length > 0 && want.length < all.length, `${query} is a real test (keeps ${want.length} of ${all.length})`);
      const r = await get(app, `/api/events?${query}`);
      assert.equal(r.status, 200, query);
      assert.deepEqual(r.body.events.map((e: EventRecord) => e.id), want, query);
      assert.equal(r.body.total, want.length, query);
    }
  });

  test('a bbox across the antimeridian and a search with no words match nothing here; quotes in q are inert', async () => {
    assert.equal((await get(app, '/api/events?bbox=170,-10,-170,10')).body.total, 0);
    assert.equal((await get(app, '/api/events?q=%22%29%20%2A%20-')).body.total, 0);
    // FTS5 syntax in the text is taken as plain words
    const r = await get(app, `/api/events?q=${encodeURIComponent('marched" OR "Portland')}`);
    const plain = await get(app, `/api/events?q=${encodeURIComponent('marched or portland')}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, plain.body);
  });

  test('GET /api/events/{id} returns the full record with sources and evidence; unknown ids are 404', async () => {
    const e = all.find((x) => x.evidence.length > 0)!;
    const r = await get(app, `/api/events/${e.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, servedEvent(e, localDay()));
    assert.ok(r.body.sources.length >= 1 && r.body.evidence.every((ev: Json) => r.body.sources.some((s: Json) => s.id === ev.source)));
    for (const id of ['0000000000000000', 'not-an-id', "x' OR 1=1"]) {
      const nf = await get(app, `/api/events/${encodeURIComponent(id)}`);
      assert.equal(nf.status, 404, id);
      assert.match(nf.type, /^application\/problem\+json/);
      assert.equal(nf.body.status, 404);
    }
  });

  test('bad parameters get 400 problem+json naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['/api/events?from=2026-13-01', 'from'],
      ['/api/events?from=yesterday', 'from'],
      ['/api/events?from=2026-03-01&to=2026-02-01', 'to'],
      ['/api/events?region=California', 'region'],
      ['/api/events?status=happened', 'status'],
      ['/api/events?limit=0', 'limit'],
      ['/api/events?limit=5000', 'limit'],
      ['/api/events?limit=ten', 'limit'],
      ['/api/events?bbox=-200,0,0,10', 'bbox'],
      ['/api/events?bbox=0,10,5,0', 'bbox'],
      ['/api/events?bbox=a,b,c,d', 'bbox'],
      ['/api/events?cursor=bm9wZQ', 'cursor'],
      ['/api/events?regoin=CA', 'regoin'],
      ['/api/events?region=CA&region=OR', 'region'],
      [`/api/events?q=${'x'.repeat(201)}`, 'q'],
      ['/api/stats', 'group'],
      ['/api/stats?group=week', 'group'],
      ['/api/roundup', 'date'],
      ['/api/points?to=2026-02-31', 'to'],
      ['/api/events.csv?status=x', 'status'],
      ['/api/events.geojson?limit=5', 'limit'],
    ];
    for (const [path, param] of cases) {
      const r = await get(app, path);
      assert.equal(r.status, 400, path);
      assert.match(r.type, /^application\/problem\+json/, path);
      assert.equal(r.body.param, param, path);
      assert.equal(r.body.status, 400);
      assert.ok(r.body.detail.includes(param), `${path}: detail names the parameter: ${r.body.detail}`);
    }
    const long = await get(app, `/api/events?q=${'a'.repeat(9000)}`);
    assert.equal(long.status, 414);
    assert.equal((await app.request('/api/events', { method: 'POST', body: '{}' })).status, 405);
    assert.equal((await get(app, '/api/nothing')).status, 404);
  });

  test('stats, points, exports and roundup agree with the event list', async () => {
    const stats = await get(app, '/api/stats?group=day');
    const byDay = new Map<string | null, number>();
    for (const e of all) byDay.set(e.date, (byDay.get(e.date) ?? 0) + 1);
    assert.deepEqual(new Map(stats.body.rows.map((r: Json) => [r.key, r.events])), byDay);
    const byRegion = await get(app, '/api/stats?group=region&status=occurred');
    const occurred = all.filter((e) => e.status === 'occurred');
    assert.equal(byRegion.body.rows.reduce((n: number, r: Json) => n + r.events, 0), occurred.length);
    assert.equal(
      byRegion.body.rows.reduce((n: number, r: Json) => n + r.size_low, 0),
      occurred.reduce((n, e) => n + (e.size_low ?? 0), 0),
    );

    const points = await get(app, '/api/points');
    assert.deepEqual(points.body.fields, ['id', 'lon', 'lat', 'status', 'size']);
    assert.deepEqual(
      points.body.rows.map((r: unknown[]) => r[0]).sort(),
      all
        .filter((e) => e.lat !== null)
        .map((e) => e.id)
        .sort(),
    );
    assert.deepEqual(
      points.body.rows.find((r: unknown[]) => r[0] === anchor.id),
      [anchor.id, anchor.lon, anchor.lat, anchor.status, anchor.size_mean],
    );

    // the same points gzipped for a client that accepts it
    const gz = await app.request('/api/points', { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.deepEqual(JSON.parse(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8')), points.body);

    const geo = await get(app, `/api/events.geojson?region=${region}`);
    assert.match(geo.type, /^application\/geo\+json/);
    assert.equal(geo.body.type, 'FeatureCollection');
    assert.equal(geo.body.features.length, all.filter((e) => e.region === region).length);
    // CCC's rows are events that took place: the planned ones only when asked for
    const csv = await get(app, '/api/events.csv');
    assert.match(csv.type, /^text\/csv/);
    const rows = parseCsv(csv.body);
    assert.equal(rows.length, all.filter((e) => e.status === 'occurred').length + 1);
    assert.equal(rows[0]![0], 'date');
    assert.equal(parseCsv((await get(app, '/api/events.csv?include_planned=true')).body).length, all.length + 1);

    const day = all.find((e) => e.status === 'occurred')!.date!;
    const roundup = await get(app, `/api/roundup?date=${day}`);
    const onDay = all.filter((e) => e.date === day);
    assert.equal(roundup.body.events, onDay.length);
    assert.deepEqual(roundup.body.groups.flatMap((g: Json) => g.events.map((e: Json) => e.id)).sort(), onDay.map((e) => e.id).sort());
    for (const g of roundup.body.groups) assert.ok(g.events.every((e: Json) => onDay.find((x) => x.id === e.id)!.region === g.region));
  });

  test('map points and counts follow the store: an article ingested after a request shows up in the next one', async () => {
    const before = (await get(app, '/api/points')).body.rows.length;
    const totalBefore = (await get(app, '/api/events?limit=1')).body.total;
    // written through a second connection, as serve's scheduler writes
    const writer = await backend.open();
    const text = 'Hundreds of people rallied in Duluth, Minnesota, on Saturday, Feb. 7, 2026, against a plan to close the city library. (A made-up test article.)';
    const r = await ingestIntoStore(writer, { bytes: Buffer.from(text), name: 'made-up-duluth.txt', published: '2026-02-08', contentType: 'text/plain' });
    await writer.close();
    assert.ok(r.eventsNew >= 1);
    const after = (await get(app, '/api/points')).body.rows.length;
    assert.equal(after, before + r.eventsNew);
    assert.equal((await get(app, '/api/events?limit=1')).body.total, totalBefore + r.eventsNew, 'counts follow the store too');
  });

  test('OpenAPI 3.1 document describes the endpoints, and real responses validate against it', async () => {
    const doc = (await get(app, '/api/openapi.json')).body;
    assert.equal(doc.openapi, '3.1.0');
    const names = doc.paths['/api/events'].get.parameters.map((p: Json) => p.name).sort();
    assert.deepEqual(names, ['bbox', 'cursor', 'from', 'include_rejected', 'limit', 'locality', 'macroevent', 'q', 'region', 'status', 'to']);
    const check = validator(doc);
    check('EventList', (await get(app, '/api/events?limit=2')).body);
    check('EventList', (await get(app, '/api/events?q=nothingmatchesthis')).body);
    for (const e of all) check('EventRecord', (await get(app, `/api/events/${e.id}`)).body);
    check('Points', (await get(app, '/api/points')).body);
    for (const g of ['day', 'region', 'macroevent']) check('Stats', (await get(app, `/api/stats?group=${g}`)).body);
    check('Roundup', (await get(app, `/api/roundup?date=${all[0]!.date}`)).body);
    check('Problem', (await get(app, '/api/events?limit=0')).body);
    check('Problem', (await get(app, '/api/events/0000000000000000')).body);
    // every documented read path answers: the public ones to anyone, those that need a token (no anonymous
    // alternative in their security) with a 401
    for (const path of Object.keys(doc.paths).filter((p) => doc.paths[p].get)) {
      const security: Json[] = doc.paths[path].get.security ?? [];
      const needsToken = security.length > 0 && !security.some((s) => Object.keys(s).length === 0);
      const r = await app.request(path.replace('{id}', all[0]!.id) + (path === '/api/stats' ? '?group=day' : path === '/api/roundup' ? `?date=${all[0]!.date}` : ''));
      assert.equal(r.status, needsToken ? 401 : 200, path);
    }
  });

  test('security headers on every response; the web app is served with .mjs as JavaScript and no path escapes its root', async () => {
    const root = join(tempDir(), 'web');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(root, 'assets', 'worker.mjs'), 'export {};');
    writeFileSync(join(tempDir(), 'secret.txt'), 'secret');
    const web = createApp(repo, { webRoot: root });
    const mjs = await web.request('/assets/worker.mjs');
    assert.equal(mjs.status, 200);
    assert.match(mjs.headers.get('content-type')!, /^text\/javascript/);
    // larger text files go out gzipped to a client that accepts it
    const big = `export const words = ${JSON.stringify('protest '.repeat(2000))};\n`;
    writeFileSync(join(root, 'assets', 'big.js'), big);
    const gz = await web.request('/assets/big.js', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8'), big);
    const plain = await web.request('/assets/big.js', { headers: { 'accept-encoding': 'gzip;q=0' } });
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), big);
    for (const route of ['/', '/event/abc', '/roundup?date=2026-01-30']) {
      const r = await web.request(route);
      assert.equal(r.status, 200, route);
      assert.match(await r.text(), /<title>app<\/title>/);
    }
    for (const bad of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/missing.js', '/%E0%A4%A']) {
      const r = await web.request(bad);
      assert.ok(r.status === 404 || r.status === 400, `${bad}: ${r.status}`);
      assert.doesNotMatch(await r.text(), /secret/);
    }
    for (const path of ['/', '/api/events', '/api/events?limit=0', '/missing.js']) {
      const r = await web.request(path);
      const csp = r.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    }
  });
});
}

for (const { name, backend, skip } of backends()) {
  apiSuite(`the sample articles (${name})`, join(REPO_ROOT, 'samples'), skip, backend);
  apiSuite(`the seed articles (${name})`, SEEDS_DIR, NO_SHARED ?? skip, backend);
}

describe('the seed articles: what a reader checks', { skip: NO_SHARED ?? false }, () => {
  let repo: Repository;
  let app: App;
  before(() => {
    repo = storeFrom(SEEDS_DIR).repo;
    app = createApp(repo);
  });
  after(() => repo?.close());

  test('the 20 merged events; region CA gives Los Angeles, San Francisco, Pasadena and Santa Monica', async () => {
    const r = await get(app, '/api/events?limit=100');
    assert.ok(r.body.total >= 20 && r.body.total <= 22, `total ${r.body.total}`);
    const ca = await get(app, '/api/events?region=CA');
    assert.deepEqual(ca.body.events.map((e: EventRecord) => e.locality).sort(), ['Los Angeles', 'Pasadena', 'San Francisco', 'Santa Monica']);
    const la = ca.body.events.find((e: EventRecord) => e.locality === 'Los Angeles');
    const full = await get(app, `/api/events/${la.id}`);
    assert.ok(full.body.arrests_text, 'the arrests value');
    assert.ok(full.body.evidence.some((ev: Json) => ev.field === 'arrests' && /arrest/i.test(ev.quote)));
  });

  test('roundup of 2026-01-30 groups places by state, and a nationwide search finds its macro-event', async () => {
    const r = await get(app, '/api/roundup?date=2026-01-30');
    assert.equal(r.status, 200);
    assert.match(r.body.summary, new RegExp(`^${r.body.events} demonstrations in ${r.body.states} states`));
    const names = r.body.groups.map((g: Json) => g.name);
    assert.ok(names.includes('California') && names.includes('Minnesota'), names.join(', '));
    const macro = (await get(app, '/api/stats?group=macroevent')).body.rows.filter((x: Json) => x.key);
    assert.ok(macro.length >= 1);
    const byMacro = await get(app, `/api/events?macroevent=${encodeURIComponent(macro[0].key)}&limit=1000`);
    assert.equal(byMacro.body.total, macro[0].events);
  });
});

describe('events known only to the month or the week', () => {
  let repo: Repository;
  let app: App;
  before(() => {
    repo = storeFrom(precisionArticles()).repo;
    app = createApp(repo);
  });
  after(() => repo?.close());

  test("the roundup's lines carry the date's precision, and validate against the OpenAPI document", async () => {
    const all = repo.listEvents();
    for (const c of PRECISION_CASES) {
      const e = all.find((x) => x.locality === c.locality);
      assert.deepEqual(e && [e.date, e.date_precision, e.status], [c.date, c.precision, c.status], `the pipeline's reading of ${c.file}`);
    }
    const check = validator((await get(app, '/api/openapi.json')).body);
    for (const c of PRECISION_CASES) {
      const r = await get(app, `/api/roundup?date=${c.date}`);
      assert.equal(r.status, 200);
      check('Roundup', r.body);
      const line = r.body.groups.flatMap((g: Json) => g.events).find((e: Json) => e.locality === c.locality);
      assert.ok(line, `${c.locality} in the roundup of ${c.date}`);
      assert.equal(line.date, c.date);
      assert.equal(line.date_precision, c.precision);
      assert.equal(line.status, c.status);
    }
  });
});
