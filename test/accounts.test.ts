// Accounts, roles and API tokens (issue 10, first slice): the `users` command on a temp store, what the store
// keeps (hashes, never the password or the token).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../src/store/sqlite/index.js';
import { REPO_ROOT, tempDir } from './helpers/shared.js';

const CLI = join(REPO_ROOT, 'src', 'cli.ts');

function turnout(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

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
