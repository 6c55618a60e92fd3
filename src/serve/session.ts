// Browser login and logout (issue 10): POST /api/session checks a name and password under the login rate limits
// and sets the session cookie; DELETE /api/session ends the session and clears the cookie.
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { logIn, SESSION_MAX_MS } from '../store/accounts.js';
import type { Store } from '../store/store.js';
import { clientInfo, readJsonBody, SESSION_COOKIE, type ApiEnv, type AuthOptions } from './auth.js';
import { problem } from './problem.js';
import { LoginBody } from './schemas.js';

/** Login and logout answers are never cached, by the browser or anything between. */
const NO_STORE = { 'cache-control': 'no-store' };

type CookieOptions = NonNullable<Parameters<typeof setCookie>[3]>;

/** The session cookie's attributes: out of scripts' reach, not sent on cross-site subrequests, Secure over TLS. */
function cookieOptions(c: Context<ApiEnv>, opts: AuthOptions): CookieOptions {
  return { path: '/', httpOnly: true, sameSite: 'Lax', secure: clientInfo(c, opts).tls };
}

/**
 * POST /api/session `{"name", "password"}`: 200 with the user and the CSRF token, and the cookie; 401 for a wrong
 * name or password alike; 429 with Retry-After while the name or the client's address is over its failure limit.
 */
export function loginHandler(repo: Pick<Store, 'accounts'>, opts: AuthOptions) {
  return async (c: Context<ApiEnv>): Promise<Response> => {
    const body = await readJsonBody(c, LoginBody);
    if (body instanceof Response) return body;
    const result = await logIn(repo.accounts(), body.name, body.password, clientInfo(c, opts).address);
    if (result.outcome === 'limited') {
      const r = problem(c, 429, `too many failed logins for this account or from this address: try again in ${result.retryAfter} seconds`);
      r.headers.set('retry-after', String(result.retryAfter));
      return r;
    }
    if (result.outcome === 'wrong') return problem(c, 401, 'the name or the password is wrong');
    // a session the browser already had ends: one login, one session
    const previous = c.get('session');
    if (previous) await repo.accounts().endSession(previous.secret);
    const { session } = result;
    setCookie(c, SESSION_COOKIE, session.secret, { ...cookieOptions(c, opts), maxAge: SESSION_MAX_MS / 1000 });
    return c.json({ user: session.caller, csrf_token: session.csrf }, 200, NO_STORE);
  };
}

/** DELETE /api/session: ends the request's session (if any) and clears the cookie; 204 either way. */
export function logoutHandler(repo: Pick<Store, 'accounts'>, opts: AuthOptions) {
  return async (c: Context<ApiEnv>): Promise<Response> => {
    const session = c.get('session');
    if (session) await repo.accounts().endSession(session.secret);
    deleteCookie(c, SESSION_COOKIE, cookieOptions(c, opts));
    return c.body(null, 204, NO_STORE);
  };
}
