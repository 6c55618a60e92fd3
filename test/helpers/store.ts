// A temporary store filled from a directory of articles, through the same pipeline as `turnout ingest`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ingestInto } from '../../src/pipeline.js';
import type { Repository } from '../../src/store/repository.js';
import { openStore } from '../../src/store/sqlite/index.js';
import { tempDir } from './shared.js';

const TYPES: Record<string, string> = { '.html': 'text/html', '.htm': 'text/html', '.md': 'text/markdown', '.txt': 'text/plain' };

/** A new store holding the given article files, and every article file in the given directories. */
export function storeFrom(...paths: string[]): { repo: Repository; path: string } {
  const path = join(tempDir(), 'turnout.db');
  const repo = openStore(path);
  const files = paths.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).sort().map((f) => join(p, f)) : [p]));
  for (const file of files) {
    const type = TYPES[extname(file).toLowerCase()];
    if (type) ingestInto(repo, { bytes: readFileSync(file), name: file, contentType: type });
  }
  return { repo, path };
}
