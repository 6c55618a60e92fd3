// Word lists for the extractor: the language of protest reporting. General English, nothing from one article.

/** A word table with no prototype: a word such as "constructor" is in it only if written there. */
export function table<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/**
 * A pattern with its gate: lower-case strings of which every match of the pattern holds one. A text whose
 * lower-cased form holds none of them cannot match, and is spared the pattern (most sentences hold no protest
 * word). Edit a pattern and its gate together.
 */
export interface Gated {
  re: RegExp;
  gate: readonly string[];
}

/** The gate strings a lower-cased text holds, among those a GateScanner knows, and which of its patterns pass. */
export interface GateHits {
  present: ReadonlySet<string>;
  /** the scanner's patterns, by number */
  index: ReadonlyMap<Gated, number>;
  /** 1 for each pattern (by number) whose gate the text passes */
  passed: Uint8Array;
}

/**
 * Finds in one pass which gate strings of a set of patterns a lower-cased text holds: one search for all of
 * them costs a fraction of one search per string.
 */
export class GateScanner {
  private readonly re: RegExp;
  /** each gate string's own prefixes among the gate strings (itself included) */
  private readonly prefixes = new Map<string, string[]>();
  /** the numbers of the patterns each gate string passes */
  private readonly opens = new Map<string, number[]>();
  private readonly index = new Map<Gated, number>();
  private readonly none: GateHits;
  constructor(patterns: Iterable<Gated>) {
    for (const p of patterns) if (!this.index.has(p)) this.index.set(p, this.index.size);
    const words = [...new Set([...this.index.keys()].flatMap((p) => p.gate))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    if (words.some((w) => w === '' || w !== w.toLowerCase())) throw new Error('gate strings are non-empty and lower case');
    // longest first: where several gate strings start at one place, the longest is found, and the others are its prefixes
    this.re = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    for (const w of words) this.prefixes.set(w, words.filter((x) => w.startsWith(x)));
    for (const [p, i] of this.index) for (const w of p.gate) this.opens.set(w, [...(this.opens.get(w) ?? []), i]);
    this.none = { present: new Set(), index: this.index, passed: new Uint8Array(this.index.size) };
  }
  scan(lower: string): GateHits {
    const re = this.re;
    let hits: GateHits | null = null;
    re.lastIndex = 0;
    for (let m = re.exec(lower); m; m = re.exec(lower)) {
      hits ??= { present: new Set(), index: this.index, passed: new Uint8Array(this.index.size) };
      for (const w of this.prefixes.get(m[0])!) {
        (hits.present as Set<string>).add(w);
        for (const i of this.opens.get(w)!) hits.passed[i] = 1;
      }
      // (gate strings may overlap: the search goes on from the next character)
      re.lastIndex = m.index + 1;
    }
    return hits ?? this.none;
  }
}

/**
 * Whether the text whose gate hits are `hits` holds one of the pattern's gate strings (false: the pattern cannot
 * match it). A pattern its scanner was not made with passes.
 */
export function passesGate(g: Gated, hits: GateHits): boolean {
  const i = hits.index.get(g);
  return i === undefined || hits.passed[i] === 1;
}

/** A protest word, with the tactic it implies (null: generic). */
export interface Trigger extends Gated {
  tactic: string | null;
}

/** Words that say a demonstration is being reported, with the tactic each implies (null: generic). */
export const TRIGGERS: Trigger[] = [
  { re: /\bprotest(?:s|ed|ing|ers?|ors?)?\b/i, gate: ['protest'], tactic: 'protest' },
  { re: /\bdemonstrat(?:ion|ions|ors?|ed|ing|e)\b/i, gate: ['demonstrat'], tactic: 'demonstration' },
  { re: /\b(?:march(?:es|ed|ing|ers)?)\b/, gate: ['march'], tactic: 'march' },
  { re: /\bMarch(?:ed|es|ing|ers)\b/, gate: ['march'], tactic: 'march' },
  // (not "rallying around him": standing by someone)
  { re: /\brall(?:y|ies|ied|ying)\b(?!\s+(?:around|behind)\s+(?:him|her|them|us|me|you|the family|the team|his|her|their)\b)/i, gate: ['rall'], tactic: 'rally' },
  { re: /\bwalk(?:out|outs|ed out|ing out| out)\b/i, gate: ['walk'], tactic: 'walkout' },
  { re: /\b(?:general strike|strikes?|striking|strikers)\b/i, gate: ['strik'], tactic: 'strike' },
  // the general strike's own words: "a day of no work, no school, no shopping", "a day without immigrants"
  {
    re: /\bno work,? no school\b|\bno school,? no work\b|\bday of no (?:work|school|shopping)\b|\bday without immigrants\b/i,
    gate: ['no work', 'no school', 'day of no ', 'day without immigrants'],
    tactic: 'strike',
  },
  { re: /\bboycott(?:s|ed|ing)?\b/i, gate: ['boycott'], tactic: 'boycott' },
  { re: /\bvigils?\b/i, gate: ['vigil'], tactic: 'vigil' },
  { re: /\bsit-ins?\b/i, gate: ['sit-in'], tactic: 'sit-in' },
  { re: /\bdie-ins?\b/i, gate: ['die-in'], tactic: 'die-in' },
  { re: /\bblockad(?:e|es|ed|ing)\b/i, gate: ['blockad'], tactic: 'blockade' },
  { re: /\bencampments?\b/i, gate: ['encampment'], tactic: 'encampment' },
  { re: /\bpicket(?:s|ed|ing|ers)?\b/i, gate: ['picket'], tactic: 'picket' },
  { re: /\btook to the streets\b|\btake to the streets\b/i, gate: ['to the streets'], tactic: null },
  { re: /\bdays? of action\b|\bday\(s\) of action\b|\bmobili[sz]ations?\b|\buprising\b|\bshutdown\b/i, gate: [' of action', 'mobili', 'uprising', 'shutdown'], tactic: null },
  { re: /\bactivists?\b|\bdemonstrators?\b|\bprotesters?\b/i, gate: ['activist', 'demonstrator', 'protester'], tactic: null },
  // Spanish, as US Spanish-language media write it
  { re: /\bprotest(?:a|as|ar|aron|ando|ó|antes)\b/i, gate: ['protest'], tactic: 'protest' },
  { re: /\bmarcha(?:s|ron|r)?\b|\bmarchó\b/i, gate: ['march'], tactic: 'march' },
  { re: /\bmanifesta(?:ción|ciones|ntes|ron)\b|\bconcentra(?:ron|ción)\b|\bmitin\b/i, gate: ['manifesta', 'concentra', 'mitin'], tactic: null },
  { re: /\bvigilias?\b/i, gate: ['vigilia'], tactic: 'vigil' },
  { re: /\bhuelgas?\b|\bparo nacional\b/i, gate: ['huelga', 'paro nacional'], tactic: 'strike' },
];

/** Words that report a demonstration only inside an article that is about demonstrations. */
export const WEAK_TRIGGERS: Trigger[] = [
  { re: /\bgather(?:ed|ing|ings|s)?\b/i, gate: ['gather'], tactic: null },
  // "events are planned in ...", "scheduled actions": in a protest story, its planned demonstrations
  {
    re: /\b(?:events?|actions?) (?:are|were|is|was) (?:also )?(?:planned|scheduled|set)\b|\b(?:planned|scheduled) (?:events|actions)\b/i,
    gate: ['event', 'action'],
    tactic: null,
  },
  { re: /\bcrowds?\b/i, gate: ['crowd'], tactic: null },
  // "thousands made a public display of support", "gathered in a show of solidarity"
  { re: /\b(?:public )?(?:display|show)s? of (?:support|solidarity|defiance)\b/i, gate: ['display', 'show'], tactic: null },
  {
    re: /\b(?:took|take|taking) part\b|\bturned out\b|\bturnout\b|\bshowed up\b|\bassembled\b|\bchant(?:ed|ing|s)?\b/i,
    gate: [' part', 'turned out', 'turnout', 'showed up', 'assembled', 'chant'],
    tactic: null,
  },
];

/** Verbs whose date is not the protest's: "was arrested late Thursday", "were killed on Jan. 7". */
export const NON_PROTEST_DATE_VERBS =
  /\b(?:arrested|detained|killed|shot|died|charged|indicted|sentenced|ruled|declined|signed|filed|picked up|deported|released|announced|elected|born|said in a statement|told reporters)\b[^.;]{0,45}$/i;

/** Cues that a mention is of a future action. */
export const FUTURE_CUES: Gated = {
  re: /\b(?:will|anticipat(?:e|es|ing)|planned for|(?:is|are) (?:being )?planned|(?:is|are) set to|planning|plans? to|(?:are|is) (?:looking|hoping|aiming|preparing) to|intends? to|scheduled(?: for)?|set for|set to|to be held|upcoming|next (?:week|month|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|are expected to|is expected to|were expected to (?:start|begin|take place|be held|gather|march|rally)|is being organi[sz]ed|are being organi[sz]ed|announced for|called for .{0,30} on|organi[sz]ers(?: [\w,]+){0,5}? (?:are|is) calling (?:for|on)|planned (?:protests?|rall(?:y|ies)|march(?:es)?|demonstrations?|walkouts?|vigils?|strikes?)(?! (?:drew|went|took|was held|were held)))\b/i,
  gate: ['will', 'anticipat', 'plan', 'set to', 'set for', 'ing to', 'intend', 'scheduled', 'to be held', 'upcoming', 'next ', 'expected to', 'being organi', 'announced for', 'called for', 'calling '],
};

/**
 * A plan told in the past tense: "Similar protests were planned in ...". Said after their day, such actions are
 * neither reported as held nor still to come; before it, they are plans. (Not "the march was planned by ...", nor
 * "the rally was scheduled for noon and drew ...": told with what happened, it happened.)
 */
export const PAST_PLAN =
  /\b(?:protests?|rall(?:y|ies)|march(?:es)?|demonstrations?|vigils?|walkouts?|strikes?|actions?|events?|gatherings?)\s+(?:\w+\s+){0,2}?(?:were|was|had been)\s+(?:also\s+)?(?:planned|scheduled)\b(?!\s+by\b)(?![^.;]*\b(?:drew|took place|went ahead|went|began|started|ended|attracted|were held|was held|turned out|marched|rallied|gathered|filled)\b)/i;

/** Cues that the clause reports something that already happened. */
export const PAST_CUES =
  /\b(?:took|gathered|marched|rallied|held|drew|descended|found itself|were|was|became|filled|blocked|walked|chanted|carried|protested|demonstrated|unfolded|escalated|began)\b/i;

/** Words meaning the action happened across the whole country (a macro-event, not one place). */
export const NATIONWIDE: Gated = {
  re: /\b(?:nationwide|nation-wide|(?:across|throughout) the (?:country|nation|us|usa|u\.s\.|u\.s\.a\.|united states)|around the country|cross-country|national (?:day|days|day\(s\)) of action|national (?:shutdown|strike|general strike|walkout|boycott)|nationally)\b/i,
  gate: ['nation', 'country', ' us', 'u.s.', 'united states'],
};

/** Words meaning the places that follow are abroad. */
export const ABROAD: Gated = {
  re: /\b(?:around the world|abroad|overseas|worldwide|internationally|in other countries)\b/i,
  gate: ['around the world', 'abroad', 'overseas', 'worldwide', 'internationally', 'in other countries'],
};

/** A vague count of demonstrations: "dozens of walkouts", "hundreds of protests", "a wave of rallies". */
export const AGGREGATE: Gated = {
  re: /\b(?:dozens|hundreds|thousands|scores|a (?:number|series|wave|string|spate|flurry) of|several|numerous|countless|multiple) (?:of )?(?:\w+ )?(?:protests|rallies|walkouts|demonstrations|marches|vigils|strikes|sit-ins|actions|events)\b/i,
  gate: ['protests', 'rallies', 'walkouts', 'demonstrations', 'marches', 'vigils', 'strikes', 'sit-ins', 'actions', 'events'],
};

/** Police measures worth recording (CCC police_measures). Each entry: pattern, label. */
export const POLICE_MEASURES: Array<[RegExp, string]> = [
  [/\bpepper[- ]balls?\b/i, 'pepper balls'],
  [/\bpepper[- ]spray(?:s|ed)?\b/i, 'pepper spray'],
  [/\birritant sprays?\b/i, 'irritant sprays'],
  [/\btear[- ]gas(?:sed)?\b/i, 'tear gas'],
  [/\brubber bullets?\b/i, 'rubber bullets'],
  [/\bflash[- ]?bangs?\b|\bstun grenades?\b/i, 'flash-bangs'],
  [/\bless[- ]lethal\b/i, 'less-lethal munitions'],
  [/\bbatons?\b/i, 'batons'],
  [/\briot gear\b/i, 'riot gear'],
  [/\bdispersal orders?\b|\border(?:ed)? (?:the crowd )?to disperse\b/i, 'dispersal orders'],
  [/\bunlawful assembly\b/i, 'declared unlawful assembly'],
  [/\bkettl(?:ed|ing)\b/i, 'kettling'],
  [/\bbarricades?\b/i, 'barricades'],
  [/\bmounted (?:police|officers)\b|\bon horseback\b/i, 'mounted police'],
  [/\bsmoke (?:canisters?|grenades?|bombs?)\b/i, 'smoke'],
  [/\bskirmish line\b/i, 'skirmish line'],
  [/\bsound cannon\b|\bLRAD\b/, 'sound cannon'],
  [/\bzip[- ]ties\b/i, 'zip ties'],
  [/\bcrowd[- ]control\b/i, 'crowd control'],
];

export const PROPERTY_DAMAGE: Array<[RegExp, string]> = [
  [/\bgraffiti\b|\bspray[- ]painted\b/i, 'graffiti'],
  [/\bbroken windows?\b|\bsmashed windows?\b|\bwindows? (?:were )?(?:smashed|broken)\b/i, 'broken windows'],
  [/\b(?:set|sets|setting) (?:a |an )?[a-z ]{0,20}on fire\b|\bset ablaze\b|\barson\b/i, 'fire'],
  [/\bvandali[sz](?:ed|ism)\b/i, 'vandalism'],
  [/\blooting\b|\blooted\b/i, 'looting'],
];

/** Last words of a proper name that make it a venue: "City Hall", "Federal Plaza", "Main Street Mall". */
export const VENUE_HEADS = new Set(
  (
    'Hall Plaza Square Park Mall Street St Avenue Ave Boulevard Blvd Road Bridge Building Center Centre Courthouse ' +
    'Capitol College University School Campus Library Church Cathedral Mosque Synagogue Temple Station Terminal ' +
    'Airport Facility Office Offices Headquarters HQ Hotel Stadium Arena Field Commons Green Lake Beach Pier Memorial ' +
    'Monument Museum Market Garden Gardens Avenue Way Drive Lane Highway Freeway Interstate Circle Triangle Lot ' +
    'Embassy Consulate Tower Towers Complex Hospital Prison Jail Detention'
  ).split(' '),
);

/** Venue words that name a road: "Salem Street" runs through some town, it is not Salem. */
export const STREET_HEADS = /^(?:Street|St|Avenue|Ave|Boulevard|Blvd|Road|Rd|Highway|Hwy|Freeway|Turnpike|Pike|Drive|Dr|Lane|Ln|Way|Parkway|Pkwy)$/;

/** Last words of a proper name that make it an organization. */
export const ORG_HEADS = new Set(
  (
    'Coalition Alliance Union Network Movement Committee Council Association Federation League Party Project ' +
    'Collective Front Caucus Society Foundation Fund Institute Center Campaign Action Collaborative Organization ' +
    'Organizing Workers Socialists Democrats Republicans Indivisible Brigade Assembly Congress Guild Initiative ' +
    'Solidarity Sunrise Partnership Group Groups Club Circle Vigil Mobilization'
  ).split(' '),
);

/** Government bodies and agencies: targets, not organizers. */
export const AGENCY_WORDS =
  /\b(?:Immigration|Customs|Enforcement|Homeland|Department|Police|Sheriff|Patrol|Guard|Bureau|Administration|Agency|Court|Congress|Senate|House|Government|Service|Services|Office|Army|Marines|FBI|ICE|DHS|CBP|Pentagon|White House)\b/;

/** Titles that mark a public official or public figure (their names may be kept). */
export const PUBLIC_TITLES =
  /\b(?:President|Vice President|Gov\.?|Governor|Sen\.?|Senator|Rep\.?|Representative|Congressman|Congresswoman|Mayor|Judge|Justice|Attorney General|Secretary|Commissioner|Sheriff|Chief|Councilmember|Council member|Councilman|Councilwoman|Alderman|Alderperson|Speaker|Minister|Prime Minister|Chancellor|Pope|Director|Superintendent|Assemblymember|Assemblyman|Assemblywoman|Del\.|Delegate|Lt\. Gov\.|Senate Majority Leader|Senate Minority Leader|Leader)\s*$/;

/** Words that start a sentence in capitals but never begin a place name. */
export const SENTENCE_WORDS = new Set(
  (
    'A An The In At On From To For And But Or As By With After Before During Across Outside Inside Near Starting ' +
    'When While Yet Many Some Other Here There This These Those Even Also Then Still More Most Dozens Hundreds ' +
    'Thousands Several Protesters Protestors Demonstrators Residents Students People Police Officers Organizers ' +
    'Organisers Activists It Its They Their We Our Us He She His Her Meanwhile However Earlier Later Last Next ' +
    'Elsewhere Among Since Until Over Under About Around Into Through Throughout Against Via Per Downtown'
  ).split(' '),
);

/** Month and weekday words: they break names ("City Hall Friday") and are never places ("March"). */
export const CALENDAR_WORDS = new Set(
  (
    'January February March April May June July August September October November December Jan Feb Mar Apr ' +
    'Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues ' +
    'Wed Thu Thur Thurs Fri Sat Sun Today Tonight Yesterday Tomorrow'
  ).split(' '),
);

/** Words that follow a place name in the names of media, teams and offices: "Washington Post", "Chicago Tribune". */
export const NON_PLACE_TAILS =
  /^(?:Post|Times|Tribune|Chronicle|Herald|Journal|News|Daily|Gazette|Star|Sun|Examiner|Inquirer|Globe|Record|Observer|Review|Press|Mayor|Police|Council|Sheriff|Public|Unified|County|Metro|Transit|Department|Dept|Airport|Lakers|Clippers|Dodgers|Angels|Giants|Jets|Knicks|Bulls|Bears|Cubs|Nuggets|Broncos|Vikings|Twins|Timberwolves|Heat|Dolphins|Celtics|Patriots|Red|Yankees|Mets|Wizards|Nationals|Commanders|Hornets|Panthers|Trail|Blazers|Timbers)$/;

/** Nouns for groups of people: the subject of a demonstration sentence. */
export const PEOPLE_WORDS =
  /\b(?:people|protesters?|protestors?|demonstrators?|marchers?|residents|students|workers|activists|participants|supporters|crowds?|veterans|families|community members|organi[sz]ers|allies|immigrants)\b/i;

/** Names of languages and peoples that are also town names ("in English and Spanish"): never a place alone. */
export const LANGUAGE_WORDS = new Set(
  (
    'English Spanish French German Italian Portuguese Russian Chinese Mandarin Cantonese Japanese Korean Arabic ' +
    'Hebrew Hindi Urdu Somali Hmong Vietnamese Tagalog Haitian Creole Polish Dutch Greek Turkish Persian Farsi Swahili'
  ).split(' '),
);
