// Accounts and API tokens (migration 7), browser sessions and failed logins (migration 10) on SQLite, sharing the
// Repository's connection.
import {
  ACCOUNT_FAILURES,
  AccountError,
  ADDRESS_FAILURES,
  checkPassword,
  csrfToken,
  decoyHash,
  hashPassword,
  isRole,
  LOGIN_WINDOW_MS,
  nameProblem,
  newSessionSecret,
  newToken,
  retryAfter,
  ROLES,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  SESSION_SECRET,
  shiftIso,
  tokenHash,
  type AccountStore,
  type Caller,
  type Role,
  type Session,
  type UserSummary,
} from '../accounts.js';
import type { SqliteRepository } from './index.js';

export class SqliteAccountStore implements AccountStore {
  constructor(
    private readonly repo: SqliteRepository,
    private readonly now: () => string,
  ) {}

  private get db() {
    return this.repo.handle;
  }

  /** The store's time in one ISO form (toISOString), so that stored times compare as text. */
  private instant(): string {
    return shiftIso(this.now(), 0);
  }

  private userId(name: string): number | null {
    const id = this.db.prepare('SELECT id FROM users WHERE name = ?').pluck().get(name) as number | undefined;
    return id ?? null;
  }

  addUser(name: string, role: string, password: string): void {
    const bad = nameProblem(name);
    if (bad) throw new AccountError(bad);
    if (!isRole(role)) throw new AccountError(`the role must be one of ${ROLES.join(', ')}; got "${role}"`);
    if (!password) throw new AccountError('the password cannot be empty');
    const hash = hashPassword(password);
    this.db.transaction(() => {
      if (this.userId(name) !== null) throw new AccountError(`there is already a user named "${name}"`);
      this.db.prepare('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(name, role, hash, this.now());
    })();
  }

  listUsers(): UserSummary[] {
    return this.db
      .prepare(
        `SELECT u.name, u.role, u.created_at, (SELECT COUNT(*) FROM api_tokens t WHERE t.user_id = u.id) AS tokens
         FROM users u ORDER BY u.name`,
      )
      .all() as UserSummary[];
  }

  removeUser(name: string): boolean {
    return this.db.transaction(() => {
      const id = this.userId(name);
      if (id === null) return false;
      this.db.prepare('DELETE FROM api_tokens WHERE user_id = ?').run(id);
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
      this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
      return true;
    })();
  }

  createToken(name: string): string {
    const id = this.userId(name);
    if (id === null) throw new AccountError(`there is no user named "${name}"`);
    const token = newToken();
    this.db.prepare('INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)').run(id, tokenHash(token), this.now());
    return token;
  }

  callerForToken(token: string): Caller | null {
    const row = this.db
      .prepare('SELECT u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?')
      .get(tokenHash(token)) as { name: string; role: Role } | undefined;
    return row ? { name: row.name, role: row.role } : null;
  }

  verifyPassword(name: string, password: string): boolean {
    const stored = this.db.prepare('SELECT password_hash FROM users WHERE name = ?').pluck().get(name) as string | undefined;
    // an unknown name costs one scrypt too, so that the time taken does not tell which names exist
    if (stored === undefined) {
      checkPassword(password, decoyHash());
      return false;
    }
    return checkPassword(password, stored);
  }

  startSession(name: string): Session {
    const user = this.db.prepare('SELECT id, name, role FROM users WHERE name = ?').get(name) as { id: number; name: string; role: Role } | undefined;
    if (!user) throw new AccountError(`there is no user named "${name}"`);
    const now = this.instant();
    const secret = newSessionSecret();
    this.db.transaction(() => {
      this.dropExpiredSessions(now);
      this.db
        .prepare('INSERT INTO sessions (secret_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)')
        .run(tokenHash(secret), user.id, now, now, shiftIso(now, SESSION_MAX_MS));
    })();
    return { secret, csrf: csrfToken(secret), caller: { name: user.name, role: user.role } };
  }

  session(secret: string): Omit<Session, 'secret'> | null {
    if (!SESSION_SECRET.test(secret)) return null;
    const now = this.instant();
    const row = this.db
      .prepare(
        `SELECT s.id, s.last_seen_at, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.secret_hash = ? AND s.expires_at > ? AND s.last_seen_at > ?`,
      )
      .get(tokenHash(secret), now, shiftIso(now, -SESSION_IDLE_MS)) as { id: number; last_seen_at: string; name: string; role: Role } | undefined;
    if (!row) return null;
    // the idle clock restarts on use; written at most once a minute, not on every request
    if (row.last_seen_at < shiftIso(now, -60_000)) this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?').run(now, row.id);
    return { csrf: csrfToken(secret), caller: { name: row.name, role: row.role } };
  }

  endSession(secret: string): void {
    this.db.prepare('DELETE FROM sessions WHERE secret_hash = ?').run(tokenHash(secret));
  }

  /** Sessions past their absolute or idle expiry are deleted as new ones start. */
  private dropExpiredSessions(now: string): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?').run(now, shiftIso(now, -SESSION_IDLE_MS));
  }

  loginWait(name: string, address: string): number {
    const now = this.instant();
    const since = shiftIso(now, -LOGIN_WINDOW_MS);
    const times = (column: string, key: string) =>
      this.db.prepare(`SELECT at FROM login_failures WHERE ${column} = ? AND at > ? ORDER BY at`).pluck().all(tokenHash(key), since) as string[];
    return Math.max(retryAfter(times('account_hash', name), ACCOUNT_FAILURES, now), retryAfter(times('address_hash', address), ADDRESS_FAILURES, now));
  }

  recordLoginFailure(name: string, address: string): void {
    const now = this.instant();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM login_failures WHERE at <= ?').run(shiftIso(now, -LOGIN_WINDOW_MS));
      this.db.prepare('INSERT INTO login_failures (account_hash, address_hash, at) VALUES (?, ?, ?)').run(tokenHash(name), tokenHash(address), now);
    })();
  }

  clearLoginFailures(name: string): void {
    this.db.prepare('DELETE FROM login_failures WHERE account_hash = ?').run(tokenHash(name));
  }
}
