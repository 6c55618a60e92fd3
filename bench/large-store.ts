// A large store for the API and map benchmarks: N events spread over the US, generated from the CCC rows'
// places, dates, sizes and claims (../shared/data/ccc), written through the Repository interface like any
// ingest. Cached in bench/out (git-ignored) and rebuilt when missing or of another size.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvRecords } from '../src/core/csv.js';
import type { Article, Mention } from '../src/core/types.js';
import { openStore } from '../src/store/sqlite/index.js';
import { REPO_ROOT, SHARED } from '../test/helpers/shared.js';

export const CCC_FILE = join(SHARED, 'data', 'ccc', 'ccc-phase3-2025-01-01_2025-03-31.csv');
const OUT = join(REPO_ROOT, 'bench', 'out');
const PER_ARTICLE = 500;

export interface Row {
  date: string;
  locality: string;
  state: string;
  county: string | null;
  fips: string | null;
  lat: number;
  lon: number;
  location: string | null;
  title: string | null;
  event_type: string;
  organizations: string[];
  claims: string | null;
  macroevent: string | null;
  size_text: string | null;
  size_low: number | null;
  size_high: number | null;
}

const na = (v: string | null | undefined) => (v === undefined || v === null || v === 'NA' || v === '' ? null : v);
const num = (v: string | null | undefined) => (na(v) === null ? null : Number(v));

export function cccRows(): Row[] {
  const rows = parseCsvRecords(readFileSync(CCC_FILE, 'latin1'));
  const out: Row[] = [];
  for (const r of rows) {
    const lat = num(r.lat);
    const lon = num(r.lon);
    const locality = na(r.resolved_locality) ?? na(r.locality);
    const state = na(r.resolved_state);
    if (lat === null || lon === null || !locality || !state || !na(r.date)) continue;
    out.push({
      date: r.date!,
      locality,
      state,
      county: na(r.resolved_county),
      fips: na(r.fips_code),
      lat,
      lon,
      location: na(r.location),
      title: na(r.title),
      event_type: na(r.event_type) ?? 'demonstration',
      organizations: (na(r.organizations) ?? '').split(';').map((s) => s.trim()).filter(Boolean),
      claims: na(r.claims_summary),
      macroevent: na(r.macroevent),
      size_text: na(r.size_text),
      size_low: num(r.size_low),
      size_high: num(r.size_high),
    });
  }
  return out;
}

export function shiftDate(iso: string, days: number): string {
  const d = new Date(iso + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function mentionOf(row: Row, date: string, articleId: string, quote: string, start: number): Mention {
  const evidence = (field: string) => ({ field, source: articleId, quote, start, end: start + quote.length });
  return {
    articleId,
    date,
    date_precision: 'day',
    status: date > '2026-11-25' ? 'planned' : 'occurred',
    locality: row.locality,
    region: row.state,
    country: 'US',
    county: row.county,
    fips: row.fips,
    lat: row.lat,
    lon: row.lon,
    geo_precision: 'locality',
    placeId: null,
    location_detail: row.location ? [row.location] : [],
    event_type: [row.event_type],
    macroevent: row.macroevent,
    title: row.title,
    organizations: row.organizations,
    claims: row.claims ? [row.claims] : [],
    size_text: row.size_text,
    size_low: row.size_low,
    size_high: row.size_high,
    arrests: null,
    arrests_text: null,
    injuries_text: null,
    police_measures: [],
    property_damage: [],
    evidence: ['locality', 'date', 'event_type', ...(row.size_text ? ['size'] : [])].map(evidence),
    confidence: 0.8,
    flags: ['single_source'],
  };
}

/** Opens (building first when needed) a store of `n` events; returns its path. */
export function largeStore(n: number, log: (s: string) => void = () => {}): string {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `store-${n}.db`);
  if (existsSync(path)) {
    const repo = openStore(path);
    const have = repo.counts().events;
    repo.close();
    if (have === n) return path;
  }
  for (const ext of ['', '-wal', '-shm']) rmSync(path + ext, { force: true });
  const rows = cccRows();
  if (!rows.length) throw new Error(`no CCC rows in ${CCC_FILE}`);
  const repo = openStore(path);
  const seen = new Set<string>();
  const t0 = performance.now();
  let made = 0;
  let batch: Array<{ row: Row; date: string }> = [];
  const flush = () => {
    const quotes = batch.map(({ row, date }) => `${row.size_text ?? 'People'} rallied in ${row.locality}, ${row.state}, on ${date}${row.claims ? ': ' + row.claims : ''}.`);
    const text = `Benchmark article generated from CCC rows (not real news).\n\n${quotes.join('\n\n')}`;
    const id = createHash('sha256').update(text).digest('hex');
    const article: Article = {
      id,
      name: `bench-${made}.txt`,
      url: null,
      title: 'Generated benchmark roundup',
      publisher: 'Turnout benchmark',
      published: batch[0]!.date,
      publishedSource: 'option',
      publishedEvidence: null,
      text,
      blocks: [],
      flags: [],
    };
    let offset = text.indexOf('\n\n') + 2;
    const mentions = batch.map(({ row, date }, i) => {
      const m = mentionOf(row, date, id, quotes[i]!, offset);
      offset += quotes[i]!.length + 2;
      return m;
    });
    repo.saveArticle(article, mentions);
    made += batch.length;
    batch = [];
    if (made % 10000 === 0) log(`  large store: ${made}/${n} events (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  };
  // cycle through the rows; each later cycle moves the dates by whole weeks so every (place, day) is new
  for (let i = 0; made + batch.length < n; i++) {
    const row = rows[i % rows.length]!;
    let date = shiftDate(row.date, 7 * Math.floor(i / rows.length));
    const place = `${row.state}|${row.locality.toLowerCase()}`;
    while (seen.has(`${place}|${date}`)) date = shiftDate(date, 1);
    seen.add(`${place}|${date}`);
    batch.push({ row, date });
    if (batch.length === PER_ARTICLE || made + batch.length === n) flush();
  }
  const have = repo.counts().events;
  repo.close();
  if (have !== n) throw new Error(`large store: expected ${n} events, made ${have}`);
  log(`  large store: ${n} events built in ${((performance.now() - t0) / 1000).toFixed(0)} s -> ${path}`);
  return path;
}
