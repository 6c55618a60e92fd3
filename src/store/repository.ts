// The storage interface. SQLite (src/store/sqlite) implements it today; PostgreSQL will implement the same.
import type { Article, EventRecord, Mention, SourceRef, Status } from '../core/types.js';
import type { EventChanges, FieldChange } from '../merge/edits.js';
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

/** A conflict between what the editor saw and what the store holds now: their revision is stale. */
export interface Conflict {
  outcome: 'conflict';
  /** the event's current revision */
  revision: number;
}

/** Input that breaks a rule only the store can check (it needs the stored record): `field` names the body field. */
export interface Invalid {
  outcome: 'invalid';
  field: string;
  message: string;
}

export interface EditRequest {
  /** the new values; types and ranges already checked (src/serve/schemas.ts EditBody), regions as records store them */
  changes: EventChanges;
  reason: string;
  /** the revision the editor saw; any other is a conflict */
  revision: number;
  user: string;
}

export type EditResult = { outcome: 'edited'; record: EventRecord } | { outcome: 'not-found' } | Conflict | Invalid;

export interface MergeRequest {
  /** [survivor, merged]: the second event's mentions and evidence move into the first */
  ids: [string, string];
  reason: string;
  user: string;
}

export type MergeResult = { outcome: 'merged'; record: EventRecord } | { outcome: 'not-found'; id: string } | Invalid;

export interface SplitRequest {
  /** the mentions (ids from eventMentions) that move to a new event; at least one must stay */
  mentions: number[];
  reason: string;
  revision: number;
  user: string;
}

export type SplitResult = { outcome: 'split'; event: EventRecord; from: EventRecord } | { outcome: 'not-found' } | Conflict | Invalid;

export interface UndoRequest {
  /** the change id (a history entry's undo.id) */
  change: number;
  reason: string;
  user: string;
}

export type UndoResult =
  | { outcome: 'undone'; record: EventRecord }
  | { outcome: 'not-found' }
  | Invalid
  /** already undone, or a later merge or split depends on it */
  | { outcome: 'refused'; message: string };

export type HistoryAction = 'ingest' | 'review' | 'edit' | 'merge' | 'split' | 'undo';

/** One revision of an event, as its history lists it. */
export interface HistoryEntry {
  revision: number;
  at: string;
  /** the editor; null for the machine (reading articles) */
  by: string | null;
  action: HistoryAction;
  reason: string;
  changes: FieldChange[];
  /** for a merge or a split that can still be undone, the change id to send to undo */
  undo: { id: number } | null;
}

/** One report of an event in one article: what a split chooses among. */
export interface MentionView {
  id: number;
  article: SourceRef;
  /** the sentence that reports it (private names redacted, as in the evidence) */
  quote: string | null;
  date: string | null;
  locality: string | null;
  size_text: string | null;
}

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
    /** what made the revision, for webhooks; left out, it is read from the revision row's action */
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
   * Runs `work`, a run of saveArticle calls, committing them in groups rather than one by one: `saved` is called after
   * each article. Each article stays its own savepoint (one that fails is undone alone) and its own revision of each
   * event it changes; a crash loses the articles of the open group, and reading them again stores them.
   */
  grouped<T>(work: (saved: () => void) => Promise<T>): Promise<T>;
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
  /**
   * An editor's new values at the revision they saw: kept apart from the mentions and laid over every rebuild, so
   * no article overwrites them. One new revision (the old values in its history), review_status "edited".
   */
  editEvent(id: string, req: EditRequest): EditResult;
  /** Merges the second event into the first: its mentions (and later articles of its place and day) join the first. */
  mergeEvents(req: MergeRequest): MergeResult;
  /** Moves the chosen mentions of an event to a new event of their own. */
  splitEvent(id: string, req: SplitRequest): SplitResult;
  /** Undoes a merge or a split (a change id from the history) of the event `id`, restoring the events as they were. */
  undoChange(id: string, req: UndoRequest): UndoResult;
  /** every revision of an event, newest first; null for an id never stored */
  eventHistory(id: string): HistoryEntry[] | null;
  /** the mentions an event is built from; null for an unknown or merged id */
  eventMentions(id: string): MentionView[] | null;
  /** the event an event was merged into (followed to the one that stands), or null when it was not merged */
  resolveMerged(id: string): string | null;
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
