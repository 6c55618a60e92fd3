// The records a store last wrote, kept by the store so that the next rebuild of an event compares with its record and
// lays human values over it without reading and parsing it again: an event reported by n articles is rebuilt n times,
// and its record (its list of sources) grows with n.
import type { EventRecord } from '../core/types.js';

/** An event's record as last written: its revision, its stored JSON (storedRecordJson) and the record itself. */
export interface WrittenRecord {
  revision: number;
  json: string;
  record: EventRecord;
}

/** The most characters of records kept in memory (the least recently written go first). */
const MAX_RECORD_CHARS = 32_000_000;

/**
 * Written records by a key of the store's choosing, each with what else the store checks it by (`T`). Holds no
 * judgement of its own on whether an entry still stands: the store checks it against the row it reads.
 */
export class WrittenRecords<T extends object = object> {
  private records = new Map<string, WrittenRecord & T>();
  private chars = 0;

  get(key: string): (WrittenRecord & T) | undefined {
    return this.records.get(key);
  }

  set(key: string, r: WrittenRecord & T): void {
    this.chars -= this.records.get(key)?.json.length ?? 0;
    this.records.delete(key);
    this.records.set(key, r);
    this.chars += r.json.length;
    for (const [other, old] of this.records) {
      if (this.chars <= MAX_RECORD_CHARS || this.records.size <= 1) break;
      this.records.delete(other);
      this.chars -= old.json.length;
    }
  }

  clear(): void {
    this.records.clear();
    this.chars = 0;
  }
}
