// The article as context for its sentences: the regions and countries it is about, the counties it names, the
// surnames it uses, the towns its outlet is named after, and the day most of its reports are dated to. Pure.
import { rankPlaces, type GeoContext } from '../resolve/geocode.js';
import { addDays, iso, parseIso, type DateHit } from './dates.js';
import { isFirstName } from './names.js';
import { runsOf, type Unit } from './units.js';

export type ArticleGeo = GeoContext & { countryWeights?: Record<string, number>; surnames?: Set<string>; outletTowns?: Set<string> };

/**
 * A copy of an article's context with the given fields set (those left undefined are kept). Written out field
 * by field, every field of ArticleGeo (the type checks that none is left out): V8 builds `{ ...ctx, region }` on
 * a slow path that costs microseconds, and a sentence's places ask for several such copies.
 */
export function geoWith(ctx: ArticleGeo, set: Pick<ArticleGeo, 'region' | 'nearbyRegions' | 'articleRegions' | 'abroad'>): ArticleGeo {
  return {
    region: set.region !== undefined ? set.region : ctx.region,
    nearbyRegions: set.nearbyRegions ?? ctx.nearbyRegions,
    articleRegions: set.articleRegions ?? ctx.articleRegions,
    country: ctx.country,
    abroad: set.abroad ?? ctx.abroad,
    counties: ctx.counties,
    countryWeights: ctx.countryWeights,
    surnames: ctx.surnames,
    outletTowns: ctx.outletTowns,
  } satisfies Record<keyof ArticleGeo, unknown>;
}

export function dominantTitle(units: Unit[]): string | null {
  const counts = new Map<string, number>();
  for (const u of units) if (u.title) counts.set(u.title, (counts.get(u.title) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [t, c] of counts) if (c > n) [best, n] = [t, c];
  return best;
}

/** Days before publication past which an explicit day does not date the page's undated reports. */
const STALE_DAYS = 6;

/** The day most demonstrations in the article are dated to: the default for sentences with no date. */
export function dominantDate(units: Array<Pick<Unit, 'triggers' | 'dates' | 'future'>>, withPlans = false, published: string | null = null): DateHit | null {
  // a report is of the days just before publication; a day more than a week before the page is background ("the
  // first since the attack on Aug. 12", in a live blog), and a day after it counts less
  const stale = published ? iso(addDays(parseIso(published)!, -STALE_DAYS)) : null;
  const counts = new Map<string, { n: number; hit: DateHit }>();
  for (const u of units) {
    if (!u.triggers.length) continue;
    for (const d of u.dates) {
      if (!d.date || d.precision !== 'day' || (u.future && !withPlans) || (stale && d.date < stale)) continue;
      const w = (d.explicit ? 2 : 1) + (!published || d.date <= published ? 1 : 0);
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

export const COUNTY_NAME = /\b(?:(?:St\.|Saint|San|Santa|Los|Las|El|La|De|Fond du|Prince)\s)?[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s(?:County|Parish|Borough)\b/g;

/**
 * Towns the article names that its outlet is named after: a local paper's site carries its town
 * ("townnamepost.org", "news.townname-times.com"). Such a town is the article's home, however small.
 */
export function outletTownsOf(units: Unit[], url: string | null): Set<string> {
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
      if (compact.length >= 5 && labels.split('.').some((l) => l.startsWith(compact) || l.endsWith(compact))) out.add(p.text.toLowerCase());
    }
  }
  return out;
}

/** Regions the article is about, from qualified places, states named, and big unambiguous cities. */
export function articleContext(units: Unit[]): ArticleGeo {
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
    for (const st of u.scan.namedStates) add(st, 0.5);
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
  for (const u of units) {
    const t = u.sentence.text;
    // (every match ends with one of these words: a sentence without them is spared the pattern)
    if (!t.includes('County') && !t.includes('Parish') && !t.includes('Borough')) continue;
    for (const m of t.matchAll(COUNTY_NAME)) counties.add(m[0].toLowerCase());
  }
  // "Mike Lawler": a word that ends a first-name-led name is a surname in this article, not a town
  const surnames = new Set<string>();
  for (const u of units) {
    for (const run of runsOf(u)) {
      for (let k = 0; k + 1 < run.length; k++) if (isFirstName(run[k]!.text) && run[k + 1]!.gap === '') surnames.add(run[k + 1]!.text.replace(/['’]s$/, ''));
    }
  }
  return { articleRegions: weights, countryWeights, country, counties: [...counties], surnames };
}
