// Where the project's own files are (data/, samples/, web/, dist/): the folder of its package.json, found by
// walking up from this module. It is the same whether the code runs as TypeScript (src/core/paths.ts, through
// tsx) or as the compiled JavaScript (dist/js/src/core/paths.js).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data', 'places'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`turnout: cannot find the project folder (package.json and data/places) above ${from}`);
    dir = up;
  }
}

export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** Arguments that let a child Node process run this code as it runs now: tsx's loader for TypeScript, none for JavaScript. */
export const NODE_LOADER_ARGS: string[] = import.meta.url.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
