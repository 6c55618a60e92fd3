// Where the shared reference data lives: ../shared beside the repository. A user's fresh clone has none,
// and the tests that need it skip with this reason.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const SHARED = resolve(REPO_ROOT, '..', 'shared');
export const SEEDS_DIR = join(SHARED, 'seeds');
export const GOLD_FILE = join(SHARED, 'eval', 'seeds.gold.json');
export const NO_SHARED = existsSync(GOLD_FILE) && existsSync(SEEDS_DIR) ? null : `needs ${SHARED} (seed articles and gold file), which a fresh clone does not have`;

export function tempDir(prefix = 'turnout-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * The address a `turnout serve` child process prints once it listens ("... at http://127.0.0.1:PORT/ ..."), read
 * from its output; `ready` must match the whole line when more than the address says it is ready. Rejects when the
 * process exits first.
 */
export function servedUrl(p: ChildProcessWithoutNullStreams, ready = /at (http:\/\/127\.0\.0\.1:\d+)\//): Promise<string> {
  return new Promise<string>((resolvePromise, reject) => {
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolvePromise(m[1]!);
    });
    p.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}
