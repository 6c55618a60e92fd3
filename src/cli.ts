// The `turnout` command.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs as parseArgv, type ParseArgsConfig } from 'node:util';
import { spawn, type ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { NODE_LOADER_ARGS, REPO_ROOT } from './core/paths.js';
import { eventDate } from './core/dates.js';
import type { EventRecord, Status } from './core/types.js';
import { parseIso } from './extract/dates.js';
import { IngestError } from './ingest/index.js';
import { articleEvents, ingestIntoStore, processInput, type RawInput } from './pipeline.js';
import { loadGazetteer } from './resolve/gazetteer.js';
import { geocodeOutput } from './resolve/geocode.js';
import { regionFilter, unknownRegionMessage } from './resolve/regions.js';
import type { EventFilter, Repository } from './store/repository.js';
import type { PgStore } from './store/pg/index.js';
import { isPostgresUrl, openAsyncStore, type AsyncLiveStore, type Store } from './store/store.js';
import type { DrainSummary, Watcher, WatchOptions } from './live/watch.js';
import type { GoldArticle } from './eval.js';
import { localDay } from './core/planned.js';
import { toCsv } from './serve/export/csv.js';
import { servedEvent } from './serve/served.js';
import { toGeoJson } from './serve/export/geojson.js';

// The store, the fetcher, the watcher and the scorer are imported by the commands that use them: `turnout
// extract` starts without loading them.
/** The SQLite Repository at `path`, for the commands that run the live record's jobs in-process there (fetch, watch). */
const openStore = async (path: string): Promise<Repository> => (await import('./store/sqlite/index.js')).openStore(path);

/** The store as messages name it: the SQLite file, or "the PostgreSQL store" (its address may hold a password). */
function storeName(address: string): string {
  return isPostgresUrl(address) ? 'the PostgreSQL store' : address;
}

/** A store that cannot be opened (no such server, a file that is not a store): said in one line, exit code 2. */
class StoreError extends Error {}

/** The store at --db or TURNOUT_DB, SQLite or PostgreSQL, as the asynchronous Store; StoreError when it cannot be opened. */
async function openRecord(a: Args): Promise<Store> {
  const address = dbPath(a);
  try {
    return await openAsyncStore(address);
  } catch (e) {
    throw new StoreError(`cannot open ${storeName(address)}: ${(e as Error).message}`);
  }
}

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
  eval GOLD.json        score extraction against hand-coded gold events (seeds or labels format)
  serve                 serve the web map, event pages, roundups, feeds and the JSON API
  fetch URL...          fetch web pages and ingest them
  sources add|list|log|remove
                        manage the RSS, Atom and JSON Feed sources that watch polls
  watch                 poll due sources, ingest new items, deliver webhooks (--once: one round)
  webhooks add|list|log|remove
                        POST signed JSON to a URL for each new or updated event
  users add|list|remove|token
                        manage accounts (admin, editor, viewer) and their API tokens
  migrate               bring the store's schema up to date (SQLite file or PostgreSQL server), or move
                        a SQLite store to PostgreSQL (--from sqlite FILE --to postgres://...)
  worker                run queued jobs on a PostgreSQL store: articles ("ingest --enqueue"), feed polls,
                        pages and webhook deliveries

Run "turnout <command> --help" for a command's options.
The store is ./turnout.db unless --db FILE or TURNOUT_DB says otherwise. A postgres:// URL there names a
PostgreSQL server instead, and every command works with one; there fetch, watch and serve queue jobs (on pg-boss,
in the same database) that "turnout worker" processes run, on any number of machines.`,
  ingest: `Usage: turnout ingest PATH... [--db FILE|URL] [--url URL] [--published YYYY-MM-DD] [--enqueue]

Reads .txt, .html, .htm and .md files (directories are searched recursively; - reads stdin), extracts
the demonstrations they report, and stores articles, mentions and merged events. Ingesting the same
article again changes nothing. --url and --published give metadata for a single input.
--enqueue (PostgreSQL store only) extracts nothing: it puts one job per article on the "ingest" queue (pg-boss,
in the schema "pgboss" of the same database) for "turnout worker" processes to run. A job carries the file's
bytes (up to 5 MB), name, --url and --published and today's date, so workers need no shared disk. Input that is
not an article fails here, as without --enqueue; an article already stored or already queued is not queued again
(its job id is made from its content). TURNOUT_JOB_EXPIRE_SECONDS (default 120) is how long a worker may hold
a job before it is taken as dead and the job retried.
Exit code: 0 when every input was read, 2 when some failed (each failure is one line on stderr).`,
  extract: `Usage: turnout extract FILE... [--text "..."] [--format json] [--url URL] [--published YYYY-MM-DD]

Runs ingest, extract and resolve with no store and merges each article's own mentions. Prints one
JSON line per input: {"doc", "published", "flags", "events"}.`,
  events: `Usage: turnout events [--db FILE|URL] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--region XX]
                     [--locality NAME] [--status occurred|planned] [--macroevent NAME] [--include-rejected]

Prints stored events as a table, sorted by date, and counts the events that occurred apart from the planned.
The review column says whether an editor verified, edited or rejected the event (blank: not reviewed yet).
--region is a US state code (OH), or abroad a country's ISO code (FR) or name (France); an unknown one is an error.
Events an editor rejected are left out unless --include-rejected.`,
  export: `Usage: turnout export --format csv|geojson|json [--out FILE] [--db FILE|URL] [--include-planned] [--include-rejected]
                     [filters as for events]

CSV uses the Crowd Counting Consortium column names where they apply (NA for missing values): a US state or
territory in "state", the country of an event abroad in "country". Like CCC's data it holds events that took
place: planned events are left out unless --include-planned (or --status planned).
GeoJSON is an RFC 7946 FeatureCollection of points. JSON is an array of event records. Both carry every event,
with planned_status for a plan ("upcoming", "no report yet", "reported", "date unknown").
Every format carries the review fields (review_status, reviewed_by, reviewed_at; CSV: the coder column). Events an
editor rejected are left out unless --include-rejected.`,
  geocode: `Usage: turnout geocode PLACE... | turnout geocode < places.txt

Prints one JSON line per place: locality, region, country, lat, lon, county, fips, precision, location_detail
(a neighbourhood or New York borough the query names: "Brooklyn, NY" is locality New York, location_detail
Brooklyn), ambiguous and candidates, and the alternatives considered. A name that fits another town about as
well ("Franklin") is flagged "ambiguous": true with its likeliest readings in "candidates", and a line on
stderr says so; the first reading is still given. Examples: "Spokane", "Billings, Montana", "Cook County, IL", "Lyon".

With a state, geocode also finds places the extractor never reads as bare words: small GeoNames places, US
Census places (towns and CDPs) and SimpleMaps townships ("Upper Merion Township, PA"). When the state has no
place of the name it tries, in order: a generic word added or left out ("Daytona, FL", "Johnsbury, VT"), a
misspelling within one edit of a place or county in the state, a border town across the line ("Weirton, OH"),
a state code slip ("Conway, AK" for Arkansas), an alternate name ("Utqiagvik, AK"), two edits for names of 7+
letters ("Fullteron, CA"), a namesake elsewhere that dominates all others ("Anaheim, FL"); else the state itself.
Whenever the result lies outside the named state, that state is the first alternative.`,
  eval: `Usage: turnout eval GOLD.json [--articles DIR] [--format text|json]
       turnout eval LABELS.json --texts DIR [--by-doc] [--format text|json]

GOLD.json in the seeds format ({"articles": [...]}): runs extract on each article the gold file names
(looked up next to the gold file, in ../seeds beside it, or in --articles DIR) and prints precision,
recall and F1 per file, with misses and false positives.

LABELS.json in the hidden-set format (a list of {"id", "url", "negative", "events"}): runs extract on
DIR/<id>.txt with the item's URL, as "turnout extract FILE --url URL" does, and scores the events as
../shared/eval/score.py does (same matching, same totals lines; --format json prints score.py's --json
object). An item whose text is missing counts as zero output. --by-doc adds each document's misses,
false positives and attribute disagreements.
Exit code: 0 after scoring, 2 when the gold file, a seeds article or the --texts DIR cannot be read, 1 for a
usage error.`,
  serve: `Usage: turnout serve [--db FILE|URL] [--host 127.0.0.1] [--port 8080] [--workers 1] [--samples] [--no-watch]
                     [--trust-proxy] [--verified-only] [--allow-host HOST]...

Serves the web app (map, timeline, event pages with their evidence, roundups), the JSON API
(described at /api/openapi.json) and the feeds /feeds/events.atom (same filters as /api/events) and
/feeds/planned.ics. Builds the web app first when it is missing or older than its sources. --samples
ingests the project's sample articles (samples/) when the store is empty, which is what "npm start" does.
Unless --no-watch, it also runs "turnout watch" as a child process. --workers N runs N server processes
on the one port (one per core suits a busy map). Listens on 127.0.0.1 unless --host says otherwise; stop
with Ctrl-C. Browsers log in with POST /api/session; the session cookie is Secure when the request came over
TLS. --trust-proxy is for a server reached only through a reverse proxy that terminates TLS: the client's
address (for the login rate limits) is then the last hop of X-Forwarded-For, TLS is X-Forwarded-Proto's and the
host X-Forwarded-Host's; without it they come from the connection. Never use it on a server clients reach
directly: they could claim any address.
By default the map, the API and the feeds publish every event not rejected, each with its review_status.
--verified-only publishes only the events an editor verified or edited: every list, map, count, export, roundup
and feed leaves the others out, and /api/events/{id} answers 404 for them, except to editors and admins (who
review them in /api/review/queue).
--db (or TURNOUT_DB) may name a PostgreSQL server, postgres://USER@HOST:PORT/DATABASE (its migrations are
applied as it opens). The map, the API, the feeds, logins and edits then work on it, and unless --no-watch the
server also schedules the polls of due sources (as "turnout watch" does there) in its own process; the polls,
pages and webhook deliveries are run by "turnout worker" processes.`,
  fetch: `Usage: turnout fetch URL... [--db FILE|URL] [--allow-host HOST]...

Fetches each page (http/https only; robots.txt respected; 10 MB cap; addresses that resolve to loopback,
private or link-local networks refused unless the host is allowed with --allow-host or TURNOUT_ALLOW_HOSTS)
and ingests it as "turnout ingest" would. Exit code 2 when some URL failed.
On a PostgreSQL store (--db postgres://...) it fetches nothing itself: each page is queued as a job on the "item"
queue, and "turnout worker" fetches and ingests it (the worker's --allow-host and TURNOUT_ALLOW_HOSTS apply).
Exit code 2 when some URL is not http or https.`,
  sources: `Usage: turnout sources add URL [--every 15m] | sources list | sources log [ID] | sources remove ID|URL   [--db FILE|URL]

Feed sources (RSS, Atom, JSON Feed) that "turnout watch" polls. --every takes s, m, h or d (at least 1m;
default 15m). "sources log" prints the fetch log: time, status, items new and skipped, error.`,
  watch: `Usage: turnout watch [--once] [--db FILE|URL] [--allow-host HOST]...

Polls every due source (conditional GET), records items that are not about protests as skipped with the
reason, fetches and ingests the others (near-duplicate wire copy is linked to its original), and delivers
webhooks. Work goes through a job table in the store: a killed watcher resumes where it stopped, and two
watchers on one store never take the same job. --once polls each source once, finishes the work, exits.
Environment: TURNOUT_ALLOW_HOSTS (comma-separated), TURNOUT_POLITENESS_MS (default 1000 per host),
TURNOUT_RETRY_BASE_MS (first retry delay, default 30000, doubling), TURNOUT_LEASE_MS (default 120000).
On a PostgreSQL store (--db postgres://...) watch is the scheduler only: it queues a job on the "poll" queue for
each source when it is due (any number of schedulers queue each due poll once), and "turnout worker" processes
poll, fetch, ingest and deliver. --once queues one poll of every source, says how many, and exits.`,
  webhooks: `Usage: turnout webhooks add URL [--filter KEY=VALUE]... [--secret S] | webhooks list | webhooks log ID | webhooks remove ID   [--db FILE|URL]

Each new or updated event that passes the filters (keys: from, to, region, locality, status, macroevent, q;
verified=true: only events an editor verified or edited, as "serve --verified-only" publishes them) is POSTed to URL as JSON {type, change, review_status, revision, event, delivered_at}, with the header
Turnout-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>"> keyed by the secret (printed by "add").
change says what made the revision: ingest (articles), or an editor's review, edit, merge, split or undo; an
editor's verification or correction is announced so, with review_status verified or edited. Rejected events
are never sent. Failed deliveries are retried with exponential
backoff; after 5 failures in a row the hook is disabled. "webhooks log" prints the delivery log.
On a PostgreSQL store each delivery is a job on the "deliver" queue, queued in the transaction that made the
revision (an ingest, an edit, a review), and sent by "turnout worker".`,
  users: `Usage: turnout users add NAME --role admin|editor|viewer [--password-stdin] | users list | users remove NAME | users token NAME   [--db FILE|URL]

Accounts and API tokens. "add" prints a generated password once, or with --password-stdin reads the password
from stdin (one trailing newline is dropped). Passwords are stored as salted scrypt hashes. "list" prints each
user's name, role, creation time and number of API tokens. "remove" deletes the user, revokes their tokens and
ends their browser sessions.
"token" prints a new API token for the user, once: only its SHA-256 is stored. Scripts send it to the server as
"Authorization: Bearer TOKEN" (GET /api/me says who it stands for). A name is 1 to 64 characters with no
control characters. Exit code 1 for bad input (unknown role or user, a name already taken).`,
};

HELP.worker = `Usage: turnout worker --db URL [--concurrency N] [--allow-host HOST]...

Runs the jobs queued on a PostgreSQL store (--db or TURNOUT_DB, a postgres:// URL): articles queued by
"turnout ingest --enqueue" ("ingest" queue), feed polls queued by "turnout watch" or "turnout serve" ("poll"),
feed items and pages queued by polls and "turnout fetch" ("item"), and webhook deliveries ("deliver"). Takes one
job at a time in each of N loops (--concurrency, default 1, at most 64), asking the queues in turn, and ends each
job in the transaction that saves what it did (an article, a poll's new items and their jobs, a delivery's log).
Any number of workers on any number of machines can share the queues: a job is taken by one worker at a time; the
jobs of a worker that died are expired (TURNOUT_JOB_EXPIRE_SECONDS after it took them, checked every
TURNOUT_JOB_CHECK_SECONDS, default 30) and retried by another, and a retry of work already saved changes nothing.
An ingest job that failed for a passing reason is retried up to 3 times with growing delays; a poll, page or
delivery that failed for a passing reason (the network, a timeout, a 429 or 5xx) up to 4 times, the first after
TURNOUT_RETRY_BASE_MS (default 30000, in whole seconds), each next about twice as long. Input that can never be
read (not an article, not a feed) fails at once, with the reason kept in the job. Fetches obey the same rules as
"turnout fetch" (--allow-host, TURNOUT_ALLOW_HOSTS, TURNOUT_POLITENESS_MS). Progress lines and failures go to
stderr. Runs until SIGINT or SIGTERM, then finishes the jobs in hand and exits 0. Exit code 1 for a usage error, 2
when the store or the queue cannot be opened.`;

HELP.migrate = `Usage: turnout migrate [--db FILE|URL]
       turnout migrate --from sqlite FILE --to postgres://USER@HOST:PORT/DATABASE

Applies every schema migration the store lacks, then prints the schema version it is at. --db (or TURNOUT_DB)
is a SQLite file (./turnout.db by default; created when missing) or a PostgreSQL server as
postgres://USER@HOST:PORT/DATABASE (its tables go in the schema "public"). Both backends number their
migrations alike: version N is the same schema on either. Every command that opens a SQLite store applies its
migrations too. Safe to run again, and from several processes at once (they wait for each other). Exit code 0
when the store is up to date, 2 when it cannot be opened, 1 for a usage error.

With --from sqlite FILE --to URL it moves a store: the SQLite file (opened read-only; it must be at the newest
schema version, so run "turnout migrate --db FILE" on it first) is copied into the PostgreSQL store at URL (its
migrations applied first): articles, mentions, near-duplicate links, events, revisions, edits, merges and splits,
accounts, API tokens, sessions, and the live record (sources, fetch log, feed items, jobs, webhooks and their
deliveries), 1,000 rows per statement. PostgreSQL's search rows and full-text index are rebuilt from each record.
Rows the target already holds with the same values are skipped, so an interrupted move resumes and a second one
copies nothing; if it holds other values under the same ids, the move names them and copies nothing. Then it
verifies: per table, the row counts and a SHA-256 of the rows are equal on both sides, and per event, the
SHA-256 of its record as canonical JSON. It prints a table of the counts and checksums, and any SQLite table not
copied with the reason (progress goes to stderr). Exit code 0 when everything verifies, 1 when the target holds
different data or something does not verify, 2 when a store cannot be opened or moved as it is.`;

interface Args {
  positional: string[];
  opts: Map<string, string>;
  flags: Set<string>;
  lists: Map<string, string[]>;
}

const VALUE_OPTS = new Set(['workers', 'concurrency', 'every', 'secret', 'host', 'port', 'db', 'url', 'published', 'format', 'out', 'from', 'to', 'region', 'locality', 'status', 'text', 'articles', 'texts', 'macroevent', 'role']);
const FLAG_OPTS = new Set(['help', 'version', 'quiet', 'enqueue', 'samples', 'once', 'no-watch', 'by-doc', 'include-planned', 'include-rejected', 'verified-only', 'password-stdin', 'trust-proxy']);
/** Options that may be given more than once: their values are kept in order. */
const LIST_OPTS = new Set(['allow-host', 'filter']);

class UsageError extends Error {}

/** The options every command may take, in node:util parseArgs' form. */
const OPTION_SPEC: ParseArgsConfig['options'] = {
  ...Object.fromEntries([...VALUE_OPTS].map((n) => [n, { type: 'string' as const }])),
  ...Object.fromEntries([...FLAG_OPTS].map((n) => [n, { type: 'boolean' as const }])),
  ...Object.fromEntries([...LIST_OPTS].map((n) => [n, { type: 'string' as const, multiple: true }])),
  help: { type: 'boolean', short: 'h' },
};

/** The command line read by node:util's parseArgs (strict: an unknown option or a missing value is a usage error). */
function parseArgs(argv: string[]): Args {
  let parsed: ReturnType<typeof parseArgv>;
  try {
    parsed = parseArgv({ args: argv, options: OPTION_SPEC, allowPositionals: true, strict: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const name = /'(-{1,2}[^'\s]+)/.exec((e as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${name}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const opt = name.replace(/^-+/, '');
      throw new UsageError(FLAG_OPTS.has(opt) ? `option --${opt} takes no value` : `option --${opt} needs a value`);
    }
    throw new UsageError((e as Error).message);
  }
  const a: Args = { positional: parsed.positionals, opts: new Map(), flags: new Set(), lists: new Map() };
  for (const [name, v] of Object.entries(parsed.values)) {
    if (Array.isArray(v)) a.lists.set(name, v.map(String));
    else if (typeof v === 'boolean') {
      if (v) a.flags.add(name);
    } else if (v !== undefined) a.opts.set(name, v);
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

/**
 * The store's filter from the command's options. A region is checked against the states and countries we know, then
 * (when `storedRegions` is given) against the regions in the store: an unknown one is a usage error naming --region.
 */
function filterOf(a: Args, storedRegions?: () => string[]): EventFilter {
  const status = a.opts.get('status');
  if (status !== undefined && status !== 'occurred' && status !== 'planned') throw new UsageError(`--status must be occurred or planned, got "${status}"`);
  const given = a.opts.get('region');
  const region = given === undefined ? undefined : regionFilter(given, storedRegions);
  if (region === null) throw new UsageError(unknownRegionMessage('--region', given!));
  return {
    from: checkDate('from', a.opts.get('from')),
    to: checkDate('to', a.opts.get('to')),
    region,
    locality: a.opts.get('locality'),
    status: status as Status | undefined,
    macroevent: a.opts.get('macroevent'),
    // (left out unless given: a webhook's stored filter names only what was asked for)
    ...(a.flags.has('include-rejected') ? { includeRejected: true } : {}),
  };
}

/** Files to read: directories are walked for article extensions, sorted for a stable order. */
/** filterOf with a region checked against the regions in the store too (read only when the region is not one we know). */
async function storeFilter(a: Args, store: Pick<Store, 'regions'>): Promise<EventFilter> {
  const given = a.opts.get('region');
  const stored = given !== undefined && regionFilter(given) === null ? await store.regions() : [];
  return filterOf(a, () => stored);
}

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

/**
 * Reads each input and hands it to `each`, with a progress line on a terminal and one line on stderr per input that
 * fails (a usage error stops the run); returns how many failed.
 */
async function forEachInput(paths: string[], a: Args, each: (input: RawInput) => Promise<void>): Promise<number> {
  const single = paths.length === 1;
  let failed = 0;
  const bar = progress();
  try {
    for (const [i, p] of paths.entries()) {
      bar.tick(i + 1, paths.length, p);
      try {
        await each(readInput(p, a, single));
      } catch (e) {
        if (e instanceof UsageError) throw e;
        failed++;
        bar.done();
        process.stderr.write(`turnout: ${p}: ${describeError(e)}\n`);
      }
    }
  } finally {
    bar.done();
  }
  return failed;
}

/** Ingests files into an open store, one line on stderr per failure and a progress line on a terminal. */
async function ingestPaths(store: Store, paths: string[], a: Args): Promise<Tally> {
  const gaz = loadGazetteer();
  const tally: Tally = { new: 0, unchanged: 0, failed: 0, mentions: 0, eventsNew: 0, eventsUpdated: 0 };
  tally.failed = await store.grouped((saved) =>
    forEachInput(paths, a, async (input) => {
      const r = await ingestIntoStore(store, input, gaz);
      saved();
      tally[r.article]++;
      tally.mentions += r.mentions;
      tally.eventsNew += r.eventsNew;
      tally.eventsUpdated += r.eventsUpdated;
    }),
  );
  return tally;
}

async function cmdIngest(a: Args): Promise<number> {
  const paths = expandPaths(a.positional);
  if (!paths.length) throw new UsageError('ingest needs at least one PATH (a file, a directory, or - for stdin)');
  if (paths.length > 1 && (a.opts.has('url') || a.opts.has('published'))) throw new UsageError('--url and --published apply to a single input only');
  if (a.flags.has('enqueue')) return enqueuePaths(paths, a);
  const store = await openRecord(a);
  let tally: Tally;
  try {
    tally = await ingestPaths(store, paths, a);
  } finally {
    await store.close();
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

/** The store and the job queue on the PostgreSQL server --db names (a usage error for a SQLite file), for `command`. */
async function openJobStore(a: Args, command: string, supervise: boolean): Promise<{ store: Store; boss: import('pg-boss'); close(): Promise<void> }> {
  const address = dbPath(a);
  if (!isPostgresUrl(address)) throw new UsageError(`${command} needs a PostgreSQL store (--db postgres://...): the job queue lives there`);
  const store = await openRecord(a);
  const { openJobs } = await import('./jobs/queue.js');
  let boss: import('pg-boss');
  try {
    boss = await openJobs(address, { supervise });
  } catch (e) {
    await store.close();
    throw new StoreError(`cannot open the job queue on the PostgreSQL store: ${(e as Error).message}`);
  }
  return { store, boss, close: async () => void (await Promise.all([boss.stop({ graceful: false, wait: true }), store.close()])) };
}

/** `turnout ingest --enqueue`: one ingest job per article on the queue (enqueueInput), a line per failure, a summary. */
async function enqueuePaths(paths: string[], a: Args): Promise<number> {
  const { enqueueInput } = await import('./jobs/ingest.js');
  const jobs = await openJobStore(a, '--enqueue', false);
  const today = new Date().toISOString().slice(0, 10);
  const tally = { queued: 0, 'already queued': 0, 'already stored': 0, failed: 0 };
  try {
    tally.failed = await forEachInput(paths, a, async (input) => void tally[await enqueueInput(jobs.boss, jobs.store, input, today)]++);
  } finally {
    await jobs.close();
  }
  if (!a.flags.has('quiet')) {
    process.stdout.write(`jobs: ${tally.queued} queued, ${tally['already queued']} already queued, ${tally['already stored']} already stored, ${tally.failed} failed\n`);
  }
  return tally.failed ? 2 : 0;
}

/**
 * `turnout worker`: runs ingest jobs and the live record's (polls, items, deliveries) until SIGINT or SIGTERM, with a
 * progress line on stderr every few seconds.
 */
async function cmdWorker(a: Args): Promise<number> {
  if (a.positional.length) throw new UsageError('worker takes no arguments (the store is --db URL or TURNOUT_DB)');
  const given = a.opts.get('concurrency') ?? '1';
  const concurrency = Number(given);
  if (!/^\d+$/.test(given) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64, got "${given}"`);
  const options = await liveOptions(a);
  const { startWorker, describeTally } = await import('./jobs/worker.js');
  const { ingestHandler } = await import('./jobs/ingest.js');
  const { liveHandlers } = await import('./jobs/live.js');
  const jobs = await openJobStore(a, 'worker', true);
  const log = (line: string) => process.stderr.write(`turnout worker: ${line}\n`);
  const gazetteer = loadGazetteer();
  const handlers = [
    ingestHandler(jobs.boss, jobs.store, gazetteer, log),
    ...liveHandlers(jobs.boss, jobs.store as PgStore, { ...options, disableAfter: 5, respectRobots: true, gazetteer, log: a.flags.has('quiet') ? () => undefined : log }),
  ];
  const worker = startWorker(jobs.boss, handlers, { concurrency, log });
  log(`running jobs (ingest, poll, item, deliver) from ${storeName(dbPath(a))} with concurrency ${concurrency} (pid ${process.pid}); stop with Ctrl-C or SIGTERM`);
  let said = '';
  const ticker = setInterval(() => {
    const line = describeTally(worker.tally);
    if (line !== said) log((said = line));
  }, 2000);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      log('stopping: finishing the jobs in hand');
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  clearInterval(ticker);
  await worker.stop();
  await jobs.close();
  log(`stopped: ${describeTally(worker.tally)}`);
  return 0;
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

async function cmdEvents(a: Args): Promise<number> {
  const store = await openRecord(a);
  try {
    const events = await store.listEvents(await storeFilter(a, store));
    // a day reads 2026-01-30; a week "week of 26 January 2026", a month "January 2026" (never a made-up day)
    const dates = events.map((e) => eventDate(e.date, e.date_precision, { day: 'iso', unknown: '?' }));
    const dateWidth = dates.reduce((w, d) => Math.max(w, d.length + 1), 11);
    const head = `${pad('date', dateWidth)}${pad('prec', 6)}${pad('status', 9)}${pad('place', 30)}${pad('size', 14)}${pad('arrests', 12)}${pad('src', 4)}${pad('review', 10)}id`;
    const lines = [head];
    for (const [i, e] of events.entries()) {
      const place = e.locality ? `${e.locality}, ${e.region}` : `(nationwide) ${e.region ?? ''}`;
      lines.push(
        `${pad(dates[i]!, dateWidth)}${pad(e.date_precision, 6)}${pad(e.status, 9)}${pad(place, 30)}${pad(e.size_text ?? '', 14)}${pad(e.arrests_text ?? '', 12)}${pad(String(e.sources.length), 4)}${pad(e.review_status === 'unreviewed' ? '' : e.review_status, 10)}${e.id}`,
      );
    }
    const planned = events.filter((e) => e.status === 'planned').length;
    // what took place is counted apart from what was only announced
    lines.push(`${events.length} event${events.length === 1 ? '' : 's'}: ${events.length - planned} occurred, ${planned} planned`);
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await store.close();
  }
  return 0;
}

/** CSV as CCC keeps it (planned events only when asked for); GeoJSON and JSON carry every event with its planned_status. */
export function renderExport(events: EventRecord[], fmt: string, opts: { includePlanned?: boolean; today?: string } = {}): string {
  const today = opts.today ?? localDay();
  if (fmt === 'csv') return toCsv(events, { includePlanned: opts.includePlanned, today });
  if (fmt === 'geojson') return JSON.stringify(toGeoJson(events.map((e) => servedEvent(e, today))), null, 1) + '\n';
  if (fmt === 'json') return JSON.stringify(events.map((e) => servedEvent(e, today)), null, 1) + '\n';
  throw new UsageError(`--format must be csv, geojson or json, got "${fmt}"`);
}

async function cmdExport(a: Args): Promise<number> {
  const fmt = a.opts.get('format');
  if (!fmt) throw new UsageError('export needs --format csv|geojson|json');
  renderExport([], fmt); // validates the format before the store is opened
  if (a.flags.has('include-planned') && fmt !== 'csv') throw new UsageError('--include-planned applies to --format csv (GeoJSON and JSON carry every event with its status)');
  const store = await openRecord(a);
  try {
    const filter = await storeFilter(a, store);
    const out = renderExport(await store.listEvents(filter), fmt, { includePlanned: a.flags.has('include-planned') || filter.status === 'planned' });
    const file = a.opts.get('out');
    if (file) writeFileSync(file, out);
    else process.stdout.write(out);
  } finally {
    await store.close();
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
  for (const q of queries) {
    const out = geocodeOutput(q);
    process.stdout.write(JSON.stringify(out) + '\n');
    // said plainly on stderr too, so that a person reading the terminal does not take the first reading on trust
    if (out.ambiguous) {
      const places = out.candidates.map((c) => [c.locality, c.region].filter(Boolean).join(', '));
      process.stderr.write(`turnout: "${q}" is ambiguous: ${places.join('; ')}. The first is given; name the state or country to choose ("${places[1] ?? places[0]}").\n`);
    }
  }
  return 0;
}

async function cmdEval(a: Args): Promise<number> {
  const goldPath = a.positional[0];
  if (!goldPath) throw new UsageError('eval needs a GOLD.json file');
  let gold: { articles?: GoldArticle[] };
  try {
    gold = JSON.parse(readFileSync(goldPath, 'utf8'));
  } catch (e) {
    process.stderr.write(`turnout: ${goldPath}: ${describeError(e)}\n`);
    return 2;
  }
  if (Array.isArray(gold)) return evalLabels(a, goldPath, gold, await import('./eval/score.js'));
  if (a.opts.has('texts') || a.flags.has('by-doc')) throw new UsageError('--texts and --by-doc apply to a labels list (the hidden-set format), not to a seeds gold file');
  if (typeof gold !== 'object' || gold === null || !Array.isArray(gold.articles)) {
    process.stderr.write(`turnout: ${goldPath}: no "articles" array\n`);
    return 2;
  }
  const dir = dirname(resolve(goldPath));
  const roots = [a.opts.get('articles'), dir, join(dir, '..', 'seeds')].filter((d): d is string => Boolean(d));
  const { formatScore, scoreFile } = await import('./eval.js');
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

/**
 * eval on a labels list (the hidden-set format): each item's DIR/<id>.txt goes through the pipeline as
 * `turnout extract FILE --url URL` reads it, and the events are scored as ../shared/eval/score.py scores
 * that command's output (src/eval/score.ts is its port).
 */
function evalLabels(a: Args, goldPath: string, items: unknown[], { formatTable, GoldError, jsonReport, loadGold, score, systemDocs }: typeof import('./eval/score.js')): number {
  const fmt = a.opts.get('format') ?? 'text';
  if (fmt !== 'text' && fmt !== 'json') throw new UsageError(`--format must be text or json, got "${fmt}"`);
  if (a.opts.has('articles')) throw new UsageError('--articles applies to a seeds gold file; a labels list reads its texts from --texts DIR');
  if (a.positional.length > 1) throw new UsageError(`eval takes one labels file (texts are read from --texts DIR), got ${a.positional.length} arguments`);
  const texts = a.opts.get('texts');
  if (texts === undefined || texts === '') throw new UsageError('eval of a labels list needs --texts DIR, the folder holding <id>.txt for each item');
  let gold;
  try {
    gold = loadGold(items);
  } catch (e) {
    if (!(e instanceof GoldError)) throw e;
    process.stderr.write(`turnout: ${goldPath}: ${e.message}\n`);
    return 2;
  }
  try {
    if (!statSync(texts).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    process.stderr.write(`turnout: --texts ${texts}: ${describeError(e)}\n`);
    return 2;
  }
  const gaz = loadGazetteer();
  const lines: Array<{ where: string; obj: unknown }> = [];
  let missing = 0;
  let failed = 0;
  const bar = progress();
  try {
    items.forEach((item, i) => {
      const { id, url } = item as { id: unknown; url?: unknown };
      const file = join(texts, `${String(id)}.txt`);
      bar.tick(i + 1, items.length, file);
      let isFile = false;
      try {
        isFile = statSync(file).isFile();
      } catch {
        // missing: zero output, as score.py counts a document absent from the system file
      }
      if (!isFile) {
        missing++;
        return;
      }
      // the input `turnout extract FILE --url URL` builds, and the events it prints
      const opts = new Map<string, string>(typeof url === 'string' ? [['url', url]] : []);
      try {
        const p = processInput(readInput(file, { positional: [file], opts, flags: new Set(), lists: new Map() }, true), gaz);
        lines.push({ where: file, obj: JSON.parse(JSON.stringify({ doc: file, events: articleEvents(p) })) });
      } catch (e) {
        failed++;
        bar.done();
        process.stderr.write(`turnout: ${file}: ${describeError(e)} (scored as zero output)\n`);
      }
    });
  } finally {
    bar.done();
  }
  const system = systemDocs(lines, (msg) => process.stderr.write(`turnout: warning: ${msg}\n`));
  const { tot, perDoc } = score(gold.docs, system);
  process.stderr.write(`turnout: extracted ${lines.length} texts (${missing} not in ${texts}${failed ? `, ${failed} unreadable` : ''}; they count as zero output)\n`);
  const sysLabel = `turnout extract ${join(texts, '<id>.txt')}`;
  const byDoc = a.flags.has('by-doc');
  if (fmt === 'json') process.stdout.write(jsonReport(goldPath, sysLabel, gold.fmt, tot, perDoc, byDoc) + '\n');
  else process.stdout.write(formatTable(goldPath, sysLabel, gold.fmt, tot, perDoc, byDoc).join('\n') + '\n');
  return 0;
}

/** Hosts admitted to fetch despite private addresses: --allow-host (repeatable, or comma-separated) and TURNOUT_ALLOW_HOSTS. */
async function allowHosts(a: Args): Promise<string[]> {
  const given = (a.lists.get('allow-host') ?? []).flatMap((h) => h.split(',')).map((h) => h.trim()).filter(Boolean);
  const { allowHostsFromEnv } = await import('./fetch/address.js');
  return [...given, ...allowHostsFromEnv()];
}

function envMs(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  if (!/^\d{1,9}$/.test(v)) throw new UsageError(`${name} must be a whole number of milliseconds, got "${v}"`);
  return Number(v);
}

/** What fetching feeds and pages takes from the command line and the environment (watch, fetch, worker). */
async function liveOptions(a: Args): Promise<{ allowHosts: string[]; politenessMs: number; retryBaseMs: number }> {
  return { allowHosts: await allowHosts(a), politenessMs: envMs('TURNOUT_POLITENESS_MS', 1_000), retryBaseMs: envMs('TURNOUT_RETRY_BASE_MS', 30_000) };
}

async function watcherFor(repo: Repository, a: Args, extra: Partial<WatchOptions> = {}): Promise<Watcher> {
  const { Watcher } = await import('./live/watch.js');
  return new Watcher(repo, {
    ...extra,
    ...(await liveOptions(a)),
    leaseMs: envMs('TURNOUT_LEASE_MS', 120_000),
    log: a.flags.has('quiet') ? undefined : (line) => process.stderr.write(`turnout: ${line}\n`),
  });
}

function printDrain(s: DrainSummary, extra = ''): void {
  process.stdout.write(`jobs: ${s.jobs} (${s.polls} polls, ${s.items} items of which ${s.itemsFailed} failed, ${s.deliveries} deliveries)${extra}\nevents: ${s.eventsNew} new, ${s.eventsUpdated} updated\n`);
}

async function cmdFetch(a: Args): Promise<number> {
  if (!a.positional.length) throw new UsageError('fetch needs at least one URL');
  if (isPostgresUrl(dbPath(a))) return queuePages(a);
  const repo = await openStore(dbPath(a));
  try {
    // one attempt: a page that fails is reported now rather than retried in the background
    const watcher = await watcherFor(repo, a, { maxAttempts: 1 });
    for (const url of a.positional) watcher.live.enqueue('item', { itemId: null, url, content: null, contentType: null, published: null, title: null }, null);
    const s = await watcher.drain();
    printDrain(s);
    return s.itemsFailed || s.failures ? 2 : 0;
  } finally {
    repo.close();
  }
}

/**
 * `turnout fetch URL --db postgres://...`: each page becomes an item job on the queue, for `turnout worker` processes to
 * fetch and ingest. URLs are checked here (a bad one is a line on stderr and exit code 2, and is not queued).
 */
async function queuePages(a: Args): Promise<number> {
  const jobs = await openJobStore(a, 'fetch', false);
  let failed = 0;
  let queued = 0;
  try {
    const { randomUUID } = await import('node:crypto');
    const live = (jobs.store as PgStore).live();
    (await import('./jobs/live.js')).useQueue(jobs.boss, jobs.store as PgStore);
    for (const arg of a.positional) {
      const url = await urlOrReport(arg);
      if (!url) failed++;
      // each fetch asked for is its own job: a page fetched again is read again (saving it again changes nothing)
      else if (await live.enqueuePage(url, `fetch:${url}:${randomUUID()}`)) queued++;
    }
  } finally {
    await jobs.close();
  }
  process.stdout.write(`queued ${queued} page${queued === 1 ? '' : 's'} as item jobs: "turnout worker --db URL" fetches and ingests them\n`);
  return failed ? 2 : 0;
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function parseEvery(v: string | undefined): number {
  if (v === undefined) return 900;
  const m = /^(\d{1,6})([smhd])$/.exec(v);
  const secs = m ? Number(m[1]) * DURATION_UNITS[m[2]!]! : NaN;
  if (!(secs >= 60)) throw new UsageError(`--every must be a duration of at least 1m, like 15m, 1h or 1d; got "${v}"`);
  return secs;
}

/** Runs a subcommand on the store's live record (SQLite or PostgreSQL), and closes the store. */
async function withLive(a: Args, run: (live: AsyncLiveStore, sub: string | undefined, arg: string | undefined) => Promise<number>): Promise<number> {
  const [sub, arg] = a.positional;
  const store = await openRecord(a);
  try {
    return await run(store.live(), sub, arg);
  } finally {
    await store.close();
  }
}

/** The URL as fetched, or null after saying on stderr why it is refused. */
async function urlOrReport(arg: string): Promise<string | null> {
  const { checkUrl } = await import('./fetch/http.js');
  try {
    return checkUrl(arg).href;
  } catch (e) {
    process.stderr.write(`turnout: ${(e as Error).message}\n`);
    return null;
  }
}

function cmdSources(a: Args): Promise<number> {
  return withLive(a, async (live, sub, arg) => {
    if (sub === 'add') {
      if (!arg) throw new UsageError('sources add needs a feed URL');
      const url = await urlOrReport(arg);
      if (!url) return 2;
      const { source, added } = await live.addSource(url, parseEvery(a.opts.get('every')));
      process.stdout.write(`${added ? 'added' : 'already there'}: source ${source.id} ${source.url} every ${formatEvery(source.every_seconds)}\n`);
      return 0;
    }
    if (sub === 'list') {
      const rows = await live.listSources();
      const lines = [`${pad('id', 5)}${pad('every', 7)}${pad('last poll', 22)}${pad('status', 10)}${pad('fails', 6)}url`];
      for (const r of rows) lines.push(`${pad(String(r.id), 5)}${pad(formatEvery(r.every_seconds), 7)}${pad(r.last_polled_at ?? 'never', 22)}${pad(r.last_status ?? '', 10)}${pad(String(r.failures), 6)}${r.url}`);
      lines.push(`${rows.length} source${rows.length === 1 ? '' : 's'}`);
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    }
    if (sub === 'log') {
      const id = arg === undefined ? null : Number(arg);
      if (id !== null && !Number.isInteger(id)) throw new UsageError(`sources log takes a source id, got "${arg}"`);
      for (const e of (await live.fetchLog(id, 50)).reverse()) {
        process.stdout.write(`${e.at}  ${pad(String(e.status ?? '-'), 5)}new ${pad(String(e.items_new), 6)}skipped ${pad(String(e.items_skipped), 6)}${e.url}${e.error ? '  error: ' + e.error : ''}\n`);
      }
      return 0;
    }
    if (sub === 'remove') {
      if (!arg) throw new UsageError('sources remove needs a source id or URL');
      if (!(await live.removeSource(arg))) {
        process.stderr.write(`turnout: no source ${arg}\n`);
        return 2;
      }
      process.stdout.write(`removed source ${arg}\n`);
      return 0;
    }
    throw new UsageError(`sources needs add, list, log or remove${sub ? `, not "${sub}"` : ''}`);
  });
}

function formatEvery(secs: number): string {
  for (const [u, n] of Object.entries(DURATION_UNITS).reverse()) if (secs % n === 0) return `${secs / n}${u}`;
  return `${secs}s`;
}

async function cmdWatch(a: Args): Promise<number> {
  if (isPostgresUrl(dbPath(a))) return a.flags.has('once') ? queuePolls(a) : schedule(a);
  const repo = await openStore(dbPath(a));
  try {
    const watcher = await watcherFor(repo, a);
    if (a.flags.has('once')) {
      const s = await watcher.once();
      const c = watcher.live.itemCounts();
      printDrain(s, `\nitems: ${Object.entries(c).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}`);
      return 0;
    }
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    process.stderr.write(`turnout: watching ${watcher.live.listSources().length} sources; stop with Ctrl-C\n`);
    await watcher.run(stop.signal);
    return 0;
  } finally {
    repo.close();
  }
}

/** `turnout watch --once --db postgres://...`: one poll of every source queued for the workers. */
async function queuePolls(a: Args): Promise<number> {
  const jobs = await openJobStore(a, 'watch', false);
  let n: number;
  try {
    const { queueAllPolls } = await import('./jobs/live.js');
    n = await queueAllPolls(jobs.boss, jobs.store as PgStore, `${process.pid}-${Date.now()}`);
  } finally {
    await jobs.close();
  }
  process.stdout.write(`queued ${n} poll${n === 1 ? '' : 's'} (one per source): "turnout worker --db URL" polls the feeds and ingests their items\n`);
  return 0;
}

/** `turnout watch --db postgres://...`: the scheduler, queueing the polls of due sources until SIGINT or SIGTERM. */
async function schedule(a: Args): Promise<number> {
  const jobs = await openJobStore(a, 'watch', false);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const { schedulePolls } = await import('./jobs/live.js');
    const sources = await jobs.store.live().listSources();
    process.stderr.write(`turnout: scheduling the polls of ${sources.length} sources on ${storeName(dbPath(a))} (workers run them); stop with Ctrl-C\n`);
    await schedulePolls(jobs.boss, jobs.store as PgStore, stop.signal, quietLog(a));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await jobs.close();
  }
  return 0;
}

/** A line on stderr, unless --quiet. */
function quietLog(a: Args): (line: string) => void {
  return a.flags.has('quiet') ? () => undefined : (line) => process.stderr.write(`turnout: ${line}\n`);
}

const FILTER_KEYS = new Set(['from', 'to', 'region', 'locality', 'status', 'macroevent', 'q', 'verified']);

function cmdWebhooks(a: Args): Promise<number> {
  return withLive(a, async (live, sub, arg) => {
    if (sub === 'add') {
      if (!arg) throw new UsageError('webhooks add needs a URL');
      const url = await urlOrReport(arg);
      if (!url) return 2;
      const raw: Record<string, string> = {};
      for (const f of a.lists.get('filter') ?? []) {
        const eq = f.indexOf('=');
        const key = eq > 0 ? f.slice(0, eq) : '';
        if (!FILTER_KEYS.has(key)) throw new UsageError(`--filter takes KEY=VALUE with KEY one of ${[...FILTER_KEYS].join(', ')}; got "${f}"`);
        raw[key] = f.slice(eq + 1);
      }
      const filter = filterOf({ ...a, opts: new Map(Object.entries(raw).filter(([k]) => k !== 'q')) });
      if (raw.q) filter.q = raw.q;
      if (raw.verified !== undefined && raw.verified !== 'true' && raw.verified !== 'false') throw new UsageError(`--filter verified takes true or false, got "${raw.verified}"`);
      if (raw.verified === 'true') filter.verifiedOnly = true;
      const hook = await live.addWebhook(url, a.opts.get('secret') ?? (await import('./live/webhooks.js')).newSecret(), filter);
      process.stdout.write(`added webhook ${hook.id} ${hook.url}\nsecret: ${hook.secret}\n`);
      return 0;
    }
    if (sub === 'list') {
      for (const h of await live.listWebhooks()) {
        const f = Object.entries(h.filter).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(' ');
        process.stdout.write(`${pad(String(h.id), 5)}${pad(h.active ? 'active' : 'disabled', 10)}${h.url}${f ? '  ' + f : ''}${h.disabled_reason ? '  (' + h.disabled_reason + ')' : ''}\n`);
      }
      return 0;
    }
    if (sub === 'log' || sub === 'remove') {
      const id = Number(arg);
      if (!arg || !Number.isInteger(id)) throw new UsageError(`webhooks ${sub} needs a webhook id`);
      if (!(await live.getWebhook(id))) {
        process.stderr.write(`turnout: no webhook ${arg}\n`);
        return 2;
      }
      if (sub === 'remove') {
        await live.removeWebhook(id);
        process.stdout.write(`removed webhook ${id}\n`);
      } else {
        for (const d of await live.deliveries(id)) process.stdout.write(`${d.at}  ${d.ok ? 'ok  ' : 'FAIL'} ${pad(String(d.status ?? '-'), 5)}event ${d.event_id} r${d.revision} attempt ${d.attempt}${d.error ? '  ' + d.error : ''}\n`);
      }
      return 0;
    }
    throw new UsageError(`webhooks needs add, list, log or remove${sub ? `, not "${sub}"` : ''}`);
  });
}

/** The password given on stdin, without one trailing newline. */
function passwordFromStdin(): string {
  let text: string;
  try {
    text = readFileSync(0, 'utf8');
  } catch (e) {
    throw new UsageError(`--password-stdin could not read stdin: ${(e as Error).message}`);
  }
  const password = text.replace(/\r?\n$/, '');
  if (!password) throw new UsageError('--password-stdin read an empty password');
  if (/[\r\n]/.test(password)) throw new UsageError('--password-stdin takes one line: the password');
  return password;
}

async function cmdUsers(a: Args): Promise<number> {
  const { AccountError, nameProblem, newPassword, ROLES, isRole } = await import('./store/accounts.js');
  const [sub, name, ...extra] = a.positional;
  const subs = ['add', 'list', 'remove', 'token'];
  if (!sub || !subs.includes(sub)) throw new UsageError(`users needs add, list, remove or token${sub ? `, not "${sub}"` : ''}`);
  if (sub === 'list' ? name !== undefined : extra.length) throw new UsageError(`users ${sub} takes ${sub === 'list' ? 'no' : 'one'} user name`);
  if (sub !== 'add' && (a.opts.has('role') || a.flags.has('password-stdin'))) throw new UsageError(`--role and --password-stdin go with "users add" only`);
  if (sub !== 'list') {
    if (name === undefined) throw new UsageError(`users ${sub} needs a user name`);
    const bad = nameProblem(name);
    if (bad) throw new UsageError(bad);
  }
  let role: string | undefined;
  let password: string | undefined;
  if (sub === 'add') {
    role = a.opts.get('role');
    if (role === undefined) throw new UsageError(`users add needs --role ${ROLES.join('|')}`);
    if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}; got "${role}"`);
    password = a.flags.has('password-stdin') ? passwordFromStdin() : undefined;
  }
  const store = await openRecord(a);
  try {
    const accounts = store.accounts();
    if (sub === 'add') {
      const generated = password === undefined ? newPassword() : null;
      await accounts.addUser(name!, role!, password ?? generated!);
      process.stdout.write(`added user ${name} (${role})\n${generated ? `password: ${generated}\n` : ''}`);
      if (generated) process.stderr.write('turnout: the password is shown only this once\n');
      return 0;
    }
    if (sub === 'list') {
      const users = await accounts.listUsers();
      const width = Math.max(6, ...users.map((u) => u.name.length + 2));
      const lines = [`${pad('name', width)}${pad('role', 8)}${pad('created', 26)}tokens`];
      for (const u of users) lines.push(`${pad(u.name, width)}${pad(u.role, 8)}${pad(u.created_at, 26)}${u.tokens}`);
      lines.push(`${users.length} user${users.length === 1 ? '' : 's'}`);
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    }
    if (sub === 'remove') {
      if (!(await accounts.removeUser(name!))) throw new UsageError(`there is no user named "${name}"`);
      process.stdout.write(`removed user ${name} and revoked their tokens\n`);
      return 0;
    }
    const token = await accounts.createToken(name!);
    process.stdout.write(token + '\n');
    process.stderr.write(`turnout: a new API token for ${name}; it is shown only this once\n`);
    return 0;
  } catch (e) {
    if (e instanceof AccountError) throw new UsageError(e.message);
    throw e;
  } finally {
    await store.close();
  }
}

const SAMPLES_DIR = join(REPO_ROOT, 'samples');

async function cmdServe(a: Args): Promise<number> {
  const host = a.opts.get('host') ?? '127.0.0.1';
  const portText = a.opts.get('port') ?? '8080';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a number from 0 to 65535, got "${portText}"`);
  const workersText = a.opts.get('workers') ?? '1';
  const workers = /^\d{1,3}$/.test(workersText) ? Number(workersText) : NaN;
  if (!(workers >= 1 && workers <= availableParallelism() * 4)) throw new UsageError(`--workers must be a number from 1 to ${availableParallelism() * 4}, got "${workersText}"`);
  const { ensureWebBuilt } = await import('./serve/build.js');
  const { startServer } = await import('./serve/server.js');
  const webRoot = cluster.isWorker ? process.env.TURNOUT_WEB_ROOT! : await ensureWebBuilt();
  const repo = await openRecord(a);
  if (!cluster.isWorker && a.flags.has('samples') && (await repo.counts()).articles === 0) {
    const t = await ingestPaths(repo, expandPaths([SAMPLES_DIR]), a);
    process.stderr.write(`turnout: the store was empty: ingested ${t.new} sample articles (${t.eventsNew} events)\n`);
  }
  let server: { url: string; close(): Promise<void> };
  try {
    const verifiedOnly = a.flags.has('verified-only');
    server = workers > 1 && cluster.isPrimary ? await forkServers(workers, webRoot) : await startServer({ repo, host, port, webRoot, trustProxy: a.flags.has('trust-proxy'), verifiedOnly });
  } catch (e) {
    await repo.close();
    const err = e as NodeJS.ErrnoException;
    process.stderr.write(`turnout: cannot listen on ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is in use (try --port)' : err.message}\n`);
    return 2;
  }
  if (cluster.isWorker) {
    process.send?.({ url: server.url });
  } else {
    const { events } = await repo.counts();
    process.stdout.write(`turnout: serving ${events} events from ${storeName(dbPath(a))} at ${server.url}/ (API: ${server.url}/api/openapi.json)${workers > 1 ? `, ${workers} server processes` : ''}\n`);
  }
  // On SQLite the scheduler is `turnout watch` in a child process: extracting a burst of articles never stalls the
  // server's answers, and a crash of one does not take down the other. On PostgreSQL it only queues the polls of due
  // sources (`turnout worker` processes do the work), so it runs in this process.
  const watching = !a.flags.has('no-watch') && !cluster.isWorker;
  const scheduler = !watching ? null : repo.backend === 'sqlite' ? superviseWatch(a) : await scheduleHere(a, repo as PgStore);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void Promise.all([server.close(), scheduler?.stop()]).then(() => done());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await repo.close();
  // a server process's channel to the primary would keep it alive
  if (cluster.isWorker && process.connected) process.disconnect();
  return 0;
}

/**
 * `serve --workers N`: N server processes share the port (node:cluster), each with its own connection to the
 * store (SQLite in WAL mode serves many readers at once). Resolves with the URL once every one listens.
 */
function forkServers(n: number, webRoot: string): Promise<{ url: string; close(): Promise<void> }> {
  cluster.setupPrimary({ exec: fileURLToPath(import.meta.url), execArgv: NODE_LOADER_ARGS, args: process.argv.slice(process.argv.indexOf('serve')) });
  const forked = Array.from({ length: n }, () => cluster.fork({ TURNOUT_WEB_ROOT: webRoot }));
  let stopping = false;
  return new Promise((resolve, reject) => {
    let url = '';
    let listening = 0;
    for (const w of forked) {
      w.once('message', (m: { url?: string }) => {
        url = m.url ?? url;
        if (++listening === n) resolve({ url, close: () => Promise.all(forked.map((f) => stopWorker(f))).then(() => undefined) });
      });
      w.once('exit', (code) => {
        if (!stopping && listening < n) reject(Object.assign(new Error(`a server process exited with code ${code}`), { code: code === 2 ? 'EADDRINUSE' : undefined }));
      });
    }
    const stopWorker = (w: (typeof forked)[number]) =>
      new Promise<void>((done) => {
        stopping = true;
        if (w.isDead()) return done();
        w.once('exit', () => done());
        w.kill('SIGTERM');
      });
  });
}

/** The PostgreSQL scheduler (schedulePolls) in this process, on its own job queue connection, until stop. */
async function scheduleHere(a: Args, store: PgStore): Promise<{ stop(): Promise<void> }> {
  const { openJobs } = await import('./jobs/queue.js');
  const { schedulePolls } = await import('./jobs/live.js');
  let boss: import('pg-boss');
  try {
    boss = await openJobs(dbPath(a), { supervise: false, max: 2 });
  } catch (e) {
    process.stderr.write(`turnout: serving without the scheduler: cannot open the job queue: ${(e as Error).message}\n`);
    return { stop: async () => undefined };
  }
  const stop = new AbortController();
  const running = schedulePolls(boss, store, stop.signal, quietLog(a));
  process.stderr.write('turnout: scheduling the polls of due sources; "turnout worker --db URL" processes run them\n');
  return {
    async stop() {
      stop.abort();
      await running;
      await boss.stop({ graceful: false, wait: true });
    },
  };
}

/** Runs `turnout watch` on the same store as a child process, restarting it (after a pause) if it dies. */
function superviseWatch(a: Args): { stop(): Promise<void> } {
  // tsx by absolute URL, so that the child starts from any working directory
  const args = [...NODE_LOADER_ARGS, fileURLToPath(import.meta.url), 'watch', '--db', dbPath(a), ...(a.flags.has('quiet') ? ['--quiet'] : [])];
  for (const h of a.lists.get('allow-host') ?? []) args.push('--allow-host', h);
  let child: ChildProcess | null = null;
  let stopping = false;
  let restart: NodeJS.Timeout | null = null;
  const start = () => {
    child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code, signal) => {
      child = null;
      if (stopping) return;
      process.stderr.write(`turnout: the scheduler stopped (${signal ?? `exit code ${code}`}); restarting it in 5 s\n`);
      restart = setTimeout(start, 5_000);
    });
  };
  start();
  return {
    stop: () =>
      new Promise<void>((done) => {
        stopping = true;
        if (restart) clearTimeout(restart);
        if (!child) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Opens the store (SQLite or PostgreSQL), which applies its migrations, and reports the schema version. */
async function cmdMigrate(a: Args): Promise<number> {
  if (a.opts.has('from') || a.opts.has('to')) return cmdMove(a);
  if (a.positional.length) throw new UsageError('migrate takes no arguments (the store is --db FILE|URL or TURNOUT_DB)');
  const address = dbPath(a);
  const where = storeName(address);
  try {
    let version: number;
    let applied: number[] | null = null;
    if (isPostgresUrl(address)) {
      const { openPgStore } = await import('./store/pg/index.js');
      const store = await openPgStore(address);
      applied = store.applied;
      version = await store.schemaVersion();
      await store.close();
    } else {
      const { SqliteRepository } = await import('./store/sqlite/index.js');
      const repo = new SqliteRepository(address);
      version = repo.handle.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number;
      repo.close();
    }
    const done = applied === null ? '' : applied.length ? `applied ${applied.join(', ')}; ` : 'nothing to apply; ';
    process.stdout.write(`turnout: ${where}: ${done}schema version ${version}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`turnout: cannot migrate ${where}: ${(e as Error).message}\n`);
    return 2;
  }
}

/** `turnout migrate --from sqlite FILE --to URL`: moves a SQLite store into a PostgreSQL one and verifies it (src/store/move.ts). */
async function cmdMove(a: Args): Promise<number> {
  const from = a.opts.get('from');
  const to = a.opts.get('to');
  if (from !== 'sqlite') throw new UsageError(`--from must be "sqlite" (the store moved is a SQLite file), got ${from === undefined ? 'nothing' : `"${from}"`}`);
  if (a.positional.length !== 1) throw new UsageError('migrate --from sqlite takes one SQLite file: turnout migrate --from sqlite FILE --to postgres://...');
  if (!to || !isPostgresUrl(to)) throw new UsageError('--to must be a PostgreSQL address, postgres://USER@HOST:PORT/DATABASE');
  if (a.opts.has('db')) throw new UsageError('--db is not used with --from and --to');
  const file = a.positional[0]!;
  const { formatReport, moveStore, MoveConflict } = await import('./store/move.js');
  try {
    process.stderr.write(`turnout: moving ${file} to the PostgreSQL store\n`);
    const report = await moveStore(file, to, { progress: (line) => process.stderr.write(`turnout: ${line}\n`) });
    process.stdout.write(formatReport(report) + '\n');
    return report.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof MoveConflict) {
      process.stderr.write(`turnout: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`turnout: cannot move ${file}: ${(e as Error).message}\n`);
    return 2;
  }
}

const COMMANDS: Record<string, (a: Args) => number | Promise<number>> = {
  migrate: cmdMigrate,
  serve: cmdServe,
  fetch: cmdFetch,
  sources: cmdSources,
  watch: cmdWatch,
  webhooks: cmdWebhooks,
  users: cmdUsers,
  ingest: cmdIngest,
  worker: cmdWorker,
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
  if (e instanceof StoreError) {
    process.stderr.write(`turnout: ${e.message}\n`);
    return 2;
  }
  if (!(e instanceof UsageError)) throw e;
  process.stderr.write(`turnout: ${e.message}\nRun "turnout ${COMMANDS[cmd] ? cmd + ' ' : ''}--help" for usage.\n`);
  return 1;
}

const isMain = process.argv[1] && resolve(process.argv[1]).replace(/\.[cm]?[jt]s$/, '') === resolve(new URL(import.meta.url).pathname).replace(/\.[cm]?[jt]s$/, '');
if (isMain) {
  process.exitCode = await main(process.argv.slice(2));
}
