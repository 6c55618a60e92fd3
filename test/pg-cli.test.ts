// The commands on a PostgreSQL store (issue 11): `turnout ingest`, `events`, `users` and `serve` with --db
// postgres://... (or TURNOUT_DB), run as a user runs them, in a fresh database dropped at the end. Skipped, saying
// why, when TURNOUT_TEST_PG names no server. The live-record commands refuse it with a clear message.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NO_PG, PG_URL, pgDatabase } from './helpers/backends.js';
import { REPO_ROOT, servedUrl } from './helpers/shared.js';
import { until } from './helpers/workers.js';
import { turnout } from './helpers/cli.js';

const CLI = join(REPO_ROOT, 'src', 'cli.ts');
const PASSWORD = 'a long enough password for tests';

describe('turnout on a PostgreSQL store', { skip: NO_PG ?? false }, () => {
  let db: { url: string; drop(): Promise<void> };
  before(async () => {
    db = await pgDatabase(PG_URL);
  });
  after(async () => {
    await db?.drop();
  });

  it('ingest reads articles into it once; events lists them; users adds accounts and tokens (TURNOUT_DB too)', () => {
    const first = turnout(['ingest', join(REPO_ROOT, 'samples'), '--db', db.url]);
    assert.equal(first.code, 0, first.stderr);
    const made = /events: (\d+) new/.exec(first.stdout);
    assert.ok(made && Number(made[1]) >= 3, first.stdout);
    const again = turnout(['ingest', join(REPO_ROOT, 'samples')], { env: { TURNOUT_DB: db.url } });
    assert.match(again.stdout, /articles: 0 new, \d+ unchanged, 0 failed/);
    const listed = turnout(['events', '--db', db.url]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${made![1]} events?: `, 'm'));
    const added = turnout(['users', 'add', 'ed', '--role', 'editor', '--password-stdin', '--db', db.url], { input: PASSWORD + '\n' });
    assert.equal(added.code, 0, added.stderr);
    const taken = turnout(['users', 'add', 'ed', '--role', 'viewer', '--db', db.url]);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /already a user named "ed"/);
    assert.match(turnout(['users', 'token', 'ed', '--db', db.url]).stdout, /^tnt_[A-Za-z0-9_-]{43}\n$/);
    assert.match(turnout(['users', 'list', '--db', db.url]).stdout, /^ed +editor +\S+ +1$/m);
  });

  it('the live-record commands work on it (jobs are queued for workers); an unreachable server is one line and exit code 2', () => {
    assert.equal(turnout(['sources', 'list', '--db', db.url]).stdout, `${'id'.padEnd(5)}${'every'.padEnd(7)}${'last poll'.padEnd(22)}${'status'.padEnd(10)}${'fails'.padEnd(6)}url\n0 sources\n`);
    assert.equal(turnout(['webhooks', 'list', '--db', db.url]).stdout, '');
    const once = turnout(['watch', '--once', '--db', db.url]);
    assert.equal(once.code, 0, once.stderr);
    assert.match(once.stdout, /^queued 0 polls \(one per source\)/);
    const ftp = turnout(['fetch', 'ftp://news.example/a', '--db', db.url]);
    assert.equal(ftp.code, 2);
    assert.match(ftp.stderr, /only http: and https:/);
    assert.match(ftp.stdout, /^queued 0 pages as item jobs/);
    const down = turnout(['events', '--db', 'postgres://postgres@127.0.0.1:1/none']);
    assert.equal(down.code, 2);
    assert.match(down.stderr, /^turnout: cannot open the PostgreSQL store: /);
    assert.doesNotMatch(down.stderr, /\n\s+at /, 'no stack trace');
  });

  it('serve answers the API from it, logs a user in, and schedules the polls of due sources', async () => {
    const p = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0'], { cwd: REPO_ROOT, env: { ...process.env, TURNOUT_DB: db.url } });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    try {
      const url = await servedUrl(p);
      const events = (await (await fetch(`${url}/api/events?limit=1000`)).json()) as { total: number; events: Array<{ id: string }> };
      assert.ok(events.total >= 3);
      const one = await fetch(`${url}/api/events/${events.events[0]!.id}`);
      assert.equal(one.status, 200);
      const login = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ed', password: PASSWORD }) });
      assert.equal(login.status, 200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const me = (await (await fetch(`${url}/api/me`, { headers: { cookie } })).json()) as { user: { name: string } };
      assert.equal(me.user.name, 'ed');
      // the scheduler starts after the server listens: its line may come after the answers above
      await until('the scheduler to start', 10_000, async () => /scheduling the polls of due sources; "turnout worker --db URL" processes run them/.test(stderr));
    } finally {
      p.kill('SIGTERM');
      await new Promise((done) => p.once('exit', done));
    }
  });
});
