// Accounts, roles and API tokens (issue 10, first slice): the `users` command on a temp store, what the store
// keeps (hashes, never the password or the token), and GET /api/me over a real socket on 127.0.0.1.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Database from 'better-sqlite3';
import { openApiDocument } from '../src/serve/openapi.js';
import { startServer, type RunningServer } from '../src/serve/server.js';
import { openStore } from '../src/store/sqlite/index.js';
import type { Repository } from '../src/store/repository.js';
import { tempDir } from './helpers/shared.js';
import { turnout as run } from './helpers/cli.js';

const turnout = (args: string[], input?: string | Buffer) => run(args, { input });


/** Every byte the store has on disk (the database and its write-ahead log), as latin-1 text to search in. */
function storeBytes(db: string): string {
  return [db, db + '-wal'].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('\n');
}

describe('turnout users', () => {
  it('adds, lists, issues tokens to and removes users, keeping only hashes', () => {
    const db = join(tempDir(), 'u.db');
    const added = turnout(['users', 'add', 'alice', '--role', 'editor', '--db', db]);
    assert.equal(added.code, 0, added.stderr);
    const password = /^password: (\S+)$/m.exec(added.stdout)?.[1];
    assert.ok(password && password.length >= 20, added.stdout);
    assert.match(added.stderr, /only this once/);

    const chosen = 'correct horse battery staple';
    const fromStdin = turnout(['users', 'add', 'bob', '--role', 'admin', '--password-stdin', '--db', db], chosen + '\n');
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.doesNotMatch(fromStdin.stdout, /password/, 'a password given on stdin is not echoed');

    const tok = turnout(['users', 'token', 'alice', '--db', db]);
    assert.equal(tok.code, 0, tok.stderr);
    const token = tok.stdout.trim();
    assert.match(token, /^tnt_[A-Za-z0-9_-]{43}$/);
    const second = turnout(['users', 'token', 'alice', '--db', db]).stdout.trim();
    assert.notEqual(second, token, 'every token is new');

    const list = turnout(['users', 'list', '--db', db]);
    assert.equal(list.code, 0, list.stderr);
    const rows = list.stdout.trim().split('\n');
    assert.match(rows[0]!, /^name +role +created +tokens$/);
    assert.match(rows[1]!, /^alice +editor +\d{4}-\d{2}-\d{2}T\S+ +2$/);
    assert.match(rows[2]!, /^bob +admin +\d{4}-\d{2}-\d{2}T\S+ +0$/);
    assert.equal(rows[3], '2 users');
    assert.doesNotMatch(list.stdout, /scrypt|\$/, 'no hash in the listing');

    // the store: a salted scrypt hash per user, a SHA-256 per token; neither secret anywhere in its bytes
    const raw = new Database(db, { readonly: true });
    const users = raw.prepare('SELECT name, role, password_hash FROM users ORDER BY name').all() as Array<{ name: string; role: string; password_hash: string }>;
    assert.deepEqual(users.map((u) => [u.name, u.role]), [['alice', 'editor'], ['bob', 'admin']]);
    for (const u of users) assert.match(u.password_hash, /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]{20,}\$[A-Za-z0-9+/=]{40,}$/);
    const salts = users.map((u) => u.password_hash.split('$')[4]);
    assert.notEqual(salts[0], salts[1], 'a salt per user');
    const hashes = (raw.prepare('SELECT token_hash FROM api_tokens').pluck().all() as string[]).sort();
    assert.deepEqual(hashes, [token, second].map((t) => createHash('sha256').update(t).digest('hex')).sort());
    raw.close();
    const bytes = storeBytes(db);
    for (const secret of [password!, chosen, token, second]) assert.ok(!bytes.includes(secret), `"${secret.slice(0, 8)}…" is not stored in clear`);

    const repo = openStore(db);
    assert.equal(repo.accounts().verifyPassword('alice', password!), true);
    assert.equal(repo.accounts().verifyPassword('bob', chosen), true);
    assert.equal(repo.accounts().verifyPassword('bob', chosen + ' '), false);
    assert.equal(repo.accounts().verifyPassword('nobody', chosen), false);
    assert.deepEqual(repo.accounts().callerForToken(token), { name: 'alice', role: 'editor' });
    repo.close();

    const removed = turnout(['users', 'remove', 'alice', '--db', db]);
    assert.equal(removed.code, 0, removed.stderr);
    const after = turnout(['users', 'list', '--db', db]).stdout;
    assert.doesNotMatch(after, /alice/);
    assert.match(after, /1 user\n$/);
    const check = new Database(db, { readonly: true });
    assert.equal(check.prepare('SELECT COUNT(*) FROM api_tokens').pluck().get(), 0, "the removed user's tokens are gone");
    check.close();
  });

  it('answers bad input with one clear usage error and exit code 1, never a crash', () => {
    const db = join(tempDir(), 'bad.db');
    assert.equal(turnout(['users', 'add', 'carol', '--role', 'viewer', '--password-stdin', '--db', db], 'pw\n').code, 0);
    const cases: Array<[string[], RegExp, string?]> = [
      [['users', 'add', 'dave', '--role', 'owner'], /--role must be one of admin, editor, viewer; got "owner"/],
      [['users', 'add', 'dave'], /users add needs --role admin\|editor\|viewer/],
      [['users', 'add', 'carol', '--role', 'editor'], /already a user named "carol"/],
      [['users', 'add', '', '--role', 'editor'], /cannot be empty/],
      [['users', 'add', 'eve\u0007', '--role', 'editor'], /control characters/],
      [['users', 'add', 'line\nbreak', '--role', 'editor'], /control characters/],
      [['users', 'add', 'x'.repeat(65), '--role', 'editor'], /at most 64 characters/],
      [['users', 'add', 'frank', '--role', 'editor', '--password-stdin'], /empty password/, ''],
      [['users', 'remove', 'zed'], /no user named "zed"/],
      [['users', 'token', 'zed'], /no user named "zed"/],
      [['users', 'token'], /users token needs a user name/],
      [['users'], /users needs add, list, remove or token/],
      [['users', 'rename', 'carol'], /not "rename"/],
      [['users', 'remove', 'carol', '--role', 'admin'], /go with "users add" only/],
    ];
    for (const [args, message, input] of cases) {
      const r = turnout([...args, '--db', db], input);
      assert.equal(r.code, 1, `${JSON.stringify(args)}: ${r.stderr}`);
      assert.match(r.stderr, message, JSON.stringify(args));
      assert.doesNotMatch(r.stderr, /\n\s+at |Error:/, `no stack trace for ${JSON.stringify(args)}`);
      assert.equal(r.stdout, '');
    }
    const list = turnout(['users', 'list', '--db', db]);
    assert.match(list.stdout, /^carol +viewer .* 0$/m);
    assert.match(list.stdout, /1 user\n$/, 'nothing was added by the bad commands');
  });

  it('is in the main help and has its own', () => {
    assert.match(turnout(['--help']).stdout, /^ {2}users add\|list\|remove\|token/m);
    const h = turnout(['users', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /^Usage: turnout users add NAME --role admin\|editor\|viewer/);
  });
});

describe('GET /api/me', () => {
  let db: string;
  let repo: Repository;
  let server: RunningServer;
  let token: string;
  let viewerToken: string;

  before(async () => {
    db = join(tempDir(), 'me.db');
    repo = openStore(db);
    repo.accounts().addUser('ed', 'editor', 'a long enough password');
    repo.accounts().addUser('vi', 'viewer', 'another password');
    token = repo.accounts().createToken('ed');
    viewerToken = repo.accounts().createToken('vi');
    server = await startServer({ repo, host: '127.0.0.1', port: 0 });
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  after(async () => {
    await server.close();
    repo.close();
  });

  const me = async (authorization?: string) => {
    const res = await fetch(server.url + '/api/me', { headers: authorization === undefined ? {} : { authorization } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', res, body: (await res.json()) as any };
  };

  const validate = (name: string, value: unknown) => {
    const doc = openApiDocument() as any;
    const v = new Ajv2020({ strict: false }).compile(doc.components.schemas[name]);
    assert.ok(v(value), `${name}: ${JSON.stringify(v.errors)}`);
  };

  it('is anonymous without an Authorization header', async () => {
    const r = await me();
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { user: null, csrf_token: null });
    assert.equal(r.res.headers.get('cache-control'), 'private, no-store');
    validate('Me', r.body);
  });

  it("names the token's user and role", async () => {
    const r = await me(`Bearer ${token}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { user: { name: 'ed', role: 'editor' }, csrf_token: null }, 'a bearer token needs no CSRF token');
    validate('Me', r.body);
    assert.deepEqual((await me(`Bearer ${viewerToken}`)).body, { user: { name: 'vi', role: 'viewer' }, csrf_token: null });
    // the read-only API answers a caller with a token as it answers anyone
    const events = await fetch(server.url + '/api/events', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(events.status, 200);
    await events.body?.cancel();
  });

  it('answers an unknown token or a malformed header with 401 problem+json', async () => {
    for (const header of [`Bearer ${token}x`, 'Bearer tnt_nothing', 'Basic ZWQ6cHc=', 'Bearer', `Bearer ${'a'.repeat(5000)}`, token]) {
      const r = await me(header);
      assert.equal(r.status, 401, header.slice(0, 20));
      assert.match(r.type, /^application\/problem\+json/);
      assert.equal(r.body.status, 401);
      assert.equal(r.body.type, 'urn:turnout:problem:unauthorized');
      assert.equal(r.body.instance, '/api/me');
      assert.match(r.res.headers.get('www-authenticate') ?? '', /^Bearer /);
      validate('Problem', r.body);
    }
    // on every API route, not /api/me alone
    const events = await fetch(server.url + '/api/events', { headers: { authorization: 'Bearer tnt_nothing' } });
    assert.equal(events.status, 401);
    await events.body?.cancel();
  });

  it("refuses a removed user's token, at once and without a restart", async () => {
    const tok = repo.accounts().createToken('vi');
    assert.equal((await me(`Bearer ${tok}`)).status, 200);
    // removed by the command line, another process on the same store
    const removed = turnout(['users', 'remove', 'vi', '--db', db]);
    assert.equal(removed.code, 0, removed.stderr);
    for (const t of [tok, viewerToken]) {
      const r = await me(`Bearer ${t}`);
      assert.equal(r.status, 401);
      assert.match(r.body.detail, /unknown or has been revoked/);
    }
    assert.deepEqual((await me(`Bearer ${token}`)).body.user, { name: 'ed', role: 'editor' });
  });

  it('is described in the OpenAPI document', () => {
    const doc = openApiDocument() as any;
    const op = doc.paths['/api/me'].get;
    assert.deepEqual(Object.keys(op.responses).sort(), ['200', '401']);
    assert.equal(op.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/Me');
    assert.equal(doc.components.securitySchemes.bearerAuth.type, 'http');
    assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
  });
});
