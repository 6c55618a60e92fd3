// The passes of extraction on their own, on short sentences written for these tests: place attachment
// (src/extract/attach.ts), datelines (src/extract/dateline.ts) and the word lists (src/extract/names.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextPlaces, licensedPlaces } from '../src/extract/attach.js';
import { findDateline, paragraphDatelines } from '../src/extract/dateline.js';
import { isEnglishWord, isFirstName } from '../src/extract/names.js';
import { ingest } from '../src/ingest/index.js';
import { loadGazetteer } from '../src/resolve/gazetteer.js';

/** The sentence and the spans of the given names in it (in order). */
function at(text: string, ...names: string[]): { s: { start: number; end: number; text: string }; places: Array<{ start: number; end: number; qualified: boolean }> } {
  let from = 0;
  const places = names.map((n) => {
    const start = text.indexOf(n, from);
    assert.ok(start >= 0, n);
    from = start + n.length;
    return { start, end: start + n.length, qualified: false };
  });
  return { s: { start: 0, end: text.length, text }, places };
}

describe('place attachment', () => {
  it('keeps the place of the protest and drops the place of what it protests', () => {
    const a = at('Hundreds marched in Akron after the killing in Toledo.', 'Akron', 'Toledo');
    assert.deepEqual(contextPlaces(a.s, a.places), [false, true]);
    const b = at('Students rallied in Eugene against the raids in Salem and Bend.', 'Eugene', 'Salem', 'Bend');
    assert.deepEqual(contextPlaces(b.s, b.places), [false, true, true]);
    const c = at('People in Tacoma protested in solidarity with Spokane.', 'Tacoma', 'Spokane');
    assert.deepEqual(contextPlaces(c.s, c.places), [false, true]);
  });
  it('counts the capital named with "all 50 states" among the states, not as a site', () => {
    const a = at('Rallies took place in every one of the 50 states and Washington, D.C., organizers said.', 'Washington');
    assert.deepEqual(contextPlaces(a.s, a.places), [true]);
    const b = at('Rallies were held in Tulsa and in every state and Washington, D.C.', 'Tulsa', 'Washington');
    assert.deepEqual(contextPlaces(b.s, b.places), [false, true]);
  });
  it('reads a protest of another year as background', () => {
    const a = at('The vigil recalled the 2019 march in Toledo.', 'Toledo');
    assert.deepEqual(contextPlaces(a.s, a.places, 2025), [true]);
    assert.deepEqual(contextPlaces(a.s, a.places, 2019), [false]);
    // a later year is a plan's day, not another year's protest
    const b = at('On January 9, 2027, a march is planned in Toledo.', 'Toledo');
    assert.deepEqual(contextPlaces(b.s, b.places, 2026), [false]);
  });
  it('licenses a place after a locative preposition or before its people, not as a modifier or a person', () => {
    const a = at('Fresno residents marched to the Capitol.', 'Fresno');
    assert.deepEqual(licensedPlaces(a.s, a.places), [true]);
    const b = at('A Fresno punk band played at the rally.', 'Fresno');
    assert.deepEqual(licensedPlaces(b.s, b.places), [false]);
    const c = at('The crowd cheered, said Pullman, an organizer.', 'Pullman');
    assert.deepEqual(licensedPlaces(c.s, c.places), [false]);
    const d = at('Rallies were held in Reno, Fresno and Boise.', 'Reno', 'Fresno', 'Boise');
    assert.deepEqual(licensedPlaces(d.s, d.places), [true, true, true]);
    const e = at('Marches from Lyon to Leeds drew crowds.', 'Lyon', 'Leeds');
    assert.deepEqual(licensedPlaces(e.s, e.places), [false, false]);
    // a spot inside a named venue is no town
    const f = at('The march started at Cedar Ridge in Riverside Park at noon.', 'Cedar Ridge');
    assert.deepEqual(licensedPlaces(f.s, f.places), [false]);
    const g = at('The march started in Eugene in Oregon at noon.', 'Eugene');
    assert.deepEqual(licensedPlaces(g.s, g.places), [true]);
  });
  it('reads the place of an earlier protest named beside this one as background', () => {
    const a = at('Thousands marched in Lyon, following earlier rallies in Porto in May.', 'Lyon', 'Porto');
    assert.deepEqual(contextPlaces(a.s, a.places), [false, true]);
  });
});

describe('datelines', () => {
  const read = (text: string) => ingest({ bytes: new TextEncoder().encode(text), name: 't.txt', contentType: 'text/plain' });
  it('reads the town in capitals, with its state, agency and date', () => {
    const gaz = loadGazetteer();
    for (const [text, town, region] of [
      ['KEENE, N.H. — About 400 people rallied on Saturday.', 'KEENE', 'NH'],
      ['TULSA (AP) — Police said 12 people were arrested.', 'TULSA', null],
      ['EUGENE, Ore., 6/14/25 — Students walked out.', 'EUGENE', 'OR'],
    ] as const) {
      const d = findDateline(read(text), gaz);
      assert.equal(d?.place.text, town, text);
      assert.equal(d?.place.qualifier?.region ?? null, region, text);
    }
    assert.equal(findDateline(read('THE LATEST — Nothing here names a town.'), gaz), null);
  });
  it('finds the datelines that open the paragraphs of a roundup', () => {
    const a = read('Rallies across the Midwest.\n\nFARGO—About 300 marched.\n\nSIOUX FALLS—Hundreds rallied.\n\nIn other news, it rained.');
    const towns = [...paragraphDatelines(a, loadGazetteer()).values()].map((d) => d.place.text);
    assert.deepEqual(towns, ['FARGO', 'SIOUX FALLS']);
  });
});

describe('word lists', () => {
  it('knows common words and first names, and that most town names are neither', () => {
    assert.ok(isEnglishWord('Hope') && isEnglishWord('liberal') && isEnglishWord('Orange'));
    assert.ok(!isEnglishWord('Tulsa') && !isEnglishWord('Boise'));
    assert.ok(isFirstName('Howard') && isFirstName('Marion'));
    assert.ok(!isFirstName('Tulsa'));
  });
});
