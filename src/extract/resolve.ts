// Which town a name in a sentence is, in the article's context: qualifiers, sections, datelines, counties and
// outlets decide among namesakes; words, first names and surnames are refused as towns unless the context
// names their state. Pure: the gazetteer is read-only reference data.
import type { Place } from '../core/types.js';
import { loadGazetteer, type Gazetteer } from '../resolve/gazetteer.js';
import { rankPlaces, type GeoContext } from '../resolve/geocode.js';
import { geoWith, type ArticleGeo } from './context.js';
import { LANGUAGE_WORDS } from './lexicon.js';
import { isEnglishWord, isFirstName } from './names.js';
import type { RawPlace } from './places.js';
import type { Unit } from './units.js';

export interface Resolved {
  raw: RawPlace;
  place: Place;
  /** the locality the event is coded to (a neighbourhood folds into its city) */
  locality: Place;
  detail: string | null;
}

export interface Section {
  locality: Resolved | null;
  region: string | null;
}

export const MIN_UNQUALIFIED_POP = 15000;

/** The words before a name that make it a place: "in Marion", "outside Oneonta", "downtown Oneonta". */
const LOCATIVE = /^(?:in|at|near|outside|downtown)$/;

export function isLocalityKind(p: Place): boolean {
  return p.kind === 'locality' || p.kind === 'neighbourhood';
}

export function isPlaceName(gaz: Gazetteer, s: string): boolean {
  return gaz.lookup(s).length > 0;
}

export function resolvePlace(raw: RawPlace, gaz: Gazetteer, ctx: ArticleGeo, section: Section, explicit: Set<string>, sentenceStart: number): Resolved | null {
  const cands = raw.cands.filter(isLocalityKind);
  if (!cands.length) return null;
  const q = raw.qualifier;
  let pool = cands;
  if (q) {
    const filtered = cands.filter((c) => (q.region ? c.region === q.region : true) && c.country === q.country);
    if (!filtered.length) return null;
    pool = filtered;
  }
  const best = rankSplit(pool, geoWith(ctx, { region: q?.region ?? null }))[0]?.place;
  if (!best) return null;
  const locality = best.kind === 'neighbourhood' && best.parentId ? gaz.byId(best.parentId) ?? best : best;

  if (raw.venue) {
    // "Modesto Junior College": a town only named inside a venue must agree with what the article says
    const sec = section.locality?.locality;
    const ok = sec
      ? sec.id === locality.id
      : section.region
        ? section.region === locality.region && locality.population >= 20000
        : explicit.has(raw.text.toLowerCase().replace(/['’]s$/, '')) || (isLandmarkOfTown(raw.venue) && !isEnglishWord(raw.text) && locality.population >= 100000 && rankSplit(pool, ctx)[0]?.place === best);
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
    // a name only one state has ("in Oneonta", "downtown Oneonta"), after a locative word, is that town however small
    const oneState = new Set(pool.map((c) => `${c.country}:${c.region}`)).size === 1 && LOCATIVE.test(raw.before ?? '');
    if (!inContext && !bigEnough && !oneState) return null;
    // a town named like a word or a person ("Hope", "Liberal", "Save", "Howard") needs its state named nearby
    const word = raw.text.replace(/^The\s+/, '');
    const single = !word.includes(' ');
    // (a first name right after "in" or "at" is the town: "in Marion")
    const afterPreposition = LOCATIVE.test(raw.before ?? '');
    const wordLike = single && (isEnglishWord(word) || (isFirstName(word) && !afterPreposition));
    const stateNearby =
      nearby.includes(locality.region) || section.region === locality.region || (ctx.counties ?? []).includes((locality.county ?? '').toLowerCase());
    if (wordLike && !stateNearby && locality.population < 100000) return null;
    // in an article from abroad, a small US town must be in a state the article names
    const stateNamed = (ctx.articleRegions?.[locality.region] ?? 0) >= 1;
    if (locality.country === 'US' && ctx.country && ctx.country !== 'US' && !inContext && !stateNamed && locality.population < 100000) return null;
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
export function rankSplit(pool: Place[], ctx: GeoContext & { countryWeights?: Record<string, number> }): Array<{ place: Place; score: number }> {
  const us = pool.filter((p) => p.country === 'US');
  const foreign = pool.filter((p) => p.country !== 'US');
  // (one side alone comes out of rankPlaces in its final order: sorted by score, population and id, which the
  // stable sort below by score and population keeps)
  if (!foreign.length) return rankPlaces(us, ctx);
  // (the fields rankPlaces reads, written out: see geoWith)
  const foreignCtx: GeoContext = { region: ctx.region, nearbyRegions: [], articleRegions: ctx.countryWeights ?? {}, country: ctx.country, abroad: ctx.abroad, counties: ctx.counties };
  if (ctx.region && foreign.some((p) => p.country === ctx.region)) foreignCtx.region = ctx.region;
  else if (ctx.region) foreignCtx.region = null;
  if (!us.length) return rankPlaces(foreign, foreignCtx);
  return [...rankPlaces(us, ctx), ...rankPlaces(foreign, foreignCtx)].sort((a, b) => b.score - a.score || b.place.population - a.place.population);
}

/** "Tulsa City Hall", "Fresno Public Library": a town's own landmark (not "Modesto Junior College"). */
export function isLandmarkOfTown(venue: string): boolean {
  return /\b(?:City Hall|Town Hall|City Council|Public Library|Civic Center|Convention Center|Federal Building|Courthouse|Police Headquarters)$/.test(venue);
}

/** A dateline names a place by its position: its namesakes are ranked by the article, never refused for size. */
export function resolveDateline(raw: RawPlace, ctx: ArticleGeo): Resolved | null {
  const pool = raw.cands.filter(isLocalityKind);
  const best = rankSplit(pool, geoWith(ctx, { region: raw.qualifier?.region ?? null }))[0]?.place;
  if (!best) return null;
  const locality = best.kind === 'neighbourhood' && best.parentId ? loadGazetteer().byId(best.parentId) ?? best : best;
  return { raw, place: best, locality, detail: best !== locality ? best.name : null };
}

export function headingSection(u: Unit, gaz: Gazetteer, ctx: ArticleGeo): Section {
  const st = u.scan.regions.find((r) => r.kind === 'state');
  const raw = u.scan.places[0];
  if (raw) {
    const r = resolvePlace(raw, gaz, geoWith(ctx, { nearbyRegions: st ? [st.region] : [] }), { locality: null, region: null }, new Set(), -1);
    if (r) return { locality: r, region: r.locality.region };
  }
  if (st) return { locality: null, region: st.region };
  return { locality: null, region: null };
}
