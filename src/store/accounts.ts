// Accounts, roles and API tokens (issue 10): who may change the record. The server is read-only for now; a
// token only says who the caller is.
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

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
  /** removes the user and revokes their tokens; false when there is no such user */
  removeUser(name: string): boolean;
  /** a new API token for the user, returned once (only its hash is stored); throws AccountError for an unknown user */
  createToken(name: string): string;
  /** the user a token belongs to, or null for an unknown or revoked token */
  callerForToken(token: string): Caller | null;
  /** whether the password is the user's */
  verifyPassword(name: string, password: string): boolean;
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

/** A random password to print once: 18 bytes in base64url (24 characters). */
export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** A new API token: "tnt_" and 32 random bytes in base64url. */
export function newToken(): string {
  return 'tnt_' + randomBytes(32).toString('base64url');
}

/** What the store keeps of a token: its SHA-256 in hex (a 256-bit random token needs no salt or slow hash). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
