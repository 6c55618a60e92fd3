// Benchmark of the served record on a store of 100,000 events generated from the CCC rows (bench/large-store):
//   - GET /api/events (a page of 500; a bbox query) under a loopback load with autocannon: p50/p95/p99, req/s;
//   - GET /api/points for the whole store (what the map loads);
//   - time to first map render in headless chromium (navigation start to the map drawing its points);
//   - the gzipped size of the web bundle.
// The server runs as its own `turnout serve` process, so it does not share a core with the load generator.
// Everything talks to 127.0.0.1 only. Not a test: figures go in the README.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBuilt } from '../src/serve/build.js';
import { CHROMIUM, launchChromium } from '../test/helpers/browser.js';
import { formatResult, LOADS, measure, REQUESTS, SECONDS, startServe } from './api-load.js';
import { CCC_FILE, largeStore } from './large-store.js';

const N = Number(process.env.BENCH_EVENTS ?? 100_000);

async function load(url: string, label: string, connections: number): Promise<void> {
  const r = await measure(url, connections);
  console.log(`  ${label.padEnd(38)} ${String(connections).padStart(2)} conn: ${formatResult(r)}, ${r.kb.toFixed(0)} KB/response`);
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
    const points = await fetch(server.url + REQUESTS.points.path);
    const body = await points.arrayBuffer();
    console.log(`  GET /api/points (all ${N})         ${(performance.now() - t0).toFixed(0)} ms, ${(body.byteLength / 1024 / 1024).toFixed(1)} MB`);
    for (const c of LOADS) await load(server.url + REQUESTS.page.path, REQUESTS.page.label, c);
    for (const c of LOADS) await load(server.url + REQUESTS.bbox.path, REQUESTS.bbox.label, c);
    await load(server.url + REQUESTS.regionDate.path, REQUESTS.regionDate.label, 4);
    await load(server.url + REQUESTS.search.path, REQUESTS.search.label, 4);
    await mapRender(server.url);
    bundleSize(dist);
  } finally {
    await server.stop();
  }
  const two = await startServe(db, ['--workers', '2']);
  try {
    await load(two.url + REQUESTS.page.path, 'serve --workers 2: page of 500', 8);
    await load(two.url + REQUESTS.bbox.path, 'serve --workers 2: bbox, 500', 8);
  } finally {
    await two.stop();
  }
  console.log(`  peak RSS of this process (load generator, browser driver): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
