// Articles saved in groups (Repository.grouped, what `turnout ingest` runs): SQLite commits up to 50 articles a
// transaction, each article still its own savepoint and its own revisions, so the record is the one saving them one
// by one makes; another connection sees each group once it commits; an article that fails is undone alone, and an
// error that ends the run keeps what was saved before it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ingestInto, processInput } from '../src/pipeline.js';
import { loadGazetteer } from '../src/resolve/gazetteer.js';
import type { Mention } from '../src/core/types.js';
import { SqliteRepository } from '../src/store/sqlite/index.js';
import { reports } from './helpers/reports.js';
import { tempDir } from './helpers/shared.js';

const gaz = loadGazetteer();
const CLOCK = { now: () => '2026-06-01T12:00:00.000Z' };
const input = (r: { name: string; text: string }) => ({ bytes: Buffer.from(r.text), name: r.name, contentType: 'text/plain', today: '2026-06-01' });
const open = (name: string) => new SqliteRepository(join(tempDir(), name), CLOCK);

/** Every record with its history: what saving in groups must leave as saving one by one does. */
function everything(repo: SqliteRepository): unknown {
  return repo.listEvents({ includeRejected: true }).map((e) => ({ e, history: repo.eventHistory(e.id) }));
}

describe('saving articles in groups (SQLite)', () => {
  const texts = reports(130, 7);

  it('commits every 50 articles, seen by another connection then, and stores what saving them one by one stores', async () => {
    const one = open('one.db');
    for (const r of texts) ingestInto(one, input(r), gaz);
    const grouped = open('grouped.db');
    const other = new SqliteRepository(grouped.handle.name, CLOCK);
    const seen: number[] = [];
    await grouped.grouped(async (saved) => {
      for (const [i, r] of texts.entries()) {
        ingestInto(grouped, input(r), gaz);
        saved();
        if (i === 10 || i === 60 || i === 120) seen.push(other.counts().articles);
      }
    });
    assert.deepEqual(seen, [0, 50, 100]);
    assert.equal(other.counts().articles, texts.length);
    assert.deepEqual(everything(grouped), everything(one));
    assert.deepEqual(grouped.counts(), one.counts());
    for (const r of [one, grouped, other]) r.close();
  });

  it('undoes an article that fails alone, and keeps what was saved before an error that ends the run', async () => {
    const repo = open('fail.db');
    const bad = processInput(input(texts[3]!), gaz);
    // a mention that cannot be stored (it cannot be written as JSON): the save fails after the article's row went in
    const broken = { ...bad.mentions[0]! } as Mention & { self?: unknown };
    broken.self = broken;
    await assert.rejects(
      repo.grouped(async (saved) => {
        for (const [i, r] of texts.slice(0, 8).entries()) {
          if (i === 3) {
            assert.throws(() => repo.saveArticle(bad.article, [broken]), /circular/i);
            continue;
          }
          ingestInto(repo, input(r), gaz);
          saved();
        }
        throw new Error('the run stops here');
      }),
      /the run stops here/,
    );
    assert.equal(repo.handle.inTransaction, false);
    assert.equal(repo.hasArticle(bad.article.id), false, 'the failed article is not stored');
    assert.equal(repo.counts().articles, 7);
    // the records are those of the 7 saved without it
    const clean = open('clean.db');
    for (const [i, r] of texts.slice(0, 8).entries()) if (i !== 3) ingestInto(clean, input(r), gaz);
    assert.deepEqual(everything(repo), everything(clean));
    assert.equal(repo.integrityCheck(), 'ok');
    repo.close();
    clean.close();
  });

  it('says how many articles were lost when an error undid the open group, and goes on with a new one', async () => {
    const repo = open('undone.db');
    await assert.rejects(
      repo.grouped(async (saved) => {
        for (const [i, r] of texts.slice(0, 5).entries()) {
          // as SQLite ends the whole transaction on some errors (a full disk) in a write, after 3 articles
          if (i === 3) {
            const fail = () =>
              repo.writing(() => {
                repo.handle.exec('ROLLBACK');
                throw new Error('database or disk is full');
              });
            assert.throws(fail, /disk is full/);
          }
          ingestInto(repo, input(r), gaz);
          saved();
        }
      }),
      /3 article\(s\) saved in it were not kept; run the same ingest again/,
    );
    assert.equal(repo.handle.inTransaction, false);
    assert.equal(repo.counts().articles, 2);
    // read again, the rest is stored, and the records are those of one run
    await repo.grouped(async (saved) => {
      for (const r of texts.slice(0, 5)) {
        ingestInto(repo, input(r), gaz);
        saved();
      }
    });
    const clean = open('clean5.db');
    for (const r of texts.slice(0, 5)) ingestInto(clean, input(r), gaz);
    assert.deepEqual(repo.listEvents().map((e) => [e.id, e.sources.length]), clean.listEvents().map((e) => [e.id, e.sources.length]));
    repo.close();
    clean.close();
  });
});
