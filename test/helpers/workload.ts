// Made-up articles for the worker test and benchmark (issue 11): many short reports of a few hundred protests, each
// (town, day) told by several articles, and every fifth article telling of a second protest too, so that articles
// overlap on events. Written by the Turnout project (from test/helpers/reports.ts); no real article text.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { report } from './reports.js';

/** Article `i` of a set about `events` events: report(i) of event i % events, and for every fifth one a second protest. */
export function overlappingArticle(i: number, events: number): { name: string; text: string } {
  const base = report(i, events);
  if (i % 5 !== 4) return base;
  const other = report(i + 7, events);
  // the second report's lead sentence (its fourth line) told as a separate protest in the same article
  const lead = other.text.split('\n')[4]!;
  return { name: base.name, text: `${base.text}\nIn a separate protest, ${lead[0]!.toLowerCase()}${lead.slice(1)}\n` };
}

/** `n` overlapping articles about `events` events (overlappingArticle), written as .txt files into `dir`; their paths. */
export function writeArticles(dir: string, n: number, events: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const a = overlappingArticle(i, events);
    const path = join(dir, a.name);
    writeFileSync(path, a.text);
    return path;
  });
}
