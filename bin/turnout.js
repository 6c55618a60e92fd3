#!/usr/bin/env node
// The installed command. It runs the compiled JavaScript (dist/js, built by `npm run build`, which `npm install`
// runs as "prepare") when that build is newer than every source file; otherwise, as in a checkout being edited,
// the TypeScript itself through tsx's loader.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/js/src/cli.js`;

function newestSource() {
  let newest = 0;
  for (const dir of ['src', 'scripts']) {
    for (const f of readdirSync(`${root}${dir}`, { recursive: true })) {
      if (typeof f === 'string' && f.endsWith('.ts')) newest = Math.max(newest, statSync(`${root}${dir}/${f}`).mtimeMs);
    }
  }
  return newest;
}

let cli;
if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) {
  cli = await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli.ts');
}
process.exitCode = await cli.main(process.argv.slice(2));
