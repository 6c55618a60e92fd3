// Who the browser is signed in as: read from GET /api/me when the app starts, changed by logging in and out.
// One shared state; components read it with useSession() and re-render when it changes.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken, type SessionUser } from './api.ts';

export interface SessionState {
  /** false until GET /api/me has answered (or failed) */
  known: boolean;
  user: SessionUser | null;
}

let state: SessionState = { known: false, user: null };
const listeners = new Set<(s: SessionState) => void>();

function set(user: SessionUser | null, csrf: string | null): void {
  setCsrfToken(user ? csrf : null);
  state = { known: true, user };
  for (const l of listeners) l(state);
}

/** Asks the server who is signed in (GET /api/me). A server without sessions, or one that fails, means nobody. */
export async function refreshSession(): Promise<SessionState> {
  try {
    const me = await api.me();
    set(me.user, me.csrf_token);
  } catch {
    set(null, null);
  }
  return state;
}

/** Logs in; resolves to the user, or throws the ApiError (401 wrong name or password, 429 wait). */
export async function logIn(name: string, password: string): Promise<SessionUser> {
  const answer = await api.login(name, password);
  set(answer.user, answer.csrf_token);
  return answer.user;
}

/** Logs out. A session the server has already forgotten (401/403) is logged out all the same. */
export async function logOut(): Promise<void> {
  try {
    await api.logout();
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 403)) throw e;
  }
  set(null, null);
}

/** Whether this user may change the record. */
export function isEditor(user: SessionUser | null): boolean {
  return user?.role === 'editor' || user?.role === 'admin';
}

/** The session, re-rendering the component when someone logs in or out. */
export function useSession(): SessionState {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    setS(state);
    return () => void listeners.delete(setS);
  }, []);
  return s;
}
