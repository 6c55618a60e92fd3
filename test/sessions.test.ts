// Browser sessions (issue 10): login over real HTTP on 127.0.0.1 sets the session cookie with the right attributes,
// the cookie stands for its user like a bearer token, state-changing requests of a session need its CSRF token and
// a same-site Origin, logout and removing the user end a session, sessions expire (injected clock), failed logins
// are rate-limited per account and per address, and the store keeps no session secret in clear.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ingestInto } from '../src/pipeline.js';
import { openApiDocument } from '../src/serve/openapi.js';
import { startServer, type RunningServer } from '../src/serve/server.js';
import type { Repository } from '../src/store/repository.js';
import { openStore } from '../src/store/sqlite/index.js';
import { REPO_ROOT, servedUrl, tempDir } from './helpers/shared.js';

type Json = any;

const TULSA = 'Hundreds of people rallied in Tulsa, Oklahoma, on Saturday, Feb. 7, 2026, against a plan to close the city library. (A made-up test article.)';
const BOISE = 'Dozens of people marched in Boise, Idaho, on Sunday, Feb. 8, 2026, calling for a new bus line. (A made-up test article.)';
const PASSWORD = 'a long enough password for tests';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Sent {
  method?: string;
  cookie?: string;
  csrf?: string;
  origin?: string;
  bearer?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One request; the JSON body (when there is one), the turnout_session cookie it sets (if any) and its raw Set-Cookie. */
async function send(base: string, path: string, s: Sent = {}) {
  const headers: Record<string, string> = { ...s.headers };
  if (s.cookie !== undefined) headers.cookie = `turnout_session=${s.cookie}`;
  if (s.csrf !== undefined) headers['x-csrf-token'] = s.csrf;
  if (s.origin !== undefined) headers.origin = s.origin;
  if (s.bearer !== undefined) headers.authorization = `Bearer ${s.bearer}`;
  if (s.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method: s.method ?? 'GET', headers, body: s.body === undefined ? undefined : JSON.stringify(s.body) });
  const text = await res.text();
  const setCookie = res.headers.getSetCookie().find((h) => h.startsWith('turnout_session=')) ?? null;
  return {
    status: res.status,
    headers: res.headers,
    body: text && /json/.test(res.headers.get('content-type') ?? '') ? (JSON.parse(text) as Json) : null,
    setCookie,
    cookie: setCookie ? /^turnout_session=([^;]*)/.exec(setCookie)![1]! : null,
  };
}

/** The attributes of a Set-Cookie header, lower-cased names (values kept). */
function attributes(setCookie: string): Map<string, string> {
  return new Map(
    setCookie
      .split(';')
      .slice(1)
      .map((p) => p.trim().split('='))
      .map(([k, v]) => [k!.toLowerCase(), v ?? '']),
  );
}

/** Every byte the store has on disk (the database and its write-ahead log), as latin-1 text to search in. */
function storeBytes(db: string): string {
  return [db, db + '-wal'].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('\n');
}

function validate(name: string, value: unknown) {
  const doc = openApiDocument() as Json;
  const v = new Ajv2020({ strict: false }).compile(doc.components.schemas[name]);
  assert.ok(v(value), `${name}: ${JSON.stringify(v.errors)}`);
}

describe('browser sessions', () => {
  let db: string;
  let repo: Repository;
  let plain: RunningServer;
  let proxied: RunningServer;
  let clock = Date.parse('2026-03-01T12:00:00.000Z');
  let tulsa: string;
  let boise: string;
  /** every session secret and CSRF token handed out, to look for in the store's bytes at the end */
  const secrets: string[] = [];

  const login = async (name: string, password = PASSWORD, s: Sent & { server?: RunningServer } = {}) => {
    const r = await send((s.server ?? plain).url, '/api/session', { ...s, method: 'POST', body: { name, password } });
    if (r.cookie) secrets.push(r.cookie);
    if (r.body?.csrf_token) secrets.push(r.body.csrf_token);
    return r;
  };
  const me = (cookie: string) => send(plain.url, '/api/me', { cookie });
  const review = (id: string, body: unknown, s: Sent) => send(plain.url, `/api/events/${id}/review`, { ...s, method: 'POST', body });
  const stored = (id: string) => repo.getEvent(id)!;

  before(async () => {
    db = join(tempDir(), 'sessions.db');
    repo = openStore(db, { now: () => new Date(clock).toISOString() });
    for (const [name, role] of [['ed', 'editor'], ['vi', 'viewer'], ['gone', 'editor'], ['lim', 'editor'], ['reset', 'editor']] as const) {
      repo.accounts().addUser(name, role, PASSWORD);
    }
    for (const [text, name] of [[TULSA, 'tulsa.txt'], [BOISE, 'boise.txt']]) {
      assert.ok(ingestInto(repo, { bytes: Buffer.from(text!), name: name!, published: '2026-02-09', contentType: 'text/plain' }).eventsNew >= 1);
    }
    const events = repo.listEvents();
    tulsa = events.find((e) => e.locality === 'Tulsa')!.id;
    boise = events.find((e) => e.locality === 'Boise')!.id;
    assert.ok(tulsa && boise);
    plain = await startServer({ repo, host: '127.0.0.1', port: 0 });
    proxied = await startServer({ repo, host: '127.0.0.1', port: 0, trustProxy: true });
  });

  after(async () => {
    await plain?.close();
    await proxied?.close();
    repo?.close();
  });

  it('login sets an HttpOnly, SameSite=Lax, Path=/ cookie of 32 random bytes, not Secure over plain http', async () => {
    const r = await login('ed');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.user, { name: 'ed', role: 'editor' });
    assert.match(r.body.csrf_token, /^[A-Za-z0-9_-]{40,}$/);
    validate('Session', r.body);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.match(r.cookie!, /^[A-Za-z0-9_-]{43}$/, '32 bytes in base64url');
    assert.equal(Buffer.from(r.cookie!, 'base64url').length, 32);
    const attrs = attributes(r.setCookie!);
    assert.ok(attrs.has('httponly'), r.setCookie!);
    assert.equal(attrs.get('samesite'), 'Lax');
    assert.equal(attrs.get('path'), '/');
    assert.ok(!attrs.has('secure'), 'not Secure over plain http');
    assert.notEqual(r.body.csrf_token, r.cookie, 'the CSRF token is not the secret');
    const again = await login('ed');
    assert.notEqual(again.cookie, r.cookie, 'every session is new');
    // a forwarded header means nothing without --trust-proxy
    const spoofed = await login('ed', PASSWORD, { headers: { 'x-forwarded-proto': 'https' } });
    assert.ok(!attributes(spoofed.setCookie!).has('secure'));
  });

  it('the cookie is Secure behind --trust-proxy when X-Forwarded-Proto says https', async () => {
    const r = await login('ed', PASSWORD, { server: proxied, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.1' } });
    assert.equal(r.status, 200);
    const attrs = attributes(r.setCookie!);
    assert.ok(attrs.has('secure'), r.setCookie!);
    assert.ok(attrs.has('httponly'));
    assert.equal(attrs.get('samesite'), 'Lax');
    const overHttp = await login('ed', PASSWORD, { server: proxied, headers: { 'x-forwarded-proto': 'http', 'x-forwarded-for': '192.0.2.1' } });
    assert.ok(!attributes(overHttp.setCookie!).has('secure'));
  });

  it('a wrong password and an unknown user get the same 401; a bad body a 400 naming the field', async () => {
    const wrong = await login('ed', 'not the password');
    const unknown = await login('nobody-at-all', PASSWORD);
    for (const r of [wrong, unknown]) {
      assert.equal(r.status, 401);
      assert.match(r.headers.get('content-type')!, /^application\/problem\+json/);
      assert.equal(r.setCookie, null, 'no cookie');
      validate('Problem', r.body);
    }
    assert.deepEqual(wrong.body, unknown.body, 'nothing tells which it was');
    assert.equal(wrong.body.detail, 'the name or the password is wrong');
    for (const [body, param] of [[{ name: 'ed' }, 'password'], [{ password: PASSWORD }, 'name'], [{ name: 'ed', password: PASSWORD, role: 'admin' }, 'role'], [{ name: 7, password: PASSWORD }, 'name'], [{ name: 'x'.repeat(65), password: PASSWORD }, 'name']] as const) {
      const r = await send(plain.url, '/api/session', { method: 'POST', body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.param, param);
    }
  });

  it('GET /api/me with the cookie names the user and gives the CSRF token; a stale or forged cookie is anonymous', async () => {
    const l = await login('ed');
    const r = await me(l.cookie!);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { user: { name: 'ed', role: 'editor' }, csrf_token: l.body.csrf_token });
    assert.match(r.headers.get('cache-control')!, /no-store/);
    validate('Me', r.body);
    for (const forged of ['A'.repeat(43), 'short', l.cookie!.slice(0, 42) + (l.cookie!.endsWith('A') ? 'B' : 'A')]) {
      const anon = await me(forged);
      assert.equal(anon.status, 200);
      assert.deepEqual(anon.body, { user: null, csrf_token: null });
    }
  });

  it('a write with the cookie but without or with a wrong X-CSRF-Token is a 403 and changes nothing; with it, it works', async () => {
    const l = await login('ed');
    const csrf = l.body.csrf_token as string;
    const before = stored(tulsa);
    const body = { action: 'verify', reason: 'matches the report', revision: before.revision };
    for (const token of [undefined, '', 'x'.repeat(43), csrf.slice(0, -1)]) {
      const r = await review(tulsa, body, { cookie: l.cookie!, csrf: token });
      assert.equal(r.status, 403, `token ${JSON.stringify(token)}`);
      assert.equal(r.body.detail, 'the CSRF token is missing or wrong');
      assert.equal(r.body.type, 'urn:turnout:problem:forbidden');
    }
    // another session's token is no good either
    const other = await login('ed');
    assert.equal((await review(tulsa, body, { cookie: l.cookie!, csrf: other.body.csrf_token })).status, 403);
    assert.deepEqual(stored(tulsa), before, 'nothing changed');

    const ok = await review(tulsa, body, { cookie: l.cookie!, csrf, origin: plain.url });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.review_status, 'verified');
    assert.equal(ok.body.reviewed_by, 'ed');
    assert.equal(stored(tulsa).revision, before.revision + 1);
  });

  it('a cross-site Origin is refused (403) even with the right CSRF token; so is a login from another site', async () => {
    const l = await login('ed');
    const before = stored(boise);
    const body = { action: 'verify', reason: 'matches the report', revision: before.revision };
    for (const origin of ['http://evil.example', 'null', plain.url.replace('127.0.0.1', 'localhost'), plain.url.replace('http:', 'https:')]) {
      const r = await review(boise, body, { cookie: l.cookie!, csrf: l.body.csrf_token, origin });
      assert.equal(r.status, 403, origin);
      assert.match(r.body.detail, /another site/);
    }
    assert.deepEqual(stored(boise), before);
    const cross = await login('ed', PASSWORD, { origin: 'http://evil.example' });
    assert.equal(cross.status, 403);
    assert.equal(cross.setCookie, null);
    // behind a proxy the public origin is the forwarded one
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'turnout.example', 'x-forwarded-for': '192.0.2.2' };
    assert.equal((await login('ed', PASSWORD, { server: proxied, origin: 'https://turnout.example', headers: forwarded })).status, 200);
    assert.equal((await login('ed', PASSWORD, { server: proxied, origin: proxied.url, headers: forwarded })).status, 403);
  });

  it('bearer-token requests need no CSRF token, and a session cookie beside a bearer token changes nothing', async () => {
    const token = repo.accounts().createToken('ed');
    secrets.push(token);
    const l = await login('vi');
    const before = stored(boise);
    const r = await review(boise, { action: 'verify', reason: 'seen on the scene', revision: before.revision }, { bearer: token, cookie: l.cookie! });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.reviewed_by, 'ed', 'the bearer token decides who calls');
  });

  it("a viewer's session is a 403 on a write; an anonymous one a 401", async () => {
    const l = await login('vi');
    const body = { action: 'reject', reason: 'not a protest', revision: stored(tulsa).revision };
    const viewer = await review(tulsa, body, { cookie: l.cookie!, csrf: l.body.csrf_token });
    assert.equal(viewer.status, 403);
    assert.match(viewer.body.detail, /vi is a viewer/);
    assert.equal((await review(tulsa, body, {})).status, 401);
    assert.equal(stored(tulsa).review_status, 'verified');
  });

  it('logout needs the CSRF token, ends the session and clears the cookie', async () => {
    const l = await login('ed');
    const csrf = l.body.csrf_token as string;
    const refused = await send(plain.url, '/api/session', { method: 'DELETE', cookie: l.cookie! });
    assert.equal(refused.status, 403);
    assert.equal((await me(l.cookie!)).body.user?.name, 'ed', 'still logged in');

    const out = await send(plain.url, '/api/session', { method: 'DELETE', cookie: l.cookie!, csrf, origin: plain.url });
    assert.equal(out.status, 204);
    assert.equal(out.cookie, '', 'the cookie is cleared');
    assert.equal(attributes(out.setCookie!).get('max-age'), '0');
    assert.equal(out.headers.get('cache-control'), 'no-store');
    assert.deepEqual((await me(l.cookie!)).body, { user: null, csrf_token: null });
    const late = await review(tulsa, { action: 'reject', reason: 'x', revision: stored(tulsa).revision }, { cookie: l.cookie!, csrf });
    assert.equal(late.status, 401, 'the old cookie and token no longer work');
    // logging out without a session is no error
    assert.equal((await send(plain.url, '/api/session', { method: 'DELETE' })).status, 204);
  });

  it("removing a user ends their sessions at once", async () => {
    const l = await login('gone');
    assert.equal((await me(l.cookie!)).body.user?.name, 'gone');
    assert.equal(repo.accounts().removeUser('gone'), true);
    assert.deepEqual((await me(l.cookie!)).body, { user: null, csrf_token: null });
    const r = await review(tulsa, { action: 'reject', reason: 'x', revision: stored(tulsa).revision }, { cookie: l.cookie!, csrf: l.body.csrf_token });
    assert.equal(r.status, 401);
    const raw = (repo as unknown as { handle: import('better-sqlite3').Database }).handle;
    assert.equal(raw.prepare("SELECT COUNT(*) FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE u.id IS NULL").pluck().get(), 0);
  });

  it('a session ends after 12 hours unused, and 7 days after login however often it is used', async () => {
    const idle = await login('ed');
    const used = await login('ed');
    clock += 11 * HOUR;
    assert.equal((await me(idle.cookie!)).body.user?.name, 'ed', 'within 12 hours');
    clock += 12 * HOUR + MINUTE;
    assert.equal((await me(idle.cookie!)).body.user, null, 'idle for over 12 hours since its last use');

    const busy = await login('ed');
    const started = clock;
    while (clock + 11 * HOUR < started + 7 * 24 * HOUR) {
      clock += 11 * HOUR;
      assert.equal((await me(busy.cookie!)).body.user?.name, 'ed', `used ${(clock - started) / HOUR} h after login`);
    }
    clock = started + 7 * 24 * HOUR + MINUTE;
    assert.equal((await me(busy.cookie!)).body.user, null, 'over 7 days after login');
    assert.equal((await me(used.cookie!)).body.user, null);
  });

  it('the 6th login for one account within 15 minutes is a 429 with Retry-After, from any address; the count survives a restart', async () => {
    const from = (address: string) => ({ server: proxied, headers: { 'x-forwarded-for': `10.9.9.9, ${address}` } });
    for (let i = 1; i <= 5; i++) assert.equal((await login('lim', 'wrong ' + i, from('192.0.2.10'))).status, 401, `attempt ${i}`);
    const limited = await login('lim', 'wrong 6', from('192.0.2.10'));
    assert.equal(limited.status, 429);
    assert.equal(limited.body.type, 'urn:turnout:problem:too-many-requests');
    validate('Problem', limited.body);
    const wait = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(wait) && wait > 0 && wait <= 900, `Retry-After ${wait}`);
    // the right password is refused too while the account is limited, and from another address
    assert.equal((await login('lim', PASSWORD, from('192.0.2.10'))).status, 429);
    assert.equal((await login('lim', PASSWORD, from('192.0.2.11'))).status, 429);
    // another account from the same address is not limited
    assert.equal((await login('ed', PASSWORD, from('192.0.2.10'))).status, 200);

    // a restart: another connection to the store, another server, same counts
    const reopened = openStore(db, { now: () => new Date(clock).toISOString() });
    const restarted = await startServer({ repo: reopened, host: '127.0.0.1', port: 0, trustProxy: true });
    try {
      assert.equal((await login('lim', PASSWORD, { ...from('192.0.2.12'), server: restarted })).status, 429);
    } finally {
      await restarted.close();
      reopened.close();
    }

    clock += wait * 1000;
    const back = await login('lim', PASSWORD, from('192.0.2.10'));
    assert.equal(back.status, 200, 'allowed again once the window has passed');
  });

  it('a successful login resets the account count', async () => {
    const from = { server: proxied, headers: { 'x-forwarded-for': '192.0.2.20' } };
    for (let i = 1; i <= 4; i++) assert.equal((await login('reset', 'wrong', from)).status, 401);
    assert.equal((await login('reset', PASSWORD, from)).status, 200);
    for (let i = 1; i <= 5; i++) assert.equal((await login('reset', 'wrong', from)).status, 401, `attempt ${i} after the reset`);
    assert.equal((await login('reset', 'wrong', from)).status, 429);
  });

  it('20 failed logins from one address across accounts limit that address, not others', async () => {
    const from = (address: string) => ({ server: proxied, headers: { 'x-forwarded-for': address } });
    for (let i = 1; i <= 20; i++) assert.equal((await login(`someone-${i}`, 'guess', from('198.51.100.7'))).status, 401, `attempt ${i}`);
    const limited = await login('ed', PASSWORD, from('198.51.100.7'));
    assert.equal(limited.status, 429, 'even a right password for another account');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await login('ed', PASSWORD, from('198.51.100.8'))).status, 200);
    // without --trust-proxy the forwarded address is ignored: the socket's is counted
    assert.equal((await login('ed', PASSWORD, { headers: { 'x-forwarded-for': '198.51.100.7' } })).status, 200);
  });

  it('no session secret, CSRF token, API token, name tried or address appears in the store bytes', () => {
    assert.ok(secrets.length > 20);
    const raw = (repo as unknown as { handle: import('better-sqlite3').Database }).handle;
    raw.pragma('wal_checkpoint(PASSIVE)');
    const bytes = storeBytes(db);
    for (const s of secrets) assert.ok(!bytes.includes(s), `"${s.slice(0, 6)}…" is not stored in clear`);
    for (const s of ['someone-1', 'nobody-at-all', '198.51.100.7', '192.0.2.10', 'wrong 6']) assert.ok(!bytes.includes(s), `${s} is not stored in clear`);
    assert.ok(bytes.includes('sessions'), 'the bytes searched are the store');
  });

  it('is described in the OpenAPI document', () => {
    const doc = openApiDocument() as Json;
    const session = doc.paths['/api/session'];
    assert.deepEqual(Object.keys(session.post.responses).sort(), ['200', '400', '401', '403', '413', '415', '429']);
    assert.ok(session.post.responses['429'].headers['Retry-After']);
    assert.deepEqual(Object.keys(session.delete.responses).sort(), ['204', '403']);
    assert.deepEqual(doc.components.securitySchemes.sessionCookie, { ...doc.components.securitySchemes.sessionCookie, type: 'apiKey', in: 'cookie', name: 'turnout_session' });
    assert.ok(doc.components.schemas.Me.properties.csrf_token);
    const reviewOp = doc.paths['/api/events/{id}/review'].post;
    assert.ok(reviewOp.parameters.some((p: Json) => p.in === 'header' && p.name === 'X-CSRF-Token'));
    assert.ok(reviewOp.security.some((s: Json) => 'sessionCookie' in s));
  });
});

describe('turnout serve --trust-proxy', () => {
  it('is wired from the command line: behind it X-Forwarded-Proto: https makes the cookie Secure', async () => {
    const db = join(tempDir(), 'cli.db');
    const CLI = join(REPO_ROOT, 'src', 'cli.ts');
    const added = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'users', 'add', 'ed', '--role', 'editor', '--password-stdin', '--db', db], { input: PASSWORD + '\n', encoding: 'utf8' });
    assert.equal(added.status, 0, added.stderr);
    const p = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--db', db, '--port', '0', '--no-watch', '--trust-proxy'], { cwd: REPO_ROOT });
    try {
      const url = await servedUrl(p);
      const r = await send(url, '/api/session', { method: 'POST', body: { name: 'ed', password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(r.status, 200);
      assert.ok(attributes(r.setCookie!).has('secure'), r.setCookie!);
    } finally {
      p.kill('SIGTERM');
      if (p.exitCode === null) await new Promise((done) => p.once('exit', done));
    }
  });
});
