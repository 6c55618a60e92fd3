// Benchmark (issue 11): the API on the 100,000-event store moved to PostgreSQL, beside the same store on SQLite.
// The SQLite store of bench/api.bench.ts (bench/large-store) is moved with `turnout migrate --from sqlite`'s code
// (src/store/move.ts: copy, then counts and per-event checksums verified) into its own database on the server that
// TURNOUT_TEST_PG (or TURNOUT_BENCH_PG) names, turnout_bench_<N>. The database is kept for the next run: a comment on
// it records the SQLite store it was verified against, and a later run reuses it when the store is the same (drop it
// with DROP DATABASE turnout_bench_100000 WITH (FORCE)). Two `turnout serve --no-watch` processes on 127.0.0.1, one
// per store, then take the same requests as the SQLite benchmark at 1, 4 and 8 connections, one store after the
// other for each load: p50/p95/p99 and req/s of both, and whether PostgreSQL's p95 meets the goal (< 50 ms); then
// 200 pages of 500 asked in turn, each answer another (what paging through the record costs: nothing kept helps);
// then the page and the bbox at 8 connections with `serve --workers 2` (one server process per core) on both.
// Without a server named, or without the CCC rows the store is made from, it says so and exits 0. Not a test.
import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import Database from 'better-sqlite3';
import pg from 'pg';
import { formatReport, MoveConflict, moveStore } from '../src/store/move.js';
import { onServer } from '../test/helpers/backends.js';
import { formatResult, LOADS, measure, pagePaths, REQUESTS, SECONDS, startServe } from './api-load.js';
import { CCC_FILE, largeStore } from './large-store.js';
import { BENCH_PG, NO_BENCH_PG } from './common.js';

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const SERVER = BENCH_PG;
/** The issue's goal for PostgreSQL's p95 at every load. */
const GOAL_MS = 50;

/** What identifies the SQLite store a PostgreSQL copy was verified against: its events, their revisions, its schema. */
function storeFingerprint(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const e = db.prepare('SELECT count(*) AS n, max(rowid) AS last, max(updated_at) AS updated, sum(revision) AS revisions FROM events').get() as Record<string, unknown>;
    const version = db.prepare('SELECT max(version) FROM schema_migrations').pluck().get();
    return `events ${e.n}, last rowid ${e.last}, updated ${e.updated}, revisions ${e.revisions}, schema ${version}`;
  } finally {
    db.close();
  }
}

/** The note kept on a database holding a verified copy of `fingerprint`'s store, or null when it does not exist. */
async function databaseNote(server: string, name: string): Promise<string | null | undefined> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    const r = await client.query<{ note: string | null }>("SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = $1", [name]);
    return r.rows.length ? r.rows[0]!.note : undefined;
  } finally {
    await client.end();
  }
}

/**
 * The address of a PostgreSQL database holding a verified copy of the SQLite store `file`: reused when a previous
 * run verified it against the same store, otherwise moved (resuming an interrupted move; recreated when it holds
 * other data), verified, and marked.
 */
async function pgCopy(server: string, file: string): Promise<string> {
  const name = `turnout_bench_${N}`;
  const address = new URL(server);
  address.pathname = `/${name}`;
  const marker = `turnout bench: verified copy of ${storeFingerprint(file)}`;
  const note = await databaseNote(server, name);
  if (note === marker) {
    console.log(`  PostgreSQL store: database ${name}, verified by an earlier run against this store; reused`);
    return address.href;
  }
  if (note === undefined) await onServer(server, `CREATE DATABASE ${name}`);
  const t0 = performance.now();
  let report;
  try {
    report = await moveStore(file, address.href);
  } catch (e) {
    if (!(e instanceof MoveConflict)) throw e;
    console.log(`  database ${name} holds another store: recreated`);
    await onServer(server, `DROP DATABASE ${name} WITH (FORCE)`);
    await onServer(server, `CREATE DATABASE ${name}`);
    report = await moveStore(file, address.href);
  }
  if (!report.ok) throw new Error(`the move into ${name} did not verify:\n${formatReport(report)}`);
  await onServer(server, `COMMENT ON DATABASE ${name} IS '${marker.replaceAll("'", "''")}'`);
  console.log(`  PostgreSQL store: moved into database ${name} and verified in ${((performance.now() - t0) / 1000).toFixed(0)} s (${report.events.equal} of ${report.events.checked} event checksums equal); kept for the next run`);
  return address.href;
}

/** An answer with the order of its rows left out: the points come in each store's scan order, which the API leaves open. */
function normalised(body: string): string {
  const value = JSON.parse(body) as { rows?: unknown };
  if (Array.isArray(value.rows)) value.rows = value.rows.map((r) => JSON.stringify(r)).sort();
  return JSON.stringify(value);
}

/** Whether both servers give the same answer for `path` (the benchmark compares like with like). */
async function sameAnswer(a: string, b: string, path: string): Promise<boolean> {
  const [x, y] = await Promise.all([fetch(a + path).then((r) => r.text()), fetch(b + path).then((r) => r.text())]);
  return normalised(x) === normalised(y);
}

if (!SERVER) {
  console.log(`api benchmark on PostgreSQL skipped: ${NO_BENCH_PG}`);
} else if (!statSync(CCC_FILE, { throwIfNoEntry: false })) {
  console.log(`api benchmark on PostgreSQL skipped: the ${N}-event store is made from ${CCC_FILE}, which is absent`);
} else {
  console.log(`api benchmark on PostgreSQL: ${N} events, ${SECONDS} s per load, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)} at the start; each store served by its own turnout serve --no-watch process`);
  const file = largeStore(N, (s) => console.log(s));
  const url = await pgCopy(SERVER, file);
  const sqlite = await startServe(file);
  const postgres = await startServe(url);
  const over: string[] = [];
  try {
    for (const request of Object.values(REQUESTS)) {
      const same = await sameAnswer(sqlite.url, postgres.url, request.path);
      console.log(`  ${request.label}${same ? '' : ' (the two stores answer differently!)'}`);
      for (const c of LOADS) {
        const s = await measure(sqlite.url + request.path, c);
        const p = await measure(postgres.url + request.path, c);
        const met = p.p95 < GOAL_MS;
        if (!met) over.push(`${request.label} at ${c}`);
        console.log(`    ${String(c).padStart(2)} conn  SQLite      ${formatResult(s)}, ${s.kb.toFixed(0)} KB/response`);
        console.log(`             PostgreSQL  ${formatResult(p)}, ${p.kb.toFixed(0)} KB/response (p95 goal < ${GOAL_MS} ms: ${met ? 'met' : 'missed'})`);
      }
    }
    // the same page sizes, every answer another one: what a client paging through the record costs the server
    const walk = await pagePaths(sqlite.url, REQUESTS.page.path);
    console.log(`  ${walk.length} pages of 500 in turn (/api/events?limit=500&cursor=...: every answer built, none kept)`);
    for (const c of LOADS) {
      const s = await measure(sqlite.url, c, walk);
      const p = await measure(postgres.url, c, walk);
      console.log(`    ${String(c).padStart(2)} conn  SQLite      ${formatResult(s)}, ${s.kb.toFixed(0)} KB/response`);
      console.log(`             PostgreSQL  ${formatResult(p)}, ${p.kb.toFixed(0)} KB/response`);
    }
  } finally {
    await Promise.all([sqlite.stop(), postgres.stop()]);
  }
  // at 8 connections one server process is the bottleneck on either store: the same with one process per core
  const [sqlite2, postgres2] = await Promise.all([startServe(file, ['--workers', '2']), startServe(url, ['--workers', '2'])]);
  try {
    console.log('  serve --workers 2, 8 connections');
    for (const request of [REQUESTS.page, REQUESTS.bbox]) {
      const s = await measure(sqlite2.url + request.path, 8);
      const p = await measure(postgres2.url + request.path, 8);
      console.log(`    ${request.label}\n             SQLite      ${formatResult(s)}\n             PostgreSQL  ${formatResult(p)}`);
    }
  } finally {
    await Promise.all([sqlite2.stop(), postgres2.stop()]);
  }
  console.log(`  PostgreSQL p95 goal (< ${GOAL_MS} ms): ${over.length ? `missed for ${over.join('; ')}` : 'met at every load'}; load average ${loadavg()[0]!.toFixed(1)} at the end`);
}
