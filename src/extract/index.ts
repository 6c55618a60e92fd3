// extract(article): the demonstrations an article reports, as mentions: one per (place, date) per sentence,
// each field with the quoted sentence it came from. Pure: the gazetteer is read-only reference data.
//
// The passes, in reading order: the page-relevance gate (core/relevance.ts); units.ts reads every sentence
// (protest words, places, dates, future and background cues); context.ts and dateline.ts read the article
// as a whole (its regions, counties, surnames, outlet town, dateline, dominant day); then, sentence by
// sentence, resolve.ts says which town each name is, attach.ts which of them are sites of a protest and which
// are context, mention.ts dates each site and builds the mentions, and facts.ts gives them their sizes,
// arrests, tactics, organizations and claims. This file composes them and carries the running state of a
// paragraph (its place and day), sections, lists, and the article's home place.
import { protestReport, RELEVANCE_UNSURE, sentencesOf } from '../core/relevance.js';
import type { Article, Mention } from '../core/types.js';
import type { Gazetteer } from '../resolve/gazetteer.js';
import { contextPlaces, licensedPlaces } from './attach.js';
import { articleContext, dominantDate, dominantTitle, geoWith, outletTownsOf, type ArticleGeo } from './context.js';
import { findDateline, paragraphDatelines } from './dateline.js';
import { addDays, iso, parseIso, yearHintOf, type DateHit } from './dates.js';
import { addEvidence, attachFacts } from './facts.js';
import { findSizes } from './size.js';
import { SAME_DAY_PLAN } from '../merge/cluster.js';
import { ABROAD, AGGREGATE, FUTURE_CUES, NATIONWIDE, PAST_CUES, PAST_PLAN, type Gated } from './lexicon.js';
import { assignDates, groupPlaces, isPlaceLine, nationwideMention, newMention, plannedNationwideDays } from './mention.js';
import { findPrivateNames, makeRedactor } from './privacy.js';
import { isEnglishWord } from './names.js';
import { headingSection, isPlaceName, MIN_UNQUALIFIED_POP, resolveDateline, resolvePlace, type Resolved, type Section } from './resolve.js';
import type { RawPlace } from './places.js';
import { AFTER_THEN_PLAN, gatedTest, readUnits, runsOf, type Unit } from './units.js';

/** A wire service's credit after a dateline: "PHOENIX (AP) —". */
const WIRE_CREDIT = /^[\s,.A-Za-z]*?\((?:AP|Reuters|UPI|AFP|CNN|Bloomberg|dpa|Xinhua)\)/;

/** A sentence whose subject is the demonstration the article reports: "The rally, which drew ...". */
const THIS_DEMONSTRATION = /^\W*(?:The|This|That) (?:demonstration|rally|protest|march|vigil|walkout|gathering|event)\b/;

/** The one place of the headline, when the headline reports a protest and licenses the place as its site. */
function headlinePlace(units: Unit[]): RawPlace | null {
  const title = units.find((u) => u.kind === 'title');
  if (!title || !title.triggers.length || title.scan.places.length !== 1) return null;
  const raw = title.scan.places[0]!;
  // a headline capitalises every word: only a sizeable town that is no English word ("Welcome", "Capitol") counts
  if (!raw.qualifier && (isEnglishWord(raw.text) || !raw.cands.some((c) => c.kind === 'locality' && c.population >= MIN_UNQUALIFIED_POP))) return null;
  const span = { start: raw.start, end: raw.qualifier?.end ?? raw.end };
  return licensedPlaces(title.sentence, [{ ...span, qualified: raw.qualifier !== null }])[0] && !contextPlaces(title.sentence, [span])[0] ? raw : null;
}

/** An hour of the day: "at 5 p.m.", "8:15 pm", "noon". */
const CLOCK_TIME = /\b(?:\d{1,2}(?::\d\d)?\s*[ap]\.?\s?m\b\.?|noon|midnight)/i;

/** How many days before its page a photo's own date makes it a file photo. */
const FILE_PHOTO_DAYS = 14;

/** A caption dated weeks before its page ("Protesters at a rally on March 14", in June): a file photo, background. */
function filePhoto(u: Unit, published: string | null): boolean {
  if (u.kind !== 'caption' || !published) return false;
  const days = u.dates.filter((d) => d.date && d.precision === 'day' && d.explicit);
  const limit = iso(addDays(parseIso(published)!, -FILE_PHOTO_DAYS));
  return days.length > 0 && days.every((d) => d.date! < limit);
}

/** The one day an article writes out, in sentences of any kind ("over the October 18 weekend"); null if none or several. */
function soleExplicitDay(units: Unit[]): DateHit | null {
  const days = units.flatMap((u) => u.dates.filter((d) => d.explicit && d.date && d.precision === 'day'));
  return days.length && days.every((d) => d.date === days[0]!.date) ? days[0]! : null;
}

/** A town named by reference to the last one: "in this river town", "this college city", "the same town". */
const THIS_TOWN = /\b(?:this|the same)\s+(?:[A-Z][\w-]*\s+){0,3}(?:[a-z]+\s+)?(?:city|town|village|suburb|borough)\b/;

/** "attendees are gathering", "the group is holding": an action told as it unfolds, or as a preview of the day. */
const PRESENT_PROGRESSIVE = /\b(?:are|is)\s+(?:\w+ly\s+)?(?:gathering|marching|rallying|holding|hosting|protesting|demonstrating|organi[sz]ing|meeting)\b/i;

/** A camera's file name in a photo credit or caption: "IMG_20260127_171202", "PXL_20250614". */
const PHOTO_STAMP = /\b(?:IMG|Image|PXL|DSC|DSCN|Photo|VID)[_-](20\d\d)(\d\d)(\d\d)(?![\d])/g;

/**
 * The day an undated page's photos were taken, from their camera file names: the latest that is a real day
 * not after the day the page was read. Weekday words of the page count from it.
 */
function photoStampDay(text: string, today: string | null): DateHit | null {
  let best: DateHit | null = null;
  for (const m of text.matchAll(PHOTO_STAMP)) {
    const day = `${m[1]}-${m[2]}-${m[3]}`;
    if (!parseIso(day) || iso(parseIso(day)!) !== day || (today !== null && day > today)) continue;
    if (!best || day > best.date!) best = { start: m.index!, end: m.index! + m[0].length, text: m[0], date: day, precision: 'day', explicit: true };
  }
  return best;
}

/** A repeating action: "every Sunday", "each week", "weekly". */
const RECURRING = /\b(?:every|each)\s+(?:day|week|weekend|month|morning|evening|night|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(?:weekly|daily|monthly)\b/i;

/** A local action counted among a nationwide day's: "was one of over a thousand", "was part of", "were among". */
const ONE_OF_THEM = /\b(?:was|were|is|are) (?:one of|part of|among)\b/i;

/** The gated pattern's test of the unit's sentence. */
function sentenceHas(g: Gated, u: Unit): boolean {
  return gatedTest(g, u.sentence.text, u.gates);
}

/**
 * The geographic context of a sentence: the article's, with the section heading's state weighing like the
 * article's main state, and the states the sentence names. A sentence that names no state and nothing abroad
 * shares its section's context object.
 */
function sentenceGeo(u: Unit, section: SectionGeo): ArticleGeo {
  const nearby = u.scan.regions.filter((r) => r.kind === 'state').map((r) => r.region);
  const abroad = sentenceHas(ABROAD, u);
  if (!nearby.length && !abroad) return section.geo;
  return geoWith(section.geo, { nearbyRegions: nearby, abroad });
}

interface SectionGeo {
  section: Section;
  geo: ArticleGeo;
}

function sectionGeo(ctx: ArticleGeo, section: Section): SectionGeo {
  const weights = { ...ctx.articleRegions };
  if (section.region) weights[section.region] = Math.max(...Object.values(weights), 1);
  return { section, geo: geoWith(ctx, { articleRegions: weights, nearbyRegions: [], abroad: false }) };
}

export interface ExtractResult {
  mentions: Mention[];
  /** article-level flags, e.g. "published_date_contradicts_text" */
  flags: string[];
  /** the macro-event the article is about ("National Shutdown"), if it names one */
  macroevent: string | null;
}

export interface ExtractOptions {
  /** the day the article was read (YYYY-MM-DD): an undated article reports nothing after it */
  today?: string | null;
}

export function extract(article: Article, gaz: Gazetteer, opts: ExtractOptions = {}): ExtractResult {
  const text = article.text;
  const published = article.published;
  // a page that reports no protest (a game's "March 10", a market "rally") reports no events. The top of a page
  // says whether it reports one: the shared classifier reads its first 2,000 characters. A short text with a
  // protest word used as one is left to the extraction itself.
  const top = text.length > 2000 ? text.slice(0, 2000) : text;
  const report = protestReport(top, null, { published, verdictOnly: true });
  if (!report.relevant && (report.score === 0 || sentencesOf(top).length >= 4)) return { mentions: [], flags: ['not_a_protest_report'], macroevent: null };
  // an undated article: month-day dates take the year it writes, and weekday words count from the day of
  // the demonstrations it dates explicitly
  const hint = published ? undefined : { year: yearHintOf(text, article.url, opts.today ?? null), today: opts.today ?? null };
  let { units, creditPlaces } = readUnits(article, gaz, published, hint);
  // the year the article reports from: a protest word dated to another year is a past one
  let year = published ? +published.slice(0, 4) : null;
  let anchor: DateHit | null = null;
  if (hint) {
    anchor = dominantDate(units.map((u) => ({ triggers: u.triggers, future: u.future, dates: u.dates.filter((d) => d.explicit) })), true) ?? soleExplicitDay(units) ?? photoStampDay(text, opts.today ?? null);
    if (anchor?.date) ({ units, creditPlaces } = readUnits(article, gaz, anchor.date, hint));
    year = anchor?.date ? +anchor.date.slice(0, 4) : hint.year;
  }

  // the day a nationwide action is planned from: the publication date, else the day an undated page is about
  const nationRef = published ?? anchor?.date ?? null;
  const anchored = !published && Boolean(anchor?.date);
  const ctx = articleContext(units);
  // the dateline's town: the home of the story, and a strong word on the article's region
  const dateline = findDateline(article, gaz);
  // a wire story's dateline is where it was filed: its unplaced reports are at the last town it reported
  const wire = dateline !== null && WIRE_CREDIT.test(text.slice(dateline.place.end, dateline.place.end + 40));
  // else the town the outlet is named after, when the article names it
  const outletTowns = outletTownsOf(units, article.url);
  let outletRaw: RawPlace | undefined;
  if (outletTowns.size) {
    outer: for (const u of units) {
      for (const p of u.scan.places) {
        if (!p.qualifier && outletTowns.has(p.text.toLowerCase())) {
          outletRaw = p;
          break outer;
        }
      }
    }
  }
  // else the one town of a headline that puts a protest there ("Protesters block Lyon route")
  const titleRaw = dateline || outletRaw ? null : headlinePlace(units);
  const home = dateline ? resolveDateline(dateline.place, ctx) : outletRaw ? resolveDateline(outletRaw, ctx) : titleRaw ? resolveDateline(titleRaw, ctx) : null;
  ctx.outletTowns = outletTowns;
  const openings = paragraphDatelines(article, gaz);
  if (home && home.locality.country === 'US') ctx.articleRegions = { ...ctx.articleRegions, [home.locality.region]: (ctx.articleRegions?.[home.locality.region] ?? 0) + 4 };
  else if (home) ctx.countryWeights = { ...ctx.countryWeights, [home.locality.country]: (ctx.countryWeights?.[home.locality.country] ?? 0) + 4 };
  const nameUnits = units.filter((u) => u.kind !== 'title' && u.kind !== 'heading');
  const redact = makeRedactor(findPrivateNames(nameUnits.map((u) => ({ text: u.sentence.text, start: u.sentence.start, tokens: u.tokens, runs: runsOf(u) })), (s) => isPlaceName(gaz, s)), text);
  // the day most reports are dated to; in an undated article, else the day its explicit dates point to
  const dominant = dominantDate(units.filter((u) => !filePhoto(u, published)), false, published) ?? anchor;
  const macroevent = dominantTitle(units);
  const flags: string[] = [];
  if (!published) flags.push('no_publication_date');
  // in an article about demonstrations, a photo caption that names a place shows one
  // (in a short piece, one protest sentence is enough)
  const protestArticle = units.filter((u) => u.triggers.length).length >= Math.min(3, Math.max(1, Math.ceil(units.length / 4)));
  // (and in any page about a protest, a counted crowd that gathers: "About 150 people gathered outside the library")
  // (the size reader decides what a counted crowd is)
  for (const u of units) if (!u.triggers.length && u.weak.length && (protestArticle || (report.relevant && findSizes(u.sentence.text).length > 0))) u.triggers = u.weak;
  // one name, one place per article: "Milan" stays in Italy after "Paris and Milan ... around the world"
  const resolvedNames = new Map<string, Resolved>();
  // mentions dated after publication with no word of the future: planned, unless the article reports them as past
  const tentative = new Set<Mention>();
  // reports a wire story places at its filing town only for want of a site of their own
  const filedAt = new Set<Mention>();
  const pastAfterPublication = new Set<Mention>();
  // mentions of a sentence that names several sites ("A, B and C also saw protests")
  const listed = new Set<Mention>();

  // ---- pass 2: mentions -------------------------------------------------------------------------
  let mentions: Mention[] = [];
  let section: Section = { locality: null, region: null };
  let lastBlock = -1;
  let paraPlace: Resolved | null = null;
  let paraDate: DateHit | null = null;
  let paraMentions: Mention[] = [];
  let lastMentions: Mention[] = [];
  const explicitLocalities = new Set<string>();
  for (const u of units) for (const r of u.scan.places) if (r.qualifier) explicitLocalities.add(r.text.toLowerCase());

  // the event sentence a list of places may follow ("Cities where protests are planned include:")
  let listIntro: Unit | null = null;
  const orphans: Array<{ u: Unit; quote: string }> = [];
  const siteIds = new Set<string>();
  let soleSite: Resolved | null = null;
  let lastSite: Resolved | null = null;
  let introBlockFuture = false;
  // the geographic context of the current section, built when a sentence of it first resolves a place
  let secGeo = null as SectionGeo | null;
  for (let u of units) {
    if (u.block !== lastBlock) {
      lastBlock = u.block;
      // a paragraph that opens with a dateline ("CHICAGO—About 10,000 marched") is at that town
      const opening = openings.get(u.block);
      paraPlace = opening ? resolveDateline(opening.place, ctx) : null;
      paraDate = null;
      paraMentions = [];
      if (u.kind === 'heading') {
        section = headingSection(u, gaz, ctx);
        lastMentions = [];
      }
    }
    if (u.kind === 'heading' || u.kind === 'title') continue;

    // states named in the sentence decide; a section heading's state weighs like the article's main state
    // (built only for a sentence that resolves a place: most name none)
    if (secGeo?.section !== section) secGeo = null;
    let geo: ArticleGeo | null = null;
    const geoOf = (): ArticleGeo => (geo ??= sentenceGeo(u, (secGeo ??= sectionGeo(ctx, section))));
    const resolved: Resolved[] = [];
    for (const raw of u.scan.places) {
      const key = raw.text.toLowerCase();
      const known = !raw.qualifier && !raw.venue ? resolvedNames.get(key) : undefined;
      const r = known
        ? { raw, place: known.place, locality: known.locality, detail: known.detail }
        : resolvePlace(raw, gaz, geoOf(), section, explicitLocalities, u.sentence.start);
      if (!r) continue;
      // (a venue in a paragraph set in one country is not a namesake town's abroad: "marched to the Ashford
      // City Hall" after "rallied in Perth")
      if (raw.venue && !known && paraPlace && paraPlace.locality.country !== r.locality.country) continue;
      resolved.push(r);
      if (!raw.venue && !resolvedNames.has(key)) resolvedNames.set(key, r);
    }
    const quote = redact(u.sentence.text);
    // a line that is only a place, in a list after an event sentence: one more site of that sentence's action
    const listItem = listIntro !== null && !u.triggers.length && isPlaceLine(u, resolved);
    if (listItem) u = { ...u, triggers: listIntro!.triggers, future: listIntro!.future || introBlockFuture, dates: u.dates.length ? u.dates : listIntro!.dates.map((d) => ({ ...d, start: u.sentence.start, end: u.sentence.start })) };
    const isEventSentence = !u.background && !filePhoto(u, published) && (u.triggers.length > 0 || (protestArticle && u.kind === 'caption' && (resolved.length > 0 || u.dates.length > 0)));
    // (a sentence that announces the list, "Cities confirmed so far include:", keeps its paragraph's intro)
    const announcesList = !isEventSentence && listIntro?.block === u.block && /:\s*$/.test(u.sentence.text);
    if (!listItem && !announcesList) {
      // the list's status is its paragraph's: "Events are planned in every state. Cities confirmed include:"
      introBlockFuture = isEventSentence && listIntro?.block === u.block ? introBlockFuture || u.future : u.future;
      listIntro = isEventSentence ? u : null;
    }
    const nationwide = sentenceHas(NATIONWIDE, u);

    // which places does this sentence report a demonstration at?
    // only the places attached to a protest word are sites; the others are context
    const context = contextPlaces(u.sentence, resolved.map((r) => ({ start: r.raw.start, end: r.raw.qualifier?.end ?? r.raw.end })), year);
    const licensed = licensedPlaces(u.sentence, resolved.map((r) => ({ start: r.raw.start, end: r.raw.qualifier?.end ?? r.raw.end, qualified: r.raw.qualifier !== null })));
    // "a sit-in staged in the Cannon House Office Building in Washington, D.C., in 1987": a landmark in its town is what the town is
    for (let k = resolved.length - 2; k >= 0; k--) {
      const [a, b] = [resolved[k]!, resolved[k + 1]!];
      if (context[k + 1] && !context[k] && a.locality.id === b.locality.id && /^,?\s*in\s+$/.test(text.slice(a.raw.end, b.raw.start))) context[k] = true;
    }
    const sites = listItem ? resolved.slice(0, 1) : resolved.filter((_, k) => !context[k] && licensed[k]);
    // a town named twice in a sentence ("gathered in Keene ... to the Keene office") is one site
    let places: Resolved[] = sites.filter((r, k) => sites.findIndex((o) => o.locality.id === r.locality.id) === k);
    let inherited = false;
    let wireHome = false;
    // a sentence about another country ("protests in France") is not at the running place
    const namesCountry = u.scan.regions.some((r) => r.kind === 'country' && r.country !== (home?.locality.country ?? ctx.country));
    // a past nationwide action in a local story ("this nationwide protest on Saturday") happened at home too
    const localPart = nationwide && home !== null && !u.future && !plannedNationwideDays(u, nationRef, anchored).length;
    // "dozens of walkouts", "hundreds of rallies": a count of demonstrations names none of them
    const aggregate = sentenceHas(AGGREGATE, u);
    if (!places.length && !resolved.some((_, k) => licensed[k] || context[k]) && isEventSentence && (!nationwide || localPart) && !namesCountry && !aggregate) {
      const credit = u.kind === 'caption' ? creditPlaces.get(u.block) : undefined;
      const fromCredit = credit ? resolvePlace(credit, gaz, geoOf(), section, explicitLocalities, -1) : null;
      // (the article's sole site only for a sentence that dates its own report: "On Tuesday there were protests")
      const datedHere = u.dates.some((d) => d.date && d.precision === 'day' && !u.future) || (u.future && CLOCK_TIME.test(u.sentence.text) && !RECURRING.test(u.sentence.text));
      // ("in this river town", "the same city": the town the article last put a report in)
      const thisTown = THIS_TOWN.test(u.sentence.text);
      const fallback = localPart ? home : paraPlace ?? fromCredit ?? section.locality ?? (wire || thisTown ? lastSite : null) ?? home ?? (datedHere ? soleSite : null);
      if (fallback) {
        places = [fallback];
        inherited = true;
        wireHome = wire && fallback === home;
      }
    }
    // (a quoted speaker's "I'm in Reno" sets no scene for the paragraph's reports)
    if (sites.length && (isEventSentence || !/^\W*["“]/.test(u.sentence.text))) paraPlace = sites[sites.length - 1]!;
    // "Two groups faced off in Eugene Saturday afternoon. The march turned tense": the paragraph's
    // running date is the day its scene-setting sentence gives
    if (!isEventSentence && sites.length && !u.future && !u.background && !paraDate) {
      const days = u.dates.filter((d) => d.date && d.precision === 'day');
      if (days.length === 1) paraDate = days[0]!;
    }
    // the one town an article has named as a site so far is where its unplaced reports are
    for (const r of sites) siteIds.add(r.locality.id);
    soleSite = siteIds.size === 1 ? sites[0] ?? soleSite : null;
    // (a list of towns, or of plans, "Events are planned in A, B and C", sets no scene: the reports after it are
    // not at its last town)
    if (isEventSentence && sites.length) lastSite = sites.length === 1 && !u.future ? sites[0]! : null;

    if (!isEventSentence) {
      // facts without a protest word ("officers arrested 12 people") belong to the demonstration the text
      // is about: the last one of this paragraph, or of the paragraph before when this one names no place
      const recent = paraMentions.length ? paraMentions : resolved.length === 0 ? lastMentions : [];
      const target = recent[recent.length - 1];
      if (target && resolved.length <= 1) attachFacts(target, u, quote, article.id, true, redact);
      continue;
    }

    const sentenceMentions: Mention[] = [];
    // "thousands took to the streets in Fargo and Moorhead": one count for places listed together
    const own = places.filter((p) => p.raw.start >= u.sentence.start && p.raw.end <= u.sentence.end).map((p) => p.raw);
    const listedTogether = own.length > 1 && own.length === places.length && new Set(groupPlaces(u.sentence, own).values()).size === 1;
    if (places.length) {
      let assigned = assignDates(u, places, resolved);
      // "After protests Saturday and Friday night, a march is planned Sunday": each day at the running place
      const days = [...new Map(u.dates.filter((d) => d.date && d.precision === 'day').map((d) => [d.date, d])).values()];
      if (inherited && days.length > 1) {
        places = days.map(() => places[0]!);
        assigned = days;
      } else if (places.length === 1 && days.length > 1 && u.future) {
        // "After protests in Tulsa Saturday, a march is planned for Sunday": the place of the past part holds the plan too
        const cue = AFTER_THEN_PLAN.test(u.sentence.text) ? FUTURE_CUES.re.exec(u.sentence.text) : null;
        const planned = cue ? days.filter((d) => d.start >= u.sentence.start + cue.index) : [];
        if (planned.length && places[0]!.raw.end <= u.sentence.start + cue!.index) {
          places = [places[0]!, ...planned.map(() => places[0]!)];
          assigned = [assigned[0] ?? null, ...planned];
        }
      }
      for (let i = 0; i < places.length; i++) {
        const p = places[i]!;
        let date = assigned[i] ?? null;
        let dateNote: string | null = null;
        // (a plan with no day of its own is not on a past day the paragraph or the page reports)
        const pastForPlan = (d: DateHit): boolean => u.future && published !== null && d.date !== null && d.date < published;
        if (!date && paraDate && !pastForPlan(paraDate)) date = paraDate;
        if (!date && dominant && !pastForPlan(dominant)) {
          date = dominant;
          dateNote = 'date_from_article';
        }
        // ("Similar protests were planned in ...": after their day, not known to have been held; before it, plans)
        const pastPlan = !u.future && published !== null && PAST_PLAN.test(u.sentence.text);
        if (pastPlan && (!date?.date || date.date <= published!)) continue;
        const m = newMention(article.id, p, date, published, u, dateNote, inherited);
        if (pastPlan) m.status = 'planned';
        if (wireHome) filedAt.add(m);
        if (places.length > 1) listed.add(m);
        if (!pastPlan && !u.future && m.date && published && m.date > published) {
          tentative.add(m);
          if (PAST_CUES.test(u.sentence.text)) pastAfterPublication.add(m);
        }
        addEvidence(m, 'locality', quote, u, article.id);
        if (date && date.start >= u.sentence.start && date.end <= u.sentence.end) addEvidence(m, 'date', quote, u, article.id);
        sentenceMentions.push(m);
      }
      const usedDates = assigned.filter((d): d is DateHit => Boolean(d));
      if (usedDates.length) paraDate = usedDates[usedDates.length - 1]!;
    } else if (nationwide) {
      // a nationwide action: recorded only when planned (a past nationwide day is the sum of its local events);
      // "across the country" is the article's country
      const namesUs = u.scan.regions.some((r) => r.kind === 'country' && r.country === 'US') || /\bacross (?:the )?(?:us|usa|u\.s\.|u\.s\.a\.|united states|america)\b/i.test(u.sentence.text);
      const country = namesUs ? 'US' : ctx.country ?? 'US';
      // ("The march downtown was one of hundreds scheduled across the country for March 9", written that day:
      // the local one is reported, and the nationwide day, now under way, is the sum of its local events)
      const oneOfThem = published !== null && ONE_OF_THEM.test(u.sentence.text);
      const days = plannedNationwideDays(u, nationRef, anchored).filter((d) => !oneOfThem || d.date! > published!);
      for (const d of days) {
        const m = nationwideMention(article.id, d, u, country);
        addEvidence(m, 'date', quote, u, article.id);
        addEvidence(m, 'status', quote, u, article.id);
        sentenceMentions.push(m);
      }
      if (!days.length && !u.dates.length && paraMentions.length === 1 && paraMentions[0]!.geo_precision === 'country') {
        attachFacts(paraMentions[0]!, u, quote, article.id, true, redact);
      }
    }
    for (const m of sentenceMentions) {
      attachFacts(m, u, quote, article.id, sentenceMentions.length === 1 || listedTogether, redact);
      if (macroevent && m.date && dominant && m.date === dominant.date && m.status === 'occurred') m.macroevent = macroevent;
      mentions.push(m);
    }
    if (sentenceMentions.length) paraMentions = lastMentions = sentenceMentions;
    // ("The demonstration, which drew 5,000, was part of a nationwide movement" speaks of the local one)
    else if (!u.future && (!nationwide || THIS_DEMONSTRATION.test(u.sentence.text))) orphans.push({ u, quote });
  }

  // a wire story's headline or lede placed at its filing town ("TULSA (AP)") reports what the story then places
  // elsewhere on that day: it is not a report of the filing town
  if (filedAt.size) {
    const placed = mentions.filter((m) => !filedAt.has(m) && m.geo_precision !== 'country');
    mentions = mentions.filter((m) => !filedAt.has(m) || !placed.some((o) => o.date === m.date && o.placeId !== m.placeId));
  }

  // protest sentences that named no place ("The demonstration drew roughly 5,000 people") describe the one
  // demonstration of an article that reports a single one: their facts are its facts
  // (by name: a borough and its city are one place, "Brooklyn" and "New York City")
  const sites = new Set(mentions.filter((m) => m.geo_precision !== 'country').map((m) => `${m.locality}|${m.region}|${m.country}|${m.date}`));
  if (sites.size === 1) {
    const target = mentions.find((m) => m.geo_precision !== 'country')!;
    for (const { u, quote } of orphans) attachFacts(target, u, quote, article.id, true, redact);
  }

  // one article gives one arrest count for a demonstration: the first it reports (the lede's total); later
  // figures in it are parts of the story ("three of them were released"), not rival reports. A count comes
  // before words without one ("the arrests were made near midnight" ... "the 21 protesters")
  const counter = new Map<string, Mention>();
  for (const m of mentions) {
    if (m.arrests_text === null) continue;
    const key = `${m.placeId}|${m.date}`;
    const first = counter.get(key);
    if (first && first.arrests === null && first.arrests_text === 'unspecified' && m.arrests !== null) {
      dropArrests(first);
      counter.set(key, m);
    } else if (first) dropArrests(m);
    else counter.set(key, m);
  }

  // ---- status and date consistency ----------------------------------------------------------------
  // An article that reports, in the past tense, demonstrations dated after its own publication date has
  // a wrong date: its mentions after that date are reports, not plans.
  if (published) {
    const contradicted = pastAfterPublication.size > 0;
    if (contradicted) flags.push('published_date_contradicts_text');
    for (const m of mentions) {
      if (!tentative.has(m)) continue;
      m.status = contradicted ? 'occurred' : 'planned';
      if (contradicted) m.flags.push('date_after_publication');
    }
  }
  // a preview of the day ("In Keene, neighbors are holding a protest by the common"): a report in the present
  // progressive, with no past word, among plans for its day is one of them
  for (const m of mentions) {
    if (m.status !== 'occurred' || m.date === null) continue;
    const quote = m.evidence.find((e) => e.field === 'locality')?.quote ?? '';
    if (!PRESENT_PROGRESSIVE.test(quote) || PAST_CUES.test(quote)) continue;
    const sameDay = mentions.filter((o) => o !== m && o.date === m.date);
    if (sameDay.length >= 2 && sameDay.filter((o) => o.status === 'planned').length * 2 > sameDay.length) m.status = 'planned';
  }
  // an undated report of a place the article also dates is that dated report ("the rally" after "rallied Friday")
  for (const m of mentions) {
    if (!m.flags.includes('day_unknown')) continue;
    const dated = mentions.filter((o) => o.placeId === m.placeId && o.date_precision === 'day' && !o.flags.includes('day_unknown'));
    const days = new Set(dated.map((o) => o.date));
    if (days.size === 1) {
      m.flags = m.flags.filter((f) => f !== 'day_unknown');
      m.date = dated[0]!.date;
      m.date_precision = 'day';
      m.status = dated[0]!.status;
    }
  }
  // a list of places with no day of its own, dated by the article's main day, names reports the article then
  // gives one by one: a place it dates elsewhere to one other day is that dated report ("A, B and C also saw
  // protests. ... On Friday, protesters gathered in B"). (A lede's one place keeps the main day.)
  for (const m of mentions) {
    if (!m.flags.includes('date_from_article') || !listed.has(m) || m.geo_precision === 'country') continue;
    const dated = mentions.filter((o) => o !== m && o.placeId === m.placeId && o.status === m.status && o.date_precision === 'day' && !o.flags.includes('date_from_article') && !o.flags.includes('day_unknown'));
    const days = new Set(dated.map((o) => o.date));
    if (days.size === 1 && dated[0]!.date !== m.date) {
      m.flags = m.flags.filter((f) => f !== 'date_from_article');
      m.date = dated[0]!.date;
      m.date_precision = 'day';
    }
  }
  // "the walkouts this morning precede a rally planned at 5 p.m.": the day's report and the day's plan at one
  // place, the plan given its hour, are two actions, kept apart (a plan read in another article still joins the
  // day's event; "demonstrators will march to the square" is the same day's march)
  for (const m of mentions) {
    if (m.status === 'planned' && m.evidence.some((e) => CLOCK_TIME.test(e.quote)) && m.date !== null && (!m.flags.includes('date_from_article') || m.date === published) && mentions.some((o) => o.status === 'occurred' && o.placeId === m.placeId && o.date === m.date && o.date_precision === m.date_precision)) {
      m.flags.push(SAME_DAY_PLAN);
    }
  }
  // abroad, the region is the country's name, as coders write it ("Quebec, Canada"): a two-letter code would
  // collide with a US state's (CA is California and Canada)
  for (const m of mentions) {
    if (m.country && !US_AREAS.has(m.country)) m.region = gaz.country(m.country)?.name ?? m.country;
  }
  // a short page the relevance check did not find to be a protest report is read all the same: a human decides
  if (!report.relevant) for (const m of mentions) m.flags.push(RELEVANCE_UNSURE);
  return { mentions, flags, macroevent };
}

function dropArrests(m: Mention): void {
  m.arrests = null;
  m.arrests_text = null;
  m.evidence = m.evidence.filter((e) => e.field !== 'arrests');
}

/** The United States and its territories, whose places keep their two-letter region code. */
const US_AREAS = new Set(['US', 'PR', 'GU', 'VI', 'AS', 'MP']);

