// Acceptance on the real seed articles (read from ../shared, never copied into the repo).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { scoreFile, type GoldArticle } from '../src/eval.js';
import { articleEvents, ingestInto, processInput } from '../src/pipeline.js';
import { toCsv } from '../src/serve/export/csv.js';
import { toGeoJson } from '../src/serve/export/geojson.js';
import { openStore } from '../src/store/sqlite/index.js';
import { GOLD_FILE, NO_SHARED, SEEDS_DIR, tempDir } from './helpers/shared.js';

const skip = NO_SHARED ?? false;

function gold(): GoldArticle[] {
  return (JSON.parse(readFileSync(GOLD_FILE, 'utf8')) as { articles: GoldArticle[] }).articles;
}

function seed(file: string) {
  return { bytes: readFileSync(join(SEEDS_DIR, file)), name: file };
}

describe('seed articles', { skip }, () => {
  it('reads each article with event F1 >= 0.90 and status right on >= 95% of matched events', () => {
    for (const g of gold()) {
      const p = processInput(seed(g.file));
      const s = scoreFile(g.file, g.events, articleEvents(p));
      const detail = `${g.file}: P ${s.precision.toFixed(3)} R ${s.recall.toFixed(3)} misses ${JSON.stringify(s.misses)} fps ${JSON.stringify(s.falsePositives.map((e) => [e.date, e.locality, e.region]))}`;
      assert.ok(s.f1 >= 0.9, detail);
      assert.ok(s.statusCorrect / s.matched.length >= 0.95, `${g.file}: status ${s.statusCorrect}/${s.matched.length}`);
    }
  });

  it('finds the publication dates, and flags the article whose date contradicts its text', () => {
    for (const g of gold()) {
      const p = processInput(seed(g.file));
      assert.equal(p.article.published, g.published, g.file);
    }
    const inconsistent = gold().find((g) => /inconsistent/.test(JSON.stringify(g)));
    assert.ok(inconsistent, 'the gold file names an inconsistent publication date');
    assert.ok(processInput(seed(inconsistent.file)).article.flags.includes('published_date_contradicts_text'));
  });

  it('ingests both seeds into a store holding the 20 merged events and at most 2 others; re-ingest is a no-op', () => {
    const dir = tempDir();
    const repo = openStore(join(dir, 't.db'));
    const files = readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt'));
    for (const f of files) assert.equal(ingestInto(repo, seed(f)).article, 'new');
    const events = repo.listEvents();
    const goldEvents = gold().flatMap((g) => g.events);
    // the gold's 25 mentions merge into 20 distinct (place, date) events
    const keys = new Set(goldEvents.map((e) => `${e.date}|${e.date_precision}|${e.locality}|${e.region}`));
    assert.equal(keys.size, 20);
    const found = [...keys].filter((k) => {
      const [date, prec, loc, region] = k.split('|');
      return events.some((e) => e.date === date && e.date_precision === prec && String(e.locality) === loc && regionCode(e) === region);
    });
    assert.equal(found.length, 20, `found ${found.length} of 20: ${events.map((e) => `${e.date} ${e.locality} ${e.region}`).join('; ')}`);
    assert.ok(events.length <= 22, `${events.length} events stored`);
    // events reported by both articles carry both sources
    const la = events.find((e) => e.locality === 'Los Angeles' && e.date === '2026-01-30');
    assert.equal(la?.sources.length, 2);
    const before = repo.counts();
    for (const f of files) assert.equal(ingestInto(repo, seed(f)).article, 'unchanged');
    assert.deepEqual(repo.counts(), before);
    assert.equal(repo.integrityCheck(), 'ok');
    repo.close();
  });

  it('never lets a private individual named in the seeds into events, quotes or exports', () => {
    // names written with an age ("Firstname Lastname, 13,") are minors in photo captions
    const minors = new Set<string>();
    for (const f of readdirSync(SEEDS_DIR)) {
      const text = readFileSync(join(SEEDS_DIR, f), 'utf8');
      for (const m of text.matchAll(/([A-Z][\p{L}'-]+(?: [A-Z][\p{L}'-]+)*), (\d{1,2}),/gu)) for (const part of m[1]!.split(' ')) minors.add(part);
    }
    assert.ok(minors.size >= 4, `found ${[...minors].join(', ')}`);
    const dir = tempDir();
    const repo = openStore(join(dir, 't.db'));
    for (const f of readdirSync(SEEDS_DIR)) ingestInto(repo, seed(f));
    const events = repo.listEvents();
    const outputs = [JSON.stringify(events), toCsv(events), JSON.stringify(toGeoJson(events))];
    for (const out of outputs) {
      for (const name of minors) assert.ok(!new RegExp(`\\b${name}\\b`, 'i').test(out), `"${name}" leaked`);
    }
    // the quotes still carry the evidence around the redaction
    assert.ok(JSON.stringify(events).includes('[name]'));
    repo.close();
  });

  it('keeps the evidence: every event has a source and a quote for its place', () => {
    const g = gold()[0]!;
    const p = processInput(seed(g.file));
    for (const e of articleEvents(p)) {
      assert.ok(e.sources.length >= 1);
      const ev = e.evidence.find((x) => x.field === 'locality' || x.field === 'date');
      assert.ok(ev, `${e.locality} has evidence`);
      assert.ok(ev.end > ev.start && ev.quote.length > 0);
    }
  });
});

/** The two-letter code of an event's region: the US state, or the country's ISO code abroad (where region is its name). */
function regionCode(e: { region: string | null; country: string | null }): string | null {
  return e.country && !['US', 'PR', 'GU', 'VI', 'AS', 'MP'].includes(e.country) ? e.country : e.region;
}
