// Benchmark: ingest + extract + resolve on one core over >= 1,000 news-length texts (bench/texts.ts).
// Prints articles/s, MB/s, p50/p99 latency, start-up time and peak RSS. Not a test: figures go in the README.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { processInput } from '../src/pipeline.js';
import { loadGazetteer } from '../src/resolve/gazetteer.js';
import { findArrests, findInjuries, findSizes } from '../src/extract/size.js';
import { REPO_ROOT } from '../test/helpers/shared.js';
import { buildTexts } from './texts.js';
import { pct } from './common.js';

/** The fastest of three runs of a whole process, in ms. */
function wholeProcess(cmd: string, args: string[]): number {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: REPO_ROOT });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
    runs.push(performance.now() - t0);
  }
  return Math.min(...runs);
}

const ONE_ARTICLE = ['extract', '--text', 'Hundreds of people rallied in Dayton, Ohio, on Jan. 30, 2026.', '--published', '2026-01-31'];
const BIN = join(REPO_ROOT, 'bin', 'turnout.js');

function startup(): Array<[string, number]> {
  const built = existsSync(join(REPO_ROOT, 'dist', 'js', 'src', 'cli.js'));
  const out: Array<[string, number]> = [];
  out.push([`node bin/turnout.js --help${built ? '' : ' (no build: tsx)'}`, wholeProcess(process.execPath, [BIN, '--help'])]);
  out.push([`node bin/turnout.js extract, one article${built ? '' : ' (no build: tsx)'}`, wholeProcess(process.execPath, [BIN, ...ONE_ARTICLE])]);
  out.push(['npx turnout --help', wholeProcess('npx', ['--no-install', 'turnout', '--help'])]);
  out.push(['npx turnout extract, one article', wholeProcess('npx', ['--no-install', 'turnout', ...ONE_ARTICLE])]);
  out.push(['tsx src/cli.ts extract, one article (development)', wholeProcess(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli.ts'), ...ONE_ARTICLE])]);
  return out;
}

const texts = buildTexts(Number(process.env.BENCH_N ?? 1200));
const gaz = loadGazetteer();
const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);
// warm up
for (const t of texts.slice(0, 20)) processInput({ bytes: Buffer.from(t), name: 'warm.txt' }, gaz);
const lat: number[] = [];
let mentions = 0;
const t0 = performance.now();
texts.forEach((t, i) => {
  const s = performance.now();
  const p = processInput({ bytes: Buffer.from(t), name: `bench-${i}.txt` }, gaz);
  lat.push(performance.now() - s);
  mentions += p.mentions.length;
});
const secs = (performance.now() - t0) / 1000;
lat.sort((a, b) => a - b);
const start = startup();
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(`extract benchmark (one core): ${texts.length} articles, ${(bytes / texts.length / 1024).toFixed(1)} KB each, ${mentions} mentions`);
console.log(`  throughput   ${(texts.length / secs).toFixed(0)} articles/s, ${(bytes / 1e6 / secs).toFixed(2)} MB/s`);
console.log(`  latency      p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms`);
for (const [what, ms] of start) console.log(`  start-up     ${ms.toFixed(0)} ms  ${what} (whole process, best of 3)`);
console.log(`  peak RSS     ${rssMb.toFixed(0)} MB`);

// the crowd-size, arrest and injury finders on their own, per sentence
{
  const sentences = [
    'Hundreds of people marched downtown on Saturday, chanting and holding signs.',
    'Police arrested 14 people and said two officers were hurt during the protest.',
    'The mayor said the city would review the permit process next week.',
    'On January 30, 2026, about 300 demonstrators gathered outside City Hall in Austin, Texas.',
  ];
  const n = 20_000;
  const t1 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = sentences[i % sentences.length]!;
    findSizes(s);
    findArrests(s);
    findInjuries(s);
  }
  console.log(`  size finders ${(((performance.now() - t1) / n) * 1000).toFixed(1)} µs per sentence (sizes, arrests, injuries)`);
}
