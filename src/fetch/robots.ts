// robots.txt (RFC 9309) and a per-host politeness delay.
//
// Parsing: groups start with one or more User-agent lines; Allow/Disallow lines apply to every agent of the
// group. Turnout obeys the groups naming its product token ("Turnout", case-insensitive; several such groups
// are merged), else the "*" groups, else nothing is disallowed. Among the rules matching a path the longest
// pattern wins; on a tie Allow wins. Patterns may use "*" (any run of characters) and a final "$" (end of
// the path). /robots.txt itself is always allowed.
//
// Fetching: robots.txt goes through safeFetch with the same SSRF checks (and allow-list) as any page.
//   - 2xx: parsed (up to 512 KiB).
//   - 4xx other than 429 (404, 410, and also 401/403 as RFC 9309 says): no rules, everything allowed.
//   - 429, 5xx, a timeout, a network or DNS failure, an oversized file: treated as "disallow everything",
//     cached only for `errorTtlMs` (default 10 minutes). Being conservative: a site that is failing or asking
//     us to slow down gets no page requests from us until it answers robots.txt properly again.
// Results are cached per origin (scheme, host, port) for `ttlMs` (default 1 hour); concurrent checks of one
// origin share one request.
import { ROBOTS_TOKEN, safeFetch, FetchError, type FetchOptions } from './http.js';

export interface RobotsRule {
  allow: boolean;
  pattern: string;
}

export interface RobotsGroup {
  agents: string[];
  rules: RobotsRule[];
}

/** Parses robots.txt text into groups. Unknown lines (Sitemap, Crawl-delay, typos) are ignored. */
export function parseRobots(text: string): RobotsGroup[] {
  const groups: RobotsGroup[] = [];
  let current: RobotsGroup | null = null;
  let lastWasAgent = false;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent' || key === 'useragent' || key === 'user agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [] };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
    } else if (key === 'allow' || key === 'disallow') {
      lastWasAgent = false;
      if (!current) continue; // rules before any User-agent line belong to no group
      if (value === '') continue; // "Disallow:" with nothing means no restriction
      current.rules.push({ allow: key === 'allow', pattern: value });
    }
    // Other lines (Sitemap, Crawl-delay, unknown) neither start nor end a group.
  }
  return groups;
}

/** The rules that apply to an agent token: its own groups merged, else the "*" groups, else none. */
export function rulesFor(groups: RobotsGroup[], token: string = ROBOTS_TOKEN): RobotsRule[] {
  const t = token.toLowerCase();
  const named = (agent: string) => agent.split(/[/\s]/)[0] === t;
  const own = groups.filter((g) => g.agents.some(named));
  const chosen = own.length ? own : groups.filter((g) => g.agents.includes('*'));
  return chosen.flatMap((g) => g.rules);
}

/** Percent-encodes what a URL would encode and uppercases existing escapes, so patterns and paths compare. */
function normalisePath(p: string): string {
  let s = p;
  try {
    s = encodeURI(decodeURI(p));
  } catch {
    // Malformed escapes: compare as written.
  }
  return s.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
}

const compiled = new Map<string, RegExp>();

function patternRegex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    let p = pattern.startsWith('/') || pattern.startsWith('*') ? pattern : '/' + pattern;
    const anchored = p.endsWith('$');
    if (anchored) p = p.slice(0, -1);
    const body = normalisePath(p.replace(/\*+/g, '\u0000'))
      .split('%00')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp('^' + body + (anchored ? '$' : ''), 's');
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

/** Whether a path (with its query) is allowed by the rules: longest matching pattern wins, Allow on ties. */
export function isAllowed(rules: RobotsRule[], pathAndQuery: string): boolean {
  const path = normalisePath(pathAndQuery || '/');
  if (path === '/robots.txt') return true;
  let best: RobotsRule | null = null;
  for (const r of rules) {
    if (!patternRegex(r.pattern).test(path)) continue;
    if (!best || r.pattern.length > best.pattern.length || (r.pattern.length === best.pattern.length && r.allow && !best.allow)) {
      best = r;
    }
  }
  return best ? best.allow : true;
}

export interface RobotsCacheOptions extends Omit<FetchOptions, 'robots' | 'etag' | 'lastModified' | 'accept'> {
  /** How long a fetched robots.txt (or a 4xx "no rules") is trusted. Default 1 hour. */
  ttlMs?: number;
  /** How long a failed robots.txt fetch (5xx, 429, network) disallows the origin. Default 10 minutes. */
  errorTtlMs?: number;
  /** Agent token matched against User-agent lines. Default "Turnout". */
  token?: string;
  /** Clock, for tests. */
  now?: () => number;
}

interface Entry {
  expires: number;
  rules: RobotsRule[] | 'disallow-all';
  /** Why, for logs: "fetched", "HTTP 404", "HTTP 503", "timeout"... */
  reason: string;
}

export class RobotsCache {
  private readonly opts: RobotsCacheOptions;
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();

  constructor(opts: RobotsCacheOptions = {}) {
    this.opts = opts;
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  /** Whether robots.txt of the URL's origin lets Turnout fetch the URL. Never throws for fetch failures. */
  async allowed(url: string): Promise<boolean> {
    const u = new URL(url);
    const entry = await this.entry(u.origin);
    if (entry.rules === 'disallow-all') return false;
    return isAllowed(entry.rules, u.pathname + u.search);
  }

  /** Why the origin's robots.txt state is what it is (after `allowed` was called), or null. */
  reason(url: string): string | null {
    return this.entries.get(new URL(url).origin)?.reason ?? null;
  }

  private async entry(origin: string): Promise<Entry> {
    const cached = this.entries.get(origin);
    if (cached && cached.expires > this.now()) return cached;
    let p = this.inflight.get(origin);
    if (!p) {
      p = this.load(origin).finally(() => this.inflight.delete(origin));
      this.inflight.set(origin, p);
    }
    return p;
  }

  private async load(origin: string): Promise<Entry> {
    const { ttlMs = 3_600_000, errorTtlMs = 600_000, token, now: _now, ...fetchOpts } = this.opts;
    let entry: Entry;
    try {
      const res = await safeFetch(origin + '/robots.txt', {
        maxBytes: 512 * 1024,
        timeoutMs: 15_000,
        ...fetchOpts,
        robots: null,
        accept: 'text/plain, */*;q=0.1',
      });
      const text = new TextDecoder('utf-8').decode(res.bytes);
      entry = { expires: this.now() + ttlMs, rules: rulesFor(parseRobots(text), token), reason: `HTTP ${res.status}` };
    } catch (e) {
      if (e instanceof FetchError && e.code === 'http_status' && e.status! >= 400 && e.status! < 500 && e.status !== 429) {
        entry = { expires: this.now() + ttlMs, rules: [], reason: `HTTP ${e.status}` };
      } else {
        const reason = e instanceof FetchError ? (e.status ? `HTTP ${e.status}` : e.code) : String(e);
        entry = { expires: this.now() + errorTtlMs, rules: 'disallow-all', reason };
      }
    }
    this.entries.set(origin, entry);
    if (this.entries.size > 10_000) this.prune();
    return entry;
  }

  private prune(): void {
    const t = this.now();
    for (const [k, v] of this.entries) if (v.expires <= t) this.entries.delete(k);
  }
}

/**
 * A minimum interval between the starts of requests to one host. wait() reserves the host's next slot at
 * once (so concurrent callers queue in call order) and resolves when the slot comes.
 */
export class Politeness {
  private readonly next = new Map<string, number>();

  constructor(private readonly minIntervalMs = 1000) {}

  async wait(host: string, signal?: AbortSignal): Promise<void> {
    const key = host.toLowerCase();
    const t = Date.now();
    const slot = Math.max(t, this.next.get(key) ?? 0);
    this.next.set(key, slot + this.minIntervalMs);
    if (this.next.size > 10_000) for (const [k, v] of this.next) if (v < t) this.next.delete(k);
    const delay = slot - t;
    if (delay <= 0) return;
    await new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, delay);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
