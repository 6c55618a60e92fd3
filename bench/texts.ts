// The benchmark texts shared by the extract and ingest benchmarks: news-length texts built from the seed articles
// (when ../shared is present) and CCC facts (places, dates, size words), varied so none dedupes.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsvRecords } from '../src/core/csv.js';
import { makeArticle } from '../test/helpers/corpus.js';
import { SEEDS_DIR, SHARED } from '../test/helpers/shared.js';

const TARGET_BYTES = 5 * 1024;

function cccFacts(): Array<{ locality: string; state: string; date: string; size: string }> {
  const file = join(SHARED, 'data', 'ccc', 'ccc-sample-2000.csv');
  if (!existsSync(file)) return [];
  const rows = parseCsvRecords(readFileSync(file, 'latin1'));
  return rows
    .filter((r) => r.locality && r.state && r.date && r.locality !== 'NA')
    .map((r) => ({ locality: r.locality!, state: r.state!, date: r.date!, size: r.size_text && r.size_text !== 'NA' ? r.size_text : 'dozens' }));
}

/** `n` texts of about 5 KB: half from the seed articles, half made up, each led by a CCC row's place, day and size. */
export function buildTexts(n: number): string[] {
  const seeds = existsSync(SEEDS_DIR) ? readdirSync(SEEDS_DIR).map((f) => readFileSync(join(SEEDS_DIR, f), 'utf8')) : [];
  const facts = cccFacts();
  const texts: string[] = [];
  for (let i = 0; i < n; i++) {
    const f = facts.length ? facts[i % facts.length]! : null;
    const lead = f
      ? `${f.size[0]!.toUpperCase()}${f.size.slice(1)} people rallied in ${f.locality}, ${f.state}, on ${f.date} (item ${i}).\n\n`
      : '';
    let body = seeds.length && i % 2 === 0 ? seeds[i % seeds.length]! : makeArticle(i, 12).text;
    // trim or pad to about 5 KB of news text
    while (body.length < TARGET_BYTES) body += '\n\n' + makeArticle(i + body.length, 2).text;
    texts.push(`date 2026-02-0${(i % 9) + 1}\n\n` + lead + body.slice(0, TARGET_BYTES));
  }
  return texts;
}
