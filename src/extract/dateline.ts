// The dateline: the place in capitals that opens a news story ("BRATTLEBORO, Vt. — About 400 people rallied",
// "KANSAS CITY, Mo. —", "PHOENIX (AP) —", "RALEIGH, NORTH CAROLINA:"). It is where the story was reported from:
// the place of the demonstrations its lede reports without naming a place, and the article's home region.
import type { Article } from '../core/types.js';
import type { Gazetteer } from '../resolve/gazetteer.js';
import { isEnglishWord } from './names.js';
import type { RawPlace } from './places.js';
import { MIN_UNQUALIFIED_POP } from './resolve.js';

export interface Dateline {
  place: RawPlace;
  /** index of the block it opens */
  block: number;
}

// NAME[, State][ (Agency)][, 1/21/26] — ; the name in capitals, the state as written
const DATELINE =
  /^(?:\s*date\s+\d{4}-\d{2}-\d{2}\s+)?\s*([A-Z][A-Z.'’-]*(?:\s+[A-Z][A-Z.'’-]*){0,3})(?:,\s*([A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*){0,2}?)\.?,?)?\s*(?:\([^)\n]{1,40}\)\s*)?(?:,?\s*[\d/.]{6,10}\s*)?(?:[—–:]|--?\s)/;

/** The dateline of the first paragraphs, if one opens a paragraph and names a town the gazetteer knows. */
export function findDateline(article: Article, gaz: Gazetteer): Dateline | null {
  let seen = 0;
  for (let b = 0; b < article.blocks.length && seen < 4; b++) {
    const block = article.blocks[b]!;
    if (block.kind !== 'paragraph' && block.kind !== 'title') continue;
    seen++;
    const d = datelineAt(article, gaz, b) ?? localeLine(article, gaz, b);
    if (d) return d;
  }
  return null;
}

/** Every paragraph that opens with a dateline, by block: a roundup's "CHICAGO—About 10,000 marched ...". */
export function paragraphDatelines(article: Article, gaz: Gazetteer): Map<number, Dateline> {
  const out = new Map<number, Dateline>();
  article.blocks.forEach((block, b) => {
    if (block.kind !== 'paragraph') return;
    const d = datelineAt(article, gaz, b);
    if (d) out.set(b, d);
  });
  return out;
}

// a line of its own that is only a town's name, above or below the headline: the site's locale ("Fresno")
const LOCALE_LINE = /^\s*(?:date\s+\d{4}-\d{2}-\d{2}\s+)?([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,3})\s*$/;

/** A page's locale line, when it names a sizeable town that is no English word. */
function localeLine(article: Article, gaz: Gazetteer, b: number): Dateline | null {
  const block = article.blocks[b]!;
  if (block.end - block.start > 60) return null;
  const m = LOCALE_LINE.exec(article.text.slice(block.start, block.end));
  if (!m || isEnglishWord(m[1]!)) return null;
  const cands = gaz.lookup(m[1]!).filter((p) => p.kind === 'locality' && p.population >= MIN_UNQUALIFIED_POP);
  if (!cands.length) return null;
  const start = block.start + m.index! + m[0].indexOf(m[1]!);
  return { place: { start, end: start + m[1]!.length, text: m[1]!, cands, qualifier: null, venue: null }, block: b };
}

function datelineAt(article: Article, gaz: Gazetteer, b: number): Dateline | null {
  const block = article.blocks[b]!;
  {
    const head = article.text.slice(block.start, Math.min(block.end, block.start + 120));
    const m = DATELINE.exec(head);
    if (!m || m[1]!.replace(/[^A-Z]/g, '').length < 3) return null;
    const name = m[1]!.replace(/\s+/g, ' ').trim();
    const qual = m[2] ? gaz.state(m[2].replace(/\s+/g, ' ').trim()) : null;
    const country = m[2] && !qual ? gaz.country(m[2].trim()) : null;
    if (m[2] && !qual && !country) return null;
    let cands = gaz.lookup(name).filter((p) => p.kind === 'locality' || p.kind === 'neighbourhood');
    if (qual) cands = cands.filter((p) => p.region === qual.code && p.country === 'US');
    else if (country) cands = cands.filter((p) => p.country === country.code);
    if (!cands.length) return null;
    const start = block.start + head.indexOf(m[1]!);
    const qualifier = qual
      ? { region: qual.code, country: 'US', start, end: start + m[0].length }
      : country
        ? { region: country.code === 'US' ? null : country.code, country: country.code, start, end: start + m[0].length }
        : null;
    return { place: { start, end: start + m[1]!.length, text: name, cands, qualifier, venue: null }, block: b };
  }
  return null;
}
