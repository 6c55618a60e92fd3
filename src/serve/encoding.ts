// Content negotiation shared by the API and the static files, and the gzip of answers made per request.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Context, Next } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';

/** gzip on libuv's thread pool, not the thread that answers. */
export const gzipAsync = promisify(gzip);

/** A Buffer as the Uint8Array a response body takes, without copying it. */
export function bytes(b: Buffer): Uint8Array<ArrayBuffer> {
  return new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength);
}

/** Whether an Accept-Encoding header admits gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  const m = /(?:^|,)\s*(gzip|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?/i.exec(header ?? '');
  return m !== null && (m[2] === undefined || Number(m[2]) > 0);
}

/** Bodies smaller than this are sent as they are. */
const GZIP_MIN = 1024;

/**
 * Gzips a compressible answer when the client accepts gzip, unless its handler already chose an encoding (kept
 * answers and static files carry theirs). Unlike hono's compress middleware, it leaves the response alone for a
 * client that does not accept gzip, apart from a Vary header: rebuilding a response turns its body into a stream,
 * which costs every request of a megabyte answer more than writing it.
 */
export function gzipAnswers() {
  return async (c: Context, next: Next): Promise<void> => {
    await next();
    const res = c.res;
    if (res.status !== 200 || c.req.method === 'HEAD' || res.headers.has('content-encoding')) return;
    const type = res.headers.get('content-type');
    if (!type || !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) || /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get('cache-control') ?? '')) return;
    const vary = res.headers.get('vary');
    if (!vary || !/(?:^|,)\s*(?:accept-encoding|\*)\s*(?:,|$)/i.test(vary)) res.headers.set('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    if (!acceptsGzip(c.req.header('accept-encoding'))) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    let out = body;
    if (body.byteLength >= GZIP_MIN) {
      const gz = await gzipAsync(body);
      out = bytes(gz);
      headers.set('content-encoding', 'gzip');
      headers.delete('content-length');
      const etag = headers.get('etag');
      if (etag && !etag.startsWith('W/')) headers.set('etag', `W/${etag}`);
    }
    // (set through undefined: Hono's setter would otherwise rebuild the new response around a stream of its body)
    c.res = undefined;
    c.res = new Response(out, { status: res.status, headers });
  };
}
