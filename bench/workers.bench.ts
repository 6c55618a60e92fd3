// Benchmark (issue 11): ingest throughput of 1, 2 and 4 `turnout worker` processes (each --concurrency 2) on a
// PostgreSQL store against one process ingesting into SQLite, on the same made-up articles (test/helpers/workload.ts:
// BENCH_N of them, 10,000 by default as issue 11 asks, about 1,500 events told by several articles each). A worker run is timed from the
// workers' start to the last job completed (process start-up included); the articles are queued first, untimed (the
// queueing rate is printed apart). Needs TURNOUT_BENCH_PG or TURNOUT_TEST_PG (e.g.
// postgres://postgres@127.0.0.1:5432/test): without it, it says so and exits 0. Each run uses a fresh database,
// dropped at the end. Not a test: figures go in the README.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ingestIntoStore } from '../src/pipeline.js';
import { loadGazetteer } from '../src/resolve/gazetteer.js';
import { openStore } from '../src/store/sqlite/index.js';
import { asyncStore } from '../src/store/store.js';
import { pgDatabase } from '../test/helpers/backends.js';
import { tempDir } from '../test/helpers/shared.js';
import { exited, jobStates, startWorkerProcess, until } from '../test/helpers/workers.js';
import { writeArticles } from '../test/helpers/workload.js';
import { turnout } from '../test/helpers/cli.js';
import { BENCH_PG, NO_BENCH_PG } from './common.js';

const N = Number(process.env.BENCH_N ?? 10_000);
const EVENTS = Math.max(1, Math.round(N * 0.15));
const CONCURRENCY = 2;

const perSecond = (n: number, ms: number) => `${(n / (ms / 1000)).toFixed(0)} articles/s`;

/** One process reading every article into a new SQLite store: milliseconds. */
async function sqliteMs(paths: string[]): Promise<number> {
  const store = asyncStore(openStore(join(tempDir('turnout-bench-'), 'bench.db')));
  const gaz = loadGazetteer();
  const t0 = performance.now();
  for (const p of paths) await ingestIntoStore(store, { bytes: readFileSync(p), name: p, url: null, published: null, contentType: 'text/plain' }, gaz);
  const ms = performance.now() - t0;
  await store.close();
  return ms;
}

/** `workers` worker processes on a fresh database with every article queued: milliseconds to queue, and to run every job. */
async function workersMs(dir: string, workers: number): Promise<{ enqueueMs: number; runMs: number }> {
  const db = await pgDatabase(BENCH_PG);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const t0 = performance.now();
    const queued = turnout(['ingest', dir, '--db', db.url, '--enqueue', '--quiet']);
    if (queued.code !== 0) throw new Error(`enqueue failed: ${queued.stderr}`);
    const enqueueMs = performance.now() - t0;
    const t1 = performance.now();
    const procs = Array.from({ length: workers }, () => startWorkerProcess(db.url, CONCURRENCY));
    try {
      await until('every job completed', 30 * 60_000, async () => ((await jobStates(client)).states.completed ?? 0) >= N);
    } finally {
      for (const w of procs) w.p.kill('SIGTERM');
    }
    const runMs = performance.now() - t1;
    await Promise.all(procs.map((w) => exited(w.p)));
    return { enqueueMs, runMs };
  } finally {
    await client.end();
    await db.drop();
  }
}

if (NO_BENCH_PG) {
  console.log(`workers bench skipped: ${NO_BENCH_PG}`);
} else {
  const dir = tempDir('turnout-bench-articles-');
  const paths = writeArticles(dir, N, EVENTS);
  console.log(`ingest throughput on ${N} made-up articles (${EVENTS} events), ${availableParallelism()} cores`);
  const single = await sqliteMs(paths);
  console.log(`  SQLite, one process:            ${perSecond(N, single)} (${(single / 1000).toFixed(1)} s)`);
  for (const w of [1, 2, 4]) {
    const r = await workersMs(dir, w);
    console.log(`  PostgreSQL, ${w} worker${w > 1 ? 's' : ' '} x ${CONCURRENCY}:      ${perSecond(N, r.runMs)} (${(r.runMs / 1000).toFixed(1)} s; queueing: ${perSecond(N, r.enqueueMs)})`);
  }
}
