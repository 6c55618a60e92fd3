// robots.txt (RFC 9309) and a per-host politeness delay.
//
// Parsing is robots-parser's (RFC 9309): Turnout obeys the groups naming its product token ("Turnout",
// case-insensitive), else the "*" groups, else nothing is disallowed. Among the rules matching a path the
// longest pattern wins; on a tie Allow wins. Patterns may use "*" and a final "$". /robots.txt itself is
// always allowed.
//
// Fetching: robots.txt goes through safeFetch with the same SSRF checks (and allow-list) as any page.
//   - 2xx: parsed (up to 512 KiB).
//   - 4xx other than 429 (404, 410, and also 401/403 as RFC 9309 says): no rules, everything allowed.
//   - 429, 5xx, a timeout, a network or DNS failure, an oversized file: treated as "disallow everything",
//     cached only for `errorTtlMs` (default 10 minutes). Being conservative: a site that is failing or asking
//     us to slow down gets no page requests from us until it answers robots.txt properly again.
// Results are cached per origin (scheme, host, port) for `ttlMs` (default 1 hour); concurrent checks of one
// origin share one request.
import robotsParserModule from 'robots-parser';
import { ROBOTS_TOKEN, safeFetch, FetchError, type FetchOptions } from './http.js';

/** The rules of one robots.txt for one agent: whether a path (with its query) may be fetched. */
export interface RobotsRules {
  allows(pathAndQuery: string): boolean;
}

// (the package is CommonJS whose types declare an ES default export: Node hands the function itself to a default import)
const robotsParser = robotsParserModule as unknown as (url: string, text: string) => { isAllowed(url: string, ua?: string): boolean | undefined };

// robots-parser (a maintained RFC 9309 parser) reads rules for absolute URLs of the file's own origin: every
// file is read as if at this origin, and every path asked about is put under it
const ORIGIN = 'http://robots.invalid';

/** No rules: everything allowed (no robots.txt, or a 4xx for it). */
export const NO_RULES: RobotsRules = { allows: () => true };

/**
 * Reads robots.txt text for an agent token: its own groups ("User-agent: turnout/0.1" names "Turnout"), else
 * the "*" groups, else nothing is disallowed. Among the rules that match a path the longest wins, Allow on a
 * tie; "*" and a final "$" are patterns. /robots.txt itself is always allowed.
 */
export function parseRobots(text: string, token: string = ROBOTS_TOKEN): RobotsRules {
  const robots = robotsParser(`${ORIGIN}/robots.txt`, text);
  return {
    allows(pathAndQuery: string): boolean {
      const path = pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`;
      if (path === '/robots.txt') return true;
      return robots.isAllowed(`${ORIGIN}${path}`, token) !== false;
    },
  };
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
  rules: RobotsRules | 'disallow-all';
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
    return entry.rules.allows(u.pathname + u.search);
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
      entry = { expires: this.now() + ttlMs, rules: parseRobots(text, token), reason: `HTTP ${res.status}` };
    } catch (e) {
      if (e instanceof FetchError && e.code === 'http_status' && e.status! >= 400 && e.status! < 500 && e.status !== 429) {
        entry = { expires: this.now() + ttlMs, rules: NO_RULES, reason: `HTTP ${e.status}` };
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
