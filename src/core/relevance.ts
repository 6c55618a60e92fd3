// Does a text report a protest? One classifier, shared by the feed reader (a cheap filter on feed items)
// and by the page reader (is this page a protest report at all?). Pure: text in, a verdict and its reason
// out. General English rules, nothing from one article.
//
// Protest words come in two strengths:
// - predicates that say people protested: "rallied", "marched", "picketed", "protesters gathered",
//   "took to the streets", "walked out of class", "held a vigil", "staged a sit-in", "went on strike",
//   "the rally drew hundreds", "a march is planned";
// - nouns that name a protest: protest, rally, march, demonstration, walkout, strike, vigil, sit-in, picket
//   (and, counting half, boycott, blockade, encampment, day of action).
// Each use is checked against its false friends, first by the words around it, then by the sentence it
// stands in:
// - "March" the month: a capitalised bare "March" next to a day, a year or a calendar preposition
//   ("March 28", "in March", "early March", "March Madness") does not count; "march", "marched",
//   "marchers" and a headline's "March" elsewhere ("Thousands March in Spokane") do;
// - "strike" in war and sport: "air strike", "drone strike", "missile strike", "strike zone",
//   "strikeout", "three strikes", "strike a deal/balance", "struck down" do not count, nor a strike in a
//   sentence about combat or a game; "hunger strike", "general strike", "workers strike" do;
// - "rally" in markets and sport: "stocks rally", "market rally", "comeback rally", "rally car", a rally in
//   a sentence about stocks or a game, "rallied behind/around/from" do not;
// - "protest" as a complaint: "lodged/filed a (formal) protest", "the protest was dismissed", "under
//   protest", "protested his innocence", a protest in a sentence about a game (a club's protest to its
//   federation is a complaint, not a demonstration);
// - "demonstration of/by" a product or a skill ("cooking demonstration"), a demonstration in a sentence
//   about products or software, the verb "to demonstrate" (to show); "picket fence";
// - marchers in a parade (a sentence about a parade, or a page about one);
// - background: a protest spoken of with an earlier year than the page's latest ("during the 2020
//   protests"), in the past perfect ("had marched"), "last year" or "years ago", and, in a court story
//   (sentenced, convicted, pleaded guilty...), every mere mention of a protest and any predicate in a
//   sentence about the case.
//
// protestWords() is the cheap filter: which protest words a short text uses as protest words.
// protestReport() judges a whole page: it is a protest report when its protest words, used as protest
// words and not as background, score at least REPORT_SCORE: one predicate, or several nouns in more than
// one sentence.

/**
 * The flag of a mention read from a page the relevance check did not judge a protest report (a short page with some
 * protest words): its events wait for a human (see src/review/doubt.ts).
 */
export const RELEVANCE_UNSURE = 'relevance_unsure';

export interface ProtestReport {
  /** the page reports (or announces) a protest */
  relevant: boolean;
  /** why, in a line: the predicates and nouns counted, or what was ignored and why */
  reason: string;
  /** predicates count PREDICATE_WEIGHT each, nouns 1 (some 0.5); relevant from REPORT_SCORE on */
  score: number;
}

export const REPORT_SCORE = 3;
const PREDICATE_WEIGHT = 3;

type Context = 'sport' | 'markets' | 'war' | 'parade' | 'products';

interface Word {
  label: string;
  re: RegExp;
  /** words one of which every match contains, lower case (a cheap test before the pattern, as for predicates) */
  needs: string[];
  /** what a page counts for one use */
  weight: number;
  /** sentence contexts in which the word is a false friend */
  exposed?: Context[];
  /** the reason when the match at [start, end) of s is a false friend by its neighbouring words */
  ignore?: (s: string, start: number, end: number) => string | null;
}

const before = (s: string, start: number, n = 40) => s.slice(Math.max(0, start - n), start);
const after = (s: string, end: number, n = 40) => s.slice(end, end + n);

const MONTH_CONTEXT_BEFORE = /\b(?:in|on|by|since|until|till|through|thru|from|to|early|mid|late|last|next|this|of|every|each|during|before|after|between|and|or)[\s-]+$/i;
const MONTH_CONTEXT_AFTER = /^(?:\s+\d{1,2}(?:st|nd|rd|th)?\b|,?\s+\d{4}\b|\s+(?:madness|equinox|issue|edition|quarter|deadline)\b|\s*[-–]\s*\d)/i;

/** soldiers march too: "troops marched into the town" */
const SOLDIERS_BEFORE = /\b(?:troops|soldiers|army|armies|battalions?|regiments?|platoons?|cadets|legions?|columns? of (?:tanks|soldiers|troops))\s+(?:[\w-]+\s+){0,2}$/i;

const STRIKE_BEFORE =
  /\b(?:air|drone|missile|rocket|military|nuclear|pre-?emptive|first|retaliatory|artillery|precision|lightning|surgical|counter|naval|israeli|russian|u\.s\.|us|american|ukrainian|iranian|bowling|called|swinging|three|two|one|no)[\s-]+$/i;
const STRIKE_AFTER = /^(?:\s*(?:zone|outs?|force|price|team|package|fighters?|aircraft|group|rate|plate)\b|\s+(?:a|the)\s+(?:deal|balance|chord|pose|note|bargain|match|blow|nerve)\b|\s+(?:down|back)\b|\s+against\s+(?:targets?|militants?|bases?))/i;
const LABOUR_STRIKE_BEFORE = /\b(?:hunger|general|rent|labor|labour|teachers?|workers?|nurses?|union|climate|student|school|wildcat|sympathy|warning)[\s-]+$/i;

const RALLY_BEFORE =
  /\b(?:stocks?|markets?|shares|equit(?:y|ies)|bonds?|dollar|yen|euro|oil|gold|crypto|bitcoin|relief|bear[- ]market|bull|comeback|late|late-game|fourth-quarter|ninth-inning|second-half|dow|nasdaq|s&p|treasur(?:y|ies)|wall street|prices?)[\s-]+$/i;
const RALLY_AFTER =
  /^(?:\s*(?:cars?|drivers?|racing|race|championship|stage|team)\b|\s+(?:in|on)\s+(?:stocks|shares|markets|bonds|treasuries|oil|prices)\b|\s+(?:to|from)\s+(?:win|a\s+(?:win|victory|draw|tie))\b|\s+from\b)/i;
/** rallying support, or a candidate's campaign rally: not a protest */
const RALLY_SUPPORT = /^\s+(?:behind|around|support|votes?|voters)\b/i;

/** "protest" as a formal complaint: lodged with a federation, an embassy, a referee */
const COMPLAINT_BEFORE =
  /\b(?:lodg(?:e|ed|es|ing)|fil(?:e|ed|es|ing)|submit(?:s|ted|ting)?|register(?:s|ed|ing)?|launch(?:ed|es|ing)?|issu(?:e|ed|es|ing)|rais(?:e|ed|es|ing)|sen[dt]|sending|deliver(?:ed|s)?|mak(?:e|es|ing)|made|letter of|note of|diplomatic|formal|official|under)(?:\s+(?:a|an|its|their|his|her|the|formal|official|strong|strongly[- ]worded|written|diplomatic|second))*\s+$/i;
const COMPLAINT_AFTER = /^(?:\s+(?:was|were|has been|had been|is)\s+(?:upheld|rejected|dismissed|denied|overruled|accepted|lodged|filed|turned down|thrown out)\b|\s+(?:his|her|their|its)\s+innocence\b|\s+(?:with|to)\s+(?:the\s+)?(?:league|federation|association|committee|referee|umpire|embassy|ministry|ambassador|organi[sz]ers|officials|board|fifa|uefa|ioc)\b)/i;

const WORDS: Word[] = [
  {
    label: 'protest',
    needs: ['protest'],
    re: /\bprotest(?:s|ed|ing|ers?|ors?)?\b/gi,
    weight: 1,
    exposed: ['sport'],
    ignore: (s, start, end) => {
      if (/^protest(?:er|or)s?$/i.test(s.slice(start, end))) return null;
      return COMPLAINT_BEFORE.test(before(s, start, 60)) || COMPLAINT_AFTER.test(after(s, end, 60)) ? `"${phrase(s, start, end)}" (a complaint)` : null;
    },
  },
  {
    label: 'demonstration',
    needs: ['demonstrat'],
    re: /\bdemonstrat(?:ion|ions|ors?|ed|ing|e)\b/gi,
    weight: 1,
    exposed: ['products'],
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
    label: 'march',
    needs: ['march'],
    re: /\bmarch(?:es|ed|ing|ers?)?\b/gi,
    weight: 1,
    exposed: ['parade', 'war'],
    ignore: (s, start, end) => {
      const w = s.slice(start, end);
      if (SOLDIERS_BEFORE.test(before(s, start))) return `"${phrase(s, start, end)}" (soldiers)`;
      if (w.toLowerCase() !== 'march' || w === 'march') return null; // "marched", "marchers", lower-case "march"
      if (w === 'MARCH' && /^\s+\d/.test(after(s, end))) return 'MARCH (the month)';
      if (MONTH_CONTEXT_AFTER.test(after(s, end)) || MONTH_CONTEXT_BEFORE.test(before(s, start))) return `"${(w + after(s, end, 4)).trim()}" (the month)`;
      return null;
    },
  },
  {
    label: 'rally',
    needs: ['rall'],
    re: /\brall(?:y|ies|ied|ying)\b/gi,
    weight: 1,
    exposed: ['markets', 'sport'],
    ignore: (s, start, end) => {
      if (RALLY_BEFORE.test(before(s, start)) || RALLY_AFTER.test(after(s, end))) return `"${phrase(s, start, end)}" (markets or sport)`;
      if (/\bcampaign[\s-]+$/i.test(before(s, start)) || RALLY_SUPPORT.test(after(s, end))) return `"${phrase(s, start, end)}" (politics: support, a campaign)`;
      return null;
    },
  },
  { label: 'walkout', needs: ['walk'], re: /\bwalk(?:out|outs|ed out|ing out| out)\b/gi, weight: 1 },
  {
    label: 'strike',
    needs: ['strik'],
    re: /\b(?:general strike|strik(?:es?|ing|ers?))\b/gi,
    weight: 1,
    exposed: ['war', 'sport'],
    ignore: (s, start, end) => {
      if (LABOUR_STRIKE_BEFORE.test(before(s, start))) return null;
      if (STRIKE_BEFORE.test(before(s, start)) || STRIKE_AFTER.test(after(s, end))) return `"${phrase(s, start, end)}" (war or sport)`;
      return null;
    },
  },
  { label: 'boycott', needs: ['boycott'], re: /\bboycott(?:s|ed|ing)?\b/gi, weight: 0.5 },
  { label: 'vigil', needs: ['vigil'], re: /\bvigils?\b/gi, weight: 1 },
  { label: 'sit-in', needs: ['sit-in'], re: /\bsit-ins?\b/gi, weight: 1 },
  { label: 'die-in', needs: ['die-in'], re: /\bdie-ins?\b/gi, weight: 1 },
  { label: 'blockade', needs: ['blockad'], re: /\bblockad(?:e|es|ed|ing)\b/gi, weight: 0.5, exposed: ['war'] },
  { label: 'encampment', needs: ['encampment'], re: /\bencampments?\b/gi, weight: 0.5 },
  {
    label: 'picket',
    needs: ['picket'],
    re: /\bpicket(?:s|ed|ing|ers)?\b/gi,
    weight: 1,
    ignore: (s, start, end) => (/^\s*fences?\b/i.test(after(s, end)) ? '"picket fence"' : null),
  },
  { label: 'took to the streets', needs: ['streets'], re: /\b(?:took|take|taking|takes|taken) to (?:the |their |its |our )?streets\b/gi, weight: 1 },
  { label: 'day of action', needs: ['of action'], re: /\bdays? of action\b/gi, weight: 0.5 },
  // the general strike's own words: "a day of no work, no school, no shopping", "a day without immigrants"
  { label: 'strike', needs: ['no work', 'no school', 'day of no', 'day without'], re: /\bno work,? no school\b|\bno school,? no work\b|\bday of no (?:work|school|shopping)\b|\bday without immigrants\b/gi, weight: 1 },
  // Spanish, as US outlets print it: protesta, manifestación, marcha (not "en marcha": under way), huelga
  { label: 'protest', needs: ['protesta', 'manifesta'], re: /\b(?:protestas?|manifestaci(?:ón|on|ones)|manifestantes)(?![\w\u00C0-\u024F])/gi, weight: 1 },
  { label: 'march', needs: ['march'], re: /(?<!\ben\s)\bmarchas?\b/gi, weight: 1 },
  { label: 'strike', needs: ['huelga'], re: /\bhuelgas?\b/gi, weight: 1 },
];

// ------------------------------------------------------------------ sentence contexts

/**
 * Words of a context. A sentence is in the context when it has `min` different ones; a page, when its
 * headline is, or (sport, parade) when the whole page has `page[0]` of them, `page[1]` different. Markets,
 * war and products stay sentence by sentence: a protest against a war or a company names them throughout.
 */
const CONTEXTS: Record<Context, { re: RegExp; min: number; page?: [number, number] }> = {
  sport: {
    re: /\b(?:games?|match(?:es)?|innings?|quarter|halftime|season|playoffs?|tournament|championship|league|coach(?:es)?|referees?|umpires?|goals?|goalkeeper|touchdowns?|scored|scoring|deficit|pitch(?:er|ers|ed)|batters?|bowl(?:er|ers|ing|ed)|pins|free[- ]kick|penalty|midfielder|fixtures?|clubs?|federation|fifa|uefa|nba|nfl|mlb|nhl|ncaa|pba|semi-?finals?|finals?|wickets?|cricket|football|soccer|baseball|basketball|hockey|tennis|golf|rugby|teams?|players?|stadium|overtime|bracket|madness|home runs?|strikeouts?|yards|medals?|athletes?|disciplinary|tiebreaker|frames?|spares?)\b/gi,
    min: 2,
    page: [10, 5],
  },
  markets: {
    re: /\b(?:stocks?|shares|equit(?:y|ies)|index(?:es)?|indices|dow|nasdaq|s&p|wall street|investors?|traders?|trading|bonds?|yields?|treasur(?:y|ies)|futures|currenc(?:y|ies)|dollar|earnings|markets?|bitcoin|crypto|points|percent|fed|federal reserve|inflation|rate cuts?|sell-?off|rebound(?:ed)?|gains?|surged|closed (?:up|down|at|higher|lower))(?=\W|$)|%/gi,
    min: 2,
  },
  war: {
    re: /\b(?:air|missiles?|drones?|rockets?|troops|soldiers|military|army|armed forces|airstrikes?|warplanes?|bomb(?:s|ing|ings|ed|ers)?|militants?|isis|targets?|pentagon|navy|naval|artillery|invasion|offensive|ceasefire|fighter jets?|combat|insurgents?)\b/gi,
    min: 2,
  },
  parade: { re: /\b(?:parades?|marching bands?|floats|grand marshal)\b/gi, min: 1, page: [2, 1] },
  products: {
    re: /\b(?:products?|software|hardware|prototypes?|devices?|apps?|technology|tech|startups?|conference|showcase|features?|engineers?|chips?|robots?|platform|demos?|exhibitors?|booth|customers|launch)\b/gi,
    min: 2,
  },
};

/** Words that say people are protesting in the street: they keep a sentence out of the sport, markets, war and products contexts. */
const CROWD_CUES =
  /\b(?:protesters|protestors|demonstrators|marchers|picketers|counter-?protesters|took to the streets|chant(?:ed|ing|s)|placards|banners|signs reading|in protest|to protest|unions?|picket lines?|workers|wages|contract talks|bargaining)\b/i;

/** The contexts a sentence is in: `min` different words of each. */
function contextsOf(s: string): Set<Context> {
  const out = new Set<Context>();
  for (const [name, { re, min }] of Object.entries(CONTEXTS) as Array<[Context, (typeof CONTEXTS)[Context]]>) {
    const seen = new Set<string>();
    for (const m of s.matchAll(re)) {
      seen.add(m[0].toLowerCase());
      if (seen.size >= min) break;
    }
    if (seen.size >= min) out.add(name);
  }
  return out;
}

/** The contexts a whole page is in: its headline's, or many words of one context throughout. */
function pageContextsOf(all: string, title: string | null): Set<Context> {
  const out = title ? contextsOf(title) : new Set<Context>();
  for (const [name, { re, page }] of Object.entries(CONTEXTS) as Array<[Context, (typeof CONTEXTS)[Context]]>) {
    if (!page) continue;
    const hits = [...all.matchAll(re)].map((m) => m[0].toLowerCase());
    if (hits.length >= page[0] && new Set(hits).size >= page[1]) out.add(name);
  }
  return out;
}

const CONTEXT_REASON: Record<Context, string> = {
  sport: 'sport',
  markets: 'markets',
  war: 'war',
  parade: 'a parade',
  products: 'a showing of products',
};

// ------------------------------------------------------------------ predicates

const AGENTS = String.raw`protesters|protestors|demonstrators|marchers|picketers|strikers|counter-?protesters`;
const CROWD = String.raw`hundreds|thousands|dozens|scores|tens of thousands|crowds?|groups?|people|residents|students|workers|employees|nurses|teachers|parents|supporters|members|tenants|veterans|activists|organizers|organisers|neighbors|neighbours|locals|families|faith leaders|advocates|\d[\d,]*`;
const NOUNS = String.raw`protests?|rall(?:y|ies)|march(?:es)?|vigils?|demonstrations?|sit-ins?|die-ins?|walkouts?|strikes?|pickets?|blockades?|teach-ins?`;
const MONTHS = String.raw`Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?`;
const WEEKDAYS = String.raw`(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day`;
const GAP = String.raw`(?:\s+[\w'’,.-]+){0,6}?`;

interface Predicate {
  label: string;
  re: RegExp;
  /**
   * Words one of which every match contains, lower case: the pattern runs only on a sentence that has one (the
   * patterns are long, and most sentences that pass QUICK hold few predicates). Must be a necessary condition.
   */
  needs: string[];
}

/** One of NOUNS is in every match of the patterns built on them. */
const NOUN_STEMS = ['protest', 'rall', 'march', 'vigil', 'demonstration', 'sit-in', 'die-in', 'walkout', 'strike', 'picket', 'blockade', 'teach-in'];

const PREDICATES: Predicate[] = [
  { label: 'took to the streets', needs: ['streets'], re: /\b(?:took|take|taking|takes|taken) to (?:the |their |its |our )?streets\b/gi },
  { label: 'picketed', needs: ['picket'], re: /\bpicket(?:ed|ing)\b(?!\s*fences?\b)/gi },
  { label: 'rallied', needs: ['rallied'], re: /\brallied\b/gi },
  { label: 'marched', needs: ['marched'], re: /\bmarched\b/gi },
  { label: 'protested', needs: ['protest'], re: new RegExp(String.raw`\b(?:${CROWD}|${AGENTS})${GAP}\s+protest(?:ed|ing)\b(?!\s+(?:that|to)\b)|\bprotested\s+(?:outside|in front of|near|along|across|against|at|on the steps|in the streets|downtown)\b`, 'gi') },
  { label: 'demonstrated', needs: ['demonstrat'], re: /\bdemonstrat(?:ed|ing)\s+(?:against|outside|in front of|near)\b/gi },
  {
    label: 'protesters gathered', needs: ['protest', 'demonstrators', 'marchers', 'picketers', 'strikers'],
    re: new RegExp(
      String.raw`\b(?:${AGENTS})${GAP}\s+(?:gather(?:ed|ing)?|march(?:ed|ing)?|rall(?:y|ied|ying)|chant(?:ed|ing)?|block(?:ed|ing)?|carr(?:y|ied|ying)|waved|waving|fill(?:ed|ing)?|lined|occup(?:y|ied|ying)|converged|assembled|massed|shouted|clashed|descended|poured|flooded|packed|streamed|surrounded|sat|staged|stood|set up|camped|braved|held (?:signs|banners|placards|flags|candles))\b`,
      'gi',
    ),
  },
  {
    label: 'people marched', needs: ['march', 'rally', 'picket', 'walk', 'strike', 'chanted', 'signs', 'banners', 'placards', 'flags'],
    re: new RegExp(
      String.raw`\b(?:${CROWD})${GAP}\s+(?:march|rally|picket|walk(?:ed)? out|walk off|walked off|went on strike|go on strike|are on strike|were on strike|chanted|(?:held|carried|waved)(?: up)? (?:signs|banners|placards|flags))\b`,
      'gi',
    ),
  },
  {
    label: 'held a protest', needs: NOUN_STEMS,
    re: new RegExp(
      String.raw`\b(?:stag(?:e|ed|es|ing)|h[eo]ld(?:s|ing)?|organi[sz](?:e|ed|es|ing)|led|lead(?:s|ing)?|join(?:ed|s|ing)?|attend(?:ed|s|ing)?|host(?:ed|s|ing)?|launch(?:ed|es|ing)?|began|mount(?:ed|ing)?)\s+(?:(?:a|an|the|their|its|his|her|our|two|three|several|another|multiple|weekly|daily|nightly|\d+)\s+)?(?:[\w'’-]+\s+){0,3}?(?:${NOUNS})\b`,
      'gi',
    ),
  },
  {
    label: 'a rally was held', needs: NOUN_STEMS,
    re: new RegExp(
      String.raw`\b(?:${NOUNS})(?:\s+[\w'’-]+){0,3}?\s+(?:(?:was|were|is|are|will be|has been|have been)\s+(?:held|staged|planned|scheduled|organi[sz]ed|set to)|(?:(?:is|are|was|were)\s+)?(?:planned|scheduled|set)\s+(?:for|on)|took place|takes place|will take place|kicked off|got under ?way|will\s+(?:begin|start|end|continue)|began|begins|started|starts|ended|continued|continues|drew|draws|drawing|attracted|attracts|brought out|stretched|wound|snaked|proceeded|filled|blocked|shut down)\b`,
      'gi',
    ),
  },
  {
    label: 'marcharon', needs: ['marcharon', 'protestaron', 'manifestaron', 'salieron', 'concentraron', 'tomaron'],
    re: /\b(?:marcharon|protestaron|se manifestaron|salieron a (?:las|sus) calles|se concentraron|tomaron las calles)(?![\w\u00C0-\u024F])/gi,
  },
  {
    label: 'a rally on Saturday', needs: NOUN_STEMS,
    re: new RegExp(
      String.raw`\b(?:${NOUNS})\s+(?:here\s+|there\s+)?(?:on\s+|this\s+(?:coming\s+)?|next\s+|last\s+)?(?:${WEEKDAYS}|(?:${MONTHS})\.?\s+\d{1,2}\b|today|tonight|tomorrow|yesterday)\b|\b(?:${WEEKDAYS}|today|yesterday|tomorrow)(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?:${NOUNS})\b`,
      'gi',
    ),
  },
  { label: 'on strike', needs: ['strike', 'walked off'], re: /\b(?:went|go|goes|going|are|were|is|was|remain(?:ed|s)?|stay(?:ed|s)?|been|walked off the job and)\s+on\s+(?:an?\s+)?(?:[\w-]+\s+)?strike\b|\bwalked off (?:the|their) jobs?\b/gi },
  {
    label: 'walked out', needs: ['walk'],
    re: /\bwalk(?:ed|ing|s)? out (?:of|from) (?:their |the |his |her )?(?:class(?:es|rooms?)?|schools?|work|jobs?|campus|plants?|factor(?:y|ies)|hospitals?|warehouses?|stores?|offices?|lectures?)\b/gi,
  },
  {
    label: 'gathered to protest', needs: ['gather', 'assembled', 'converged', 'came together', 'turned out', 'showed up'],
    re: /\b(?:gather(?:ed|ing)?|assembled|converged|came together|turned out|showed up)\b(?:\s+[\w'’,.-]+){0,8}?\s+(?:to (?:protest|demonstrate|rally|march|demand|denounce|condemn|oppose|voice opposition|call for|push back|speak out|show solidarity|stand against)|in (?:protest|solidarity|opposition))\b/gi,
  },
];

/** which words' false friends a predicate shares (its match is tested against the same contexts) */
function predicateExposure(match: string): Context[] {
  const out = new Set<Context>();
  if (/rall(?:y|ies|ied|ying)/i.test(match)) (['markets', 'sport'] as const).forEach((c) => out.add(c));
  if (/strik|struck/i.test(match)) (['war', 'sport'] as const).forEach((c) => out.add(c));
  if (/march/i.test(match)) (['parade', 'war'] as const).forEach((c) => out.add(c));
  if (/protest/i.test(match)) out.add('sport');
  if (/demonstrat/i.test(match)) out.add('products');
  if (/blockad/i.test(match)) out.add('war');
  return [...out];
}

// ------------------------------------------------------------------ background

const YEAR = /\b(?:19[5-9]\d|20[0-4]\d)\b/g;
/** a year written in a date ("Aug. 23, 2020", "23 August 2020", "2020-08-23"): what the page's own time is read from */
const DATED_YEAR = new RegExp(String.raw`\b(?:(?:${MONTHS})\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+|\d{1,2}\s+(?:${MONTHS})\.?,?\s+)((?:19|20)\d\d)\b|\b((?:19|20)\d\d)-\d\d-\d\d\b`, 'g');
/** a year that qualifies the noun after it ("the 2020 protests", "the 1963 March"), not the clause's time */
const ATTRIBUTIVE_BEFORE = /\b(?:the|a|an|its|their|his|her|this|that|those|these)\s+$/i;
const COURT = /\b(?:sentenced|sentencing|convicted|conviction|pleaded (?:guilty|no contest)|pleads guilty|found guilty|acquitted|indicted|indictment|(?:years|months) in (?:federal |state )?prison|probation|jury|verdict|prosecutors?|defendants?)\b/i;
/** a court story names its outcome at the top */
const COURT_STORY = /\b(?:sentenced|convicted|pleaded (?:guilty|no contest)|pleads guilty|found guilty|acquitted|indicted)\b/i;
/** in a court story, a protest at the proceedings is news: "supporters rallied outside the courthouse" */
const COURT_PLACE = /\b(?:court(?:house|room|s)?|hearings?|trial|sentencing|arraignment|verdict|federal building|justice center|jail)\b/i;
const PAST_PERFECT = /\bhad\s+(?:(?:been|already|previously|also|earlier|once|first|long)\s+)*$/i;
const LONG_AGO = /\b(?:last year|years ago|a year ago|decades? ago|in the past)\b/gi;
const CLAUSE_BREAK = /[;:()—–]|\s(?:but|while|whereas|since|although|though|after|before)\s/gi;

/** What the background rules need of a sentence, found once: clause breaks, years, "long ago" words. */
interface Sentence {
  text: string;
  /** [start, end) of each clause break */
  breaks: Array<[number, number]>;
  years: Array<{ year: number; at: number }>;
  longAgo: number[];
}

function sentenceOf(text: string): Sentence {
  return {
    text,
    breaks: [...text.matchAll(CLAUSE_BREAK)].map((m) => [m.index!, m.index! + m[0].length]),
    years: [...text.matchAll(YEAR)].map((m) => ({ year: Number(m[0]), at: m.index! })),
    longAgo: [...text.matchAll(LONG_AGO)].map((m) => m.index!),
  };
}

/** the clause of the sentence that holds [start, end), as [from, to) */
function clauseOf(s: Sentence, start: number, end: number): [number, number] {
  let from = 0;
  let to = s.text.length;
  for (const [i, j] of s.breaks) {
    if (j <= start) from = j;
    else if (i >= end) {
      to = i;
      break;
    }
  }
  return [from, to];
}

/** why a use at [start, end) of a sentence is background (a past-perfect verb, an earlier year, long ago), or null */
function backgroundOf(s: Sentence, start: number, end: number, latestYear: number | null): string | null {
  if (PAST_PERFECT.test(before(s.text, start, 40))) return 'past perfect';
  const [from, to] = clauseOf(s, start, end);
  if (latestYear !== null) {
    for (const { year, at } of s.years) {
      if (at < from || at >= to || year >= latestYear) continue;
      // "the 2020 protests": the year is the protest's only when the protest follows it closely
      if (ATTRIBUTIVE_BEFORE.test(s.text.slice(Math.max(0, at - 8), at)) && !(start > at && start - at < 30)) continue;
      return `of ${year}`;
    }
  }
  if (s.longAgo.some((at) => at >= from && at < to)) return 'long ago';
  return null;
}

/** The page's own year: the published date's, else the latest year written in a date, else the latest year named. */
function latestYearOf(all: string, published: string | null | undefined): number | null {
  const p = /^(\d{4})/.exec(published ?? '');
  if (p) return Number(p[1]);
  const dated = [...all.matchAll(DATED_YEAR)].map((m) => Number(m[1] ?? m[2]));
  if (dated.length) return Math.max(...dated);
  const years = [...all.matchAll(YEAR)].map((m) => Number(m[0]));
  return years.length ? Math.max(...years) : null;
}

// ------------------------------------------------------------------ sentences

const ABBREVIATIONS = String.raw`St|Mr|Mrs|Ms|Dr|Jr|Sr|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Capt|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|U\.S|No|Mt|Ft|Ave|Blvd|Inc|Corp|Co|vs|Prof|Rev|Hon|[A-Z]`;
const SENTENCE_END = new RegExp(String.raw`(?<!\b(?:${ABBREVIATIONS}))[.!?]["”’)]?\s+(?=["“‘(]?[A-Z])`, 'g');

/** A text's sentences (lines first, then sentence ends), trimmed, without empty ones. */
export function sentencesOf(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    let from = 0;
    for (const m of line.matchAll(SENTENCE_END)) {
      const end = m.index! + m[0].trimEnd().length;
      out.push(line.slice(from, end));
      from = m.index! + m[0].length;
    }
    out.push(line.slice(from));
  }
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

// ------------------------------------------------------------------ scanning

interface Use {
  label: string;
  /** sentence number, and offsets in it: reading order */
  sentence: number;
  at: number;
  end: number;
  weight: number;
  predicate: boolean;
  /** why it does not count (a false friend), or null */
  ignored: string | null;
  /** why it is background, or null */
  background: string | null;
  text: string;
}

interface ScanOptions {
  /** judge a page: predicates and background too (the cheap filter looks at words and false friends only) */
  page: boolean;
  /** the page's own year: clauses of earlier years are background; null: no year rule */
  latestYear: number | null;
  /** a court story: mere mentions are background, and predicates away from the proceedings */
  court: boolean;
  /** contexts of the whole page */
  contexts: Set<Context>;
  /** stop reading at the first protest predicate that counts (its verdict is then certain) */
  untilPredicate?: boolean;
}

function scanSentence(s: string, n: number, o: ScanOptions, uses: Use[]): void {
  const sentence = o.page ? sentenceOf(s) : null;
  // the sentence's contexts, found when a word that has false friends there is met
  let contexts: Set<Context> | null = null;
  const inContext = (c: Context): boolean => {
    if (!contexts) {
      contexts = contextsOf(s);
      for (const x of o.contexts) contexts.add(x);
      // people protesting in the street keep a sentence out of every context but a parade
      if (CROWD_CUES.test(s)) for (const x of contexts) if (x !== 'parade') contexts.delete(x);
    }
    return contexts.has(c);
  };
  const court = sentence !== null && COURT.test(s);
  const falseFriends: Array<[number, number]> = [];
  const lower = s.toLowerCase();
  for (const w of WORDS) {
    if (!w.needs.some((x) => lower.includes(x))) continue;
    for (const m of s.matchAll(w.re)) {
      const start = m.index!;
      const end = start + m[0].length;
      let ignored = w.ignore?.(s, start, end) ?? null;
      const c = ignored ? undefined : w.exposed?.find(inContext);
      if (c) ignored = `"${phrase(s, start, end)}" (${CONTEXT_REASON[c]})`;
      if (ignored) falseFriends.push([start, end]);
      const background = ignored || !sentence ? null : o.court ? 'a court story' : court ? 'a sentence about a court case' : backgroundOf(sentence, start, end, o.latestYear);
      uses.push({ label: w.label, sentence: n, at: start, end, weight: w.weight, predicate: false, ignored, background, text: m[0] });
    }
  }
  if (!sentence) return;
  for (const p of PREDICATES) {
    if (!p.needs.some((w) => lower.includes(w))) continue;
    for (const m of s.matchAll(p.re)) {
      const start = m.index!;
      const end = start + m[0].length;
      if (falseFriends.some(([a, b]) => a < end && b > start)) continue; // its word is a false friend: "launched a missile strike"
      const c = predicateExposure(m[0]).find(inContext);
      const ignored = c ? `"${m[0]}" (${CONTEXT_REASON[c]})` : null;
      const background = ignored ? null : o.court && !COURT_PLACE.test(s) ? 'a court story' : backgroundOf(sentence, start, end, o.latestYear);
      uses.push({ label: p.label, sentence: n, at: start, end, weight: PREDICATE_WEIGHT, predicate: true, ignored, background, text: m[0] });
    }
  }
}

/** Every protest word and predicate above contains one of these: a sentence without any is skipped unread. */
const QUICK = /protest|demonstr|march|rall(?:y|ie)|walk|strik|no work|no school|day of no|day without|boycott|vigil|sit-in|die-in|teach-in|blockad|encamp|picket|street|action|manifesta|huelga|calle|paro|chant|sign|banner|placard|flag/i;

function scan(texts: string[], o: ScanOptions): Use[] {
  const uses: Use[] = [];
  let n = 0;
  for (const t of texts) {
    for (const s of sentencesOf(t)) {
      if (!QUICK.test(s)) {
        n++;
        continue;
      }
      const before = uses.length;
      scanSentence(s, n++, o, uses);
      if (o.untilPredicate && uses.slice(before).some((u) => u.predicate && !u.ignored && !u.background)) return sortUses(uses);
    }
  }
  return sortUses(uses);
}

function sortUses(uses: Use[]): Use[] {
  return uses.sort((a, b) => a.sentence - b.sentence || a.at - b.at || Number(b.predicate) - Number(a.predicate));
}

/**
 * The cheap filter (feed items): the protest words that short texts (a title, a summary) use as protest
 * words, in reading order, and up to five false friends passed over. No background or page rules: a
 * summary is too short to tell.
 */
export function protestWords(texts: string[]): { words: string[]; ignored: string[] } {
  const uses = scan(texts, { page: false, latestYear: null, court: false, contexts: new Set() });
  const words: string[] = [];
  const ignored: string[] = [];
  for (const u of uses) {
    if (u.ignored === null) {
      if (!words.includes(u.label)) words.push(u.label);
    } else if (!ignored.includes(u.ignored) && ignored.length < 5) ignored.push(u.ignored);
  }
  return { words, ignored };
}

/**
 * Is this page a protest report (of a protest held or announced)? `text` is the page's text; `title` its
 * headline when kept apart from the text (null or left out when the text starts with it); `published` its
 * date (YYYY-MM-DD...) when known, else the page's year is read from the dates it writes. Relevant when
 * its protest words, used as protest words and not as background, score REPORT_SCORE or more: any
 * predicate (PREDICATE_WEIGHT), or nouns (1 each, some 0.5) in at least two sentences. A page whose only
 * protest words are false friends or background is not. Pure and deterministic; a few milliseconds for a
 * long article. With `verdictOnly` it stops at the first predicate that counts: the verdict is the same, the
 * score and reason then cover the page only up to there.
 */
export function protestReport(text: string, title?: string | null, opts: { published?: string | null; verdictOnly?: boolean } = {}): ProtestReport {
  const texts = title ? [title, text] : [text];
  const all = texts.join('\n');
  const o: ScanOptions = {
    page: true,
    latestYear: latestYearOf(all, opts.published),
    court: COURT_STORY.test((title ?? '') + '\n' + text.slice(0, 600)),
    contexts: pageContextsOf(all, title ?? null),
    untilPredicate: opts.verdictOnly === true,
  };
  const uses = scan(texts, o);
  const counted = uses.filter((u) => !u.ignored && !u.background);
  const predicates = counted.filter((u) => u.predicate);
  // a predicate's own words are not counted again as nouns (uses are in reading order, predicates first)
  const nouns: Use[] = [];
  let sentence = -1;
  let covered = 0;
  for (const u of counted) {
    if (u.sentence !== sentence) [sentence, covered] = [u.sentence, 0];
    if (u.predicate) covered = Math.max(covered, u.end);
    else if (u.at >= covered) nouns.push(u);
  }
  const nounScore = nouns.reduce((a, u) => a + u.weight, 0);
  const sentences = new Set(nouns.map((u) => u.sentence)).size;
  const score = predicates.length * PREDICATE_WEIGHT + nounScore;
  const relevant = predicates.length > 0 || (nounScore >= REPORT_SCORE && sentences >= 2);

  const ignored = unique(uses.filter((u) => u.ignored).map((u) => u.ignored!)).slice(0, 5);
  const background = unique(uses.filter((u) => !u.ignored && u.background).map((u) => `"${u.text}" (${u.background})`)).slice(0, 5);
  const nounList = tally(nouns.map((u) => u.label));
  if (relevant) {
    const parts = [];
    if (predicates.length) parts.push(unique(predicates.map((p) => `"${p.text}"`)).slice(0, 3).join(', ') + (predicates.length > 3 ? ` and ${predicates.length - 3} more` : ''));
    if (nounList) parts.push(nounList);
    return { relevant, reason: `a protest report (score ${fmt(score)}): ${parts.join('; ')}`, score };
  }
  const parts: string[] = [];
  if (!uses.length) parts.push('no protest words');
  else if (!counted.length) parts.push('no protest words used as protest words');
  else parts.push(`too few protest words (score ${fmt(score)} in ${sentences} sentence${sentences === 1 ? '' : 's'}): ${nounList}`);
  if (ignored.length) parts.push(`false friends: ${ignored.join(', ')}`);
  if (background.length) parts.push(`background: ${background.join(', ')}`);
  return { relevant, reason: `not a protest report: ${parts.join('; ')}`, score };
}

// ------------------------------------------------------------------ helpers

/** the matched word with one word of context on each side, for a reason */
function phrase(s: string, start: number, end: number): string {
  const prev = /(\S+)\s*$/.exec(before(s, start, 20))?.[1] ?? '';
  const next = /^\s*(\S+)/.exec(after(s, end, 20))?.[1] ?? '';
  return `${prev} ${s.slice(start, end)} ${next}`.trim();
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function tally(labels: string[]): string {
  const n = new Map<string, number>();
  for (const l of labels) n.set(l, (n.get(l) ?? 0) + 1);
  return [...n].map(([l, k]) => (k > 1 ? `${l} ×${k}` : l)).join(', ');
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
