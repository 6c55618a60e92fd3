// Extraction rules on short texts written for these tests (not from any article).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventRecord } from '../src/core/types.js';
import { findDates } from '../src/extract/dates.js';
import { splitSentences } from '../src/extract/text.js';
import { articleEvents, processInput } from '../src/pipeline.js';

function events(text: string, published = '2026-01-31'): EventRecord[] {
  return articleEvents(processInput({ bytes: new TextEncoder().encode(text), name: 't.txt', published }));
}

function places(es: EventRecord[]): string[] {
  return es.map((e) => `${e.locality ?? '-'},${e.region}`).sort();
}

describe('dates', () => {
  it('resolves weekdays and relative words against the publication date, and explicit dates by year nearness', () => {
    const d = (s: string, future = false) => findDates(s, 0, '2026-01-31', future).map((h) => [h.date, h.precision]);
    assert.deepEqual(d('on Friday'), [['2026-01-30', 'day']]);
    assert.deepEqual(d('earlier this week'), [['2026-01-26', 'week']]);
    assert.deepEqual(d('earlier this month'), [['2026-01-01', 'month']]);
    assert.deepEqual(d('planned for March 28'), [['2026-03-28', 'day']]);
    assert.deepEqual(d('on Dec. 20'), [['2025-12-20', 'day']]);
    assert.deepEqual(d('next Saturday', true), [['2026-02-07', 'day']]);
    // the verb "march" and the modal "may" are not months
    assert.deepEqual(d('they may march downtown'), []);
  });
});

describe('extract', () => {
  it('reads every place of a list, dated by the date written after the list', () => {
    const es = events('Protesters rallied in Chicago, Boston and Denver on Saturday, Jan. 24, 2026, against the raids.');
    assert.deepEqual(places(es), ['Boston,MA', 'Chicago,IL', 'Denver,CO']);
    assert.ok(es.every((e) => e.date === '2026-01-24' && e.status === 'occurred'));
  });

  it('settles ambiguity by context: a state nearby, the article, then population', () => {
    assert.deepEqual(places(events('Hundreds of demonstrators marched in Portland on Friday.')), ['Portland,OR']);
    assert.deepEqual(places(events('Hundreds of demonstrators marched in Portland, Maine, on Friday.')), ['Portland,ME']);
    const ca = events('Protests spread across California on Friday. Demonstrators gathered in Sacramento and Fresno. Students marched in Pasadena.');
    assert.ok(places(ca).includes('Pasadena,CA'), places(ca).join(' '));
  });

  it('reads a small town only one state has after a locative word ("downtown Brattleboro"), not a small town named bare', () => {
    assert.deepEqual(places(events('Chants echoed through downtown Brattleboro on Saturday as about 300 people rallied against the raids.')), ['Brattleboro,VT']);
    assert.deepEqual(places(events('About 300 people rallied against the raids on Saturday; Brattleboro residents watched.')), []);
  });

  it('does not take a group referred back to ("The group", "This coalition") for an organization', () => {
    const [e] = events('About 300 people rallied in Denver on Saturday, organized by the Front Range Tenants Union. The group plans another march. This coalition formed last year.');
    assert.deepEqual(e?.organizations, ['Front Range Tenants Union']);
  });

  it('does not read people, photo credits or venues of other towns as places', () => {
    const es = events(
      [
        'Demonstrators rallied in Boston, Massachusetts, on Friday to remember Renée Good and Alex Moore.',
        'Jane Roe/AGENCY',
        'Mayor Karen Lemon spoke to the crowd near Washington Square.',
      ].join('\n'),
    );
    assert.deepEqual(places(es), ['Boston,MA']);
  });

  it('keeps a week-precision event apart from the days of that week', () => {
    const es = events('Earlier this week, dozens of protesters were arrested in Chicago. On Friday, thousands marched in Chicago, Illinois.');
    const chicago = es.filter((e) => e.locality === 'Chicago');
    assert.equal(chicago.length, 2);
    const week = chicago.find((e) => e.date_precision === 'week')!;
    const day = chicago.find((e) => e.date_precision === 'day')!;
    assert.equal(week.date, '2026-01-26');
    assert.equal(week.arrests_text, 'dozens');
    assert.equal(day.date, '2026-01-30');
    assert.equal(day.size_low, 2000);
  });

  it('records a nationwide action planned for a future date, with its organizer', () => {
    const es = events('Another nationwide mobilization is planned for March 28. That action is being organized by the Free Streets coalition, which has held rallies across the nation.');
    assert.equal(es.length, 1);
    assert.equal(es[0]!.status, 'planned');
    assert.equal(es[0]!.date, '2026-03-28');
    assert.equal(es[0]!.locality, null);
    assert.equal(es[0]!.region, 'US');
    assert.deepEqual(es[0]!.organizations, ['Free Streets coalition']);
  });

  it('codes crowd sizes by CCC conventions and keeps police measures with their quote', () => {
    const es = events('Several hundred protesters marched in Seattle, Washington, on Friday. Police fired pepper balls and issued dispersal orders, and 14 people were arrested.');
    const e = es[0]!;
    assert.equal(e.size_low, 300);
    assert.equal(e.size_cat, 2);
    assert.deepEqual(e.police_measures, ['pepper balls', 'dispersal orders']);
    assert.equal(e.arrests, 14);
    const ev = e.evidence.find((x) => x.field === 'police_measures')!;
    assert.match(ev.quote, /pepper balls/);
  });

  it('redacts the names of private individuals, and of minors, from every quote', () => {
    const es = events('Maria Example, 12, and Tomas Sample, 14, joined a protest in Denver, Colorado, on Friday with Gov. Pat Official.');
    const json = JSON.stringify(es);
    assert.doesNotMatch(json, /Maria|Tomas|Example|Sample/);
    assert.match(json, /\[name\], 12/);
    assert.match(json, /Gov\. Pat Official/);
  });

  it('reads a state code in capitals that ends a sentence ("Jacksonville, NC.", "and DC.")', () => {
    assert.deepEqual(places(events('Protesters rallied on Friday in Tacoma and DC. Police watched from a distance.')), ['Tacoma,WA', 'Washington,DC']);
    assert.deepEqual(places(events('About 200 people marched on Friday in Jacksonville, NC. Police watched from a distance.')), ['Jacksonville,NC']);
    // (a title or place word in capitals keeps its period: one sentence)
    assert.equal(splitSentences('MARCHERS WALKED TO ST. MARY CHURCH ON FRIDAY.').length, 1);
  });

  it('reads "X City Hall" as the city X, not a small town called "X City"', () => {
    assert.deepEqual(places(events('Hundreds of people rallied at Boise City Hall on Friday against the raids.')), ['Boise,ID']);
  });

  it('does not take a venue in a paragraph set abroad for a namesake town of another country', () => {
    const es = events('Demonstrators rallied in Perth, Australia, on Thursday. They marched from the station to Tulsa City Hall.', '2024-01-20');
    assert.deepEqual(places(es), ['Perth,Australia']);
  });

  it('dates a place named in an undated list by the day the article later gives it', () => {
    const es = events('Rallies for peace were held around the world. Crowds in Lyon, Bern and Graz also held similar demonstrations. Protesters marched in Lyon on Thursday. On Friday, dozens of protesters gathered in Bern. In Graz, activists rallied on Thursday.', '2024-01-20');
    assert.deepEqual(es.filter((e) => e.locality === 'Bern').map((e) => e.date), ['2024-01-19']);
    // (a lede's one undated place keeps the article's main day beside its other dated report)
    const lede = events('Rallies were held around the state on Saturday. Hundreds rallied in Lyon against the cuts. In Grenoble, on Saturday, students marched. In Lyon, on Friday, a smaller group held a vigil.', '2024-01-21');
    assert.deepEqual(lede.filter((e) => e.locality === 'Lyon').map((e) => e.date).sort(), ['2024-01-19', '2024-01-20']);
  });

  it('does not report as held, nor as planned, actions said after their day to have been planned', () => {
    const es = events('About 500 people marched in Leeds on Saturday against the cuts. Similar protests were planned around Britain, including York and Derby.', '2025-09-21');
    assert.deepEqual(places(es), ['Leeds,United Kingdom']);
    // (said before their day, they are plans, not reports contradicting the page's date)
    const ahead = events('About 500 people marched in Leeds on Saturday against the cuts. Similar protests were planned around Britain for Sept. 27, including York and Derby.', '2025-09-21');
    assert.deepEqual(ahead.filter((e) => e.locality !== 'Leeds').map((e) => `${e.locality},${e.date},${e.status}`).sort(), ['Derby,2025-09-27,planned', 'York,2025-09-27,planned']);
    // (a march "planned by" a group, or told with what it did, was held)
    const held = events('The march was planned by the Tenants Union and went from the park to City Hall in Eugene on Saturday.');
    assert.deepEqual(held.map((e) => `${e.locality},${e.date},${e.status}`), ['Eugene,2026-01-31,occurred']);
  });

  it('reads the rallies organizers are calling for as planned', () => {
    const es = events('Organizers in several cities are calling for solidarity, including a rally in Tacoma and a march in Spokane.', '2025-05-01');
    assert.deepEqual(places(es), ['Spokane,WA', 'Tacoma,WA']);
    assert.ok(es.every((e) => e.status === 'planned'), es.map((e) => e.status).join(' '));
  });

  it('reads a crowd making "a public display of support" as a demonstration in an article about protests', () => {
    const es = events('Rallies in solidarity with refugees were held across Europe on Friday. In Porto, thousands of residents made a public display of support for the refugees on Friday. Protesters marched in Oslo on Thursday.', '2024-01-20');
    assert.deepEqual(es.map((e) => `${e.locality},${e.date}`).sort(), ['Oslo,2024-01-18', 'Porto,2024-01-19']);
  });

  it('does not put a wire story\'s unplaced report at the last town of a list of plans', () => {
    const es = events('TOLEDO (AP) — Hundreds of people rallied in Toledo on Saturday against the plant closure.\n\nEvents are planned in cities across the state including Akron, Dayton and Youngstown.\n\nDemonstrators are arriving at a second rally near the river.');
    assert.deepEqual(es.map((e) => `${e.locality},${e.status}`).sort(), ['Akron,planned', 'Dayton,planned', 'Toledo,occurred', 'Youngstown,planned']);
  });

  it('flags an article dated before the events it reports as past', () => {
    const p = processInput({ bytes: new TextEncoder().encode('Thousands of demonstrators took to the streets of Atlanta, Georgia, on January 30, 2026.'), name: 't.txt', published: '2026-01-28' });
    assert.ok(p.article.flags.includes('published_date_contradicts_text'));
    const [e] = articleEvents(p);
    assert.equal(e!.status, 'occurred');
    assert.ok(e!.flags.includes('date_after_publication'));
  });
});
