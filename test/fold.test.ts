// The fold an event's record is built through (src/merge/fold.ts): a record built by folding in articles one at a
// time, in any order and wherever they fall in the record's order, is the record built from all its mentions at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Mention, SourceRef } from '../src/core/types.js';
import { eventKey, mergeMentions, sourceRef } from '../src/merge/cluster.js';
import { MergeFolds } from '../src/merge/fold.js';
import { processInput } from '../src/pipeline.js';
import { loadGazetteer } from '../src/resolve/gazetteer.js';
import { reports } from './helpers/reports.js';

const gaz = loadGazetteer();

/** Made-up reports of one event, their mentions given spellings, titles and quotes that make the order matter. */
function mentionsOf(n: number): { key: string; mentions: Mention[]; sources: Map<string, SourceRef> } {
  const sources = new Map<string, SourceRef>();
  const mentions: Mention[] = [];
  reports(n, 1).forEach((r, i) => {
    const p = processInput({ bytes: Buffer.from(r.text), name: r.name, today: '2026-06-01' }, gaz);
    sources.set(p.article.id, sourceRef(p.article));
    for (const m of p.mentions) {
      // the same organizer spelled two ways: the record spells it as its first report in article order does
      m.organizations = [...m.organizations, i % 2 ? 'the march committee' : 'The March Committee'];
      m.title = ['A', 'B', 'C'][i % 3]!;
      m.flags = [...m.flags, i % 4 ? 'flag_b' : 'Flag_B', `flag_${i % 3}`];
      mentions.push(m);
    }
  });
  const key = eventKey(mentions[0]!);
  // some mentions of another day, as when an editor merged that day's event into this one
  for (const m of mentions.slice(0, 12).filter((_, i) => i % 3 === 0)) mentions.push({ ...m, date: '2026-05-02', evidence: m.evidence.slice(0, 1) });
  return { key, mentions, sources };
}

/** A fixed shuffle of 0..n-1. */
function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

test('folding in articles one at a time, in any order, builds the record a fold of all the mentions builds', () => {
  const { key, mentions, sources } = mentionsOf(24);
  assert.ok(mentions.some((m) => eventKey(m) !== key), 'some mentions lie under another key');
  const articles = [...new Set(mentions.map((m) => m.articleId))];
  for (const seed of [1, 7, 42]) {
    const folds = new MergeFolds();
    const added = new Set<string>();
    for (const a of shuffled(articles.length, seed).map((i) => articles[i]!)) {
      added.add(a);
      // in a store's stable order (its row order), the new article's mentions among the others
      const list = mentions.filter((m) => added.has(m.articleId));
      const kept = mergeMentions(key, list, sources, new Map(), undefined, folds);
      assert.deepEqual(kept, mergeMentions(key, list, sources), `seed ${seed}, ${added.size} articles`);
    }
  }
  // the record depends on the articles' mentions, not on the order the articles are given in
  const byArticle = [...articles].reverse().flatMap((a) => mentions.filter((m) => m.articleId === a));
  assert.deepEqual(mergeMentions(key, byArticle, sources), mergeMentions(key, mentions, sources));
});

test('a fold is left when the mentions given are not those folded in and some new ones', () => {
  const { key, mentions, sources } = mentionsOf(12);
  const folds = new MergeFolds();
  mergeMentions(key, mentions, sources, new Map(), undefined, folds);
  // a split took mentions away; an undo put them back in another order; equal copies are other mentions
  const fewer = mentions.filter((_, i) => i % 4 !== 1);
  const reordered = [...mentions].reverse();
  const copies = mentions.map((m) => structuredClone(m));
  const same = mentions.slice(0, 3);
  for (const list of [fewer, mentions, reordered, copies, [...same, ...same]]) {
    assert.deepEqual(mergeMentions(key, list, sources, new Map(), undefined, folds), mergeMentions(key, list, sources));
  }
  // more mentions of an article already folded in
  const extra = { ...mentions[0]!, evidence: [], organizations: ['Another Group'] };
  const more = [...mentions, extra];
  assert.deepEqual(mergeMentions(key, more, sources, new Map(), undefined, folds), mergeMentions(key, more, sources));
});

test('a quote citing another article than its mention: equal quotes of two articles are one, as in the record order', () => {
  const { key, mentions, sources } = mentionsOf(6);
  const [a, b] = [...new Set(mentions.map((m) => m.articleId))].sort();
  const quote = mentions.find((m) => m.articleId === a && m.evidence.length)!.evidence[0]!;
  const foreign = mentions.map((m) => (m.articleId === b ? { ...m, evidence: [...m.evidence, quote] } : m));
  const folds = new MergeFolds();
  const withoutA = foreign.filter((m) => m.articleId !== a);
  mergeMentions(key, withoutA, sources, new Map(), undefined, folds);
  const record = mergeMentions(key, foreign, sources, new Map(), undefined, folds);
  assert.deepEqual(record, mergeMentions(key, foreign, sources));
  assert.equal(record.evidence.filter((e) => e === quote || (e.field === quote.field && e.source === quote.source && e.start === quote.start)).length, 1);
});
