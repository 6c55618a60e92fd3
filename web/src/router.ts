// A tiny history-API router: the location is app state, links navigate without reloading the page.
import { useEffect, useState } from 'preact/hooks';

export interface Loc {
  path: string;
  search: string;
}

const listeners = new Set<() => void>();

function current(): Loc {
  return { path: location.pathname, search: location.search };
}

window.addEventListener('popstate', () => {
  for (const l of listeners) l();
});

/** Go to a same-origin path ("/event/abc", "/?region=CA"). `replace` keeps the history entry. */
export function navigate(href: string, opts: { replace?: boolean; keepScroll?: boolean } = {}): void {
  const url = new URL(href, location.href);
  if (url.origin !== location.origin) {
    location.assign(url.href);
    return;
  }
  const next = url.pathname + url.search + url.hash;
  if (next === location.pathname + location.search + location.hash) return;
  const samePage = url.pathname === location.pathname;
  if (opts.replace) history.replaceState(null, '', next);
  else history.pushState(null, '', next);
  if (!samePage && !opts.keepScroll) window.scrollTo(0, 0);
  for (const l of listeners) l();
}

export function useLocation(): Loc {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return loc;
}

/** Click handler for <a href="/..."> that keeps the page (modified clicks open new tabs as usual). */
export function onLinkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.currentTarget as HTMLAnchorElement;
  if (a.target && a.target !== '_self') return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  e.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}
