// Builds the web app (web/) into dist/web with Vite, when the build is missing or older than its sources.
// The build goes to a temporary directory first and replaces dist/web in one rename, so a server reading
// dist/web never sees a half-written app and two builds at once do not mix their files.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT } from '../core/paths.js';

const REPO = REPO_ROOT;
export const WEB_SRC = join(REPO, 'web');
/** Where the built app lives (absolute): what the server serves. */
export const WEB_DIST = join(REPO, 'dist', 'web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** The server's pure modules the web app imports too (the date formatter, the record types). */
const SHARED_SRC = join(REPO, 'src', 'core');

/** The gazetteer cache (scripts/build-gazetteer.ts) the map's place names are taken from. */
export const GAZETTEER_TSV = join(REPO, 'data', 'cache', 'gazetteer.tsv');
/** The place names file written beside the built app, fetched by the map (web/src/labels.ts). */
export const PLACE_LABELS_FILE = 'place-labels.json';

/** Towns named on the map: US towns from this population, and places abroad from LABEL_MIN_ABROAD. */
const LABEL_MIN_US = 15_000;
const LABEL_MIN_ABROAD = 250_000;

/**
 * The map's place names, offline: the largest towns of the gazetteer cache (a few thousand), as
 * {"fields":["name","lon","lat","pop"],"rows":[...]} sorted by population, largest first. Columns of the cache's
 * place lines: id, name, kind (L = locality), region, country, county, fips, lat, lon, population (see
 * src/resolve/gazetteer.ts). A town listed by several sources is kept once (its largest population).
 */
export function placeLabelsJson(tsvPath = GAZETTEER_TSV): string {
  const best = new Map<string, [string, number, number, number]>();
  if (existsSync(tsvPath)) {
    const text = readFileSync(tsvPath, 'utf8');
    const header = text.slice(0, text.indexOf('\n')).split('\t');
    const nPlaces = Number(header[2]) || 0;
    let pos = text.indexOf('\n') + 1;
    for (let i = 0; i < nPlaces && pos > 0 && pos < text.length; i++) {
      const nl = text.indexOf('\n', pos);
      const line = text.slice(pos, nl < 0 ? text.length : nl);
      pos = nl < 0 ? -1 : nl + 1;
      const f = line.split('\t');
      if (f[2] !== 'L') continue;
      const pop = Number(f[9]);
      const us = f[4] === 'US';
      if (!(pop >= (us ? LABEL_MIN_US : LABEL_MIN_ABROAD))) continue;
      const lat = Number(f[7]);
      const lon = Number(f[8]);
      if (!Number.isFinite(lat) || !Number.isFinite(lon) || !f[1]) continue;
      const key = `${f[1]}|${f[3]}|${f[4]}`;
      const had = best.get(key);
      if (!had || had[3] < pop) best.set(key, [f[1], Math.round(lon * 1e4) / 1e4, Math.round(lat * 1e4) / 1e4, pop]);
    }
  }
  const rows = [...best.values()].sort((a, b) => b[3] - a[3] || a[0].localeCompare(b[0]));
  return `{"fields":["name","lon","lat","pop"],"rows":${JSON.stringify(rows)}}`;
}

/** True when dist/web/index.html is missing or older than any file under web/ or src/core/, or the gazetteer cache. */
export function webBuildIsStale(): boolean {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index) || !existsSync(join(WEB_DIST, PLACE_LABELS_FILE))) return true;
  const gazetteer = existsSync(GAZETTEER_TSV) ? statSync(GAZETTEER_TSV).mtimeMs : 0;
  return Math.max(newestMtime(WEB_SRC), newestMtime(SHARED_SRC), gazetteer) > statSync(index).mtimeMs;
}

/** Runs Vite's build when needed (or when forced); resolves to the absolute path of the built app. */
export async function ensureWebBuilt(opts: { force?: boolean; quiet?: boolean } = {}): Promise<string> {
  if (!opts.force && !webBuildIsStale()) return WEB_DIST;
  if (!existsSync(join(WEB_SRC, 'index.html'))) throw new Error(`the web app's sources are missing (${WEB_SRC})`);
  const started = Date.now();
  if (!opts.quiet) process.stderr.write('turnout: building the web app (dist/web)...\n');
  const [{ build }, { default: config }] = await Promise.all([import('vite'), import('../../web/vite.config.js')]);
  const tmp = join(dirname(WEB_DIST), `.web-build-${process.pid}-${Date.now()}`);
  try {
    await build({
      ...config,
      configFile: false,
      root: WEB_SRC,
      logLevel: opts.quiet ? 'silent' : 'warn',
      build: { ...config.build, outDir: tmp, emptyOutDir: true },
    });
    writeFileSync(join(tmp, PLACE_LABELS_FILE), placeLabelsJson());
    rmSync(WEB_DIST, { recursive: true, force: true });
    renameSync(tmp, WEB_DIST);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!opts.quiet) process.stderr.write(`turnout: web app built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return WEB_DIST;
}
