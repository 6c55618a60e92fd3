// The live record's storage: feed sources and their fetch log, feed items, durable jobs, near-duplicate
// hashes, webhooks and their delivery log. SQLite implements it (src/store/sqlite/live.ts) on the same
// database as the Repository, so a job's outcome and the events it changes commit together; PostgreSQL
// (src/store/pg/live.ts) keeps the same tables and leaves the jobs to pg-boss (src/jobs/live.ts). What the two
// decide alike (an item's job, an item's state, a job's key, which change a delivery announces) is here.
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

/** What reading a feed item came to: its article (with its near-duplicate link), or why there is none. */
export type ItemResult =
  | { article: Article; mentions: Mention[]; simhash: bigint; duplicateOf: { id: string; distance: number } | null }
  | { error: string }
  | { skipped: string };

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
  finishItem(jobId: number, itemId: number | null, result: ItemResult): SaveOutcome | null;
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

/** Every operation of the live record that both backends serve (the record makes the compiler check the names). */
const LIVE_OPERATION_SET = {
  addSource: true,
  listSources: true,
  getSource: true,
  removeSource: true,
  fetchLog: true,
  logFetch: true,
  nearArticles: true,
  articleEventKeys: true,
  itemCounts: true,
  addWebhook: true,
  listWebhooks: true,
  getWebhook: true,
  removeWebhook: true,
  logDelivery: true,
  deliveries: true,
} as const satisfies Partial<Record<keyof LiveStore, true>>;
export type LiveOperation = keyof typeof LIVE_OPERATION_SET;
export const LIVE_OPERATIONS = Object.keys(LIVE_OPERATION_SET) as ReadonlyArray<LiveOperation>;

/** The job keys that keep a job from being queued twice: a poll per source and due time, an item per row, a delivery per revision. */
export const jobKey = {
  poll: (sourceId: number, dueAt: string) => `poll:${sourceId}:${dueAt}`,
  /** watch --once: one poll of each source per run */
  pollOnce: (sourceId: number, run: string) => `poll:${sourceId}:once:${run}`,
  item: (itemId: number) => `item:${itemId}`,
  deliver: (webhookId: number, eventId: string, revision: number) => `deliver:${webhookId}:${eventId}:${revision}`,
};

/** The job that fetches and reads a new feed item (the item's row `itemId`). */
export function itemPayloadOf(itemId: number, it: NewItem): ItemPayload {
  const payload: ItemPayload = { itemId, url: it.url, content: it.content, contentType: it.contentType, published: it.published, title: it.title };
  if (it.judgeOnPage) payload.judgeOnPage = true;
  return payload;
}

/** The state a feed item is left in, and why: by what reading it came to (`saved`: whether its article was new). */
export function itemState(result: ItemResult, saved?: SaveOutcome['article']): { state: string; reason: string | null } {
  if ('error' in result) return { state: 'failed', reason: result.error };
  if ('skipped' in result) return { state: 'skipped', reason: result.skipped };
  const { duplicateOf } = result;
  const state = saved === 'new' ? (duplicateOf ? 'duplicate' : 'ingested') : 'unchanged';
  return { state, reason: duplicateOf ? `near-duplicate of ${duplicateOf.id}` : null };
}

/** A SimHash as stored (article_hashes.simhash): hexadecimal, without leading zeros. */
export function simhashText(simhash: bigint): string {
  return simhash.toString(16);
}

/** The kind of change a delivery announces: the caller's word, else an ingest for a new event, else what its revision row records. */
export function deliveryChange(c: SaveOutcome['changed'][number], recorded: () => ChangeKind | undefined): ChangeKind {
  return c.change ?? (c.created ? 'ingest' : (recorded() ?? 'ingest'));
}

/** Why a webhook was disabled, after `disableAfter` failed deliveries in a row, the last one `d`. */
export function disabledReason(disableAfter: number, d: Pick<Delivery, 'error' | 'status'>): string {
  return `disabled after ${disableAfter} failed deliveries in a row (last: ${d.error ?? d.status})`;
}

/** A webhook as stored (its filter as JSON, active as 0 or 1) read back. */
export function webhookOf(r: Record<string, unknown>): Webhook {
  return { ...(r as unknown as Webhook), filter: JSON.parse(String(r.filter)) as EventFilter, active: r.active === 1 };
}

/** A delivery as stored (ok as 0 or 1) read back. */
export function deliveryOf(r: Record<string, unknown>): Delivery {
  return { ...(r as unknown as Delivery), ok: r.ok === 1 };
}
