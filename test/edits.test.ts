// Edits are revisions, merge and split (issue 10): an editor's values survive every rebuild from articles, a new
// article that disagrees raises a dispute instead of a change, merges and splits move mentions and can be undone,
// every change is in the history, and bad or unauthorised requests change nothing. The articles are made up here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Database from 'better-sqlite3';
import { parseCsv } from '../src/core/csv.js';
import { ingestInto } from '../src/pipeline.js';
import { openApiDocument } from '../src/serve/openapi.js';
import { createApp } from '../src/serve/server.js';
import { openStore } from '../src/store/sqlite/index.js';
import { MIGRATIONS } from '../src/store/sqlite/migrations.js';
import type { Repository } from '../src/store/repository.js';
import type { EventRecord } from '../src/core/types.js';
import { NO_SHARED, SEEDS_DIR, tempDir } from './helpers/shared.js';

type Json = any;

const TULSA = 'About 200 people rallied in Tulsa, Oklahoma, on Saturday, March 7, 2026, to demand safer streets near schools. (A made-up test article.)';
const TULSA_MORE =
  'More than 500 people marched in Tulsa, Oklahoma, on Saturday, March 7, 2026, calling for safer streets near schools, organizers said. (Another made-up test article.)';
const RENO = 'Dozens of nurses picketed outside a hospital in Reno, Nevada, on Friday, March 6, 2026, over staffing levels. (A made-up test article.)';
const RENO_MORE = 'Nurses rallied again in Reno, Nevada, on Friday, March 6, 2026, saying wards are short-staffed. (Another made-up test article.)';
const KEENE_7 = 'About 40 people held a vigil in Keene, New Hampshire, on Saturday, March 7, 2026, for the river cleanup. (A made-up test article.)';
const KEENE_8 = 'Around 60 people gathered in Keene, New Hampshire, on Sunday, March 8, 2026, for the river cleanup vigil. (A made-up test article.)';
const KEENE_8_MORE = 'A vigil for the river cleanup drew 50 people in Keene, New Hampshire, on Sunday, March 8, 2026. (A third made-up test article.)';
const KEENE_8_LATE = 'Residents of Keene, New Hampshire, marched on Sunday, March 8, 2026, to ask for the river cleanup. (A late made-up test article.)';

const PASSWORD = 'a long enough password for tests';

/** A store with an editor, an admin and a viewer, their tokens, and an app over it. */
function setup(name: string) {
  const repo = openStore(join(tempDir(), name));
  for (const [user, role] of [['ed', 'editor'], ['ada', 'admin'], ['vi', 'viewer']] as const) repo.accounts().addUser(user, role, PASSWORD);
  const tokens = { editor: repo.accounts().createToken('ed'), admin: repo.accounts().createToken('ada'), viewer: repo.accounts().createToken('vi') };
  const app = createApp(repo, { today: () => '2026-03-10' });
  return { repo, tokens, app };
}

function ingest(repo: Repository, text: string, name: string) {
  return ingestInto(repo, { bytes: Buffer.from(text), name, published: '2026-03-09', contentType: 'text/plain' });
}

/** The one stored event at a town on a day. */
function eventAt(repo: Repository, locality: string, date: string): EventRecord {
  const found = repo.listEvents({ includeRejected: true }).filter((e) => e.locality === locality && e.date === date);
  assert.equal(found.length, 1, `one event in ${locality} on ${date}`);
  return found[0]!;
}

/** The article id of a stored article, by the file name it was read from. */
function articleId(repo: Repository, name: string): string {
  return (repo as Json).handle.prepare('SELECT id FROM articles WHERE name = ?').pluck().get(name);
}

/** The record without its revision number (which every change moves on). */
function unrevised(e: EventRecord | null): Omit<EventRecord, 'revision'> {
  assert.ok(e);
  const { revision: _r, ...rest } = e;
  return rest;
}

type App = ReturnType<typeof createApp>;

async function call(app: App, method: string, path: string, body?: unknown, token?: string, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extra };
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await app.request(path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, location: res.headers.get('location'), body: type.includes('json') ? ((await res.json()) as Json) : await res.text() };
}

/** Checks the store's own integrity and that every mention belongs to exactly one event that stands. */
function assertIntegrity(repo: Repository) {
  assert.equal(repo.integrityCheck(), 'ok');
  const db = (repo as Json).handle;
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  const live = repo.listEvents({ includeRejected: true });
  assert.equal(live.length, repo.counts().events);
  assert.equal(db.prepare('SELECT count(*) FROM event_search').pluck().get(), live.length, 'one search row per event that stands');
  const seen = new Set<number>();
  for (const e of live) {
    assert.equal(e.revision, db.prepare('SELECT revision FROM events WHERE id = ?').pluck().get(e.id));
    for (const m of repo.eventMentions(e.id)!) {
      assert.ok(!seen.has(m.id), `mention ${m.id} is in one event only`);
      seen.add(m.id);
    }
  }
  assert.equal(seen.size, repo.counts().mentions, 'every mention is in an event that stands');
}

describe('PATCH /api/events/{id}: edits are revisions', () => {
  let s: ReturnType<typeof setup>;
  let tulsa: string;
  let reno: string;
  const patch = (id: string, body: unknown, token = s.tokens.editor, extra: Record<string, string> = {}) => call(s.app, 'PATCH', `/api/events/${id}`, body, token, extra);

  before(() => {
    s = setup('edits.db');
    ingest(s.repo, TULSA, 'tulsa.txt');
    ingest(s.repo, RENO, 'reno.txt');
    tulsa = eventAt(s.repo, 'Tulsa', '2026-03-07').id;
    reno = eventAt(s.repo, 'Reno', '2026-03-06').id;
    s.repo.live().addWebhook('https://hooks.example.org/turnout', 'a secret for the test hook', {});
  });
  after(() => s.repo.close());

  it('an editor corrects the crowd size with a reason: mean and category follow, the history keeps the machine\'s value as the old one', async () => {
    const machine = s.repo.getEvent(tulsa)!;
    assert.equal(machine.size_low, 200);
    assert.deepEqual(machine.edited_fields, []);
    assert.deepEqual(machine.disputes, []);
    const r = await patch(tulsa, { changes: { size_low: 300, size_high: 400 }, reason: 'the police estimate', revision: 1 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.revision, 2);
    assert.equal(r.body.size_low, 300);
    assert.equal(r.body.size_high, 400);
    assert.equal(r.body.size_mean, 350);
    assert.equal(r.body.size_cat, 2);
    assert.equal(r.body.review_status, 'edited');
    assert.equal(r.body.reviewed_by, 'ed');
    assert.deepEqual(r.body.edited_fields, ['size_high', 'size_low']);
    assert.deepEqual((await call(s.app, 'GET', `/api/events/${tulsa}`)).body, r.body);
    const history = (await call(s.app, 'GET', `/api/events/${tulsa}/history`)).body.history;
    assert.deepEqual(history.map((h: Json) => [h.revision, h.action, h.by]), [[2, 'edit', 'ed'], [1, 'ingest', null]]);
    assert.equal(history[0].reason, 'the police estimate');
    assert.equal(history[0].undo, null);
    const change = (f: string) => history[0].changes.find((c: Json) => c.field === f);
    assert.deepEqual(change('size_low'), { field: 'size_low', old: 200, new: 300 });
    assert.deepEqual(change('size_high'), { field: 'size_high', old: 200, new: 400 });
    assert.deepEqual(change('size_mean'), { field: 'size_mean', old: 200, new: 350 });
    assert.deepEqual(change('review_status'), { field: 'review_status', old: 'unreviewed', new: 'edited' });
    assert.equal(change('title'), undefined, 'only what changed');
    assert.equal(history[1].reason, `article ${articleId(s.repo, 'tulsa.txt')}`);
    assert.deepEqual(history[1].changes.find((c: Json) => c.field === 'size_low'), { field: 'size_low', old: null, new: 200 });
    // the CSV names the editor as the row's coder
    const [header, ...rows] = parseCsv((await call(s.app, 'GET', '/api/events.csv')).body);
    const row = rows.find((x) => x[header!.indexOf('turnout_id')] === tulsa)!;
    assert.deepEqual([row[header!.indexOf('coder')], row[header!.indexOf('review_status')], row[header!.indexOf('size_low')]], ['ed', 'edited', '300']);
    // the webhook hears of the correction
    const jobs = (s.repo as Json).handle.prepare("SELECT payload FROM jobs WHERE kind = 'deliver'").pluck().all().map((p: string) => JSON.parse(p));
    assert.ok(jobs.some((j: Json) => j.eventId === tulsa && j.revision === 2), JSON.stringify(jobs));
  });

  it('several fields at once: a region kept as records keep it, one coordinate pins the other, a day makes the precision "day"', async () => {
    const r = await patch(reno, {
      changes: { region: 'nv', title: 'Nurses picket over staffing', date: '2026-03-06', lat: 39.5, event_type: ['picket'], arrests: 0, police_measures: [] },
      reason: 'checked with the union',
      revision: 1,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.region, 'NV');
    assert.equal(r.body.title, 'Nurses picket over staffing');
    assert.equal(r.body.lat, 39.5);
    assert.equal(r.body.lon, s.repo.getEvent(reno)!.lon);
    assert.equal(r.body.date_precision, 'day');
    assert.deepEqual(r.body.edited_fields, ['arrests', 'date', 'event_type', 'lat', 'lon', 'police_measures', 'region', 'title']);
    // the list of events and the map see the new values
    const listed = (await call(s.app, 'GET', '/api/events?region=NV')).body.events;
    assert.equal(listed.find((e: Json) => e.id === reno).title, 'Nurses picket over staffing');
  });

  it('every bad input is a 400 naming changes.<field> (413 over 64 KB), and changes nothing', async () => {
    const db = (s.repo as Json).handle;
    const snapshot = () => ({
      record: s.repo.getEvent(tulsa),
      revisions: s.repo.counts().revisions,
      overrides: db.prepare('SELECT * FROM event_overrides ORDER BY event_id, field').all(),
    });
    const was = snapshot();
    const revision = was.record!.revision;
    const cases: Array<[unknown, string]> = [
      [{ colour: 'red' }, 'changes.colour'],
      [{ size_low: '300' }, 'changes.size_low'],
      [{ size_low: 2.5 }, 'changes.size_low'],
      [{ date: '2026-02-30' }, 'changes.date'],
      [{ date: '07/03/2026' }, 'changes.date'],
      [{ size_low: 900 }, 'changes.size_low'],
      [{ size_low: 500, size_high: 100 }, 'changes.size_low'],
      [{ size_high: 100 }, 'changes.size_high'],
      [{ size_low: null }, 'changes.size_low'],
      [{ region: 'ZZ' }, 'changes.region'],
      [{ region: 'Atlantis' }, 'changes.region'],
      [{ country: 'XX' }, 'changes.country'],
      [{ arrests: -1 }, 'changes.arrests'],
      [{ status: 'maybe' }, 'changes.status'],
      [{ title: '   ' }, 'changes.title'],
      [{ event_type: ['rally', 5] }, 'changes.event_type'],
      [{ event_type: 'rally' }, 'changes.event_type'],
      [{ lat: 91 }, 'changes.lat'],
      [{ lon: -181 }, 'changes.lon'],
      [{ lat: null }, 'changes.lat'],
      [{ id: '0000000000000000' }, 'changes.id'],
      [{ revision: 9 }, 'changes.revision'],
      [{ review_status: 'verified' }, 'changes.review_status'],
      [{}, 'changes'],
      ['size_low=300', 'changes'],
      [null, 'changes'],
    ];
    for (const [changes, param] of cases) {
      const r = await patch(tulsa, { changes, reason: 'testing', revision }, s.tokens.admin);
      assert.equal(r.status, 400, JSON.stringify(changes));
      assert.match(r.type, /^application\/problem\+json/);
      assert.equal(r.body.param, param, JSON.stringify(changes));
      assert.ok(r.body.detail.includes(param.replace(/^changes\./, '')), r.body.detail);
    }
    for (const [body, param] of [
      [{ changes: { title: 'x' }, revision }, 'reason'],
      [{ changes: { title: 'x' }, reason: 'r' }, 'revision'],
      [{ changes: { title: 'x' }, reason: 'r', revision, force: true }, 'force'],
      ['{"changes": ', 'body'],
    ] as Array<[unknown, string]>) {
      const r = await patch(tulsa, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.param, param);
    }
    assert.equal((await patch(tulsa, { changes: { title: 'x'.repeat(70 * 1024) }, reason: 'r', revision })).status, 413);
    assert.equal((await patch(tulsa, { changes: { title: 'x' }, reason: 'r', revision }, s.tokens.editor, { 'content-type': 'text/plain' })).status, 415);
    assert.equal((await patch('0000000000000000', { changes: { title: 'x' }, reason: 'r', revision: 1 })).status, 404);
    assert.equal((await patch('not-an-id', { changes: { title: 'x' }, reason: 'r', revision: 1 })).status, 404);
    assert.deepEqual(snapshot(), was);
  });

  it('a stale revision is a 409 with the current one, and changes nothing', async () => {
    const was = s.repo.getEvent(tulsa)!;
    const r = await patch(tulsa, { changes: { size_low: 250 }, reason: 'a second look', revision: was.revision - 1 }, s.tokens.admin);
    assert.equal(r.status, 409);
    assert.match(r.type, /^application\/problem\+json/);
    assert.equal(r.body.revision, was.revision);
    assert.equal(r.body.param, 'revision');
    assert.deepEqual(s.repo.getEvent(tulsa), was);
  });

  it('a new article that disagrees with an edited size adds its source, evidence and a dispute, not a change; verifying settles the dispute', async () => {
    const edited = s.repo.getEvent(tulsa)!;
    const out = ingest(s.repo, TULSA_MORE, 'tulsa-more.txt');
    assert.deepEqual(out.changed.map((c) => c.id), [tulsa]);
    const source = articleId(s.repo, 'tulsa-more.txt');
    const e = s.repo.getEvent(tulsa)!;
    assert.equal(e.revision, edited.revision + 1);
    assert.deepEqual([e.size_low, e.size_high, e.size_mean, e.size_cat], [300, 400, 350, 2], 'the human values stand');
    assert.equal(e.review_status, 'edited');
    assert.deepEqual(e.edited_fields, edited.edited_fields);
    assert.deepEqual(e.sources.map((x) => x.id).sort(), [articleId(s.repo, 'tulsa.txt'), source].sort());
    assert.ok(e.evidence.some((x) => x.source === source), 'the new quotes are evidence');
    assert.deepEqual(e.disputes, [{ field: 'size_high', human: 400, machine: 500, source }]);
    const [latest] = (await call(s.app, 'GET', `/api/events/${tulsa}/history`)).body.history;
    assert.equal(latest.action, 'ingest');
    assert.deepEqual(latest.changes.map((c: Json) => c.field).filter((f: string) => /^size_(low|high|mean|cat)$/.test(f)), [], 'no size changed');
    assert.ok(latest.changes.some((c: Json) => c.field === 'size_text'), 'the machine\'s own size text follows the articles');
    assert.ok(latest.changes.some((c: Json) => c.field === 'disputes'));
    // reading the same article again changes nothing
    assert.equal(ingest(s.repo, TULSA_MORE, 'tulsa-more.txt').article, 'unchanged');
    assert.deepEqual(s.repo.getEvent(tulsa), e);
    const v = await call(s.app, 'POST', `/api/events/${tulsa}/review`, { action: 'verify', reason: 'the police estimate stands', revision: e.revision }, s.tokens.editor);
    assert.equal(v.status, 200);
    assert.deepEqual(v.body.disputes, []);
    assert.equal(v.body.size_high, 400);
  });

  it('re-ingesting the same articles after edits and a rejection keeps every human value and every rejection; a new article does too', async () => {
    const r = await call(s.app, 'POST', `/api/events/${reno}/review`, { action: 'reject', reason: 'not a protest', revision: s.repo.getEvent(reno)!.revision }, s.tokens.admin);
    assert.equal(r.status, 200);
    const kept = [s.repo.getEvent(tulsa)!, s.repo.getEvent(reno)!];
    for (const [text, name] of [[TULSA, 'tulsa.txt'], [TULSA_MORE, 'tulsa-more.txt'], [RENO, 'reno.txt']] as const) assert.equal(ingest(s.repo, text, name).article, 'unchanged');
    assert.deepEqual([s.repo.getEvent(tulsa), s.repo.getEvent(reno)], kept);
    const reopened = openStore((s.repo as Json).handle.name);
    assert.deepEqual([reopened.getEvent(tulsa), reopened.getEvent(reno)], kept);
    reopened.close();
    // a new article of the rejected event: its evidence is added, the rejection and the human values stand
    ingest(s.repo, RENO_MORE, 'reno-more.txt');
    const again = s.repo.getEvent(reno)!;
    assert.equal(again.sources.length, kept[1]!.sources.length + 1);
    assert.equal(again.review_status, 'rejected');
    assert.equal(again.title, 'Nurses picket over staffing');
    assert.equal(again.region, 'NV');
    assert.ok(!(await call(s.app, 'GET', '/api/events')).body.events.some((e: Json) => e.id === reno));
    assertIntegrity(s.repo);
  });
});

describe('write routes refuse anonymous callers (401) and viewers (403), changing nothing', () => {
  let s: ReturnType<typeof setup>;
  before(() => {
    s = setup('auth.db');
    ingest(s.repo, TULSA, 'tulsa.txt');
    ingest(s.repo, TULSA_MORE, 'tulsa-more.txt');
    ingest(s.repo, KEENE_7, 'keene-7.txt');
  });
  after(() => s.repo.close());

  it('PATCH, merge, split, undo and review', async () => {
    const tulsa = eventAt(s.repo, 'Tulsa', '2026-03-07').id;
    const keene = eventAt(s.repo, 'Keene', '2026-03-07').id;
    const mention = s.repo.eventMentions(tulsa)![0]!.id;
    const routes: Array<[string, string, unknown]> = [
      ['PATCH', `/api/events/${tulsa}`, { changes: { size_low: 1 }, reason: 'r', revision: 2 }],
      ['POST', '/api/events/merge', { ids: [tulsa, keene], reason: 'r' }],
      ['POST', `/api/events/${tulsa}/split`, { mentions: [mention], reason: 'r', revision: 2 }],
      ['POST', `/api/events/${tulsa}/undo`, { change: 1, reason: 'r' }],
      ['POST', `/api/events/${tulsa}/review`, { action: 'verify', reason: 'r', revision: 2 }],
    ];
    const before = { events: s.repo.listEvents({ includeRejected: true }), counts: s.repo.counts() };
    for (const [method, path, body] of routes) {
      const anon = await call(s.app, method, path, body);
      assert.equal(anon.status, 401, `${method} ${path}`);
      assert.match(anon.type, /^application\/problem\+json/);
      const bad = await call(s.app, method, path, body, 'tnt_not_a_token');
      assert.equal(bad.status, 401, `${method} ${path}`);
      const viewer = await call(s.app, method, path, body, s.tokens.viewer);
      assert.equal(viewer.status, 403, `${method} ${path}`);
      assert.match(viewer.type, /^application\/problem\+json/);
    }
    assert.deepEqual({ events: s.repo.listEvents({ includeRejected: true }), counts: s.repo.counts() }, before);
  });
});

describe('merge, split and undo', () => {
  let s: ReturnType<typeof setup>;
  let a: string;
  let b: string;
  let tulsa: string;
  const post = (path: string, body: unknown, token = s.tokens.editor) => call(s.app, 'POST', path, body, token);
  const history = async (id: string) => (await call(s.app, 'GET', `/api/events/${id}/history`)).body.history as Json[];

  before(() => {
    s = setup('merge.db');
    ingest(s.repo, KEENE_7, 'keene-7.txt');
    ingest(s.repo, KEENE_8, 'keene-8.txt');
    ingest(s.repo, KEENE_8_MORE, 'keene-8-more.txt');
    ingest(s.repo, TULSA, 'tulsa.txt');
    ingest(s.repo, TULSA_MORE, 'tulsa-more.txt');
    a = eventAt(s.repo, 'Keene', '2026-03-07').id;
    b = eventAt(s.repo, 'Keene', '2026-03-08').id;
    tulsa = eventAt(s.repo, 'Tulsa', '2026-03-07').id;
  });
  after(() => s.repo.close());

  it('bad merge bodies are a 400 naming the field, unknown ids a 404; nothing changes', async () => {
    const was = s.repo.counts();
    for (const [body, param] of [
      [{ ids: [a], reason: 'r' }, 'ids'],
      [{ ids: [a, a], reason: 'r' }, 'ids'],
      [{ ids: [a, 'nope'], reason: 'r' }, 'ids'],
      [{ ids: [a, b] }, 'reason'],
      [{ ids: [a, b], reason: 'r', revision: 1 }, 'revision'],
    ] as Array<[unknown, string]>) {
      const r = await post('/api/events/merge', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.param, param);
    }
    const unknown = await post('/api/events/merge', { ids: [a, '0000000000000000'], reason: 'r' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.param, 'ids');
    assert.deepEqual(s.repo.counts(), was);
  });

  it('merging b into a moves its mentions and evidence; b answers 301 and leaves the lists; undo restores both exactly', async () => {
    // b has a human value of its own, which the undo must bring back
    const titled = await call(s.app, 'PATCH', `/api/events/${b}`, { changes: { title: 'River cleanup vigil' }, reason: 'from the organizers', revision: 2 }, s.tokens.editor);
    assert.equal(titled.status, 200, JSON.stringify(titled.body));
    const [wasA, wasB] = [s.repo.getEvent(a)!, s.repo.getEvent(b)!];
    const total = (await call(s.app, 'GET', '/api/events')).body.total;
    const r = await post('/api/events/merge', { ids: [a, b], reason: 'the same vigil, misdated' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.id, a);
    assert.equal(r.body.date, '2026-03-07', 'the survivor keeps its day');
    assert.equal(r.body.sources.length, 3);
    assert.ok(wasB.evidence.every((e) => r.body.evidence.some((x: Json) => x.source === e.source && x.start === e.start)), 'b\'s evidence moved');
    assert.equal(r.body.title, wasA.title, 'b\'s human values stay with b');
    const gone = await call(s.app, 'GET', `/api/events/${b}`);
    assert.equal(gone.status, 301);
    assert.equal(gone.location, `/api/events/${a}`);
    assert.deepEqual(gone.body, { merged_into: a });
    assert.equal((await call(s.app, 'GET', `/api/events/${b}/mentions`)).status, 301);
    assert.equal(s.repo.resolveMerged(b), a);
    assert.equal(s.repo.getEvent(b), null);
    const list = await call(s.app, 'GET', '/api/events?include_rejected=true');
    assert.equal(list.body.total, total - 1);
    assert.ok(!list.body.events.some((e: Json) => e.id === b));
    assert.ok(!(await call(s.app, 'GET', '/api/points')).body.rows.some((row: Json) => row[0] === b));
    assert.equal((await call(s.app, 'GET', `/api/events/${a}/mentions`)).body.mentions.length, 3);
    // a write to the merged id names the survivor
    const stale = await call(s.app, 'PATCH', `/api/events/${b}`, { changes: { title: 'x' }, reason: 'r', revision: 3 }, s.tokens.editor);
    assert.equal(stale.status, 404);
    assert.equal(stale.body.merged_into, a);
    const [merge] = await history(a);
    assert.equal(merge.action, 'merge');
    assert.equal(merge.reason, 'the same vigil, misdated');
    assert.deepEqual(merge.changes[0], { field: 'merged_from', old: null, new: b });
    assert.ok(merge.undo);
    const [mergedB] = await history(b);
    assert.deepEqual([mergedB.action, mergedB.changes], ['merge', [{ field: 'merged_into', old: null, new: a }]]);
    assert.deepEqual(mergedB.undo, merge.undo);

    const undo = await post(`/api/events/${a}/undo`, { change: merge.undo.id, reason: 'two vigils after all' });
    assert.equal(undo.status, 200, JSON.stringify(undo.body));
    assert.equal(undo.body.id, a);
    assert.deepEqual(unrevised(s.repo.getEvent(a)), unrevised(wasA));
    assert.deepEqual(unrevised(s.repo.getEvent(b)), unrevised(wasB));
    assert.equal((await call(s.app, 'GET', `/api/events/${b}`)).status, 200);
    assert.equal(s.repo.resolveMerged(b), null);
    assert.equal((await call(s.app, 'GET', '/api/events?include_rejected=true')).body.total, total);
    const [undone] = await history(a);
    assert.deepEqual([undone.action, undone.by, undone.reason, undone.undo], ['undo', 'ed', 'two vigils after all', null]);
    assert.equal((await history(a)).find((h) => h.action === 'merge').undo, null, 'an undone merge has no undo');
    const twice = await post(`/api/events/${a}/undo`, { change: merge.undo.id, reason: 'again' });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.param, 'change');
    assertIntegrity(s.repo);
  });

  it('after a merge, a later article of b\'s place and day joins a (and goes back to b on undo)', async () => {
    const merged = await post('/api/events/merge', { ids: [a, b], reason: 'the same vigil' });
    assert.equal(merged.status, 200);
    const out = ingest(s.repo, KEENE_8_LATE, 'keene-8-late.txt');
    assert.deepEqual(out.changed.map((c) => c.id), [a]);
    assert.equal(out.eventsNew, 0);
    const late = articleId(s.repo, 'keene-8-late.txt');
    assert.ok(s.repo.getEvent(a)!.sources.some((x) => x.id === late));
    assert.equal(s.repo.getEvent(b), null);
    const [merge] = await history(a).then((h) => h.filter((x) => x.action === 'merge'));
    const undo = await post(`/api/events/${b}/undo`, { change: merge.undo.id, reason: 'two vigils' });
    assert.equal(undo.status, 200);
    assert.equal(undo.body.id, b);
    assert.ok(s.repo.getEvent(b)!.sources.some((x) => x.id === late), 'the later article went back with b\'s key');
    assert.ok(!s.repo.getEvent(a)!.sources.some((x) => x.id === late));
    assertIntegrity(s.repo);
  });

  it('split moves the chosen mentions to a new event; bad choices are a 400, a stale revision a 409; undo brings them back', async () => {
    const was = s.repo.getEvent(tulsa)!;
    const mentions = (await call(s.app, 'GET', `/api/events/${tulsa}/mentions`)).body.mentions;
    assert.equal(mentions.length, 2);
    for (const m of mentions) {
      assert.equal(typeof m.id, 'number');
      assert.ok(m.quote && m.article.id && m.locality === 'Tulsa' && m.date === '2026-03-07', JSON.stringify(m));
    }
    const more = mentions.find((m: Json) => m.article.file === 'tulsa-more.txt');
    const path = `/api/events/${tulsa}/split`;
    for (const [body, param] of [
      [{ mentions: [999999], reason: 'r', revision: was.revision }, 'mentions'],
      [{ mentions: mentions.map((m: Json) => m.id), reason: 'r', revision: was.revision }, 'mentions'],
      [{ mentions: [], reason: 'r', revision: was.revision }, 'mentions'],
      [{ mentions: ['1'], reason: 'r', revision: was.revision }, 'mentions'],
      [{ mentions: [more.id], revision: was.revision }, 'reason'],
    ] as Array<[unknown, string]>) {
      const r = await post(path, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.param, param);
    }
    const stale = await post(path, { mentions: [more.id], reason: 'r', revision: was.revision - 1 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.revision, was.revision);
    assert.deepEqual(s.repo.getEvent(tulsa), was);

    const r = await post(path, { mentions: [more.id], reason: 'a march, not the rally' });
    assert.equal(r.status, 400, 'the revision is required');
    const split = await post(path, { mentions: [more.id], reason: 'a march, not the rally', revision: was.revision });
    assert.equal(split.status, 201, JSON.stringify(split.body));
    const made = split.body.event.id;
    assert.notEqual(made, tulsa);
    assert.match(made, /^[0-9a-f]{16}$/);
    assert.equal(split.body.from.id, tulsa);
    assert.deepEqual(split.body.from.sources.map((x: Json) => x.file), ['tulsa.txt']);
    assert.deepEqual(split.body.event.sources.map((x: Json) => x.file), ['tulsa-more.txt']);
    assert.equal(split.body.event.size_low, 500);
    assert.equal(split.body.event.review_status, 'unreviewed');
    assert.deepEqual((await call(s.app, 'GET', `/api/events/${made}/mentions`)).body.mentions.map((m: Json) => m.id), [more.id]);
    const [fromEntry] = await history(tulsa);
    assert.deepEqual(fromEntry.changes[0], { field: 'split_to', old: null, new: made });
    const [madeEntry] = await history(made);
    assert.deepEqual([madeEntry.revision, madeEntry.action, madeEntry.changes[0]], [1, 'split', { field: 'split_from', old: null, new: tulsa }]);
    assert.deepEqual(madeEntry.undo, fromEntry.undo);
    assertIntegrity(s.repo);

    const undo = await post(`/api/events/${made}/undo`, { change: fromEntry.undo.id, reason: 'one demonstration' });
    assert.equal(undo.status, 200, JSON.stringify(undo.body));
    assert.equal(undo.body.id, tulsa);
    assert.deepEqual(unrevised(s.repo.getEvent(tulsa)), unrevised(was));
    const gone = await call(s.app, 'GET', `/api/events/${made}`);
    assert.equal(gone.status, 301);
    assert.equal(gone.location, `/api/events/${tulsa}`);
    assert.equal((await call(s.app, 'GET', `/api/events/${tulsa}/mentions`)).body.mentions.length, 2);
    assertIntegrity(s.repo);
  });

  it('a change a later merge or split depends on cannot be undone (409) until that one is', async () => {
    const merged = await post('/api/events/merge', { ids: [a, b], reason: 'the same vigil' });
    assert.equal(merged.status, 200);
    const mergeId = (await history(a))[0].undo.id;
    const mentions = s.repo.eventMentions(a)!;
    const b8 = mentions.filter((m) => m.date === '2026-03-08').map((m) => m.id);
    const split = await post(`/api/events/${a}/split`, { mentions: b8.slice(0, 1), reason: 'one report was another march', revision: s.repo.getEvent(a)!.revision });
    assert.equal(split.status, 201);
    const splitId = (await history(a))[0].undo.id;
    assert.equal((await history(a)).find((h) => h.undo?.id === mergeId), undefined, 'no undo link while a later change depends on it');
    const refused = await post(`/api/events/${a}/undo`, { change: mergeId, reason: 'r' });
    assert.equal(refused.status, 409);
    assert.match(refused.body.detail, /depends/);
    const notHere = await post(`/api/events/${tulsa}/undo`, { change: mergeId, reason: 'r' });
    assert.equal(notHere.status, 400);
    assert.equal(notHere.body.param, 'change');
    assert.equal((await post(`/api/events/${a}/undo`, { change: 999999, reason: 'r' })).status, 400);
    assert.equal((await post(`/api/events/${a}/undo`, { change: splitId, reason: 'r' })).status, 200);
    assert.equal((await post(`/api/events/${a}/undo`, { change: mergeId, reason: 'r' })).status, 200);
    assert.ok(s.repo.getEvent(b));
    assert.equal(s.repo.eventMentions(b)!.length, 3);
    assertIntegrity(s.repo);
  });

  it('the OpenAPI document describes every new route and body, and the answers match it', async () => {
    const doc = openApiDocument() as Json;
    assert.ok(doc.paths['/api/events/{id}'].patch);
    for (const p of ['/api/events/merge', '/api/events/{id}/split', '/api/events/{id}/undo']) {
      const op = doc.paths[p].post;
      for (const code of ['400', '401', '403', '404', '413', '415']) assert.ok(op.responses[code], `${p} ${code}`);
    }
    assert.ok(doc.paths['/api/events/{id}/mentions'].get && doc.paths['/api/events/{id}/history'].get);
    assert.ok(doc.paths['/api/events/{id}'].get.responses['301']);
    assert.deepEqual(Object.keys(doc.components.schemas.EditRequest.properties).sort(), ['changes', 'reason', 'revision']);
    assert.deepEqual(Object.keys(doc.components.schemas.MergeRequest.properties).sort(), ['ids', 'reason']);
    assert.deepEqual(Object.keys(doc.components.schemas.SplitRequest.properties).sort(), ['mentions', 'reason', 'revision']);
    assert.deepEqual(Object.keys(doc.components.schemas.UndoRequest.properties).sort(), ['change', 'reason']);
    const ajv = new Ajv2020({ strict: false });
    for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema as object, `#/components/schemas/${name}`);
    const valid = (name: string, value: unknown) => assert.ok(ajv.validate({ $ref: `#/components/schemas/${name}` }, value), `${name}: ${JSON.stringify(ajv.errors)}`);
    valid('EventRecord', (await call(s.app, 'GET', `/api/events/${a}`)).body);
    valid('History', (await call(s.app, 'GET', `/api/events/${a}/history`)).body);
    valid('Mentions', (await call(s.app, 'GET', `/api/events/${a}/mentions`)).body);
    valid('EditRequest', { changes: { size_low: 1, region: 'OH', event_type: ['rally'] }, reason: 'r', revision: 1 });
  });
});

describe('migration 9 on a store written before it', () => {
  it('records gain edited_fields and disputes; earlier revisions gain their action, editor and field changes', () => {
    // the records of a store written today, stored as the store before migration 9 kept them
    const now = setup('now.db');
    const records: Json[] = [];
    for (const [text, name] of [[TULSA, 'tulsa.txt'], [TULSA_MORE, 'tulsa-more.txt']]) {
      ingest(now.repo, text!, name!);
      records.push(JSON.parse((now.repo as Json).handle.prepare('SELECT record FROM events').pluck().get()));
    }
    now.repo.close();
    const old = records.map(({ edited_fields: _e, disputes: _d, ...r }: Json) => r);
    old.push({ ...old[1], revision: 3, review_status: 'verified', reviewed_by: 'ed: the elder', reviewed_at: '2026-03-09T10:00:00.000Z' });
    const path = join(tempDir(), 'v8.db');
    const db = new Database(path);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((x) => x.version < 9)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-03-01T00:00:00.000Z');
    }
    const id = old[0].id;
    db.prepare("INSERT INTO events (id, event_key, status, revision, record, created_at, updated_at) VALUES (?, 'OK|tulsa|2026-03-07|day', 'occurred', 3, ?, 'x', 'x')").run(id, JSON.stringify(old[2]));
    const reasons = ['article one', 'article two', 'verify by ed: the elder: matches the minutes'];
    old.forEach((r: Json, i: number) => db.prepare('INSERT INTO event_revisions VALUES (?, ?, ?, ?, ?)').run(id, i + 1, JSON.stringify(r), reasons[i], `2026-03-0${i + 1}T00:00:00.000Z`));
    db.close();
    const repo = openStore(path);
    const e = repo.getEvent(id)!;
    assert.deepEqual([e.edited_fields, e.disputes, e.review_status, e.revision], [[], [], 'verified', 3]);
    const history = repo.eventHistory(id)!;
    assert.deepEqual(history.map((h) => [h.revision, h.action, h.by]), [[3, 'review', 'ed: the elder'], [2, 'ingest', null], [1, 'ingest', null]]);
    assert.equal(history[0]!.reason, 'matches the minutes');
    assert.deepEqual(history[1]!.changes.find((c) => c.field === 'size_high'), { field: 'size_high', old: 200, new: 500 });
    assert.deepEqual(history[0]!.changes.find((c) => c.field === 'review_status'), { field: 'review_status', old: 'unreviewed', new: 'verified' });
    // migration 12: no revision keeps a copy of the record; the sources the second article added are stored as such
    const ids = (r: Json) => r.sources.map((x: Json) => x.id);
    assert.deepEqual(history[1]!.changes.find((c) => c.field === 'sources'), { field: 'sources', old: ids(old[0]), new: ids(old[1]) });
    const stored = (repo as Json).handle.prepare('SELECT record, changes FROM event_revisions WHERE revision = 2').get();
    assert.equal(stored.record, '');
    const added = ids(old[1]).find((x: string) => !ids(old[0]).includes(x));
    const splice = { field: 'sources', at: ids(old[1]).indexOf(added), removed: [], added: [added] };
    assert.deepEqual(JSON.parse(stored.changes).find((c: Json) => c.field === 'sources'), splice);
    assert.equal(repo.integrityCheck(), 'ok');
    repo.close();
  });
});

describe('the seed articles: human values and rejections survive later and repeated reading', { skip: NO_SHARED ?? false }, () => {
  it('edits and rejections made after the first article stand through the second and through reading both again', () => {
    const s = setup('seeds.db');
    const files = readdirSync(SEEDS_DIR).filter((f) => /\.(txt|html?|md)$/i.test(f)).sort();
    const read = (f: string) => ingestInto(s.repo, { bytes: readFileSync(join(SEEDS_DIR, f)), name: f, contentType: f.endsWith('.txt') ? 'text/plain' : 'text/html' });
    const [first, ...rest] = files;
    read(first!);
    const events = s.repo.listEvents();
    assert.ok(events.length >= 2);
    // every event with a crowd gets a human size; every third event is rejected
    const sized = new Map<string, [number, number]>();
    const rejected = new Set<string>();
    events.forEach((e, i) => {
      if (i % 3 === 2) {
        assert.equal(s.repo.reviewEvent(e.id, { action: 'reject', reason: 'not a protest', revision: e.revision, user: 'ed' }).outcome, 'reviewed');
        rejected.add(e.id);
      } else if (e.size_low !== null) {
        const size: [number, number] = [e.size_low + 7, (e.size_high ?? e.size_low) + 11];
        const r = s.repo.editEvent(e.id, { changes: { size_low: size[0], size_high: size[1] }, reason: 'a second count', revision: e.revision, user: 'ed' });
        assert.equal(r.outcome, 'edited');
        sized.set(e.id, size);
      }
    });
    assert.ok(sized.size >= 1 && rejected.size >= 1);
    const check = () => {
      for (const [id, [low, high]] of sized) {
        const e = s.repo.getEvent(id)!;
        assert.deepEqual([e.size_low, e.size_high, e.review_status], [low, high, 'edited'], id);
      }
      for (const id of rejected) assert.equal(s.repo.getEvent(id)!.review_status, 'rejected');
    };
    for (const f of rest) read(f);
    check();
    const now = s.repo.listEvents({ includeRejected: true });
    for (const f of files) assert.equal(read(f).article, 'unchanged');
    assert.deepEqual(s.repo.listEvents({ includeRejected: true }), now);
    check();
    assertIntegrity(s.repo);
    s.repo.close();
  });
});
