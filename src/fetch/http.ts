// One GET over HTTP(S), as a good citizen and safely: a clear User-Agent, conditional requests, robots.txt
// and a per-host delay when asked; SSRF checks after DNS resolution and on every redirect hop, with the
// connection pinned to the vetted address; connect and total timeouts; caps on bytes on the wire and after
// decompression. Every failure is a FetchError with a code.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { type Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { allowHostsFromEnv, classifyAddress, hostAllowed, parseIpv4Loose } from './address.js';
import type { Politeness, RobotsCache } from './robots.js';

/**
 * Names the project and what it does; an operator adds how to reach them (a URL or an address) with
 * TURNOUT_CONTACT, as site owners expect of a crawler.
 */
export const USER_AGENT = `Turnout/0.1 (open protest-event record${process.env.TURNOUT_CONTACT ? `; +${process.env.TURNOUT_CONTACT.replace(/[^\x20-\x7e]/g, '').slice(0, 200)}` : ''})`;

/** The product token robots.txt groups are matched against. */
export const ROBOTS_TOKEN = 'Turnout';

const MiB = 1024 * 1024;

export interface FetchOptions {
  /** Conditional GET: sent as If-None-Match / If-Modified-Since. */
  etag?: string | null;
  lastModified?: string | null;
  /** Hosts ("name" or "name:port") exempt from the address check. Default: TURNOUT_ALLOW_HOSTS. */
  allowHosts?: string[];
  /** Time to establish the TCP connection, per hop. Default 10 s. */
  connectTimeoutMs?: number;
  /** Deadline for the whole fetch (all hops, DNS, robots.txt, body download). Default 30 s. Time spent
   * waiting for the host's politeness turn does not count. */
  timeoutMs?: number;
  /** Cap on body bytes as received (compressed). Default 10 MiB. */
  maxBytes?: number;
  /** Cap on body bytes after decompression. Default 20 MiB, or twice maxBytes when only maxBytes is given. */
  maxDecompressedBytes?: number;
  /** Redirects followed; one more is 'too_many_redirects'. Default 5. */
  maxRedirects?: number;
  accept?: string;
  /** When given, robots.txt is checked for the URL's origin and for every redirect target. */
  robots?: RobotsCache | null;
  /** When given, waits for the host's turn before each request (each hop). */
  politeness?: Politeness | null;
  signal?: AbortSignal;
}

export interface FetchResult {
  /** Final URL after redirects. */
  url: string;
  /** 2xx, or 304 when notModified. */
  status: number;
  notModified: boolean;
  /** Media type without parameters, lowercased. */
  contentType: string | null;
  /** From the Content-Type header only, lowercased. */
  charset: string | null;
  /** Decompressed body; empty when notModified. */
  bytes: Uint8Array;
  etag: string | null;
  lastModified: string | null;
  /** Each URL redirected from, in order. */
  redirects: string[];
}

export type FetchErrorCode =
  | 'bad_url' // not http(s), credentials in the URL, unparseable, or a bad redirect Location
  | 'ssrf' // resolves to a non-public address and the host is not allow-listed
  | 'dns'
  | 'connect_timeout'
  | 'timeout' // the total deadline passed
  | 'too_large' // over maxBytes on the wire or maxDecompressedBytes after decoding
  | 'too_many_redirects'
  | 'http_status' // a non-2xx answer other than 304 and followed redirects
  | 'robots' // robots.txt disallows the URL
  | 'decompress' // a corrupt or unsupported Content-Encoding
  | 'network'; // refused, reset, TLS failure, aborted by the caller's signal

export class FetchError extends Error {
  readonly code: FetchErrorCode;
  readonly url: string;
  readonly status?: number;

  constructor(code: FetchErrorCode, url: string, message: string, opts?: { status?: number; cause?: unknown }) {
    super(message, opts?.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'FetchError';
    this.code = code;
    this.url = url;
    if (opts?.status !== undefined) this.status = opts.status;
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Checks scheme and credentials; returns the parsed URL. */
export function checkUrl(url: string, base?: string): URL {
  let u: URL;
  try {
    u = new URL(url, base);
  } catch {
    throw new FetchError('bad_url', url, `refused ${url}: not a valid URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new FetchError('bad_url', u.href, `refused ${u.href}: only http: and https: URLs are fetched`);
  }
  if (u.username || u.password) {
    throw new FetchError('bad_url', u.href, `refused ${redact(u)}: credentials in URLs are not allowed`);
  }
  if (!u.hostname) throw new FetchError('bad_url', u.href, `refused ${u.href}: no host`);
  return u;
}

function redact(u: URL): string {
  const c = new URL(u.href);
  c.username = '';
  c.password = '';
  return c.href;
}

function bareHostname(u: URL): string {
  const h = u.hostname;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

function effectivePort(u: URL): string {
  return u.port || (u.protocol === 'https:' ? '443' : '80');
}

/** Whether the URL's host (on its port) is on the allow-list. */
export function urlAllowed(u: URL, allowHosts: string[]): boolean {
  const host = bareHostname(u);
  return hostAllowed(`${host.includes(':') ? `[${host}]` : host}:${effectivePort(u)}`, allowHosts);
}

const ARTICLE: Record<string, string> = { loopback: 'a loopback', private: 'a private', 'link-local': 'a link-local', special: 'a special-purpose' };

/**
 * Resolves the URL's host to the addresses to connect to, refusing (FetchError 'ssrf') when any of them is
 * not public and the host is not allow-listed. IP literals are not looked up.
 */
export async function vetHost(u: URL, allowHosts: string[], signal?: AbortSignal): Promise<LookupAddress[]> {
  const host = bareHostname(u);
  let addresses: LookupAddress[];
  const family = isIP(host);
  const loose = family ? null : parseIpv4Loose(host);
  if (family) addresses = [{ address: host, family }];
  else if (loose) addresses = [{ address: loose, family: 4 }];
  else {
    try {
      addresses = await abortable(
        new Promise<LookupAddress[]>((resolve, reject) =>
          dnsLookup(host, { all: true }, (err, list) => (err ? reject(err) : resolve(list))),
        ),
        signal,
      );
    } catch (e) {
      if (signal?.aborted) throw e;
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new FetchError('dns', u.href, `cannot resolve ${host} for ${u.href}: ${code}`, { cause: e });
    }
    if (addresses.length === 0) throw new FetchError('dns', u.href, `cannot resolve ${host} for ${u.href}: no addresses`);
  }
  if (urlAllowed(u, allowHosts)) return addresses;
  for (const a of addresses) {
    const cls = classifyAddress(a.address);
    if (cls !== 'public') {
      const what = a.address === host ? `${a.address} is ${ARTICLE[cls]} address` : `${host} resolves to ${a.address}, ${ARTICLE[cls]} address`;
      throw new FetchError('ssrf', u.href, `refused ${u.href}: ${what} (allow it with --allow-host or TURNOUT_ALLOW_HOSTS)`);
    }
  }
  return addresses;
}

/** Rejects with the signal's reason as soon as it aborts. */
function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

/** A `lookup` for http.request that answers with the vetted addresses only: no second resolution. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (options?.all) cb(null, addresses);
    else cb(null, addresses[0].address, addresses[0].family);
  }) as unknown as LookupFunction;
}

function parseContentType(v: string | undefined): { type: string | null; charset: string | null } {
  if (!v) return { type: null, charset: null };
  const [media, ...params] = v.split(';');
  const type = media.trim().toLowerCase() || null;
  let charset: string | null = null;
  for (const p of params) {
    const m = /^\s*charset\s*=\s*(?:"([^"]*)"|([^\s;]*))/i.exec(p);
    if (m) charset = (m[1] ?? m[2] ?? '').trim().toLowerCase() || null;
  }
  return { type, charset };
}

function header(res: http.IncomingMessage, name: string): string | null {
  const v = res.headers[name];
  if (Array.isArray(v)) return v[0] ?? null;
  return v ?? null;
}

/**
 * A deflate decoder that accepts both zlib-wrapped (RFC 1950, what the standard says) and raw (RFC 1951,
 * what some servers send) data, deciding on the first two bytes: a zlib header has compression method 8 in
 * the low nibble and is a multiple of 31.
 */
class InflateAny extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | null = null;
  private head = Buffer.alloc(0);

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (!this.inner) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 2) return cb();
      const wrapped = (this.head[0] & 0x0f) === 8 && ((this.head[0] << 8) | this.head[1]) % 31 === 0;
      const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
      this.inner = wrapped ? zlib.createInflate(flush) : zlib.createInflateRaw(flush);
      this.inner.on('data', (d: Buffer) => this.push(d));
      this.inner.on('error', (e) => this.destroy(e));
      chunk = this.head;
    }
    this.inner.write(chunk, () => cb());
  }

  override _flush(cb: (e?: Error | null) => void): void {
    if (!this.inner) return cb(this.head.length ? new Error('truncated deflate data') : null);
    this.inner.once('end', () => cb());
    this.inner.end();
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    this.inner?.destroy();
    cb(err);
  }
}

function decoderFor(encoding: string): Transform | null {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      return new InflateAny();
    case 'br':
      return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      return null;
  }
}

interface HopResult {
  kind: 'redirect' | 'done';
  location?: string;
  result?: Omit<FetchResult, 'url' | 'redirects'>;
}

interface HopParams {
  u: URL;
  addresses: LookupAddress[];
  headers: Record<string, string>;
  connectTimeoutMs: number;
  maxBytes: number;
  maxDecompressedBytes: number;
  signal: AbortSignal;
  /** Turns the abort reason into the error to throw. */
  abortError: () => FetchError;
}

/** One request/response exchange; resolves with a redirect to follow or the finished result. */
function exchange(p: HopParams): Promise<HopResult> {
  const { u } = p;
  const href = u.href;
  return new Promise<HopResult>((resolve, reject) => {
    let settled = false;
    let connectTimer: NodeJS.Timeout | null = null;
    const streams: { destroy(): void }[] = [];
    const cleanup = () => {
      if (connectTimer) clearTimeout(connectTimer);
      p.signal.removeEventListener('abort', onAbort);
      for (const s of streams) s.destroy();
      req.destroy();
    };
    const fail = (e: FetchError) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(e);
    };
    const succeed = (r: HopResult) => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(r);
    };
    const onAbort = () => fail(p.abortError());

    const mod = u.protocol === 'https:' ? https : http;
    const host = bareHostname(u);
    const req = mod.request({
      protocol: u.protocol,
      host,
      port: effectivePort(u),
      path: u.pathname + u.search,
      method: 'GET',
      headers: p.headers,
      agent: false,
      lookup: pinnedLookup(p.addresses),
      ...(u.protocol === 'https:' && !isIP(host) ? { servername: host } : {}),
    });
    if (p.signal.aborted) return onAbort();
    p.signal.addEventListener('abort', onAbort, { once: true });

    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(
        () => fail(new FetchError('connect_timeout', href, `connect timeout for ${href} after ${p.connectTimeoutMs} ms`)),
        p.connectTimeoutMs,
      );
      socket.once('connect', () => {
        if (connectTimer) clearTimeout(connectTimer);
        connectTimer = null;
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (p.signal.aborted) return onAbort();
      fail(new FetchError('network', href, `network error for ${href}: ${e.code ?? e.message}`, { cause: e }));
    });
    req.on('response', (res) => {
      streams.push(res);
      const status = res.statusCode ?? 0;
      const location = header(res, 'location');
      if (REDIRECTS.has(status) && location) {
        res.resume();
        return succeed({ kind: 'redirect', location });
      }
      const etag = header(res, 'etag');
      const lastModified = header(res, 'last-modified');
      const { type, charset } = parseContentType(header(res, 'content-type') ?? undefined);
      if (status === 304) {
        res.resume();
        return succeed({
          kind: 'done',
          result: { status, notModified: true, contentType: type, charset, bytes: new Uint8Array(0), etag, lastModified },
        });
      }
      if (status < 200 || status > 299) {
        return fail(new FetchError('http_status', href, `HTTP ${status} for ${href}`, { status }));
      }
      const length = Number(header(res, 'content-length'));
      if (Number.isFinite(length) && length > p.maxBytes) {
        return fail(new FetchError('too_large', href, `${href} is ${length} bytes, over the ${p.maxBytes}-byte cap`));
      }

      // Decoders, outermost encoding last in the header, so applied in reverse order.
      const encodings = (header(res, 'content-encoding') ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s && s !== 'identity')
        .reverse();
      const decoders: Transform[] = [];
      for (const enc of encodings) {
        const d = decoderFor(enc);
        if (!d) return fail(new FetchError('decompress', href, `unsupported Content-Encoding ${enc} for ${href}`));
        decoders.push(d);
        streams.push(d);
        d.on('error', (e) => fail(new FetchError('decompress', href, `cannot decode ${enc} body of ${href}: ${e.message}`, { cause: e })));
      }
      for (let i = 0; i + 1 < decoders.length; i++) decoders[i].pipe(decoders[i + 1]);
      const first = decoders[0] ?? null;
      const last: Readable = decoders[decoders.length - 1] ?? res;

      let wire = 0;
      let decoded = 0;
      const chunks: Buffer[] = [];
      const tooLarge = (what: string, cap: number) =>
        fail(new FetchError('too_large', href, `${href} is over the ${cap}-byte cap ${what}`));
      if (first) {
        res.on('data', (chunk: Buffer) => {
          wire += chunk.length;
          if (wire > p.maxBytes) return tooLarge('on the wire', p.maxBytes);
          if (!first.write(chunk)) {
            res.pause();
            first.once('drain', () => res.resume());
          }
        });
        res.on('end', () => first.end());
      }
      last.on('data', (chunk: Buffer) => {
        if (settled) return;
        if (!first) {
          wire += chunk.length;
          if (wire > p.maxBytes) return tooLarge('on the wire', p.maxBytes);
        }
        decoded += chunk.length;
        if (decoded > p.maxDecompressedBytes) return tooLarge('after decompression', p.maxDecompressedBytes);
        chunks.push(chunk);
      });
      last.on('end', () => {
        if (!res.complete) {
          return fail(new FetchError('network', href, `connection closed before the end of the body of ${href}`));
        }
        const buf = Buffer.concat(chunks);
        succeed({
          kind: 'done',
          result: {
            status,
            notModified: false,
            contentType: type,
            charset,
            bytes: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength),
            etag,
            lastModified,
          },
        });
      });
      res.on('error', (e) => {
        if (p.signal.aborted) return onAbort();
        fail(new FetchError('network', href, `network error reading ${href}: ${e.message}`, { cause: e }));
      });
      res.on('aborted', () => fail(new FetchError('network', href, `connection closed before the end of the body of ${href}`)));
    });
    req.end();
  });
}

/**
 * GET a URL safely. Throws FetchError for every refusal or failure; see FetchErrorCode. With `robots`, each
 * URL (the first and every redirect target) is checked against its origin's robots.txt; with `politeness`,
 * each request waits for its host's turn.
 */
export async function safeFetch(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const allowHosts = opts.allowHosts ?? allowHostsFromEnv();
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxBytes ?? 10 * MiB;
  const maxDecompressedBytes = opts.maxDecompressedBytes ?? (opts.maxBytes !== undefined ? 2 * maxBytes : 20 * MiB);
  const maxRedirects = opts.maxRedirects ?? 5;

  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    accept: opts.accept ?? '*/*',
    'accept-encoding': 'gzip, deflate, br',
  };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;

  let u = checkUrl(url);
  const redirects: string[] = [];

  // The total deadline: a budget that runs except while waiting for the politeness turn.
  let budget = timeoutMs;
  let current = u.href;
  const timed = async <T>(work: (signal: AbortSignal, abortError: () => FetchError) => Promise<T>): Promise<T> => {
    const started = Date.now();
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(new Error('timeout')), Math.max(0, budget));
    const onOuter = () => ctl.abort(opts.signal!.reason);
    opts.signal?.addEventListener('abort', onOuter, { once: true });
    if (opts.signal?.aborted) onOuter();
    const abortError = () =>
      opts.signal?.aborted
        ? new FetchError('network', current, `fetch of ${current} aborted`, { cause: opts.signal.reason })
        : new FetchError('timeout', current, `timeout for ${current}: over the ${timeoutMs} ms deadline`);
    try {
      return await work(ctl.signal, abortError);
    } catch (e) {
      if (ctl.signal.aborted && !(e instanceof FetchError)) throw abortError();
      throw e;
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onOuter);
      budget -= Date.now() - started;
    }
  };

  for (;;) {
    current = u.href;
    const addresses = await timed((signal) => vetHost(u, allowHosts, signal));
    if (opts.robots) {
      const robots = opts.robots;
      const ok = await timed((signal) => abortable(robots.allowed(u.href), signal));
      if (!ok) throw new FetchError('robots', u.href, `refused ${u.href}: disallowed by robots.txt`);
    }
    if (opts.politeness) {
      try {
        await opts.politeness.wait(u.hostname, opts.signal);
      } catch (e) {
        throw new FetchError('network', u.href, `fetch of ${u.href} aborted`, { cause: e });
      }
    }
    const hop = await timed((signal, abortError) =>
      exchange({ u, addresses, headers, connectTimeoutMs, maxBytes, maxDecompressedBytes, signal, abortError }),
    );
    if (hop.kind === 'done') {
      const r = hop.result!;
      return {
        url: u.href,
        ...r,
        etag: r.etag ?? (r.notModified ? opts.etag ?? null : null),
        lastModified: r.lastModified ?? (r.notModified ? opts.lastModified ?? null : null),
        redirects,
      };
    }
    if (redirects.length >= maxRedirects) {
      throw new FetchError('too_many_redirects', u.href, `too many redirects: ${u.href} is redirect number ${redirects.length + 1} (at most ${maxRedirects})`);
    }
    let next: URL;
    try {
      next = checkUrl(hop.location!, u.href);
    } catch (e) {
      if (e instanceof FetchError) {
        throw new FetchError('bad_url', e.url, `redirect from ${u.href}: ${e.message}`);
      }
      throw e;
    }
    redirects.push(u.href);
    u = next;
  }
}
