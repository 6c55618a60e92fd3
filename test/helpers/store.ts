// A temporary store filled from a directory of articles, through the same pipeline as `turnout ingest`.
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ingestInto } from '../../src/pipeline.js';
import type { Repository } from '../../src/store/repository.js';
import { openStore } from '../../src/store/sqlite/index.js';
import { tempDir } from './shared.js';

const TYPES: Record<string, string> = { '.html': 'text/html', '.htm': 'text/html', '.md': 'text/markdown', '.txt': 'text/plain' };

export function storeFrom(...dirs: string[]): { repo: Repository; path: string } {
  const path = join(tempDir(), 'turnout.db');
  const repo = openStore(path);
  for (const dir of dirs) {
    for (const name of readdirSync(dir).sort()) {
      const type = TYPES[extname(name).toLowerCase()];
      if (!type) continue;
      const file = join(dir, name);
      ingestInto(repo, { bytes: readFileSync(file), name: file, contentType: type });
    }
  }
  return { repo, path };
}
