// Place attachment: which of the places a protest sentence names are where a demonstration happened, and
// which are context ("after the killing in X", "ICE's operations in X", "in solidarity with X"). A place is
// attached to the nearest protest word before it unless a word for something other than a demonstration
// stands between them, in which case the place belongs to that word instead. Pure.
import { GateScanner, passesGate, TRIGGERS, VENUE_HEADS, WEAK_TRIGGERS, type Gated } from './lexicon.js';
import type { Sentence } from './text.js';

/** The lexicon's protest words, strong and weak, as one global pattern each (with its gate). */
const PROTEST_WORDS: Gated[] = [...TRIGGERS, ...WEAK_TRIGGERS].map(({ re, gate }) => ({ re: new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`), gate }));
const PROTEST_GATES = new GateScanner(PROTEST_WORDS);

/**
 * Words that head a phrase about something other than the demonstration: what it protests (a killing, a raid,
 * the agency's presence) or who it is about (a resident, citizens). A place right after them is theirs. Lower
 * case only: a capitalised word is part of a name ("Metropolitan Detention Center").
 */
const CONTEXT_HEAD =
  /\b(?:kill(?:ing|ings|ed)|gunned down|agent|violence|attacks?|since|plowed|anniversary|follows|followed|arrests of|disaster|originated|shoot(?:ing|ings)|shot|deaths?|died|murder(?:s|ed)?|slaying|crackdowns?|raids?|operations?|presence|actions|surge|deployments?|occupation|invasion|incursion|detentions?|deportations?|policies|tactics|agents|officers|troops|residents?|citizens|nationals|being|last (?:year|month|week))\b/;

/** Nouns for the people or the action of a demonstration: a place right after them (by a preposition) is its site. */
const PEOPLE_HEAD = /^(?:people|protesters|protestors|demonstrators|marchers|activists|residents|students|workers|crowds?|rally|rallies|protests?|march|marches|demonstrations?|vigils?|walkouts?|gatherings?|events?)$/;

/** "in solidarity with", "stand with", "in support of": the place after them is who the protest supports. */
const SOLIDARITY = /\b(?:solidarity with|stand(?:s|ing)? with|stood with|in support of|support for)\b/i;

/** Words before a protest word that make it a past one: "earlier rallies", "the previous day's march". */
const PAST_PROTEST = /\b(?:earlier|previous|prior|past)\s+(?:[a-z]+['’]s\s+)?(?:[a-z]+\s+)?$/;

/** Every protest word of a sentence, as [start, end) offsets relative to the sentence, in order. */
export function protestWordSpans(text: string): Array<[number, number]> {
  // (a sentence is asked about again for each of its places and for the headline: its spans are kept)
  const hit = spansMemo.get(text);
  if (hit) return hit;
  if (spansMemo.size >= 5000) spansMemo.clear();
  const out: Array<[number, number]> = [];
  const hits = PROTEST_GATES.scan(text.toLowerCase());
  for (const w of PROTEST_WORDS) {
    if (!passesGate(w, hits)) continue;
    // (the patterns are global and never match the empty string: exec walks their matches as matchAll would)
    const re = w.re;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) out.push([m.index, m.index + m[0].length]);
  }
  out.sort((x, y) => x[0] - y[0]);
  spansMemo.set(text, out);
  return out;
}

const spansMemo = new Map<string, Array<[number, number]>>();

/**
 * For each place of a sentence (in order, absolute offsets), is it context rather than the site of a
 * demonstration? A place listed right after another ("in Dayton and Toledo") shares its verdict. `year` is
 * the article's: a protest word qualified by another year is a past one.
 */
export function contextPlaces(s: Sentence, places: Array<{ start: number; end: number }>, year: number | null = null): boolean[] {
  if (!places.length) return [];
  const spans = protestWordSpans(s.text);
  const out: boolean[] = [];
  for (let k = 0; k < places.length; k++) {
    const at = places[k]!.start - s.start;
    const prevEnd = k > 0 ? places[k - 1]!.end - s.start : -1;
    if (prevEnd >= 0 && prevEnd <= at && /^\s*(?:,|and|or|, and|, or|&)?\s*$/.test(s.text.slice(prevEnd, at))) {
      out.push(out[k - 1]!);
      continue;
    }
    // "in all 50 states and Washington, D.C.": counted with the states, the capital is no site of its own
    if (WITH_THE_STATES.test(s.text.slice(Math.max(0, at - 40), at))) {
      out.push(true);
      continue;
    }
    let from = Math.max(0, prevEnd);
    let word = -1;
    for (const [b, e] of spans) {
      if (e <= at && e > from) from = e;
      if (e <= at) word = b;
    }
    // "following earlier rallies in X": the protest word is of a past one
    if (word >= 0 && PAST_PROTEST.test(s.text.slice(Math.max(0, word - 30), word))) {
      out.push(true);
      continue;
    }
    const between = s.text.slice(from, at);
    // the noun right before the preposition decides: "people in Akron" is theirs, "killings in X" context
    const head = /\b([a-z]+)\s+(?:in|at|outside|near|across|throughout|from)\s+(?:the\s+|downtown\s+)?$/.exec(between)?.[1];
    // (unless its own clause is about something else: "the arrests of 200 people in X")
    if (head && PEOPLE_HEAD.test(head) && !CONTEXT_HEAD.test(between.split(/[,;—–]/).pop() ?? '')) {
      out.push(false);
      continue;
    }
    // "the 1968 march on the capital", "last year's march in X": a demonstration of another year
    const withModifiers = s.text.slice(Math.max(0, from - 30), at);
    // (or right after the place: "a disaster in Novi Sad in 2024")
    const yearAfter = /^,?[^.;,]{0,20}?\b(?:in|during)\s+((?:19|20)\d\d)\b/.exec(s.text.slice(places[k]!.end - s.start, places[k]!.end - s.start + 30));
    // (an earlier year: a later one is the day of a plan, "On January 9, 2027, a march is planned in X")
    const otherYear =
      [...withModifiers.matchAll(/\b(?:19|20)\d\d\b/g)].some((m) => year !== null && +m[0] < year) || (yearAfter !== null && year !== null && +yearAfter[1]! < year);
    // a place inside a clause about an earlier thing: "since a car plowed into marchers in X", "after the raid in X"
    const clause = s.text.slice(Math.max(0, prevEnd), at).split(/[,;—–]/).pop() ?? '';
    const earlier = /\b(?:since|after|following|before) (?:a|an|the|last|his|her|their|its)\b/.test(clause);
    out.push(CONTEXT_HEAD.test(between) || earlier || otherYear || /\blast year['’]s\b/.test(withModifiers) || SOLIDARITY.test(s.text.slice(Math.max(0, prevEnd), at)));
  }
  return out;
}

const WITH_THE_STATES = /\b(?:states|every state|each state),?\s+(?:including|and|plus|as well as)\s+(?:in\s+)?$/i;

/** Prepositions that put an action at a place: "in X", "outside X", "through the streets of X". */
const LOCATIVE_BEFORE =
  /(?:^|[\s(—–-])(?:in|at|outside|outside of|across|through|throughout|near|around|from|to|into|inside|toward|towards|along|between|of|on|and|or|including|like|via|as well as|en|de)(?:\s+(?:the|downtown|central|metro|suburban|nearby|neighboring|neighbouring|uptown|midtown|rural|greater|the city of|the town of|the village of|the streets of|cities like|places like|towns like))*\s+$/i;

const DISTRICT_WORDS = /(?:\s(?:East|West|North|South|Northeast|Northwest|Southeast|Southwest|Downtown|Central|Greater|Lower|Upper|Old|Midtown|Uptown))+\s+$/;

/** Words after a place that make it the home of the people or action named: "Tulsa protesters", "the Reno rally". */
const AFTER_PLACE =
  /^(?:['’]s\b|\s*;|\s*\(|\s*[—–]|\s+(?:area|region|metro|city|town|county|residents?|people|protesters?|protestors?|demonstrators?|marchers?|activists?|students?|workers?|teachers?|nurses?|families|community|communities|crowds?|rally|rallies|protests?|marches?|march|demonstrations?|vigils?|walkouts?|strikes?|chapter|coalition|groups?|police|organizers?|participants?|locals|streets|route|downtown|saw|joined|held|drew|hosted|also)\b)/i;

/** "in the capital, Lisbon", "the capital of Idaho, Boise", "Tulsa, Wichita, and more": apposition or a list. */
const APPOSITION_BEFORE = /(?:\b(?:capital|city|town|hometown|village|suburb|county seat)(?:\s+of\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?|[A-Z][\w.]*),\s*$/;

/** "10th Street and Pomona": the second street of a corner, not a town. */
const CROSS_STREET = /\b(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Drive|Dr\.?|Way|Lane|Ln\.?)\s+(?:and|&|at)\s+$/;

/** "Akron and Elm Streets": the first street of a corner. */
const STREET_PAIR = /^\s+(?:and|&)\s+[A-Z][\w.]*\s+(?:Streets|Avenues|Roads|Boulevards|Drives)\b/;

/** "Cedar Ridge in Riverside Park": a spot inside a named venue, not a town. */
function insideVenue(after: string): boolean {
  const m = /^\s+in\s+(?:the\s+)?((?:[A-Z][\w'’.-]*\s+){1,4}?)([A-Z][a-z]+)\b/.exec(after);
  return m !== null && VENUE_HEADS.has(m[2]!);
}

/** Words that make the capitalised word next to them a person: "said Pullman", "Pullman told". */
const PERSON_BEFORE = /\b(?:said|says|told|according to|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|named|founder|member|resident|organizer)\s+$/;
const PERSON_AFTER = /^[\s,:]*(?:said|says|told|added|explained|writes|wrote|recalled|noted)\b/;
/** "a Quebec resident", "the Greeley man": a place describing one person. */
const ONE_PERSON = /(?:\b(?:a|an|the|one)\s+)$/i;

/**
 * Is each place written where a place of an action is written: after a locative preposition, before a word
 * for its people or its protest ("Fresno residents marched"), or listed right after such a place ("in Tulsa,
 * Reno and Boise")? A place name used as a modifier of anything else ("a Fresno punk band", "the Liberal
 * government", "Woodlawn man") or as a person ("said Pullman") is not a site. A town written with its state is
 * a place wherever it stands ("…, March 3, 2025, Mesa, Ariz."), unless it describes someone.
 */
export function licensedPlaces(s: Sentence, places: Array<{ start: number; end: number; qualified: boolean }>): boolean[] {
  const out: boolean[] = [];
  for (let k = 0; k < places.length; k++) {
    const { start, end, qualified } = places[k]!;
    const at = start - s.start;
    const after = s.text.slice(end - s.start, end - s.start + 24);
    // "in East Dayton", "in Downtown Provo": a direction or district word may stand between
    const before = s.text.slice(Math.max(0, at - 60), at).replace(DISTRICT_WORDS, ' ');
    const prevEnd = k > 0 ? places[k - 1]!.end - s.start : -1;
    let ok: boolean;
    // ("in the Tulsa suburbs": somewhere around the town, not in it)
    if (PERSON_BEFORE.test(before) || PERSON_AFTER.test(after) || CROSS_STREET.test(before) || STREET_PAIR.test(after) || insideVenue(s.text.slice(end - s.start, end - s.start + 60)) || /^\s+suburbs\b/.test(after)) ok = false;
    else if (ONE_PERSON.test(before) && /^\s+(?:resident|native|man|woman|mother|father|teen|student|activist|protester)\b/i.test(after)) ok = false;
    else if (prevEnd >= 0 && prevEnd <= at && /^\s*(?:,|;|and|or|, and|, or|&)\s*$/.test(s.text.slice(prevEnd, at))) ok = out[k - 1]!;
    else if (at === 0 || LOCATIVE_BEFORE.test(before) || APPOSITION_BEFORE.test(before) || AFTER_PLACE.test(after)) ok = true;
    else ok = qualified && !/^,?\s*(?:man|woman|boy|girl|resident|native|company|firm|business|couple|family|teen|teenager)\b|^-based\b/i.test(after);
    // "from Lyon to Leeds": a range of towns is a figure of speech (or a route), not two sites
    if (prevEnd >= 0 && /^\s+to\s+$/.test(s.text.slice(prevEnd, at)) && /\bfrom\s+(?:the\s+)?$/i.test(s.text.slice(0, places[k - 1]!.start - s.start))) {
      ok = false;
      out[k - 1] = false;
    }
    out.push(ok);
  }
  return out;
}
