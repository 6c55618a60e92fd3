// A tiny HTTP server on 127.0.0.1 (port 0: the OS picks) for tests that fetch. Routes map a path (without
// the query) to a handler; "*" catches the rest; anything else is a 404. Every request is logged before its
// handler runs, so a test can assert that a server saw nothing. close() ends every open connection too
// (closeAllConnections), so handlers that never answer or write forever cannot keep the test runner alive.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

export interface LoggedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface TestServer {
  /** "http://127.0.0.1:PORT" (no trailing slash). */
  url: string;
  port: number;
  /** "127.0.0.1:PORT", as an allow-list entry. */
  host: string;
  requests: LoggedRequest[];
  /** Replaces or adds a route while the server runs. */
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export async function startServer(routes: Record<string, Handler> = {}): Promise<TestServer> {
  const table = new Map(Object.entries(routes));
  const requests: LoggedRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const path = (req.url ?? '/').split('?')[0];
    const handler = table.get(path) ?? table.get('*');
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    host: `127.0.0.1:${port}`,
    requests,
    route: (path, handler) => void table.set(path, handler),
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
