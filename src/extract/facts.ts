// Facts of a demonstration read from one sentence: tactics, size, arrests, injuries, police measures, damage,
// venues, organizations and claims, each with the quoted sentence as evidence. Pure.
import type { Evidence, Mention } from '../core/types.js';
import { AGENCY_WORDS, ORG_HEADS, POLICE_MEASURES, PROPERTY_DAMAGE } from './lexicon.js';
import { findArrests, findInjuries, findSizes, PEOPLE } from './size.js';
import { runsOf, type Unit } from './units.js';

export function addEvidence(m: Mention, field: string, quote: string, u: Unit, source: string): void {
  if (m.evidence.some((e) => e.field === field && e.start === u.sentence.start)) return;
  const ev: Evidence = { field, source, quote, start: u.sentence.start, end: u.sentence.end };
  m.evidence.push(ev);
}

export function pushUnique(list: string[], v: string): boolean {
  if (list.some((x) => x.toLowerCase() === v.toLowerCase())) return false;
  list.push(v);
  return true;
}

/** Sizes, arrests, injuries, police measures, damage, tactics, organizations, claims, venues. */
/**
 * "They were cited, not arrested", "were only ticketed": a citation alone is no arrest (CCC's rule), so such a
 * sentence reports none, whatever arrests it says others claimed.
 */
const CITED_ONLY = /\b(?:merely|only|just|instead) (?:been |being |were |was )?(?:cited|ticketed|issued citations?)\b|\b(?:cited|ticketed|issued citations?),? (?:but |and )?not arrested\b|\bnot arrested,? but (?:cited|ticketed|issued citations?)\b/i;
/** "Police reported no arrests", "no one was arrested", "ended without arrests". */
const NO_ARRESTS = /\bno (?:immediate |reported )?arrests?\b|\bno(?:body| one) (?:was|were|has been|had been) (?:arrested|detained)\b|\bwithout (?:any )?arrests\b|\bzero arrests\b/i;

/** CCC's numbers for the vague Spanish counts: "miles" thousands, "cientos" hundreds, "decenas" dozens. */
const ES_VAGUE: Record<string, number> = { miles: 2000, cientos: 200, centenares: 200, decenas: 24, docenas: 24 };

/** "Miles de personas", "cientos de manifestantes": vague crowd counts of Spanish-language reports. */
function spanishSizes(s: string): Array<{ start: number; end: number; text: string; low: number; high: number }> {
  // (every match has " de " between its two words: a cheap test spares most English sentences the full pattern)
  if (!SPANISH_DE.test(s)) return [];
  const out = [];
  for (const m of s.matchAll(/\b(miles|cientos|centenares|decenas|docenas)\s+de\s+(?:personas|manifestantes|inmigrantes|estudiantes|trabajadores|residentes|activistas)\b/gi)) {
    const n = ES_VAGUE[m[1]!.toLowerCase()]!;
    out.push({ start: m.index!, end: m.index! + m[0].length, text: m[1]!.toLowerCase(), low: n, high: n });
  }
  return out;
}

const SPANISH_DE = /\sde\s/i;

/** Words that make a count a hope or a forecast: "had expected about 40 people", "thousands are expected". */
const EXPECTED = /\bexpect(?:s|ed|ing)?\b|\bhop(?:es|ed|ing) for\b|\banticipat(?:es|ed|ing)\b|\bpredict(?:s|ed|ing)\b/i;

/** "A decade after a strike drew 5,000 workers", "since the rally drew 500": a count of another time's crowd. */
const ANOTHER_TIME = /\b(?:years?|months?|weeks?|decades?) (?:after|since)\b|\b(?:since|unlike|compared with|compared to)\b/i;

/** The sentence's words from its last clause break up to `at`. */
function clauseBefore(s: string, at: number): string {
  const head = s.slice(0, at);
  const cut = Math.max(head.lastIndexOf(','), head.lastIndexOf(';'), head.lastIndexOf('—'), head.lastIndexOf('–'));
  return head.slice(cut + 1);
}

/** The largest crowd one place's demonstration is credited with. */
const MAX_LOCAL_CROWD = 2_000_000;

const VAGUE_COUNT = /\b(?:dozens|hundreds|thousands|scores|several|some|many|multiple|few|handful|numerous|unspecified)\b/i;

// (besides the crowd's own nouns, people who join a listed crowd though they make none alone: "and local officials")
const PEOPLE_NOUN = `(?:${[...PEOPLE, 'officials', 'immigrants', 'friends', 'staff'].join('|')})`;
const PEOPLE_LIST = new RegExp(`^(?:,\\s+(?:[a-z]+\\s+)?${PEOPLE_NOUN})*,?\\s+(?:and|&)\\s+(?:[a-z]+\\s+)?${PEOPLE_NOUN}\\b`, 'i');

/** The size phrase as the sentence words it, trimmed to the phrase and a following "members"-like noun. */
function sizeWords(s: string, hit: { start: number; end: number; text: string }): string {
  let end = hit.end;
  const more = /^\s+(?:members|supporters|workers|leaders|activists|residents|students|(?:are|were) expected)\b/i.exec(s.slice(end));
  if (more) end += more[0].length;
  // "More than 300 teachers, parents and neighbors": the crowd is all the people listed
  const listed = PEOPLE_LIST.exec(s.slice(end));
  if (listed) end += listed[0].length;
  const words = s.slice(hit.start, end).replace(/\s+/g, ' ').trim();
  return words || hit.text;
}

interface SentenceFacts {
  sizes: Array<{ start: number; end: number; text: string; low: number; high: number }>;
  arrests: ReturnType<typeof findArrests>;
  injuries: ReturnType<typeof findInjuries>;
  organizations: string[];
  claims: string[];
  /** the labels of POLICE_MEASURES and PROPERTY_DAMAGE whose patterns the sentence matches, in list order; read on first use */
  police?: string[];
  damage?: string[];
  noArrests?: boolean;
}

/**
 * The labels of a list whose patterns match `s`, in list order. The lexicon's patterns are plain tests (no "g"
 * flag), so a sentence matches the same ones however many mentions ask.
 */
function labelsMatching(list: Array<[RegExp, string]>, s: string): string[] {
  const out: string[] = [];
  const any = unionOf(list);
  if (any && !any.test(s)) return out;
  for (const [re, label] of list) if (re.test(s)) out.push(label);
  return out;
}

/**
 * One case-insensitive pattern that matches wherever any pattern of the list does: most sentences match none, and
 * one test of the union is cheaper than a test of each. Made only for plain patterns (flags "i" or none, no
 * backreference, whose numbers the union would shift); null otherwise.
 */
const unions = new WeakMap<Array<[RegExp, string]>, RegExp | null>();
function unionOf(list: Array<[RegExp, string]>): RegExp | null {
  let u = unions.get(list);
  if (u === undefined) {
    const plain = list.every(([re]) => /^i?$/.test(re.flags) && !/\\[1-9]|\\k</.test(re.source));
    u = plain && list.length ? new RegExp(list.map(([re]) => `(?:${re.source})`).join('|'), 'i') : null;
    unions.set(list, u);
  }
  return u;
}

/** A sentence is read for facts once, however many mentions it gives them to. */
const factsCache = new WeakMap<Unit, SentenceFacts>();
function factsOf(u: Unit): SentenceFacts {
  let f = factsCache.get(u);
  if (!f) {
    const s = u.sentence.text;
    const citedOnly = CITED_ONLY.test(s);
    f = { sizes: [...findSizes(s), ...spanishSizes(s)], arrests: citedOnly ? [] : findArrests(s), injuries: findInjuries(s), organizations: findOrganizations(u), claims: findClaims(s) };
    if (citedOnly) f.noArrests = true;
    definiteArrested(s, f);
    factsCache.set(u, f);
  }
  return f;
}

/**
 * "The arrests went calmly, and the 21 protesters walked to the vans": where the sentence's arrests
 * have no count of their own, the counted group it names after them ("the 21 protesters") is who was arrested,
 * not the crowd.
 */
function definiteArrested(s: string, f: SentenceFacts): void {
  const vague = f.arrests[0];
  if (!vague || f.arrests.some((a) => a.low !== null)) return;
  const k = f.sizes.findIndex((z) => z.start > vague.start && z.low === z.high && /\bthe\s+$/i.test(s.slice(Math.max(0, z.start - 4), z.start)) && /^\d/.test(s.slice(z.start)));
  if (k < 0) return;
  const z = f.sizes[k]!;
  f.arrests = [{ start: z.start, end: z.end, text: String(z.low), low: z.low, high: z.high }];
  f.sizes = f.sizes.filter((_, i) => i !== k);
}

export function attachFacts(m: Mention, u: Unit, quote: string, source: string, single: boolean, redact: (s: string) => string): void {
  const s = u.sentence.text;
  const facts = factsOf(u);
  for (const t of u.triggers) if (t && t !== 'protest') pushUnique(m.event_type, t);
  if (u.triggers.includes('protest') && !m.event_type.length) m.event_type.push('protest');
  if (u.triggers.length && !m.event_type.length) m.event_type.push('demonstration');
  if (single) {
    // (no crowd at one place tops a couple of million: "a program that insures 40 million people" counts something else)
    // (a crowd someone expected is no count of one that gathered: "organizers had expected about 40 people")
    const sizes = (m.geo_precision === 'country' ? facts.sizes : facts.sizes.filter((z) => z.low <= MAX_LOCAL_CROWD)).filter(
      (z) => (m.status !== 'occurred' || !EXPECTED.test(s.slice(Math.max(0, z.start - 30), z.end + 25))) && !ANOTHER_TIME.test(clauseBefore(s, z.start)),
    );
    if (sizes.length) {
      const big = sizes.reduce((a, b) => ((b.high ?? b.low) > (a.high ?? a.low) ? b : a));
      // the wording as written, with its noun ("at least 200 people"): CCC's size_text is the reporter's words;
      // another sentence's estimate is kept beside it, as CCC keeps several ("thousands; roughly 5,000 people")
      const words = sizeWords(s, big);
      if (m.size_text === null || m.size_low === null) {
        m.size_text = words;
        m.size_low = big.low;
        m.size_high = big.high;
        addEvidence(m, 'size', quote, u, source);
      } else if (!m.evidence.some((e) => e.field === 'size' && e.start === u.sentence.start) && !m.size_text.toLowerCase().includes(words.toLowerCase())) {
        m.size_text = `${m.size_text}; ${words}`;
        m.size_low = Math.min(m.size_low, big.low);
        m.size_high = Math.max(m.size_high ?? big.high, big.high);
        addEvidence(m, 'size', quote, u, source);
      }
    }
    const arrests = facts.arrests;
    if (!arrests.length && m.arrests_text === null && (facts.noArrests ??= NO_ARRESTS.test(s))) {
      m.arrests_text = 'no arrests';
      m.arrests = 0;
      addEvidence(m, 'arrests', quote, u, source);
    }
    if (arrests.length && m.arrests_text === null) {
      const a = arrests[0]!;
      m.arrests_text = a.text;
      // a count ("12", "a dozen", "approximately 12"), not a vague plural ("dozens", "hundreds")
      m.arrests = a.low !== null && a.low === a.high && !VAGUE_COUNT.test(a.text) ? a.low : null;
      addEvidence(m, 'arrests', quote, u, source);
    }
    const injuries = facts.injuries;
    if (injuries.length && m.injuries_text === null) {
      m.injuries_text = injuries[0]!.text;
      addEvidence(m, 'injuries', quote, u, source);
    }
    // (a sentence is tested against the lists once, however many mentions it gives facts to)
    for (const label of (facts.police ??= labelsMatching(POLICE_MEASURES, s))) {
      if (pushUnique(m.police_measures, label)) addEvidence(m, 'police_measures', quote, u, source);
    }
    for (const label of (facts.damage ??= labelsMatching(PROPERTY_DAMAGE, s))) {
      if (pushUnique(m.property_damage, label)) addEvidence(m, 'property_damage', quote, u, source);
    }
    for (const v of u.scan.venues) {
      if (m.locality && v.text.toLowerCase() === m.locality.toLowerCase()) continue;
      if (pushUnique(m.location_detail, v.text)) addEvidence(m, 'location_detail', quote, u, source);
    }
  }
  for (const o of facts.organizations) if (pushUnique(m.organizations, o)) addEvidence(m, 'organizations', quote, u, source);
  for (const c of facts.claims) if (pushUnique(m.claims, redact(c))) addEvidence(m, 'claims', quote, u, source);
  if (m.event_type.length) addEvidence(m, 'event_type', quote, u, source);
}

const DETERMINER = /^(?:the|a|an|this|that|these|those|our|their|its|his|her|each|every|another|such|one)$/i;
const ORG_NOUN_AFTER = /^\s+(coalition|movement|alliance|network|union|collective|committee|campaign|group)\b/i;

/** Organizations: proper names ending in an organization word, or followed by one ("No Kings coalition"). */
function findOrganizations(u: Unit): string[] {
  const out: string[] = [];
  const s = u.sentence.text;
  for (const run of runsOf(u)) {
    const name = run.map((t) => t.text).join(' ');
    if (AGENCY_WORDS.test(name)) continue;
    const last = run[run.length - 1]!.text;
    const after = s.slice(run[run.length - 1]!.end - u.sentence.start);
    const noun = ORG_NOUN_AFTER.exec(after);
    if (ORG_HEADS.has(last) && run.length >= 2) out.push(name);
    // ("The group is ...", "This coalition ...": a group named before, not a name)
    else if (noun && !DETERMINER.test(name)) out.push(`${name} ${noun[1]}`);
  }
  return out;
}

const CLAIM_RE =
  /\b(against|calling for|demanding|to demand|in solidarity with|in protest (?:of|against)|to protest|to stop|for)\s+((?:an?\s+|the\s+)?(?:end to |halt to )?[A-Za-z][^,.;:—"“”()]{2,70}?)(?=[,.;:—"“”()]|\s+(?:and|as|while|on|in|at|after|before|during|when|where)\s|$)/g;

/** Demands as CCC phrases: "against ICE", "for an end to ICE operations". Only from a protest's own sentence. */
function findClaims(s: string): string[] {
  const out: string[] = [];
  CLAIM_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CLAIM_RE.exec(s))) {
    const verb = m[1]!.toLowerCase();
    const obj = m[2]!.trim();
    if (verb === 'for' && !/^(?:an?\s+)?(?:end|halt|removal|abolition|justice|the removal|the end)/i.test(obj)) continue;
    const lead = verb === 'against' || verb.startsWith('in protest') || verb === 'to protest' || verb === 'to stop' ? 'against' : verb === 'in solidarity with' ? 'in solidarity with' : 'for';
    const target = obj.replace(/^(?:the\s+)?(?:US\s+|U\.S\.\s+)?/i, (x) => x);
    if (target.split(/\s+/).length > 12) continue;
    out.push(`${lead} ${target}`);
  }
  return out.slice(0, 3);
}
