// Feed bytes -> items: RSS 2.0 (and 0.9x), Atom 1.0, RDF/RSS 1.0 and JSON Feed 1.0/1.1.
// XML goes through the project's own strict parser (./xml.ts): entity declarations are refused, nothing is
// fetched, malformed XML is an error with a line number. Every error is a FeedError.
//
// Charset, in order of authority: a byte-order mark; opts.charset (from the HTTP header); the XML
// declaration's encoding; UTF-8. Decoding is never fatal: bytes that do not fit the charset become U+FFFD
// and the feed still parses. An unknown charset label falls back to UTF-8.
//
// Limits: MAX_FEED_BYTES of input; at most MAX_FEED_ITEMS items are returned. A longer feed is truncated
// (its first MAX_FEED_ITEMS items, which in a feed are the newest) and ParsedFeed.truncated says how many
// were dropped, so a poller can log it; it is not an error.
import { httpUrl } from '../core/url.js';
import { createHash } from 'node:crypto';
import { parseDateValue } from '../ingest/dates.js';
import { decodeEntities } from '../ingest/html.js';
import { XmlError, attr, elementChildren, innerXml, parseXml, textContent, type XmlElement } from './xml.js';

export interface FeedItem {
  /** guid / Atom id / JSON Feed id; else the link; else a sha256 of title + summary */
  id: string;
  /** absolute http(s) link, resolved against the feed URL; anything else (javascript:, data:) -> null */
  url: string | null;
  /** plain text (HTML tags stripped, entities decoded) */
  title: string | null;
  /** YYYY-MM-DD, the publisher's calendar day as written (no time-zone shift) */
  published: string | null;
  /** plain text */
  summary: string | null;
  /** full body when the feed carries one (content:encoded, Atom content, JSON content_html/content_text), as given */
  content: string | null;
  contentType: 'text/html' | 'text/plain' | null;
}

export interface ParsedFeed {
  kind: 'rss' | 'atom' | 'rdf' | 'json';
  title: string | null;
  link: string | null;
  items: FeedItem[];
  /** items dropped beyond MAX_FEED_ITEMS (absent when none were) */
  truncated?: number;
}

export class FeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedError';
  }
}

export const MAX_FEED_ITEMS = 20_000;
export const MAX_FEED_BYTES = 32 * 1024 * 1024;

const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rss1: 'http://purl.org/rss/1.0/',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  xhtml: 'http://www.w3.org/1999/xhtml',
};
/** the prefix each namespace conventionally has, for feeds that use it without declaring it */
const PREFIX: Record<string, string> = { [NS.atom]: 'atom', [NS.content]: 'content', [NS.dc]: 'dc', [NS.rdf]: 'rdf' };

export function parseFeed(
  bytes: Uint8Array,
  opts: { contentType?: string | null; charset?: string | null; baseUrl?: string | null } = {},
): ParsedFeed {
  if (bytes.length === 0) throw new FeedError('not a feed: empty body');
  if (bytes.length > MAX_FEED_BYTES) throw new FeedError(`feed too large: ${bytes.length} bytes (limit ${MAX_FEED_BYTES})`);
  const text = decodeBytes(bytes, opts.charset ?? charsetOf(opts.contentType));
  const base = httpUrl(opts.baseUrl ?? null, null);
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  if (first === '{' || (/\bjson\b/i.test(opts.contentType ?? '') && first !== '<')) return parseJsonFeed(text, base);
  if (first !== '<') throw new FeedError(`not a feed: the body starts with ${JSON.stringify(text.trimStart().slice(0, 20))}`);

  let doc;
  try {
    doc = parseXml(text);
  } catch (e) {
    if (!(e instanceof XmlError)) throw e;
    const firstTag = /<([A-Za-z][\w:.-]*)/.exec(text.replace(/<!--[\s\S]*?-->|<![^>]*>|<\?[\s\S]*?\?>/g, ''));
    if (firstTag && firstTag[1].toLowerCase() === 'html') throw new FeedError('not a feed: root element <html>');
    if (/refused/.test(e.message)) throw new FeedError(e.message);
    throw new FeedError(`malformed XML at line ${e.line}: ${e.message}`);
  }
  const root = doc.root;
  const feedBase = xmlBase(root, base);
  if (root.local === 'rss' && !root.prefix) return parseRss(root, feedBase);
  if (root.local === 'feed' && (root.ns === NS.atom || root.ns === null)) return parseAtom(root, feedBase);
  if (root.local === 'RDF' && is(root, NS.rdf, 'RDF')) return parseRdf(root, feedBase);
  throw new FeedError(`not a feed: root element <${root.name}>`);
}

// ---------------------------------------------------------------- charset

function charsetOf(contentType: string | null | undefined): string | null {
  const m = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType ?? '');
  return m ? m[1] : null;
}

function decoderFor(label: string | null): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim().toLowerCase(), { fatal: false, ignoreBOM: false });
  } catch {
    return null;
  }
}

function decodeBytes(bytes: Uint8Array, charset: string | null): string {
  let label: string | null = null;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) label = 'utf-8';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
  let dec = decoderFor(label) ?? decoderFor(charset);
  // a UTF-16 label on bytes we could read as ASCII is wrong (no BOM, the declaration readable): ignore it
  if (dec && !label && dec.encoding.startsWith('utf-16') && bytes[0] === 0x3c && bytes[1] !== 0) dec = null;
  if (!dec) {
    const head = new TextDecoder('windows-1252').decode(bytes.subarray(0, 512));
    const decl = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.\-]*)["']/.exec(head);
    dec = decoderFor(decl ? decl[1] : null);
    if (dec && dec.encoding.startsWith('utf-16')) dec = null;
  }
  return (dec ?? new TextDecoder('utf-8')).decode(bytes);
}

// ---------------------------------------------------------------- XML helpers

function is(el: XmlElement, ns: string | null, local: string): boolean {
  if (el.local !== local) return false;
  if (el.ns === ns) return true;
  // an undeclared conventional prefix (content:encoded without xmlns:content) still counts
  return ns !== null && el.ns === null && el.prefix === PREFIX[ns];
}

/** RSS elements: no namespace (RSS 2.0) or the RSS 1.0 / 0.90 namespaces. */
function isRss(el: XmlElement, local: string): boolean {
  return el.local === local && !el.prefix && (el.ns === null || el.ns === NS.rss1 || el.ns === NS.rss090);
}

function find(el: XmlElement, test: (c: XmlElement) => boolean): XmlElement | null {
  for (const c of el.children) if (typeof c !== 'string' && test(c)) return c;
  return null;
}

function text(el: XmlElement | null): string | null {
  if (!el) return null;
  const t = textContent(el).trim();
  return t || null;
}

function xmlBase(el: XmlElement, base: string | null): string | null {
  const b = el.attrs.find((a) => a.prefix === 'xml' && a.local === 'base')?.value;
  return b ? (httpUrl(b, base) ?? base) : base;
}

// ---------------------------------------------------------------- text helpers

/** HTML (or plain text) -> plain text: scripts, styles and tags removed, entities decoded, spaces collapsed. */
export function htmlToText(s: string | null): string | null {
  if (!s) return null;
  const t = decodeEntities(
    s
      .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<\/?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|tr|td|th|table|figure|figcaption|section|article)\b[^>]*>/gi, ' ')
      .replace(/<\/?[A-Za-z][^>]*>/g, ''),
  )
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
  return t || null;
}

function plain(s: string | null): string | null {
  if (!s) return null;
  const t = s.replace(/[\s\u00a0]+/g, ' ').trim();
  return t || null;
}

function day(s: string | null): string | null {
  return s ? parseDateValue(s) : null;
}

function itemId(id: string | null, url: string | null, title: string | null, summary: string | null): string {
  const given = id?.trim();
  if (given) return given;
  if (url) return url;
  return 'sha256:' + createHash('sha256').update(`${title ?? ''}\n${summary ?? ''}`).digest('hex');
}

function result(kind: ParsedFeed['kind'], title: string | null, link: string | null, items: FeedItem[], dropped: number): ParsedFeed {
  const feed: ParsedFeed = { kind, title, link, items };
  if (dropped > 0) feed.truncated = dropped;
  return feed;
}

// ---------------------------------------------------------------- RSS 2.0 / 0.9x

function parseRss(root: XmlElement, base: string | null): ParsedFeed {
  const channel = find(root, (c) => isRss(c, 'channel'));
  if (!channel) throw new FeedError('not a feed: <rss> without a <channel>');
  const link = httpUrl(text(find(channel, (c) => isRss(c, 'link'))), base);
  const itemBase = base ?? link;
  const items: FeedItem[] = [];
  let dropped = 0;
  // RSS 0.91 sometimes puts items beside the channel rather than in it
  for (const el of [...elementChildren(channel), ...elementChildren(root)]) {
    if (!isRss(el, 'item')) continue;
    if (items.length < MAX_FEED_ITEMS) items.push(rssItem(el, itemBase));
    else dropped++;
  }
  return result('rss', htmlToText(text(find(channel, (c) => isRss(c, 'title')))), link, items, dropped);
}

function rssItem(el: XmlElement, base: string | null): FeedItem {
  let guid: string | null = null;
  let guidIsLink = true;
  let link: string | null = null;
  let atomLink: string | null = null;
  let title: string | null = null;
  let description: string | null = null;
  let encoded: string | null = null;
  let pubDate: string | null = null;
  let dcDate: string | null = null;
  let atomDate: string | null = null;
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (isRss(c, 'guid')) {
      guid = text(c);
      guidIsLink = attr(c, 'isPermaLink') !== 'false';
    } else if (isRss(c, 'link')) link = text(c);
    else if (isRss(c, 'title')) title = text(c);
    else if (isRss(c, 'description')) description = text(c);
    else if (isRss(c, 'pubDate')) pubDate = text(c);
    else if (is(c, NS.content, 'encoded')) encoded = text(c);
    else if (is(c, NS.dc, 'date')) dcDate ??= text(c);
    else if (is(c, NS.atom, 'link') && !atomLink && (attr(c, 'rel') ?? 'alternate') === 'alternate') atomLink = attr(c, 'href');
    else if (is(c, NS.atom, 'published') || is(c, NS.atom, 'updated')) atomDate ??= text(c);
  }
  const itemBase = xmlBase(el, base);
  const url = httpUrl(link, itemBase) ?? httpUrl(atomLink, itemBase) ?? (guidIsLink ? httpUrl(guid, null) : null);
  const t = htmlToText(title);
  const summary = htmlToText(description);
  return {
    id: itemId(guid, url, t, summary),
    url,
    title: t,
    published: day(pubDate) ?? day(dcDate) ?? day(atomDate),
    summary,
    content: encoded,
    contentType: encoded ? 'text/html' : null,
  };
}

// ---------------------------------------------------------------- RDF / RSS 1.0

function parseRdf(root: XmlElement, base: string | null): ParsedFeed {
  const channel = find(root, (c) => isRss(c, 'channel'));
  const link = channel ? httpUrl(text(find(channel, (c) => isRss(c, 'link'))), base) : null;
  const items: FeedItem[] = [];
  let dropped = 0;
  for (const el of elementChildren(root)) {
    if (!isRss(el, 'item')) continue;
    if (items.length >= MAX_FEED_ITEMS) {
      dropped++;
      continue;
    }
    const item = rssItem(el, base ?? link);
    const about = el.attrs.find((a) => a.local === 'about' && (a.ns === NS.rdf || a.prefix === 'rdf'))?.value;
    if (about && item.id === (item.url ?? '')) item.id = about.trim() || item.id;
    else if (about && item.id.startsWith('sha256:')) item.id = about.trim() || item.id;
    items.push(item);
  }
  return result('rdf', channel ? htmlToText(text(find(channel, (c) => isRss(c, 'title')))) : null, link, items, dropped);
}

// ---------------------------------------------------------------- Atom 1.0

/** An Atom text construct (type text, html or xhtml) as plain text. */
function atomText(el: XmlElement | null): string | null {
  if (!el) return null;
  const type = attr(el, 'type') ?? 'text';
  if (type === 'xhtml') return plain(textContent(el));
  if (type === 'html' || type === 'text/html') return htmlToText(textContent(el));
  return plain(textContent(el));
}

function atomLink(el: XmlElement, base: string | null): string | null {
  let fallback: string | null = null;
  for (const c of el.children) {
    if (typeof c === 'string' || !is(c, NS.atom, 'link')) continue;
    const rel = attr(c, 'rel') ?? 'alternate';
    const href = httpUrl(attr(c, 'href'), xmlBase(c, base));
    if (!href) continue;
    if (rel === 'alternate') return href;
    if (rel !== 'self' && rel !== 'enclosure' && rel !== 'replies') fallback ??= href;
  }
  return fallback;
}

function parseAtom(root: XmlElement, base: string | null): ParsedFeed {
  const link = atomLink(root, base);
  const items: FeedItem[] = [];
  let dropped = 0;
  for (const el of elementChildren(root)) {
    if (!is(el, NS.atom, 'entry')) continue;
    if (items.length >= MAX_FEED_ITEMS) {
      dropped++;
      continue;
    }
    const entryBase = xmlBase(el, base);
    const get = (local: string) => find(el, (c) => is(c, NS.atom, local));
    const url = atomLink(el, entryBase);
    const title = atomText(get('title'));
    const summary = atomText(get('summary'));
    let content: string | null = null;
    let contentType: FeedItem['contentType'] = null;
    const c = get('content');
    if (c && !attr(c, 'src')) {
      const type = (attr(c, 'type') ?? 'text').toLowerCase();
      if (type === 'xhtml') {
        const div = find(c, (k) => k.local === 'div');
        content = (div ? innerXml(div) : innerXml(c)).trim() || null;
        contentType = 'text/html';
      } else if (type === 'html' || type === 'text/html') {
        content = textContent(c).trim() || null;
        contentType = 'text/html';
      } else if (type === 'text' || type === 'text/plain') {
        content = textContent(c).trim() || null;
        contentType = 'text/plain';
      }
      if (!content) contentType = null;
    }
    items.push({
      id: itemId(text(get('id')), url, title, summary),
      url,
      title,
      published: day(text(get('published'))) ?? day(text(get('updated'))) ?? day(text(find(el, (k) => is(k, NS.dc, 'date')))),
      summary,
      content,
      contentType,
    });
  }
  return result('atom', atomText(find(root, (c) => is(c, NS.atom, 'title'))), link, items, dropped);
}

// ---------------------------------------------------------------- JSON Feed 1.0 / 1.1

function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() ? v : null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function parseJsonFeed(textIn: string, base: string | null): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(textIn.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new FeedError(`malformed JSON: ${(e as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new FeedError('not a feed: JSON that is not an object');
  const feed = data as Record<string, unknown>;
  const version = str(feed.version);
  if (!version || !/^https?:\/\/jsonfeed\.org\/version\/1(?:\.\d+)?\/?$/.test(version)) {
    throw new FeedError(`not a feed: JSON without a JSON Feed version (got ${JSON.stringify(feed.version ?? null)})`);
  }
  if (!Array.isArray(feed.items)) throw new FeedError('not a feed: JSON Feed without an "items" array');
  const feedUrl = httpUrl(str(feed.feed_url), base);
  const link = httpUrl(str(feed.home_page_url), base ?? feedUrl);
  const itemBase = base ?? feedUrl ?? link;
  const items: FeedItem[] = [];
  for (const raw of feed.items.slice(0, MAX_FEED_ITEMS)) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const it = raw as Record<string, unknown>;
    const url = httpUrl(str(it.url), itemBase) ?? httpUrl(str(it.external_url), itemBase);
    const title = htmlToText(str(it.title));
    const summary = htmlToText(str(it.summary));
    const html = str(it.content_html);
    const plainText = str(it.content_text);
    items.push({
      id: itemId(str(it.id), url, title, summary),
      url,
      title,
      published: day(str(it.date_published)) ?? day(str(it.date_modified)),
      summary,
      content: html ?? plainText,
      contentType: html ? 'text/html' : plainText ? 'text/plain' : null,
    });
  }
  return result('json', htmlToText(str(feed.title)), link, items, Math.max(0, feed.items.length - MAX_FEED_ITEMS));
}
