// A person's merges, splits and their undoing, and an event's history, on the PostgreSQL store: the same rules and
// the same rows as the SQLite store's (src/store/sqlite/edits.ts), each one transaction holding the advisory locks
// of the event keys it rewrites, so no ingest rebuilds those events meanwhile.
import { splitKey } from '../../merge/cluster.js';
import type { FieldChange } from '../../merge/edits.js';
import { historyEntries, humanReason, type ChangeRow, type RevisionRow, type SplitData } from '../records.js';
import type { HistoryEntry, MergeRequest, MergeResult, SplitRequest, SplitResult, UndoRequest, UndoResult } from '../repository.js';
import type { Changed, Db, EventRow, PgStore, RevisionEntry } from './index.js';
import type pg from 'pg';

/**
 * A later merge or split that undoing a change ($1: its id, $2: its event, $3: its other event, $4: its action)
 * would break: one that merged away either event, split the survivor of a merge, or changed the event a split made.
 */
const DEPENDENT = `SELECT id, action FROM event_changes
  WHERE id > $1 AND undone_by IS NULL AND action IN ('merge', 'split')
    AND (other_id IN ($2, $3) OR event_id = $3 OR ($4 = 'merge' AND action = 'split' AND event_id = $2))
  ORDER BY id LIMIT 1`;

const CHANGE = 'SELECT id, action, event_id, other_id, data, undone_by FROM event_changes WHERE id = $1';

export class PgEditor {
  constructor(
    private store: PgStore,
    private now: () => string,
  ) {}

  /** Merges ids[1] into ids[0]: the second leaves every list, its mentions and its key now build the first. */
  merge(req: MergeRequest): Promise<MergeResult> {
    return this.store.tx(async (c): Promise<MergeResult> => {
      const [aId, bId] = req.ids;
      if (aId === bId) return { outcome: 'invalid', field: 'ids', message: 'ids names the same event twice: merge two different events' };
      const [a0, b0] = [await this.store.liveRow(c, aId), await this.store.liveRow(c, bId)];
      if (!a0 || !b0) return { outcome: 'not-found', id: a0 ? bId : aId };
      await this.store.lockKeys(c, [a0.event_key, b0.event_key]);
      // read again under the locks: an ingest or another editor may have changed either meanwhile
      const [a, b] = [await this.store.liveRow(c, aId), await this.store.liveRow(c, bId)];
      if (!a || !b) return { outcome: 'not-found', id: a ? bId : aId };
      const now = this.now();
      const changeId = await this.addChange(c, 'merge', aId, bId, req.user, now, req.reason, {});
      const entry = (extra: FieldChange): RevisionEntry => ({ action: 'merge', by: req.user, reason: humanReason('merge', req.user, req.reason), extra: [extra], changeId });
      await this.store.retire(c, b, aId, now, entry({ field: 'merged_into', old: null, new: aId }));
      await this.rewrite(c, a.event_key, now, entry({ field: 'merged_from', old: null, new: bId }));
      return { outcome: 'merged', record: (await this.store.getEvent(aId, c))! };
    });
  }

  /** Moves the chosen mentions to a new event under a new key of its own (splitKey). */
  split(id: string, req: SplitRequest): Promise<SplitResult> {
    return this.store.tx(async (c): Promise<SplitResult> => {
      const row = await this.store.lockedRow(c, id);
      if (!row) return { outcome: 'not-found' };
      if (row.revision !== req.revision) return { outcome: 'conflict', revision: row.revision };
      const own = new Map((await this.mentionKeys(c, row.event_key)).map((m) => [m.id, m.event_key]));
      const chosen = [...new Set(req.mentions)];
      const unknown = chosen.find((m) => !own.has(m));
      if (unknown !== undefined) return { outcome: 'invalid', field: 'mentions', message: `mentions: ${unknown} is not a mention of event ${id} (see /api/events/${id}/mentions)` };
      if (chosen.length >= own.size) return { outcome: 'invalid', field: 'mentions', message: 'mentions names every mention of the event: at least one must stay' };
      const now = this.now();
      const data: SplitData = { mentions: chosen.map((m) => ({ id: m, key: own.get(m)! })) };
      const changeId = await this.addChange(c, 'split', id, null, req.user, now, req.reason, data);
      const key = splitKey(row.event_key, changeId);
      await this.store.lockKeys(c, [key]);
      await c.query('UPDATE mentions SET event_key = $1 WHERE id = ANY($2::bigint[])', [key, chosen]);
      const entry = (extra: FieldChange): RevisionEntry => ({ action: 'split', by: req.user, reason: humanReason('split', req.user, req.reason), extra: [extra], changeId });
      const made = await this.rewrite(c, key, now, entry({ field: 'split_from', old: null, new: id }));
      await c.query('UPDATE event_changes SET other_id = $1 WHERE id = $2', [made.id, changeId]);
      await this.rewrite(c, row.event_key, now, entry({ field: 'split_to', old: null, new: made.id }));
      return { outcome: 'split', event: (await this.store.getEvent(made.id, c))!, from: (await this.store.getEvent(id, c))! };
    });
  }

  /** Undoes a merge (the merged event stands again, with its mentions) or a split (the mentions go back). */
  undo(id: string, req: UndoRequest): Promise<UndoResult> {
    return this.store.tx(async (c): Promise<UndoResult> => {
      if (!(await this.store.one(c, 'SELECT 1 FROM events WHERE id = $1', [id]))) return { outcome: 'not-found' };
      const x = Number.isSafeInteger(req.change) ? await this.store.one<ChangeRow>(c, CHANGE, [req.change]) : null;
      if (!x || (x.event_id !== id && x.other_id !== id)) return { outcome: 'invalid', field: 'change', message: `change ${req.change} is not in the history of event ${id}` };
      if (x.action === 'undo') return { outcome: 'invalid', field: 'change', message: `change ${x.id} is an undo: merge or split again instead` };
      const keys = await this.store.rows<{ event_key: string }>(c, 'SELECT event_key FROM events WHERE id IN ($1, $2)', [x.event_id, x.other_id]);
      await this.store.lockKeys(c, keys.map((k) => k.event_key));
      // (read again under the locks: another editor's undo may have come first)
      const blocked = await this.undoBlocked(c, (await this.store.one<ChangeRow>(c, CHANGE, [x.id]))!);
      if (blocked) return { outcome: 'refused', message: blocked };
      const now = this.now();
      const undoId = await this.addChange(c, 'undo', x.event_id, x.other_id, req.user, now, req.reason, { undoes: x.id });
      await c.query('UPDATE event_changes SET undone_by = $1 WHERE id = $2', [undoId, x.id]);
      const entry = (extra: FieldChange): RevisionEntry => ({ action: 'undo', by: req.user, reason: humanReason('undo', req.user, req.reason), extra: [extra], changeId: undoId });
      if (x.action === 'merge') await this.unmerge(c, x, now, entry);
      else await this.unsplit(c, x, now, entry);
      return { outcome: 'undone', record: ((await this.store.getEvent(id, c)) ?? (await this.store.getEvent(x.event_id, c)))! };
    });
  }

  /** Every revision of an event, newest first, with an undo link on the merges and splits that can still be undone. */
  async history(id: string): Promise<HistoryEntry[] | null> {
    const db = this.store.reader;
    if (!(await this.store.one(db, 'SELECT 1 FROM events WHERE id = $1', [id]))) return null;
    const rows = await this.store.rows<RevisionRow>(
      db,
      'SELECT revision, created_at, by_user, action, reason, changes, change_id FROM event_revisions WHERE event_id = $1 ORDER BY revision',
      [id],
    );
    const undoable = new Map<number, boolean>();
    for (const r of rows) {
      if (r.change_id === null || undoable.has(r.change_id)) continue;
      const x = (await this.store.one<ChangeRow>(db, CHANGE, [r.change_id]))!;
      undoable.set(r.change_id, (await this.undoBlocked(db, x)) === null);
    }
    return historyEntries(rows, (change) => undoable.get(change) ?? false);
  }

  /** Why a change cannot be undone (already undone, or a later change depends on it), or null when it can. */
  private async undoBlocked(db: Db, x: ChangeRow): Promise<string | null> {
    if (x.undone_by !== null) return `change ${x.id} was already undone (change ${x.undone_by})`;
    const later = await this.store.one<{ id: number; action: string }>(db, DEPENDENT, [x.id, x.event_id, x.other_id, x.action]);
    return later ? `a later ${later.action} (change ${later.id}) depends on change ${x.id}: undo that first` : null;
  }

  /** The merged event stands again: its key (and every mention under it) leaves the survivor. */
  private async unmerge(c: pg.PoolClient, x: ChangeRow, now: string, entry: (extra: FieldChange) => RevisionEntry): Promise<Changed[]> {
    const b = (await this.store.one<{ event_key: string }>(c, 'SELECT event_key FROM events WHERE id = $1', [x.other_id]))!.event_key;
    const a = (await this.store.one<{ event_key: string }>(c, 'SELECT event_key FROM events WHERE id = $1', [x.event_id]))!.event_key;
    await c.query('UPDATE events SET merged_into = NULL WHERE id = $1', [x.other_id]);
    return [await this.rewrite(c, b, now, entry({ field: 'merged_into', old: x.event_id, new: null })), await this.rewrite(c, a, now, entry({ field: 'merged_from', old: x.other_id, new: null }))];
  }

  /** The moved mentions go back under their keys; the split-off event leaves every list (its id leads to the first). */
  private async unsplit(c: pg.PoolClient, x: ChangeRow, now: string, entry: (extra: FieldChange) => RevisionEntry): Promise<Changed[]> {
    const data = JSON.parse(x.data) as SplitData;
    for (const m of data.mentions) await c.query('UPDATE mentions SET event_key = $1 WHERE id = $2', [m.key, m.id]);
    const made = (await this.store.one<EventRow>(c, 'SELECT id, event_key, revision, record FROM events WHERE id = $1', [x.other_id]))!;
    await this.store.retire(c, made, x.event_id, now, entry({ field: 'merged_into', old: null, new: x.event_id }));
    const key = (await this.store.one<{ event_key: string }>(c, 'SELECT event_key FROM events WHERE id = $1', [x.event_id]))!.event_key;
    return [await this.rewrite(c, key, now, entry({ field: 'split_to', old: x.other_id, new: null }))];
  }

  /** Rebuilds the event under `key` after a person's action (every evidence part again) and always writes a revision for it. */
  private async rewrite(c: pg.PoolClient, key: string, now: string, entry: RevisionEntry): Promise<Changed> {
    const built = (await this.store.rebuild(c, key, null, 'all'))!;
    return this.store.writeEvent(c, key, built.existing, built.before, built.record, now, entry, built.evidence);
  }

  private async addChange(c: pg.PoolClient, action: ChangeRow['action'], eventId: string, otherId: string | null, user: string, now: string, reason: string, data: object): Promise<number> {
    const row = await this.store.one<{ id: number }>(
      c,
      'INSERT INTO event_changes (action, event_id, other_id, by_user, at, reason, data) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
      [action, eventId, otherId, user, now, reason, JSON.stringify(data)],
    );
    return row!.id;
  }

  /** The mentions that make the event under `key` (its own and those of events merged into it), with the key each is stored under. */
  private async mentionKeys(c: Db, key: string): Promise<Array<{ id: number; event_key: string }>> {
    return this.store.rows(c, 'SELECT id, event_key FROM mentions WHERE event_key = ANY($1::text[]) ORDER BY id', [await this.store.ownedKeys(c, key)]);
  }
}
