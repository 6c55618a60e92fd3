// The one place the stages are composed: ingest -> extract (+ resolve) -> merge -> store.
// Side effects (files, the store, the clock) are the caller's: every stage here is a pure function.
import type { Article, EventRecord, Mention } from './core/types.js';
import { extract } from './extract/index.js';
import { ingest } from './ingest/index.js';
import { merge, sourceRef } from './merge/cluster.js';
import { loadGazetteer, type Gazetteer } from './resolve/gazetteer.js';
import type { Repository, SaveOutcome } from './store/repository.js';
import type { Store } from './store/store.js';

export interface RawInput {
  bytes: Uint8Array;
  name: string;
  url?: string | null;
  published?: string | null;
  contentType?: string | null;
  /** the day the input was read (YYYY-MM-DD); defaults to today */
  today?: string | null;
}

export interface Processed {
  article: Article;
  mentions: Mention[];
}

/** ingest + extract + resolve for one input. Throws IngestError for input it cannot read. */
export function processInput(input: RawInput, gaz: Gazetteer = loadGazetteer()): Processed {
  return extractArticle(ingest(input), input, gaz);
}

/** extract + resolve for an ingested article, read on the input's day. */
function extractArticle(article: Article, input: RawInput, gaz: Gazetteer): Processed {
  const result = extract(article, gaz, { today: input.today === undefined ? new Date().toISOString().slice(0, 10) : input.today });
  for (const f of result.flags) if (!article.flags.includes(f)) article.flags.push(f);
  return { article, mentions: result.mentions };
}

/** One article's own events: its mentions merged with each other only (what `turnout extract` prints). */
export function articleEvents(p: Processed): EventRecord[] {
  return merge(p.mentions, new Map([[p.article.id, sourceRef(p.article)]]));
}

/** What ingesting an article the store already holds changes: nothing. */
function unchanged(articleId: string): SaveOutcome & { articleId: string } {
  return { article: 'unchanged', mentions: 0, eventsNew: 0, eventsUpdated: 0, changed: [], articleId };
}

/**
 * ingest + extract + store: re-ingesting the same article is a no-op, and costs no extraction (the article's id is
 * known once it is read).
 */
export function ingestInto(repo: Repository, input: RawInput, gaz: Gazetteer = loadGazetteer()): SaveOutcome & { articleId: string } {
  const article = ingest(input);
  if (repo.hasArticle(article.id)) return unchanged(article.id);
  const p = extractArticle(article, input, gaz);
  return { ...repo.saveArticle(p.article, p.mentions), articleId: p.article.id };
}

/** ingestInto on the asynchronous Store (SQLite or PostgreSQL): what `turnout ingest` runs. */
export async function ingestIntoStore(store: Store, input: RawInput, gaz: Gazetteer = loadGazetteer()): Promise<SaveOutcome & { articleId: string }> {
  const article = ingest(input);
  if (await store.hasArticle(article.id)) return unchanged(article.id);
  const p = extractArticle(article, input, gaz);
  return { ...(await store.saveArticle(p.article, p.mentions)), articleId: p.article.id };
}
