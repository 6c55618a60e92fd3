// Accounts, API tokens, browser sessions and the login limits through the asynchronous Store, on every backend:
// SQLite always, PostgreSQL when TURNOUT_TEST_PG names a server (skipped, saying why, otherwise). The same rules
// (names, roles, hashes, idle and absolute expiry, failure windows) answer alike on both.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_FAILURES, AccountError, LOGIN_WINDOW_MS, logIn, SESSION_IDLE_MS, shiftIso } from '../src/store/accounts.js';
import type { Store } from '../src/store/store.js';
import { backends, type Backend } from './helpers/backends.js';

const PASSWORD = 'a long enough password for tests';

/** A clock the tests move: sessions and failed logins expire as it goes. */
const clock = { at: '2026-03-10T12:00:00.000Z', now: () => clock.at };

function accountsContract(backend: Backend): void {
  let store: Store;
  before(async () => {
    store = await backend.open();
    for (const [name, role] of [['ed', 'editor'], ['ada', 'admin'], ['vi', 'viewer']] as const) await store.accounts().addUser(name, role, PASSWORD);
  });
  after(async () => {
    await store?.close();
    await backend.drop();
  });

  it('adds users once, with a known role and a good name, and lists them by name with their token counts', async () => {
    const accounts = store.accounts();
    await assert.rejects(accounts.addUser('ed', 'viewer', PASSWORD), (e: Error) => e instanceof AccountError && /already a user named "ed"/.test(e.message));
    await assert.rejects(accounts.addUser('zed', 'owner', PASSWORD), (e: Error) => e instanceof AccountError && /role must be one of/.test(e.message));
    await assert.rejects(accounts.addUser(' zed', 'viewer', PASSWORD), AccountError);
    await assert.rejects(accounts.addUser('zed', 'viewer', ''), AccountError);
    await accounts.createToken('ed');
    const users = await accounts.listUsers();
    assert.deepEqual(
      users.map((u) => [u.name, u.role, u.tokens]),
      [
        ['ada', 'admin', 0],
        ['ed', 'editor', 1],
        ['vi', 'viewer', 0],
      ],
    );
    assert.ok(users.every((u) => u.created_at === clock.at));
  });

  it('checks passwords, and a token stands for its user until the user is removed', async () => {
    const accounts = store.accounts();
    assert.equal(await accounts.verifyPassword('vi', PASSWORD), true);
    assert.equal(await accounts.verifyPassword('vi', PASSWORD + ' '), false);
    assert.equal(await accounts.verifyPassword('nobody', PASSWORD), false);
    await accounts.addUser('gone', 'editor', PASSWORD);
    const token = await accounts.createToken('gone');
    assert.match(token, /^tnt_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(await accounts.callerForToken(token), { name: 'gone', role: 'editor' });
    assert.equal(await accounts.callerForToken('tnt_' + 'x'.repeat(43)), null);
    await assert.rejects(accounts.createToken('nobody'), AccountError);
    const session = await accounts.startSession('gone');
    assert.equal(await accounts.removeUser('gone'), true);
    assert.equal(await accounts.removeUser('gone'), false);
    assert.equal(await accounts.callerForToken(token), null);
    assert.equal(await accounts.session(session.secret), null);
  });

  it('a session lives until logout, 12 idle hours or 7 days, and its CSRF token is derived from its secret', async () => {
    const accounts = store.accounts();
    const start = clock.at;
    try {
      const s = await accounts.startSession('ed');
      assert.deepEqual(await accounts.session(s.secret), { csrf: s.csrf, caller: { name: 'ed', role: 'editor' } });
      assert.equal(await accounts.session('not a secret'), null);
      // used every 11 hours it lives on, until its absolute end
      for (let h = 11; h < 7 * 24; h += 11) {
        clock.at = shiftIso(start, h * 3600_000);
        assert.ok(await accounts.session(s.secret), `alive after ${h} hours`);
      }
      clock.at = shiftIso(start, 7 * 24 * 3600_000);
      assert.equal(await accounts.session(s.secret), null, 'over after 7 days');
      clock.at = start;
      const idle = await accounts.startSession('ed');
      clock.at = shiftIso(start, SESSION_IDLE_MS + 1000);
      assert.equal(await accounts.session(idle.secret), null, 'over after 12 idle hours');
      const ended = await accounts.startSession('ada');
      await accounts.endSession(ended.secret);
      assert.equal(await accounts.session(ended.secret), null, 'over at logout');
      await assert.rejects(accounts.startSession('nobody'), AccountError);
    } finally {
      clock.at = start;
    }
  });

  it('logIn refuses a name after its failures in the window, until the window passes; a success clears them', async () => {
    const accounts = store.accounts();
    const start = clock.at;
    try {
      for (let i = 0; i < ACCOUNT_FAILURES; i++) assert.deepEqual(await logIn(accounts, 'vi', 'wrong', '192.0.2.1'), { outcome: 'wrong' });
      assert.deepEqual(await logIn(accounts, 'vi', PASSWORD, '192.0.2.2'), { outcome: 'limited', retryAfter: LOGIN_WINDOW_MS / 1000 });
      clock.at = shiftIso(start, LOGIN_WINDOW_MS + 1000);
      const ok = await logIn(accounts, 'vi', PASSWORD, '192.0.2.2');
      assert.equal(ok.outcome, 'ok');
      assert.deepEqual(ok.outcome === 'ok' && ok.session.caller, { name: 'vi', role: 'viewer' });
      assert.equal(await accounts.loginWait('vi', '192.0.2.3'), 0);
    } finally {
      clock.at = start;
    }
  });
}

for (const { name, backend, skip } of backends(clock)) {
  describe(`accounts and sessions on ${name}`, { skip: skip ?? false }, () => accountsContract(backend()));
}
