// Benchmark: extract alone against ingest into a SQLite store, on one core and the same texts (bench/texts.ts,
// BENCH_N of them, 1,000 by default), then the store's size: the whole file after a checkpoint and the part its
// revisions take, per article. Also 200 made-up reports of one event (test/helpers/reports.ts), where a store that
// copied every record into every revision grew with the square of the reports. Prints a digest of the event
// records each set makes, so that a change meant to be only faster can show it changed no record.
// Not a test: figures go in the README.
import { createHash } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ingestInto, processInput } from '../src/pipeline.js';
import { loadGazetteer } from '../src/resolve/gazetteer.js';
import { SqliteRepository } from '../src/store/sqlite/index.js';
import { reports } from '../test/helpers/reports.js';
import { tempDir } from '../test/helpers/shared.js';
import { buildTexts } from './texts.js';

const N = Number(process.env.BENCH_N ?? 1000);
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

function timed(n: number, fn: () => void): Rate {
  const [t0, c0] = [performance.now(), process.cpuUsage()];
  fn();
  const c = process.cpuUsage(c0);
  return { wall: n / ((performance.now() - t0) / 1000), cpu: n / ((c.user + c.system) / 1e6) };
}

const rate = (r: Rate) => `${r.wall.toFixed(0)} articles/s (${r.cpu.toFixed(0)} per CPU second)`;

/** Extract alone. */
function extractRate(inputs: Input[]): Rate {
  return timed(inputs.length, () => {
    for (const x of inputs) processInput({ bytes: Buffer.from(x.text), name: x.name, today: TODAY }, gaz);
  });
}

/** Ingest into a new store: articles/s, the file's bytes after a checkpoint, the revisions' bytes, the records' digest. */
function ingestRun(inputs: Input[]): { rate: Rate; fileBytes: number; revisionBytes: number; events: number; digest: string } {
  const dir = tempDir('turnout-bench-');
  const path = join(dir, 'bench.db');
  const repo = new SqliteRepository(path);
  const rate = timed(inputs.length, () => {
    for (const x of inputs) ingestInto(repo, { bytes: Buffer.from(x.text), name: x.name, today: TODAY }, gaz);
  });
  const db = repo.handle;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const revisionBytes = db.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = 'event_revisions' OR name LIKE 'sqlite_autoindex_event_revisions%'").pluck().get() as number;
  const records = db.prepare('SELECT record FROM events ORDER BY id').pluck().all() as string[];
  const digest = createHash('sha256').update(records.join('\n')).digest('hex').slice(0, 16);
  repo.close();
  const fileBytes = statSync(path).size;
  rmSync(dir, { recursive: true, force: true });
  return { rate, fileBytes, revisionBytes, events: records.length, digest };
}

const mb = (b: number) => (b / 1e6).toFixed(2) + ' MB';
const kb = (b: number) => (b / 1024).toFixed(1) + ' KB';

const texts = buildTexts(N).map((text, i) => ({ name: `bench-${i}.txt`, text }));
// warm up
extractRate(texts.slice(0, 20));
const extract = extractRate(texts);
const ingest = ingestRun(texts);
console.log(`ingest benchmark (one core): ${texts.length} articles of bench/texts.ts`);
console.log(`  extract alone       ${rate(extract)}`);
console.log(`  ingest into SQLite  ${rate(ingest.rate)}: ${((100 * ingest.rate.cpu) / extract.cpu).toFixed(0)}% of extract alone's speed`);
console.log(`  store               ${mb(ingest.fileBytes)} (${kb(ingest.fileBytes / texts.length)} per article), revisions ${mb(ingest.revisionBytes)}; ${ingest.events} events, records ${ingest.digest}`);
for (const [what, n, events] of [
  ['one event', 200, 1],
  ['50 events', 1000, 50],
] as const) {
  const inputs = reports(n, events);
  const x = extractRate(inputs);
  const r = ingestRun(inputs);
  console.log(
    `  ${n} reports of ${what}: extract ${rate(x)}, ingest ${rate(r.rate)} (${((100 * r.rate.cpu) / x.cpu).toFixed(0)}%), store ${mb(r.fileBytes)}, revisions ${kb(r.revisionBytes)} (${(r.revisionBytes / n).toFixed(0)} B per report); ${r.events} events, records ${r.digest}`,
  );
}
