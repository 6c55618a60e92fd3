// The review queue (issue 10): the machine's doubt about a record and its reasons, the queue ordered by it with
// filters, pages and merge suggestions (GET /api/review/queue, editors only), `serve --verified-only` on every public
// route and feed, the Atom feed and webhooks announcing a verification (never a rejection), and the CLI's
// --include-rejected. Every article here is made up.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseCsv } from '../src/core/csv.js';
import type { EventRecord } from '../src/core/types.js';
import { Watcher } from '../src/live/watch.js';
import { verifySignature, SIGNATURE_HEADER } from '../src/live/webhooks.js';
import { ingestInto, processInput } from '../src/pipeline.js';
import { doubtOf } from '../src/review/doubt.js';
import { inReviewQueue, isPublished } from '../src/review/status.js';
import { openApiDocument } from '../src/serve/openapi.js';
import { createApp } from '../src/serve/server.js';
import { openStore, SqliteRepository } from '../src/store/sqlite/index.js';
import { queueDoubt, writeReviewColumn } from '../src/store/sqlite/migrations.js';
import type { Repository } from '../src/store/repository.js';
import { startServer } from './helpers/http-server.js';
import { REPO_ROOT, tempDir } from './helpers/shared.js';

type Json = any;

const MADE_UP = ' (A made-up test article.)';
const ARTICLES = {
  tulsa: 'Hundreds of people rallied in Tulsa, Oklahoma, on Saturday, Feb. 7, 2026, against a plan to close the city library.' + MADE_UP,
  tulsaAgain: 'About 300 protesters gathered in Tulsa, Oklahoma, on Saturday, Feb. 7, 2026, to oppose closing the library, organizers said.' + MADE_UP,
  boise: 'Yesterday, dozens of people marched in Boise, Idaho, calling for safer bike lanes.' + MADE_UP,
  keene: 'A protest in Keene. The market rally continued.',
  reno: 'About 50 people rallied in Reno, Nevada, on Saturday, Feb. 7, 2026, against a new water tax.' + MADE_UP,
  sparks: 'Dozens of people marched in Sparks, Nevada, on Saturday, Feb. 7, 2026, against the same water tax.' + MADE_UP,
  renoAgain: 'Protesters returned to the streets of Reno, Nevada, on Sunday, Feb. 8, 2026, for a second day.' + MADE_UP,
  eugene: 'A march for transit funding is planned in Eugene, Oregon, on Saturday, March 14, 2026, organizers said.' + MADE_UP,
  akron: 'Dozens of people marched in Akron, Ohio, on Sunday, Feb. 8, 2026, calling for a new bus line.' + MADE_UP,
};
type Name = keyof typeof ARTICLES;

const TODAY = '2026-02-10';
const PASSWORD = 'a long enough password for tests';

function ingest(repo: Repository, name: Name) {
  return ingestInto(repo, { bytes: Buffer.from(ARTICLES[name]), name: `${name}.txt`, published: '2026-02-09', contentType: 'text/plain' });
}

/** A store of the made-up articles, with an editor, an admin and a viewer and their tokens. */
function newsroom(names: Name[] = Object.keys(ARTICLES) as Name[]) {
  const repo = openStore(join(tempDir(), 'queue.db'));
  for (const n of names) ingest(repo, n);
  for (const [name, role] of [['ed', 'editor'], ['ada', 'admin'], ['vi', 'viewer']] as const) repo.accounts().addUser(name, role, PASSWORD);
  const tokens = { editor: repo.accounts().createToken('ed'), admin: repo.accounts().createToken('ada'), viewer: repo.accounts().createToken('vi') };
  const find = (locality: string, date?: string) => {
    const e = repo.listEvents({ includeRejected: true }).find((x) => x.locality === locality && (!date || x.date === date));
    assert.ok(e, `an event in ${locality} ${date ?? ''}`);
    return e;
  };
  return { repo, tokens, find };
}

/** GET and POST through the app, with an optional bearer token. */
function client(app: ReturnType<typeof createApp>) {
  const get = async (path: string, token?: string) => {
    const res = await app.request(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, text, body: /json/.test(res.headers.get('content-type') ?? '') ? (JSON.parse(text) as Json) : null };
  };
  const review = async (id: string, action: 'verify' | 'reject', revision: number, token: string) => {
    const res = await app.request(`/api/events/${id}/review`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ action, reason: `${action} in a test`, revision }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Json;
  };
  return { get, review };
}

/** Writes a record straight into the store (disputes, a macro-event): the stored record, its revision and its search columns. */
function store(repo: Repository, record: EventRecord): void {
  const db = (repo as SqliteRepository).handle;
  const revision = record.revision + 1;
  const next = { ...record, revision };
  db.prepare('UPDATE events SET record = ?, revision = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(next), revision, new Date().toISOString(), record.id);
  db.prepare('INSERT INTO event_revisions (event_id, revision, record, reason, created_at) VALUES (?, ?, ?, ?, ?)').run(record.id, revision, JSON.stringify(next), 'test', new Date().toISOString());
  writeReviewColumn(db, record.id, next);
}

/** Corrects an event's size wording as an editor does (PATCH /api/events/{id}): the record as edited. */
function edit(repo: Repository, record: EventRecord, user: string): EventRecord {
  const r = repo.editEvent(record.id, { changes: { size_text: 'about 40' }, reason: 'the size the article gives', revision: record.revision, user });
  assert.equal(r.outcome, 'edited');
  return (r as { record: EventRecord }).record;
}

// ------------------------------------------------------------------------------------------------------------
// Doubt, on records built here

/** A record a careful human would hardly doubt: two sources, a town and a day each written out in a quote. */
function cleanRecord(over: Partial<EventRecord> = {}): EventRecord {
  const quote = 'Hundreds of people rallied in Tulsa, Oklahoma, on Saturday, Feb. 7, 2026.';
  const ev = (field: string, source: string) => ({ field, source, quote, start: 0, end: quote.length });
  const src = (id: string) => ({ id, url: `https://news.example/${id}`, file: null, title: 'Rally', publisher: 'Example News', published: '2026-02-09' });
  return {
    id: '0123456789abcdef',
    date: '2026-02-07',
    date_precision: 'day',
    status: 'occurred',
    realized_by: null,
    plan_of: null,
    locality: 'Tulsa',
    region: 'OK',
    country: 'US',
    lat: 36.15,
    lon: -95.99,
    county: 'Tulsa County',
    fips: '40143',
    geo_precision: 'locality',
    location_detail: null,
    event_type: ['rally'],
    title: null,
    macroevent: null,
    organizations: [],
    claims: [],
    size_text: 'hundreds',
    size_low: 200,
    size_high: 200,
    size_mean: 200,
    size_cat: 2,
    arrests: null,
    arrests_text: null,
    injuries_text: null,
    police_measures: [],
    property_damage: [],
    sources: [src('a1'), src('b2')],
    evidence: [ev('locality', 'a1'), ev('date', 'a1'), ev('locality', 'b2'), ev('date', 'b2')],
    confidence: 0.99,
    flags: [],
    revision: 1,
    review_status: 'unreviewed',
    reviewed_by: null,
    reviewed_at: null,
    edited_fields: [],
    disputes: [],
    ...over,
  };
}

describe('doubt', () => {
  const withQuote = (quote: string, over: Partial<EventRecord> = {}) => {
    const base = cleanRecord(over);
    return { ...base, evidence: base.evidence.map((e) => ({ ...e, quote, end: quote.length })) };
  };

  it('a record with two sources, a named town and a written date has almost none, and no reasons', () => {
    const d = doubtOf(cleanRecord());
    assert.ok(d.doubt <= 0.02, String(d.doubt));
    assert.deepEqual(d.reasons, []);
  });

  it('each weakness adds doubt and says why in a few words', () => {
    const base = doubtOf(cleanRecord()).doubt;
    const cases: Array<[string, EventRecord, RegExp]> = [
      ['one source', cleanRecord({ sources: cleanRecord().sources.slice(0, 1), flags: ['single_source'] }), /^a single source$/],
      ['low confidence', cleanRecord({ confidence: 0.5 }), /^low confidence \(0\.50\)$/],
      ['a county', cleanRecord({ geo_precision: 'county' }), /^placed only to the county$/],
      ['a state', cleanRecord({ geo_precision: 'state', locality: null, lat: null, lon: null }), /^placed only to the state$/],
      ['a town from context', withQuote('The march ended at the capitol on Feb. 7, 2026.'), /^Tulsa is not named where the protest is reported/],
      ['a week', cleanRecord({ date_precision: 'week' }), /^date known only to the week$/],
      ['a week, no day', cleanRecord({ date_precision: 'week', flags: ['day_unknown'], evidence: [] }), /^no day given: dated to the week of the report$/],
      ['a month', cleanRecord({ date_precision: 'month' }), /^date known only to the month$/],
      ['no date', cleanRecord({ date: null }), /^no date$/],
      ['a relative day', withQuote('Yesterday, hundreds of people rallied in Tulsa.'), /^date read from "Yesterday", counted from the publication day$/],
      ['last week', withQuote('Hundreds rallied in Tulsa last week.', { date_precision: 'week' }), /^date read from "last week"/],
      ['no quote for the date', cleanRecord({ evidence: cleanRecord().evidence.filter((e) => e.field !== 'date') }), /^no quoted sentence gives the date/],
      ['sizes disagree', cleanRecord({ flags: ['sizes_disagree'] }), /^sources disagree on the crowd size$/],
      ['arrests disagree', cleanRecord({ flags: ['arrests_disagree'] }), /^sources disagree on the arrests$/],
      ['a contradicted publication date', cleanRecord({ flags: ['date_after_publication'] }), /^the publication date contradicts the text$/],
      ['a page that may be about something else', cleanRecord({ flags: ['relevance_unsure'] }), /^the page may not be about a protest$/],
      ['no publication date', cleanRecord({ sources: cleanRecord().sources.map((s) => ({ ...s, published: null })) }), /^no source has a publication date$/],
    ];
    for (const [what, record, reason] of cases) {
      const d = doubtOf(record);
      assert.ok(d.doubt > base, `${what}: ${d.doubt} > ${base}`);
      assert.ok(d.doubt >= 0 && d.doubt <= 1, what);
      assert.ok(d.reasons.some((r) => reason.test(r)), `${what}: ${JSON.stringify(d.reasons)}`);
    }
  });

  it('a neighbourhood named in the quote counts as the town; a date written out is not relative', () => {
    const borough = withQuote('Hundreds rallied in Brookside on Feb. 7, 2026.', { location_detail: 'Brookside' });
    assert.ok(!doubtOf(borough).reasons.some((r) => /not named/.test(r)), JSON.stringify(doubtOf(borough).reasons));
    assert.ok(!doubtOf(cleanRecord()).reasons.some((r) => /relative|read from/.test(r)));
  });

  it('signals combine as chances (never past 1), strongest reason first; one reason counts once', () => {
    const worst = cleanRecord({
      confidence: 0.3,
      sources: cleanRecord().sources.slice(0, 1),
      geo_precision: 'country',
      date: null,
      flags: ['single_source', 'sizes_disagree', 'relevance_unsure', 'date_after_publication', 'published_date_contradicts_text'],
    });
    const d = doubtOf(worst);
    assert.ok(d.doubt > 0.95 && d.doubt <= 1, String(d.doubt));
    assert.equal(d.reasons[0], 'low confidence (0.30)');
    assert.equal(d.reasons.filter((r) => r === 'the publication date contradicts the text').length, 1);
    const one = doubtOf(cleanRecord({ flags: ['date_after_publication'] })).doubt;
    const both = doubtOf(cleanRecord({ flags: ['date_after_publication', 'published_date_contradicts_text'] })).doubt;
    assert.equal(both, one);
  });

  it('disputes (before and after the record carries them) come first and put a reviewed event back in the queue', () => {
    const plain = cleanRecord({ review_status: 'verified', reviewed_by: 'ed', reviewed_at: '2026-02-10T10:00:00.000Z' });
    assert.equal(inReviewQueue(plain), false, 'a verified record without disputes field is out of the queue');
    const disputed = { ...plain, disputes: [{ field: 'size_low', human: 300, machine: 500, source: 'c3' }] } as EventRecord;
    assert.equal(inReviewQueue(disputed), true);
    const d = doubtOf(disputed);
    assert.equal(d.reasons[0], "new evidence disputes an editor's size_low");
    assert.ok(d.doubt >= 0.7);
    const edited = { ...plain, review_status: 'edited', disputes: [] } as unknown as EventRecord;
    assert.equal(isPublished(edited), true);
    assert.equal(inReviewQueue(edited), false);
    assert.equal(inReviewQueue({ ...disputed, review_status: 'rejected' }), false, 'a rejected event never comes back');
    assert.equal(inReviewQueue(cleanRecord()), true);
  });

  it('the extractor flags a page the relevance check was unsure of', () => {
    const read = (name: Name) => processInput({ bytes: Buffer.from(ARTICLES[name]), name: `${name}.txt`, published: '2026-02-09', contentType: 'text/plain' }).mentions;
    const unsure = read('keene');
    assert.ok(unsure.length > 0, 'the short page is read all the same');
    assert.ok(unsure.every((m) => m.flags.includes('relevance_unsure')), JSON.stringify(unsure.map((m) => m.flags)));
    const sure = read('tulsa');
    assert.ok(sure.length > 0 && sure.every((m) => !m.flags.includes('relevance_unsure')));
  });
});

// ------------------------------------------------------------------------------------------------------------
// The queue

describe('GET /api/review/queue', () => {
  let repo: Repository;
  let tokens: ReturnType<typeof newsroom>['tokens'];
  let find: ReturnType<typeof newsroom>['find'];
  let api: ReturnType<typeof client>;

  before(() => {
    ({ repo, tokens, find } = newsroom());
    api = client(createApp(repo, { today: () => TODAY }));
  });
  after(() => repo?.close());

  const queue = async (q = '', token = tokens.editor) => {
    const r = await api.get(`/api/review/queue${q}`, token);
    assert.equal(r.status, 200, r.text);
    return r.body;
  };

  it('refuses anonymous callers (401), unknown tokens (401) and viewers (403), as problem+json', async () => {
    const anon = await api.get('/api/review/queue');
    assert.equal(anon.status, 401);
    assert.match(anon.type, /^application\/problem\+json/);
    assert.equal((await api.get('/api/review/queue', 'tnt_not_a_token')).status, 401);
    const viewer = await api.get('/api/review/queue', tokens.viewer);
    assert.equal(viewer.status, 403);
    assert.match(viewer.type, /^application\/problem\+json/);
    assert.equal((await api.get('/api/review/queue', tokens.admin)).status, 200);
  });

  it('lists every unreviewed event, most doubt first, each with its doubt and reasons as doubtOf reads the served record', async () => {
    const body = await queue('?limit=100');
    const all = repo.listEvents();
    assert.equal(body.total, all.length);
    assert.equal(body.items.length, all.length);
    assert.equal(body.next_cursor, null);
    const doubts = body.items.map((it: Json) => it.doubt);
    assert.deepEqual(doubts, [...doubts].sort((a, b) => b - a), 'most doubt first');
    for (const it of body.items) {
      const { planned_status: _p, ...record } = it.event;
      assert.deepEqual({ doubt: it.doubt, reasons: it.reasons }, doubtOf(record as EventRecord));
      assert.equal(it.event.review_status, 'unreviewed');
    }
    // the short page the relevance check doubted, dated to a week, heads the queue; two agreeing-on-place sources trail
    assert.equal(body.items[0].event.locality, 'Keene');
    assert.deepEqual(body.items[0].reasons.slice(0, 2), ['the page may not be about a protest', 'no day given: dated to the week of the report']);
    assert.equal(body.items[body.items.length - 1].event.locality, 'Tulsa');
    assert.deepEqual(body.items[body.items.length - 1].reasons, ['sources disagree on the crowd size']);
  });

  it('pages by a cursor: every item once, in the same order; a foreign cursor or a bad limit is a 400 naming it', async () => {
    const whole = (await queue('?limit=100')).items.map((it: Json) => it.event.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Json = await queue(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.items.length <= 3);
      assert.equal(page.total, whole.length);
      seen.push(...page.items.map((it: Json) => it.event.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    assert.deepEqual(seen, whole);
    assert.equal(pages, Math.ceil(whole.length / 3));
    assert.equal((await queue()).items.length, Math.min(25, whole.length), 'default page');
    const bad: Array<[string, string]> = [
      ['?cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['?cursor=' + Buffer.from('2026-02-07\u001fOK\u001ftulsa\u001f0123456789abcdef').toString('base64url'), 'cursor'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?from=2026-02-30', 'from'],
      ['?from=2026-02-09&to=2026-02-01', 'to'],
      ['?region=ZZ', 'region'],
      ['?status=planned', 'status'],
    ];
    for (const [q, param] of bad) {
      const r = await api.get(`/api/review/queue${q}`, tokens.editor);
      assert.equal(r.status, 400, q);
      assert.match(r.type, /^application\/problem\+json/);
      assert.equal(r.body.param, param, q);
    }
  });

  it('filters by date, region and macro-event', async () => {
    const nv = await queue('?region=NV');
    assert.ok(nv.items.length === 3 && nv.items.every((it: Json) => it.event.region === 'NV'), JSON.stringify(nv.items.map((it: Json) => it.event.locality)));
    assert.equal(nv.total, 3);
    const day = await queue('?from=2026-02-07&to=2026-02-07');
    assert.deepEqual(day.items.map((it: Json) => it.event.locality).sort(), ['Reno', 'Sparks', 'Tulsa']);
    const later = await queue('?from=2026-03-01');
    assert.deepEqual(later.items.map((it: Json) => it.event.locality), ['Eugene']);
    assert.equal((await queue('?macroevent=No%20Such%20Day')).total, 0);
    // a macro-event set on one record is found by it, case-insensitively
    const akron = find('Akron');
    store(repo, { ...akron, macroevent: 'Transit Day' });
    (repo as SqliteRepository).handle.prepare('UPDATE event_search SET macroevent = ? WHERE id = ?').run('Transit Day', akron.id);
    const macro = await queue('?macroevent=transit%20day');
    assert.deepEqual(macro.items.map((it: Json) => it.event.id), [akron.id]);
    // pages of a filter hold together too
    const first = await queue('?region=NV&limit=2');
    const second = await queue(`?region=NV&limit=2&cursor=${first.next_cursor}`);
    assert.deepEqual([...first.items, ...second.items].map((it: Json) => it.event.id), nv.items.map((it: Json) => it.event.id));
    assert.equal(second.next_cursor, null);
  });

  it('suggests neighbours to merge with: the same town a day apart, a town within 50 km the same day; none far away', async () => {
    const items = (await queue('?limit=100')).items as Json[];
    const item = (locality: string, date: string) => items.find((it) => it.event.locality === locality && it.event.date === date)!;
    const reno7 = find('Reno', '2026-02-07');
    const reno8 = find('Reno', '2026-02-08');
    const sparks = find('Sparks');
    const n = item('Reno', '2026-02-08').neighbours;
    assert.deepEqual(n.map((x: Json) => x.id), [reno7.id, sparks.id], 'nearest first');
    assert.deepEqual(Object.keys(n[0]).sort(), ['date', 'id', 'km', 'locality', 'region', 'title']);
    assert.equal(n[0].km, 0);
    assert.ok(n[1].km > 0 && n[1].km < 50, String(n[1].km));
    assert.equal(n[1].locality, 'Sparks');
    assert.equal(typeof n[1].title, 'string');
    assert.deepEqual(item('Sparks', '2026-02-07').neighbours.map((x: Json) => x.id).sort(), [reno7.id, reno8.id].sort());
    assert.deepEqual(item('Tulsa', '2026-02-07').neighbours, []);
    assert.deepEqual(item('Akron', '2026-02-08').neighbours, []);
    assert.ok(items.every((it) => it.neighbours.length <= 3));
  });

  it('a review takes an event out of the queue; new evidence disputing a verified one brings it back; a rejected one never', async () => {
    const before = await queue('?limit=100');
    const tulsa = find('Tulsa');
    const boise = find('Boise');
    await api.review(tulsa.id, 'verify', tulsa.revision, tokens.editor);
    await api.review(boise.id, 'reject', boise.revision, tokens.admin);
    const afterReview = await queue('?limit=100');
    assert.equal(afterReview.total, before.total - 2);
    const ids = afterReview.items.map((it: Json) => it.event.id);
    assert.ok(!ids.includes(tulsa.id) && !ids.includes(boise.id));
    // what the edits bring: a verified record whose value new evidence disputes is back, at the top
    store(repo, { ...repo.getEvent(tulsa.id)!, disputes: [{ field: 'size_low', human: 300, machine: 200, source: null }] } as EventRecord);
    store(repo, { ...repo.getEvent(boise.id)!, disputes: [{ field: 'date', human: '2026-02-08', machine: '2026-02-07', source: null }] } as EventRecord);
    const disputed = await queue('?limit=100');
    assert.equal(disputed.total, afterReview.total + 1);
    assert.equal(disputed.items[0].event.id, tulsa.id);
    assert.equal(disputed.items[0].reasons[0], "new evidence disputes an editor's size_low");
    assert.ok(!disputed.items.some((it: Json) => it.event.id === boise.id), 'rejected stays out');
  });

  it('is in the OpenAPI document, and its answers validate against it', async () => {
    const doc = openApiDocument() as Json;
    const op = doc.paths['/api/review/queue'].get;
    assert.deepEqual(Object.keys(op.responses).sort(), ['200', '400', '401', '403']);
    assert.deepEqual(op.parameters.map((p: Json) => p.name).sort(), ['cursor', 'from', 'limit', 'macroevent', 'region', 'to']);
    const ajv = new Ajv2020({ strict: false });
    for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema as object, `#/components/schemas/${name}`);
    const body = await queue('?limit=100');
    assert.ok(ajv.validate({ $ref: '#/components/schemas/ReviewQueue' }, body), JSON.stringify(ajv.errors));
  });
});

describe('the doubt column (migration 11)', () => {
  it('is backfilled for a store made before it, served by its index, and null for reviewed events', () => {
    const { repo, find } = newsroom(['tulsa', 'boise', 'keene', 'akron']);
    const path = (repo as SqliteRepository).handle.name;
    const akron = find('Akron');
    repo.reviewEvent(akron.id, { action: 'verify', reason: 'test', revision: akron.revision, user: 'ed' });
    repo.close();
    const db = new Database(path);
    db.exec('DROP INDEX event_search_queue; DROP INDEX event_search_queue_region; DROP INDEX event_search_queue_macroevent; ALTER TABLE event_search DROP COLUMN doubt');
    db.exec('DELETE FROM schema_migrations WHERE version = 11');
    db.close();
    const migrated = openStore(path) as SqliteRepository;
    const rows = migrated.handle.prepare('SELECT e.record, s.doubt FROM event_search s JOIN events e ON e.rowid = s.event_rowid').all() as Array<{ record: string; doubt: number | null }>;
    assert.equal(rows.length, 4);
    for (const r of rows) {
      const record = JSON.parse(r.record) as EventRecord;
      assert.equal(r.doubt, queueDoubt(record));
      assert.equal(r.doubt === null, record.id === akron.id, 'only the verified event is out of the queue');
    }
    const plan = migrated.handle.prepare('EXPLAIN QUERY PLAN SELECT event_rowid FROM event_search s WHERE s.doubt IS NOT NULL ORDER BY s.doubt DESC, s.event_rowid DESC LIMIT 26').all() as Array<{ detail: string }>;
    assert.ok(plan.some((p) => /event_search_queue\b/.test(p.detail)) && !plan.some((p) => /TEMP B-TREE/.test(p.detail)), JSON.stringify(plan));
    assert.equal(migrated.reviewQueue({}, { limit: 10 }).total, 3);
    migrated.close();
  });
});

// ------------------------------------------------------------------------------------------------------------
// serve --verified-only

describe('serve --verified-only', () => {
  let repo: Repository;
  let tokens: ReturnType<typeof newsroom>['tokens'];
  let find: ReturnType<typeof newsroom>['find'];
  let pub: ReturnType<typeof client>;
  let open: ReturnType<typeof client>;
  let checked: string[];
  let unchecked: string[];

  before(async () => {
    ({ repo, tokens, find } = newsroom(['tulsa', 'boise', 'reno', 'sparks', 'eugene', 'akron']));
    pub = client(createApp(repo, { today: () => TODAY, verifiedOnly: true }));
    open = client(createApp(repo, { today: () => TODAY }));
    const tulsa = find('Tulsa');
    await pub.review(tulsa.id, 'verify', tulsa.revision, tokens.editor);
    // an edited event (review_status 'edited') is published like a verified one
    const akron = find('Akron');
    edit(repo, akron, 'ed');
    const reno = find('Reno');
    await pub.review(reno.id, 'reject', reno.revision, tokens.editor);
    checked = [tulsa.id, akron.id].sort();
    unchecked = [find('Boise').id, find('Sparks').id, find('Eugene').id];
  });
  after(() => repo?.close());

  const sorted = (ids: string[]) => [...new Set(ids)].sort();

  it('lists, pages and maps only the events an editor verified or edited', async () => {
    const events = await pub.get('/api/events');
    assert.deepEqual(sorted(events.body.events.map((e: Json) => e.id)), checked);
    assert.equal(events.body.total, 2);
    assert.deepEqual(sorted((await pub.get('/api/events?include_rejected=true')).body.events.map((e: Json) => e.id)), checked, 'include_rejected does not publish a rejected event');
    assert.deepEqual(sorted((await pub.get('/api/events?limit=1')).body.events.map((e: Json) => e.id)).length, 1);
    assert.deepEqual(sorted((await pub.get('/api/points')).body.rows.map((r: Json) => r[0])), checked);
    const stats = (await pub.get('/api/stats?group=region')).body.rows;
    assert.deepEqual(stats.map((r: Json) => [r.key, r.events]), [['OH', 1], ['OK', 1]]);
    const geo = JSON.parse((await pub.get('/api/events.geojson')).text);
    assert.deepEqual(sorted(geo.features.map((f: Json) => f.id)), checked);
    const [header, ...rows] = parseCsv((await pub.get('/api/events.csv?include_planned=true')).text);
    assert.deepEqual(sorted(rows.map((r) => r[header!.indexOf('turnout_id')]!)), checked);
    const roundup = (await pub.get('/api/roundup?date=2026-02-07')).body;
    assert.equal(roundup.events, 1, JSON.stringify(roundup));
    assert.equal(roundup.groups[0].events[0].id, find('Tulsa').id);
    // the same store served without the switch publishes every event not rejected
    assert.equal((await open.get('/api/events')).body.total, 5);
    assert.equal((await open.get('/api/roundup?date=2026-02-07')).body.events, 2);
  });

  it('answers 404 for an unreviewed event by id, to the public and viewers; editors and admins still read it', async () => {
    for (const id of checked) assert.equal((await pub.get(`/api/events/${id}`)).status, 200);
    for (const id of [...unchecked, find('Reno').id]) {
      const anon = await pub.get(`/api/events/${id}`);
      assert.equal(anon.status, 404, id);
      assert.match(anon.type, /^application\/problem\+json/);
      assert.equal((await pub.get(`/api/events/${id}`, tokens.viewer)).status, 404);
      assert.equal((await pub.get(`/api/events/${id}`, tokens.editor)).status, 200);
      assert.equal((await pub.get(`/api/events/${id}`, tokens.admin)).status, 200);
      assert.equal((await open.get(`/api/events/${id}`)).status, 200);
    }
    assert.match((await pub.get(`/api/events/${unchecked[0]}`)).headers.get('vary') ?? '', /Authorization/);
    assert.equal((await pub.get('/api/events/0000000000000000')).status, 404);
    // the queue still shows editors what awaits review
    const q = await pub.get('/api/review/queue?limit=100', tokens.editor);
    assert.deepEqual(sorted(q.body.items.map((it: Json) => it.event.id)), sorted(unchecked));
  });

  it('feeds only checked events: Atom and the calendar of plans', async () => {
    const atom = (await pub.get('/feeds/events.atom')).text;
    const linked = sorted([...atom.matchAll(/\/event\/([0-9a-f]{16})/g)].map((m) => m[1]!));
    assert.deepEqual(linked, checked);
    const eugene = find('Eugene');
    assert.ok(!(await pub.get('/feeds/planned.ics')).text.includes(eugene.id));
    assert.ok((await open.get('/feeds/planned.ics')).text.includes(eugene.id), 'the plan is in the open calendar');
    await pub.review(eugene.id, 'verify', eugene.revision, tokens.editor);
    assert.ok((await pub.get('/feeds/planned.ics')).text.includes(eugene.id), 'once verified, it is published');
  });
});

// ------------------------------------------------------------------------------------------------------------
// Announcements

describe('the Atom feed and webhooks announce a verification and a correction, never a rejection', () => {
  it('Atom: a verified event is a new entry saying who verified it and when; an edited one says corrected; a rejected one is not announced', async () => {
    const { repo, tokens, find } = newsroom(['tulsa', 'boise', 'akron']);
    const api = client(createApp(repo, { today: () => TODAY }));
    const entries = async (q = '') => {
      const text = (await api.get(`/feeds/events.atom${q}`)).text;
      return [...text.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((m) => m[1]!);
    };
    const entryOf = (list: string[], id: string) => list.find((e) => e.includes(`/event/${id}`));
    const tulsa = find('Tulsa');
    const boise = find('Boise');
    const akron = find('Akron');
    const before = entryOf(await entries(), tulsa.id)!;
    assert.ok(!/Verified by/.test(before));
    const verified = await api.review(tulsa.id, 'verify', tulsa.revision, tokens.editor);
    await api.review(boise.id, 'reject', boise.revision, tokens.admin);
    const corrected = edit(repo, akron, 'ada');
    const now = await entries();
    const entry = entryOf(now, tulsa.id)!;
    assert.ok(entry.includes(`Verified by ed on ${verified.reviewed_at.slice(0, 10)}.`), entry);
    assert.match(entry, /<author>\s*<name>ed<\/name>/);
    assert.match(entry, /<category [^>]*term="verified"/);
    assert.notEqual(/<id>([^<]+)<\/id>/.exec(entry)![1], /<id>([^<]+)<\/id>/.exec(before)![1], 'a new entry id: readers see the verification');
    assert.ok(entryOf(now, akron.id)!.includes(`Corrected by ada on ${corrected.reviewed_at!.slice(0, 10)} (size_text).`));
    assert.equal(entryOf(now, boise.id), undefined, 'a rejected event leaves the feed');
    const withRejected = entryOf(await entries('?include_rejected=true'), boise.id)!;
    assert.ok(withRejected && !/reject|Verified|Corrected/i.test(withRejected), 'a rejection is never announced');
    repo.close();
  });

  it('webhooks: a verification is delivered with change "review" and review_status "verified"; a rejection is not delivered', async () => {
    const bodies: Json[] = [];
    const checked: Json[] = [];
    const receiver = await startServer({
      '/hook': (req: IncomingMessage, res) => {
        let b = '';
        req.on('data', (d) => (b += d));
        req.on('end', () => {
          assert.ok(verifySignature('s3cret', req.headers[SIGNATURE_HEADER] as string, b).ok);
          bodies.push(JSON.parse(b));
          res.writeHead(204).end();
        });
      },
      '/checked': (req: IncomingMessage, res) => {
        let b = '';
        req.on('data', (d) => (b += d));
        req.on('end', () => {
          checked.push(JSON.parse(b));
          res.writeHead(204).end();
        });
      },
    });
    const { repo, tokens } = newsroom([]);
    const w = new Watcher(repo, { allowHosts: [receiver.host], politenessMs: 0, retryBaseMs: 5 });
    const drain = async () => {
      for (let i = 0; i < 50 && w.live.openJobs() > 0; i++) await w.drain();
    };
    try {
      w.live.addWebhook(`${receiver.url}/hook`, 's3cret', {});
      // a hook for what `serve --verified-only` publishes hears of an event once an editor checked it
      w.live.addWebhook(`${receiver.url}/checked`, 'other', { verifiedOnly: true });
      ingest(repo, 'tulsa');
      ingest(repo, 'akron');
      await drain();
      assert.equal(bodies.length, 2);
      assert.ok(bodies.every((b) => b.type === 'event.created' && b.change === 'ingest' && b.review_status === 'unreviewed'), JSON.stringify(bodies));
      const [tulsa, akron] = ['Tulsa', 'Akron'].map((l) => repo.listEvents().find((e) => e.locality === l)!);
      const api = client(createApp(repo, { today: () => TODAY }));
      await api.review(tulsa!.id, 'verify', tulsa!.revision, tokens.editor);
      await api.review(akron!.id, 'reject', akron!.revision, tokens.editor);
      await drain();
      const later = bodies.slice(2);
      assert.equal(later.length, 1, JSON.stringify(later.map((b) => [b.event.locality, b.change])));
      assert.equal(later[0].event.id, tulsa!.id);
      assert.equal(later[0].type, 'event.updated');
      assert.equal(later[0].change, 'review');
      assert.equal(later[0].review_status, 'verified');
      assert.equal(later[0].event.reviewed_by, 'ed');
      assert.equal(later[0].revision, tulsa!.revision + 1);
      // an edit is announced as one
      edit(repo, repo.getEvent(tulsa!.id)!, 'ed');
      await drain();
      assert.equal(bodies.length, 4);
      assert.equal(bodies[3].change, 'edit');
      assert.equal(bodies[3].review_status, 'edited');
      assert.deepEqual(checked.map((b) => [b.event.id, b.change, b.review_status]), [[tulsa!.id, 'review', 'verified'], [tulsa!.id, 'edit', 'edited']]);
    } finally {
      repo.close();
      await receiver.close();
    }
  });
});

// ------------------------------------------------------------------------------------------------------------
// CLI

describe('turnout events and export --include-rejected', () => {
  const CLI = join(REPO_ROOT, 'src', 'cli.ts');
  const turnout = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('leave a rejected event out unless asked, and say so in --help', () => {
    const { repo, find } = newsroom(['tulsa', 'akron']);
    const db = (repo as SqliteRepository).handle.name;
    const akron = find('Akron');
    repo.reviewEvent(akron.id, { action: 'reject', reason: 'test', revision: akron.revision, user: 'ed' });
    repo.close();
    const table = turnout(['events', '--db', db]);
    assert.equal(table.code, 0, table.stderr);
    assert.ok(!table.stdout.includes(akron.id) && /Tulsa, OK/.test(table.stdout), table.stdout);
    const all = turnout(['events', '--db', db, '--include-rejected']);
    assert.equal(all.code, 0, all.stderr);
    const row = all.stdout.split('\n').find((l) => l.includes(akron.id)) ?? '';
    assert.match(row, /rejected +[0-9a-f]{16}$/, all.stdout);
    assert.match(all.stdout, /2 events: 2 occurred, 0 planned/);
    const json = (args: string[]) => JSON.parse(turnout(['export', '--format', 'json', '--db', db, ...args]).stdout) as EventRecord[];
    assert.ok(!json([]).some((e) => e.id === akron.id));
    assert.equal(json(['--include-rejected']).find((e) => e.id === akron.id)?.review_status, 'rejected');
    const csv = turnout(['export', '--format', 'csv', '--db', db, '--include-rejected']).stdout;
    assert.ok(csv.includes(akron.id));
    assert.match(turnout(['events', '--help']).stdout, /--include-rejected/);
    assert.match(turnout(['export', '--help']).stdout, /--include-rejected/);
    assert.match(turnout(['serve', '--help']).stdout, /--verified-only publishes only the events an editor verified or edited/);
    assert.match(turnout(['webhooks', '--help']).stdout, /Rejected events\s+are never sent/);
    const hook = turnout(['webhooks', 'add', 'https://hooks.example/in', '--filter', 'verified=true', '--db', db]);
    assert.equal(hook.code, 0, hook.stderr);
    assert.match(turnout(['webhooks', 'list', '--db', db]).stdout, /verifiedOnly=true/);
    const bad = turnout(['webhooks', 'add', 'https://hooks.example/in', '--filter', 'verified=maybe', '--db', db]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--filter verified takes true or false/);
  });
});
