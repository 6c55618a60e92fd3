import { render } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.ts';
import { EventView } from './EventView.tsx';
import { LoginPage } from './LoginPage.tsx';
import { todayIso } from './format.ts';
import { parseFilters, toParams } from './filters.ts';
import { MapPage } from './MapPage.tsx';
import { ReviewPage } from './ReviewPage.tsx';
import { RoundupPage } from './RoundupPage.tsx';
import { navigate, onLinkClick, useLocation } from './router.ts';
import { isEditor, logOut, refreshSession, useSession } from './session.ts';
import './app.css';

/** The roundup the nav links to: today's if there is one, else the latest day up to today, else the latest. */
function useRoundupDate(): string | null {
  const [date, setDate] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    api
      .stats('day', new URLSearchParams(), ctl.signal)
      .then((s) => {
        const days = s.rows.map((r) => r.key).filter((k): k is string => !!k).sort();
        const today = todayIso();
        const past = days.filter((d) => d <= today);
        setDate(past.at(-1) ?? days.at(-1) ?? null);
      })
      .catch(() => undefined);
    return () => ctl.abort();
  }, []);
  return date;
}

/** The header's account corner: who is logged in and their role, with a Log out button; or a Log in link. */
function Account({ path }: { path: string }) {
  const { known, user } = useSession();
  const [error, setError] = useState<string | null>(null);
  if (!known) return null;
  if (!user)
    return (
      <div class="account">
        {path !== '/login' && (
          <a href={`/login${path === '/' ? '' : `?next=${encodeURIComponent(path)}`}`} onClick={onLinkClick}>
            Log in
          </a>
        )}
      </div>
    );
  const out = () => {
    setError(null);
    logOut()
      .then(() => {
        if (path === '/review') navigate('/login', { replace: true });
      })
      .catch((e) => setError(`Logging out failed: ${(e as Error).message}`));
  };
  return (
    <div class="account">
      <span class="account-user">
        <span class="visually-hidden">Logged in as </span>
        <strong>{user.name}</strong> <span class="role-badge">{user.role}</span>
      </span>
      <button type="button" class="secondary small-button" onClick={out}>
        Log out
      </button>
      {error && (
        <span class="error small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function App() {
  const loc = useLocation();
  const roundupDate = useRoundupDate();
  const { user } = useSession();
  useEffect(() => void refreshSession(), []);
  const path = loc.path.replace(/\/+$/, '') || '/';
  const eventMatch = /^\/event\/([^/]+)$/.exec(path);

  let page;
  let section: 'map' | 'roundup' | 'event' | 'login' | 'review' | 'none' = 'none';
  if (path === '/') {
    section = 'map';
    page = <MapPage search={loc.search} />;
  } else if (eventMatch) {
    section = 'event';
    page = <EventView id={decodeURIComponent(eventMatch[1])} search={loc.search} />;
  } else if (path === '/roundup') {
    section = 'roundup';
    page = <RoundupPage search={loc.search} fallbackDate={roundupDate} />;
  } else if (path === '/login') {
    section = 'login';
    page = <LoginPage search={loc.search} />;
  } else if (path === '/review') {
    section = 'review';
    page = <ReviewPage search={loc.search} />;
  } else {
    page = (
      <section class="page narrow">
        <h1>Page not found</h1>
        <p>
          There is nothing at this address. <a href="/" onClick={onLinkClick}>Go to the map</a>.
        </p>
      </section>
    );
  }

  // Another page shown without a page load: take keyboard and screen-reader users to its content, as a load
  // would, rather than leaving focus on a link that is gone. A change of query only (a filter) keeps focus.
  // A layout effect, so focus moves as the page is shown: an effect runs after paint, and would take focus from a
  // field the user has already clicked and begun typing in.
  const shownPath = useRef(path);
  useLayoutEffect(() => {
    if (shownPath.current === path) return;
    shownPath.current = path;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);

  useEffect(() => {
    const titles = { map: 'Map', roundup: 'Roundup', event: 'Event', login: 'Log in', review: 'Review queue', none: 'Not found' };
    if (section !== 'event') document.title = `${titles[section]} · Turnout`;
  }, [section]);

  // on the map page the downloads carry its filters, as the list's links do
  const dl = section === 'map' ? toParams(parseFilters(loc.search)).toString() : '';
  const dlq = dl ? `?${dl}` : '';

  return (
    <>
      <header class="site-header">
        <a class="brand" href="/" onClick={onLinkClick}>
          Turnout
        </a>
        <nav aria-label="Main">
          <ul>
            <li>
              <a href="/" onClick={onLinkClick} aria-current={section === 'map' ? 'page' : undefined}>
                Map
              </a>
            </li>
            <li>
              <a href={roundupDate ? `/roundup?date=${roundupDate}` : '/roundup'} onClick={onLinkClick} aria-current={section === 'roundup' ? 'page' : undefined}>
                Roundup
              </a>
            </li>
            {isEditor(user) && (
              <li>
                <a href="/review" onClick={onLinkClick} aria-current={section === 'review' ? 'page' : undefined}>
                  Review
                </a>
              </li>
            )}
          </ul>
        </nav>
        <Account path={path} />
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
      <footer class="site-footer">
        <p>
          Data read from news coverage by Turnout. Size conventions follow the Crowd Counting Consortium. Basemap: Natural Earth and US Census boundaries (via world-atlas and
          us-atlas); place names from GeoNames (CC BY 4.0). Download{dl ? ' the events shown' : ''}: <a href={`/api/events.csv${dlq}`}>CSV</a> · <a href={`/api/events.geojson${dlq}`}>GeoJSON</a>
        </p>
      </footer>
    </>
  );
}

render(<App />, document.getElementById('app')!);
