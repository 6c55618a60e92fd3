// Is a feed item about a protest? A cheap filter before extraction: an item is relevant when its title,
// summary or content names a protest event (the tactic words of the extractor's lexicon: protest, rally,
// march, demonstration, walkout, strike, vigil, sit-in, picket...). Best effort against the common false
// friends, each documented below:
// - "March" the month: a capitalised bare "March" next to a day, a year or a calendar preposition
//   ("March 28", "in March", "early March", "March Madness") does not count; "march", "marched",
//   "marchers" and a headline's "March" elsewhere ("Thousands March in Portland") do;
// - "strike" in war and sport: "air strike", "drone strike", "missile strike", "strike zone",
//   "strikeout", "three strikes", "strike a deal/balance", "struck down" do not count;
//   "hunger strike", "general strike", "workers strike" do;
// - "rally" in markets and sport: "stocks rally", "market rally", "comeback rally", "rally car" do not;
// - "demonstration of/by" a product or a skill ("cooking demonstration") does not; "picket fence" does not.
// An item whose only protest words are such false friends is not relevant, and the reason says so.
import { TRIGGERS } from '../extract/lexicon.js';

interface Word {
  label: string;
  re: RegExp;
  /** true when the match at m.index in s is a false friend */
  ignore?: (s: string, start: number, end: number) => string | null;
}

const before = (s: string, start: number, n = 40) => s.slice(Math.max(0, start - n), start);
const after = (s: string, end: number, n = 40) => s.slice(end, end + n);

const MONTH_CONTEXT_BEFORE = /\b(?:in|on|by|since|until|till|through|thru|from|to|early|mid|late|last|next|this|of|every|each|during|before|after|between|and|or)[\s-]+$/i;
const MONTH_CONTEXT_AFTER = /^(?:\s+\d{1,2}(?:st|nd|rd|th)?\b|,?\s+\d{4}\b|\s+(?:madness|equinox|issue|edition|quarter|deadline)\b|\s*[-–]\s*\d)/i;

const STRIKE_BEFORE =
  /\b(?:air|drone|missile|rocket|military|nuclear|pre-?emptive|first|retaliatory|artillery|precision|lightning|surgical|counter|naval|israeli|russian|u\.s\.|us|american|ukrainian|iranian|bowling|called|swinging|three|two|one|no)[\s-]+$/i;
const STRIKE_AFTER = /^(?:\s*(?:zone|outs?|force|price|team|package|fighters?|aircraft|group|rate|plate)\b|\s+(?:a|the)\s+(?:deal|balance|chord|pose|note|bargain|match|blow|nerve)\b|\s+(?:down|back)\b|\s+against\s+(?:targets?|militants?|bases?))/i;

const RALLY_BEFORE =
  /\b(?:stocks?|markets?|shares|equit(?:y|ies)|bonds?|dollar|yen|euro|oil|gold|crypto|bitcoin|relief|bear[- ]market|bull|comeback|late|late-game|fourth-quarter|ninth-inning|second-half|dow|nasdaq|s&p|treasur(?:y|ies)|wall street|prices?)[\s-]+$/i;
const RALLY_AFTER = /^(?:\s*(?:cars?|drivers?|racing|race|championship|stage|team)\b|\s+(?:in|on)\s+(?:stocks|shares|markets|bonds|treasuries|oil|prices)\b|\s+(?:to|from)\s+(?:win|a\s+(?:win|victory|draw|tie))\b)/i;

const WORDS: Word[] = [
  ...TRIGGERS.filter(([, tactic]) => tactic && tactic !== 'march' && tactic !== 'strike' && tactic !== 'rally' && tactic !== 'demonstration' && tactic !== 'picket').map(
    ([re, tactic]) => ({ label: tactic!, re: new RegExp(re.source, re.flags.includes('i') ? 'gi' : 'g') }),
  ),
  { label: 'took to the streets', re: /\b(?:took|take|taking|takes) to the streets\b/gi },
  { label: 'day of action', re: /\bdays? of action\b/gi },
  {
    label: 'march',
    re: /\bmarch(?:es|ed|ing|ers?)?\b/gi,
    ignore: (s, start, end) => {
      const w = s.slice(start, end);
      if (w.toLowerCase() !== 'march' || w === 'march') return null; // "marched", "marchers", lower-case "march"
      if (w === 'MARCH' && /^\s+\d/.test(after(s, end))) return 'MARCH (the month)';
      if (MONTH_CONTEXT_AFTER.test(after(s, end)) || MONTH_CONTEXT_BEFORE.test(before(s, start))) return `"${(w + after(s, end, 4)).trim()}" (the month)`;
      return null;
    },
  },
  {
    label: 'strike',
    re: /\b(?:strik(?:es?|ing|ers?))\b/gi,
    ignore: (s, start, end) => {
      if (/\bhunger[\s-]+$|\bgeneral[\s-]+$|\b(?:rent|labor|labour|teachers?|workers?|nurses?|union|climate|student|school|wildcat|sympathy|warning)[\s-]+$/i.test(before(s, start))) return null;
      if (STRIKE_BEFORE.test(before(s, start)) || STRIKE_AFTER.test(after(s, end))) return `"${phrase(s, start, end)}" (war or sport)`;
      return null;
    },
  },
  {
    label: 'rally',
    re: /\brall(?:y|ies|ied|ying)\b/gi,
    ignore: (s, start, end) =>
      RALLY_BEFORE.test(before(s, start)) || RALLY_AFTER.test(after(s, end)) ? `"${s.slice(start, end)}" (markets or sport)` : null,
  },
  {
    label: 'demonstration',
    re: /\bdemonstrat(?:ion|ions|ors?|ed|ing|e)\b/gi,
    ignore: (s, start, end) => {
      const w = s.slice(start, end).toLowerCase();
      if (/^demonstrat(?:ion|ions)$/.test(w) && (/^\s+(?:of|that|how)\b/i.test(after(s, end)) || /\b(?:product|cooking|software|tech|live|flight|safety|practical)[\s-]+$/i.test(before(s, start)))) {
        return `"${phrase(s, start, end)}" (a showing, not a protest)`;
      }
      if (/^demonstrat(?:e|ed|ing)$/.test(w) && !/^\s+(?:against|for|outside|in front of|at)\b/i.test(after(s, end))) return `"${s.slice(start, end)}" (verb: to show)`;
      return null;
    },
  },
  {
    label: 'picket',
    re: /\bpicket(?:s|ed|ing|ers)?\b/gi,
    ignore: (s, start, end) => (/^\s*fences?\b/i.test(after(s, end)) ? '"picket fence"' : null),
  },
];

export function protestRelevance(item: { title: string | null; summary: string | null; content?: string | null }): { relevant: boolean; reason: string } {
  const content = item.content ? stripTags(item.content) : null;
  const texts = [item.title, item.summary, content].filter((t): t is string => !!t);
  // each word's first counted use, as (text number, offset): the reason lists words in reading order
  const found = new Map<string, number>();
  const ignored: string[] = [];
  for (const w of WORDS) {
    texts.forEach((s, t) => {
      if (found.has(w.label)) return;
      w.re.lastIndex = 0;
      for (let m = w.re.exec(s); m; m = w.re.exec(s)) {
        const why = w.ignore?.(s, m.index, m.index + m[0].length) ?? null;
        if (why === null) {
          found.set(w.label, t * 1e9 + m.index);
          return;
        }
        if (!ignored.includes(why) && ignored.length < 5) ignored.push(why);
      }
    });
  }
  if (found.size) {
    const words = [...found].sort((a, b) => a[1] - b[1]).map(([label]) => label);
    return { relevant: true, reason: `mentions: ${words.join(', ')}` };
  }
  const where = item.content ? 'title, summary or content' : 'title or summary';
  const extra = ignored.length ? ` (ignored: ${ignored.join(', ')})` : '';
  return { relevant: false, reason: `no protest words in ${where}${extra}` };
}

/** the matched word with one word of context on each side, for a reason */
function phrase(s: string, start: number, end: number): string {
  const prev = /(\S+)\s*$/.exec(before(s, start, 20))?.[1] ?? '';
  const next = /^\s*(\S+)/.exec(after(s, end, 20))?.[1] ?? '';
  return `${prev} ${s.slice(start, end)} ${next}`.trim();
}

function stripTags(html: string): string {
  return html.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' ');
}
