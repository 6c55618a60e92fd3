// The turnout command end to end: hostile inputs, exit codes, re-ingest, and a SIGKILL in the middle of a run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../src/store/sqlite/index.js';
import { makeArticle } from './helpers/corpus.js';
import { PRECISION_CASES, precisionArticles } from './helpers/precision.js';
import { REPO_ROOT, tempDir } from './helpers/shared.js';
import { turnout as run } from './helpers/cli.js';

const turnout = (args: string[], input?: string | Buffer) => run(args, { input });

const CLI = join(REPO_ROOT, 'src', 'cli.ts');

describe('turnout command', () => {
  it('prints help that names every command, and rejects unknown options clearly', () => {
    const h = turnout(['--help']);
    assert.equal(h.code, 0);
    for (const c of ['ingest', 'extract', 'events', 'export', 'geocode', 'eval']) assert.match(h.stdout, new RegExp(`\\b${c}\\b`));
    const bad = turnout(['events', '--colour', 'red']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unknown option --colour/);
    const badDate = turnout(['events', '--from', 'yesterday']);
    assert.equal(badDate.code, 1);
    assert.match(badDate.stderr, /--from must be a date/);
  });

  it('ingests the sample articles, prints a summary, and changes nothing the second time', () => {
    const db = join(tempDir(), 't.db');
    const first = turnout(['ingest', 'samples', '--db', db]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /articles: 3 new, 0 unchanged, 0 failed/);
    const n = Number(/events: (\d+) new/.exec(first.stdout)![1]);
    assert.ok(n >= 6, first.stdout);
    const second = turnout(['ingest', 'samples', '--db', db]);
    assert.match(second.stdout, /articles: 0 new, 3 unchanged, 0 failed/);
    assert.match(second.stdout, /events: 0 new, 0 updated/);
    const table = turnout(['events', '--db', db, '--region', 'OH']);
    assert.match(table.stdout, /Dayton, OH/);
    assert.doesNotMatch(table.stdout, /Portland/);
    const csv = turnout(['export', '--format', 'csv', '--db', db]);
    assert.match(csv.stdout.split('\r\n')[0]!, /^"date","locality","state","resolved_locality"/);
    const geo = JSON.parse(turnout(['export', '--format', 'geojson', '--db', db]).stdout);
    assert.equal(geo.type, 'FeatureCollection');
    assert.equal(geo.features.length, n);
    for (const f of geo.features) if (f.geometry) assert.equal(f.geometry.type, 'Point');
  });

  it('reads a planned action as planned, and a size with its CCC coding', () => {
    const r = turnout(['extract', join('samples', '2026-02-14-river-valley-rallies.txt')]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.published, '2026-02-15');
    const dayton = doc.events.find((e: { locality: string }) => e.locality === 'Dayton');
    assert.equal(dayton.date, '2026-02-14');
    assert.equal(dayton.size_low, 200);
    assert.equal(dayton.status, 'occurred');
    const columbus = doc.events.find((e: { locality: string }) => e.locality === 'Columbus');
    assert.equal(columbus?.status, 'planned');
    assert.equal(columbus?.date, '2026-03-07');
  });

  it('shows an event known only to the month or the week at that precision in the `events` table', () => {
    const db = join(tempDir(), 'p.db');
    const ingest = turnout(['ingest', precisionArticles(), '--db', db]);
    assert.equal(ingest.code, 0, ingest.stderr);
    const repo = openStore(db);
    const events = repo.listEvents();
    repo.close();
    for (const c of PRECISION_CASES) {
      const e = events.find((x) => x.locality === c.locality);
      assert.deepEqual(e && [e.date, e.date_precision, e.status], [c.date, c.precision, c.status], `the pipeline's reading of ${c.file}`);
    }
    const table = turnout(['events', '--db', db]);
    assert.equal(table.code, 0, table.stderr);
    const row = (locality: string) => table.stdout.split('\n').find((l) => l.includes(`${locality}, `)) ?? '';
    assert.match(row('Peoria'), /^January 2026 +month +occurred /);
    assert.match(row('Boise'), /^week of 19 January 2026 +week +occurred /);
    assert.match(row('Eugene'), /^February 2026 +month +planned /);
    // a day keeps its ISO date; no month or week reads as a made-up day
    assert.match(row('Duluth'), /^2026-01-28 +day +occurred /);
    assert.doesNotMatch(table.stdout, /2026-01-01|2026-01-19|2026-02-01|Jan 1,/);
    // the columns still line up: every row's status starts where the header's does
    const lines = table.stdout.trimEnd().split('\n');
    const col = lines[0]!.indexOf('status');
    for (const l of lines.slice(1, -1)) assert.match(l.slice(col), /^(occurred|planned) /, l);
  });

  it('geocode says plainly when a name is ambiguous, and keeps a borough as location_detail', () => {
    const r = turnout(['geocode', 'Franklin', 'Brooklyn, NY', 'Akron, OH']);
    assert.equal(r.code, 0, r.stderr);
    const [spring, brooklyn, akron] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(spring.ambiguous, true);
    const readings = spring.candidates.map((c: { locality: string; region: string }) => `${c.locality}, ${c.region}`);
    assert.ok(readings.length >= 2);
    assert.ok(r.stderr.includes(`"Franklin" is ambiguous: ${readings.join('; ')}`), r.stderr);
    assert.deepEqual([brooklyn.locality, brooklyn.location_detail, brooklyn.ambiguous], ['New York', 'Brooklyn', false]);
    assert.equal(akron.ambiguous, false);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line, for the ambiguous name only');
  });

  it('gives one clear error line per bad input, exit code 2, and still stores the good ones', () => {
    const dir = tempDir();
    const bad = join(dir, 'in');
    mkdirSync(bad);
    writeFileSync(join(bad, 'empty.txt'), '');
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 256;
    writeFileSync(join(bad, 'binary.txt'), junk);
    writeFileSync(join(bad, 'huge.html'), Buffer.alloc(50 * 1024 * 1024, 'a'));
    writeFileSync(join(bad, 'bad-utf8.txt'), Buffer.concat([Buffer.from('Hundreds of protesters rallied in Dayton, Ohio, on Saturday, Feb. 14, 2026. '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' More.\n')]));
    writeFileSync(join(bad, 'latin1.html'), Buffer.from('<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body><p>Dozens of demonstrators marched in San Jos\xe9, California, on Jan. 30, 2026.</p></body></html>', 'latin1'));
    writeFileSync(join(bad, 'nested.html'), '<div>'.repeat(100000) + '<p>Thousands marched in Denver, Colorado on Jan. 30, 2026.</p>' + '</div>'.repeat(100000));
    writeFileSync(join(bad, 'good.txt'), makeArticle(1).text);
    const db = join(dir, 't.db');
    const r = turnout(['ingest', bad, '--db', db]);
    assert.equal(r.code, 2);
    const errs = r.stderr.trim().split('\n');
    assert.equal(errs.length, 3, r.stderr);
    assert.match(r.stderr, /empty\.txt: .*empty/i);
    assert.match(r.stderr, /binary\.txt: .*binary/i);
    assert.match(r.stderr, /huge\.html: .*(large|MB)/i);
    assert.match(r.stdout, /articles: 4 new, 0 unchanged, 3 failed/);
    const repo = openStore(db);
    assert.equal(repo.integrityCheck(), 'ok');
    assert.equal(repo.counts().articles, 4);
    const places = repo.listEvents().map((e) => e.locality);
    assert.ok(places.includes('San Jose'), `latin-1 page read: ${places.join(', ')}`);
    assert.ok(places.includes('Denver'), 'nested page read');
    repo.close();
  });

  it('survives SIGKILL mid-run: the store stays consistent and a rerun completes it', async () => {
    const dir = tempDir();
    const inDir = join(dir, 'in');
    mkdirSync(inDir);
    const N = 300;
    for (let i = 0; i < N; i++) {
      const a = makeArticle(i);
      writeFileSync(join(inDir, a.name), a.text);
    }
    const db = join(dir, 'kill.db');
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'ingest', inDir, '--db', db], { cwd: REPO_ROOT, stdio: 'ignore' });
    // wait until some articles are in, then kill without warning
    const deadline = Date.now() + 60000;
    let seen = 0;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (!existsSync(db)) continue;
      try {
        const ro = openStore(db);
        seen = ro.counts().articles;
        ro.close();
      } catch {
        continue;
      }
      if (seen >= 20) break;
    }
    // (a child that already ended, say on an error, fires no second exit)
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    assert.ok(seen >= 20 && seen < N, `killed after ${seen} articles`);
    const repo = openStore(db);
    assert.equal(repo.integrityCheck(), 'ok');
    const mid = repo.counts();
    assert.ok(mid.articles < N);
    // every stored event is backed by stored mentions (no half-written article)
    assert.ok(mid.events > 0 && mid.mentions >= mid.events);
    repo.close();
    const rerun = turnout(['ingest', inDir, '--db', db]);
    assert.equal(rerun.code, 0, rerun.stderr);
    const m = /articles: (\d+) new, (\d+) unchanged/.exec(rerun.stdout)!;
    assert.equal(Number(m[1]) + Number(m[2]), N);
    assert.equal(Number(m[2]), mid.articles);
    // the finished store equals one made in a single clean run
    const clean = join(dir, 'clean.db');
    turnout(['ingest', inDir, '--db', clean]);
    const a = openStore(db);
    const b = openStore(clean);
    assert.deepEqual({ ...a.counts(), revisions: 0 }, { ...b.counts(), revisions: 0 });
    assert.deepEqual(
      a.listEvents().map((e) => [e.id, e.size_text, e.sources.length]),
      b.listEvents().map((e) => [e.id, e.size_text, e.sources.length]),
    );
    a.close();
    b.close();
  });
});
