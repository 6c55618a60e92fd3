// Accounts, roles, API tokens and browser sessions (issue 10): who may change the record. A token (scripts) or a
// session cookie (browsers) says who the caller is; failed logins are counted per account and per address.
import { createHash, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { AsyncAccountStore } from './store.js';

export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface UserSummary {
  name: string;
  role: Role;
  created_at: string;
  tokens: number;
}

/** The caller a valid API token stands for. */
export interface Caller {
  name: string;
  role: Role;
}

/** A rule of the accounts store broken by the caller's input (duplicate name, unknown user, bad name). */
export class AccountError extends Error {}

export interface AccountStore {
  /** adds a user with the password hashed; throws AccountError for a bad or taken name or an unknown role */
  addUser(name: string, role: string, password: string): void;
  listUsers(): UserSummary[];
  /** removes the user, revokes their tokens and ends their sessions; false when there is no such user */
  removeUser(name: string): boolean;
  /** a new API token for the user, returned once (only its hash is stored); throws AccountError for an unknown user */
  createToken(name: string): string;
  /** the user a token belongs to, or null for an unknown or revoked token */
  callerForToken(token: string): Caller | null;
  /** whether the password is the user's (as slow for an unknown name as for a known one) */
  verifyPassword(name: string, password: string): boolean;
  /** a new browser session for the user, returned once (only its hash is stored); throws AccountError for an unknown user */
  startSession(name: string): Session;
  /** the live session a cookie's secret stands for, or null (unknown, ended, idle too long, too old, user removed); marks it used */
  session(secret: string): Omit<Session, 'secret'> | null;
  /** ends the session (logout); nothing happens for an unknown secret */
  endSession(secret: string): void;
  /** seconds before a login for this name from this address may be tried (failures in the window at a limit), or 0 */
  loginWait(name: string, address: string): number;
  /** counts one failed login against the name tried (known or not) and the address; drops failures older than the window */
  recordLoginFailure(name: string, address: string): void;
  /** forgets the account's failed logins (after a successful one); the address's stay counted */
  clearLoginFailures(name: string): void;
}

/** Every AccountStore operation by name (the record makes the compiler check that none is missing). */
const ACCOUNT_OPERATION_SET: Record<keyof AccountStore, true> = {
  addUser: true,
  listUsers: true,
  removeUser: true,
  createToken: true,
  callerForToken: true,
  verifyPassword: true,
  startSession: true,
  session: true,
  endSession: true,
  loginWait: true,
  recordLoginFailure: true,
  clearLoginFailures: true,
};
export const ACCOUNT_OPERATIONS = Object.keys(ACCOUNT_OPERATION_SET) as ReadonlyArray<keyof AccountStore>;

/** A browser session: the cookie's secret (given out once), the CSRF token derived from it, and its user. */
export interface Session {
  secret: string;
  csrf: string;
  caller: Caller;
}

export const MAX_NAME = 64;

/** Why a user name cannot be used, or null when it can: 1 to 64 characters, no control characters, no spaces at either end. */
export function nameProblem(name: string): string | null {
  if (name.length === 0) return 'a user name cannot be empty';
  if (name.length > MAX_NAME) return `a user name has at most ${MAX_NAME} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return 'a user name cannot hold control characters';
  if (name.trim() !== name) return 'a user name cannot start or end with a space';
  return null;
}

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

// scrypt with N = 2^15, r = 8, p = 1 (OWASP's minimum is 2^17 at p = 1 for interactive logins on servers
// with the memory; 2^15 keeps `users add` quick and under node's default 32 MB maxmem)
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LEN = 32;

/** "scrypt$N$r$p$salt$hash", salt and hash in base64: the parameters travel with the hash. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFC'), salt, KEY_LEN, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function checkPassword(password: string, stored: string): boolean {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const got = scryptSync(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

let decoy: string | null = null;

/** A hash of no one's password, made once, for checking a password against when the name is unknown. */
export function decoyHash(): string {
  decoy ??= hashPassword(newSessionSecret());
  return decoy;
}

/** A random password to print once: 18 bytes in base64url (24 characters). */
export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** A new API token: "tnt_" and 32 random bytes in base64url. */
export function newToken(): string {
  return 'tnt_' + randomBytes(32).toString('base64url');
}

/**
 * What the store keeps of a token, a session secret or a login-limit key: its SHA-256 in hex (a 256-bit random
 * secret needs no salt or slow hash; a name or an address tried at login is not kept in clear).
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A session ends after this long without a request (12 hours)... */
export const SESSION_IDLE_MS = 12 * 3600_000;
/** ...and this long after login whatever happens (7 days). */
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
/** Failed logins count for this long (15 minutes). */
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Failed logins allowed per account name within the window; the next attempt is refused (429). */
export const ACCOUNT_FAILURES = 5;
/** Failed logins allowed per client address within the window, whatever the names tried. */
export const ADDRESS_FAILURES = 20;

/** A session cookie's secret: 32 random bytes in base64url (43 characters). */
export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What a session cookie's value must look like; anything else is no session at all. */
export const SESSION_SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * The session's CSRF token: an HMAC of a fixed label keyed by the session secret. Derived, not stored: the page
 * reads it from GET /api/me, a cross-site page cannot, and it reveals nothing of the HttpOnly secret.
 */
export function csrfToken(secret: string): string {
  return createHmac('sha256', secret).update('turnout csrf token').digest('base64url');
}

/** Whether two secrets are equal, in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** An ISO time `ms` milliseconds before or after another. */
export function shiftIso(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

export type LoginResult = { outcome: 'ok'; session: Session } | { outcome: 'wrong' } | { outcome: 'limited'; retryAfter: number };

/**
 * A login attempt with the rate limits: refused (429, with the seconds to wait) when the name or the address
 * already has its failures in the window, before the password is even checked; a wrong name or password counts
 * a failure against both; a right one clears the name's failures and starts a session.
 */
export async function logIn(accounts: AsyncAccountStore, name: string, password: string, address: string): Promise<LoginResult> {
  const wait = await accounts.loginWait(name, address);
  if (wait > 0) return { outcome: 'limited', retryAfter: wait };
  if (!(await accounts.verifyPassword(name, password))) {
    await accounts.recordLoginFailure(name, address);
    return { outcome: 'wrong' };
  }
  await accounts.clearLoginFailures(name);
  return { outcome: 'ok', session: await accounts.startSession(name) };
}

/** Seconds until fewer than `limit` of the failures (ISO times in the window, oldest first) are left in it; 0 when already fewer. */
export function retryAfter(times: string[], limit: number, now: string): number {
  if (times.length < limit) return 0;
  const freeing = times[times.length - limit]!;
  return Math.max(1, Math.ceil((Date.parse(shiftIso(freeing, LOGIN_WINDOW_MS)) - Date.parse(now)) / 1000));
}
