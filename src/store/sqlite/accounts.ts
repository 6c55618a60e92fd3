// Accounts and API tokens on SQLite (migration 7), sharing the Repository's connection.
import { AccountError, checkPassword, hashPassword, isRole, nameProblem, newToken, ROLES, tokenHash, type AccountStore, type Caller, type Role, type UserSummary } from '../accounts.js';
import type { SqliteRepository } from './index.js';

export class SqliteAccountStore implements AccountStore {
  constructor(
    private readonly repo: SqliteRepository,
    private readonly now: () => string,
  ) {}

  private get db() {
    return this.repo.handle;
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
    return stored !== undefined && checkPassword(password, stored);
  }
}
