// The storage interface. SQLite (src/store/sqlite) implements it today; PostgreSQL will implement the same.
import type { Article, EventRecord, Mention, Status } from '../core/types.js';
import type { AccountStore } from './accounts.js';
import type { LiveStore } from './live.js';

export interface EventFilter {
  from?: string;
  to?: string;
  region?: string;
  locality?: string;
  status?: Status;
  macroevent?: string;
  /** full-text words, all of which must occur (titles, claims, organizations, evidence quotes, places) */
  q?: string;
  /** [minLon, minLat, maxLon, maxLat]; minLon > maxLon crosses the antimeridian */
  bbox?: [number, number, number, number];
  limit?: number;
  /** keep events an editor rejected (left out by default) */
  includeRejected?: boolean;
  /** only events a human has checked (review_status verified or edited): what `serve --verified-only` publishes */
  verifiedOnly?: boolean;
}

export interface ReviewRequest {
  action: 'verify' | 'reject';
  reason: string;
  /** the revision the editor saw; any other is a conflict */
  revision: number;
  /** the reviewer's user name */
  user: string;
}

export type ReviewResult =
  | { outcome: 'reviewed'; record: EventRecord }
  | { outcome: 'not-found' }
  | { outcome: 'conflict'; revision: number };

export interface PageRequest {
  limit: number;
  /** opaque, from a previous page's nextCursor */
  cursor?: string | null;
}

export interface EventPage<T = EventRecord> {
  events: T[];
  nextCursor: string | null;
  /** events matching the filter, over all pages */
  total: number;
  /** of total, the planned events (the rest occurred) */
  planned: number;
}

/** One map point: [id, lon, lat, status, size (size_mean)]: what the map draws; the rest is in the event. */
export type PointRow = [string, number, number, Status, number | null];

export type StatsGroup = 'day' | 'region' | 'macroevent';

export interface StatsRow {
  key: string | null;
  /** occurred + planned */
  events: number;
  occurred: number;
  planned: number;
  /** sums over the occurred events: a plan's expected turnout is no crowd */
  size_low: number;
  size_high: number;
}

/** A merge suggestion for an event in the review queue: an event near it in place and time. */
export interface Neighbour {
  record: EventRecord;
  /** the distance between the two, when both have coordinates */
  km: number | null;
}

/** One event awaiting review, with its doubt (src/review/doubt.ts) and its merge suggestions. */
export interface QueueItem {
  record: EventRecord;
  doubt: number;
  reasons: string[];
  neighbours: Neighbour[];
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
  /** queue items matching the filter, over all pages */
  total: number;
}

/** A cursor that this store did not issue. */
export class CursorError extends Error {}

export interface SaveOutcome {
  article: 'new' | 'unchanged';
  mentions: number;
  eventsNew: number;
  eventsUpdated: number;
  /** the events this save created or changed, with their new revision numbers */
  changed: Array<{
    id: string;
    revision: number;
    created: boolean;
    /** what made the revision, for webhooks; left out, it is read from the revisions (see humanChange) */
    change?: ChangeKind;
  }>;
}

/** What kind of change made a revision (the names of the history's actions): what webhooks announce. */
export type ChangeKind = 'ingest' | 'review' | 'edit' | 'merge' | 'split' | 'undo';

/** An event with when it last changed, for feeds of new and updated events. */
export interface EventChange {
  record: EventRecord;
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface StoreCounts {
  articles: number;
  mentions: number;
  events: number;
  revisions: number;
}

export interface Repository {
  hasArticle(id: string): boolean;
  /**
   * Stores an article with its mentions and re-merges every event they touch, in one transaction: a crash
   * leaves either all of it or none of it. Saving an article already stored changes nothing.
   */
  saveArticle(article: Article, mentions: Mention[]): SaveOutcome;
  /**
   * Records that an article is a near-duplicate (syndicated copy) of an earlier one, and re-merges the events
   * both report, so the copy strengthens the evidence without counting as a second independent source.
   */
  linkDuplicate(articleId: string, originalId: string, distance: number): SaveOutcome['changed'];
  /** events matching the filter, most recently changed first */
  recentChanges(filter: EventFilter, limit: number): EventChange[];
  /** every event matching the filter (up to filter.limit), sorted by date, region, locality */
  listEvents(filter?: EventFilter): EventRecord[];
  /** one page of listEvents, with keyset pagination; throws CursorError for a cursor it did not issue */
  pageEvents(filter: EventFilter, page: PageRequest): EventPage;
  /** pageEvents with each record as its stored JSON text, for serving without a parse and a re-serialisation */
  pageEventsJson(filter: EventFilter, page: PageRequest): EventPage<string>;
  /** a JSON array of compact rows (PointRow), one per matching event with coordinates, in no set order: for maps */
  pointsJson(filter: EventFilter): string;
  /** changes whenever the stored data may have changed (by this connection or another): for caches */
  version(): string;
  /** counts and size sums of matching events per day, region or macro-event, sorted by key */
  stats(group: StatsGroup, filter: EventFilter): StatsRow[];
  getEvent(id: string): EventRecord | null;
  /**
   * One page of the review queue: events never reviewed, and reviewed ones that new evidence disputes (never rejected
   * ones), most doubt first, with keyset pagination (throws CursorError for a cursor it did not issue). Filters: from,
   * to, region, macroevent. Each item carries up to three neighbours to merge with.
   */
  reviewQueue(filter: EventFilter, page: PageRequest): QueuePage;
  /** Verifies or rejects an event at the revision the editor saw: one new revision, the reason in its history. */
  reviewEvent(id: string, req: ReviewRequest): ReviewResult;
  /** the distinct regions of stored events: state codes, and country names (or codes) abroad */
  regions(): string[];
  counts(): StoreCounts;
  /** the live record's tables (sources, items, jobs, webhooks) on the same store and transactions */
  live(): LiveStore;
  /** users, roles and API tokens on the same store */
  accounts(): AccountStore;
  /** "ok" when the underlying store checks out */
  integrityCheck(): string;
  close(): void;
}

/** Side effects the store needs, passed in so tests are deterministic. */
export interface StoreEffects {
  now(): string;
}

export const systemClock: StoreEffects = { now: () => new Date().toISOString() };
