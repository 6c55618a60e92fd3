// Benchmark: extract alone against ingest into a store, on one core and the same texts (bench/texts.ts, BENCH_N of
// them, 1,000 by default): into SQLite, and into PostgreSQL when TURNOUT_BENCH_PG or TURNOUT_TEST_PG names a server
// (a fresh schema, dropped at the end; otherwise it says so and skips that part). Rates are articles per second of
// wall time and per second of this process's CPU time (the PostgreSQL server's own CPU is not counted), and each
// backend's CPU rate is set against extract's (the mean of the extract runs just before and just after it: the load
// on a shared machine moves) and the goal (at least half of it). Then the store's size: on
// SQLite the whole file after a checkpoint and the part its revisions take; on PostgreSQL the revision rows' bytes.
// Also 200 made-up reports of one event (test/helpers/reports.ts), where a store that copied every record into every
// revision grew with the square of the reports. Prints a digest of the event records as the store serves them, so
// that a change meant to be only faster can show it changed no record (both backends must print the same one).
// Not a test: figures go in the README.
import { createHash } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ingestInto, ingestIntoStore, processInput } from '../src/pipeline.js';
import { loadGazetteer } from '../src/resolve/gazetteer.js';
import { openPgStore, type PgStore } from '../src/store/pg/index.js';
import { SqliteRepository } from '../src/store/sqlite/index.js';
import type { EventRecord } from '../src/core/types.js';
import { onServer } from '../test/helpers/backends.js';
import { reports } from '../test/helpers/reports.js';
import { tempDir } from '../test/helpers/shared.js';
import { buildTexts } from './texts.js';
import { BENCH_PG, NO_BENCH_PG } from './common.js';

const N = Number(process.env.BENCH_N ?? 1000);
const SERVER = BENCH_PG;
/** The goal: ingest at least half as fast as extract alone. */
const GOAL = 0.5;
/** a fixed day of reading, so that every run reads the texts alike */
const TODAY = '2026-06-01';
const gaz = loadGazetteer();

interface Input {
  name: string;
  text: string;
}

/** Articles per second of wall time and per second of this process's CPU time (steadier on a shared machine). */
interface Rate {
  wall: number;
  cpu: number;
}

async function timed(n: number, fn: () => void | Promise<void>): Promise<Rate> {
  const [t0, c0] = [performance.now(), process.cpuUsage()];
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: n / ((performance.now() - t0) / 1000), cpu: n / ((c.user + c.system) / 1e6) };
}

const rate = (r: Rate) => `${r.wall.toFixed(0)} articles/s (${r.cpu.toFixed(0)} per CPU second)`;
const ratio = (r: Rate, x: Rate) => {
  const q = r.cpu / x.cpu;
  return `${q.toFixed(2)} of extract alone's speed (goal >= ${GOAL}: ${q >= GOAL ? 'met' : 'NOT met'})`;
};

/** Extract alone. */
function extractRate(inputs: Input[]): Promise<Rate> {
  return timed(inputs.length, () => {
    for (const x of inputs) processInput({ bytes: Buffer.from(x.text), name: x.name, today: TODAY }, gaz);
  });
}

/** A digest of the records as a store serves them (rejected ones too), in id order. */
function digestOf(records: EventRecord[]): string {
  const json = records.sort((a, b) => (a.id < b.id ? -1 : 1)).map((r) => JSON.stringify(r));
  return createHash('sha256').update(json.join('\n')).digest('hex').slice(0, 16);
}

interface Run {
  rate: Rate;
  /** the SQLite file's bytes after a checkpoint (null on PostgreSQL) */
  fileBytes: number | null;
  revisionBytes: number;
  events: number;
  digest: string;
}

/** Ingest into a new SQLite store: articles/s, the file's bytes after a checkpoint, the revisions' bytes, the records' digest. */
async function sqliteRun(inputs: Input[]): Promise<Run> {
  const dir = tempDir('turnout-bench-');
  const path = join(dir, 'bench.db');
  const repo = new SqliteRepository(path);
  // grouped as `turnout ingest` groups them
  const rate = await timed(inputs.length, () =>
    repo.grouped(async (saved) => {
      for (const x of inputs) {
        ingestInto(repo, { bytes: Buffer.from(x.text), name: x.name, today: TODAY }, gaz);
        saved();
      }
    }),
  );
  const db = repo.handle;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const revisionBytes = db.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = 'event_revisions' OR name LIKE 'sqlite_autoindex_event_revisions%'").pluck().get() as number;
  const records = repo.listEvents({ includeRejected: true });
  repo.close();
  const fileBytes = statSync(path).size;
  rmSync(dir, { recursive: true, force: true });
  return { rate, fileBytes, revisionBytes, events: records.length, digest: digestOf(records) };
}

/** Ingest into a new PostgreSQL store (a fresh schema on SERVER, dropped after): the same figures, revisions as their rows' stored bytes. */
async function pgRun(inputs: Input[]): Promise<Run> {
  const schema = `turnout_bench_ingest_${process.pid}`;
  let store: PgStore | null = null;
  try {
    store = await openPgStore(SERVER, { schema });
    const s = store;
    const rate = await timed(inputs.length, () =>
      s.grouped(async (saved) => {
        for (const x of inputs) {
          await ingestIntoStore(s, { bytes: Buffer.from(x.text), name: x.name, today: TODAY }, gaz);
          saved();
        }
      }),
    );
    const revisionBytes = (await s.one<{ n: number }>(s.reader, 'SELECT coalesce(sum(pg_column_size(r.*)), 0)::bigint AS n FROM event_revisions r'))!.n;
    const records = await s.listEvents({ includeRejected: true });
    return { rate, fileBytes: null, revisionBytes, events: records.length, digest: digestOf(records) };
  } finally {
    await store?.close();
    await onServer(SERVER, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

const mb = (b: number) => (b / 1e6).toFixed(2) + ' MB';
const kb = (b: number) => (b / 1024).toFixed(1) + ' KB';

/** The backends measured: SQLite always, PostgreSQL when a server is named. */
const backends: Array<[string, (inputs: Input[]) => Promise<Run>]> = [['SQLite', sqliteRun]];
if (SERVER) backends.push(['PostgreSQL', pgRun]);

const texts = buildTexts(N).map((text, i) => ({ name: `bench-${i}.txt`, text }));
// warm up: a whole pass (after 20 texts extract ran at half its later speed)
await extractRate(texts);
let extract = await extractRate(texts);
console.log(`ingest benchmark (one core): ${texts.length} articles of bench/texts.ts`);
console.log(`  extract alone           ${rate(extract)}`);
if (!SERVER) console.log(`  PostgreSQL skipped: ${NO_BENCH_PG}`);
for (const [name, run] of backends) {
  const r = await run(texts);
  // extract again right after: on a shared machine the load moves, and each ingest is set against the extract runs
  // either side of it (their mean)
  const again = await extractRate(texts);
  const around = { wall: (extract.wall + again.wall) / 2, cpu: (extract.cpu + again.cpu) / 2 };
  console.log(`  ingest into ${name.padEnd(11)} ${rate(r.rate)}: ${ratio(r.rate, around)}`);
  console.log(`    extract alone again   ${rate(again)}`);
  extract = again;
  const file = r.fileBytes === null ? '' : `${mb(r.fileBytes)} (${kb(r.fileBytes / texts.length)} per article), `;
  console.log(`    store                 ${file}revisions ${mb(r.revisionBytes)}; ${r.events} events, records ${r.digest}`);
}
for (const [what, n, events] of [
  ['one event', 200, 1],
  ['50 events', 1000, 50],
] as const) {
  const inputs = reports(n, events);
  const x = await extractRate(inputs);
  console.log(`  ${n} reports of ${what}: extract ${rate(x)}`);
  for (const [name, run] of backends) {
    const r = await run(inputs);
    const file = r.fileBytes === null ? '' : `store ${mb(r.fileBytes)}, `;
    console.log(
      `    ${name.padEnd(10)} ingest ${rate(r.rate)}: ${ratio(r.rate, x)}; ${file}revisions ${kb(r.revisionBytes)} (${(r.revisionBytes / n).toFixed(0)} B per report); ${r.events} events, records ${r.digest}`,
    );
  }
}
