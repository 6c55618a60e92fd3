// The stored mentions a rebuild reads, kept by row id in this process: an event reported by n articles is rebuilt n
// times from all its mentions, and reading and parsing every one of them again each time made ingest O(n^2) in bytes
// sent and JSON parsed. A mention's row never changes but for the key it is filed under (a split moves it), and ids
// are never reused, so a rebuild asks the server only which ids are under its keys, and reads the rows it lacks.
import type { Mention, SourceRef } from '../../core/types.js';
import { sourceRef } from '../../merge/cluster.js';
import type { Db } from './index.js';

/** A stored mention as a rebuild reads it: its article's source reference and the mention. */
export interface StoredMention {
  source: SourceRef;
  mention: Mention;
}

/** The most mentions kept (the first read go first). */
const MAX_MENTIONS = 100_000;

export class MentionCache {
  private rows = new Map<number, StoredMention>();

  /** The mentions with these ids, in the order given: those not kept are read. */
  async list(c: Db, ids: number[]): Promise<StoredMention[]> {
    const missing = ids.filter((id) => !this.rows.has(id));
    const read = new Map<number, StoredMention>();
    if (missing.length) {
      const found = await c.query<{ mention_id: number; data: string; id: string; name: string; url: string | null; title: string | null; publisher: string | null; published: string | null }>(
        `SELECT m.id AS mention_id, m.data, a.id, a.name, a.url, a.title, a.publisher, a.published FROM mentions m JOIN articles a ON a.id = m.article_id
         WHERE m.id = ANY($1::bigint[])`,
        [missing],
      );
      for (const r of found.rows) read.set(r.mention_id, { source: sourceRef(r), mention: JSON.parse(r.data) as Mention });
    }
    const list = ids.map((id) => this.rows.get(id) ?? read.get(id)!);
    for (const [id, m] of read) this.put(id, m);
    return list;
  }

  /** A mention as its row reads (one this process has just stored). */
  put(id: number, m: StoredMention): void {
    this.rows.set(id, m);
    for (const old of this.rows.keys()) {
      if (this.rows.size <= MAX_MENTIONS) break;
      this.rows.delete(old);
    }
  }
}
