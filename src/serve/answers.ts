// Public answers kept between requests (issue 11). A read whose answer depends only on its path and query, the store
// and the server's calendar day (a page of events, the map's points, stats, exports, a roundup) is built once per
// store version and then served as bytes to everyone who asks the same until the store changes: with an ETag, so a
// client that holds it gets a 304 and no body, and with its gzip, made once by the first request that accepts it.
// Building a page of 500 events costs milliseconds of the one thread that answers every client; sending kept bytes
// costs a write. The builder is handed the URL and the day, never the request, so it cannot read who is calling:
// no caller's private answer (a session's, an editor's view) can be kept. `serve --verified-only` builds its app on
// the verified-only view of the store, with a cache of its own.
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { acceptsGzip, bytes, gzipAsync } from './encoding.js';

/** Bytes of kept answers (bodies and their gzips) in one server process; the least recently used go first. */
export const ANSWER_CACHE_BYTES = 64 * 1024 * 1024;

/** What a builder makes: the body, its content type, and any other header of the answer (a download's file name). */
export interface Built {
  body: string | Buffer;
  type: string;
  headers?: Record<string, string>;
}

/** An answer as kept: its bytes, their ETag, the store version it was built at, and its gzip once asked for. */
export interface Answer {
  key: string;
  version: string | null;
  body: Buffer;
  type: string;
  headers: Record<string, string>;
  /** the strong ETag of the body as it is (quoted); the gzip's is the same with "-gzip" inside the quotes */
  etag: string;
  gzip: Promise<Buffer> | null;
  /** bytes this answer holds in the cache: its body, and its gzip once made */
  size: number;
}

/** What a kept answer costs besides its bytes (its key, its headers, the entry), counted in the bound. */
export const ANSWER_OVERHEAD = 512;

/** `b` in memory of its own: a small Buffer is a slice of a shared 8 KB slab, which keeping it would keep whole. */
function own(b: Buffer): Buffer {
  if (b.buffer.byteLength === b.length) return b;
  const copy = Buffer.allocUnsafeSlow(b.length);
  b.copy(copy);
  return copy;
}

function answerOf(key: string, built: Built, version: string | null): Answer {
  const body = own(typeof built.body === 'string' ? Buffer.from(built.body) : built.body);
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  return { key, version, body, type: built.type, headers: built.headers ?? {}, etag, gzip: null, size: body.length + key.length + ANSWER_OVERHEAD };
}

/** The ETag of an answer's gzip: another representation, so another strong tag. */
function gzipTag(etag: string): string {
  return etag.slice(0, -1) + '-gzip"';
}

/**
 * Whether an If-None-Match header names the answer (either representation; weak comparison, as RFC 9110 asks for
 * GET), or is "*".
 */
export function notModified(header: string | undefined, answer: Answer): boolean {
  if (!header) return false;
  const gz = gzipTag(answer.etag);
  for (const raw of header.split(',')) {
    const tag = raw.trim().replace(/^W\//, '');
    if (tag === '*' || tag === answer.etag || tag === gz) return true;
  }
  return false;
}

/**
 * Kept answers by key (path, query and day), each valid at the store version it was built at. Bounded by `maxBytes`:
 * an answer larger than a quarter of it is served but not kept. Requests for an answer being built wait for it
 * rather than build it again.
 */
export class AnswerCache {
  private kept = new Map<string, Answer>();
  private building = new Map<string, Promise<Answer>>();
  private held = 0;

  constructor(readonly maxBytes = ANSWER_CACHE_BYTES) {}

  /** Bytes held now (bodies and gzips of kept answers). */
  get bytes(): number {
    return this.held;
  }

  /** Answers kept now. */
  get size(): number {
    return this.kept.size;
  }

  /**
   * The answer to `key` at store version `version`: the one kept, the one being built, or one built now. `version`
   * must be read before anything `build` reads, so that an answer is never older than its version says; a store
   * that cannot tell its version (null) has every answer built anew and none kept.
   */
  async get(key: string, version: string | null, build: () => Promise<Built>): Promise<Answer> {
    if (version === null) return answerOf(key, await build(), null);
    const hit = this.kept.get(key);
    if (hit && hit.version === version) {
      this.kept.delete(key);
      this.kept.set(key, hit);
      return hit;
    }
    const job = `${version}\u0000${key}`;
    let pending = this.building.get(job);
    if (!pending) {
      pending = build()
        .then((built) => this.keep(answerOf(key, built, version)))
        .finally(() => this.building.delete(job));
      this.building.set(job, pending);
    }
    return pending;
  }

  /** The answer's gzip, made once (off the main thread) and counted in the cache while the answer is kept. */
  gzipOf(answer: Answer): Promise<Buffer> {
    if (!answer.gzip) {
      answer.gzip = gzipAsync(answer.body).then(own);
      answer.gzip.then(
        (gz) => {
          answer.size += gz.length;
          if (this.kept.get(answer.key) === answer) {
            this.held += gz.length;
            this.evict();
          }
        },
        // (a failed gzip is made again by the next request that asks for it)
        () => (answer.gzip = null),
      );
    }
    return answer.gzip;
  }

  private keep(answer: Answer): Answer {
    if (answer.size > this.maxBytes / 4) return answer;
    const old = this.kept.get(answer.key);
    if (old) {
      this.kept.delete(answer.key);
      this.held -= old.size;
    }
    this.kept.set(answer.key, answer);
    this.held += answer.size;
    this.evict();
    return answer;
  }

  /** Drops the least recently used answers until the cache holds no more than maxBytes. */
  private evict(): void {
    for (const [key, answer] of this.kept) {
      if (this.held <= this.maxBytes) break;
      this.kept.delete(key);
      this.held -= answer.size;
    }
  }
}

/**
 * The HTTP response of a kept answer: a 304 when If-None-Match names it, its gzip when the client accepts gzip, else
 * its bytes. Clients may keep it but must ask again before using it (no-cache): the ETag makes asking cheap.
 */
export async function sendAnswer(c: Context, cache: AnswerCache, answer: Answer): Promise<Response> {
  const gz = acceptsGzip(c.req.header('accept-encoding'));
  const headers: Record<string, string> = {
    ...answer.headers,
    'content-type': answer.type,
    etag: gz ? gzipTag(answer.etag) : answer.etag,
    'cache-control': 'no-cache',
    vary: 'Accept-Encoding',
  };
  if (notModified(c.req.header('if-none-match'), answer)) {
    delete headers['content-type'];
    return c.body(null, 304, headers);
  }
  if (!gz) return c.body(bytes(answer.body), 200, headers);
  return c.body(bytes(await cache.gzipOf(answer)), 200, { ...headers, 'content-encoding': 'gzip' });
}
