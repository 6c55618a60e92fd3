// HTML -> article fields. Metadata comes from a regex scan of the raw markup (cheap, and it works on pages
// too deep or too large for a DOM). The body goes through linkedom + Readability when the page is of a sane
// size and depth, else through a streaming tag scanner. Both produce the same lines for the classifier.

import { httpUrl } from '../core/url.js';
import { createRequire } from 'node:module';
import type { BlockKind } from '../core/types.js';
import { classifyLines, layout, publishedFromLines, type Line, type TextDate } from './classify.js';
import { dateFromUrl, parseDateValue } from './dates.js';
import type { ExtractedFields } from './text.js';

export interface HtmlFields extends ExtractedFields {
  url: string | null;
  publisher: string | null;
}

/** Pages nested deeper than this skip the DOM: Readability's cost grows with depth (about 0.8 s at 400). */
export const MAX_DOM_DEPTH = 120;
/** Markup (after removing scripts and styles) larger than this skips the DOM and Readability. */
export const MAX_DOM_CHARS = 1_500_000;
const MAX_DOM_ELEMENTS = 30_000;

export function extractHtml(html: string, opts: { url: string | null }): HtmlFields {
  const flags: string[] = [];
  const meta = readMetadata(html);
  const body = stripRawText(html);

  const shape = scanShape(body);
  let lines: Line[] | null = null;
  let readabilityTitle: string | null = null;
  if (shape.depth > MAX_DOM_DEPTH) flags.push('deep_nesting');
  else if (body.length > MAX_DOM_CHARS || shape.elements > MAX_DOM_ELEMENTS) flags.push('large_page');
  else {
    try {
      const dom = domLines(body);
      lines = dom.lines;
      readabilityTitle = dom.title;
      if (!dom.usedReadability) flags.push('readability_fallback');
    } catch {
      // a DOM library failed on this markup (stack overflow, malformed tree): the scanner needs no tree
      flags.push('dom_fallback');
    }
  }
  if (!lines) lines = scanLines(body);

  // Title: og:title, JSON-LD headline, twitter:title, <title> without its site suffix, Readability's, the h1.
  const publisherGuess = meta.siteName ?? meta.jsonld.publisher;
  const title =
    clean(meta.ogTitle) ??
    clean(meta.jsonld.headline) ??
    clean(meta.twitterTitle) ??
    stripSiteSuffix(clean(meta.title), publisherGuess) ??
    clean(readabilityTitle) ??
    lines.find((l) => l.hint === 'heading')?.text ??
    null;
  if (title) placeTitle(lines, title);
  if (lines.length > 0) lines[0].gap = 0;

  const cls = classifyLines(lines, { findTitle: !title });
  const { text, blocks } = layout(lines, cls.pieces);

  const url = httpUrl(meta.canonical, opts.url) ?? httpUrl(meta.ogUrl, opts.url) ?? httpUrl(opts.url, null);
  const publisher = clean(meta.siteName) ?? clean(meta.jsonld.publisher) ?? hostOf(url ?? opts.url);

  const date = publishedFromMarkup(meta, [url, opts.url]) ?? publishedFromLines(lines, cls);
  const finalTitle = cls.titleLine >= 0 ? lines[cls.titleLine].text : title;
  return {
    text,
    blocks,
    title: finalTitle,
    url,
    publisher,
    published: date?.published ?? null,
    publishedSource: date?.source ?? null,
    publishedEvidence: date?.evidence ?? null,
    flags,
  };
}

/** The publication date from JSON-LD, then meta tags and <time>, then the URL path. */
function publishedFromMarkup(meta: Metadata, urls: Array<string | null>): TextDate | null {
  const fromLd = meta.jsonld.published ? parseDateValue(meta.jsonld.published) : null;
  if (fromLd) return { published: fromLd, source: 'jsonld', evidence: `datePublished: ${meta.jsonld.published}` };
  for (const d of meta.dates) {
    const iso = parseDateValue(d.value);
    if (iso) return { published: iso, source: 'meta', evidence: `${d.key}: ${d.value}` };
  }
  for (const u of urls) {
    const iso = dateFromUrl(u);
    if (iso && u) return { published: iso, source: 'url', evidence: u };
  }
  return null;
}

// ---------------------------------------------------------------- metadata (regex scan)

interface Metadata {
  title: string | null;
  ogTitle: string | null;
  twitterTitle: string | null;
  siteName: string | null;
  canonical: string | null;
  ogUrl: string | null;
  /** publication dates from meta tags and <time>, best first */
  dates: Array<{ key: string; value: string }>;
  jsonld: { published: string | null; headline: string | null; publisher: string | null };
}

/** Meta names that carry the publication date, best first. */
const DATE_META_KEYS = [
  'article:published_time', 'og:published_time', 'og:article:published_time', 'datepublished', 'pubdate',
  'publishdate', 'publish-date', 'publish_date', 'dc.date.issued', 'dcterms.issued', 'parsely-pub-date',
  'sailthru.date', 'article.published', 'citation_publication_date', 'date', 'dc.date', 'dcterms.date',
  'dcterms.created', 'originalpublicationdate',
];

function readMetadata(html: string): Metadata {
  const metas = new Map<string, string>();
  const metaTag = /<meta\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
  for (let m = metaTag.exec(html); m; m = metaTag.exec(html)) {
    const a = attributes(m[1]);
    const key = (a.property ?? a.name ?? a.itemprop ?? a['http-equiv'])?.toLowerCase();
    const value = a.content ?? a.datetime;
    if (key && value && !metas.has(key)) metas.set(key, decodeEntities(value).trim());
  }

  let canonical: string | null = null;
  const linkTag = /<link\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
  for (let m = linkTag.exec(html); m && !canonical; m = linkTag.exec(html)) {
    const a = attributes(m[1]);
    if (a.rel?.toLowerCase().split(/\s+/).includes('canonical') && a.href) canonical = decodeEntities(a.href).trim();
  }

  const dates: Metadata['dates'] = [];
  for (const key of DATE_META_KEYS) {
    const v = metas.get(key);
    if (v) dates.push({ key, value: v });
  }
  const time = publishedTimeElement(html);
  if (time) dates.push({ key: 'time', value: time });

  const titleMatch = /<title\b[^>]*>([\s\S]{0,2000}?)<\/title\s*>/i.exec(html);
  return {
    title: titleMatch ? decodeEntities(titleMatch[1]) : null,
    ogTitle: metas.get('og:title') ?? null,
    twitterTitle: metas.get('twitter:title') ?? null,
    siteName: metas.get('og:site_name') ?? metas.get('application-name') ?? null,
    canonical,
    ogUrl: metas.get('og:url') ?? null,
    dates,
    jsonld: readJsonLd(html),
  };
}

/** `<time datetime>` marked as the publication time, or inside a <header>. */
function publishedTimeElement(html: string): string | null {
  const timeTag = /<time\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
  let inHeader: string | null = null;
  for (let m = timeTag.exec(html); m; m = timeTag.exec(html)) {
    const a = attributes(m[1]);
    if (!a.datetime) continue;
    const marked = 'pubdate' in a || /publish/i.test(`${a.itemprop ?? ''} ${a.class ?? ''}`);
    if (marked) return a.datetime;
    if (inHeader === null) {
      const before = html.slice(Math.max(0, m.index - 20000), m.index);
      const open = before.lastIndexOf('<header');
      if (open >= 0 && before.indexOf('</header', open) < 0) inHeader = a.datetime;
    }
  }
  return inHeader;
}

function readJsonLd(html: string): Metadata['jsonld'] {
  const out: Metadata['jsonld'] = { published: null, headline: null, publisher: null };
  const scriptTag = /<script\b[^>]*type\s*=\s*["']?application\/ld\+json[^>]*>([\s\S]*?)<\/script\s*>/gi;
  const nodes: Array<Record<string, unknown>> = [];
  for (let m = scriptTag.exec(html); m; m = scriptTag.exec(html)) {
    let data: unknown;
    try {
      data = JSON.parse(m[1].replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, '').trim());
    } catch {
      continue;
    }
    collectObjects(data, nodes);
  }
  const byId = new Map<string, Record<string, unknown>>();
  for (const n of nodes) if (typeof n['@id'] === 'string') byId.set(n['@id'], n);

  // Prefer an article-like node; fall back to any node with the field.
  const isArticle = (n: Record<string, unknown>) =>
    [n['@type']].flat().some((t) => typeof t === 'string' && /Article|Posting|Report|NewsArticle/i.test(t));
  const ordered = [...nodes.filter(isArticle), ...nodes.filter((n) => !isArticle(n))];
  for (const n of ordered) {
    if (!out.published && typeof n.datePublished === 'string') out.published = n.datePublished;
    if (!out.headline && isArticle(n) && typeof n.headline === 'string') out.headline = decodeEntities(n.headline);
    if (!out.publisher && n.publisher) out.publisher = nameOf(n.publisher, byId);
  }
  return out;
}

function collectObjects(data: unknown, out: Array<Record<string, unknown>>): void {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: data, depth: 0 }];
  while (stack.length && out.length < 2000) {
    const { v, depth } = stack.pop()!;
    if (depth > 8 || v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1 });
      continue;
    }
    const obj = v as Record<string, unknown>;
    out.push(obj);
    if (obj['@graph']) stack.push({ v: obj['@graph'], depth: depth + 1 });
    if (obj.mainEntity) stack.push({ v: obj.mainEntity, depth: depth + 1 });
  }
}

function nameOf(v: unknown, byId: Map<string, Record<string, unknown>>): string | null {
  for (const item of [v].flat()) {
    if (typeof item === 'string') return item;
    if (item && typeof item === 'object') {
      const o = item as Record<string, unknown>;
      if (typeof o.name === 'string') return decodeEntities(o.name);
      const ref = typeof o['@id'] === 'string' ? byId.get(o['@id']) : undefined;
      if (ref && typeof ref.name === 'string') return decodeEntities(ref.name);
    }
  }
  return null;
}

/** Attribute map of a tag's attribute string (names lower-cased, values undecoded). */
function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const attr = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (let m = attr.exec(s); m; m = attr.exec(s)) {
    const name = m[1].toLowerCase();
    if (!(name in out)) out[name] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return out;
}

// ---------------------------------------------------------------- cleaning and shape

const RAW_TEXT_TAGS = ['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'textarea', 'select'];

/** Remove comments and raw-text elements (script, style, svg, ...) in one linear pass. */
function stripRawText(html: string): string {
  const lower = html.toLowerCase();
  const out: string[] = [];
  const open = new RegExp(`<!--|<(${RAW_TEXT_TAGS.join('|')})(?=[\\s>/])`, 'g');
  let pos = 0;
  for (let m = open.exec(lower); m; m = open.exec(lower)) {
    out.push(html.slice(pos, m.index));
    let end: number;
    if (m[0] === '<!--') {
      end = lower.indexOf('-->', m.index + 4);
      end = end < 0 ? html.length : end + 3;
    } else {
      end = lower.indexOf(`</${m[1]}`, m.index + m[0].length);
      end = end < 0 ? html.length : lower.indexOf('>', end) + 1 || html.length;
    }
    out.push(' ');
    pos = end;
    open.lastIndex = end;
  }
  out.push(html.slice(pos));
  return out.join('');
}

const VOID_TAGS = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'param',
]);
/** Often left unclosed; not counted for depth. */
const LOOSE_TAGS = new Set(['p', 'li', 'dt', 'dd', 'td', 'th', 'tr', 'option', 'thead', 'tbody', 'colgroup']);

/** Maximum element nesting depth and element count, by a linear tag scan. */
function scanShape(html: string): { depth: number; elements: number } {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(\/?)>/g;
  let depth = 0;
  let max = 0;
  let elements = 0;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    elements++;
    const name = m[2].toLowerCase();
    if (VOID_TAGS.has(name) || LOOSE_TAGS.has(name) || m[3]) continue;
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (++depth > max) max = depth;
  }
  return { depth: max, elements };
}

// ---------------------------------------------------------------- lines from markup

const SKIP_TAGS = new Set([
  ...RAW_TEXT_TAGS, 'head', 'nav', 'footer', 'aside', 'form', 'button', 'input', 'dialog', 'menu', 'canvas',
  'video', 'audio', 'map', 'embed', 'link', 'meta', 'title',
]);
const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'figure', 'blockquote', 'li', 'ul', 'ol', 'dl', 'dt', 'dd',
  'table', 'thead', 'tbody', 'tr', 'td', 'th', 'pre', 'address', 'hgroup', 'details', 'summary', 'center',
  'body', 'html', 'caption', 'hr',
]);
const SKIP_ROLES = /^(?:navigation|banner|contentinfo|complementary|dialog|alertdialog|search|menu|menubar|toolbar)$/i;
const COMMENT_CLASS = /(?:^|[\s_-])(?:comments?|comment-list|disqus|respond)(?:$|[\s_-])/i;
const WIDGET_CLASS =
  /(?:^|[\s_-])(?:share|sharing|social|newsletter|related|recommended|promo|advert|advertisement|ads?|adslot|sponsor(?:ed)?|cookie|consent|subscribe|subscription|signup|paywall|breadcrumbs?|outbrain|taboola|popup|modal|most-popular|trending|skip-link|sr-only|visually-hidden)(?:$|[\s_-])/i;
const CREDIT_CLASS = /credit|copyright|photographer|attribution/i;
const CAPTION_CLASS = /caption/i;

type Attr = (name: string) => string | null;

/** Is this element boilerplate to drop whole? `textLength` is asked only when needed. */
function isBoilerplate(tag: string, attr: Attr, textLength: () => number): boolean {
  if (SKIP_TAGS.has(tag)) return true;
  const role = attr('role');
  if (role && SKIP_ROLES.test(role)) return true;
  if (attr('hidden') !== null || attr('aria-hidden') === 'true') return true;
  const cls = `${attr('class') ?? ''} ${attr('id') ?? ''}`;
  if (cls.length < 2 || tag === 'body' || tag === 'html' || tag === 'main' || tag === 'article') return false;
  if (COMMENT_CLASS.test(cls) && !/\bno-?comments?\b/i.test(cls)) return true;
  // Widgets are small; a large element with such a class is more likely a wrapper around the story.
  return WIDGET_CLASS.test(cls) && textLength() < 600;
}

/** The block kind an element starts, or undefined for inline elements. */
function blockHint(tag: string, attr: Attr): BlockKind | undefined {
  if (/^h[1-6]$/.test(tag)) return 'heading';
  if (tag === 'figcaption') return 'caption';
  const cls = attr('class') ?? '';
  if (cls) {
    if (CREDIT_CLASS.test(cls)) return 'credit';
    if (CAPTION_CLASS.test(cls)) return 'caption';
  }
  return BLOCK_TAGS.has(tag) ? 'paragraph' : undefined;
}

/** Collects text into lines; a block inside a caption or credit keeps that kind. */
class LineSink {
  readonly lines: Line[] = [];
  private buf: string[] = [];
  private readonly hints: BlockKind[] = ['paragraph'];
  private gap = 2;

  text(s: string): void {
    this.buf.push(s);
  }

  open(hint: BlockKind): void {
    this.flush(2);
    const parent = this.hints[this.hints.length - 1];
    const inherited = hint === 'paragraph' && (parent === 'caption' || parent === 'credit') ? parent : hint;
    this.hints.push(inherited);
  }

  close(): void {
    const hint = this.hints[this.hints.length - 1];
    // a credit right after its caption stays in the same group
    this.flush(hint === 'caption' ? 1 : 2);
    if (this.hints.length > 1) this.hints.pop();
  }

  lineBreak(): void {
    this.flush(1);
  }

  finish(): Line[] {
    this.flush(2);
    return this.lines;
  }

  private flush(gapAfter: number): void {
    if (this.buf.length) {
      const text = this.buf.join('').replace(/[\s\u00a0\u200b]+/g, ' ').trim();
      this.buf = [];
      if (text) {
        const hint = this.hints[this.hints.length - 1];
        this.lines.push({ text, hint: hint === 'paragraph' ? null : hint, gap: this.gap });
        this.gap = gapAfter;
        return;
      }
    }
    this.gap = Math.max(this.gap, gapAfter);
  }
}

// ---- DOM path (linkedom + Readability), loaded on first use so that start-up stays fast

type LinkedomModule = typeof import('linkedom');
type ReadabilityModule = typeof import('@mozilla/readability');
let libs: { linkedom: LinkedomModule; readability: ReadabilityModule } | null = null;

function loadLibs(): { linkedom: LinkedomModule; readability: ReadabilityModule } {
  if (!libs) {
    const require = createRequire(import.meta.url);
    libs = {
      linkedom: require('linkedom') as LinkedomModule,
      readability: require('@mozilla/readability') as ReadabilityModule,
    };
  }
  return libs;
}

function domLines(html: string): { lines: Line[]; title: string | null; usedReadability: boolean } {
  const { linkedom, readability } = loadLibs();
  const { document } = linkedom.parseHTML(withBody(html)) as unknown as { document: Document };
  const bodyLines = walkDom(document.body ?? document.documentElement);

  let article: ReturnType<InstanceType<typeof readability.Readability<Node>>['parse']> = null;
  try {
    article = new readability.Readability<Node>(document, { keepClasses: true, serializer: (n) => n }).parse();
  } catch {
    article = null; // Readability gave up on this page: keep the whole body
  }
  const content = article?.content;
  const readLines = content ? walkDom(content) : [];
  const chars = (ls: Line[]) => ls.reduce((n, l) => n + l.text.length, 0);
  if (readLines.length === 0 || chars(readLines) < 200) {
    return { lines: bodyLines, title: article?.title ?? null, usedReadability: false };
  }
  return { lines: readLines, title: article?.title ?? null, usedReadability: true };
}

/** A fragment or bare text becomes a full document (linkedom needs an <html> element with a <body>). */
function withBody(html: string): string {
  if (/<body[\s>]/i.test(html)) return html;
  const rest = html.replace(/^[\s\S]*?<\/head\s*>/i, '').replace(/<\/?html\b[^>]*>|<!doctype[^>]*>|<\?xml[^>]*>/gi, '');
  return `<!doctype html><html><head></head><body>${rest}</body></html>`;
}

/** Depth-first walk with an explicit stack (no recursion, so deep trees cannot overflow it). */
function walkDom(root: Node): Line[] {
  const sink = new LineSink();
  const stack: Array<Node | null> = [root]; // null marks the end of a block element
  while (stack.length) {
    const node = stack.pop();
    if (node === null) {
      sink.close();
      continue;
    }
    if (!node) continue;
    if (node.nodeType === 3) {
      sink.text((node as Text).data);
      continue;
    }
    if (node.nodeType !== 1) continue;
    const el = node as Element;
    const tag = el.localName.toLowerCase();
    const attr: Attr = (name) => el.getAttribute(name);
    if (isBoilerplate(tag, attr, () => (el.textContent ?? '').length)) continue;
    if (tag === 'br') {
      sink.lineBreak();
      continue;
    }
    const hint = blockHint(tag, attr);
    if (hint) {
      sink.open(hint);
      stack.push(null);
    }
    const kids = el.childNodes;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return sink.finish();
}

// ---- streaming path: a linear tag scanner for pages too deep or too large for the DOM

function scanLines(html: string): Line[] {
  const sink = new LineSink();
  const bodyAt = html.search(/<body[\s>]/i);
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  tag.lastIndex = bodyAt >= 0 ? bodyAt : 0;
  const open: string[] = []; // tag names of open block elements
  let pos = tag.lastIndex;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    if (m.index > pos) sink.text(decodeEntities(html.slice(pos, m.index)));
    pos = tag.lastIndex;
    const name = m[2].toLowerCase();
    if (m[1]) {
      const at = open.lastIndexOf(name);
      if (at >= 0) {
        while (open.length > at) {
          open.pop();
          sink.close();
        }
      }
      continue;
    }
    if (name === 'br') {
      sink.lineBreak();
      continue;
    }
    if (VOID_TAGS.has(name) || m[3].trimEnd().endsWith('/')) continue;
    let attrs: Record<string, string> | null = null;
    const attr: Attr = (n) => (attrs ??= attributes(m[3]))[n] ?? null;
    if (isBoilerplate(name, attr, () => 0)) {
      pos = skipElement(html, name, tag.lastIndex);
      tag.lastIndex = pos;
      continue;
    }
    const hint = blockHint(name, attr);
    if (hint) {
      // an unclosed <p> or <li> ends when the next one starts
      if (LOOSE_TAGS.has(name) && open[open.length - 1] === name) {
        open.pop();
        sink.close();
      }
      open.push(name);
      sink.open(hint);
    }
  }
  if (pos < html.length) sink.text(decodeEntities(html.slice(pos).replace(/<[^>]*$/, '')));
  return sink.finish();
}

/** The offset just after the element that starts at `from` (same-name nesting counted). */
function skipElement(html: string, name: string, from: string | number): number {
  const re = new RegExp(`<(/?)${name}(?=[\\s>/])[^>]*>`, 'gi');
  re.lastIndex = Number(from);
  let depth = 1;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return re.lastIndex;
  }
  return html.length;
}

// ---------------------------------------------------------------- small helpers

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', bull: '•', middot: '·', copy: '©',
  reg: '®', trade: '™', deg: '°', eacute: 'é', egrave: 'è', ecirc: 'ê', aacute: 'á', agrave: 'à', acirc: 'â',
  iacute: 'í', oacute: 'ó', ocirc: 'ô', uacute: 'ú', ntilde: 'ñ', ccedil: 'ç', uuml: 'ü', ouml: 'ö', auml: 'ä',
  szlig: 'ß', Eacute: 'É', Ntilde: 'Ñ', Aacute: 'Á', Oacute: 'Ó', Uacute: 'Ú', Iacute: 'Í', Ccedil: 'Ç',
  euro: '€', pound: '£', shy: '', zwj: '', zwnj: '', thinsp: ' ', ensp: ' ', emsp: ' ', times: '×',
};

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z][a-z0-9]{1,31});?/gi, (all, ent: string) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED_ENTITIES[ent] ?? NAMED_ENTITIES[ent.toLowerCase()] ?? all;
  });
}

function clean(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = decodeEntities(s).replace(/<[^>]*>/g, '').replace(/[\s\u00a0]+/g, ' ').trim();
  return t || null;
}

/** "Story headline | Site" -> "Story headline" when the tail is the site's name or a short label. */
function stripSiteSuffix(title: string | null, site: string | null): string | null {
  if (!title) return null;
  const parts = title.split(/\s+[|–—·»]\s+|\s+-\s+|\s+::\s+/);
  if (parts.length < 2) return title;
  const last = parts[parts.length - 1];
  const head = parts.slice(0, -1).join(' - ');
  const siteish = site && last.toLowerCase().replace(/\W/g, '') === site.toLowerCase().replace(/\W/g, '');
  if (siteish || (last.split(/\s+/).length <= 4 && head.split(/\s+/).length >= 3)) return head;
  return title;
}

/** Mark the heading that repeats the title, or put the title first. */
function placeTitle(lines: Line[], title: string): void {
  const key = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const want = key(title);
  for (let i = 0; i < Math.min(lines.length, 8); i++) {
    if (key(lines[i].text) === want) {
      lines[i].hint = 'title';
      return;
    }
  }
  lines.unshift({ text: title, hint: 'title', gap: 0 });
  if (lines[1]) lines[1].gap = 2;
}

function hostOf(u: string | null | undefined): string | null {
  if (!u) return null;
  try {
    return new URL(u).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}
