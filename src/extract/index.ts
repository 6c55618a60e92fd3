// extract(article): the demonstrations an article reports, as mentions: one per (place, date) per sentence,
// each field with the quoted sentence it came from. Pure: the gazetteer is read-only reference data.
import { protestReport, sentencesOf } from '../core/relevance.js';
import type { Article, Mention, Place, Status } from '../core/types.js';
import { loadGazetteer, type Gazetteer } from '../resolve/gazetteer.js';
import { rankPlaces, type GeoContext } from '../resolve/geocode.js';
import { addDays, iso, monday, parseIso, yearHintOf, type DateHit } from './dates.js';
import { addEvidence, attachFacts } from './facts.js';
import { ABROAD, LANGUAGE_WORDS, NATIONWIDE, PAST_CUES } from './lexicon.js';
import { type RawPlace } from './places.js';
import { contextPlaces, licensedPlaces } from './attach.js';
import { findDateline, paragraphDatelines } from './dateline.js';
import { isEnglishWord, isFirstName } from './names.js';
import { findPrivateNames, makeRedactor } from './privacy.js';
import { type Sentence } from './text.js';
import { readUnits, runsOf, type Unit } from './units.js';

export interface ExtractResult {
  mentions: Mention[];
  /** article-level flags, e.g. "published_date_contradicts_text" */
  flags: string[];
  /** the macro-event the article is about ("National Shutdown"), if it names one */
  macroevent: string | null;
}

interface Resolved {
  raw: RawPlace;
  place: Place;
  /** the locality the event is coded to (a neighbourhood folds into its city) */
  locality: Place;
  detail: string | null;
}

type ArticleGeo = GeoContext & { countryWeights?: Record<string, number>; surnames?: Set<string>; outletTowns?: Set<string> };

interface Section {
  locality: Resolved | null;
  region: string | null;
}

const MIN_UNQUALIFIED_POP = 15000;

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
  const report = protestReport(top, null, { published });
  if (!report.relevant && (report.score === 0 || sentencesOf(top).length >= 4)) return { mentions: [], flags: ['not_a_protest_report'], macroevent: null };
  // an undated article: month-day dates take the year it writes, and weekday words count from the day of
  // the demonstrations it dates explicitly
  const hint = published ? undefined : { year: yearHintOf(text, article.url), today: opts.today ?? null };
  let { units, creditPlaces } = readUnits(article, gaz, published, hint);
  // the year the article reports from: a protest word dated to another year is a past one
  let year = published ? +published.slice(0, 4) : null;
  let anchor: DateHit | null = null;
  if (hint) {
    anchor = dominantDate(units.map((u) => ({ ...u, dates: u.dates.filter((d) => d.explicit) })), true);
    if (anchor?.date) ({ units, creditPlaces } = readUnits(article, gaz, anchor.date, hint));
    year = anchor?.date ? +anchor.date.slice(0, 4) : hint.year;
  }

  const ctx = articleContext(units);
  // the dateline's town: the home of the story, and a strong word on the article's region
  const dateline = findDateline(article, gaz);
  // else the town the outlet is named after, when the article names it
  const outletTowns = outletTownsOf(units, article.url);
  const outletRaw = units.flatMap((u) => u.scan.places).find((p) => !p.qualifier && outletTowns.has(p.text.toLowerCase()));
  const home = dateline ? resolveDateline(dateline.place, ctx) : outletRaw ? resolveDateline(outletRaw, ctx) : null;
  ctx.outletTowns = outletTowns;
  const openings = paragraphDatelines(article, gaz);
  if (home && home.locality.country === 'US') ctx.articleRegions = { ...ctx.articleRegions, [home.locality.region]: (ctx.articleRegions?.[home.locality.region] ?? 0) + 4 };
  else if (home) ctx.countryWeights = { ...ctx.countryWeights, [home.locality.country]: (ctx.countryWeights?.[home.locality.country] ?? 0) + 4 };
  const nameUnits = units.filter((u) => u.kind !== 'title' && u.kind !== 'heading');
  const redact = makeRedactor(findPrivateNames(nameUnits.map((u) => ({ ...u.sentence, tokens: u.tokens, runs: runsOf(u) })), (s) => isPlaceName(gaz, s)), text);
  // the day most reports are dated to; in an undated article, else the day its explicit dates point to
  const dominant = dominantDate(units, false, published) ?? anchor;
  const macroevent = dominantTitle(units);
  const flags: string[] = [];
  if (!published) flags.push('no_publication_date');
  // in an article about demonstrations, a photo caption that names a place shows one
  // (in a short piece, one protest sentence is enough)
  const protestArticle = units.filter((u) => u.triggers.length).length >= Math.min(3, Math.max(1, Math.ceil(units.length / 4)));
  if (protestArticle) for (const u of units) if (!u.triggers.length && u.weak.length) u.triggers = u.weak;
  // one name, one place per article: "Milan" stays in Italy after "Paris and Milan ... around the world"
  const resolvedNames = new Map<string, Resolved>();
  // mentions dated after publication with no word of the future: planned, unless the article reports them as past
  const tentative = new Set<Mention>();
  const pastAfterPublication = new Set<Mention>();

  // ---- pass 2: mentions -------------------------------------------------------------------------
  const mentions: Mention[] = [];
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
  let introBlockFuture = false;
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
    const nearby = u.scan.regions.filter((r) => r.kind === 'state').map((r) => r.region);
    const weights = { ...ctx.articleRegions };
    if (section.region) weights[section.region] = Math.max(...Object.values(weights), 1);
    const abroad = ABROAD.test(u.sentence.text);
    const geo: ArticleGeo = { ...ctx, articleRegions: weights, nearbyRegions: nearby, abroad };
    const resolved: Resolved[] = [];
    for (const raw of u.scan.places) {
      const key = raw.text.toLowerCase();
      const known = !raw.qualifier && !raw.venue ? resolvedNames.get(key) : undefined;
      const r = known ? { ...known, raw } : resolvePlace(raw, gaz, geo, section, explicitLocalities, u.sentence.start);
      if (!r) continue;
      resolved.push(r);
      if (!raw.venue && !resolvedNames.has(key)) resolvedNames.set(key, r);
    }
    // "in Los Angeles, Seattle, and DC": the District written alone is its city
    for (const m of u.sentence.text.matchAll(/(?<!Washington,?\s*)\b(?:D\.C\.|DC)(?![\w.])/g)) {
      if (resolved.some((x) => x.locality.region === 'DC')) break;
      const city = gaz.lookup('Washington').find((p) => p.region === 'DC' && p.kind === 'locality');
      if (!city) break;
      const start = u.sentence.start + m.index!;
      const raw: RawPlace = { start, end: start + m[0].length, text: m[0], cands: [city], qualifier: null, venue: null };
      resolved.push({ raw, place: city, locality: city, detail: null });
      resolved.sort((a, b) => a.raw.start - b.raw.start);
    }
    const quote = redact(u.sentence.text);
    // a line that is only a place, in a list after an event sentence: one more site of that sentence's action
    const listItem = listIntro !== null && !u.triggers.length && isPlaceLine(u, resolved);
    if (listItem) u = { ...u, triggers: listIntro!.triggers, future: listIntro!.future || introBlockFuture, dates: u.dates.length ? u.dates : listIntro!.dates.map((d) => ({ ...d, start: u.sentence.start, end: u.sentence.start })) };
    const isEventSentence = !u.background && (u.triggers.length > 0 || (protestArticle && u.kind === 'caption' && (resolved.length > 0 || u.dates.length > 0)));
    // (a sentence that announces the list, "Cities confirmed so far include:", keeps its paragraph's intro)
    const announcesList = !isEventSentence && listIntro?.block === u.block && /:\s*$/.test(u.sentence.text);
    if (!listItem && !announcesList) {
      // the list's status is its paragraph's: "Events are planned in every state. Cities confirmed include:"
      introBlockFuture = isEventSentence && listIntro?.block === u.block ? introBlockFuture || u.future : u.future;
      listIntro = isEventSentence ? u : null;
    }
    const nationwide = NATIONWIDE.test(u.sentence.text);

    // which places does this sentence report a demonstration at?
    // only the places attached to a protest word are sites; the others are context
    const context = contextPlaces(u.sentence, resolved.map((r) => ({ start: r.raw.start, end: r.raw.qualifier?.end ?? r.raw.end })), year);
    const licensed = licensedPlaces(u.sentence, resolved.map((r) => ({ start: r.raw.start, end: r.raw.qualifier?.end ?? r.raw.end, qualified: r.raw.qualifier !== null })));
    const sites = listItem ? resolved.slice(0, 1) : resolved.filter((_, k) => !context[k] && licensed[k]);
    // a town named twice in a sentence ("gathered in Fort Bragg ... to the Fort Bragg office") is one site
    let places: Resolved[] = sites.filter((r, k) => sites.findIndex((o) => o.locality.id === r.locality.id) === k);
    let inherited = false;
    // a sentence about another country ("protests in France") is not at the running place
    const namesCountry = u.scan.regions.some((r) => r.kind === 'country' && r.country !== (home?.locality.country ?? ctx.country));
    // a past nationwide action in a local story ("this nationwide protest on Saturday") happened at home too
    const localPart = nationwide && home !== null && !u.future && !plannedNationwideDays(u, published).length;
    if (!places.length && !resolved.length && isEventSentence && (!nationwide || localPart) && !namesCountry) {
      const credit = u.kind === 'caption' ? creditPlaces.get(u.block) : undefined;
      const fromCredit = credit ? resolvePlace(credit, gaz, geo, section, explicitLocalities, -1) : null;
      // (the article's sole site only for a sentence that dates its own report: "On Tuesday there were protests")
      const datedHere = u.dates.some((d) => d.date && d.precision === 'day' && !u.future);
      const fallback = localPart ? home : paraPlace ?? fromCredit ?? section.locality ?? home ?? (datedHere ? soleSite : null);
      if (fallback) {
        places = [fallback];
        inherited = true;
      }
    }
    if (sites.length) paraPlace = sites[sites.length - 1]!;
    // "Two groups faced off in Berkeley Saturday afternoon. The demonstration turned ugly": the paragraph's
    // running date is the day its scene-setting sentence gives
    if (!isEventSentence && sites.length && !u.future && !u.background && !paraDate) {
      const days = u.dates.filter((d) => d.date && d.precision === 'day');
      if (days.length === 1) paraDate = days[0]!;
    }
    // the one town an article has named as a site so far is where its unplaced reports are
    for (const r of sites) siteIds.add(r.locality.id);
    soleSite = siteIds.size === 1 ? sites[0] ?? soleSite : null;

    if (!isEventSentence) {
      // facts without a protest word ("officers arrested 12 people") belong to the demonstration the text
      // is about: the last one of this paragraph, or of the paragraph before when this one names no place
      const recent = paraMentions.length ? paraMentions : resolved.length === 0 ? lastMentions : [];
      const target = recent[recent.length - 1];
      if (target && resolved.length <= 1) attachFacts(target, u, quote, article.id, true, redact);
      continue;
    }

    const sentenceMentions: Mention[] = [];
    // "thousands took to the streets in Minneapolis and St. Paul": one count for places listed together
    const own = places.filter((p) => p.raw.start >= u.sentence.start && p.raw.end <= u.sentence.end).map((p) => p.raw);
    const listedTogether = own.length > 1 && own.length === places.length && new Set(groupPlaces(u.sentence, own).values()).size === 1;
    if (places.length) {
      let assigned = assignDates(u, places);
      // "After protests Saturday and Friday night, a march is planned Sunday": each day at the running place
      const days = [...new Map(u.dates.filter((d) => d.date && d.precision === 'day').map((d) => [d.date, d])).values()];
      if (inherited && days.length > 1) {
        places = days.map(() => places[0]!);
        assigned = days;
      }
      for (let i = 0; i < places.length; i++) {
        const p = places[i]!;
        let date = assigned[i] ?? null;
        let dateNote: string | null = null;
        if (!date && paraDate) date = paraDate;
        if (!date && dominant) {
          date = dominant;
          dateNote = 'date_from_article';
        }
        const m = newMention(article.id, p, date, published, u, dateNote, inherited);
        if (!u.future && m.date && published && m.date > published) {
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
      const days = plannedNationwideDays(u, published);
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
    else if (!nationwide && !u.future) orphans.push({ u, quote });
  }

  // protest sentences that named no place ("The demonstration drew roughly 5,000 people") describe the one
  // demonstration of an article that reports a single one: their facts are its facts
  const sites = new Set(mentions.filter((m) => m.geo_precision !== 'country').map((m) => `${m.placeId}|${m.date}`));
  if (sites.size === 1) {
    const target = mentions.find((m) => m.geo_precision !== 'country')!;
    for (const { u, quote } of orphans) attachFacts(target, u, quote, article.id, true, redact);
  }

  // one article gives one arrest count for a demonstration: the first it reports (the lede's total); later
  // figures in it are parts of the story ("three of them were released"), not rival reports
  const counted = new Set<string>();
  for (const m of mentions) {
    if (m.arrests_text === null) continue;
    const key = `${m.placeId}|${m.date}`;
    if (!counted.has(key)) {
      counted.add(key);
      continue;
    }
    m.arrests = null;
    m.arrests_text = null;
    m.evidence = m.evidence.filter((e) => e.field !== 'arrests');
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
  // abroad, the region is the country's name, as coders write it ("Toronto, Canada"): a two-letter code would
  // collide with a US state's (CA is California and Canada)
  for (const m of mentions) {
    if (m.country && !US_AREAS.has(m.country)) m.region = gaz.country(m.country)?.name ?? m.country;
  }
  return { mentions, flags, macroevent };
}

/** The United States and its territories, whose places keep their two-letter region code. */
const US_AREAS = new Set(['US', 'PR', 'GU', 'VI', 'AS', 'MP']);

// ---------------------------------------------------------------------------------------------------




function dominantTitle(units: Unit[]): string | null {
  const counts = new Map<string, number>();
  for (const u of units) if (u.title) counts.set(u.title, (counts.get(u.title) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [t, c] of counts) if (c > n) [best, n] = [t, c];
  return best;
}

/** The day most demonstrations in the article are dated to: the default for sentences with no date. */
function dominantDate(units: Unit[], withPlans = false, published: string | null = null): DateHit | null {
  // a report is of the days just before publication: an explicit date weeks earlier is more often background
  const recent = (d: string) => !published || (d <= published && d >= iso(addDays(parseIso(published)!, -6)));
  const counts = new Map<string, { n: number; hit: DateHit }>();
  for (const u of units) {
    if (!u.triggers.length) continue;
    for (const d of u.dates) {
      if (!d.date || d.precision !== 'day' || (u.future && !withPlans)) continue;
      const w = (d.explicit ? 2 : 1) + (recent(d.date) ? 1 : 0);
      const c = counts.get(d.date);
      if (c) c.n += w;
      else counts.set(d.date, { n: w, hit: d });
    }
  }
  let best: DateHit | null = null;
  let n = 0;
  for (const { n: c, hit } of counts.values()) if (c > n) [best, n] = [hit, c];
  return best;
}

const COUNTY_NAME = /\b(?:(?:St\.|Saint|San|Santa|Los|Las|El|La|De|Fond du|Prince)\s)?[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s(?:County|Parish|Borough)\b/g;

/**
 * Towns the article names that its outlet is named after: a local paper's site carries its town
 * ("townnamepost.org", "news.townname-times.com"). Such a town is the article's home, however small.
 */
function outletTownsOf(units: Unit[], url: string | null): Set<string> {
  const out = new Set<string>();
  let host = '';
  try {
    host = url ? new URL(url).hostname.toLowerCase().replace(/^www\./, '') : '';
  } catch {
    return out;
  }
  const labels = host.split('.').slice(0, -1).join('.').replace(/[^a-z.]/g, '');
  if (!labels) return out;
  for (const u of units) {
    for (const p of u.scan.places) {
      const compact = p.text.toLowerCase().replace(/['’]s$/, '').replace(/[^a-z]/g, '');
      if (compact.length >= 5 && labels.split('.').some((l) => l.startsWith(compact))) out.add(p.text.toLowerCase());
    }
  }
  return out;
}

/** Regions the article is about, from qualified places, states named, and big unambiguous cities. */
function articleContext(units: Unit[]): ArticleGeo {
  const weights: Record<string, number> = {};
  const countryWeights: Record<string, number> = {};
  const countries: Record<string, number> = {};
  const add = (region: string | null, w: number) => {
    if (region) weights[region] = (weights[region] ?? 0) + w;
  };
  for (const u of units) {
    for (const r of u.scan.regions) {
      if (r.kind === 'state') add(r.region, u.kind === 'heading' ? 3 : 1);
      else countryWeights[r.country] = (countryWeights[r.country] ?? 0) + 1;
      countries[r.country] = (countries[r.country] ?? 0) + 1;
    }
    for (const p of u.scan.places) {
      if (p.qualifier?.region) {
        if (p.qualifier.country === 'US') add(p.qualifier.region, 2);
        else countryWeights[p.qualifier.country] = (countryWeights[p.qualifier.country] ?? 0) + 2;
        countries[p.qualifier.country] = (countries[p.qualifier.country] ?? 0) + 2;
        continue;
      }
      const ranked = rankPlaces(p.cands, {});
      const top = ranked[0]?.place;
      if (top && top.population >= 100000 && (ranked.length < 2 || ranked[1]!.place.population * 5 < top.population)) {
        if (top.country === 'US') add(top.region, 1);
        else countryWeights[top.country] = (countryWeights[top.country] ?? 0) + 1;
        countries[top.country] = (countries[top.country] ?? 0) + 1;
      }
    }
  }
  const country = Object.entries(countries).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'US';
  // "Fillmore County", "Orleans Parish": the counties the article names settle namesakes inside them
  const counties = new Set<string>();
  for (const u of units) for (const m of u.sentence.text.matchAll(COUNTY_NAME)) counties.add(m[0].toLowerCase());
  // "Mike Lawler": a word that ends a first-name-led name is a surname in this article, not a town
  const surnames = new Set<string>();
  for (const u of units) {
    for (const run of runsOf(u)) {
      for (let k = 0; k + 1 < run.length; k++) if (isFirstName(run[k]!.text) && run[k + 1]!.gap === '') surnames.add(run[k + 1]!.text.replace(/['’]s$/, ''));
    }
  }
  return { articleRegions: weights, countryWeights, country, counties: [...counties], surnames };
}

function isLocalityKind(p: Place): boolean {
  return p.kind === 'locality' || p.kind === 'neighbourhood';
}

function isPlaceName(gaz: Gazetteer, s: string): boolean {
  return gaz.lookup(s).length > 0;
}

function resolvePlace(raw: RawPlace, gaz: Gazetteer, ctx: ArticleGeo, section: Section, explicit: Set<string>, sentenceStart: number): Resolved | null {
  const cands = raw.cands.filter(isLocalityKind);
  if (!cands.length) return null;
  const q = raw.qualifier;
  let pool = cands;
  if (q) {
    const filtered = cands.filter((c) => (q.region ? c.region === q.region : true) && c.country === q.country);
    if (!filtered.length) return null;
    pool = filtered;
  }
  const best = rankSplit(pool, { ...ctx, region: q?.region ?? null })[0]?.place;
  if (!best) return null;
  const locality = best.kind === 'neighbourhood' && best.parentId ? gaz.byId(best.parentId) ?? best : best;

  if (raw.venue) {
    // "Pasadena City College": a town only named inside a venue must agree with what the article says
    const sec = section.locality?.locality;
    const ok = sec
      ? sec.id === locality.id
      : section.region
        ? section.region === locality.region && locality.population >= 20000
        : explicit.has(raw.text.toLowerCase()) || (isLandmarkOfTown(raw.venue) && !isEnglishWord(raw.text) && locality.population >= 100000 && rankSplit(pool, ctx)[0]?.place === best);
    if (!ok) return null;
    return { raw, place: best, locality, detail: raw.venue };
  }
  if (!q) {
    if (LANGUAGE_WORDS.has(raw.text)) return null;
    const nearby = ctx.nearbyRegions ?? [];
    if (!raw.text.includes(' ') && locality.population < 100000 && ctx.surnames?.has(raw.text.replace(/['’]s$/, ''))) return null;
    const inContext =
      ctx.outletTowns?.has(raw.text.toLowerCase()) ||
      (locality.country === 'US' && locality.county !== null && (ctx.counties ?? []).includes(locality.county.toLowerCase())) ||
      (locality.country === 'US'
        ? nearby.includes(locality.region) || section.region === locality.region || (ctx.articleRegions?.[locality.region] ?? 0) >= 2
        : (ctx.countryWeights?.[locality.country] ?? 0) >= 1);
    // a capitalised first word of a sentence ("Young girl holds ...") needs a big town to count
    const minPop = raw.start === sentenceStart && !raw.text.includes(' ') ? 100000 : MIN_UNQUALIFIED_POP;
    const bigEnough = best.kind === 'locality' && best.population >= minPop;
    // a name only one state has ("in Mattapoisett"), after a locative preposition, is that town however small
    const oneState = new Set(pool.map((c) => `${c.country}:${c.region}`)).size === 1 && /^(?:in|at|near|outside)$/.test(raw.before ?? '');
    if (!inContext && !bigEnough && !oneState) return null;
    // a town named like a word or a person ("Hope", "Liberal", "Save", "Howard") needs its state named nearby
    const word = raw.text.replace(/^The\s+/, '');
    const single = !word.includes(' ');
    // (a first name right after "in" or "at" is the town: "in Lawrence")
    const afterPreposition = /^(?:in|at|near|outside)$/.test(raw.before ?? '');
    const wordLike = single && (isEnglishWord(word) || (isFirstName(word) && !afterPreposition));
    const stateNearby =
      nearby.includes(locality.region) || section.region === locality.region || (ctx.counties ?? []).includes((locality.county ?? '').toLowerCase());
    if (wordLike && !stateNearby && locality.population < 100000) return null;
    // in an article from abroad, a small US town must be in a state the article names
    if (locality.country === 'US' && ctx.country && ctx.country !== 'US' && !inContext && locality.population < 100000) return null;
    // under a heading that names a state or city, a small town of another state is a different thing
    if (section.region && (section.region !== locality.region || locality.country !== 'US') && locality.population < 100000 && !nearby.includes(locality.region)) return null;
  }
  const detail = best !== locality ? best.name : null;
  return { raw, place: best, locality, detail };
}

/**
 * Ranks US and foreign candidates apart and then together: US state codes and ISO country codes share
 * two letters ("CA" is California and Canada), so a region weight may only count for places of its kind.
 */
function rankSplit(pool: Place[], ctx: GeoContext & { countryWeights?: Record<string, number> }): Array<{ place: Place; score: number }> {
  const us = pool.filter((p) => p.country === 'US');
  const foreign = pool.filter((p) => p.country !== 'US');
  const foreignCtx: GeoContext = { ...ctx, articleRegions: ctx.countryWeights ?? {}, nearbyRegions: [] };
  if (ctx.region && foreign.some((p) => p.country === ctx.region)) foreignCtx.region = ctx.region;
  else if (ctx.region) foreignCtx.region = null;
  return [...rankPlaces(us, ctx), ...rankPlaces(foreign, foreignCtx)].sort((a, b) => b.score - a.score || b.place.population - a.place.population);
}

/** "Philadelphia City Hall", "Denver Public Library": a town's own landmark (not "Pasadena City College"). */
function isLandmarkOfTown(venue: string): boolean {
  return /\b(?:City Hall|Town Hall|City Council|Public Library|Civic Center|Convention Center|Federal Building|Courthouse|Police Headquarters)$/.test(venue);
}

/** A dateline names a place by its position: its namesakes are ranked by the article, never refused for size. */
function resolveDateline(raw: RawPlace, ctx: ArticleGeo): Resolved | null {
  const pool = raw.cands.filter(isLocalityKind);
  const best = rankSplit(pool, { ...ctx, region: raw.qualifier?.region ?? null })[0]?.place;
  if (!best) return null;
  const locality = best.kind === 'neighbourhood' && best.parentId ? loadGazetteer().byId(best.parentId) ?? best : best;
  return { raw, place: best, locality, detail: best !== locality ? best.name : null };
}

/** "- Portland, Oregon", "2. Chicago, Illinois – noon at Federal Plaza": a list item that starts with a place. */
function isPlaceLine(u: Unit, resolved: Resolved[]): boolean {
  const first = resolved[0];
  if (!first || u.tokens.length > 12) return false;
  const lead = u.sentence.text.slice(0, first.raw.start - u.sentence.start);
  return /^[\s\-–—•*·]*(?:\d{1,3}[.)]\s*)?$/.test(lead) && (lead.trim() !== '' || u.tokens.length <= 6);
}

function headingSection(u: Unit, gaz: Gazetteer, ctx: ArticleGeo): Section {
  const st = u.scan.regions.find((r) => r.kind === 'state');
  const raw = u.scan.places[0];
  if (raw) {
    const r = resolvePlace(raw, gaz, { ...ctx, nearbyRegions: st ? [st.region] : [] }, { locality: null, region: null }, new Set(), -1);
    if (r) return { locality: r, region: r.locality.region };
  }
  if (st) return { locality: null, region: st.region };
  return { locality: null, region: null };
}

/**
 * Gives each place in the sentence the date written nearest to it, unless another group of places stands
 * between them ("in Chicago, Boston and Denver on Saturday" dates all three; "in Los Angeles, where ...
 * a protest in St. Paul earlier this month" dates only St. Paul).
 */
function assignDates(u: Unit, places: Resolved[]): Array<DateHit | null> {
  const dates = u.dates.filter((d) => d.date);
  if (!dates.length) return places.map(() => null);
  const own = places.map((p) => p.raw);
  if (own.some((r) => r.start < u.sentence.start || r.end > u.sentence.end)) {
    // inherited place: the sentence's own date, if it has exactly one
    return places.map(() => (dates.length >= 1 ? dates[0]! : null));
  }
  const groups = groupPlaces(u.sentence, own);
  const all = [...new Set(groups.values())];
  return places.map((p) => {
    const g = groups.get(p.raw)!;
    let best: DateHit | null = null;
    let bestDist = Infinity;
    let after: DateHit | null = null;
    for (const d of dates) {
      const dist = d.start >= g.end ? d.start - g.end : g.start - d.end;
      // another group between the date and this one?
      const lo = Math.min(d.start, g.start);
      const hi = Math.max(d.end, g.end);
      const blocked = all.some((o) => o !== g && o.start > lo && o.end < hi);
      if (blocked) continue;
      if (d.start >= g.end && (!after || d.start < after.start)) after = d;
      if (dist < bestDist) [best, bestDist] = [d, dist];
    }
    // "In London, thousands marched on Saturday, while in Berlin they gathered on Sunday": a date between the
    // previous group and this one is the previous group's when this one has its own date after it
    if (best && after && best !== after && best.end <= g.start && all.some((o) => o !== g && o.end <= best!.start)) return after;
    return best;
  });
}

/** Places listed together ("New York, San Francisco, Minneapolis and Portland") form one group. */
function groupPlaces(s: Sentence, raws: RawPlace[]): Map<RawPlace, { start: number; end: number }> {
  const sorted = [...raws].sort((a, b) => a.start - b.start);
  const map = new Map<RawPlace, { start: number; end: number }>();
  let cur: { start: number; end: number } | null = null;
  let prevEnd = -1;
  for (const r of sorted) {
    const between = prevEnd >= 0 ? s.text.slice(prevEnd - s.start, r.start - s.start) : '';
    const listed = cur && /^(?:,\s*(?:[A-Z][\w.]*(?:\s[A-Z][\w.]*)?,?\s*)?(?:and|or)?\s*|\s+(?:and|or)\s+)$/.test(between);
    if (!cur || !listed) {
      cur = { start: r.start, end: r.qualifier?.end ?? r.end };
    } else {
      cur.end = r.qualifier?.end ?? r.end;
    }
    map.set(r, cur);
    prevEnd = r.qualifier?.end ?? r.end;
  }
  return map;
}

function statusOf(u: Unit, date: DateHit | null, published: string | null): Status {
  if (u.future && (!date?.date || !published || date.date >= published)) return 'planned';
  return 'occurred';
}

function emptyMention(articleId: string): Mention {
  return {
    articleId,
    date: null,
    date_precision: 'day',
    status: 'occurred',
    locality: null,
    region: null,
    country: null,
    county: null,
    fips: null,
    lat: null,
    lon: null,
    geo_precision: 'locality',
    placeId: null,
    location_detail: [],
    event_type: [],
    macroevent: null,
    title: null,
    organizations: [],
    claims: [],
    size_text: null,
    size_low: null,
    size_high: null,
    arrests: null,
    arrests_text: null,
    injuries_text: null,
    police_measures: [],
    property_damage: [],
    evidence: [],
    confidence: 0.5,
    flags: [],
  };
}

function newMention(
  articleId: string,
  p: Resolved,
  date: DateHit | null,
  published: string | null,
  u: Unit,
  dateNote: string | null,
  inherited: boolean,
): Mention {
  const m = emptyMention(articleId);
  const loc = p.locality;
  m.locality = loc.name;
  m.region = loc.region;
  m.country = loc.country;
  m.county = loc.county;
  m.fips = loc.fips;
  m.lat = loc.lat;
  m.lon = loc.lon;
  m.placeId = loc.id;
  m.geo_precision = 'locality';
  if (p.detail) m.location_detail.push(p.detail);
  if (date?.date) {
    m.date = date.date;
    m.date_precision = date.precision;
  } else if (published) {
    // no day can be read: the report is of the week the article was written in (the week of the day before
    // publication), said at that precision and flagged, never a made-up day
    m.date = iso(monday(addDays(parseIso(published)!, -1)));
    m.date_precision = 'week';
    m.flags.push('day_unknown');
  }
  if (dateNote) m.flags.push(dateNote);
  m.status = statusOf(u, date, published);
  let conf = 0.9;
  if (inherited) conf -= 0.15;
  if (p.raw.venue) conf -= 0.1;
  if (dateNote || !date) conf -= 0.1;
  if (!p.raw.qualifier && p.locality.population < MIN_UNQUALIFIED_POP) conf -= 0.1;
  m.confidence = Math.round(conf * 100) / 100;
  m.title = u.title;
  return m;
}

/** Words that call for a nationwide action to come: "join", "the next national day of action", "tomorrow". */
const CALL_CUES = /\b(?:join|next|tomorrow|upcoming|calls? for|called for|set to|are set|is set)\b/i;

/**
 * The days of a nationwide action that a sentence announces: days not before publication, in a sentence that
 * speaks of the future or calls people to it (with no publication date, the call alone decides).
 */
function plannedNationwideDays(u: Unit, published: string | null): DateHit[] {
  const calls = u.future || CALL_CUES.test(u.sentence.text);
  const days = u.dates.filter((h) => h.date && h.precision === 'day' && (!published || h.date >= published));
  return days.filter((h) => (published && h.date! > published && h.explicit) || (calls && (!published || h.date! > published || u.future)));
}

function nationwideMention(articleId: string, d: DateHit, u: Unit, country: string): Mention {
  const m = emptyMention(articleId);
  m.date = d.date;
  m.date_precision = d.precision;
  m.status = 'planned';
  m.region = country;
  m.country = country;
  m.geo_precision = 'country';
  m.placeId = `country:${country}`;
  m.location_detail.push('nationwide');
  m.confidence = 0.7;
  m.title = u.title;
  return m;
}

