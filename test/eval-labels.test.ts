// `turnout eval LABELS.json --texts DIR`: the port of ../shared/eval/score.py (src/eval/score.ts) on small
// hand-written cases, then against score.py itself on synthetic system output (skipped without ../shared
// or python3), then the command end to end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  arrestsAgree,
  docKey,
  fmt3,
  formatTable,
  jsonReport,
  loadGold,
  normLocality,
  normRegion,
  parseDate,
  parseSystemJsonl,
  pyFloatRepr,
  score,
  sizeAgrees,
  systemDocs,
  type Json,
} from '../src/eval/score.js';
import { GOLD_FILE, REPO_ROOT, SHARED, tempDir } from './helpers/shared.js';
import { turnout } from './helpers/cli.js';

const SCORE_PY = join(SHARED, 'eval', 'score.py');
const LABELS = join(SHARED, 'eval', 'dev', 'labels.json');

const HAS_PYTHON = spawnSync('python3', ['--version']).status === 0;
const NO_REFERENCE = !existsSync(SCORE_PY) || !existsSync(LABELS)
  ? `needs ${SCORE_PY} and ${LABELS} (the reference scorer and the dev labels live in ../shared, which a fresh clone does not have)`
  : !HAS_PYTHON
    ? 'needs python3 to run the reference scorer ../shared/eval/score.py'
    : null;

/** Scores in-memory gold (hidden-set format unless it has "articles") against system lines. */
function run(gold: unknown, system: Array<{ doc: string; events: Json[] }>) {
  const g = loadGold(gold);
  return score(g.docs, systemDocs(system.map((obj, i) => ({ where: `line ${i + 1}`, obj }))));
}

const ev = (date: string | null, locality: string | null, region: string | null, status = 'occurred', extra: Record<string, Json> = {}) => ({ date, locality, region, status, ...extra });
const gev = (date: string | null, locality: string | null, state_or_country: string | null, status = 'occurred', extra: Record<string, Json> = {}) => ({ date, locality, state_or_country, status, size_text: null, arrests: null, organizers: [], ...extra });

describe('score.py port: normalization', () => {
  it('reads state and country names, codes and dotted abbreviations as one region code', () => {
    assert.equal(normRegion('Minnesota'), 'MN');
    assert.equal(normRegion('MN'), 'MN');
    assert.equal(normRegion(' mn '), 'MN');
    assert.equal(normRegion('France'), 'FR');
    assert.equal(normRegion('U.S.'), 'US');
    assert.equal(normRegion('U.S.A.'), 'US');
    assert.equal(normRegion('United Kingdom'), 'GB');
    assert.equal(normRegion('D.C.'), 'DC');
    assert.equal(normRegion('Washington, D.C.'), 'DC');
    assert.equal(normRegion('New Mexico'), 'NM');
    // not in the tables: the folded name, upper-cased
    assert.equal(normRegion('Ontario'), 'ONTARIO');
    assert.equal(normRegion('Côte d’Ivoire'), 'COTE DIVOIRE');
    assert.equal(normRegion(''), null);
    assert.equal(normRegion('  '), null);
    assert.equal(normRegion(null), null);
  });

  it('folds localities: "St." is "saint", accents and apostrophes go, city aliases', () => {
    assert.equal(normLocality('St. Paul'), 'saint paul');
    assert.equal(normLocality('ST PAUL'), 'saint paul');
    assert.equal(normLocality('Saint Paul'), 'saint paul');
    assert.equal(normLocality('Stillwater'), 'stillwater');
    assert.equal(normLocality('Montréal'), 'montreal');
    assert.equal(normLocality("Coeur d'Alene"), 'coeur dalene');
    assert.equal(normLocality('New York City'), 'new york');
    assert.equal(normLocality('Washington, D.C.'), 'washington');
    assert.equal(normLocality('—'), null);
    assert.equal(normLocality(null), null);
  });

  it('parses dates and document names as score.py does', () => {
    assert.deepEqual(parseDate('2025-06-14'), { y: 2025, m: 6, d: 14, n: 20253 });
    assert.equal(parseDate(' 2025-06-14T10:00:00Z')?.d, 14);
    assert.equal(parseDate('2025-02-29'), null);
    assert.equal(parseDate('2024-02-29')?.d, 29);
    assert.equal(parseDate('June 14, 2025'), null);
    assert.equal(parseDate(null), null);
    assert.equal(docKey('/a/b/da01.txt'), 'da01');
    assert.equal(docKey('da01'), 'da01');
    assert.equal(docKey('texts/a.b.txt'), 'a.b');
    assert.equal(docKey('.hidden'), '.hidden');
  });

  it('agrees on sizes by contained wording or a gloss-free part, and on arrests by number', () => {
    assert.ok(sizeAgrees('thousands', 'Thousands of marchers'));
    assert.ok(sizeAgrees('about 500 (organizers); 300 (police)', 'police said 300'));
    assert.ok(sizeAgrees('a crowd of 2,000–3,000', 'A crowd of 2,000-3,000 people'));
    assert.ok(!sizeAgrees('thousands', 'hundreds'));
    assert.ok(!sizeAgrees('thousands', null));
    assert.ok(arrestsAgree(12, 'twelve'));
    assert.ok(arrestsAgree('1,200', 1200));
    assert.ok(arrestsAgree('none', 0));
    assert.ok(arrestsAgree('several', 'Several.'));
    assert.ok(!arrestsAgree(3, 4));
    assert.ok(!arrestsAgree(null, null));
    assert.ok(!arrestsAgree(true, 1));
  });

  it('prints rates as Python does: .3f rounds half to even, floats keep their repr', () => {
    assert.equal(fmt3(1 / 16), '0.062');
    assert.equal(fmt3(3 / 16), '0.188');
    assert.equal(fmt3(2 / 3), '0.667');
    assert.equal(fmt3(1), '1.000');
    assert.equal(fmt3(null), '  -  ');
    assert.equal(pyFloatRepr(1), '1.0');
    assert.equal(pyFloatRepr(0.5), '0.5');
    assert.equal(pyFloatRepr(2 / 3), '0.6666666666666666');
    assert.equal(pyFloatRepr(0.00001), '1e-05');
  });
});

describe('score.py port: matching', () => {
  it('matches on normalized place: "St. Paul, Minnesota" is "saint paul, MN"', () => {
    const { tot } = run(
      [{ id: 'x1', negative: false, events: [gev('2025-03-01', 'Saint Paul', 'MN')] }],
      [{ doc: 'x1.txt', events: [ev('2025-03-01', 'St. Paul', 'Minnesota')] }],
    );
    assert.equal(tot.matched, 1);
    assert.equal(tot.precision, 1);
  });

  it('a null gold date matches any system date, and none', () => {
    const gold = [{ id: 'x1', negative: false, events: [gev(null, 'Lyon', 'France'), gev(null, 'Lyon', 'France')] }];
    const { tot } = run(gold, [{ doc: 'x1', events: [ev('2019-11-30', 'Lyon', 'FR'), ev(null, 'Lyon', 'fr')] }]);
    assert.equal(tot.matched, 2);
    // a dated gold event needs the same day
    const dated = run([{ id: 'x1', negative: false, events: [gev('2025-05-01', 'Lyon', 'France')] }], [{ doc: 'x1', events: [ev('2025-05-02', 'Lyon', 'FR'), ev(null, 'Lyon', 'FR')] }]);
    assert.equal(dated.tot.matched, 0);
    assert.equal(dated.tot.system_events, 2);
  });

  it('counts every event on a negative document as a false positive, even one that fits a gold event', () => {
    const gold = [
      { id: 'neg', negative: true, events: [] },
      { id: 'pos', negative: false, events: [gev('2025-04-05', 'Boise', 'ID')] },
    ];
    const { tot, perDoc } = run(gold, [
      { doc: 'neg', events: [ev('2025-04-05', 'Boise', 'ID'), ev('2025-04-06', 'Boise', 'ID')] },
      { doc: 'pos', events: [ev('2025-04-05', 'Boise', 'Idaho')] },
    ]);
    assert.equal(tot.negative_docs, 1);
    assert.equal(tot.negative_fp, 2);
    assert.equal(tot.system_events, 3);
    assert.equal(tot.matched, 1);
    assert.equal(tot.precision, 1 / 3);
    assert.equal(perDoc.find((d) => d.doc === 'neg')!.false_positives.length, 2);
  });

  it('pairs one to one, the tightest date fit first, then agreeing status, not document order', () => {
    // seeds format, for month and week precision: the month-precision gold event comes first, but the
    // one system event fits the day-precision event exactly and goes to it
    const seeds = {
      articles: [
        {
          file: 'a.txt',
          events: [
            { date: '2025-05-01', date_precision: 'month', locality: 'Portland', region: 'OR', status: 'occurred' },
            { date: '2025-05-10', date_precision: 'day', locality: 'Portland', region: 'OR', status: 'occurred' },
            { date: '2025-05-05', date_precision: 'week', locality: 'Salem', region: 'OR', status: 'occurred' },
          ],
        },
      ],
    };
    const r = run(seeds, [{ doc: 'a', events: [ev('2025-05-10', 'Portland', 'Oregon'), ev('2025-05-11', 'Salem', 'OR'), ev('2025-05-12', 'Salem', 'OR')] }]);
    assert.equal(r.tot.matched, 2);
    assert.deepEqual(r.perDoc[0]!.misses, ['2025-05-01/month Portland, OR [occurred]']);
    assert.deepEqual(r.perDoc[0]!.false_positives, ['2025-05-12 Salem, OR [occurred]']);

    // two undated gold events at one place, occurred and planned; the system lists them the other way round
    const gold = [{ id: 'x', negative: false, events: [gev(null, 'Austin', 'TX', 'occurred'), gev(null, 'Austin', 'TX', 'planned')] }];
    const s = run(gold, [{ doc: 'x', events: [ev('2025-01-02', 'Austin', 'TX', 'planned'), ev('2025-01-01', 'Austin', 'TX', 'occurred')] }]);
    assert.equal(s.tot.matched, 2);
    assert.equal(s.tot.status_correct, 2);

    // one gold event, two fitting system events: one match, one false positive
    const d = run([{ id: 'x', negative: false, events: [gev('2025-01-01', 'Austin', 'TX')] }], [{ doc: 'x', events: [ev('2025-01-01', 'Austin', 'TX', 'planned'), ev('2025-01-01', 'Austin', 'TX')] }]);
    assert.equal(d.tot.matched, 1);
    assert.equal(d.tot.status_correct, 1);
    assert.deepEqual(d.perDoc[0]!.false_positives, ['2025-01-01 Austin, TX [planned]']);
  });

  it('prints the totals lines of print_table, and a missing document as absent', () => {
    const gold = [
      { id: 'b1', negative: false, events: [gev('2025-02-01', 'Reno', 'NV', 'occurred', { size_text: 'hundreds', arrests: 2 }), gev('2025-02-08', 'Reno', 'NV')] },
      { id: 'b2', negative: false, events: [gev('2025-03-01', 'Leeds', 'United Kingdom')] },
      { id: 'b3', negative: true, events: [] },
    ];
    const { tot, perDoc } = run(gold, [
      { doc: 'b1', events: [ev('2025-02-01', 'Reno', 'NV', 'planned', { size_text: "several hundred 'activists'", arrests: 'two' })] },
      { doc: 'b3', events: [ev('2025-01-01', 'Reno', 'NV')] },
      { doc: 'zz', events: [] },
    ]);
    assert.deepEqual(formatTable('g.json', 's.jsonl', 'hidden', tot, perDoc, true), [
      'gold g.json (hidden format)  system s.jsonl',
      ' docs  out  gold   sys  match      P      R     F1  status          size       arrests',
      '    3    2     3     2      1  0.500  0.333  0.400   0.000     0/1 0.000     1/1 1.000',
      'negative docs 1, events output on them 1; system docs not in gold 1',
      '',
      'doc                        gold  sys match',
      'b1                            2    1     1',
      '    miss  2025-02-08 Reno, NV [occurred]',
      `    diff  2025-02-01 Reno, NV [occurred]: status 'planned' (gold 'occurred'); size "several hundred 'activists'" (gold 'hundreds')`,
      'b2                            1    0     0 (absent from system)',
      '    miss  2025-03-01 Leeds, United Kingdom [occurred]',
      'b3                            0    1     0 NEGATIVE',
      '    fp    2025-01-01 Reno, NV [occurred]',
    ]);
    const json = JSON.parse(jsonReport('g.json', 's.jsonl', 'hidden', tot, perDoc, false));
    assert.deepEqual(Object.keys(json), [
      'gold', 'gold_format', 'system', 'docs', 'docs_with_output', 'gold_events', 'system_events', 'matched', 'status_correct',
      'size_n', 'size_agree', 'arrests_n', 'arrests_agree', 'negative_docs', 'negative_fp', 'precision', 'recall', 'f1',
      'status_accuracy', 'size_agreement', 'arrests_agreement', 'unknown_system_docs',
    ]);
    assert.deepEqual(json.unknown_system_docs, ['zz']);
  });
});

// ---------------------------------------------------------------- against score.py itself

/** mulberry32: a small seeded generator, so that a failure can be reproduced. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGION_ALIASES: Record<string, string[]> = {
  MN: ['Minnesota', 'mn', 'M.N.'], NY: ['New York', 'N.Y.'], DC: ['D.C.', 'District of Columbia', 'Washington DC'], CA: ['California', 'Calif.'],
  IL: ['Illinois'], TX: ['Texas', 'tx'], US: ['U.S.', 'USA', 'United States', 'nationwide', 'U.S.A.'], France: ['FR', 'fr'],
  'United Kingdom': ['GB', 'UK', 'England'], Germany: ['DE'], Canada: ['CA'], Mexico: ['MX', 'México'], Italy: ['IT'], Spain: ['ES', 'España'],
};

/** System output made from gold events: some dropped, moved, re-spelled or mislabeled, plus extra and malformed lines. */
function synthesize(gold: Array<{ file?: string; id?: string; negative?: boolean; events: Array<Record<string, Json>> }>, seed: number): string {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const shift = (date: Json, days: number): Json => {
    if (typeof date !== 'string') return date;
    const d = new Date(date + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };
  const lines: string[] = [];
  for (const item of gold) {
    const name = String(item.id ?? item.file);
    const p = r();
    if (p < 0.08) continue; // absent from the system
    const events: Json[] = [];
    for (const g of item.events) {
      if (r() < 0.15) continue;
      const region = (g.state_or_country ?? g.region ?? null) as string | null;
      const e: Record<string, Json> = { date: g.date ?? null, locality: g.locality ?? null, region, status: g.status ?? null, size_text: g.size_text ?? null, arrests: g.arrests ?? null, size_low: 10 };
      const q = r();
      if (q < 0.1) e.date = shift(e.date ?? null, pick([-9, -3, -1, 1, 2, 6, 7, 31]));
      else if (q < 0.14) e.date = null;
      else if (q < 0.18 && typeof e.date === 'string') e.date = e.date + 'T18:00:00-05:00';
      else if (q < 0.2 && g.date === null) e.date = '2024-12-31';
      const w = r();
      if (w < 0.12 && region && REGION_ALIASES[region]) e.region = pick(REGION_ALIASES[region]!);
      else if (w < 0.2) e.region = pick(['TX', 'Ontario', 'Texas', null, '', 'Nowhere Land']);
      const l = r();
      if (l < 0.05 && typeof e.locality === 'string') e.locality = e.locality.replace(/^Saint /, 'St. ').replace(/^St\. /, 'Saint ').toUpperCase();
      else if (l < 0.1) e.locality = pick(['Franklin', null, '', 'Zürich', 'New York City', "Coeur d'Alene"]);
      if (r() < 0.15) e.status = e.status === 'planned' ? 'occurred' : pick(['planned', 'occurred', null]);
      const s = r();
      if (typeof g.size_text === 'string' && s < 0.4) e.size_text = `Organizers’ count: ${g.size_text.toUpperCase()} — or so`;
      else if (s < 0.6) e.size_text = pick(['hundreds', 'a few dozen', 'thousands', null, 'Crowd of “many” in Zürich', "it's 200"]);
      const a = r();
      if (typeof g.arrests === 'number' && a < 0.3) e.arrests = pick([String(g.arrests), `${g.arrests}.`, g.arrests === 12 ? 'twelve' : g.arrests, g.arrests + 0.4, `${g.arrests + 1}`]);
      else if (a < 0.45) e.arrests = pick([0, 3, 'none', 'several', null, 1.7, true]);
      events.push(e);
      if (r() < 0.05) events.push({ ...e, status: 'planned' });
    }
    if (r() < 0.25 || item.negative) {
      events.push({ date: pick(['2025-06-14', '2026-01-23', null]), locality: pick(['Minneapolis', 'Paris', null]), region: pick(['MN', 'France', 'US']), status: 'occurred', size_text: null, arrests: null });
    }
    const doc = pick([name, `${name}.txt`, `/tmp/texts/${name}.txt`]);
    if (p < 0.12) lines.push(JSON.stringify({ doc, events: [] }));
    else if (p < 0.18 && events.length > 1) {
      lines.push(JSON.stringify({ file: doc, events: events.slice(0, 1) }), JSON.stringify({ doc, published: null, events: events.slice(1) }));
    } else lines.push(JSON.stringify({ doc, published: null, flags: [], events }));
  }
  lines.push('', 'not json', '[1, 2]', JSON.stringify({ events: [] }), JSON.stringify({ doc: 'zz_unknown', events: [] }), JSON.stringify({ doc: 'x', events: 'none' }));
  return lines.join('\n') + '\n';
}

function python(args: string[]): string {
  const r = spawnSync('python3', [SCORE_PY, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('score.py port against score.py', { skip: NO_REFERENCE ?? false }, () => {
  const cases: Array<{ label: string; gold: string }> = [{ label: 'dev labels (hidden-set format)', gold: LABELS }];
  if (existsSync(GOLD_FILE)) cases.push({ label: 'seeds gold (seeds format)', gold: GOLD_FILE });
  for (const { label, gold } of cases) {
    it(`gives the same totals, per-document lines and JSON on synthetic system output: ${label}`, () => {
      const data = JSON.parse(readFileSync(gold, 'utf8'));
      const items = Array.isArray(data) ? data : data.articles;
      const g = loadGold(data);
      const dir = tempDir();
      let matched = 0;
      let missed = 0;
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const sysPath = join(dir, `sys${seed}.jsonl`);
        const text = synthesize(items, seed);
        writeFileSync(sysPath, text);
        const { tot, perDoc } = score(g.docs, parseSystemJsonl(text, sysPath));
        matched += tot.matched;
        missed += tot.gold_events - tot.matched;
        assert.equal(jsonReport(gold, sysPath, g.fmt, tot, perDoc, false) + '\n', python([gold, sysPath, '--json']), `seed ${seed}: --json`);
        assert.equal(jsonReport(gold, sysPath, g.fmt, tot, perDoc, true) + '\n', python([gold, sysPath, '--json', '--by-doc']), `seed ${seed}: --json --by-doc`);
        assert.equal(formatTable(gold, sysPath, g.fmt, tot, perDoc, true).join('\n') + '\n', python([gold, sysPath, '--by-doc']), `seed ${seed}: table --by-doc`);
      }
      assert.ok(matched > 0 && missed > 0, 'the synthetic runs match some gold events and miss some');
    });
  }
});

// ---------------------------------------------------------------- the command

describe('turnout eval LABELS.json --texts DIR', () => {
  const SAMPLE = join(REPO_ROOT, 'samples', '2026-02-14-river-valley-rallies.txt');
  const URL = 'https://example.org/2026/02/15/river-valley-rallies';
  const labels = [
    {
      id: 'river', url: URL, query: 'q', rank: 1, published: '2026-02-15', negative: false, notes: '',
      events: [
        gev('2026-02-14', 'Dayton', 'OH', 'occurred', { size_text: 'Hundreds of people' }),
        gev('2026-02-14', 'Franklin', 'Ohio', 'occurred', { size_text: 'About 150 protesters', arrests: 0 }),
        gev('2026-02-13', 'Cincinnati', 'OH', 'occurred', { size_text: 'dozens' }),
        gev('2026-03-07', 'Columbus', 'OH', 'planned'),
        gev('2026-02-14', 'Toledo', 'OH'),
      ],
    },
    { id: 'gone', url: 'https://example.org/gone', query: 'q', rank: 2, published: null, negative: false, notes: '', events: [gev('2026-02-14', 'Akron', 'OH')] },
    { id: 'neg', url: 'https://example.org/neg', query: 'q', rank: 3, published: null, negative: true, notes: '', events: [] },
  ];

  function setup() {
    const dir = tempDir();
    const texts = join(dir, 'texts');
    mkdirSync(texts);
    copyFileSync(SAMPLE, join(texts, 'river.txt'));
    copyFileSync(SAMPLE, join(texts, 'neg.txt'));
    const labelsPath = join(dir, 'labels.json');
    writeFileSync(labelsPath, JSON.stringify(labels, null, 1));
    return { dir, texts, labelsPath };
  }

  it('scores what `turnout extract FILE --url URL` prints for each text, as score.py scores it', () => {
    const { dir, texts, labelsPath } = setup();
    const r = turnout(['eval', labelsPath, '--texts', texts, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /extracted 2 texts \(1 not in/);
    const got = JSON.parse(r.stdout);
    assert.equal(got.docs, 3);
    assert.equal(got.docs_with_output, 2);
    assert.equal(got.gold_events, 6);
    assert.equal(got.negative_docs, 1);
    assert.equal(got.negative_fp, got.system_events / 2, 'the negative document is the same text: all its events are false positives');
    // the same events through `turnout extract`, scored by the port (and by score.py when it is here)
    const lines = ['river', 'neg'].map((id) => {
      const x = turnout(['extract', join(texts, `${id}.txt`), '--url', labels.find((l) => l.id === id)!.url, '--format', 'json']);
      assert.equal(x.code, 0, x.stderr);
      return x.stdout;
    });
    const sysPath = join(dir, 'sys.jsonl');
    writeFileSync(sysPath, lines.join(''));
    const g = loadGold(labels);
    const { tot } = score(g.docs, parseSystemJsonl(lines.join(''), sysPath));
    const { gold: _g, system: _s, ...rest } = got;
    assert.deepEqual(rest, { gold_format: 'hidden', ...JSON.parse(JSON.stringify(tot)) });
    if (!NO_REFERENCE) {
      const ref = JSON.parse(python([labelsPath, sysPath, '--json']));
      for (const k of Object.keys(tot)) assert.deepEqual(got[k], ref[k], k);
    }
    assert.ok(got.matched >= 1 && got.matched < got.gold_events, r.stdout);

    const table = turnout(['eval', labelsPath, '--texts', texts, '--by-doc']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^gold .* \(hidden format\)  system /);
    assert.match(table.stdout, /\n docs  out  gold   sys  match      P      R     F1  status          size       arrests\n    3    2     6 /);
    assert.match(table.stdout, /\ngone +1 +0 +0 \(absent from system\)\n    miss  2026-02-14 Akron, OH \[occurred\]/);
    assert.match(table.stdout, /\n    miss  2026-02-14 Toledo, OH \[occurred\]/);
  });

  it('exits 2 on an unreadable labels file or texts folder, 1 on a usage error', () => {
    const { dir, texts, labelsPath } = setup();
    const missing = turnout(['eval', join(dir, 'nope.json'), '--texts', texts]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.json: no such file/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '[{"id": "a",');
    const bad = turnout(['eval', broken, '--texts', texts]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /broken\.json: /);
    const noId = join(dir, 'noid.json');
    writeFileSync(noId, '[{"url": "https://example.org/"}]');
    const r = turnout(['eval', noId, '--texts', texts]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /noid\.json: item 1 is not an object with an "id"/);
    assert.equal(turnout(['eval', labelsPath, '--texts', join(dir, 'no-such-dir')]).code, 2);
    const noTexts = turnout(['eval', labelsPath]);
    assert.equal(noTexts.code, 1);
    assert.match(noTexts.stderr, /needs --texts DIR/);
    assert.equal(turnout(['eval', labelsPath, '--texts', texts, '--format', 'xml']).code, 1);
    assert.equal(turnout(['eval', labelsPath, texts]).code, 1);
  });
});
