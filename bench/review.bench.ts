// Benchmark of the review queue on a store of 100,000 events generated from the CCC rows (bench/large-store):
// GET /api/review/queue as an editor, over HTTP on 127.0.0.1 (the app served in this process), one request at a
// time: the first page, a page filtered by region, by a week or a year of dates, by region and dates, the second
// page, and a page of 100.
// Prints p50/p95/p99 per scenario (goal: p95 < 100 ms for the first page). Not a test: figures go in the README.
import { existsSync } from 'node:fs';
import { startServer } from '../src/serve/server.js';
import { openStore } from '../src/store/sqlite/index.js';
import { CCC_FILE, largeStore } from './large-store.js';
import { pct } from './common.js';

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const REQUESTS = Math.max(200, Number(process.env.BENCH_REQUESTS ?? 300));
const EDITOR = 'bench-editor';

/** Times REQUESTS sequential GETs of one URL; every answer must be a 200 with items. */
async function time(label: string, url: string, token: string): Promise<number> {
  const ms: number[] = [];
  let items = 0;
  let total = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { items: unknown[]; total: number };
    ms.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${label}: HTTP ${res.status}`);
    items = body.items.length;
    total = body.total;
  }
  const first = ms[0]!;
  ms.sort((a, b) => a - b);
  const p95 = pct(ms, 95);
  console.log(
    `  ${label.padEnd(34)} p50 ${pct(ms, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, p99 ${pct(ms, 99).toFixed(1)} ms (first ${first.toFixed(1)} ms; ${items} items of ${total}; ${REQUESTS} requests)`,
  );
  return p95;
}

if (!existsSync(CCC_FILE)) {
  console.log(`review queue benchmark: skipped (needs ${CCC_FILE})`);
} else {
  console.log(`review queue benchmark: ${N} events generated from the CCC rows, ${REQUESTS} sequential requests per scenario`);
  const path = largeStore(N, (s) => console.log(s));
  const t0 = performance.now();
  const repo = openStore(path); // (a store made before migration 11 gets its doubt column here)
  console.log(`  store opened (and migrated) in ${(performance.now() - t0).toFixed(0)} ms`);
  if (!repo.accounts().listUsers().some((u) => u.name === EDITOR)) repo.accounts().addUser(EDITOR, 'editor', 'a long enough benchmark password');
  const token = repo.accounts().createToken(EDITOR);
  const server = await startServer({ repo, port: 0 });
  try {
    const api = `${server.url}/api/review/queue`;
    const first = await time('first page (25)', api, token);
    await time('region=CA (25)', `${api}?region=CA`, token);
    await time('a week of dates (25)', `${api}?from=2025-02-03&to=2025-02-09`, token);
    await time('region=TX and a month (25)', `${api}?region=TX&from=2025-03-01&to=2025-03-31`, token);
    await time('a year of dates (25)', `${api}?from=2025-06-01&to=2026-05-31`, token);
    const page = (await (await fetch(api, { headers: { authorization: `Bearer ${token}` } })).json()) as { next_cursor: string };
    await time('second page (25)', `${api}?cursor=${page.next_cursor}`, token);
    await time('first page (100)', `${api}?limit=100`, token);
    console.log(`  goal p95 < 100 ms for the first page: ${first < 100 ? 'met' : 'NOT met'}`);
  } finally {
    await server.close();
    repo.close();
  }
}
