// Benchmark of the served record on a store of 100,000 events generated from the CCC rows (bench/large-store):
//   - GET /api/events (a page of 500; a bbox query) under a loopback load with autocannon: p50/p95/p99, req/s;
//   - GET /api/points for the whole store (what the map loads);
//   - time to first map render in headless chromium (navigation start to the map drawing its points);
//   - the gzipped size of the web bundle.
// The server runs as its own `turnout serve` process, so it does not share a core with the load generator.
// Everything talks to 127.0.0.1 only. Not a test: figures go in the README.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBuilt } from '../src/serve/build.js';
import { CHROMIUM, launchChromium } from '../test/helpers/browser.js';
import { REPO_ROOT } from '../test/helpers/shared.js';
import { CCC_FILE, largeStore } from './large-store.js';

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Concurrent connections of the loopback load: one client, a few, and more than the server has cores. */
const LOADS = [1, 4, 8];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startServe(db: string, extra: string[] = []): Promise<{ url: string; stop(): Promise<void> }> {
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

async function load(url: string, label: string, connections: number): Promise<void> {
  const latencies: number[] = [];
  let bytes = 0;
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: SECONDS }, (err, r) => (err ? reject(err) : resolve(r)));
    instance.on('response', (_client, status, resBytes, ms) => {
      if (status !== 200) errors++;
      latencies.push(ms);
      bytes += resBytes;
    });
  });
  latencies.sort((a, b) => a - b);
  const rps = latencies.length / (result.duration || SECONDS);
  console.log(
    `  ${label.padEnd(38)} ${String(connections).padStart(2)} conn: p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, ` +
      `${rps.toFixed(0)} req/s, ${(bytes / latencies.length / 1024).toFixed(0)} KB/response${errors ? `, ${errors} non-200` : ''}`,
  );
}

async function mapRender(url: string): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`  time to first map render: skipped (no chromium at ${CHROMIUM})`);
    return;
  }
  const browser = await launchChromium();
  try {
    const runs: Array<{ ms: number; points: string | null }> = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(url + '/', { waitUntil: 'commit' });
      await page.waitForSelector('.map[data-rendered="true"]', { timeout: 60_000 });
      const ms = await page.evaluate(() => performance.now());
      runs.push({ ms, points: await page.getAttribute('.map', 'data-points') });
      await page.close();
    }
    const best = runs.map((r) => r.ms).sort((a, b) => a - b);
    console.log(`  time to first map render          ${best.map((m) => m.toFixed(0)).join(' / ')} ms over 3 loads (${runs[0]!.points} points drawn)`);
  } finally {
    await browser.close();
  }
}

function bundleSize(dist: string): void {
  const dir = join(dist, 'assets');
  let raw = 0;
  let gz = 0;
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.map')) continue;
    const body = readFileSync(join(dir, f));
    raw += statSync(join(dir, f)).size;
    gz += gzipSync(body, { level: 9 }).length;
  }
  console.log(`  web bundle (dist/web/assets)      ${(raw / 1024).toFixed(0)} KB raw, ${(gz / 1024).toFixed(0)} KB gzipped`);
}

if (!existsSync(CCC_FILE)) {
  console.log(`api benchmark: skipped (needs ${CCC_FILE})`);
} else {
  console.log(`api benchmark: ${N} events generated from the CCC rows, ${SECONDS} s per scenario; the server is a separate turnout serve process`);
  const db = largeStore(N, (s) => console.log(s));
  const dist = await ensureWebBuilt({ quiet: true });
  const server = await startServe(db);
  try {
    const t0 = performance.now();
    const points = await fetch(server.url + '/api/points');
    const body = await points.arrayBuffer();
    console.log(`  GET /api/points (all ${N})         ${(performance.now() - t0).toFixed(0)} ms, ${(body.byteLength / 1024 / 1024).toFixed(1)} MB`);
    for (const c of LOADS) await load(`${server.url}/api/events?limit=500`, 'GET /api/events?limit=500', c);
    for (const c of LOADS) await load(`${server.url}/api/events?limit=500&bbox=-80,38,-70,43`, 'GET /api/events bbox (Northeast), 500', c);
    await load(`${server.url}/api/events?limit=500&region=CA&from=2025-03-01`, 'GET /api/events region+from, 500', 4);
    await load(`${server.url}/api/events?limit=100&q=gaza`, 'GET /api/events?q=gaza, 100', 4);
    await mapRender(server.url);
    bundleSize(dist);
  } finally {
    await server.stop();
  }
  const two = await startServe(db, ['--workers', '2']);
  try {
    await load(`${two.url}/api/events?limit=500`, 'serve --workers 2: page of 500', 8);
    await load(`${two.url}/api/events?limit=500&bbox=-80,38,-70,43`, 'serve --workers 2: bbox, 500', 8);
  } finally {
    await two.stop();
  }
  console.log(`  peak RSS of this process (load generator, browser driver): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
