// The work of the live record's jobs, once for every queue that carries them: a poll fetches a feed (conditional GET)
// and records its items, each judged by its words (skipped, with the reason, when it is not about a protest); an item
// fetches its page (or reads the feed's own text), judges a page that came with a title only, extracts it and saves
// it with its near-duplicate link; a delivery POSTs a signed event to a webhook. Where the jobs wait, and how a job's
// outcome commits with its effects, is the host's business: SQLite's job table (src/live/watch.ts) or pg-boss on
// PostgreSQL (src/jobs/live.ts). A fetch that failed for a passing reason (the network, a timeout, a 429 or 5xx) is
// tried again later while the host allows; input that can never be read fails for good, with the reason.
import { protestReport } from '../core/relevance.js';
import type { EventRecord } from '../core/types.js';
import { FeedError, parseFeed } from '../feeds/parse.js';
import { protestRelevance, titleOnly } from '../feeds/relevance.js';
import { NEAR_DUPLICATE_BITS, simhash } from '../feeds/simhash.js';
import { FetchError, Politeness, RobotsCache, safeFetch, type FetchResult } from '../fetch/index.js';
import { IngestError } from '../ingest/index.js';
import { eventKey } from '../merge/cluster.js';
import { processInput } from '../pipeline.js';
import type { Gazetteer } from '../resolve/gazetteer.js';
import type { DeliverPayload, Delivery, FetchLogEntry, ItemPayload, ItemResult, NewItem, PollOutcome, PollPayload, Source, Webhook } from '../store/live.js';
import type { SaveOutcome } from '../store/repository.js';
import { deliver } from './webhooks.js';

type Awaitable<T> = T | Promise<T>;

/** Where a job runs: its store, and how its outcome is committed. `J` is the host's job (its attempts counted from 1). */
export interface LiveHost<J extends { attempts: number }> {
  getSource(id: number): Awaitable<Source | null>;
  logFetch(entry: Omit<FetchLogEntry, 'id' | 'at' | 'source_id'> & { source_id?: number | null }): Awaitable<void>;
  /** a poll's outcome with its effects and the job's end, in one transaction (see LiveStore.finishPoll) */
  finishPoll(job: J, sourceId: number, outcome: PollOutcome): Awaitable<{ itemsNew: number; itemsSkipped: number }>;
  /** an item's outcome with its effects and the job's end, in one transaction (see LiveStore.finishItem) */
  finishItem(job: J, itemId: number | null, result: ItemResult): Awaitable<SaveOutcome | null>;
  nearArticles(simhash: bigint, maxBits: number, except: string): Awaitable<Array<{ id: string; distance: number }>>;
  articleEventKeys(articleId: string): Awaitable<string[]>;
  getWebhook(id: number): Awaitable<Webhook | null>;
  getEvent(id: string): Awaitable<EventRecord | null>;
  /** one delivery attempt logged (the hook disabled after `disableAfter` failures in a row); a delivered job ends with it */
  recordDelivery(job: J, d: Omit<Delivery, 'id' | 'at'>, disableAfter: number): Awaitable<void>;
  /** whether a failed attempt of the job may be tried again */
  mayRetry(job: J): boolean;
  /** puts the job back to be tried again after a pause that grows with each attempt */
  retryLater(job: J, error: string): Awaitable<void>;
  /** fails the job for good with the reason */
  failJob(job: J, error: string): Awaitable<void>;
  completeJob(job: J): Awaitable<void>;
}

export interface WorkOptions {
  /** hosts admitted despite resolving to loopback or private addresses (intranet feeds, tests) */
  allowHosts: string[];
  /** minimum time between two requests to one host */
  politenessMs: number;
  /** consecutive failed deliveries that disable a webhook */
  disableAfter: number;
  respectRobots: boolean;
  gazetteer: Gazetteer;
  log?: (line: string) => void;
}

/** What an item job came to: its article saved, failed for good, skipped (its page no protest report), or put back for a retry. */
export type ItemOutcome = SaveOutcome | 'failed' | 'skipped' | 'retry';

const FEED_ACCEPT = 'application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';
const PAGE_ACCEPT = 'text/html, application/xhtml+xml, text/plain;q=0.9, text/markdown;q=0.9, */*;q=0.5';
/** Fetch failures worth another try: the network, the server's load, timeouts. */
const RETRYABLE = new Set(['network', 'dns', 'connect_timeout', 'timeout']);

function retryable(e: unknown): boolean {
  if (!(e instanceof FetchError)) return false;
  if (e.code === 'http_status') return e.status === 429 || (e.status ?? 0) >= 500;
  return RETRYABLE.has(e.code);
}

/** Waits `ms`, or less when `signal` aborts first. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((done) => {
    const wake = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', wake);
      done();
    };
    const t = setTimeout(wake, ms);
    signal.addEventListener('abort', wake, { once: true });
  });
}

export function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The items of a fetched feed, each judged by its words (a title alone is judged on its page later); FeedError when it is no feed. */
export function feedItems(res: FetchResult): NewItem[] {
  const feed = parseFeed(res.bytes, { contentType: res.contentType, charset: res.charset, baseUrl: res.url });
  return feed.items.map((it) => {
    const item: NewItem = { key: it.id, url: it.url, title: it.title, published: it.published, skipReason: null, content: it.content, contentType: it.contentType };
    if (titleOnly(it)) {
      // a headline alone is no evidence either way: the page is fetched and judged
      if (it.url) item.judgeOnPage = true;
      else item.skipReason = 'a title only, and no link to a page to judge';
    } else {
      const rel = protestRelevance(it);
      if (!rel.relevant) item.skipReason = rel.reason;
    }
    return item;
  });
}

/** Runs poll, item and delivery jobs on a host. */
export class LiveWork<J extends { attempts: number }> {
  private readonly robots: RobotsCache | null;
  private readonly politeness: Politeness;

  constructor(
    private readonly host: LiveHost<J>,
    private readonly o: WorkOptions,
  ) {
    this.politeness = new Politeness(o.politenessMs);
    this.robots = o.respectRobots ? new RobotsCache({ allowHosts: o.allowHosts }) : null;
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  private fetch(url: string, extra: { etag?: string | null; lastModified?: string | null; accept: string }): Promise<FetchResult> {
    return safeFetch(url, { ...extra, allowHosts: this.o.allowHosts, robots: this.robots, politeness: this.politeness });
  }

  /** Tries the job again later while the host allows, else fails it for good; true when it will be tried again. */
  async retryOrFail(job: J, error: string): Promise<boolean> {
    const again = this.host.mayRetry(job);
    if (again) await this.host.retryLater(job, error);
    else await this.host.failJob(job, error);
    return again;
  }

  async poll(job: J, { sourceId }: PollPayload): Promise<void> {
    const source = await this.host.getSource(sourceId);
    if (!source) {
      await this.host.completeJob(job); // removed since it was queued
      return;
    }
    let res: FetchResult;
    try {
      res = await this.fetch(source.url, { etag: source.etag, lastModified: source.last_modified, accept: FEED_ACCEPT });
    } catch (e) {
      const error = describe(e);
      const status = e instanceof FetchError ? (e.status ?? null) : null;
      this.log(`poll ${source.url}: ${error}`);
      if (retryable(e) && this.host.mayRetry(job)) {
        await this.host.logFetch({ source_id: sourceId, url: source.url, status, items_new: 0, items_skipped: 0, error: `${error} (will retry)` });
        await this.host.retryLater(job, error);
      } else await this.host.finishPoll(job, sourceId, { status, error });
      return;
    }
    if (res.notModified) {
      await this.host.finishPoll(job, sourceId, { status: 304 });
      this.log(`poll ${source.url}: 304 not modified`);
      return;
    }
    let items: NewItem[];
    try {
      items = feedItems(res);
    } catch (e) {
      const msg = e instanceof FeedError ? `not a readable feed: ${e.message}` : describe(e);
      this.log(`poll ${source.url}: ${msg}`);
      await this.host.finishPoll(job, sourceId, { status: res.status, error: msg });
      return;
    }
    const r = await this.host.finishPoll(job, sourceId, { status: res.status, etag: res.etag, lastModified: res.lastModified, items });
    this.log(`poll ${source.url}: ${res.status}, ${items.length} items, ${r.itemsNew} new, ${r.itemsSkipped} skipped`);
  }

  async item(job: J, p: ItemPayload): Promise<ItemOutcome> {
    let bytes: Uint8Array;
    let name: string;
    let contentType: string | null;
    if (p.url) {
      try {
        const res = await this.fetch(p.url, { accept: PAGE_ACCEPT });
        bytes = res.bytes;
        name = res.url;
        contentType = res.contentType;
      } catch (e) {
        this.log(`item ${p.url}: ${describe(e)}`);
        // the last try's failure ends the job in the item's own transaction (finishItem), not before it
        if (retryable(e) && this.host.mayRetry(job)) {
          await this.host.retryLater(job, describe(e));
          return 'retry';
        }
        await this.host.finishItem(job, p.itemId, { error: describe(e) });
        return 'failed';
      }
    } else if (p.content) {
      bytes = Buffer.from(p.content, 'utf8');
      name = `feed item ${p.itemId}`;
      contentType = p.contentType;
    } else {
      await this.host.finishItem(job, p.itemId, { error: 'the item has neither a link nor content' });
      return 'failed';
    }
    return this.ingest(job, p.itemId, { bytes, name, url: p.url, contentType }, p.judgeOnPage ?? false);
  }

  /**
   * Extracts one fetched page and saves it with its near-duplicate link, in the job's transaction. With `judge` (a
   * feed item that gave a title only), a page that is no protest report is skipped instead.
   */
  private async ingest(
    job: J,
    itemId: number | null,
    input: { bytes: Uint8Array; name: string; url: string | null; contentType: string | null },
    judge: boolean,
  ): Promise<ItemOutcome> {
    let processed;
    try {
      processed = processInput({ bytes: input.bytes, name: input.name, url: input.url, contentType: input.contentType }, this.o.gazetteer);
    } catch (e) {
      const msg = e instanceof IngestError ? e.message : describe(e);
      this.log(`${input.name}: ${msg}`);
      await this.host.finishItem(job, itemId, { error: msg });
      return 'failed';
    }
    if (judge) {
      const { article } = processed;
      const titleInText = article.blocks.some((b) => b.kind === 'title');
      const rel = protestReport(article.text, titleInText ? null : article.title, { published: article.published });
      if (!rel.relevant) {
        this.log(`${input.name}: skipped: ${rel.reason}`);
        await this.host.finishItem(job, itemId, { skipped: `page: ${rel.reason}` });
        return 'skipped';
      }
    }
    // a near-duplicate is close in text AND reports some of the same events: templated local stories about
    // different places read alike, but only syndicated copies of one story report the same demonstrations
    const hash = simhash(processed.article.text);
    const keys = new Set(processed.mentions.map(eventKey));
    let duplicateOf: { id: string; distance: number } | null = null;
    if (keys.size) {
      for (const c of await this.host.nearArticles(hash, NEAR_DUPLICATE_BITS, processed.article.id)) {
        if ((await this.host.articleEventKeys(c.id)).some((k) => keys.has(k))) {
          duplicateOf = c;
          break;
        }
      }
    }
    const out = await this.host.finishItem(job, itemId, { article: processed.article, mentions: processed.mentions, simhash: hash, duplicateOf });
    if (!out) return 'failed';
    this.log(`${input.name}: ${out.article}, ${out.eventsNew} events new, ${out.eventsUpdated} updated${duplicateOf ? `, near-duplicate of ${duplicateOf.id.slice(0, 12)}` : ''}`);
    return out;
  }

  async deliver(job: J, p: DeliverPayload): Promise<void> {
    const hook = await this.host.getWebhook(p.webhookId);
    const event = await this.host.getEvent(p.eventId);
    if (!hook || !hook.active || !event) {
      await this.host.completeJob(job);
      return;
    }
    const body = { type: p.created ? 'event.created' : 'event.updated', change: p.change ?? 'ingest', review_status: event.review_status, revision: p.revision, event } as const;
    const r = await deliver(hook, body, { allowHosts: this.o.allowHosts });
    await this.host.recordDelivery(job, { webhook_id: hook.id, event_id: p.eventId, revision: p.revision, attempt: job.attempts, status: r.status, ok: r.ok, error: r.error }, this.o.disableAfter);
    if (r.ok) return;
    this.log(`webhook ${hook.id} ${hook.url}: delivery of ${p.eventId} r${p.revision} failed: ${r.error ?? r.status}`);
    const still = await this.host.getWebhook(hook.id);
    if (!still?.active) {
      await this.host.failJob(job, `webhook disabled: ${still?.disabled_reason ?? 'removed'}`);
      this.log(`webhook ${hook.id} disabled: ${still?.disabled_reason ?? 'removed'}`);
    } else await this.retryOrFail(job, r.error ?? `HTTP ${r.status}`);
  }
}

