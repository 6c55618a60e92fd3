// The ingest stage: untrusted bytes (HTML, plain text, Markdown) -> Article. Pure: no I/O, no clock.

import { hash } from 'node:crypto';
import type { Article } from '../core/types.js';
import { dateFromUrl, isoDay } from './dates.js';
import { decode } from './decode.js';
import { IngestError } from './errors.js';
import { extractHtml } from './html.js';
import { extractText, looksLikeMarkdown, type ExtractedFields } from './text.js';

export { IngestError, type IngestErrorCode } from './errors.js';
export { MAX_BYTES } from './decode.js';

export interface IngestInput {
  bytes: Uint8Array;
  /** file path, URL or "-" (stdin), as given by the user */
  name: string;
  url?: string | null;
  /** YYYY-MM-DD given by the user: wins over anything found in the document */
  published?: string | null;
  /** e.g. "text/html; charset=iso-8859-1" */
  contentType?: string | null;
}

export type InputFormat = 'html' | 'markdown' | 'text';

export function ingest(input: IngestInput): Article {
  const { bytes, name } = input;
  if (!(bytes instanceof Uint8Array)) throw new IngestError('bad_option', 'input bytes must be a Uint8Array');
  const published = checkPublished(input.published);
  const url = checkUrl(input.url);

  const decoded = decode(bytes, input.contentType);
  const format = detectFormat(decoded.text, name, input.contentType ?? null);

  let fields: ExtractedFields;
  let articleUrl = url;
  let publisher: string | null = null;
  if (format === 'html') {
    const html = extractHtml(decoded.text, { url });
    fields = html;
    articleUrl = html.url;
    publisher = html.publisher;
  } else {
    fields = extractText(decoded.text, { markdown: format === 'markdown' });
    publisher = url ? hostOf(url) : null;
    const fromUrl = fields.published ? null : dateFromUrl(url);
    if (fromUrl) fields = { ...fields, published: fromUrl, publishedSource: 'url', publishedEvidence: url };
  }

  if (!fields.blocks.some((b) => b.kind !== 'furniture' && b.kind !== 'title')) {
    throw new IngestError(
      'no_text',
      format === 'html' ? 'no article text found in the HTML page' : 'no article text found (only page furniture)',
    );
  }

  const article: Article = {
    // (the one-shot hash: the same digest as createHash('sha256').update(text).digest('hex'), without the Hash object)
    id: hash('sha256', fields.text, 'hex'),
    name,
    url: articleUrl,
    title: fields.title,
    publisher,
    published: published ?? fields.published,
    publishedSource: published ? 'option' : fields.publishedSource,
    publishedEvidence: published ? `--published ${published}` : fields.publishedEvidence,
    text: fields.text,
    blocks: fields.blocks,
    flags: [...new Set([...decoded.flags, ...fields.flags])],
  };
  return article;
}

/** The caller's content type wins (except a text/plain label on an obvious HTML document), then the file name, then a sniff. */
export function detectFormat(text: string, name: string, contentType: string | null): InputFormat {
  const head = text.slice(0, 2048).replace(/^\ufeff/, '').trimStart().toLowerCase();
  const strongHtml = /^(?:<!doctype html|<html[\s>]|<\?xml[^>]*>\s*<!doctype html)/.test(head);
  const type = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'text/markdown' || type === 'text/x-markdown') return 'markdown';
  if (strongHtml) return 'html';
  if (type === 'text/plain') return 'text';
  const ext = /\.([a-z0-9]+)$/i.exec(name.split(/[?#]/)[0])?.[1]?.toLowerCase() ?? '';
  if (ext === 'html' || ext === 'htm' || ext === 'xhtml' || ext === 'shtml') return 'html';
  if (ext === 'md' || ext === 'markdown' || ext === 'mdown' || ext === 'mkd') return 'markdown';
  if (ext !== 'txt' && /^<(?:head|body|meta|title|div|article|p|section|main)[\s>]/.test(head)) return 'html';
  return looksLikeMarkdown(text) ? 'markdown' : 'text';
}

function checkPublished(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value).trim());
  const iso = m ? isoDay(+m[1], +m[2], +m[3]) : null;
  if (!iso) throw new IngestError('bad_option', `invalid published date "${value}": expected a real day as YYYY-MM-DD`);
  return iso;
}

function checkUrl(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(String(value).trim());
  } catch {
    throw new IngestError('bad_option', `invalid url "${value}": expected an absolute http(s) URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new IngestError('bad_option', `invalid url "${value}": only http and https URLs are accepted`);
  }
  return parsed.href;
}

function hostOf(u: string): string | null {
  try {
    return new URL(u).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}
