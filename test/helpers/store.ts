// A temporary store filled from a directory of articles, through the same pipeline as `turnout ingest`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ingestInto, ingestIntoStore, type RawInput } from '../../src/pipeline.js';
import type { Repository } from '../../src/store/repository.js';
import { openStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/store.js';
import { tempDir } from './shared.js';

const TYPES: Record<string, string> = { '.html': 'text/html', '.htm': 'text/html', '.md': 'text/markdown', '.txt': 'text/plain' };

/** The article files among the given files and the files of the given directories (sorted), as inputs. */
function articleInputs(paths: string[]): RawInput[] {
  const files = paths.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).sort().map((f) => join(p, f)) : [p]));
  return files.flatMap((file) => {
    const type = TYPES[extname(file).toLowerCase()];
    return type ? [{ bytes: readFileSync(file), name: file, contentType: type }] : [];
  });
}

/** A new store holding the given article files, and every article file in the given directories. */
export function storeFrom(...paths: string[]): { repo: Repository; path: string } {
  const path = join(tempDir(), 'turnout.db');
  const repo = openStore(path);
  for (const input of articleInputs(paths)) ingestInto(repo, input);
  return { repo, path };
}

/** Fills an open store (any backend) with the given article files and the article files of the given directories. */
export async function fillStore(store: Store, ...paths: string[]): Promise<void> {
  for (const input of articleInputs(paths)) await ingestIntoStore(store, input);
}
