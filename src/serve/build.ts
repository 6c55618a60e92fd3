// Builds the web app (web/) into dist/web with Vite, when the build is missing or older than its sources.
// The build goes to a temporary directory first and replaces dist/web in one rename, so a server reading
// dist/web never sees a half-written app and two builds at once do not mix their files.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
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

/** True when dist/web/index.html is missing or older than any file under web/ or src/core/. */
export function webBuildIsStale(): boolean {
  const index = join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  return Math.max(newestMtime(WEB_SRC), newestMtime(SHARED_SRC)) > statSync(index).mtimeMs;
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
    rmSync(WEB_DIST, { recursive: true, force: true });
    renameSync(tmp, WEB_DIST);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!opts.quiet) process.stderr.write(`turnout: web app built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return WEB_DIST;
}
