// What a newsroom publishes from the API, the exports and the feeds (issue 9): no local paths, planned events
// counted and dated honestly, unknown regions refused, search over word forms, CCC-style CSV. Stores are filled
// through the real pipeline from the project's sample articles and MADE-UP articles written here (neutral towns);
// servers listen on 127.0.0.1 only and are stopped by the tests that start them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { parseCsvRecords } from '../src/core/csv.js';
import { localDay } from '../src/core/planned.js';
import type { EventRecord } from '../src/core/types.js';
import { renderExport } from '../src/cli.js';
import { Watcher } from '../src/live/watch.js';
import { ingestInto } from '../src/pipeline.js';
import { createApp, startServer as startTurnout, type RunningServer } from '../src/serve/server.js';
import type { Repository } from '../src/store/repository.js';
import { openStore, RECORD } from '../src/store/sqlite/index.js';
import { startServer as startReceiver, type TestServer } from './helpers/http-server.js';
import { REPO_ROOT, tempDir } from './helpers/shared.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** "March 7, 2026" */
function written(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${MONTHS[m - 1]} ${d}, ${y}`;
}

const TODAY = localDay();
/** a day ahead of today, so that its plan is upcoming whenever the tests run (written without its year: the next one) */
const AHEAD = addDays(TODAY, 10);

// MADE-UP articles (the events are invented). Each is written to exercise one rule.
const ARTICLES: Record<string, { text: string; published: string }> = {
  'boise-library-plan.txt': {
    published: '2025-04-10',
    text: 'Boise rally planned for Saturday\n\nOrganizers said a rally against the closing of the public library is planned for April 12, 2025, outside the Idaho State Capitol in Boise, Idaho.\n',
  },
  'reno-transit-plan.txt': {
    published: TODAY,
    text: `Reno rally planned\n\nOrganizers said a rally against the closing of the public library is planned for ${written(AHEAD).replace(/, \d{4}$/, '')}, outside City Hall in Reno, Nevada.\n`,
  },
  'tulsa-walkout.txt': {
    published: '2026-03-12',
    text: 'Students walk out in Tulsa\n\nHundreds of students walked out of classes at three high schools in Tulsa, Oklahoma, on Thursday morning, March 12, 2026, to protest cuts to school bus routes. Organizers said a rally is planned for 5 p.m. Thursday outside City Hall in Tulsa.\n',
  },
  'akron-immigrants.txt': {
    published: '2026-02-08',
    text: 'Akron vigil\n\nAbout 80 people held a vigil outside the federal building in Akron, Ohio, on Saturday, Feb. 7, 2026, in support of detained immigrants and their families.\n',
  },
  'lyon-rents.txt': {
    published: '2026-03-02',
    text: 'Rally in Lyon\n\nSeveral hundred people marched through Lyon, France, on Sunday, March 1, 2026, against rising rents.\n',
  },
};
/** reported later: the Tulsa evening rally that the walkout story announced */
const TULSA_LATER = {
  name: 'tulsa-evening-rally.txt',
  published: '2026-03-13',
  text: 'Tulsa rally draws crowd\n\nAbout 300 people rallied outside City Hall in Tulsa, Oklahoma, on Thursday evening, March 12, 2026, to protest cuts to school bus routes.\n',
};

/** A directory whose name no response may carry, with the samples and the made-up articles in a subfolder. */
function newsroomInbox(): { root: string; dir: string; files: string[] } {
  const root = join(tempDir('turnout-private-'), 'Newsroom Inbox');
  const dir = join(root, 'desk-7');
  mkdirSync(dir, { recursive: true });
  const samples = join(REPO_ROOT, 'samples');
  for (const f of readdirSync(samples)) if (/\.(txt|html|md)$/.test(f)) copyFileSync(join(samples, f), join(dir, f));
  for (const [name, a] of Object.entries(ARTICLES)) writeFileSync(join(dir, name), a.text);
  return { root, dir, files: readdirSync(dir).sort() };
}

function ingestDir(repo: Repository, dir: string, files: string[]): void {
  for (const f of files) {
    const made = ARTICLES[f];
    const type = f.endsWith('.html') ? 'text/html' : f.endsWith('.md') ? 'text/markdown' : 'text/plain';
    ingestInto(repo, { bytes: made ? Buffer.from(made.text) : readFileSync(join(dir, f)), name: join(dir, f), published: made?.published ?? null, contentType: type });
  }
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((done) => {
    let b = '';
    req.on('data', (d) => (b += d));
    req.on('end', () => done(b));
  });

describe('never publish local paths', () => {
  let inbox: ReturnType<typeof newsroomInbox>;
  let repo: Repository;
  let server: RunningServer;
  let receiver: TestServer;
  const hookBodies: string[] = [];

  before(async () => {
    inbox = newsroomInbox();
    repo = openStore(join(tempDir(), 'turnout.db'));
    receiver = await startReceiver({
      '/hook': async (req, res) => {
        hookBodies.push(await readBody(req));
        res.writeHead(204).end();
      },
    });
    // a webhook hears of every event the files create
    const w = new Watcher(repo, { allowHosts: [receiver.host], politenessMs: 0, retryBaseMs: 5 });
    w.live.addWebhook(`${receiver.url}/hook`, 'secret', {});
    ingestDir(repo, inbox.dir, inbox.files);
    for (let i = 0; i < 100 && w.live.openJobs() > 0; i++) await w.drain();
    server = await startTurnout({ repo, host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await receiver?.close();
    repo?.close();
  });

  /** No body carries the directory, or a piece of it, or a file name with a separator before it. */
  function assertNoPaths(label: string, body: string): void {
    const variants = [inbox.dir, inbox.root, JSON.stringify(inbox.dir).slice(1, -1), encodeURIComponent(inbox.dir), 'Newsroom Inbox', 'desk-7', 'turnout-private-'];
    for (const v of variants) assert.ok(!body.includes(v), `${label} carries ${JSON.stringify(v)}`);
    for (const f of inbox.files) {
      for (const s of ['/', '\\', '\\\\', '%2F', sep]) assert.ok(!body.includes(s + f), `${label} carries a separator before ${f}`);
    }
  }

  test('the store keeps what it was given; the events cite file names only', () => {
    const events = repo.listEvents();
    const cited = new Set(events.flatMap((e) => e.sources.map((s) => s.file)).filter((f): f is string => f !== null));
    assert.ok(cited.size >= 5, `files cited: ${[...cited].join(', ')}`);
    for (const f of cited) assert.ok(inbox.files.includes(f), `${f} is a bare file name`);
    assert.ok(cited.has('2026-02-14-river-valley-rallies.txt'));
  });

  test('no API response, export, feed or webhook body contains the directory or a separator from it', async () => {
    const events = repo.listEvents();
    const paths = [
      '/api/events?limit=1000',
      '/api/events.geojson',
      '/api/events.csv?include_planned=true',
      '/api/points',
      '/api/stats?group=region',
      '/feeds/events.atom',
      '/feeds/planned.ics',
      ...events.map((e) => `/api/events/${e.id}`),
      ...[...new Set(events.map((e) => e.date).filter(Boolean))].map((d) => `/api/roundup?date=${d}`),
    ];
    let named = 0;
    for (const p of paths) {
      const res = await fetch(server.url + p);
      assert.equal(res.status, 200, p);
      const body = await res.text();
      assertNoPaths(p, body);
      if (inbox.files.some((f) => body.includes(f))) named++;
    }
    assert.ok(named >= events.length, `the file names themselves are there to be seen (${named} bodies name a file)`);
    for (const fmt of ['csv', 'geojson', 'json']) {
      const out = renderExport(events, fmt, { includePlanned: true });
      assertNoPaths(`export --format ${fmt}`, out);
      assert.ok(out.includes('river-valley-rallies.txt'), `export --format ${fmt} names the file`);
    }
    assert.ok(hookBodies.length >= events.length, `webhooks delivered (${hookBodies.length})`);
    for (const b of hookBodies) assertNoPaths('webhook', b);
    assert.ok(hookBodies.some((b) => b.includes('"file":"2026-02-14-river-valley-rallies.txt"')));
  });
});

describe('a store written before these rules is migrated when opened', () => {
  test('file sources lose their directory, search is rebuilt with stems, plans gain their link fields', () => {
    const inbox = newsroomInbox();
    const path = join(tempDir(), 'old.db');
    const repo = openStore(path);
    ingestDir(repo, inbox.dir, inbox.files);
    const before = repo.listEvents();
    repo.close();
    // turn it back into what migration 3 left: full paths in the records, a search index without stems, no links
    const db = new Database(path);
    const fullPath = (f: string) => join(inbox.dir, f);
    // (each record with its evidence, as stores kept it before migration 13)
    for (const r of db.prepare(`SELECT e.rowid, ${RECORD} AS record FROM events e`).all() as Array<{ rowid: number; record: string }>) {
      const { realized_by: _r, plan_of: _p, revision: _v, review_status: _s, reviewed_by: _b, reviewed_at: _a, edited_fields: _e, disputes: _d, ...old } = JSON.parse(
        r.record,
      ) as EventRecord;
      old.sources = old.sources.map((s) => (s.file ? { ...s, file: fullPath(s.file) } : s));
      db.prepare('UPDATE events SET record = ? WHERE rowid = ?').run(JSON.stringify(old), r.rowid);
    }
    // the revisions kept a copy of the record (migration 12 empties them): here the event's last record in each
    db.exec("UPDATE event_revisions SET record = (SELECT e.record FROM events e WHERE e.id = event_revisions.event_id)");
    db.exec("DROP TABLE events_fts; CREATE VIRTUAL TABLE events_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')");
    db.exec('INSERT INTO events_fts (rowid, body) SELECT rowid, record FROM events');
    // and none of the tables and columns later migrations add (7: accounts; 8: review state; 9: edits, merges, splits;
    // 10: sessions, failed logins; 11: review queue; 12 adds none; 13: evidence per article)
    db.exec('DROP TABLE event_evidence; DROP TABLE sessions; DROP TABLE login_failures; DROP TABLE api_tokens; DROP TABLE users; ALTER TABLE event_search DROP COLUMN review_status');
    db.exec('DROP INDEX event_search_queue; DROP INDEX event_search_queue_region; DROP INDEX event_search_queue_macroevent; ALTER TABLE event_search DROP COLUMN doubt');
    db.exec('DROP TABLE event_overrides; DROP TABLE event_changes; DROP INDEX events_merged_into; ALTER TABLE events DROP COLUMN merged_into');
    for (const column of ['action', 'by_user', 'changes', 'change_id']) db.exec(`ALTER TABLE event_revisions DROP COLUMN ${column}`);
    db.exec('DELETE FROM schema_migrations WHERE version >= 4');
    const akronByStem = "SELECT count(*) FROM events_fts f JOIN events e ON e.rowid = f.rowid WHERE events_fts MATCH 'immigrant' AND e.locality = 'Akron'";
    assert.equal(db.prepare(akronByStem).pluck().get(), 0, 'the old index has no stems');
    assert.ok((db.prepare('SELECT count(*) FROM events WHERE record LIKE ?').pluck().get(`%${inbox.dir}%`) as number) > 0);
    db.close();

    const migrated = openStore(path);
    const after = migrated.listEvents();
    assert.deepEqual(after, before, 'the records read as a new store writes them');
    assert.equal(migrated.listEvents({ q: 'immigrant' }).filter((e) => e.locality === 'Akron').length, 1);
    migrated.close();
    const check = new Database(path);
    assert.equal(check.prepare('SELECT count(*) FROM events WHERE record LIKE ?').pluck().get(`%${inbox.dir}%`), 0);
    assert.equal(check.prepare('SELECT count(*) FROM event_revisions WHERE record LIKE ?').pluck().get(`%${inbox.dir}%`), 0);
    assert.equal(check.prepare("SELECT count(*) FROM event_revisions WHERE record <> ''").pluck().get(), 0, 'migration 12 keeps no copy of a record');
    check.close();
  });
});

describe('planned and occurred, honestly', () => {
  let repo: Repository;
  let all: EventRecord[];
  before(() => {
    const inbox = newsroomInbox();
    repo = openStore(join(tempDir(), 'turnout.db'));
    ingestDir(repo, inbox.dir, inbox.files);
    all = repo.listEvents();
  });
  after(() => repo?.close());

  const get = async (app: ReturnType<typeof createApp>, path: string) => {
    const res = await app.request(path);
    return { status: res.status, text: await res.clone().text(), json: res.headers.get('content-type')?.includes('json') ? ((await res.json()) as any) : null };
  };

  test('a plan dated before today reads "no report yet" and is absent from planned.ics; one ahead is upcoming and listed', async () => {
    const app = createApp(repo);
    const boise = all.find((e) => e.locality === 'Boise')!;
    const reno = all.find((e) => e.locality === 'Reno')!;
    assert.deepEqual([boise.status, boise.date, reno.status, reno.date], ['planned', '2025-04-12', 'planned', AHEAD], 'the pipeline read both plans');
    assert.equal((await get(app, `/api/events/${boise.id}`)).json.planned_status, 'no report yet');
    assert.equal((await get(app, `/api/events/${reno.id}`)).json.planned_status, 'upcoming');
    const listed = (await get(app, '/api/events?status=planned&limit=1000')).json.events as Array<{ id: string; planned_status: string }>;
    assert.equal(listed.find((e) => e.id === boise.id)!.planned_status, 'no report yet');
    assert.ok((await get(app, '/api/events?status=occurred&limit=1000')).json.events.every((e: { planned_status: unknown }) => e.planned_status === null));
    const ics = (await get(app, '/feeds/planned.ics')).text;
    assert.ok(!ics.includes(`UID:${boise.id}@turnout`), 'a past plan leaves the calendar');
    assert.ok(ics.includes(`UID:${reno.id}@turnout`), 'an upcoming plan is in it');
    // the same plan was in the calendar before its day
    const earlier = createApp(repo, { today: () => '2025-04-11' });
    assert.ok((await get(earlier, '/feeds/planned.ics')).text.includes(`UID:${boise.id}@turnout`));
    assert.equal((await get(earlier, `/api/events/${boise.id}`)).json.planned_status, 'upcoming');
    const atom = (await get(app, '/feeds/events.atom')).text;
    assert.ok(atom.includes('Boise, ID: size not reported (planned; no report yet)'), 'the Atom summary says so too');
  });

  test('counts: occurred and planned apart in /api/events and /api/stats', async () => {
    const app = createApp(repo);
    const page = (await get(app, '/api/events?limit=1')).json;
    const planned = all.filter((e) => e.status === 'planned').length;
    assert.ok(planned >= 3 && planned < all.length);
    assert.deepEqual([page.total, page.occurred, page.planned], [all.length, all.length - planned, planned]);
    const ohio = (await get(app, '/api/events?region=OH&limit=1')).json;
    const oh = all.filter((e) => e.region === 'OH');
    assert.deepEqual([ohio.occurred, ohio.planned], [oh.filter((e) => e.status === 'occurred').length, oh.filter((e) => e.status === 'planned').length]);
    const stats = (await get(app, '/api/stats?group=region')).json.rows as Array<{ key: string; events: number; occurred: number; planned: number; size_low: number }>;
    for (const r of stats) {
      const mine = all.filter((e) => e.region === r.key);
      assert.deepEqual([r.events, r.occurred, r.planned], [mine.length, mine.filter((e) => e.status === 'occurred').length, mine.filter((e) => e.status === 'planned').length], r.key);
      assert.equal(r.size_low, mine.filter((e) => e.status === 'occurred').reduce((n, e) => n + (e.size_low ?? 0), 0), `${r.key}: sizes of what took place`);
    }
  });

  test('a same-day plan stays apart from the action held, and is linked both ways once a later article reports it', async () => {
    const tulsa = all.filter((e) => e.locality === 'Tulsa' && e.date === '2026-03-12');
    const plan = tulsa.find((e) => e.status === 'planned')!;
    const held = tulsa.find((e) => e.status === 'occurred')!;
    assert.ok(plan && held, 'the walkout story gives the walkouts and the evening plan apart');
    assert.deepEqual([plan.realized_by, held.plan_of], [null, null], "the plan's own article is no report of it");
    const app = createApp(repo);
    assert.equal((await get(app, `/api/events/${plan.id}`)).json.planned_status, 'no report yet');

    const r = ingestInto(repo, { bytes: Buffer.from(TULSA_LATER.text), name: `/somewhere/${TULSA_LATER.name}`, published: TULSA_LATER.published, contentType: 'text/plain' });
    assert.ok(r.changed.some((c) => c.id === plan.id) && r.changed.some((c) => c.id === held.id), 'both records change');
    const planNow = repo.getEvent(plan.id)!;
    const heldNow = repo.getEvent(held.id)!;
    assert.equal(planNow.status, 'planned', 'kept apart');
    assert.equal(planNow.realized_by, held.id);
    assert.equal(heldNow.plan_of, plan.id);
    assert.equal((await get(app, `/api/events/${plan.id}`)).json.planned_status, 'reported');
    assert.ok(!(await get(app, '/feeds/planned.ics')).text.includes(plan.id));
  });

  test('the OpenAPI document describes planned_status and the links', async () => {
    const doc = (await get(createApp(repo), '/api/openapi.json')).json;
    const props = doc.components.schemas.EventRecord.properties;
    for (const k of ['planned_status', 'realized_by', 'plan_of']) assert.ok(props[k]?.description, k);
    assert.ok(JSON.stringify(props.planned_status).includes('no report yet'));
    assert.ok(doc.components.schemas.EventList.properties.occurred && doc.components.schemas.EventList.properties.planned);
  });
});

describe('regions, search and the CCC-style CSV', () => {
  let repo: Repository;
  let dbPath: string;
  let all: EventRecord[];
  before(() => {
    const inbox = newsroomInbox();
    dbPath = join(tempDir(), 'turnout.db');
    repo = openStore(dbPath);
    ingestDir(repo, inbox.dir, inbox.files);
    all = repo.listEvents();
  });
  after(() => repo?.close());

  test('region=ZZ is a 400 problem naming the parameter, on every endpoint that filters', async () => {
    const app = createApp(repo);
    for (const p of ['/api/events', '/api/events.csv', '/api/events.geojson', '/api/points', '/api/stats?group=day&', '/feeds/events.atom', '/feeds/planned.ics']) {
      const url = `${p}${p.endsWith('&') ? '' : '?'}region=ZZ`;
      const res = await app.request(url);
      assert.equal(res.status, 400, url);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, url);
      const body = (await res.json()) as { param: string; detail: string };
      assert.equal(body.param, 'region', url);
      assert.match(body.detail, /region "ZZ"/, url);
    }
  });

  test('a country selects its events by code or by name; a state code stays the state', async () => {
    const app = createApp(repo);
    const lyon = all.find((e) => e.locality === 'Lyon')!;
    assert.deepEqual([lyon.region, lyon.country], ['France', 'FR']);
    for (const q of ['FR', 'fr', 'France']) {
      const r = (await (await app.request(`/api/events?region=${q}`)).json()) as { events: EventRecord[] };
      assert.deepEqual(r.events.map((e) => e.id), [lyon.id], q);
    }
    const oh = (await (await app.request('/api/events?region=OH&limit=1000')).json()) as { events: EventRecord[] };
    assert.deepEqual(oh.events.map((e) => e.id).sort(), all.filter((e) => e.region === 'OH').map((e) => e.id).sort());
  });

  test('q=immigrant finds the article that writes "immigrants"', async () => {
    const app = createApp(repo);
    const akron = all.find((e) => e.locality === 'Akron')!;
    assert.ok(!/\bimmigrant\b/i.test(JSON.stringify(akron)) && /\bimmigrants\b/.test(JSON.stringify(akron)), 'only the plural is written');
    for (const q of ['immigrant', 'immigrants', 'Immigrant families']) {
      const r = (await (await app.request(`/api/events?q=${encodeURIComponent(q)}&limit=1000`)).json()) as { events: EventRecord[] };
      assert.ok(r.events.some((e) => e.id === akron.id), q);
    }
    const none = (await (await app.request('/api/events?q=immigrating%20zoning')).json()) as { total: number };
    assert.equal(none.total, 0, 'stems do not make every word match');
  });

  test('CSV: a US state in state, the country abroad in country, planned rows only on request', async () => {
    const app = createApp(repo);
    const rows = parseCsvRecords(await (await app.request('/api/events.csv')).text(), { naValues: ['NA'] });
    const occurred = all.filter((e) => e.status === 'occurred');
    assert.deepEqual(rows.map((r) => r.turnout_id).sort(), occurred.map((e) => e.id).sort());
    const lyon = rows.find((r) => r.locality === 'Lyon')!;
    assert.deepEqual([lyon.state, lyon.resolved_state, lyon.country], [null, null, 'FR']);
    for (const r of rows.filter((x) => x.country === 'US')) assert.match(r.state ?? '', /^[A-Z]{2}$/, `${r.locality}: state`);
    const withPlans = parseCsvRecords(await (await app.request('/api/events.csv?include_planned=true')).text(), { naValues: ['NA'] });
    assert.equal(withPlans.length, all.length);
    const boise = withPlans.find((r) => r.locality === 'Boise')!;
    assert.deepEqual([boise.status, boise.conf, boise.planned_status], ['planned', null, 'no report yet']);
    assert.equal((await app.request('/api/events.csv?include_planned=maybe')).status, 400);
    // CCC's column names stay where they were
    const header = (await (await app.request('/api/events.csv')).text()).split('\r\n')[0]!;
    assert.ok(header.startsWith('"date","locality","state","resolved_locality","resolved_state","resolved_county","fips_code","lat","lon","location"'), header);
  });

  test('the CLI: --region ZZ is an error naming the option; export leaves plans out unless --include-planned', () => {
    const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli.ts'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
    for (const cmd of ['events', 'export']) {
      const r = cli([cmd, '--db', dbPath, '--region', 'ZZ', ...(cmd === 'export' ? ['--format', 'csv'] : [])]);
      assert.equal(r.status, 1, `${cmd}: ${r.stderr}`);
      assert.match(r.stderr, /--region "ZZ" is not a region we know/);
      assert.equal(r.stdout, '');
    }
    const events = cli(['events', '--db', dbPath]);
    const planned = all.filter((e) => e.status === 'planned').length;
    assert.match(events.stdout, new RegExp(`${all.length} events: ${all.length - planned} occurred, ${planned} planned`));
    const plain = parseCsvRecords(cli(['export', '--db', dbPath, '--format', 'csv']).stdout);
    const withPlans = parseCsvRecords(cli(['export', '--db', dbPath, '--format', 'csv', '--include-planned']).stdout);
    assert.deepEqual([plain.length, withPlans.length], [all.length - planned, all.length]);
    const france = parseCsvRecords(cli(['export', '--db', dbPath, '--format', 'csv', '--region', 'France']).stdout);
    assert.deepEqual(france.map((r) => r.locality), ['Lyon']);
    const misuse = cli(['export', '--db', dbPath, '--format', 'json', '--include-planned']);
    assert.equal(misuse.status, 1);
    assert.match(misuse.stderr, /--include-planned applies to --format csv/);
  });
});
