// "/login": an editor's name and password; the session cookie the server sets signs the browser in.
import { useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { navigate, onLinkClick } from './router.ts';
import { isEditor, logIn, useSession } from './session.ts';

/** "45 seconds", "2 minutes": how long to wait before the next attempt. */
export function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** What to tell someone whose login failed. */
function loginError(e: unknown): string {
  if (!(e instanceof ApiError)) return String((e as Error).message ?? e);
  if (e.status === 401) return 'The name or the password is wrong.';
  if (e.status === 429) return `Too many attempts. Try again in ${e.retryAfter ? waitText(e.retryAfter) : 'a few minutes'}.`;
  if (e.status === 0) return 'The server could not be reached. Check the connection and try again.';
  return e.detail ?? e.title;
}

/** The page to go to after logging in: a path on this site from ?next=, never another site. */
export function nextPath(search: string, fallback: string): string {
  const next = new URLSearchParams(search).get('next') ?? '';
  return /^\/(?![/\\])/.test(next) && !next.startsWith('/api/') ? next : fallback;
}

export function LoginPage({ search }: { search: string }) {
  const session = useSession();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!name.trim() || !password) {
      setError(!name.trim() ? 'Enter your user name.' : 'Enter your password.');
      (!name.trim() ? nameRef : passwordRef).current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const user = await logIn(name.trim(), password);
      navigate(nextPath(search, isEditor(user) ? '/review' : '/'), { replace: true });
    } catch (err) {
      setError(loginError(err));
      setPassword('');
      passwordRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  if (session.user)
    return (
      <section class="page narrow login-page">
        <h1>Log in</h1>
        <p>
          You are logged in as <strong>{session.user.name}</strong> ({session.user.role}).{' '}
          {isEditor(session.user) ? (
            <a href="/review" onClick={onLinkClick}>
              Go to the review queue
            </a>
          ) : (
            <a href="/" onClick={onLinkClick}>
              Go to the map
            </a>
          )}
        </p>
      </section>
    );

  return (
    <section class="page narrow login-page">
      <h1 id="login-heading">Log in</h1>
      <p class="muted">For editors and admins, who review and correct the record. Reading the record needs no account.</p>
      <form class="login-form" aria-labelledby="login-heading" onSubmit={submit} noValidate>
        <div>
          <label for="login-name">User name</label>
          <input id="login-name" ref={nameRef} name="username" autoComplete="username" value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        </div>
        <div>
          <label for="login-password">Password</label>
          <input
            id="login-password"
            ref={passwordRef}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            required
          />
        </div>
        <p class="error login-error" role="alert" hidden={!error}>
          {error}
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </section>
  );
}
