// The installed command runs compiled JavaScript (dist/js, from `npm run build`): it must find the project's
// data from there and answer exactly as the TypeScript does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from './helpers/shared.js';

const BUILT = join(REPO_ROOT, 'dist', 'js', 'src', 'cli.js');
const BIN = join(REPO_ROOT, 'bin', 'turnout.js');

function newestSource(): number {
  let newest = 0;
  for (const dir of ['src', 'scripts']) {
    for (const f of readdirSync(join(REPO_ROOT, dir), { recursive: true }) as string[]) {
      if (f.endsWith('.ts')) newest = Math.max(newest, statSync(join(REPO_ROOT, dir, f)).mtimeMs);
    }
  }
  return newest;
}

function run(args: string[]) {
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 16 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('compiled command', () => {
  it('builds, and bin/turnout.js then runs the build with the same answers as the TypeScript', () => {
    if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < newestSource()) {
      const b = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stdout + b.stderr);
    }
    const help = run([BIN, '--help']);
    assert.equal(help.code, 0, help.stderr);
    for (const c of ['ingest', 'extract', 'serve', 'geocode']) assert.match(help.stdout, new RegExp(`\\b${c}\\b`));
    const text = 'About 250 people rallied in Reno, Nevada, on Jan. 30, 2026, against the raids. Police reported no arrests.';
    const args = ['extract', '--text', text, '--published', '2026-01-31'];
    const compiled = run([BIN, ...args]);
    const source = run(['--import', 'tsx', join(REPO_ROOT, 'src', 'cli.ts'), ...args]);
    assert.equal(compiled.code, 0, compiled.stderr);
    assert.equal(compiled.stdout, source.stdout);
    assert.match(compiled.stdout, /"locality":"Reno"/);
    // the gazetteer and its data files are found from dist/js as from src
    const geo = run([BUILT, 'geocode', 'Boise, ID']);
    assert.equal(geo.code, 0, geo.stderr);
    assert.match(geo.stdout, /"locality":"Boise"/);
  });
});
