// Accounts and API tokens (migration 7), browser sessions and failed logins (migration 10) on PostgreSQL: the same
// rules, hashes and times as the SQLite store (src/store/sqlite/accounts.ts), from the shared parts in
// src/store/accounts.ts. Times are ISO text (toISOString), compared as text, as on SQLite.
import type pg from 'pg';
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
  type Caller,
  type Role,
  type Session,
  type UserSummary,
} from '../accounts.js';
import type { AsyncAccountStore } from '../store.js';

/** PostgreSQL's code for a unique constraint broken (two processes adding one name at once). */
const UNIQUE_VIOLATION = '23505';

/** What the accounts need of the PostgreSQL store: its pool, and its transactions (tx). */
export interface PgAccess {
  pool: pg.Pool;
  tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T>;
}

export class PgAccountStore implements AsyncAccountStore {
  constructor(
    private readonly db: PgAccess,
    private readonly now: () => string,
  ) {}

  /** The store's time in one ISO form (toISOString), so that stored times compare as text. */
  private instant(): string {
    return shiftIso(this.now(), 0);
  }

  private async query<T>(sql: string, args: unknown[] = [], c: pg.Pool | pg.PoolClient = this.db.pool): Promise<T[]> {
    return (await c.query(sql, args)).rows as T[];
  }

  private async user(name: string, c?: pg.PoolClient): Promise<{ id: number; name: string; role: Role; password_hash: string } | null> {
    const [row] = await this.query<{ id: number; name: string; role: Role; password_hash: string }>('SELECT id, name, role, password_hash FROM users WHERE name = $1', [name], c);
    return row ?? null;
  }

  async addUser(name: string, role: string, password: string): Promise<void> {
    const bad = nameProblem(name);
    if (bad) throw new AccountError(bad);
    if (!isRole(role)) throw new AccountError(`the role must be one of ${ROLES.join(', ')}; got "${role}"`);
    if (!password) throw new AccountError('the password cannot be empty');
    const hash = hashPassword(password);
    const taken = () => new AccountError(`there is already a user named "${name}"`);
    try {
      const added = await this.query('INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING id', [name, role, hash, this.now()]);
      if (!added.length) throw taken();
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw taken();
      throw e;
    }
  }

  async listUsers(): Promise<UserSummary[]> {
    // names sort bytewise, as SQLite's BINARY collation does
    return this.query<UserSummary>(
      `SELECT u.name, u.role, u.created_at, (SELECT COUNT(*) FROM api_tokens t WHERE t.user_id = u.id) AS tokens
       FROM users u ORDER BY u.name COLLATE "C"`,
    );
  }

  async removeUser(name: string): Promise<boolean> {
    return this.db.tx(async (c) => {
      const user = await this.user(name, c);
      if (!user) return false;
      await c.query('DELETE FROM api_tokens WHERE user_id = $1', [user.id]);
      await c.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
      await c.query('DELETE FROM users WHERE id = $1', [user.id]);
      return true;
    });
  }

  async createToken(name: string): Promise<string> {
    const user = await this.user(name);
    if (!user) throw new AccountError(`there is no user named "${name}"`);
    const token = newToken();
    await this.query('INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)', [user.id, tokenHash(token), this.now()]);
    return token;
  }

  async callerForToken(token: string): Promise<Caller | null> {
    const [row] = await this.query<Caller>('SELECT u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1', [tokenHash(token)]);
    return row ? { name: row.name, role: row.role } : null;
  }

  async verifyPassword(name: string, password: string): Promise<boolean> {
    const user = await this.user(name);
    // an unknown name costs one scrypt too, so that the time taken does not tell which names exist
    if (!user) {
      checkPassword(password, decoyHash());
      return false;
    }
    return checkPassword(password, user.password_hash);
  }

  async startSession(name: string): Promise<Session> {
    const user = await this.user(name);
    if (!user) throw new AccountError(`there is no user named "${name}"`);
    const now = this.instant();
    const secret = newSessionSecret();
    await this.db.tx(async (c) => {
      // sessions past their absolute or idle expiry are deleted as new ones start
      await c.query('DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2', [now, shiftIso(now, -SESSION_IDLE_MS)]);
      await c.query('INSERT INTO sessions (secret_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
        tokenHash(secret),
        user.id,
        now,
        now,
        shiftIso(now, SESSION_MAX_MS),
      ]);
    });
    return { secret, csrf: csrfToken(secret), caller: { name: user.name, role: user.role } };
  }

  async session(secret: string): Promise<Omit<Session, 'secret'> | null> {
    if (!SESSION_SECRET.test(secret)) return null;
    const now = this.instant();
    const [row] = await this.query<{ id: number; last_seen_at: string; name: string; role: Role }>(
      `SELECT s.id, s.last_seen_at, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.secret_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3`,
      [tokenHash(secret), now, shiftIso(now, -SESSION_IDLE_MS)],
    );
    if (!row) return null;
    // the idle clock restarts on use; written at most once a minute, not on every request
    if (row.last_seen_at < shiftIso(now, -60_000)) await this.query('UPDATE sessions SET last_seen_at = $1 WHERE id = $2', [now, row.id]);
    return { csrf: csrfToken(secret), caller: { name: row.name, role: row.role } };
  }

  async endSession(secret: string): Promise<void> {
    await this.query('DELETE FROM sessions WHERE secret_hash = $1', [tokenHash(secret)]);
  }

  async loginWait(name: string, address: string): Promise<number> {
    const now = this.instant();
    const since = shiftIso(now, -LOGIN_WINDOW_MS);
    // the column is one of two fixed names, never input
    const times = async (column: 'account_hash' | 'address_hash', key: string) =>
      (await this.query<{ at: string }>(`SELECT at FROM login_failures WHERE ${column} = $1 AND at > $2 ORDER BY at COLLATE "C"`, [tokenHash(key), since])).map((r) => r.at);
    return Math.max(retryAfter(await times('account_hash', name), ACCOUNT_FAILURES, now), retryAfter(await times('address_hash', address), ADDRESS_FAILURES, now));
  }

  async recordLoginFailure(name: string, address: string): Promise<void> {
    const now = this.instant();
    await this.db.tx(async (c) => {
      await c.query('DELETE FROM login_failures WHERE at <= $1', [shiftIso(now, -LOGIN_WINDOW_MS)]);
      await c.query('INSERT INTO login_failures (account_hash, address_hash, at) VALUES ($1, $2, $3)', [tokenHash(name), tokenHash(address), now]);
    });
  }

  async clearLoginFailures(name: string): Promise<void> {
    await this.query('DELETE FROM login_failures WHERE account_hash = $1', [tokenHash(name)]);
  }
}
