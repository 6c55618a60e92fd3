// The HTTP server: the JSON API under /api and the web app, with strict security headers.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import type { Repository } from '../store/repository.js';
import { toStore, type Store } from '../store/store.js';
import { apiRoutes, type ApiOptions } from './api.js';
import { gzipAnswers } from './encoding.js';
import { feedRoutes } from './feeds.js';
import { verifiedOnlyView } from './published.js';
import { problem } from './problem.js';
import { staticHandler } from './static.js';

/** Content-Security-Policy: nothing but this origin; no inline script or style; the map's worker from here. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'geolocation=(), camera=(), microphone=()',
};

/** Longest request target accepted. */
const MAX_URL = 8192;

export interface AppOptions extends ApiOptions {
  /** the built web app (dist/web); when absent only the API is served */
  webRoot?: string | null;
}

/**
 * The web app and the API on a store: an asynchronous Store (SQLite or PostgreSQL), or a SQLite Repository, which is
 * served through asyncStore.
 */
export function createApp(source: Store | Repository, opts: AppOptions = {}): Hono {
  const repo = toStore(source);
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (c.req.url.length > MAX_URL) {
      const r = problem(c, 414, `the request URL is longer than ${MAX_URL} characters`);
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) r.headers.set(k, v);
      return r;
    }
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  });
  app.use('*', gzipAnswers());
  // with --verified-only every public read goes through the view that keeps checked events only
  const reader = opts.verifiedOnly ? verifiedOnlyView(repo) : repo;
  app.route('/api', apiRoutes(reader, opts));
  app.route('/feeds', feedRoutes(reader, opts));
  if (opts.webRoot) app.get('*', staticHandler(opts.webRoot));
  return app;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions extends AppOptions {
  repo: Store | Repository;
  host?: string;
  port?: number;
}

/** Starts listening (port 0 picks a free port) and resolves once the server accepts connections. */
export function startServer(opts: ServerOptions): Promise<RunningServer> {
  const app = createApp(opts.repo, opts);
  return new Promise((resolvePromise, reject) => {
    const server = serve({ fetch: app.fetch, hostname: opts.host ?? '127.0.0.1', port: opts.port ?? 8080 }, (info: AddressInfo) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolvePromise({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
