// The stored mentions and records of recently rebuilt events, read and parsed once: an event reported by n articles
// is rebuilt n times from all its mentions and compared with its last record, and reading and parsing them again
// each time made ingest O(n^2) in reads and JSON parsing.
import type Database from 'better-sqlite3';
import type { Mention, SourceRef } from '../../core/types.js';
import { sourceRef } from '../../merge/cluster.js';
import { WrittenRecords, type WrittenRecord } from '../written.js';

/** A stored mention as a rebuild reads it: its row id, its article's source reference and the mention. */
export interface StoredMention {
  id: number;
  source: SourceRef;
  mention: Mention;
}

/** The most mentions kept in memory (the least recently read keys go first). */
const MAX_MENTIONS = 100_000;

/**
 * The mentions under each event key, as stored, in row order, and the records this connection last wrote. Kept
 * while this connection alone changes the store: a commit by another connection (PRAGMA data_version) empties it,
 * the store's own writes that move mentions between keys forget those keys (moved) at once, in their transaction,
 * and a rollback after `added` or `wrote` empties it (clear).
 */
export class RebuildCache {
  private keys = new Map<string, StoredMention[]>();
  private size = 0;
  private records = new WrittenRecords();
  private version: unknown = null;

  constructor(private sql: (source: string) => Database.Statement) {}

  /** The mentions stored under `key`, in row order. */
  of(key: string): StoredMention[] {
    this.checkVersion();
    let list = this.keys.get(key);
    if (list) {
      // the most recently read last
      this.keys.delete(key);
    } else {
      list = this.load(key);
      this.size += list.length;
    }
    this.keys.set(key, list);
    this.evict();
    return list;
  }

  /** A mention just stored under `key` (in the transaction that stored it). */
  added(key: string, m: StoredMention): void {
    const list = this.keys.get(key);
    if (!list) return;
    list.push(m);
    this.size++;
  }

  /** The record of event `id` at `revision` as this connection wrote it, if it is still known. */
  record(id: string, revision: number): WrittenRecord | null {
    this.checkVersion();
    const r = this.records.get(id);
    return r && r.revision === revision ? r : null;
  }

  /** A record just written (in the transaction that wrote it). */
  wrote(id: string, r: WrittenRecord): void {
    this.records.set(id, r);
  }

  /** Forgets the lists of `keys`, whose mentions were just moved between them (a split, or its undo). */
  moved(keys: Iterable<string>): void {
    for (const key of keys) {
      this.size -= this.keys.get(key)?.length ?? 0;
      this.keys.delete(key);
    }
  }

  /** Forgets everything: after a transaction that wrote rolled back. */
  clear(): void {
    this.keys.clear();
    this.size = 0;
    this.records.clear();
  }

  private checkVersion(): void {
    const version = this.sql('PRAGMA data_version').pluck().get();
    if (version !== this.version) {
      this.clear();
      this.version = version;
    }
  }

  private evict(): void {
    for (const [key, list] of this.keys) {
      if (this.size <= MAX_MENTIONS || this.keys.size <= 1) break;
      this.keys.delete(key);
      this.size -= list.length;
    }
  }

  private load(key: string): StoredMention[] {
    const rows = this.sql(
      `SELECT m.id AS mention_id, m.data, a.id, a.name, a.url, a.title, a.publisher, a.published FROM mentions m JOIN articles a ON a.id = m.article_id
       WHERE m.event_key = ? ORDER BY m.id`,
    ).all(key) as Array<{ mention_id: number; data: string; id: string; name: string; url: string | null; title: string | null; publisher: string | null; published: string | null }>;
    return rows.map((r) => ({ id: r.mention_id, source: sourceRef(r), mention: JSON.parse(r.data) as Mention }));
  }
}
