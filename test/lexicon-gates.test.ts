// The gates of the lexicon's patterns (src/extract/lexicon.ts): a gate lets the extractor skip a pattern for a
// text that holds none of its strings, so every match of a pattern must hold one of them, or a protest word
// would be missed. Checked on phrases of every alternative and on the sample articles.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ABROAD, AGGREGATE, FUTURE_CUES, GateScanner, NATIONWIDE, passesGate, TRIGGERS, WEAK_TRIGGERS, type Gated } from '../src/extract/lexicon.js';
import { GATED_FOR_TESTS } from '../src/extract/units.js';
import { REPO_ROOT } from './helpers/shared.js';

const PATTERNS: Array<[string, Gated]> = [
  ...TRIGGERS.map((t, i): [string, Gated] => [`TRIGGERS[${i}]`, t]),
  ...WEAK_TRIGGERS.map((t, i): [string, Gated] => [`WEAK_TRIGGERS[${i}]`, t]),
  ['FUTURE_CUES', FUTURE_CUES],
  ['NATIONWIDE', NATIONWIDE],
  ['ABROAD', ABROAD],
  ['AGGREGATE', AGGREGATE],
  ...Object.entries(GATED_FOR_TESTS),
];

/** Phrases written for the alternatives of the patterns, in mixed case. */
const PHRASES = [
  'Protesters PROTESTED; a protestor, protests, protesting. Demonstrations, a DEMONSTRATOR, demonstrated, demonstrating, demonstrate.',
  'They marched, marches, marching, marchers. Marched Marches Marching Marchers. They rallied, a Rally, rallies, rallying.',
  'A walkout, walkouts, walked out, walking out, walk out. A General Strike, strikes, striking STRIKERS.',
  'No work, no school; no school no work; a Day of No Shopping, day of no work; a Day Without Immigrants.',
  'Boycotts boycotted boycotting, vigils, a Sit-In, sit-ins, die-ins, a blockade, blockaded, encampments, pickets, picketed, picketing, picketers.',
  'They took to the streets; they will Take To The Streets. Days of action, day(s) of action, a mobilisation, mobilizations, an uprising, the Shutdown.',
  'Activists, demonstrators, protesters. Protesta, protestas, protestar, protestaron, protestando, protestó, protestantes.',
  'Marcha, marchas, marcharon, marchar, marchó. Manifestación, manifestaciones, manifestantes, manifestaron, concentraron, concentración, mitin.',
  'Vigilias, una vigilia, huelgas, huelga, paro nacional.',
  'They gathered, gathering, gatherings, gathers. Events are planned, actions were also scheduled, an event is set; planned events, scheduled actions.',
  'Crowds, a crowd. They took part, take part, taking part; turned out, the turnout, showed up, assembled, chanted, chanting, chants.',
  'Shops closed In Solidarity With the strikers, in support of Friday\'s protests, and in support for the march.',
  'Similar to the rally, reminiscent of protests, fears of a gathering, a fear of unrest, threats of riots, the prospect of marches, the possibility of demonstrations, the risk of protests.',
  'They had protested, had also marched, had already rallied, had demonstrated, had gathered, had picketed, had walked out.',
  'There was no sign of protests, no signs of demonstrators, there were no rallies, there was no march, we did not see any protesters, and saw no marches.',
  'Since October, rallies have been held; ever since the start, marches have been staged, have taken place, has drawn, has seen, have marched. Since last year, protests has rallied.',
  'A "National Shutdown" protest, the \u201cNo Kings\u201d rally, a \u2018Free Speech\u2019 march, the "Day Of Truth" day of action, the "Hands Off" campaign.',
  'They will march; organizers anticipate crowds, a rally planned for Friday is planned, is being planned, is set to begin, planning, plans to, are hoping to, is aiming to, intends to.',
  'A march scheduled for Monday, set for noon, set to start, to be held, the upcoming rally, next week, next Saturday, are expected to, is expected to, is being organized.',
  'A strike announced for May, called for a walkout on Monday, planned protests, planned rallies, planned marches, planned vigils.',
  'Organizers are calling for a march; organisers in many cities are calling on residents to rally.',
  'A public display of support, a show of solidarity, shows of defiance.',
  'Nationwide, nation-wide, across the country, throughout the nation, across the US, across the USA, across the U.S., across the U.S.A., across the United States.',
  'Around the country, a cross-country tour, a national day of action, national days of action, a national shutdown, a national general strike, nationally.',
  'Around the world, abroad, overseas, worldwide, internationally, in other countries.',
  'Dozens of protests, hundreds of rallies, thousands of student walkouts, scores of demonstrations, a wave of marches, a series of vigils, several strikes, numerous sit-ins, countless actions, multiple events.',
];

/** Whether the lower-cased text holds one of the gate's strings, by plain search. */
function holdsGate(g: Gated, lower: string): boolean {
  return g.gate.some((w) => lower.includes(w));
}

function texts(): string[] {
  const dir = join(REPO_ROOT, 'samples');
  return [...PHRASES, ...readdirSync(dir).filter((f) => /\.(txt|md|html)$/.test(f)).map((f) => readFileSync(join(dir, f), 'utf8'))];
}

describe('lexicon gates', () => {
  it('every match of a gated pattern holds one of its gate strings', () => {
    const all = texts();
    for (const [name, g] of PATTERNS) {
      assert.ok(g.gate.length > 0 && g.gate.every((w) => w === w.toLowerCase()), `${name}: gate strings are lower case`);
      const re = new RegExp(g.re.source, g.re.flags.includes('g') ? g.re.flags : `${g.re.flags}g`);
      let matches = 0;
      for (const t of all) {
        for (const m of t.matchAll(re)) {
          matches++;
          assert.ok(holdsGate(g, m[0].toLowerCase()), `${name}: match "${m[0]}" holds none of ${JSON.stringify(g.gate)}`);
        }
        if (re.test(t)) assert.ok(holdsGate(g, t.toLowerCase()), name);
        re.lastIndex = 0;
      }
      assert.ok(matches > 0, `${name}: the phrases hold a match`);
    }
  });

  it('one scan finds every gate string a text holds, overlapping ones included', () => {
    const scanner = new GateScanner(PATTERNS.map(([, g]) => g));
    const words = [...new Set(PATTERNS.flatMap(([, g]) => g.gate))];
    const lowers = [...texts(), 'demonstrators rallying; a walkout; the u.s.; protestantes', 'nationwide; a nation-wide strike; x'].flatMap((t) => t.toLowerCase().split(/(?<=[.!?\n])/));
    for (const lower of lowers) {
      const hits = scanner.scan(lower);
      for (const w of words) assert.equal(hits.present.has(w), lower.includes(w), `${JSON.stringify(w)} in ${JSON.stringify(lower.slice(0, 80))}`);
      for (const [name, g] of PATTERNS) assert.equal(passesGate(g, hits), holdsGate(g, lower), name);
    }
    // a gate string the scanner does not know counts as held
    assert.ok(passesGate({ re: /x/, gate: ['zzz'] }, scanner.scan('nothing here')));
  });
});
