// Made-up articles (written for these tests; the events are invented) whose events are known only to the
// month or the week, and one to the day: what the date displays are tested on. Published 2026-01-30.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatePrecision, Status } from '../../src/core/types.js';
import { tempDir } from './shared.js';

const HEAD = 'Made-up article for the Turnout tests. The events described are invented.\n\ndate 2026-01-30\n\n';

export interface PrecisionCase {
  file: string;
  text: string;
  locality: string;
  date: string;
  precision: DatePrecision;
  status: Status;
  /** how the web app, the roundup and `turnout events` show the date */
  shown: string;
}

export const PRECISION_CASES: PrecisionCase[] = [
  {
    file: 'a-peoria.txt',
    text: `${HEAD}Budget protest fills City Hall steps\n\nHundreds of protesters rallied outside City Hall in Peoria, Illinois, earlier this month to oppose the new county budget, organizers said.\n`,
    locality: 'Peoria',
    date: '2026-01-01',
    precision: 'month',
    status: 'occurred',
    shown: 'January 2026',
  },
  {
    file: 'b-boise.txt',
    text: `${HEAD}Marchers cross downtown Boise\n\nAbout 300 people marched through downtown Boise, Idaho, last week to protest immigration raids, police said.\n`,
    locality: 'Boise',
    date: '2026-01-19',
    precision: 'week',
    status: 'occurred',
    shown: 'week of 19 January 2026',
  },
  {
    file: 'c-eugene.txt',
    text: `${HEAD}Students plan tuition march\n\nActivists plan to march in Eugene, Oregon, next month to protest the tuition increase, organizers said.\n`,
    locality: 'Eugene',
    date: '2026-02-01',
    precision: 'month',
    status: 'planned',
    shown: 'February 2026',
  },
  {
    file: 'd-duluth.txt',
    text: `${HEAD}Rally for librarians in Duluth\n\nDozens of people rallied outside the public library in Duluth, Minnesota, on Wednesday, Jan. 28, 2026, to oppose budget cuts, organizers said.\n`,
    locality: 'Duluth',
    date: '2026-01-28',
    precision: 'day',
    status: 'occurred',
    shown: 'January 28, 2026',
  },
];

/** A new directory holding the made-up articles. */
export function precisionArticles(): string {
  const dir = join(tempDir(), 'precision');
  mkdirSync(dir);
  for (const c of PRECISION_CASES) writeFileSync(join(dir, c.file), c.text);
  return dir;
}
