// Line classification shared by the text and HTML paths: furniture, credits, captions, headings, title.
// Input lines are already trimmed; output pieces are ranges inside each line (a line may hold a credit glued
// to a caption, so one line can yield two pieces). Rules are general: nothing here names a site or a story.

import type { Block, BlockKind } from '../core/types.js';
import { findFullDate, findMonthDay, isDateOnlyLine } from './dates.js';
import type { PublishedSource } from '../core/types.js';

export interface Line {
  /** trimmed text of the line */
  text: string;
  /** a kind known from markup (HTML tag, markdown "#"), or null */
  hint: BlockKind | null;
  /** 0 for the first line, 1 when directly after the previous line, 2 after a blank line */
  gap: number;
}

export interface Piece {
  kind: BlockKind;
  /** offsets inside the line's text */
  start: number;
  end: number;
}

// ---------------------------------------------------------------- furniture

const BULLET = /^[•·▪●◦‣∙*>+\-–—]+\s*/;

const FURNITURE_EXACT = new RegExp(
  '^(?:' +
    [
      'top of (?:the )?page', 'bottom of (?:the )?page', 'back to top', 'skip to (?:the )?(?:main )?(?:content|navigation|article)',
      'comments?', '\\d+ comments?', 'comments? \\(\\d+\\)', '(?:view|show|hide|load) comments', 'leave a (?:comment|reply)',
      'join the (?:conversation|discussion)', 'share', 'shares?', 'share (?:this|the) (?:article|story|post|page)',
      'share (?:on|via) \\w+', 'share this', 'advertisement', 'advert', 'ad', 'sponsored(?: content)?', 'paid content',
      'read more', 'read next', 'read the full story', 'more stories', 'more from \\w+(?: \\w+)?',
      'related(?: articles| stories| content| coverage| links)?', 'recommended(?: for you)?', 'trending(?: now)?',
      'most (?:popular|read)', 'continue reading', 'show more', 'load more', 'see more', 'view more', 'print',
      'email', 'e-mail', 'copy link', 'link copied', 'copied', 'facebook', 'twitter', 'x', 'linkedin', 'whatsapp',
      'reddit', 'pinterest', 'telegram', 'instagram', 'youtube', 'tiktok', 'bluesky', 'threads', 'flipboard',
      'menu', 'search', 'home', 'close', 'open', 'log ?in', 'sign ?in', 'log ?out', 'sign ?out', 'register',
      'subscribe', 'newsletter', 'newsletters', 'follow', 'follow us', 'listen', 'listen to (?:this )?(?:article|story)',
      'play', 'pause', 'loading', 'image', 'photo', 'video', 'gallery', 'photos', 'tags?', 'topics?', 'filed under',
      'next', 'previous', 'prev', 'next article', 'previous article', 'open in app', 'download the app', 'accept',
      'accept all', 'reject all', 'cookies?', 'cookie settings', 'privacy policy', 'terms of (?:use|service)',
      'contact us', 'about us', 'site map', 'sitemap', 'jump to', 'expand', 'collapse', 'view gallery',
      'watch', 'watch live', 'live', 'breaking', 'breaking news', 'donate', 'support us', 'report an error',
    ].join('|') +
    ')$',
);

const FURNITURE_PREFIX =
  /^(?:sign up|signup|subscribe (?:to|for|now)|follow us|follow @|join our|get our|get the latest|download (?:our|the)|by clicking|by signing up|we use cookies|this (?:site|website) uses cookies|all rights reserved|copyright\b|©|\(c\) \d{4}|click here|tap here|image \d+ of \d+|photo \d+ of \d+|slide \d+ of|read more:|related:|see also:|also read:?|more:|recommended:|watch:|listen:|you might also like|you may also like|don't miss|more on this story|this article (?:was|is) (?:originally )?(?:published|produced)|support (?:our|independent) journalism|already a subscriber|create (?:a free |an )?account)/;

const READ_TIME = /^(?:\d+\s*(?:min(?:ute)?s?|mins?)\.?\s*(?:read|listen|watch)(?:ing)?(?: time)?|(?:reading|read|listening) time:?\s*\d+\s*(?:min(?:ute)?s?|mins?)\.?)$/;
const STAMP_LABEL = /^(?:updated|last updated|published|first published|originally published|posted|modified|last modified)\b/;
const BYLINE = /^By\s+\p{Lu}/u;
const COMMENTS_START = /^(?:\d+\s+)?comments?(?:\s*\(\d+\))?$|^(?:leave a (?:comment|reply)|join the (?:conversation|discussion)|show comments|view comments|load comments)$/;
const RELATIVE_TIME = /\bago\b|\d:\d\d/i;

function matchKey(s: string): string {
  const t = s.replace(BULLET, '');
  // trailing punctuation and spaces cut by hand: the end-anchored pattern /[\s.:!|»›>→…]+$/u tried every position
  let end = t.length;
  while (end > 0 && isKeyTrail(t.charCodeAt(end - 1))) end--;
  return (end < t.length ? t.slice(0, end) : t).trim().toLowerCase();
}

/** [\s.:!|»›>→…] */
function isKeyTrail(c: number): boolean {
  return isSpaceCode(c) || c === 0x2e || c === 0x3a || c === 0x21 || c === 0x7c || c === 0xbb || c === 0x203a || c === 0x3e || c === 0x2192 || c === 0x2026;
}

/** The number of words: runs of characters other than JavaScript's \s (a count, without splitting the line). */
function wordCount(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const space = isSpaceCode(s.charCodeAt(i));
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** JavaScript's \s, by char code. */
function isSpaceCode(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** Page furniture: navigation and widget labels, read-time and date stamps, bylines. */
export function isFurniture(line: string, inHeader: boolean): boolean {
  if (line.length > 200) return false;
  const key = matchKey(line);
  if (key === '') return !/[\p{L}\p{N}]/u.test(line); // a line of bullets or rules only
  const words = wordCount(key);
  if (words > 16) return false;
  if (FURNITURE_EXACT.test(key)) return true;
  if (words <= 16 && FURNITURE_PREFIX.test(key)) return true;
  if (words <= 14 && STAMP_LABEL.test(key) && (/\d/.test(key) || words <= 4)) return true;
  if (words <= 10 && BYLINE.test(line.replace(BULLET, '')) && !/[.!?]$/.test(line)) return true;
  // "Jan 28 · 4 min read", "date 2026-01-31 4 hours ago": every part is a date stamp or a read time.
  const parts = key.split(/\s*[•·|]\s*/).filter(Boolean);
  return (
    parts.length > 0 &&
    parts.every((p) => READ_TIME.test(p) || (isDateOnlyLine(p) && (inHeader || RELATIVE_TIME.test(p))))
  );
}

// ---------------------------------------------------------------- credits

const CREDIT_LABEL = /^(?:photo(?:graph)?s?|image|picture|pictured|credit|foto|illustration|video)(?:\s+credit)?(?:\s+by\b|\s*:)\s*/i;
const CONNECTORS = new Set([
  'via', 'for', 'of', 'and', 'the', 'de', 'la', 'le', 'del', 'du', 'von', 'van', 'der', 'den', 'y', 'e', '&',
  'at', 'da', 'dos', 'das', 'di', 'al', 'el', 'bin',
]);
const CREDIT_WORD = /^[\p{Lu}\p{N}][\p{L}\p{N}'’&.-]*$/u;
const AGENCY_WORD =
  /\b(?:images?|photos?|photography|pictures|press|news|agency|wire|media|newspapers?|times|post|herald|tribune|journal|chronicle|camera|gazette|daily|reuters|getty|anadolu|nurphoto|zuma|sipa|redux|polaris|bloomberg|pool|shutterstock|alamy|afp|epa|ap|upi|xinhua|efe|dpa|abaca|imagn|stringer|staff|contributor|handout)\b/i;
const BARE_AGENCY =
  /^(?:getty images|ap photo|ap|afp|reuters|epa(?:-efe)?|associated press|shutterstock|alamy(?: stock photo)?|handout|pool photo|file photo|supplied|(?:[\p{Lu}][\p{L}'’.-]*\s+){1,5}(?:via|for) getty images)$/iu;
const FOR_OUTLET = /^[\p{Lu}][\p{L}'’.-]+(?:\s+[\p{Lu}][\p{L}'’.-]+){1,3}\s+for\s+(?:the\s+)?[\p{Lu}][\p{L}'’.-]*(?:\s+[\p{Lu}][\p{L}'’.-]*){0,4}$/iu;

/** A run of capitalized words (a name, an agency), allowing lowercase connectors and initials. */
function isNameSegment(seg: string, maxWords: number): boolean {
  const words = seg.trim().split(/\s+/);
  if (words.length === 0 || words.length > maxWords || !words[0]) return false;
  if (!CREDIT_WORD.test(words[0])) return false;
  for (const w of words) {
    if (CONNECTORS.has(w.toLowerCase())) continue;
    if (!CREDIT_WORD.test(w)) return false;
    // a full stop only after an initial or a short abbreviation ("T.", "St.", "Jr.")
    if (w.endsWith('.') && w.replace(/\./g, '').length > 3) return false;
  }
  return true;
}

function isAllCaps(seg: string): boolean {
  const letters = seg.replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && letters === letters.toUpperCase();
}

/**
 * 'strong': certainly a photo credit ("Jane Roe/GETTY", "(AP Photo/Jane Roe)", "Photo: Jane Roe").
 * 'weak': a credit only when it directly follows a caption ("Jane Roe for The Daily Paper").
 */
export function creditStrength(line: string): 'strong' | 'weak' | null {
  let t = line.trim();
  if (t.length < 2 || t.length > 160) return null;
  const paren = /^\((.+)\)$/.exec(t);
  if (paren) t = paren[1].trim();
  const label = CREDIT_LABEL.exec(t);
  if (label) t = t.slice(label[0].length);
  // (an initial at the end, "Jane R.", is no sentence end; only a text ending in "." can have one)
  if (!t || wordCount(t) > 16 || /[!?;"“”]|[.,:]$/.test(t.endsWith('.') ? t.replace(/\b\p{Lu}\.$/u, '') : t)) return null;
  if (BARE_AGENCY.test(t)) return 'strong';
  const segs = t.split(/\s*\/\s*/);
  if (segs.length >= 2) {
    if (!segs.every((s) => isNameSegment(s.replace(/,/g, ''), 8))) return null;
    const last = segs[segs.length - 1];
    if (isAllCaps(last) || AGENCY_WORD.test(last) || label || paren || segs.length >= 3) return 'strong';
    return wordCount(segs[0]) >= 2 ? 'weak' : null;
  }
  if (label && isNameSegment(t.replace(/,/g, ''), 10)) return 'strong';
  if (FOR_OUTLET.test(t)) {
    // "Jane Roe for The Daily Paper", "Jane Roe for NPR"; not "Nurses Rally for Safe Staffing"
    const outlet = t.slice(t.toLowerCase().lastIndexOf(' for ') + 5);
    if (/^the\s/i.test(outlet) || isAllCaps(outlet) || AGENCY_WORD.test(outlet)) return 'weak';
  }
  return null;
}

// "CityFirst Last/AGENCYCaption text ...": a credit glued to the caption that follows it.
const GLUED =
  /^([^.!?;:"“”/]{2,100}(?:\/[^.!?;:"“”/]{2,60}){0,3})\/(\p{Lu}[\p{Lu}&'-]+|(?:\p{Lu}[\p{L}'’.-]*\s+){0,4}(?:Images|Photos?|Pictures|Press|Agency|Media|Wire))(?=\p{Lu}\p{Ll})/u;

/** Split "credit + caption" glued in one line; returns the end of the credit part, or -1. */
export function gluedCreditEnd(line: string): number {
  const slash = line.indexOf('/');
  if (slash < 2 || slash > 200) return -1;
  const m = GLUED.exec(line);
  if (!m) return -1;
  const credit = m[0];
  if (!creditStrength(credit) && !credit.split('/').every((s) => isNameSegment(s, 8))) return -1;
  if (wordCount(line.slice(credit.length)) < 3) return -1;
  return credit.length;
}

const CREDIT_LABEL_WORDS = ['photo', 'image', 'credit', 'picture'];

/** Split "caption + credit" in one line ("... in 2026. Jane Roe/AP", "... (AP Photo/Jane Roe)"); returns the credit start, or -1. */
export function trailingCreditStart(line: string): number {
  const paren = line.endsWith(')') ? /\s*\(([^()]{2,90})\)$/.exec(line) : null;
  if (paren && paren.index > 0 && (/\bphoto\b/i.test(paren[1]) || creditStrength(paren[0]) === 'strong')) {
    return paren.index + paren[0].indexOf('(');
  }
  const from = Math.max(0, line.length - 160);
  const tail = line.slice(from);
  // (the label pattern runs only on a tail that has one of its words: most lines have none)
  const lowerTail = tail.toLowerCase();
  const label = CREDIT_LABEL_WORDS.some((w) => lowerTail.includes(w))
    ? /\s((?:photo(?:graph)?s?|image|credit|picture)(?:\s+by\b|\s*:)\s*[^.!?]{2,80})$/i.exec(tail)
    : null;
  if (label && creditStrength(label[1]) === 'strong') return from + label.index + 1;
  // after a sentence end: the longest tail of at most 10 words that is a strong slash credit
  if (line.indexOf('/', from) < 0) return -1;
  const boundary = /[.!?"”’)]\s+/g;
  boundary.lastIndex = from;
  for (let m = boundary.exec(line); m; m = boundary.exec(line)) {
    const start = m.index + m[0].length;
    const tail = line.slice(start);
    if (tail.includes('/') && wordCount(tail) <= 10 && creditStrength(tail) === 'strong') return start;
  }
  return -1;
}

// ---------------------------------------------------------------- headings and titles

const TERMINAL = /[.,;:!?…]$/;

function stripClosers(s: string): string {
  return s.replace(/["'”’)\]»]+$/u, '');
}

/** Short, capitalized, no sentence end: "California", "Bozeman, Montana", "What comes next". */
export function isHeadingLike(line: string): boolean {
  if (line.length > 80 || wordCount(line) > 8) return false;
  if (BULLET.test(line) || /^\d+[.)]\s/.test(line) || line.includes('/')) return false;
  if (!/^["'“‘(]?[\p{Lu}\p{N}]/u.test(line)) return false;
  return !TERMINAL.test(stripClosers(line));
}

function isTitleLike(line: string): boolean {
  if (line.length < 3 || line.length > 220 || wordCount(line) > 25) return false;
  if (!/\p{L}/u.test(line) || BULLET.test(line) || line.includes('/')) return false;
  return !/[.,;:]$/.test(stripClosers(line));
}

// ---------------------------------------------------------------- classification

interface Draft {
  kind: BlockKind | 'text' | 'weak_credit';
  /** for split lines: the pieces */
  pieces?: Piece[];
}

export interface Classified {
  pieces: Piece[][];
  /** index of the line that holds the title, or -1 */
  titleLine: number;
  /** index of the first line after the header (title, dek, bylines, date stamps) */
  headerEnd: number;
}

const HEADER_MAX_LINES = 15;
const BODY_MIN_WORDS = 20;

export function classifyLines(lines: Line[], opts: { findTitle: boolean }): Classified {
  const n = lines.length;
  let headerEnd = Math.min(n, HEADER_MAX_LINES);
  for (let i = 0; i < headerEnd; i++) {
    if (wordCount(lines[i].text) >= BODY_MIN_WORDS) {
      headerEnd = i;
      break;
    }
  }

  // Pass 1: what each line is on its own.
  const drafts: Draft[] = new Array(n);
  let inComments = false;
  for (let i = 0; i < n; i++) {
    const { text, hint } = lines[i];
    const len = text.length;
    if (inComments) {
      drafts[i] = { kind: 'furniture' };
      continue;
    }
    // A comments heading in the second half of the page starts the comment section.
    if ((hint === null || hint === 'heading') && i > n / 2 && len < 40 && COMMENTS_START.test(matchKey(text))) {
      inComments = true;
      drafts[i] = { kind: 'furniture' };
      continue;
    }
    if (hint === 'title') {
      drafts[i] = { kind: 'title' };
      continue;
    }
    if (hint === 'credit') {
      drafts[i] = { kind: 'credit' };
      continue;
    }
    if (isFurniture(text, i < headerEnd)) {
      drafts[i] = { kind: 'furniture' };
      continue;
    }
    if (hint === 'heading') {
      drafts[i] = { kind: 'heading' };
      continue;
    }
    const strength = creditStrength(text);
    if (strength === 'strong') {
      drafts[i] = { kind: 'credit' };
      continue;
    }
    const glued = gluedCreditEnd(text);
    if (glued > 0) {
      const capStart = skipSpaces(text, glued);
      drafts[i] = {
        kind: 'credit',
        pieces: [
          { kind: 'credit', start: 0, end: trimEnd(text, glued) },
          { kind: 'caption', start: capStart, end: len },
        ],
      };
      continue;
    }
    const trailing = trailingCreditStart(text);
    if (trailing > 0) {
      drafts[i] = {
        kind: 'caption',
        pieces: [
          { kind: 'caption', start: 0, end: trimEnd(text, trailing) },
          { kind: 'credit', start: trailing, end: len },
        ],
      };
      continue;
    }
    if (hint === 'caption') {
      drafts[i] = { kind: 'caption' };
      continue;
    }
    drafts[i] = { kind: strength === 'weak' ? 'weak_credit' : 'text' };
  }

  // Pass 2: context. A weak credit needs a caption-like line before it.
  for (let i = 0; i < n; i++) {
    if (drafts[i].kind !== 'weak_credit') continue;
    const prev = i > 0 ? drafts[i - 1] : null;
    const prevCaptionLike = prev && (prev.kind === 'text' || prev.kind === 'caption') && lines[i - 1].text.length >= 30;
    drafts[i].kind = prevCaptionLike ? 'credit' : 'text';
  }

  // A line followed by a credit (whole, or glued to the next caption) is a caption; so is a line repeated
  // verbatim on the next line (an image's alt text, then its caption).
  for (let i = 0; i < n; i++) {
    if (drafts[i].kind !== 'text') continue;
    const next = i + 1 < n ? drafts[i + 1] : null;
    const nextIsCredit = next !== null && next.kind === 'credit' && (!next.pieces || next.pieces[0].kind === 'credit');
    const repeated =
      (i + 1 < n && lines[i + 1].text === lines[i].text) || (i > 0 && lines[i - 1].text === lines[i].text);
    if ((nextIsCredit && lines[i].text.length >= 12) || (repeated && wordCount(lines[i].text) >= 4)) {
      drafts[i].kind = 'caption';
    }
  }

  // Title: the first title-like line in the header, when markup gave none.
  let titleLine = drafts.findIndex((d) => d.kind === 'title');
  // A long sentence before it (a disclaimer, an intro note) is skipped, at most twice.
  if (titleLine < 0 && opts.findTitle) {
    let skipped = 0;
    for (let i = 0; i < Math.min(n, HEADER_MAX_LINES); i++) {
      const k = drafts[i].kind;
      if (k === 'furniture' || k === 'credit') continue;
      const text = lines[i].text;
      if ((k === 'text' || k === 'heading') && isTitleLike(text) && (skipped === 0 || wordCount(text) >= 3)) {
        drafts[i].kind = 'title';
        titleLine = i;
        break;
      }
      if (k !== 'text' || wordCount(text) < 12 || ++skipped > 2) break;
    }
  }

  // Headings: a short capitalized line followed by a longer block.
  for (let i = 0; i < n; i++) {
    if (drafts[i].kind !== 'text') continue;
    const text = lines[i].text;
    if (!isHeadingLike(text) || (i < headerEnd && isDateOnlyLine(text))) continue;
    let j = i + 1;
    while (j < n && drafts[j].kind === 'furniture') j++;
    if (j < n && lines[j].text.length > text.length && drafts[j].kind !== 'title' && drafts[j].kind !== 'heading') {
      drafts[i].kind = 'heading';
    }
  }

  const pieces: Piece[][] = drafts.map((d, i) => {
    if (d.pieces) return d.pieces;
    const kind: BlockKind = d.kind === 'text' || d.kind === 'weak_credit' ? 'paragraph' : d.kind;
    return [{ kind, start: 0, end: lines[i].text.length }];
  });
  return { pieces, titleLine, headerEnd };
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && /\s/.test(s[i])) i++;
  return i;
}

function trimEnd(s: string, i: number): number {
  while (i > 0 && /\s/.test(s[i - 1])) i--;
  return i;
}

// ---------------------------------------------------------------- layout

/** Join lines into the article text (one newline inside a group, a blank line between groups). */
export function layout(lines: Line[], pieces: Piece[][]): { text: string; blocks: Block[] } {
  const out: string[] = [];
  const blocks: Block[] = [];
  let pos = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) {
      const sep = lines[i].gap >= 2 ? '\n\n' : '\n';
      out.push(sep);
      pos += sep.length;
    }
    for (const p of pieces[i]) if (p.end > p.start) blocks.push({ kind: p.kind, start: pos + p.start, end: pos + p.end });
    out.push(lines[i].text);
    pos += lines[i].text.length;
  }
  return { text: out.join(''), blocks };
}

// ---------------------------------------------------------------- publication date from the text

export interface TextDate {
  published: string;
  source: Exclude<PublishedSource, null>;
  evidence: string;
}

const NEWS_DATELINE_DASH = /^\s*(?:\([^)]{1,30}\))?\s*[—–-]/;

/**
 * The publication date stated in the text: a date stamp line in the header ("date 2026-01-31 4 hours ago" is a
 * dateline, "28 January 2026" a header date), else a news dateline ("CITY, Jan. 30, 2026 (Agency) —"), else
 * a bare "Jan 28" confirmed by a full date with the same month and day elsewhere in the text.
 */
export function publishedFromLines(lines: Line[], cls: Classified): TextDate | null {
  const limit = Math.min(lines.length, Math.max(cls.headerEnd, 0) + 3, 20);
  let updated: TextDate | null = null;
  const bare: Array<{ month: number; day: number; line: string }> = [];
  for (let i = 0; i < limit; i++) {
    const line = lines[i].text;
    const stamp = isDateOnlyLine(line) || STAMP_LABEL.test(matchKey(line)) || isFurniture(line, true);
    if (!stamp || line.length > 120) continue;
    const full = findFullDate(line);
    if (full) {
      const found: TextDate = { published: full.iso, source: full.numeric ? 'dateline' : 'header', evidence: line };
      if (/\b(?:updated|modified)\b/i.test(line)) updated ??= found;
      else return found;
    } else {
      const md = findMonthDay(line);
      if (md) bare.push({ ...md, line });
    }
  }
  // a labelled stamp inside a header line that also carries a byline, an outlet or the title:
  // " date 2025-06-11 Jane Doe", "By Staff | Published 5:04 PM EST, Jan. 30, 2026", "Posted May 7, 2025 ..."
  // (a published stamp wins over an updated one)
  const labelled = labelledStamp(lines.slice(0, Math.min(lines.length, 12)).map((l) => l.text));
  if (labelled && !/updated/i.test(labelled.evidence)) return labelled;
  if (updated ?? labelled) return updated ?? labelled;

  // "MINNEAPOLIS, Jan. 30, 2026 (Reuters) — ..." at the start of one of the first paragraphs
  let paragraphs = 0;
  for (let i = 0; i < lines.length && paragraphs < 3; i++) {
    if (cls.pieces[i][0].kind !== 'paragraph') continue;
    paragraphs++;
    const head = lines[i].text.slice(0, 100);
    const full = findFullDate(head);
    if (full && full.index < 60 && NEWS_DATELINE_DASH.test(head.slice(full.index + full.length))) {
      return { published: full.iso, source: 'dateline', evidence: head.slice(0, full.index + full.length) };
    }
  }

  // a stamp line of its own below the story: "Published 2025 Mar 9, 6:40 p.m."
  for (const l of lines) {
    const m = FOOTER_STAMP.exec(l.text);
    const full = m ? findFullDate(l.text.slice(m[0].length, m[0].length + 40)) : null;
    if (full && full.index === 0) return { published: full.iso, source: 'header', evidence: l.text.slice(0, m![0].length + full.length) };
  }

  // "• Jan 28": the year is known only if a full date with that month and day appears somewhere.
  for (const b of bare) {
    for (const l of lines) {
      const full = findFullDate(l.text);
      if (full && +full.iso.slice(5, 7) === b.month && +full.iso.slice(8, 10) === b.day) {
        return { published: full.iso, source: 'header', evidence: b.line };
      }
    }
  }
  return null;
}

const FOOTER_STAMP = /^\s*(?:published|posted|first published)(?: on)?\s*:?\s*/i;
const STAMP_IN_LINE = /(?:^|[\s|•·,(])(date|published(?: on)?|first published(?: on)?|originally published(?: on)?|posted(?: on)?|updated(?: on)?|last updated(?: on)?)\s*:?\s*(?=\d|[A-Z])/gi;
/** "Thursday, January 29, 2026" in the first characters of the page: a dated masthead. */
const WEEKDAY_FULL_DATE = /\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+/g;

/**
 * A full date right after a stamp label ("date", "Published", "Posted", "Updated") or a weekday, in the first
 * characters of the page's first lines. A published or posted stamp wins over an updated one.
 */
export function labelledStamp(lines: string[]): TextDate | null {
  let updated: TextDate | null = null;
  let seen = 0;
  for (const line of lines) {
    const head = line.slice(0, Math.max(0, 600 - seen));
    seen += line.length;
    // a dated byline: "By the Associated Press | October 20, 2011 | 3:45 AM EDT"
    const byline = /^\s*By\s+[^|•·\n]{2,60}?\s*[|•·,—–-]\s*/.exec(head);
    const bylineDate = byline ? findFullDate(head.slice(byline[0].length, byline[0].length + 40)) : null;
    if (bylineDate && bylineDate.index === 0) return { published: bylineDate.iso, source: 'header', evidence: head.slice(0, byline![0].length + bylineDate.length) };
    for (const re of [STAMP_IN_LINE, WEEKDAY_FULL_DATE]) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(head))) {
        const rest = head.slice(m.index + m[0].length, m.index + m[0].length + 60);
        // a time may stand before the date: "Published 5:04 PM EST, Jan. 30, 2026"
        const time = /^(?:\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}\b)?[,\s]*)?(?:on\s+)?/i.exec(rest)![0].length;
        const full = findFullDate(rest.slice(time));
        if (!full || full.index > 12) continue;
        const found: TextDate = { published: full.iso, source: 'header', evidence: head.slice(m.index, m.index + m[0].length + time + full.index + full.length).trim() };
        if (/updated/i.test(m[1] ?? '')) updated ??= found;
        else return found;
      }
    }
    if (seen >= 600) break;
  }
  return updated;
}
