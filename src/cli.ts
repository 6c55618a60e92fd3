// The `turnout` command.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventRecord, Status } from './core/types.js';
import { parseIso } from './extract/dates.js';
import { IngestError } from './ingest/index.js';
import { articleEvents, ingestInto, processInput, type RawInput } from './pipeline.js';
import { loadGazetteer } from './resolve/gazetteer.js';
import { geocodeLines } from './resolve/geocode.js';
import type { EventFilter, Repository } from './store/repository.js';
import { openStore } from './store/sqlite/index.js';
import { toCsv } from './serve/export/csv.js';
import { toGeoJson } from './serve/export/geojson.js';
import { formatScore, scoreFile, type GoldArticle } from './eval.js';

const VERSION = '0.1.0';
const INPUT_EXTS = new Set(['.txt', '.html', '.htm', '.md']);

const HELP: Record<string, string> = {
  main: `turnout ${VERSION}: news articles in, protest events out.

Usage: turnout <command> [options]

Commands:
  ingest PATH...        read articles (files, directories, or - for stdin) into the store
  extract FILE...       print the events one article reports, without a store (JSON lines)
  events                list stored events as a table
  export                write stored events as CSV, GeoJSON or JSON
  geocode PLACE...      resolve place names (or one per line on stdin) to gazetteer places
  eval GOLD.json        score extraction against hand-coded gold events
  serve                 serve the web map, event pages, roundups and the JSON API

Run "turnout <command> --help" for a command's options.
The store is ./turnout.db unless --db FILE or TURNOUT_DB says otherwise.`,
  ingest: `Usage: turnout ingest PATH... [--db FILE] [--url URL] [--published YYYY-MM-DD]

Reads .txt, .html, .htm and .md files (directories are searched recursively; - reads stdin), extracts
the demonstrations they report, and stores articles, mentions and merged events. Ingesting the same
article again changes nothing. --url and --published give metadata for a single input.
Exit code: 0 when every input was read, 2 when some failed (each failure is one line on stderr).`,
  extract: `Usage: turnout extract FILE... [--text "..."] [--format json] [--url URL] [--published YYYY-MM-DD]

Runs ingest, extract and resolve with no store and merges each article's own mentions. Prints one
JSON line per input: {"doc", "published", "flags", "events"}.`,
  events: `Usage: turnout events [--db FILE] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--region XX]
                     [--locality NAME] [--status occurred|planned]

Prints stored events as a table, sorted by date.`,
  export: `Usage: turnout export --format csv|geojson|json [--out FILE] [--db FILE] [filters as for events]

CSV uses the Crowd Counting Consortium column names where they apply (NA for missing values).
GeoJSON is an RFC 7946 FeatureCollection of points. JSON is an array of event records.`,
  geocode: `Usage: turnout geocode PLACE... | turnout geocode < places.txt

Prints one JSON line per place: locality, region, country, lat, lon, county, fips, precision and the
alternatives considered. Examples: "Portland", "Bozeman, Montana", "Cook County, IL", "Paris".`,
  eval: `Usage: turnout eval GOLD.json [--articles DIR] [--format text|json]

Runs extract on each article the gold file names (looked up next to the gold file, in ../seeds beside
it, or in --articles DIR) and prints precision, recall and F1 per file, with misses and false positives.`,
  serve: `Usage: turnout serve [--db FILE] [--host 127.0.0.1] [--port 8080] [--samples]

Serves the web app (map, timeline, event pages with their evidence, roundups) and the read-only JSON API
(described at /api/openapi.json) from the store. Builds the web app first when it is missing or older
than its sources. --samples ingests the project's sample articles (samples/) when the store is empty,
which is what "npm start" does. Listens on 127.0.0.1 unless --host says otherwise; stop with Ctrl-C.`,
};

interface Args {
  positional: string[];
  opts: Map<string, string>;
  flags: Set<string>;
}

const VALUE_OPTS = new Set(['host', 'port', 'db', 'url', 'published', 'format', 'out', 'from', 'to', 'region', 'locality', 'status', 'text', 'articles', 'macroevent']);
const FLAG_OPTS = new Set(['help', 'version', 'quiet', 'samples']);

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const a: Args = { positional: [], opts: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!;
    if (t === '--') {
      a.positional.push(...argv.slice(i + 1));
      break;
    }
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      const name = t.slice(2, eq > 0 ? eq : undefined);
      if (FLAG_OPTS.has(name)) a.flags.add(name);
      else if (VALUE_OPTS.has(name)) {
        const v = eq > 0 ? t.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`option --${name} needs a value`);
        a.opts.set(name, v);
      } else throw new UsageError(`unknown option ${t}`);
    } else if (t === '-h') a.flags.add('help');
    else a.positional.push(t);
  }
  return a;
}

function dbPath(a: Args): string {
  return a.opts.get('db') ?? process.env.TURNOUT_DB ?? './turnout.db';
}

function checkDate(name: string, v: string | undefined): string | undefined {
  if (v !== undefined && !parseIso(v)) throw new UsageError(`--${name} must be a date as YYYY-MM-DD, got "${v}"`);
  return v;
}

function filterOf(a: Args): EventFilter {
  const status = a.opts.get('status');
  if (status !== undefined && status !== 'occurred' && status !== 'planned') throw new UsageError(`--status must be occurred or planned, got "${status}"`);
  const region = a.opts.get('region');
  if (region !== undefined && !/^[A-Za-z]{2}$/.test(region)) throw new UsageError(`--region must be a two-letter code (a US state or a country), got "${region}"`);
  return {
    from: checkDate('from', a.opts.get('from')),
    to: checkDate('to', a.opts.get('to')),
    region: region?.toUpperCase(),
    locality: a.opts.get('locality'),
    status: status as Status | undefined,
    macroevent: a.opts.get('macroevent'),
  };
}

/** Files to read: directories are walked for article extensions, sorted for a stable order. */
function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(p);
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch {
      out.push(p); // reported as unreadable when read
      continue;
    }
    if (st.isDirectory()) {
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
          const full = join(d, e.name);
          if (e.isDirectory()) walk(full);
          else if (INPUT_EXTS.has(extname(e.name).toLowerCase())) out.push(full);
        }
      };
      walk(p);
    } else out.push(p);
  }
  return out;
}

function readInput(p: string, a: Args, single: boolean): RawInput {
  const bytes = p === '-' ? readFileSync(0) : readFileSync(p);
  const ext = extname(p).toLowerCase();
  return {
    bytes,
    name: p,
    url: single ? a.opts.get('url') ?? null : null,
    published: single ? checkDate('published', a.opts.get('published')) ?? null : null,
    contentType: ext === '.html' || ext === '.htm' ? 'text/html' : ext === '.md' ? 'text/markdown' : ext === '.txt' ? 'text/plain' : null,
  };
}

function describeError(e: unknown): string {
  if (e instanceof IngestError) return e.message;
  const err = e as NodeJS.ErrnoException | undefined;
  if (err?.code === 'ENOENT') return 'no such file';
  if (err?.code === 'EACCES') return 'permission denied';
  if (err?.code === 'EISDIR') return 'is a directory';
  return err?.message ?? String(e);
}

function progress(): { tick(i: number, n: number, name: string): void; done(): void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    tick(i, n, name) {
      if (!tty || n < 2) return;
      const now = Date.now();
      if (now - last < 100 && i < n) return;
      last = now;
      const label = name.length > 50 ? '…' + name.slice(-49) : name;
      process.stderr.write(`\r\x1b[K[${i}/${n}] ${label}`);
    },
    done() {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}

interface Tally {
  new: number;
  unchanged: number;
  failed: number;
  mentions: number;
  eventsNew: number;
  eventsUpdated: number;
}

/** Ingests files into an open store, one line on stderr per failure and a progress line on a terminal. */
function ingestPaths(repo: Repository, paths: string[], a: Args): Tally {
  const single = paths.length === 1;
  const gaz = loadGazetteer();
  const tally: Tally = { new: 0, unchanged: 0, failed: 0, mentions: 0, eventsNew: 0, eventsUpdated: 0 };
  const bar = progress();
  try {
    paths.forEach((p, i) => {
      bar.tick(i + 1, paths.length, p);
      try {
        const r = ingestInto(repo, readInput(p, a, single), gaz);
        tally[r.article]++;
        tally.mentions += r.mentions;
        tally.eventsNew += r.eventsNew;
        tally.eventsUpdated += r.eventsUpdated;
      } catch (e) {
        if (e instanceof UsageError) throw e;
        tally.failed++;
        bar.done();
        process.stderr.write(`turnout: ${p}: ${describeError(e)}\n`);
      }
    });
  } finally {
    bar.done();
  }
  return tally;
}

function cmdIngest(a: Args): number {
  const paths = expandPaths(a.positional);
  if (!paths.length) throw new UsageError('ingest needs at least one PATH (a file, a directory, or - for stdin)');
  if (paths.length > 1 && (a.opts.has('url') || a.opts.has('published'))) throw new UsageError('--url and --published apply to a single input only');
  const repo = openStore(dbPath(a));
  let tally: Tally;
  try {
    tally = ingestPaths(repo, paths, a);
  } finally {
    repo.close();
  }
  if (!a.flags.has('quiet')) {
    process.stdout.write(
      `articles: ${tally.new} new, ${tally.unchanged} unchanged, ${tally.failed} failed\n` +
        `mentions: ${tally.mentions}\n` +
        `events: ${tally.eventsNew} new, ${tally.eventsUpdated} updated\n`,
    );
  }
  return tally.failed ? 2 : 0;
}

function cmdExtract(a: Args): number {
  const fmt = a.opts.get('format') ?? 'json';
  if (fmt !== 'json') throw new UsageError(`extract prints JSON lines only (--format json), got "${fmt}"`);
  const gaz = loadGazetteer();
  const inputs: RawInput[] = [];
  const text = a.opts.get('text');
  const paths = expandPaths(a.positional);
  const single = paths.length + (text !== undefined ? 1 : 0) === 1;
  if (!single && (a.opts.has('url') || a.opts.has('published'))) throw new UsageError('--url and --published apply to a single input only');
  if (text !== undefined) {
    inputs.push({
      bytes: new TextEncoder().encode(text),
      name: '--text',
      url: a.opts.get('url') ?? null,
      published: checkDate('published', a.opts.get('published')) ?? null,
      contentType: 'text/plain',
    });
  }
  if (!paths.length && !inputs.length) throw new UsageError('extract needs a FILE or --text "..."');
  let failed = 0;
  const emit = (input: RawInput | (() => RawInput), name: string) => {
    try {
      const p = processInput(typeof input === 'function' ? input() : input, gaz);
      process.stdout.write(JSON.stringify({ doc: name, published: p.article.published, flags: p.article.flags, events: articleEvents(p) }) + '\n');
    } catch (e) {
      failed++;
      process.stderr.write(`turnout: ${name}: ${describeError(e)}\n`);
    }
  };
  for (const i of inputs) emit(i, i.name);
  for (const p of paths) emit(() => readInput(p, a, single), p);
  return failed ? 2 : 0;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s.slice(0, n - 1) + '…' : s + ' '.repeat(n - s.length);
}

function cmdEvents(a: Args): number {
  const repo = openStore(dbPath(a));
  try {
    const events = repo.listEvents(filterOf(a));
    const head = `${pad('date', 11)}${pad('prec', 6)}${pad('status', 9)}${pad('place', 30)}${pad('size', 14)}${pad('arrests', 12)}${pad('src', 4)}id`;
    const lines = [head];
    for (const e of events) {
      const place = e.locality ? `${e.locality}, ${e.region}` : `(nationwide) ${e.region ?? ''}`;
      lines.push(
        `${pad(e.date ?? '?', 11)}${pad(e.date_precision, 6)}${pad(e.status, 9)}${pad(place, 30)}${pad(e.size_text ?? '', 14)}${pad(e.arrests_text ?? '', 12)}${pad(String(e.sources.length), 4)}${e.id}`,
      );
    }
    lines.push(`${events.length} event${events.length === 1 ? '' : 's'}`);
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    repo.close();
  }
  return 0;
}

export function renderExport(events: EventRecord[], fmt: string): string {
  if (fmt === 'csv') return toCsv(events);
  if (fmt === 'geojson') return JSON.stringify(toGeoJson(events), null, 1) + '\n';
  if (fmt === 'json') return JSON.stringify(events, null, 1) + '\n';
  throw new UsageError(`--format must be csv, geojson or json, got "${fmt}"`);
}

function cmdExport(a: Args): number {
  const fmt = a.opts.get('format');
  if (!fmt) throw new UsageError('export needs --format csv|geojson|json');
  const filter = filterOf(a);
  renderExport([], fmt); // validates the format before the store is opened
  const repo = openStore(dbPath(a));
  try {
    const out = renderExport(repo.listEvents(filter), fmt);
    const file = a.opts.get('out');
    if (file) writeFileSync(file, out);
    else process.stdout.write(out);
  } finally {
    repo.close();
  }
  return 0;
}

function cmdGeocode(a: Args): number {
  let queries = a.positional;
  if (!queries.length) {
    queries = readFileSync(0, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  }
  if (!queries.length) throw new UsageError('geocode needs a PLACE, or places on stdin, one per line');
  for (const line of geocodeLines(queries)) process.stdout.write(line + '\n');
  return 0;
}

function cmdEval(a: Args): number {
  const goldPath = a.positional[0];
  if (!goldPath) throw new UsageError('eval needs a GOLD.json file');
  let gold: { articles?: GoldArticle[] };
  try {
    gold = JSON.parse(readFileSync(goldPath, 'utf8'));
  } catch (e) {
    process.stderr.write(`turnout: ${goldPath}: ${describeError(e)}\n`);
    return 2;
  }
  if (!Array.isArray(gold.articles)) {
    process.stderr.write(`turnout: ${goldPath}: no "articles" array\n`);
    return 2;
  }
  const dir = dirname(resolve(goldPath));
  const roots = [a.opts.get('articles'), dir, join(dir, '..', 'seeds')].filter((d): d is string => Boolean(d));
  const gaz = loadGazetteer();
  const scores = [];
  let failed = 0;
  for (const g of gold.articles) {
    const file = roots.map((r) => join(r, g.file)).find((f) => {
      try {
        return statSync(f).isFile();
      } catch {
        return false;
      }
    });
    if (!file) {
      failed++;
      process.stderr.write(`turnout: ${g.file}: article not found (looked in ${roots.join(', ')})\n`);
      continue;
    }
    const p = processInput({ bytes: readFileSync(file), name: file, contentType: null }, gaz);
    scores.push(scoreFile(g.file, g.events, articleEvents(p)));
  }
  if (a.opts.get('format') === 'json') {
    process.stdout.write(JSON.stringify(scores.map((s) => ({ file: s.file, precision: s.precision, recall: s.recall, f1: s.f1, status_correct: s.statusCorrect, matched: s.matched.length, misses: s.misses, false_positives: s.falsePositives }))) + '\n');
  } else {
    process.stdout.write(scores.map(formatScore).join('\n') + '\n');
  }
  return failed ? 2 : 0;
}

const SAMPLES_DIR = fileURLToPath(new URL('../samples', import.meta.url));

async function cmdServe(a: Args): Promise<number> {
  const host = a.opts.get('host') ?? '127.0.0.1';
  const portText = a.opts.get('port') ?? '8080';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a number from 0 to 65535, got "${portText}"`);
  const { ensureWebBuilt } = await import('./serve/build.js');
  const { startServer } = await import('./serve/server.js');
  const webRoot = await ensureWebBuilt();
  const repo = openStore(dbPath(a));
  if (a.flags.has('samples') && repo.counts().articles === 0) {
    const t = ingestPaths(repo, expandPaths([SAMPLES_DIR]), a);
    process.stderr.write(`turnout: the store was empty: ingested ${t.new} sample articles (${t.eventsNew} events)\n`);
  }
  let server;
  try {
    server = await startServer({ repo, host, port, webRoot });
  } catch (e) {
    repo.close();
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`turnout: cannot listen on ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is in use (try --port)' : err.message}\n`);
    return 2;
  }
  const { events } = repo.counts();
  process.stdout.write(`turnout: serving ${events} events from ${dbPath(a)} at ${server.url}/ (API: ${server.url}/api/openapi.json)\n`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  repo.close();
  return 0;
}

const COMMANDS: Record<string, (a: Args) => number | Promise<number>> = {
  serve: cmdServe,
  ingest: cmdIngest,
  extract: cmdExtract,
  events: cmdEvents,
  export: cmdExport,
  geocode: cmdGeocode,
  eval: cmdEval,
};

export function main(argv: string[]): number | Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      const topic = cmd === 'help' && rest[0] ? rest[0] : 'main';
      process.stdout.write((HELP[topic] ?? HELP.main) + '\n');
      return 0;
    }
    if (cmd === '--version') {
      process.stdout.write(VERSION + '\n');
      return 0;
    }
    const run = COMMANDS[cmd];
    if (!run) throw new UsageError(`unknown command "${cmd}"`);
    const a = parseArgs(rest);
    if (a.flags.has('help')) {
      process.stdout.write(HELP[cmd] + '\n');
      return 0;
    }
    const r = run(a);
    return r instanceof Promise ? r.catch((e: unknown) => usageFailure(e, cmd)) : r;
  } catch (e) {
    return usageFailure(e, cmd);
  }
}

function usageFailure(e: unknown, cmd: string): number {
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`turnout: ${e.message}\nRun "turnout ${COMMANDS[cmd] ? cmd + ' ' : ''}--help" for usage.\n`);
  return 1;
}

const isMain = process.argv[1] && resolve(process.argv[1]).replace(/\.[cm]?[jt]s$/, '') === resolve(new URL(import.meta.url).pathname).replace(/\.[cm]?[jt]s$/, '');
if (isMain) {
  process.exitCode = await main(process.argv.slice(2));
}
