// Serves the built web app (dist/web): files as they are, and index.html for the app's own routes.
import { readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { PLACE_LABELS_FILE } from './build.js';
import { acceptsGzip } from './encoding.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  // the map's worker is an ES module: browsers refuse a module script with any other type
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Text formats worth compressing (images and fonts already are). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt', '.webmanifest']);

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Turnout</title></head>
<body><h1>Turnout</h1><p>The web app is not built. Run <code>npm start</code> or <code>npx turnout serve</code>, which build it,
or use the API: <a href="/api/openapi.json">/api/openapi.json</a>.</p></body></html>`;

function readFile(path: string): Buffer | null {
  try {
    return statSync(path).isFile() ? readFileSync(path) : null;
  } catch {
    return null;
  }
}

/** A handler for GET requests outside /api: a file under root, or the app's index.html for client routes. */
export function staticHandler(webRoot: string) {
  const root = resolve(webRoot);
  const cache = new Map<string, Buffer | null>();
  const load = (path: string) => {
    if (!cache.has(path)) cache.set(path, readFile(path));
    return cache.get(path)!;
  };
  // the built files do not change while the server runs: each is compressed once, at the highest level
  const gzipped = new Map<string, Buffer>();
  const gzipOf = (path: string, body: Buffer) => {
    let gz = gzipped.get(path);
    if (!gz) {
      gz = gzipSync(body, { level: 9 });
      gzipped.set(path, gz);
    }
    return gz;
  };
  return (c: Context): Response => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return c.text('bad path encoding', 400);
    }
    if (path.includes('\0')) return c.text('bad path', 400);
    const file = resolve(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) return c.text('not found', 404);
    const body = path.endsWith('/') ? null : load(file);
    if (body) {
      const immutable = path.startsWith('/assets/');
      // the map's place names change only when the gazetteer is rebuilt: every page of a visit may reuse them
      const daily = path === `/${PLACE_LABELS_FILE}`;
      const headers: Record<string, string> = {
        'content-type': contentType(file),
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : daily ? 'public, max-age=3600' : 'no-cache',
        vary: 'Accept-Encoding',
      };
      if (body.length > 1024 && COMPRESSIBLE.has(extname(file).toLowerCase()) && acceptsGzip(c.req.header('accept-encoding'))) {
        return c.body(new Uint8Array(gzipOf(file, body)), 200, { ...headers, 'content-encoding': 'gzip' });
      }
      return c.body(new Uint8Array(body), 200, headers);
    }
    // a missing file (anything with an extension) is a 404; any other path is one of the app's routes
    if (extname(path)) return c.text('not found', 404);
    const index = load(join(root, 'index.html'));
    return c.body(index ? new Uint8Array(index) : NOT_BUILT, 200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-cache' });
  };
}
