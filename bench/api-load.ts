// The API benchmarks' shared pieces (bench/api.bench.ts on SQLite, bench/api-pg.bench.ts on PostgreSQL beside it):
// a `turnout serve` started as its own process on 127.0.0.1, a loopback load with autocannon that keeps every
// response's latency, and the request mix both measure. Not a test.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../test/helpers/shared.js';
import { pct } from './common.js';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Concurrent connections of the loopback load: one client, a few, and more than the server has cores. */
export const LOADS = [1, 4, 8];

/** The requests measured on the 100,000-event store: a label and the path with its query. */
export const REQUESTS = {
  page: { label: 'GET /api/events?limit=500', path: '/api/events?limit=500' },
  bbox: { label: 'GET /api/events bbox (Northeast), 500', path: '/api/events?limit=500&bbox=-80,38,-70,43' },
  regionDate: { label: 'GET /api/events region+from, 500', path: '/api/events?limit=500&region=CA&from=2025-03-01' },
  search: { label: 'GET /api/events?q=gaza, 100', path: '/api/events?limit=100&q=gaza' },
  points: { label: 'GET /api/points (all events)', path: '/api/points' },
} as const;

/** What one load run measured: latency percentiles (ms), requests per second, mean response size, non-200 answers. */
export interface LoadResult {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  kb: number;
  errors: number;
}

/**
 * Starts `turnout serve --db DB --no-watch` (a SQLite file or a postgres:// address) as a separate process on an
 * ephemeral 127.0.0.1 port, so the server does not share a core with the load generator; resolves with its address.
 */
export async function startServe(db: string, extra: string[] = []): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli.ts'), 'serve', '--db', db, '--port', '0', '--no-watch', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`turnout serve exited with ${code}`)));
  });
  return { url, stop: () => new Promise<void>((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))) };
}

/**
 * The paths of the first `max` pages of `path` (following next_cursor from the server at `base`): a walk whose every
 * answer is another, so that the server builds each one (the cache keeps answers by version and request; a cycle of
 * 200 pages of 1 MB is longer than it holds, and it drops the least recently used first).
 */
export async function pagePaths(base: string, path: string, max = 200): Promise<string[]> {
  const paths = [path];
  for (;;) {
    const page = (await (await fetch(base + paths[paths.length - 1])).json()) as { next_cursor: string | null };
    if (!page.next_cursor || paths.length >= max) return paths;
    paths.push(`${path}&cursor=${encodeURIComponent(page.next_cursor)}`);
  }
}

/**
 * Loads `url` with `connections` concurrent loopback clients for SECONDS seconds and measures every response; with
 * `paths`, the clients ask for them in turn (on the server of `url`) instead of `url` over and over.
 */
export async function measure(url: string, connections: number, paths?: string[]): Promise<LoadResult> {
  const latencies: number[] = [];
  let bytes = 0;
  let errors = 0;
  let next = 0;
  const requests = paths ? [{ setupRequest: (req: autocannon.Request) => ({ ...req, path: paths[next++ % paths.length]! }) }] : undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: SECONDS, requests }, (err, r) => (err ? reject(err) : resolve(r)));
    instance.on('response', (_client, status, resBytes, ms) => {
      if (status !== 200) errors++;
      latencies.push(ms);
      bytes += resBytes;
    });
  });
  latencies.sort((a, b) => a - b);
  const n = Math.max(1, latencies.length);
  return { p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), rps: latencies.length / (result.duration || SECONDS), kb: bytes / n / 1024, errors };
}

/** A load result on one line: percentiles, req/s, and non-200 answers when there were any. */
export function formatResult(r: LoadResult): string {
  return `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s${r.errors ? `, ${r.errors} non-200` : ''}`;
}
