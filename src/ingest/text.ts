// Plain text and Markdown -> article fields. Lines are blocks; blank lines separate groups.
// No DOM, no Readability: this path must stay well under a millisecond for a 5 KB article.

import type { Block, PublishedSource } from '../core/types.js';
import { classifyLines, layout, publishedFromLines, type Line } from './classify.js';
import { parseDateValue } from './dates.js';

export interface ExtractedFields {
  text: string;
  blocks: Block[];
  title: string | null;
  published: string | null;
  publishedSource: PublishedSource;
  publishedEvidence: string | null;
  flags: string[];
}

/** Heuristic: ATX headings, or several inline links / images. */
export function looksLikeMarkdown(text: string): boolean {
  const sample = text.length > 20000 ? text.slice(0, 20000) : text;
  if (/^#{1,6}[ \t]+\S/m.test(sample)) return true;
  const links = sample.match(/!?\[[^\]\n]{1,200}\]\([^)\s]{1,500}(?:\s+"[^"]*")?\)/g);
  return links !== null && links.length >= 2;
}

export function extractText(raw: string, opts: { markdown: boolean }): ExtractedFields {
  const flags: string[] = [];
  const src = raw.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  const front = opts.markdown ? frontMatter(src) : null;
  const body = front ? src.slice(front.length) : src;
  const lines = opts.markdown ? markdownLines(body) : plainLines(body);
  if (opts.markdown) flags.push('markdown');
  if (front?.title) lines.unshift({ text: front.title, hint: 'title', gap: 0 });
  if (lines.length > 0) lines[0].gap = 0;

  const cls = classifyLines(lines, { findTitle: true });
  const { text, blocks } = layout(lines, cls.pieces);
  const title = cls.titleLine >= 0 ? lines[cls.titleLine].text : null;

  let published: string | null = null;
  let publishedSource: PublishedSource = null;
  let publishedEvidence: string | null = null;
  const frontDate = front?.date ? parseDateValue(front.date) : null;
  if (frontDate && front) {
    published = frontDate;
    publishedSource = 'meta';
    publishedEvidence = `date: ${front.date}`;
  } else {
    const found = publishedFromLines(lines, cls);
    if (found) {
      published = found.published;
      publishedSource = found.source;
      publishedEvidence = found.evidence;
    }
  }
  return { text, blocks, title, published, publishedSource, publishedEvidence, flags };
}

/** Every non-blank line, trimmed; the gap records whether blank lines came before it. */
function plainLines(src: string): Line[] {
  const lines: Line[] = [];
  let blank = false;
  for (const rawLine of src.split('\n')) {
    const text = rawLine.trim();
    if (!text) {
      blank = true;
      continue;
    }
    lines.push({ text, hint: null, gap: blank ? 2 : 1 });
    blank = false;
  }
  return lines;
}

const ATX = /^#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^(?:=+|-+)[ \t]*$/;
const RULE = /^(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const IMAGE_ONLY = /^!\[([^\]]*)\]\([^)]*\)$/;
const LINK_DEF = /^\[[^\]]+\]:\s*\S+/;
const FENCE = /^(?:```|~~~)/;

function markdownLines(src: string): Line[] {
  const raw = src.split('\n');
  const lines: Line[] = [];
  let blank = false;
  let firstH1 = -1;
  for (let i = 0; i < raw.length; i++) {
    let t = raw[i].trim();
    if (!t || FENCE.test(t) || LINK_DEF.test(t) || /^<!--.*-->$/.test(t)) {
      blank = true;
      continue;
    }
    const gap = blank ? 2 : 1;
    blank = false;
    const next = i + 1 < raw.length ? raw[i + 1].trim() : '';
    if (SETEXT.test(next) && !RULE.test(t) && next.length >= 2) {
      lines.push({ text: inlineMarkdown(t), hint: 'heading', gap });
      i++;
      blank = true;
      continue;
    }
    if (RULE.test(t)) {
      blank = true;
      continue;
    }
    const atx = ATX.exec(t);
    if (atx) {
      const text = inlineMarkdown(atx[1]);
      if (text) lines.push({ text, hint: 'heading', gap });
      if (text && t.startsWith('# ') && firstH1 < 0) firstH1 = lines.length - 1;
      continue;
    }
    const image = IMAGE_ONLY.exec(t);
    if (image) {
      const alt = image[1].trim();
      if (alt) lines.push({ text: alt, hint: 'caption', gap });
      continue;
    }
    t = t.replace(/^(?:>\s?)+/, '').replace(/^[-*+][ \t]+/, '• ');
    const text = inlineMarkdown(t).trim();
    if (text) lines.push({ text, hint: null, gap });
  }
  // The title: the first "# " heading near the top, else the first heading when only short lines precede it.
  const first = lines.findIndex((l) => l.hint === 'heading');
  if (firstH1 >= 0 && firstH1 < 5) lines[firstH1].hint = 'title';
  else if (first >= 0 && first < 3 && lines.slice(0, first).every((l) => l.text.length < 40)) lines[first].hint = 'title';
  return lines;
}

/** Remove inline Markdown syntax, keeping the words: links, images, emphasis, code spans, inline HTML. */
export function inlineMarkdown(s: string): string {
  if (!/[[*_`<~\\]/.test(s)) return s;
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<\/?[a-zA-Z][^>]*>/g, '')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])/g, '$1')
    .replace(/(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])/g, '$1')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!>])/g, '$1');
}

/** YAML front matter ("---" ... "---") at the very top: its length and the title/date keys. */
function frontMatter(src: string): { length: number; title: string | null; date: string | null } | null {
  const m = /^---[ \t]*\n([\s\S]{0,4000}?)\n---[ \t]*(?:\n|$)/.exec(src);
  if (!m) return null;
  const value = (key: string): string | null => {
    const kv = new RegExp(`^${key}[ \\t]*:[ \\t]*(.+)$`, 'mi').exec(m[1]);
    return kv ? kv[1].trim().replace(/^(["'])(.*)\1$/, '$2') || null : null;
  };
  return { length: m[0].length, title: value('title'), date: value('date') ?? value('published') };
}
