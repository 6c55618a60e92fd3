// The storage interface. SQLite (src/store/sqlite) implements it today; PostgreSQL will implement the same.
import type { Article, EventRecord, Mention, Status } from '../core/types.js';

export interface EventFilter {
  from?: string;
  to?: string;
  region?: string;
  locality?: string;
  status?: Status;
  macroevent?: string;
  limit?: number;
}

export interface SaveOutcome {
  article: 'new' | 'unchanged';
  mentions: number;
  eventsNew: number;
  eventsUpdated: number;
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
  listEvents(filter?: EventFilter): EventRecord[];
  getEvent(id: string): EventRecord | null;
  counts(): StoreCounts;
  /** "ok" when the underlying store checks out */
  integrityCheck(): string;
  close(): void;
}

/** Side effects the store needs, passed in so tests are deterministic. */
export interface StoreEffects {
  now(): string;
}

export const systemClock: StoreEffects = { now: () => new Date().toISOString() };
