// Review state in the record, and the review action over the API (issue 10): who may verify or reject an event,
// what a bad or stale request gets (and that it changes nothing), where rejected events disappear, and that a
// human's review survives re-ingesting the same article and a new article about the same event.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseCsv } from '../src/core/csv.js';
import { ingestInto } from '../src/pipeline.js';
import { openApiDocument } from '../src/serve/openapi.js';
import { createApp } from '../src/serve/server.js';
import { openStore } from '../src/store/sqlite/index.js';
import type { Repository } from '../src/store/repository.js';
import { tempDir } from './helpers/shared.js';

type Json = any;

const DULUTH = 'Hundreds of people rallied in Duluth, Minnesota, on Saturday, Feb. 7, 2026, against a plan to close the city library. (A made-up test article.)';
const DULUTH_AGAIN =
  'About 300 protesters gathered in Duluth, Minnesota, on Saturday, Feb. 7, 2026, to oppose closing the city library, organizers said. (Another made-up test article.)';
const AKRON = 'Dozens of people marched in Akron, Ohio, on Sunday, Feb. 8, 2026, calling for a new bus line. (A made-up test article.)';

function ingest(repo: Repository, text: string, name: string) {
  return ingestInto(repo, { bytes: Buffer.from(text), name, published: '2026-02-09', contentType: 'text/plain' });
}

describe('POST /api/events/{id}/review', () => {
  let repo: Repository;
  let app: ReturnType<typeof createApp>;
  let editor: string;
  let admin: string;
  let viewer: string;
  let duluth: string;
  let akron: string;

  before(() => {
    repo = openStore(join(tempDir(), 'review.db'));
    for (const [name, role] of [['ed', 'editor'], ['ada', 'admin'], ['vi', 'viewer']] as const) repo.accounts().addUser(name, role, 'a long enough password for tests');
    editor = repo.accounts().createToken('ed');
    admin = repo.accounts().createToken('ada');
    viewer = repo.accounts().createToken('vi');
    assert.ok(ingest(repo, DULUTH, 'duluth.txt').eventsNew >= 1);
    assert.ok(ingest(repo, AKRON, 'akron.txt').eventsNew >= 1);
    const events = repo.listEvents();
    duluth = events.find((e) => e.locality === 'Duluth')!.id;
    akron = events.find((e) => e.locality === 'Akron')!.id;
    assert.ok(duluth && akron);
    app = createApp(repo, { today: () => '2026-02-10' });
  });
  after(() => repo?.close());

  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, text: await res.clone().text(), body: res.headers.get('content-type')?.includes('json') ? ((await res.json()) as Json) : null };
  };
  const review = async (id: string, body: unknown, token?: string, extra: Record<string, string> = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...extra };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await app.request(`/api/events/${id}/review`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Json };
  };
  const stored = (id: string) => repo.getEvent(id)!;

  it('every served record carries revision and unreviewed review fields; the OpenAPI document describes them and the endpoint', async () => {
    const e = (await get(`/api/events/${duluth}`)).body;
    assert.equal(e.revision, 1);
    assert.equal(e.review_status, 'unreviewed');
    assert.equal(e.reviewed_by, null);
    assert.equal(e.reviewed_at, null);
    const doc = openApiDocument() as Json;
    const op = doc.paths['/api/events/{id}/review'].post;
    assert.deepEqual(Object.keys(op.responses).sort(), ['200', '400', '401', '403', '404', '409', '413', '415']);
    assert.deepEqual(Object.keys(doc.components.schemas.ReviewRequest.properties).sort(), ['action', 'reason', 'revision']);
    for (const f of ['revision', 'review_status', 'reviewed_by', 'reviewed_at']) assert.ok(doc.components.schemas.EventRecord.properties[f], f);
    const ajv = new Ajv2020({ strict: false });
    for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema as object, `#/components/schemas/${name}`);
    assert.ok(ajv.validate({ $ref: '#/components/schemas/EventRecord' }, e), JSON.stringify(ajv.errors));
  });

  it('refuses anonymous callers (401) and viewers (403) with problem+json, changing nothing', async () => {
    const body = { action: 'verify', reason: 'checked', revision: 1 };
    const anon = await review(duluth, body);
    assert.equal(anon.status, 401);
    assert.match(anon.type, /^application\/problem\+json/);
    const bad = await review(duluth, body, 'tnt_nothing');
    assert.equal(bad.status, 401);
    const v = await review(duluth, body, viewer);
    assert.equal(v.status, 403);
    assert.match(v.type, /^application\/problem\+json/);
    assert.equal(stored(duluth).revision, 1);
    assert.equal(stored(duluth).review_status, 'unreviewed');
  });

  it('bad bodies are a 400 naming the field (413 over 64 KB), and change nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ action: 'verify', reason: 'ok', revision: 1, extra: true }, 'extra'],
      [{ action: 'approve', reason: 'ok', revision: 1 }, 'action'],
      [{ reason: 'ok', revision: 1 }, 'action'],
      [{ action: 'verify', revision: 1 }, 'reason'],
      [{ action: 'verify', reason: '   ', revision: 1 }, 'reason'],
      [{ action: 'verify', reason: 7, revision: 1 }, 'reason'],
      [{ action: 'verify', reason: 'ok', revision: '1' }, 'revision'],
      [{ action: 'verify', reason: 'ok', revision: 1.5 }, 'revision'],
      [{ action: 'verify', reason: 'ok' }, 'revision'],
      [[1, 2], 'body'],
      ['{"action": "verify",', 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await review(duluth, body, editor);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.type, /^application\/problem\+json/);
      assert.equal(r.body.param, field, JSON.stringify(body));
      assert.ok(r.body.detail.includes(field === 'body' ? 'JSON' : field), r.body.detail);
    }
    const big = await review(duluth, { action: 'verify', reason: 'x'.repeat(70 * 1024), revision: 1 }, editor);
    assert.equal(big.status, 413);
    const notJson = await review(duluth, { action: 'verify', reason: 'ok', revision: 1 }, editor, { 'content-type': 'text/plain' });
    assert.equal(notJson.status, 415);
    const unknown = await review('0000000000000000', { action: 'verify', reason: 'ok', revision: 1 }, editor);
    assert.equal(unknown.status, 404);
    const e = stored(duluth);
    assert.equal(e.revision, 1);
    assert.equal(e.review_status, 'unreviewed');
    assert.equal(repo.counts().revisions, 2, 'no revision written');
  });

  it('an editor verifies: the fields are set, the revision goes up, the reason is in the history', async () => {
    const r = await review(duluth, { action: 'verify', reason: 'matches the library board minutes', revision: 1 }, editor);
    assert.equal(r.status, 200);
    assert.equal(r.body.id, duluth);
    assert.equal(r.body.revision, 2);
    assert.equal(r.body.review_status, 'verified');
    assert.equal(r.body.reviewed_by, 'ed');
    assert.ok(!Number.isNaN(Date.parse(r.body.reviewed_at)));
    assert.deepEqual((await get(`/api/events/${duluth}`)).body, r.body);
    const history = (repo as Json).handle.prepare('SELECT revision, reason FROM event_revisions WHERE event_id = ? ORDER BY revision').all(duluth);
    assert.deepEqual(history.map((h: Json) => h.revision), [1, 2]);
    assert.match(history[1].reason, /^verify by ed: matches the library board minutes$/);
  });

  it('a stale revision is a 409 with the current revision, and changes nothing', async () => {
    const r = await review(duluth, { action: 'reject', reason: 'not a protest', revision: 1 }, admin);
    assert.equal(r.status, 409);
    assert.match(r.type, /^application\/problem\+json/);
    assert.equal(r.body.revision, 2);
    assert.equal(r.body.param, 'revision');
    assert.equal(stored(duluth).review_status, 'verified');
    assert.equal(stored(duluth).revision, 2);
  });

  it('a rejected event leaves events, points, GeoJSON, CSV and the Atom feed unless include_rejected=true; the CSV names the coder', async () => {
    const r = await review(akron, { action: 'reject', reason: 'a made-up article', revision: 1 }, admin);
    assert.equal(r.status, 200);
    assert.equal(r.body.review_status, 'rejected');
    assert.equal(r.body.reviewed_by, 'ada');
    const ids = async (path: string) => (await get(path)).body.events.map((e: Json) => e.id);
    assert.ok(!(await ids('/api/events')).includes(akron));
    assert.ok((await ids('/api/events')).includes(duluth));
    assert.ok((await ids('/api/events?include_rejected=true')).includes(akron));
    assert.equal((await get('/api/events')).body.total + 1, (await get('/api/events?include_rejected=true')).body.total);
    const points = async (q: string) => (await get('/api/points' + q)).body.rows.map((row: Json) => row[0]);
    assert.ok(!(await points('')).includes(akron));
    assert.ok((await points('?include_rejected=true')).includes(akron));
    const geo = async (q: string) => (await get('/api/events.geojson' + q)).text;
    assert.ok(!(await geo('')).includes(akron));
    const geoAll = JSON.parse(await geo('?include_rejected=true'));
    assert.equal(geoAll.features.find((f: Json) => f.id === akron).properties.review_status, 'rejected');
    assert.ok(!(await get('/api/events.csv')).text.includes(akron));
    const [header, ...rows] = parseCsv((await get('/api/events.csv?include_rejected=true')).text);
    const col = (name: string) => header!.indexOf(name);
    assert.ok(col('coder') > col('source30') && col('review_status') > col('coder'), 'the new columns come after the CCC ones');
    const row = (id: string) => rows.find((x) => x[col('turnout_id')] === id)!;
    assert.equal(row(akron)[col('coder')], 'ada');
    assert.equal(row(akron)[col('review_status')], 'rejected');
    assert.equal(row(duluth)[col('coder')], 'ed');
    assert.ok(!(await get('/feeds/events.atom')).text.includes(akron));
    assert.ok((await get('/feeds/events.atom?include_rejected=true')).text.includes(akron));
    // still readable by id, with its review
    assert.equal((await get(`/api/events/${akron}`)).body.review_status, 'rejected');
    assert.equal((await get('/api/events?include_rejected=nope')).status, 400);
  });

  it('re-ingesting the same article, and a new article of the same event, keep every review', async () => {
    const verified = stored(duluth);
    const rejected = stored(akron);
    assert.equal(ingest(repo, DULUTH, 'duluth.txt').article, 'unchanged');
    assert.equal(ingest(repo, AKRON, 'akron.txt').article, 'unchanged');
    assert.deepEqual(stored(duluth), verified);
    assert.deepEqual(stored(akron), rejected);
    const more = ingest(repo, DULUTH_AGAIN, 'duluth-again.txt');
    assert.ok(more.changed.some((c) => c.id === duluth && !c.created), JSON.stringify(more.changed));
    const after = stored(duluth);
    assert.equal(after.sources.length, verified.sources.length + 1, 'the new article is added as evidence');
    assert.equal(after.revision, verified.revision + 1);
    assert.equal(after.review_status, 'verified');
    assert.equal(after.reviewed_by, 'ed');
    assert.equal(after.reviewed_at, verified.reviewed_at);
    assert.equal((await get(`/api/events/${duluth}`)).body.revision, after.revision);
    const reloaded = openStore((repo as Json).handle.name);
    assert.equal(reloaded.getEvent(akron)!.review_status, 'rejected');
    assert.ok(!reloaded.listEvents().some((e) => e.id === akron));
    reloaded.close();
  });
});
