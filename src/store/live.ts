// The live record's storage: feed sources and their fetch log, feed items, durable jobs, near-duplicate
// hashes, webhooks and their delivery log. SQLite implements it (src/store/sqlite/live.ts) on the same
// database as the Repository, so a job's outcome and the events it changes commit together.
import type { Article, Mention } from '../core/types.js';
import type { ChangeKind, EventFilter, SaveOutcome } from './repository.js';

export interface Source {
  id: number;
  url: string;
  every_seconds: number;
  etag: string | null;
  last_modified: string | null;
  next_poll_at: string;
  last_polled_at: string | null;
  last_status: string | null;
  failures: number;
  added_at: string;
}

export interface FetchLogEntry {
  id: number;
  source_id: number | null;
  url: string;
  at: string;
  status: number | null;
  items_new: number;
  items_skipped: number;
  error: string | null;
}

export type JobKind = 'poll' | 'item' | 'deliver';

export interface Job {
  id: number;
  kind: JobKind;
  payload: string;
  attempts: number;
}

export interface PollPayload {
  sourceId: number;
}

export interface ItemPayload {
  /** the feed item; null for a page fetched on its own (turnout fetch URL) */
  itemId: number | null;
  url: string | null;
  /** the feed's own full text, when it carries one and there is no page to fetch */
  content: string | null;
  contentType: string | null;
  published: string | null;
  title: string | null;
  /** the feed gave only a title: the fetched page is judged (protestReport) before it is ingested */
  judgeOnPage?: boolean;
}

export interface DeliverPayload {
  webhookId: number;
  eventId: string;
  revision: number;
  created: boolean;
  /** what made the revision (absent from jobs queued before it was recorded: read as 'ingest') */
  change?: ChangeKind;
}

export interface NewItem {
  key: string;
  url: string | null;
  title: string | null;
  published: string | null;
  /** null: relevant, to be fetched and ingested; otherwise why it was skipped */
  skipReason: string | null;
  content: string | null;
  contentType: string | null;
  /** relevance is not known from the feed (a title only): the page is judged once fetched */
  judgeOnPage?: boolean;
}

export interface PollOutcome {
  status: number | null;
  etag?: string | null;
  lastModified?: string | null;
  items?: NewItem[];
  error?: string | null;
}

export interface Webhook {
  id: number;
  url: string;
  secret: string;
  filter: EventFilter;
  active: boolean;
  consecutive_failures: number;
  disabled_reason: string | null;
  created_at: string;
}

export interface Delivery {
  id: number;
  webhook_id: number;
  event_id: string;
  revision: number;
  attempt: number;
  at: string;
  status: number | null;
  ok: boolean;
  error: string | null;
}

export interface LiveStore {
  addSource(url: string, everySeconds: number): { source: Source; added: boolean };
  listSources(): Source[];
  getSource(id: number): Source | null;
  /** by id or URL; false when there is no such source */
  removeSource(idOrUrl: string): boolean;
  fetchLog(sourceId: number | null, limit: number): FetchLogEntry[];
  /** a fetch outside any source (turnout fetch URL), for the log */
  logFetch(entry: Omit<FetchLogEntry, 'id' | 'at' | 'source_id'> & { source_id?: number | null }): void;

  /** queues a job unless one with the same dedupe key exists; true when queued */
  enqueue(kind: JobKind, payload: object, dedupeKey: string | null, runAfter?: string): boolean;
  /** queues a poll of every source whose time has come, and moves its next poll on; returns how many */
  enqueueDuePolls(): number;
  /** queues one poll of every source (watch --once); `run` makes the dedupe keys of this run unique */
  enqueueAllPolls(run: string): number;
  /** takes the oldest due job (or one whose worker's lease ran out) for `worker`, atomically; null when none */
  claim(worker: string, leaseMs: number): Job | null;
  /** jobs not done or failed for good */
  openJobs(): number;
  /** when the earliest pending job becomes due (ISO time), or null when none is pending */
  nextRetry(): string | null;
  /** the job failed: retried at `retryAt`, or failed for good when retryAt is null */
  failJob(jobId: number, error: string, retryAt: string | null): void;
  /** a poll's outcome in one transaction: log, source state, new items recorded and their item jobs queued, job done */
  finishPoll(jobId: number, sourceId: number, outcome: PollOutcome): { itemsNew: number; itemsSkipped: number };
  /**
   * an item's outcome in one transaction: the article saved (with its near-duplicate link), the item marked,
   * webhook deliveries queued for every changed event, the job done; or the item failed (`error`) or
   * skipped, its page being no protest report (`skipped`: why), and the job done
   */
  finishItem(
    jobId: number,
    itemId: number | null,
    result: { article: Article; mentions: Mention[]; simhash: bigint; duplicateOf: { id: string; distance: number } | null } | { error: string } | { skipped: string },
  ): SaveOutcome | null;
  /** stored articles whose SimHash lies within `maxBits` of this one, nearest first; `except` is left out */
  nearArticles(simhash: bigint, maxBits: number, except: string): Array<{ id: string; distance: number }>;
  /** the event keys an article's mentions belong to */
  articleEventKeys(articleId: string): string[];
  itemCounts(): Record<string, number>;

  addWebhook(url: string, secret: string, filter: EventFilter): Webhook;
  listWebhooks(): Webhook[];
  getWebhook(id: number): Webhook | null;
  removeWebhook(id: number): boolean;
  /** one delivery attempt; after `disableAfter` consecutive failures the hook is disabled */
  logDelivery(d: Omit<Delivery, 'id' | 'at'>, disableAfter: number): void;
  deliveries(webhookId: number): Delivery[];
  completeJob(jobId: number): void;
}
