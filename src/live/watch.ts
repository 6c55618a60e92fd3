// The scheduler of the live record: polls due feed sources, fetches and ingests their new items, and
// delivers webhooks, all through the durable job table. A job's result commits in one transaction with its
// effects, so a process killed at any moment resumes with no item lost and none processed twice; two
// watchers on one store claim jobs atomically and never take the same one.
// Relevance: an item with a summary or content is judged by its words before anything is fetched (skipped,
// with the reason, when it is not about a protest); an item with a title only is fetched and its page
// judged by the same classifier (src/core/relevance.ts), then ingested or skipped with the page's reason.
import { protestReport } from '../core/relevance.js';
import { FeedError, parseFeed } from '../feeds/parse.js';
import { protestRelevance, titleOnly } from '../feeds/relevance.js';
import { NEAR_DUPLICATE_BITS, simhash } from '../feeds/simhash.js';
import { FetchError, Politeness, RobotsCache, safeFetch, type FetchResult } from '../fetch/index.js';
import { IngestError } from '../ingest/index.js';
import { eventKey } from '../merge/cluster.js';
import { processInput } from '../pipeline.js';
import { loadGazetteer, type Gazetteer } from '../resolve/gazetteer.js';
import type { DeliverPayload, ItemPayload, Job, LiveStore, NewItem, PollPayload } from '../store/live.js';
import { workerId } from '../store/sqlite/live.js';
import type { Repository, SaveOutcome } from '../store/repository.js';
import { deliver } from './webhooks.js';

export interface WatchOptions {
  /** hosts admitted despite resolving to loopback or private addresses (intranet feeds, tests) */
  allowHosts: string[];
  /** how long a claimed job stays this worker's before another may take it over */
  leaseMs?: number;
  /** the first retry waits this long; each further one twice as long */
  retryBaseMs?: number;
  /** attempts before a job fails for good */
  maxAttempts?: number;
  /** minimum time between two requests to one host */
  politenessMs?: number;
  /** consecutive failed deliveries that disable a webhook */
  disableAfter?: number;
  respectRobots?: boolean;
  log?: (line: string) => void;
}

export interface DrainSummary {
  jobs: number;
  polls: number;
  items: number;
  /** items that could not be fetched or read (and will not be retried) */
  itemsFailed: number;
  /** items fetched for their page (the feed gave a title only) whose page is no protest report */
  itemsSkipped: number;
  deliveries: number;
  failures: number;
  eventsNew: number;
  eventsUpdated: number;
}

const FEED_ACCEPT = 'application/atom+xml, application/rss+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';
const PAGE_ACCEPT = 'text/html, application/xhtml+xml, text/plain;q=0.9, text/markdown;q=0.9, */*;q=0.5';
/** Fetch failures worth another try: the network, the server's load, timeouts. */
const RETRYABLE = new Set(['network', 'dns', 'connect_timeout', 'timeout']);

function retryable(e: unknown): boolean {
  if (!(e instanceof FetchError)) return false;
  if (e.code === 'http_status') return e.status === 429 || (e.status ?? 0) >= 500;
  return RETRYABLE.has(e.code);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class Watcher {
  readonly live: LiveStore;
  private readonly worker = workerId();
  private rounds = 0;
  private readonly gaz: Gazetteer;
  private readonly robots: RobotsCache | null;
  private readonly politeness: Politeness;
  private readonly o: Required<Omit<WatchOptions, 'log'>> & Pick<WatchOptions, 'log'>;

  constructor(
    private readonly repo: Repository,
    opts: WatchOptions,
  ) {
    this.live = repo.live();
    this.gaz = loadGazetteer();
    this.o = {
      leaseMs: 120_000,
      retryBaseMs: 30_000,
      maxAttempts: 5,
      politenessMs: 1_000,
      disableAfter: 5,
      respectRobots: true,
      ...opts,
    };
    this.politeness = new Politeness(this.o.politenessMs);
    this.robots = this.o.respectRobots ? new RobotsCache({ allowHosts: this.o.allowHosts }) : null;
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  private fetch(url: string, extra: { etag?: string | null; lastModified?: string | null; accept: string }): Promise<FetchResult> {
    return safeFetch(url, { ...extra, allowHosts: this.o.allowHosts, robots: this.robots, politeness: this.politeness });
  }

  /**
   * Queues one poll of every source, then works until no job is left (turnout watch --once). Retries due
   * within `waitMs` are waited for; later ones are left to the next run.
   */
  async once(waitMs = 60_000): Promise<DrainSummary> {
    this.live.enqueueAllPolls(`${this.worker}-${++this.rounds}`);
    const total = await this.drain();
    for (;;) {
      const next = this.live.nextRetry();
      const wait = next === null ? Infinity : Date.parse(next) - Date.now();
      if (wait > waitMs) return total;
      await new Promise((r) => setTimeout(r, Math.max(0, wait)));
      const more = await this.drain();
      for (const k of Object.keys(total) as Array<keyof DrainSummary>) total[k] += more[k];
    }
  }

  /** Polls due sources and works the queue until `signal` aborts (turnout watch, turnout serve). */
  async run(signal: AbortSignal, tickMs = 1_000): Promise<void> {
    while (!signal.aborted) {
      this.live.enqueueDuePolls();
      await this.drain(signal);
      await new Promise<void>((done) => {
        const wake = () => {
          clearTimeout(t);
          signal.removeEventListener('abort', wake);
          done();
        };
        const t = setTimeout(wake, tickMs);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Works claimable jobs until none is left; jobs waiting for a retry later are left for later. */
  async drain(signal?: AbortSignal): Promise<DrainSummary> {
    const s: DrainSummary = { jobs: 0, polls: 0, items: 0, itemsFailed: 0, itemsSkipped: 0, deliveries: 0, failures: 0, eventsNew: 0, eventsUpdated: 0 };
    for (;;) {
      if (signal?.aborted) return s;
      const job = this.live.claim(this.worker, this.o.leaseMs);
      if (!job) return s;
      s.jobs++;
      try {
        if (job.kind === 'poll') {
          s.polls++;
          await this.poll(job);
        } else if (job.kind === 'item') {
          s.items++;
          const out = await this.item(job);
          if (out === 'failed') s.itemsFailed++;
          else if (out === 'skipped') s.itemsSkipped++;
          else if (out !== 'retry') {
            s.eventsNew += out.eventsNew;
            s.eventsUpdated += out.eventsUpdated;
          }
        } else if (job.kind === 'deliver') {
          s.deliveries++;
          await this.deliver(job);
        } else this.live.failJob(job.id, `unknown job kind ${job.kind}`, null);
      } catch (e) {
        // a bug, not bad input: keep the job for a retry and go on with the others
        s.failures++;
        this.log(`job ${job.id} (${job.kind}) failed: ${describe(e)}`);
        this.retryOrFail(job, describe(e));
      }
    }
  }

  private retryAt(job: Job): string | null {
    if (job.attempts >= this.o.maxAttempts) return null;
    return new Date(Date.now() + this.o.retryBaseMs * 2 ** (job.attempts - 1)).toISOString();
  }

  private retryOrFail(job: Job, error: string): boolean {
    const at = this.retryAt(job);
    this.live.failJob(job.id, error, at);
    return at !== null;
  }

  private async poll(job: Job): Promise<void> {
    const { sourceId } = JSON.parse(job.payload) as PollPayload;
    const source = this.live.getSource(sourceId);
    if (!source) {
      this.live.completeJob(job.id); // removed since it was queued
      return;
    }
    let res: FetchResult;
    try {
      res = await this.fetch(source.url, { etag: source.etag, lastModified: source.last_modified, accept: FEED_ACCEPT });
    } catch (e) {
      const error = describe(e);
      const status = e instanceof FetchError ? (e.status ?? null) : null;
      const retry = retryable(e) ? this.retryAt(job) : null;
      this.log(`poll ${source.url}: ${error}`);
      if (retry) {
        this.live.logFetch({ source_id: sourceId, url: source.url, status, items_new: 0, items_skipped: 0, error: `${error} (will retry)` });
        this.live.failJob(job.id, error, retry);
      } else this.live.finishPoll(job.id, sourceId, { status, error });
      return;
    }
    if (res.notModified) {
      this.live.finishPoll(job.id, sourceId, { status: 304 });
      this.log(`poll ${source.url}: 304 not modified`);
      return;
    }
    let items: NewItem[];
    try {
      const feed = parseFeed(res.bytes, { contentType: res.contentType, charset: res.charset, baseUrl: res.url });
      items = feed.items.map((it) => {
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
    } catch (e) {
      const msg = e instanceof FeedError ? `not a readable feed: ${e.message}` : describe(e);
      this.log(`poll ${source.url}: ${msg}`);
      this.live.finishPoll(job.id, sourceId, { status: res.status, error: msg });
      return;
    }
    const r = this.live.finishPoll(job.id, sourceId, { status: res.status, etag: res.etag, lastModified: res.lastModified, items });
    this.log(`poll ${source.url}: ${res.status}, ${items.length} items, ${r.itemsNew} new, ${r.itemsSkipped} skipped`);
  }

  private async item(job: Job): Promise<SaveOutcome | 'failed' | 'skipped' | 'retry'> {
    const p = JSON.parse(job.payload) as ItemPayload;
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
        if (retryable(e) && this.retryOrFail(job, describe(e))) return 'retry';
        this.live.finishItem(job.id, p.itemId, { error: describe(e) });
        return 'failed';
      }
    } else if (p.content) {
      bytes = Buffer.from(p.content, 'utf8');
      name = `feed item ${p.itemId}`;
      contentType = p.contentType;
    } else {
      this.live.finishItem(job.id, p.itemId, { error: 'the item has neither a link nor content' });
      return 'failed';
    }
    return this.ingest(job.id, p.itemId, { bytes, name, url: p.url, contentType }, p.judgeOnPage ?? false);
  }

  /**
   * Extracts one fetched page and saves it with its near-duplicate link, in the job's transaction. With
   * `judge` (a feed item that gave a title only), a page that is no protest report is skipped instead.
   */
  private ingest(
    jobId: number,
    itemId: number | null,
    input: { bytes: Uint8Array; name: string; url: string | null; contentType: string | null },
    judge = false,
  ): SaveOutcome | 'failed' | 'skipped' {
    let processed;
    try {
      processed = processInput({ bytes: input.bytes, name: input.name, url: input.url, contentType: input.contentType }, this.gaz);
    } catch (e) {
      const msg = e instanceof IngestError ? e.message : describe(e);
      this.log(`${input.name}: ${msg}`);
      this.live.finishItem(jobId, itemId, { error: msg });
      return 'failed';
    }
    if (judge) {
      const { article } = processed;
      const titleInText = article.blocks.some((b) => b.kind === 'title');
      const rel = protestReport(article.text, titleInText ? null : article.title, { published: article.published });
      if (!rel.relevant) {
        this.log(`${input.name}: skipped: ${rel.reason}`);
        this.live.finishItem(jobId, itemId, { skipped: `page: ${rel.reason}` });
        return 'skipped';
      }
    }
    // a near-duplicate is close in text AND reports some of the same events: templated local stories about
    // different places read alike, but only syndicated copies of one story report the same demonstrations
    const hash = simhash(processed.article.text);
    const keys = new Set(processed.mentions.map(eventKey));
    const duplicateOf = keys.size
      ? (this.live.nearArticles(hash, NEAR_DUPLICATE_BITS, processed.article.id).find((c) => this.live.articleEventKeys(c.id).some((k) => keys.has(k))) ?? null)
      : null;
    const out = this.live.finishItem(jobId, itemId, { article: processed.article, mentions: processed.mentions, simhash: hash, duplicateOf });
    if (!out) return 'failed';
    this.log(`${input.name}: ${out.article}, ${out.eventsNew} events new, ${out.eventsUpdated} updated${duplicateOf ? `, near-duplicate of ${duplicateOf.id.slice(0, 12)}` : ''}`);
    return out;
  }

  private async deliver(job: Job): Promise<void> {
    const p = JSON.parse(job.payload) as DeliverPayload;
    const hook = this.live.getWebhook(p.webhookId);
    const event = this.repo.getEvent(p.eventId);
    if (!hook || !hook.active || !event) {
      this.live.completeJob(job.id);
      return;
    }
    const body = { type: p.created ? 'event.created' : 'event.updated', change: p.change ?? 'ingest', review_status: event.review_status, revision: p.revision, event } as const;
    const r = await deliver(hook, body, { allowHosts: this.o.allowHosts });
    this.live.logDelivery({ webhook_id: hook.id, event_id: p.eventId, revision: p.revision, attempt: job.attempts, status: r.status, ok: r.ok, error: r.error }, this.o.disableAfter);
    if (r.ok) {
      this.live.completeJob(job.id);
      return;
    }
    this.log(`webhook ${hook.id} ${hook.url}: delivery of ${p.eventId} r${p.revision} failed: ${r.error ?? r.status}`);
    const still = this.live.getWebhook(hook.id);
    if (!still?.active) {
      this.live.failJob(job.id, `webhook disabled: ${still?.disabled_reason ?? 'removed'}`, null);
      this.log(`webhook ${hook.id} disabled: ${still?.disabled_reason ?? 'removed'}`);
    } else this.retryOrFail(job, r.error ?? `HTTP ${r.status}`);
  }
}
