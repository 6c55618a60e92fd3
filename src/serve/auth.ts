// Who is calling: a bearer token (scripts) or a session cookie (browsers) attaches its user as the caller; write
// routes ask for a role. Requests a browser session makes to change anything must carry its CSRF token.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { z } from 'zod';
import type { Store } from '../store/store.js';
import { sameSecret, type Caller, type Role } from '../store/accounts.js';
import { BadParameter, parseBody, problem } from './problem.js';
import { MAX_BODY } from './schemas.js';

/** The browser session behind a request: its cookie's secret (to end it) and its CSRF token (for GET /api/me). */
export interface SessionRef {
  secret: string;
  csrf: string;
}

/**
 * What the API's handlers see: the caller a bearer token or a session cookie stands for (null for an anonymous
 * request), and the session when it was the cookie. Under @hono/node-server the Node request is in the bindings
 * (absent when a test calls app.request).
 */
export type ApiEnv = { Bindings: { incoming?: IncomingMessage }; Variables: { caller: Caller | null; session: SessionRef | null } };

/** The browser session cookie's name. */
export const SESSION_COOKIE = 'turnout_session';

/** The header a session's state-changing requests carry its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change nothing: no CSRF check. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthOptions {
  /**
   * `serve --trust-proxy`: the server sits behind a reverse proxy, so the client's address is the last hop of
   * X-Forwarded-For and TLS is X-Forwarded-Proto's; without it both come from the socket.
   */
  trustProxy?: boolean;
}

/** Who and how a request reached us: the client's address, whether over TLS, and this server's origin. */
export interface ClientInfo {
  address: string;
  tls: boolean;
  origin: string;
}

/** The last value of a comma-separated forwarding header, or null when absent or empty. */
function lastHop(value: string | undefined): string | null {
  const hop = value?.split(',').pop()?.trim();
  return hop ? hop : null;
}

/** The client's address and TLS, from the socket or (trusting a proxy) from its X-Forwarded-* headers. */
export function clientInfo(c: Context<ApiEnv>, opts: AuthOptions): ClientInfo {
  const socket = c.env?.incoming?.socket;
  const trusted = (name: string) => (opts.trustProxy ? lastHop(c.req.header(name)) : null);
  const proto = trusted('x-forwarded-proto');
  const tls = proto !== null ? proto.toLowerCase() === 'https' : (socket as TLSSocket | undefined)?.encrypted === true;
  const url = new URL(c.req.url);
  const host = trusted('x-forwarded-host') ?? url.host;
  return { address: trusted('x-forwarded-for') ?? socket?.remoteAddress ?? 'unknown', tls, origin: `${tls ? 'https' : 'http'}://${host}`.toLowerCase() };
}

/** Whether a present Origin header names another site (or "null"); a request without one is not judged here. */
function crossSite(origin: string | undefined, own: string): boolean {
  if (origin === undefined) return false;
  try {
    return new URL(origin).origin.toLowerCase() !== new URL(own).origin;
  } catch {
    return true;
  }
}

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/;

/** The longest token looked up: ours are 47 characters; anything much longer is not one. */
const MAX_TOKEN = 512;

/**
 * Reads `Authorization: Bearer TOKEN` and attaches its user as the caller. A header that is not a bearer token,
 * or a token that is unknown or revoked (its user removed): 401. No header: the `turnout_session` cookie's user
 * when the session is live, else anonymous (a stale cookie is no error: the public API still answers). Without
 * a bearer token, a request that may change something is refused (403) when its Origin is another site's, or when
 * it comes with a live session but not that session's X-CSRF-Token.
 */
export function authenticate(repo: Pick<Store, 'accounts'>, opts: AuthOptions = {}) {
  return async (c: Context<ApiEnv>, next: () => Promise<void>): Promise<Response | void> => {
    c.set('session', null);
    const header = c.req.header('authorization');
    if (header === undefined) {
      const refused = await sessionCaller(c, repo, opts);
      return refused ?? next();
    }
    const token = header.length <= MAX_TOKEN + 10 ? BEARER.exec(header)?.[1] : undefined;
    const caller = token ? await repo.accounts().callerForToken(token) : null;
    if (!caller) {
      const r = problem(c, 401, token ? 'the API token is unknown or has been revoked' : 'the Authorization header must be "Bearer TOKEN"');
      r.headers.set('www-authenticate', `Bearer realm="turnout", error="invalid_token"`);
      return r;
    }
    c.set('caller', caller);
    return next();
  };
}

/** Attaches the session cookie's user (or no one); the 403 for a cross-site or CSRF-less change, else null. */
async function sessionCaller(c: Context<ApiEnv>, repo: Pick<Store, 'accounts'>, opts: AuthOptions): Promise<Response | null> {
  const secret = getCookie(c, SESSION_COOKIE);
  const session = secret ? await repo.accounts().session(secret) : null;
  c.set('caller', session?.caller ?? null);
  c.set('session', session ? { secret: secret!, csrf: session.csrf } : null);
  if (SAFE_METHODS.has(c.req.method)) return null;
  if (crossSite(c.req.header('origin'), clientInfo(c, opts).origin)) return problem(c, 403, "the request comes from another site (its Origin is not this server's)");
  const token = c.req.header(CSRF_HEADER);
  if (session && !(token && sameSecret(token, session.csrf))) return problem(c, 403, 'the CSRF token is missing or wrong');
  return null;
}

/** Roles allowed to change the record (and to see events awaiting review). */
export const EDITORS: readonly Role[] = ['editor', 'admin'];

/**
 * The caller when they may change the record (an editor or an admin), or the 401/403 problem to answer with.
 * `doing` names the action for the message ("reviewing", "editing").
 */
export function requireEditor(c: Context<ApiEnv>, doing: string): Caller | Response {
  const caller = c.get('caller');
  if (!caller) {
    const r = problem(c, 401, `${doing} needs an editor's or an admin's session or API token (Authorization: Bearer TOKEN)`);
    r.headers.set('www-authenticate', 'Bearer realm="turnout"');
    return r;
  }
  if (!EDITORS.includes(caller.role)) return problem(c, 403, `${caller.name} is a ${caller.role}: only editors and admins may do this (${doing})`);
  return caller;
}

/**
 * A write request's JSON body checked against a strict schema: over MAX_BODY bytes a 413, not JSON a 415
 * or a 400, a field at fault a 400 naming it (thrown as BadParameter, answered by apiError).
 */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S> | Response> {
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > MAX_BODY) return problem(c, 413, `the body is over ${MAX_BODY} bytes`, 'body');
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > MAX_BODY) return problem(c, 413, `the body is over ${MAX_BODY} bytes`, 'body');
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) return problem(c, 415, 'the body must be JSON (Content-Type: application/json)', 'body');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new BadParameter('body', 'the body is not valid JSON');
  }
  return parseBody(schema, raw);
}
