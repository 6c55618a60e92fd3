// The ways extraction used to misread real news (issue 8), one block per failure class. Every text here was
// written for this test in the shape of a news report; none is taken from an article, and the towns are
// different from those of the development pages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { EventRecord } from '../src/core/types.js';
import { articleEvents, processInput } from '../src/pipeline.js';

function read(text: string, opts: { published?: string; url?: string } = {}) {
  return processInput({ bytes: new TextEncoder().encode(text), name: 't.txt', published: opts.published ?? null, url: opts.url ?? null, contentType: 'text/plain', today: '2026-11-30' });
}

function events(text: string, opts: { published?: string; url?: string } = {}): EventRecord[] {
  return articleEvents(read(text, opts));
}

/** "date locality,region status" per event, sorted. */
function rows(es: EventRecord[]): string[] {
  return es.map((e) => `${e.date ?? '-'}${e.date_precision === 'day' ? '' : `/${e.date_precision}`} ${e.locality ?? '-'},${e.region} ${e.status}`).sort();
}

describe('1. the publication date in header lines', () => {
  it('reads a date stamp that shares its line with a byline', () => {
    const p = read(' date 2025-06-11 Jane Doe\nProtesters rallied in Fresno on Tuesday evening against the raids.');
    assert.equal(p.article.published, '2025-06-11');
    assert.deepEqual(rows(articleEvents(p)), ['2025-06-10 Fresno,CA occurred']);
  });
  it('reads "Published <time>, <date>" and a dated byline', () => {
    assert.equal(read('Published 5:04 PM EST, Jan. 30, 2026\nProtesters marched in Provo on Friday.').article.published, '2026-01-30');
    assert.equal(read('By the Staff | March 3, 2025 | 9:15 AM\nHundreds rallied in Tulsa on Sunday.').article.published, '2025-03-03');
  });
  it('prefers the published stamp to an updated one, and reads a glued label', () => {
    assert.equal(read('Updated 2:00 PM, Feb. 2, 2026 | Published 9:00 AM, Feb. 1, 2026\nDozens rallied in Boise.').article.published, '2026-02-01');
    assert.equal(read('Publish date12 Mar 2024 - 8:34\nCrowds rallied in Lyon on Monday.').article.published, '2024-03-12');
  });
  it('reads a stamp line below the story that writes the year first', () => {
    const text = 'Hundreds of protesters rallied in Boise on Sunday.\n\nThe downtown march was one of hundreds scheduled across the country for March 9.\n\nOur photos are below.\n\nPublished 2025 Mar 9, 6:40 p.m.';
    const p = read(text);
    assert.equal(p.article.published, '2025-03-09');
    // the day of action the local rally was one of, written that day, is no plan of its own
    assert.deepEqual(rows(articleEvents(p)), ['2025-03-09 Boise,ID occurred']);
  });
});

describe('2. background places are context, not events', () => {
  it('does not report the place of a killing, a crackdown or an earlier protest', () => {
    assert.deepEqual(rows(events('Hundreds marched in Akron on Friday after the fatal shooting in Toledo.', { published: '2025-06-16' })), [
      '2025-06-13 Akron,OH occurred',
    ]);
    assert.deepEqual(rows(events('Protesters rallied in Tacoma on Saturday against the raids that began in Spokane last week.', { published: '2025-06-16' })), [
      '2025-06-14 Tacoma,WA occurred',
    ]);
    assert.deepEqual(rows(events('Students walked out in Eugene on Monday in solidarity with Salem.', { published: '2025-06-17' })), [
      '2025-06-16 Eugene,OR occurred',
    ]);
  });
  it('does not report a protest of another year or a running count since a past month', () => {
    assert.deepEqual(rows(events('The vigil in Dayton on Saturday marked the anniversary of the 2019 march in Toledo.', { published: '2025-06-16' })), [
      '2025-06-14 Dayton,OH occurred',
    ]);
    assert.deepEqual(events('Since October, rallies have been held in Reno, Boise and Tulsa.', { published: '2025-06-16' }), []);
  });
});

describe('3. words and names are not towns', () => {
  it('reads neither given names, surnames nor ordinary words as towns', () => {
    const es = events('Federal agents watched as Harmony Ruiz and Carl Pullman joined the rally in Salem, Oregon, on Saturday.', { published: '2025-06-16' });
    assert.deepEqual(rows(es), ['2025-06-14 Salem,OR occurred']);
    assert.deepEqual(rows(events('Friendship Force and Commerce groups joined the march in Tulsa on Sunday, said Pullman.', { published: '2025-06-16' })), [
      '2025-06-15 Tulsa,OK occurred',
    ]);
  });
  it('does not take a street corner or a one-person description for a town', () => {
    assert.deepEqual(rows(events('About 50 people rallied at 10th Street and Pomona in Fresno on Friday, a Reno native said.', { published: '2025-06-16' })), [
      '2025-06-13 Fresno,CA occurred',
    ]);
  });
});

describe('4. namesakes are read in the page’s own context', () => {
  it('takes the state from a group that carries its name', () => {
    const text = 'AUBURN — Nearly 200 people marched along Main Street on Saturday behind a Maine Nurses Union banner.';
    assert.deepEqual(rows(events(text, { published: '2025-06-16' })), ['2025-06-14 Auburn,ME occurred']);
    assert.notDeepEqual(rows(events(text.replace(' Maine Nurses', ' Nurses'), { published: '2025-06-16' })), ['2025-06-14 Auburn,ME occurred']);
  });
  it('a war abroad named in a letter does not make a small town of a state it names foreign', () => {
    const text = 'Letter: A good protest\nSunday was a fine day in Salina. At noon we went to the weekly protest at the corner of Fifth and Main. It reminded me of the protests against the war in Vietnam. Vietnam taught us to speak up. Protests like this are going on elsewhere in Kansas.';
    assert.deepEqual(rows(events(text)), ['- Salina,KS occurred']);
  });
  it('places a wire story\'s unplaced reports at the town it last reported, not where it was filed', () => {
    const text = 'SPOKANE, Wash. (AP) — Police say 20 protesters were cited on Sunday during a protest in Pullman, Wash.\nThe protesters refused to leave the park when it closed on Sunday.';
    assert.deepEqual(rows(events(text, { published: '2025-06-16' })), ['2025-06-15 Pullman,WA occurred']);
    // nor at the filing town when its headline, above the dateline, names only the state
    const headed = 'Twenty more protesters cited at Sunday rally in Wash.\n\n' + text;
    assert.deepEqual(rows(events(headed, { published: '2025-06-16' })), ['2025-06-15 Pullman,WA occurred']);
  });
  it('reads a big city\'s short name in capitals from the alias table, not inside a longer name', () => {
    // the alias comes from data/places/aliases.tsv: the first one written in capitals ("XYZ<TAB>City<TAB>ST")
    const row = readFileSync(new URL('../data/places/aliases.tsv', import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.split('\t'))
      .find((f) => /^[A-Z]{3,4}$/.test(f[0] ?? '') && f[1] && f[2]);
    assert.ok(row, 'an alias in capitals in data/places/aliases.tsv');
    const [alias, city, st] = row;
    assert.deepEqual(rows(events(`Protesters rallied in Boise; ${alias}; and Tulsa on Saturday.`, { published: '2025-06-16' })), [
      '2025-06-14 Boise,ID occurred',
      `2025-06-14 ${city},${st} occurred`,
      '2025-06-14 Tulsa,OK occurred',
    ].sort());
    assert.deepEqual(rows(events(`Hundreds marched in Boise on Saturday before ${alias} Climate Week.`, { published: '2025-06-16' })), ['2025-06-14 Boise,ID occurred']);
  });
  it('a file photo dated weeks before its page is background, and does not date the page\'s reports', () => {
    const text =
      'Veterans plan a rally at the Capitol\nProtesters listen to a speaker on March 14, 2025, during a rally at the Capitol in Boise. (AP Photo/Jane Roe)\nA second rally is planned for June 6 at the Capitol in Boise.\nOrganizers said the rally would draw veterans from every state.';
    assert.deepEqual(rows(events(text, { published: '2025-05-30' })), ['2025-06-06 Boise,ID planned']);
  });
  it('an explicit day more than a week before the page does not date its undated reports', () => {
    const text = 'AKRON, Ohio (AP) — Thousands of counterprotesters have begun a march ahead of a rally downtown. Akron’s rally is the first large gathering since the attack in Dayton on Aug. 2.';
    assert.deepEqual(rows(events(text, { published: '2025-08-19' })), ['2025-08-18/week Akron,OH occurred']);
  });
  it('reads the town of a campus named "<State>-<Town>"', () => {
    const text = 'University of Ohio-Lima students protested at the college green on Tuesday.\nThe vigil ended at 8 p.m.';
    assert.deepEqual(rows(events(text, { published: '2026-01-29' })), ['2026-01-27 Lima,OH occurred']);
  });
  it('takes the state from the dateline and from a county the page names', () => {
    assert.deepEqual(rows(events('PEORIA, Ill. — Hundreds rallied downtown on Saturday. Others marched in Jacksonville.', { published: '2025-06-16' })), [
      '2025-06-14 Jacksonville,IL occurred',
      '2025-06-14 Peoria,IL occurred',
    ]);
    const es = events('A rally in front of the Williamson County Courthouse in Marion drew 40 people on Tuesday.', { published: '2025-06-18' });
    assert.deepEqual(rows(es), ['2025-06-17 Marion,IL occurred']);
  });
  it('reads "X in <country>" and a state after a comma only when the town is in it', () => {
    assert.deepEqual(rows(events('Marches were held on Saturday in Perth in Australia and in Reno, Indiana, Tulsa and Fresno.', { published: '2025-06-16' })), [
      '2025-06-14 Fresno,CA occurred',
      '2025-06-14 Perth,Australia occurred',
      '2025-06-14 Reno,NV occurred',
      '2025-06-14 Tulsa,OK occurred',
    ]);
  });
});

describe('5. events that used to be missed', () => {
  it('reads every city of a roundup list', () => {
    assert.deepEqual(rows(events('On Saturday, rallies were held in Reno, Indiana, Tulsa, Fresno and Boise.', { published: '2025-06-16' })), [
      '2025-06-14 Boise,ID occurred',
      '2025-06-14 Fresno,CA occurred',
      '2025-06-14 Reno,NV occurred',
      '2025-06-14 Tulsa,OK occurred',
    ]);
  });
  it('reads a list of places after the sentence that introduces it, with its status', () => {
    const text = 'Organizers said rallies are planned in every state on Saturday. Cities where events are confirmed include:\n\n- Boise, Idaho\n- Fargo, North Dakota\n- Tulsa, Oklahoma\n';
    assert.deepEqual(rows(events(text, { published: '2025-06-10' })), [
      '2025-06-14 Boise,ID planned',
      '2025-06-14 Fargo,ND planned',
      '2025-06-14 Tulsa,OK planned',
    ]);
  });
  it('reads a planned national day of action as one nationwide event', () => {
    assert.deepEqual(rows(events('Organizers have called a national day of action on March 28.', { published: '2026-02-02' })), ['2026-03-28 -,US planned']);
  });
  it('dates protests abroad by their own clause, and each day of multi-day coverage', () => {
    assert.deepEqual(rows(events('In Lyon, thousands marched on Saturday, while in Porto demonstrators gathered on Sunday.', { published: '2025-06-16' })), [
      '2025-06-14 Lyon,France occurred',
      '2025-06-15 Porto,Portugal occurred',
    ]);
    assert.deepEqual(rows(events('Protesters marched in Spokane on Friday. On Saturday, the crowd grew to thousands. On Sunday, organizers held a vigil.', { published: '2025-06-16' })), [
      '2025-06-13 Spokane,WA occurred',
      '2025-06-14 Spokane,WA occurred',
      '2025-06-15 Spokane,WA occurred',
    ]);
  });
});

describe('6. size and arrest wording', () => {
  it('keeps the size as written and codes arrests, "no arrests" as 0', () => {
    const [a] = events('About 300 people marched through downtown Boise on Saturday. Police reported no arrests.', { published: '2025-06-16' });
    assert.equal(a!.size_text, 'About 300 people');
    assert.equal(a!.arrests, 0);
    const [b] = events('Thousands marched in Reno on Saturday, and 39 people were arrested.', { published: '2025-06-16' });
    assert.match(b!.size_text ?? '', /^Thousands\b/);
    assert.equal(b!.arrests, 39);
    const [c] = events('Hundreds rallied in Tulsa on Sunday. There were five arrests.', { published: '2025-06-16' });
    assert.equal(c!.arrests, 5);
    assert.equal(c!.size_low, 200);
    const [d] = events('A dozen protesters were arrested Friday night at a rally in Mesa.', { published: '2025-06-16' });
    assert.equal(d!.arrests, 12);
    // a sentence whose only place is no site (a spot inside a park) is at the paragraph's town
    const [g] = events('PEORIA, Ill. — Protesters rallied downtown on Saturday. Hundreds of people took over a street during a march that started at Cedar Ridge in Riverside Park.', { published: '2025-04-06' });
    assert.deepEqual([g!.locality, g!.size_text], ['Peoria', 'Hundreds of people']);
    // a town's own venue, written with the possessive, is in that town ("Eugene’s Hult Center")
    const f = events('Residents gathered in Eugene, Ore., and Cottage Grove, Ore., on Tuesday. More than 100 people gathered on the lawn of Eugene’s Hult Center before marching downtown.', { published: '2026-01-21' });
    assert.equal(f.find((x) => x.locality === 'Eugene')?.size_text, 'More than 100 people');
    // the size of the article's one demonstration, in a sentence that also speaks of the nationwide movement
    const [e] = events('Thousands rallied in Eugene on Friday. The demonstration, which drew roughly 4,000 people, was part of a movement across the country.', { published: '2026-01-31' });
    assert.match(e!.size_text ?? '', /roughly 4,000 people/);
  });
  it('keeps every kind of people a crowd lists, and gives an unplaced sentence\'s size to the one event of a borough and its city', () => {
    const [a] = events('More than 300 teachers, parents and neighbors rallied in Boise on Tuesday.', { published: '2025-06-18' });
    assert.equal(a!.size_text, 'More than 300 teachers, parents and neighbors');
    const text = 'Brooklyn, NY – On Thursday, nurses began a strike at a clinic in Brooklyn.\n\nIn New York City, nurses and their supporters set up a picket line outside the clinic.\n\nBy evening, a crowd of about 90 nurses, parents and local officials rallied and sang.';
    const es = events(text, { published: '2025-11-15' });
    assert.deepEqual(es.map((e) => [e.locality, e.size_text]), [['New York', 'a crowd of about 90 nurses, parents and local officials']]);
  });
  it('puts a sentence that says "this city" in the town the article last reported', () => {
    const text = 'Protests were held Saturday in Tulsa, Reno and Boise.\n\nA rally in Eugene, Ore., drew a crowd on Saturday.\n\nAbout 900 marchers crowded the riverfront on Saturday in this college town known for its parks.';
    const es = events(text, { published: '2025-06-16' });
    assert.equal(es.find((e) => e.locality === 'Eugene')?.size_text, 'About 900 marchers');
    assert.equal(es.filter((e) => e.size_text).length, 1);
  });
  it('reads an expected crowd only for a plan, and no crowd of another year', () => {
    const [a] = events('Thousands are expected to march in Reno on Saturday.', { published: '2025-06-12' });
    assert.deepEqual([a!.status, a!.size_text], ['planned', 'Thousands are expected']);
    const [b] = events('Protesters rallied in Tulsa on Sunday. Organizers had expected about 40 people to turn out.', { published: '2025-06-16' });
    assert.equal(b!.size_text, null);
    const [c] = events('A decade after a strike drew 5,000 workers to the plant gates, union members held a rally in Reno on Saturday.', { published: '2025-06-16' });
    assert.equal(c!.size_text, null);
  });
  it('a citation is no arrest, and a count after words without one is the arrests', () => {
    const [a] = events('BOISE, Idaho — Students held a sit-in at the statehouse on Monday. Officers said the nine students who stayed past closing were only cited, though a flyer said they were arrested.', { published: '2025-06-17' });
    assert.equal(a!.arrests, 0);
    // a sentence that says both is read the same way
    const [b] = events('Protesters rallied in Akron on Monday; 14 were cited, not arrested.', { published: '2025-06-17' });
    assert.equal(b!.arrests, 0);
    // the arrests first come without a number; the number that follows is theirs, and not the crowd
    const [c] = events('Protesters rallied in Lima, Ohio, on Sunday. A police spokesman said the arrests were made near midnight. The arrests went calmly, and the 21 protesters walked to the vans.', { published: '2025-06-17' });
    assert.deepEqual([c!.arrests, c!.size_text], [21, null]);
    // a count first stays the count
    const [d] = events('Hundreds rallied in Tulsa on Sunday and 7 people were arrested. The arrests came after the 300 marchers blocked a road.', { published: '2025-06-17' });
    assert.equal(d!.arrests, 7);
  });
});

describe('7. pages that report no protest report no events', () => {
  it('reads nothing from a game report or a market story', () => {
    assert.deepEqual(events('The Tigers beat the Owls 3-1 on March 10 in Lubbock. Fans held a rally outside the arena after the game, and the coach filed a protest with the league over a late call.', { published: '2025-03-11' }), []);
    assert.deepEqual(events('Stocks rally in Zurich as investors cheer the rate cut; the index gained 400 points on Tuesday.', { published: '2025-03-12' }), []);
  });
  it('still reads a one-sentence protest report', () => {
    assert.equal(events('About 80 nurses picketed outside the hospital in Fresno on Monday.', { published: '2025-03-12' }).length, 1);
  });
});

describe('8. redaction keeps towns and outlets', () => {
  it('does not redact a dateline town or a town named in a landmark', () => {
    const es = events('WICHITA (AP) — About 150 people protested on Wichita Common on Saturday, Jane Roe said.', { published: '2025-06-16' });
    const quotes = es.flatMap((e) => e.evidence.map((v) => v.quote)).join(' ');
    assert.match(quotes, /WICHITA \(AP\)/);
    assert.match(quotes, /Wichita Common/);
    assert.doesNotMatch(quotes, /Jane Roe/);
  });
});

describe('9. the commonest local lede', () => {
  it('reads a locale line under the date stamp as the home town, and no protest in the court\'s part of a story', () => {
    const text = [
      ' date 2025-06-14 Fresno',
      'Climate activists face a judge over the highway blockade',
      'Eleven climate activists were arraigned Friday on charges from a highway blockade last month.',
      'Demonstrators gathered outside the courthouse during the arraignment, holding banners.',
      "At a hearing on Thursday, lawyers for 30 of the protesters asked the judge to drop the charges.",
    ].join('\n\n');
    assert.deepEqual(rows(events(text)), ['2025-06-13 Fresno,CA occurred']);
  });
  it('reads a counted crowd that gathered, in a page about a vigil with few protest words', () => {
    const text = [
      'About 150 people gathered outside the library in Boise on Tuesday to remember the victims of the crash.',
      'Many left candles and notes on the steps.',
      '"I am so sad," one woman said.',
      'The crash happened last week on a highway east of the city.',
      'Officials have not said what caused it.',
      'An inquiry is expected to take several months.',
      'People who attended the vigil said they knew the victims.',
      'The county plans a memorial later this year.',
    ].join('\n\n');
    assert.deepEqual(rows(events(text, { published: '2025-06-11' })), ['2025-06-10 Boise,ID occurred']);
    // a crowd gathering in a page about no protest is no event
    assert.deepEqual(events('More than 100 people gathered at the fairgrounds in Boise on Tuesday for the county fair. The fair runs all week.', { published: '2025-06-11' }), []);
  });
  it('reads the dateline town as the place of an unplaced lede', () => {
    assert.deepEqual(rows(events('KEENE, N.H. — About 400 people rallied on Central Square on Saturday to protest immigration raids.', { published: '2025-06-16' })), [
      '2025-06-14 Keene,NH occurred',
    ]);
  });
  it('reads a venue named after its town, and a venue abroad stays abroad', () => {
    assert.deepEqual(rows(events('Dozens of students rallied outside Oneonta City Hall in Oneonta, New York, on Friday.', { published: '2025-06-16' })), [
      '2025-06-13 Oneonta,NY occurred',
    ]);
    assert.deepEqual(rows(events('Hundreds of teachers protested outside the Ribeira Palace in Porto, Portugal, on Tuesday.', { published: '2025-06-18' })), [
      '2025-06-17 Porto,Portugal occurred',
    ]);
  });
  it('reads a landmark of one city as that city, and a landmark in a town of another year as context', () => {
    assert.deepEqual(rows(events('On Tuesday, police arrested 19 demonstrators at a sit-in in the Cannon House Office Building.', { published: '2025-06-18' })), [
      '2025-06-17 Washington,DC occurred',
    ]);
    assert.deepEqual(rows(events('Thousands of students marched to Piccadilly Circus on Saturday.', { published: '2025-06-18' })), [
      '2025-06-14 London,United Kingdom occurred',
    ]);
    const text = 'Protesters rallied in Reno on Friday, and police arrested 8 people. The arrests came shortly after a demonstration organized on the anniversary of a famous sit-in, which students staged in the Cannon House Office Building in Washington, D.C., in 1987.';
    assert.deepEqual(rows(events(text, { published: '2025-06-18' })), ['2025-06-13 Reno,NV occurred']);
  });
  it('a day in an aside about someone else does not date the rally', () => {
    const text = 'Thousands rallied in Leeds, England, on Saturday, marching to the town hall.\n\nPosters of a singer, who was honored on Thursday, also appeared at the rally. Police reported 6 arrests.';
    const es = events(text, { published: '2025-06-16' });
    assert.deepEqual(rows(es), ['2025-06-14 Leeds,United Kingdom occurred']);
    assert.equal(es[0]!.arrests, 6);
  });
  it('a count of millions in a sentence about something else is no crowd of one town', () => {
    const [e] = events('About 60 people rallied in Boise on Monday against the cuts. The program insures 71 million people.', { published: '2025-06-17' });
    assert.equal(e!.size_text, 'About 60 people');
  });
});

describe('undated reports', () => {
  it('count an undated page\'s weekdays from the day its photos\' camera file names carry', () => {
    const text = 'Hundreds of people rallied outside the state house in Boise on Tuesday against the new rules.\n\nIMG_20250610_171202 Marchers carry signs outside the state house.\n\nThe rules take effect next month.';
    const [e] = events(text, {});
    assert.deepEqual([e!.date, e!.date_precision, e!.size_text], ['2025-06-10', 'day', 'Hundreds of people']);
  });
  it('take the week of the article at week precision, flagged, and fold into a dated report of the place', () => {
    const [e] = events('Residents of Ames rallied against the plan.', { published: '2025-06-18' });
    assert.equal(e!.date, '2025-06-16');
    assert.equal(e!.date_precision, 'week');
    assert.ok(e!.flags.includes('day_unknown'), e!.flags.join(' '));
    const es = events('Hundreds rallied in Ames on Monday. The rally in Ames ended peacefully.', { published: '2025-06-18' });
    assert.deepEqual(rows(es), ['2025-06-16 Ames,IA occurred']);
  });
});

describe('undated articles: the year from the text and the URL', () => {
  it('takes the year in which a written weekday falls on its day', () => {
    // "Thursday, June 12" is a Thursday in 2025 (and in 2031, after the day the article was read)
    const es = events('Nurses picketed outside the hospital in Reno on June 13. On Thursday, June 12, its members voted on the contract.');
    assert.deepEqual(rows(es), ['2025-06-13 Reno,NV occurred']);
  });
  it('takes a year from the URL, glued to letters or not', () => {
    assert.deepEqual(rows(events('Hundreds rallied in Boise on October 4.', { url: 'https://example.org/news2024/rally.html' })), ['2024-10-04 Boise,ID occurred']);
  });
  it('pairs a day written without its weekday with a weekday the article gives', () => {
    // August 9 was a Saturday in 2025
    const es = events('Dozens rallied at an August 9 vigil in Eugene.\nSpeakers addressed the Saturday crowd for an hour.');
    assert.deepEqual(rows(es), ['2025-08-09 Eugene,OR occurred']);
  });
  it('dates its undated reports by the one day it writes out', () => {
    const text = 'Readers sent us their reports.\nA reader writes: I joined the rally in Peoria, Ill., where hundreds marched.\nAnother writes: We were at the protest in Provo over the October 11 weekend.';
    assert.deepEqual(rows(events(text, { url: 'https://example.org/2025/reader-reports' })), ['2025-10-11 Peoria,IL occurred', '2025-10-11 Provo,UT occurred']);
  });
  it('counts "a day after" from the last day the text named', () => {
    const text = 'A man was shot by a federal agent in Spokane on Jan. 12, 2026.\nJust one day after the shooting, about 40 people held a vigil in front of the courthouse in Spokane.';
    assert.deepEqual(rows(events(text)), ['2026-01-13 Spokane,WA occurred']);
  });
});

describe('what a protest sentence may be about besides a demonstration', () => {
  it('a road named after a town is not that town', () => {
    const es = events('On Friday, a protest is set for 5 p.m. at 1200 Salem Highway in Keene.', { published: '2026-01-28' });
    assert.deepEqual(rows(es), ['2026-01-30 Keene,NH planned']);
  });
  it('support for a protest elsewhere reports no demonstration', () => {
    const es = events('Several cafes in Ames and Boone said they would close on Friday in solidarity with the protest.', { published: '2026-01-28' });
    assert.deepEqual(rows(es), []);
  });
  it('a vague count of demonstrations is not one at the story\'s town', () => {
    const text = 'PEORIA, Ill. — Students walked out of Central High on Monday.\nThe district warned families after dozens of walkouts on Jan. 20.';
    assert.deepEqual(rows(events(text, { published: '2026-01-28' })), ['2026-01-26 Peoria,IL occurred']);
  });
  it('places a report that names no town at the one town of its headline', () => {
    const text = 'Students block Toledo streets in climate protest\nDemonstrators sat down on the roadway on Sunday and police cleared them after an hour.';
    assert.deepEqual(rows(events(text, { published: '2025-06-16' })), ['2025-06-15 Toledo,OH occurred']);
    // a headline capitalises every word: a word that is also a town is not one
    assert.deepEqual(rows(events('Protesters Welcome Ruling\nDemonstrators cheered on Sunday.', { published: '2025-06-16' })), []);
  });
  it('an earlier protest named beside this one keeps its place and its date to itself', () => {
    const text = 'On Sunday, about 3,000 people marched in Lyon, following earlier rallies in Porto in May.';
    assert.deepEqual(rows(events(text, { published: '2025-10-06' })), ['2025-10-05 Lyon,France occurred']);
  });
  it('reads the days of a leading "After ..." as past ones when a page stamp comes first', () => {
    const text = ' date 2025-06-01 After hours of protests in downtown Tulsa Saturday, a march is planned for Sunday afternoon.';
    assert.deepEqual(rows(events(text)), ['2025-05-31 Tulsa,OK occurred', '2025-06-01 Tulsa,OK planned']);
  });
  it('standing by someone, the tactics used somewhere and a place of another year are no demonstrations', () => {
    assert.deepEqual(rows(events('Parents in Reno said the team was rallying around him after the arrest on Monday.', { published: '2025-06-18' })), []);
    const text = 'Those protesting in Boise on Saturday said they were outraged by the tactics used by agents in Fresno.';
    assert.deepEqual(rows(events(text, { published: '2025-06-16' })), ['2025-06-14 Boise,ID occurred']);
    const anniversary = 'On Friday, hundreds marched in Tulsa on the anniversary of the speech delivered at the Capitol in Reno, Nevada, in 1963.\nThe marchers waved signs outside City Hall in Tulsa for two hours.';
    assert.deepEqual(rows(events(anniversary, { published: '2025-06-16' })), ['2025-06-13 Tulsa,OK occurred']);
  });
  it('keeps a plan apart from the action already held at the same place that day', () => {
    const text = 'Students walked out of classes across Akron on Friday morning. The walkouts in Akron precede a planned rally at the county courthouse Friday at 5 p.m.';
    assert.deepEqual(rows(events(text, { published: '2026-01-30' })), ['2026-01-30 Akron,OH occurred', '2026-01-30 Akron,OH planned']);
    // a plan with no hour, in a live report of the day, is the same day's action
    const live = 'Protesters gathered in Akron on Friday morning. Organizers say demonstrators will march to the square today.';
    assert.deepEqual(rows(events(live, { published: '2026-01-30' })), ['2026-01-30 Akron,OH occurred']);
    // a report of the day of publication with no day written: the plan given its hour is that day's too
    const undated = 'Protesters gathered again on Friday in Tulsa and Reno.\n\nIn Akron, hundreds of protesters set off from the square. Organizers said they plan to hold a second march at 7:30 p.m.';
    assert.deepEqual(rows(events(undated, { published: '2026-01-30' })).filter((r) => r.includes('Akron')), ['2026-01-30 Akron,OH occurred', '2026-01-30 Akron,OH planned']);
  });
  it('reads a later protest "expected to start at 2 p.m." in a live report as the day\'s plan at its one town, not a weekly one', () => {
    const text = 'Hundreds of students marched to the state Capitol in Salem, Ore., on Friday.\n\nUpdate, 3:05 p.m.\n\nOrganizers pointed marchers to the riverfront park, where more rallies were expected to begin at 4 p.m.\n\nThe group intends to hold a rally every Sunday from noon to 3.';
    assert.deepEqual(rows(events(text, { published: '2026-01-30' })), ['2026-01-30 Salem,OR occurred', '2026-01-30 Salem,OR planned']);
  });
  it('reads a report in the present progressive among the day\'s plans as one of them, and not among reports', () => {
    const preview = 'Rallies are scheduled to take place today, Saturday, in Tulsa, Reno and Boise.\n\nIn Keene, New Hampshire, neighbors are holding a sign-waving protest by the common Saturday.';
    assert.deepEqual(rows(events(preview, { published: '2025-10-18' })).filter((r) => r.includes('Keene')), ['2025-10-18 Keene,NH planned']);
    const report = 'Hundreds rallied in Tulsa, Reno and Boise on Saturday.\n\nIn Keene, New Hampshire, neighbors are holding a sign-waving protest by the common Saturday.';
    assert.deepEqual(rows(events(report, { published: '2025-10-18' })).filter((r) => r.includes('Keene')), ['2025-10-18 Keene,NH occurred']);
  });
  it('reads "events are planned in ..." in a protest story as planned demonstrations', () => {
    const text = 'PEORIA, Ill. — Hundreds of protesters rallied downtown on Saturday. Marchers chanted outside City Hall. Events are planned in cities across the country including Tulsa, Reno and Boise.';
    assert.deepEqual(rows(events(text, { published: '2025-08-20' })), [
      '2025-08-16 Peoria,IL occurred',
      '2025-08-18/week Boise,ID planned',
      '2025-08-18/week Reno,NV planned',
      '2025-08-18/week Tulsa,OK planned',
    ]);
  });
  it('reads "looking to protest" as a plan, and a group in a city\'s suburbs as not in the city', () => {
    assert.deepEqual(rows(events('Activists in Reno are looking to protest outside the senator\'s town hall on Sunday night.', { published: '2025-04-24' })), ['2025-04-27 Reno,NV planned']);
    assert.deepEqual(rows(events('A group in the Tulsa suburbs is looking to protest a town hall on Sunday night.', { published: '2025-04-24' })), []);
  });
  it('a feared or compared protest is not one', () => {
    const text = 'Crowds rallied in Boise on Saturday. It was a quiet day in Reno, Nevada. The Capitol was boarded up amid fears of a gathering similar to the rally that preceded the riot on Jan. 6.';
    assert.deepEqual(rows(events(text, { published: '2021-01-17' })), ['2021-01-16 Boise,ID occurred']);
  });
  it('reads a day of no work and no school as a strike', () => {
    const es = events('Organizers urged people to join a nationwide day of no work, no school and no shopping on Friday, Feb. 6.', { published: '2026-02-01' });
    assert.deepEqual(rows(es), ['2026-02-06 -,US planned']);
  });
});
