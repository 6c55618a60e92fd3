// The shared page classifier (src/core/relevance.ts): does a page report a protest at all? Every sentence
// here is MADE UP for these tests, in the shape of news; any resemblance to a real story is chance.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { protestReport, protestWords, REPORT_SCORE, sentencesOf } from '../src/core/relevance.js';

const yes = (text: string, title?: string | null, published?: string) => {
  const r = protestReport(text, title, { published });
  assert.equal(r.relevant, true, `should be a protest report: ${text.slice(0, 80)}… — ${r.reason}`);
  assert.ok(r.score >= REPORT_SCORE, r.reason);
  return r;
};
const no = (text: string, title?: string | null, published?: string) => {
  const r = protestReport(text, title, { published });
  assert.equal(r.relevant, false, `should not be a protest report: ${text.slice(0, 80)}… — ${r.reason}`);
  assert.match(r.reason, /^not a protest report: /);
  return r;
};

describe('protestReport: protest reports', () => {
  test('one protest predicate is enough', () => {
    for (const text of [
      'About 200 nurses rallied outside Mercy General on Tuesday to demand safer staffing.',
      'Several hundred students marched from the campus to the statehouse on Friday afternoon.',
      'Protesters gathered in the square before noon and stayed until dark.',
      'Members of the carpenters union picketed the construction site for a third day.',
      'Dozens of teachers walked out of class at 10 a.m. in a dispute over pay.',
      'Residents held a candlelight vigil at the corner where the cyclist was killed.',
      'Tenants staged a sit-in at the lobby of the management company.',
      'Warehouse workers went on strike at midnight after talks broke down.',
      'Hundreds took to the streets of the river town on Sunday.',
      'Neighbors gathered outside the school board office to protest the closure plan.',
      'A rally against the pipeline is planned for Saturday at the county fairgrounds.',
      'The march drew an estimated 3,000 people to the waterfront.',
    ]) {
      const r = yes(text);
      assert.match(r.reason, /^a protest report \(score \d/);
    }
  });

  test('several protest nouns in more than one sentence are enough; one or two are not', () => {
    yes('Organizers of the protest expect a large turnout. Police said the demonstration would be allowed. A counter-protest is also possible.');
    const r = no('The mayor said the protest was unnecessary.');
    assert.match(r.reason, /too few protest words \(score 1 in 1 sentence\): protest/);
    // three nouns in one sentence are not several places
    no('The book is about protest, rallies and demonstrations in general.');
  });

  test('a headline counts as a sentence; a page announcing a planned action is a report too', () => {
    yes('Organizers expect buses from four counties.', 'Rally at the capitol set for Saturday');
    yes('Organizers say the walkout will start at 11 a.m. Students plan to leave their classes and meet at the flagpole.', 'Students plan walkout over cuts');
  });

  test('Spanish, as US outlets print it', () => {
    yes('Cientos de personas marcharon el sábado por el centro de la ciudad para exigir el fin de las redadas.');
    yes('Los manifestantes salieron a las calles con carteles y banderas.');
  });

  test('false friends next to real protest words do not spoil a report', () => {
    yes('Early in March, a group of nurses rallied outside the hospital. The strike vote is set for March 28.');
    yes('Shares rallied on Wall Street on Monday, while a few blocks away hundreds of protesters marched past the exchange.');
  });

  test('a protest at a court case is news, even in a court story', () => {
    yes('A former deputy was sentenced on Monday to six years in prison. About 40 supporters of the victim rallied outside the courthouse before the hearing.');
  });
});

describe('protestReport: not protest reports', () => {
  test('no protest words at all', () => {
    const r = no('The council voted 7-2 on Tuesday to spend $4 million on road repairs next year.', 'Council approves road budget');
    assert.match(r.reason, /no protest words$/);
  });

  test('sport: a rally in a game, strikes at the lanes and the plate, March Madness', () => {
    let r = no('The Hawks rallied from a 12-point deficit in the fourth quarter to beat the visitors 101-97.');
    assert.match(r.reason, /markets or sport|sport/);
    r = no('She rolled nine straight strikes in the final game and finished with a 279, the best score of the season.');
    assert.match(r.reason, /\(sport\)/);
    r = no('The pitcher threw a called strike on the first pitch and struck out the side in the ninth inning.');
    assert.match(r.reason, /war or sport|sport/);
    r = no('March Madness begins Thursday with 68 teams chasing the title.', 'Your March Madness bracket, explained');
    assert.match(r.reason, /the month/);
  });

  test('sport: a protest lodged by a club with its federation is a complaint, not a demonstration', () => {
    const text = [
      'The visiting club lodged a formal protest with the national federation after the referee allowed a goal from a quickly taken free kick.',
      'The disciplinary committee met on Friday and said the protest was dismissed because the referee had signalled the restart.',
      'The club said it would accept the decision and focus on its next league match.',
    ].join(' ');
    const r = no(text, 'Federation rejects club protest over free-kick goal');
    assert.match(r.reason, /complaint|sport/);
    // the same word in a diplomatic complaint
    no('The foreign ministry summoned the ambassador and lodged a strong protest over the detention of two fishermen.');
  });

  test('markets: stocks rally', () => {
    const r = no(
      'Stocks rallied on Wednesday as investors cheered a cooler inflation report. The Dow closed up 420 points, or 1.1 percent, and the Nasdaq gained 2 percent in its best day since early March.',
      'Wall Street rallies on inflation relief',
    );
    assert.match(r.reason, /markets/);
    assert.match(r.reason, /the month/);
  });

  test('a demonstration of a product', () => {
    const r = no(
      'The startup gave a live demonstration of its delivery robot to reporters at the conference. Engineers demonstrated how the device climbs stairs, and a second demonstration showed the app.',
      'Robot maker shows off stair-climbing prototype',
    );
    assert.match(r.reason, /a showing|to show/);
  });

  test('court sentencing stories whose protest mentions are only background', () => {
    const text = [
      'A Lakeview man was sentenced Thursday to four years in federal prison for setting fire to a patrol car during the 2020 protests downtown.',
      'He pleaded guilty in March to a charge of arson. Prosecutors said crowds had gathered in protest that night and some people threw bottles at officers.',
      'Two other men were convicted last year for damage to stores during the same demonstrations.',
    ].join(' ');
    const r = no(text, 'Man sentenced for burning patrol car', '2023-02-10');
    assert.match(r.reason, /background/);
    assert.match(r.reason, /court story/);
    // and in a story that is not a court story, a protest of an earlier year is still background
    no('The park was renamed in 2024. In 2019, marchers passed through it on their way to the capitol.', null, '2025-06-01');
  });

  test('"March" the month', () => {
    const r = no('Hiring slowed in March, and the unemployment rate rose to 4.2 percent. Revised figures for February and March showed fewer jobs than first reported.', 'Employers add fewer jobs in March');
    assert.match(r.reason, /the month/);
  });

  test('war: strikes and marching troops', () => {
    const r = no('The military said its air strikes hit weapons depots overnight, and troops marched into the border town at dawn after the artillery fell silent.');
    assert.match(r.reason, /war/);
  });

  test('a parade is not a protest, though its marchers march', () => {
    const r = no(
      'Thousands lined the avenue on Sunday for the annual harvest parade. Marchers from the high school band led the way, and a dozen floats followed. The grand marshal, a retired teacher, waved from a convertible.',
      'Harvest parade returns downtown',
    );
    assert.match(r.reason, /a parade/);
  });

  test('rallying support and campaign rallies', () => {
    no('Party leaders rallied behind the bill on Tuesday and said it would pass the Senate next week.');
    no('The senator will hold a campaign rally in the county seat, her third campaign rally this month.');
  });
});

describe('protestWords: the cheap filter for feed items', () => {
  test('words in reading order, false friends passed over with their reasons', () => {
    assert.deepEqual(protestWords(['Crowds rallied and then marched downtown']), { words: ['rally', 'march'], ignored: [] });
    const r = protestWords(['Stocks rally as oil slips', 'Club files protest with the league over a late goal']);
    assert.deepEqual(r.words, []);
    assert.equal(r.ignored.length, 2, r.ignored.join('; '));
  });
});

describe('sentencesOf', () => {
  test('splits at sentence ends and lines, not after abbreviations', () => {
    assert.deepEqual(sentencesOf('Gov. Lee spoke on Feb. 14 in St. Paul. Then it rained!\nA new line'), ['Gov. Lee spoke on Feb. 14 in St. Paul.', 'Then it rained!', 'A new line']);
  });

  test('long and hostile input stays fast', () => {
    const t0 = performance.now();
    protestReport('protesters '.repeat(2000) + 'a, '.repeat(20_000) + ' hundreds'.repeat(20_000));
    assert.ok(performance.now() - t0 < 2_000);
  });
});
