// The HTTP API's reads and writes on every backend, and the same answers from each (issue 11): the same made-up
// articles go into a SQLite store and (when TURNOUT_TEST_PG names a server; skipped, saying why, otherwise) a
// PostgreSQL one, on the same clock; then the same requests (reads, feeds, logins, reviews, edits, merges, splits,
// undos, conflicts, --verified-only) get the same statuses and bodies from both.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ingestIntoStore } from '../src/pipeline.js';
import { createApp } from '../src/serve/server.js';
import type { StoreEffects } from '../src/store/repository.js';
import type { Store } from '../src/store/store.js';
import { backends, NO_PG, type Backend } from './helpers/backends.js';

const TODAY = '2026-03-10';
const CLOCK: StoreEffects = { now: () => '2026-03-10T12:00:00.000Z' };
const PASSWORD = 'a long enough password for tests';

/** Made-up articles (neutral towns): two of one rally in Tulsa, a picket in Reno, rallies in Keene and Akron, a plan in Boise. */
const ARTICLES: Record<string, string> = {
  tulsa1: 'About 200 people rallied in Tulsa, Oklahoma, on Saturday, March 7, 2026, to demand safer streets near schools. (A made-up test article.)',
  tulsa2: 'More than 500 people marched in Tulsa, Oklahoma, on Saturday, March 7, 2026, calling for safer streets near schools, organizers said. (Another made-up test article.)',
  reno: 'Dozens of nurses picketed outside a hospital in Reno, Nevada, on Friday, March 6, 2026, over staffing levels. (A made-up test article.)',
  keene: 'About 30 people rallied in Keene, New Hampshire, on Tuesday, March 3, 2026, for the library. (A made-up test article.)',
  akron: 'About 20 people rallied in Akron, Ohio, on Tuesday, March 3, 2026, for the library. (A made-up test article.)',
  akron2: 'Library supporters rallied again in Akron, Ohio, on Tuesday, March 3, 2026. (Another made-up test article.)',
  boise: 'Teachers plan to rally at the state capitol in Boise, Idaho, on Saturday, March 14, 2026, to demand smaller classes, organizers said. (A made-up test article.)',
};

type Json = Record<string, any>;
/** One request and its answer, as compared across backends: a label, the status, and the body (JSON parsed). */
type Exchange = [label: string, status: number, body: unknown];

/** A client of the app that keeps a transcript of every exchange. */
function client(store: Store, transcript: Exchange[], opts: { verifiedOnly?: boolean } = {}) {
  const app = createApp(store, { today: () => TODAY, ...opts });
  return async (label: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(`http://127.0.0.1:8080${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') ? (JSON.parse(text) as Json) : text;
    transcript.push([label, res.status, body]);
    return { status: res.status, body: body as Json, res };
  };
}

/** Two events of one place and day, two others, and a plan; users ed (editor) and vi (viewer); their tokens. */
async function fill(store: Store): Promise<{ editor: string; viewer: string }> {
  for (const [name, text] of Object.entries(ARTICLES)) {
    await ingestIntoStore(store, { bytes: Buffer.from(text), name: `${name}.txt`, published: '2026-03-09', contentType: 'text/plain', today: TODAY });
  }
  await store.accounts().addUser('ed', 'editor', PASSWORD);
  await store.accounts().addUser('vi', 'viewer', PASSWORD);
  return { editor: await store.accounts().createToken('ed'), viewer: await store.accounts().createToken('vi') };
}

/**
 * Every request of the scenario on one store, checking what each must answer; the transcript (tokens and session
 * secrets left out, as they are random) is what the backends are compared on.
 */
async function scenario(store: Store, transcript: Exchange[]): Promise<void> {
  const tokens = await fill(store);
  const call = client(store, transcript);
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const town = async (name: string) => {
    const list = (await call(`list ${name}`, `/api/events?locality=${name}`)).body.events as Json[];
    assert.equal(list.length, 1, name);
    return list[0]!;
  };

  // reads
  const all = await call('events', '/api/events?limit=100');
  assert.equal(all.status, 200);
  assert.deepEqual(all.body.events.map((e: Json) => e.locality), ['Keene', 'Akron', 'Reno', 'Tulsa', 'Boise']);
  assert.equal((await call('region', '/api/events?region=ok')).body.total, 1);
  assert.equal((await call('search', '/api/events?q=nurses')).body.events[0].locality, 'Reno');
  await call('page', '/api/events?limit=2');
  const points = await call('points', '/api/points');
  points.body.rows.sort((a: string[], b: string[]) => a[0]!.localeCompare(b[0]!));
  for (const group of ['day', 'region', 'macroevent']) await call(`stats ${group}`, `/api/stats?group=${group}`);
  await call('csv', '/api/events.csv?include_planned=true');
  await call('geojson', '/api/events.geojson');
  await call('roundup', '/api/roundup?date=2026-03-03');
  await call('atom', '/feeds/events.atom');
  const ics = await call('ics', '/feeds/planned.ics');
  assert.match(String(ics.body), /SUMMARY:Rally in Boise/);
  // the calendar is stamped with the time it is served
  transcript.at(-1)![2] = String(ics.body).replace(/DTSTAMP:\d{8}T\d{6}Z/g, 'DTSTAMP:(served)');
  assert.equal((await call('bad region', '/api/events?region=ZZ')).body.param, 'region');
  assert.equal((await call('bad cursor', '/api/events?cursor=bm9wZQ')).body.param, 'cursor');

  // who may write
  const tulsa = await town('Tulsa');
  assert.equal(tulsa.sources.length, 2);
  const verify = { action: 'verify', reason: 'checked both reports', revision: tulsa.revision };
  assert.equal((await call('review anonymous', `/api/events/${tulsa.id}/review`, { method: 'POST', body: verify })).status, 401);
  assert.equal((await call('review viewer', `/api/events/${tulsa.id}/review`, { method: 'POST', body: verify, headers: as(tokens.viewer) })).status, 403);
  assert.equal((await call('review bad token', `/api/events/${tulsa.id}/review`, { method: 'POST', body: verify, headers: as('tnt_nope') })).status, 401);
  assert.equal((await call('queue viewer', '/api/review/queue', { headers: as(tokens.viewer) })).status, 403);
  const queue = await call('queue', '/api/review/queue?limit=10', { headers: as(tokens.editor) });
  assert.equal(queue.body.total, 5);

  // review, and a stale revision is a conflict
  const verified = await call('review', `/api/events/${tulsa.id}/review`, { method: 'POST', body: verify, headers: as(tokens.editor) });
  assert.equal(verified.status, 200);
  assert.equal(verified.body.review_status, 'verified');
  const stale = await call('review stale', `/api/events/${tulsa.id}/review`, { method: 'POST', body: verify, headers: as(tokens.editor) });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.revision, tulsa.revision + 1);

  // a browser session: login, CSRF, edit, logout
  assert.equal((await call('login wrong', '/api/session', { method: 'POST', body: { name: 'ed', password: 'wrong' } })).status, 401);
  const login = await call('login', '/api/session', { method: 'POST', body: { name: 'ed', password: PASSWORD } });
  assert.equal(login.status, 200);
  const cookie = login.res.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = login.body.csrf_token as string;
  login.body.csrf_token = '(random)';
  transcript.at(-1)![2] = login.body;
  const me = await call('me', '/api/me', { headers: { cookie } });
  assert.equal(me.body.user.name, 'ed');
  me.body.csrf_token = me.body.csrf_token === csrf ? '(the session\'s)' : me.body.csrf_token;
  const reno = await town('Reno');
  const edit = { changes: { title: 'Nurses picket over staffing', size_low: 30, size_high: 60 }, reason: 'from the photos', revision: reno.revision };
  assert.equal((await call('edit without csrf', `/api/events/${reno.id}`, { method: 'PATCH', body: edit, headers: { cookie } })).status, 403);
  const bad = await call('edit invalid', `/api/events/${reno.id}`, { method: 'PATCH', body: { ...edit, changes: { size_low: 90, size_high: 10 } }, headers: { cookie, 'x-csrf-token': csrf } });
  assert.equal(bad.status, 400);
  const edited = await call('edit', `/api/events/${reno.id}`, { method: 'PATCH', body: edit, headers: { cookie, 'x-csrf-token': csrf } });
  assert.equal(edited.status, 200);
  assert.equal(edited.body.title, 'Nurses picket over staffing');
  assert.equal(edited.body.review_status, 'edited');
  assert.equal((await call('logout', '/api/session', { method: 'DELETE', headers: { cookie, 'x-csrf-token': csrf } })).status, 204);
  assert.equal((await call('me after logout', '/api/me', { headers: { cookie } })).body.user, null);

  // merge, split, undo, and the history that records them
  const [keene, akron] = [await town('Keene'), await town('Akron')];
  const merged = await call('merge', '/api/events/merge', { method: 'POST', body: { ids: [keene.id, akron.id], reason: 'one rally' }, headers: as(tokens.editor) });
  assert.equal(merged.status, 200);
  assert.equal(merged.body.sources.length, 3);
  const moved = await call('merged id', `/api/events/${akron.id}`);
  assert.equal(moved.status, 301);
  assert.equal(moved.body.merged_into, keene.id);
  const mentions = (await call('mentions', `/api/events/${keene.id}/mentions`)).body.mentions as Json[];
  assert.equal(mentions.length, 3);
  const late = mentions.find((m) => /rallied again/.test(m.quote))!;
  const split = await call('split', `/api/events/${keene.id}/split`, { method: 'POST', body: { mentions: [late.id], reason: 'a second rally', revision: merged.body.revision }, headers: as(tokens.editor) });
  assert.equal(split.status, 201);
  assert.deepEqual([split.body.event.sources.length, split.body.from.sources.length], [1, 2]);
  const history = await call('history', `/api/events/${keene.id}/history`);
  assert.deepEqual(history.body.history.map((h: Json) => h.action), ['split', 'merge', 'ingest']);
  const undone = await call('undo split', `/api/events/${keene.id}/undo`, { method: 'POST', body: { change: history.body.history[0].undo.id, reason: 'one rally after all' }, headers: as(tokens.editor) });
  assert.equal(undone.status, 200);
  assert.equal(undone.body.sources.length, 3);
  assert.equal((await call('undo again', `/api/events/${keene.id}/undo`, { method: 'POST', body: { change: history.body.history[0].undo.id, reason: 'again' }, headers: as(tokens.editor) })).status, 409);

  // --verified-only: the public sees the checked events only; editors still reach the others by id
  const pub = client(store, transcript, { verifiedOnly: true });
  const published = await pub('published', '/api/events');
  assert.deepEqual(published.body.events.map((e: Json) => e.locality).sort(), ['Reno', 'Tulsa']);
  assert.equal((await pub('unchecked hidden', `/api/events/${keene.id}`)).status, 404);
  assert.equal((await pub('unchecked to an editor', `/api/events/${keene.id}`, { headers: as(tokens.editor) })).status, 200);
  await pub('published points', '/api/points');
  await pub('published stats', '/api/stats?group=region');
}

const transcripts = new Map<string, Exchange[]>();

for (const { name, backend, skip } of backends(CLOCK)) {
  describe(`the API's reads and writes on ${name}`, { skip: skip ?? false }, () => {
    let b: Backend;
    let store: Store;
    before(async () => {
      b = backend();
      store = await b.open();
    });
    after(async () => {
      await store?.close();
      await b?.drop();
    });
    it('answers every request of the scenario as it should', async () => {
      const transcript: Exchange[] = [];
      await scenario(store, transcript);
      transcripts.set(name, transcript);
    });
  });
}

describe('SQLite and PostgreSQL give the same answers', { skip: NO_PG ?? false }, () => {
  it('the same status and body for every request of the scenario', () => {
    const [sqlite, postgres] = [transcripts.get('SQLite'), transcripts.get('PostgreSQL')];
    assert.ok(sqlite && postgres, 'both scenarios ran');
    assert.equal(postgres.length, sqlite.length);
    for (const [i, exchange] of sqlite.entries()) assert.deepEqual(postgres[i], exchange, `request ${i}: ${exchange[0]}`);
  });
});
