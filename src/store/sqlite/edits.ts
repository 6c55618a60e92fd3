// A person's changes to the record (issue 10): edits of field values, merges, splits, undoing a merge or a split, and
// the history that lists every revision. Each action is one transaction on the store (SqliteRepository), which
// also queues webhook deliveries for the events it changed.
import type { EventRecord } from '../../core/types.js';
import { splitKey } from '../../merge/cluster.js';
import { applyEdit, type FieldChange } from '../../merge/edits.js';
import type {
  EditRequest,
  EditResult,
  HistoryAction,
  HistoryEntry,
  MentionView,
  MergeRequest,
  MergeResult,
  SaveOutcome,
  SplitRequest,
  SplitResult,
  UndoRequest,
  UndoResult,
} from '../repository.js';
import type { EventRow, RevisionEntry, SqliteRepository } from './index.js';
import { humanReason } from './migrations.js';
import { historyEntries, mentionView, type ChangeRow, type MentionRow, type RevisionRow, type SplitData } from '../records.js';

type Changed = SaveOutcome['changed'][number];

/**
 * A later merge or split that undoing `x` would break, if any: one that merged away either event of `x`, split
 * the survivor of a merge (its mentions may be among those moved), or changed the event a split made.
 */
const DEPENDENT = `SELECT id, action FROM event_changes
  WHERE id > :id AND undone_by IS NULL AND action IN ('merge', 'split')
    AND (other_id IN (:event, :other) OR event_id = :other OR (:action = 'merge' AND action = 'split' AND event_id = :event))
  ORDER BY id LIMIT 1`;

export class EventEditor {
  constructor(
    private repo: SqliteRepository,
    private now: () => string,
  ) {}

  private sql(q: string) {
    return this.repo.sql(q);
  }

  /** The editor's values over the record: kept as human values (event_overrides), then the record rebuilt with them. */
  edit(id: string, req: EditRequest): EditResult {
    return this.repo.inTransaction((): { result: EditResult; changed: Changed[] } => {
      const row = this.repo.liveRow(id);
      if (!row) return { result: { outcome: 'not-found' }, changed: [] };
      if (row.revision !== req.revision) return { result: { outcome: 'conflict', revision: row.revision }, changed: [] };
      const now = this.now();
      const machine = this.repo.machineRecord(row.event_key)!;
      const before = JSON.parse(row.record) as EventRecord;
      const out = applyEdit(machine, before, this.repo.overridesOf(id), req.changes, req.user, now);
      if (out.outcome === 'invalid') return { result: out, changed: [] };
      const upsert = this.sql(
        `INSERT INTO event_overrides (event_id, field, value, machine, by_user, at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (event_id, field) DO UPDATE SET value = excluded.value, by_user = excluded.by_user, at = excluded.at, reason = excluded.reason`,
      );
      for (const o of out.keep) upsert.run(id, o.field, JSON.stringify(o.value ?? null), JSON.stringify(o.machine ?? null), req.user, now, req.reason);
      const edited = out.record;
      const changed = this.repo.writeEvent(row.event_key, row, before, edited, now, { action: 'edit', by: req.user, reason: humanReason('edit', req.user, req.reason) }, null);
      return { result: { outcome: 'edited', record: { ...edited, revision: changed.revision } }, changed: [changed] };
    });
  }

  /** Merges ids[1] into ids[0]: the second leaves every list, its mentions and its key now build the first. */
  merge(req: MergeRequest): MergeResult {
    return this.repo.inTransaction((): { result: MergeResult; changed: Changed[] } => {
      const [aId, bId] = req.ids;
      if (aId === bId) return { result: { outcome: 'invalid', field: 'ids', message: 'ids names the same event twice: merge two different events' }, changed: [] };
      const a = this.repo.liveRow(aId);
      const b = this.repo.liveRow(bId);
      if (!a || !b) return { result: { outcome: 'not-found', id: a ? bId : aId }, changed: [] };
      const now = this.now();
      const changeId = this.addChange('merge', aId, bId, req.user, now, req.reason, {});
      const entry = (extra: FieldChange): RevisionEntry => ({ action: 'merge', by: req.user, reason: humanReason('merge', req.user, req.reason), extra: [extra], changeId });
      this.repo.retire(b, aId, now, entry({ field: 'merged_into', old: null, new: aId }));
      const changed = this.rewrite(a.event_key, now, entry({ field: 'merged_from', old: null, new: bId }));
      return { result: { outcome: 'merged', record: this.repo.getEvent(aId)! }, changed: [changed] };
    });
  }

  /** Moves the chosen mentions to a new event under a new key of its own (splitKey). */
  split(id: string, req: SplitRequest): SplitResult {
    return this.repo.inTransaction((): { result: SplitResult; changed: Changed[] } => {
      const row = this.repo.liveRow(id);
      if (!row) return { result: { outcome: 'not-found' }, changed: [] };
      if (row.revision !== req.revision) return { result: { outcome: 'conflict', revision: row.revision }, changed: [] };
      const own = new Map(this.mentionRows(row.event_key).map((m) => [m.id, m.event_key]));
      const chosen = [...new Set(req.mentions)];
      const unknown = chosen.find((m) => !own.has(m));
      if (unknown !== undefined) {
        return { result: { outcome: 'invalid', field: 'mentions', message: `mentions: ${unknown} is not a mention of event ${id} (see /api/events/${id}/mentions)` }, changed: [] };
      }
      if (chosen.length >= own.size) return { result: { outcome: 'invalid', field: 'mentions', message: 'mentions names every mention of the event: at least one must stay' }, changed: [] };
      const now = this.now();
      const data: SplitData = { mentions: chosen.map((m) => ({ id: m, key: own.get(m)! })) };
      const changeId = this.addChange('split', id, null, req.user, now, req.reason, data);
      const key = splitKey(row.event_key, changeId);
      const move = this.sql('UPDATE mentions SET event_key = ? WHERE id = ?');
      for (const m of chosen) move.run(key, m);
      this.repo.mentionsMoved([key, ...data.mentions.map((m) => m.key)]);
      const entry = (extra: FieldChange): RevisionEntry => ({ action: 'split', by: req.user, reason: humanReason('split', req.user, req.reason), extra: [extra], changeId });
      const made = this.rewrite(key, now, entry({ field: 'split_from', old: null, new: id }));
      this.sql('UPDATE event_changes SET other_id = ? WHERE id = ?').run(made.id, changeId);
      const from = this.rewrite(row.event_key, now, entry({ field: 'split_to', old: null, new: made.id }));
      return { result: { outcome: 'split', event: this.repo.getEvent(made.id)!, from: this.repo.getEvent(id)! }, changed: [made, from] };
    });
  }

  /** Undoes a merge (the merged event stands again, with its mentions) or a split (the mentions go back). */
  undo(id: string, req: UndoRequest): UndoResult {
    return this.repo.inTransaction((): { result: UndoResult; changed: Changed[] } => {
      const none = (result: UndoResult) => ({ result, changed: [] });
      if (this.sql('SELECT 1 FROM events WHERE id = ?').get(id) === undefined) return none({ outcome: 'not-found' });
      const x = this.sql('SELECT id, action, event_id, other_id, data, undone_by FROM event_changes WHERE id = ?').get(req.change) as ChangeRow | undefined;
      if (!x || (x.event_id !== id && x.other_id !== id)) return none({ outcome: 'invalid', field: 'change', message: `change ${req.change} is not in the history of event ${id}` });
      if (x.action === 'undo') return none({ outcome: 'invalid', field: 'change', message: `change ${x.id} is an undo: merge or split again instead` });
      const blocked = this.undoBlocked(x);
      if (blocked) return none({ outcome: 'refused', message: blocked });
      const now = this.now();
      const undoId = this.addChange('undo', x.event_id, x.other_id, req.user, now, req.reason, { undoes: x.id });
      this.sql('UPDATE event_changes SET undone_by = ? WHERE id = ?').run(undoId, x.id);
      const entry = (extra: FieldChange): RevisionEntry => ({ action: 'undo', by: req.user, reason: humanReason('undo', req.user, req.reason), extra: [extra], changeId: undoId });
      const changed = x.action === 'merge' ? this.unmerge(x, now, entry) : this.unsplit(x, now, entry);
      const record = this.repo.getEvent(id) ?? this.repo.getEvent(x.event_id)!;
      return { result: { outcome: 'undone', record }, changed };
    });
  }

  /** Why a change cannot be undone (already undone, or a later change depends on it), or null when it can. */
  private undoBlocked(x: ChangeRow): string | null {
    if (x.undone_by !== null) return `change ${x.id} was already undone (change ${x.undone_by})`;
    const later = this.sql(DEPENDENT).get({ id: x.id, event: x.event_id, other: x.other_id, action: x.action }) as { id: number; action: string } | undefined;
    return later ? `a later ${later.action} (change ${later.id}) depends on change ${x.id}: undo that first` : null;
  }

  /** The merged event stands again: its key (and every mention under it) leaves the survivor. */
  private unmerge(x: ChangeRow, now: string, entry: (extra: FieldChange) => RevisionEntry): Changed[] {
    const b = this.sql('SELECT event_key FROM events WHERE id = ?').pluck().get(x.other_id) as string;
    const a = this.sql('SELECT event_key FROM events WHERE id = ?').pluck().get(x.event_id) as string;
    this.sql('UPDATE events SET merged_into = NULL WHERE id = ?').run(x.other_id);
    return [this.rewrite(b, now, entry({ field: 'merged_into', old: x.event_id, new: null })), this.rewrite(a, now, entry({ field: 'merged_from', old: x.other_id, new: null }))];
  }

  /** The moved mentions go back under their keys; the split-off event leaves every list (its id leads to the first). */
  private unsplit(x: ChangeRow, now: string, entry: (extra: FieldChange) => RevisionEntry): Changed[] {
    const data = JSON.parse(x.data) as SplitData;
    const back = this.sql('UPDATE mentions SET event_key = ? WHERE id = ?');
    for (const m of data.mentions) back.run(m.key, m.id);
    const made = this.sql('SELECT id, event_key, revision, record FROM events WHERE id = ?').get(x.other_id) as EventRow;
    this.repo.mentionsMoved([made.event_key, ...data.mentions.map((m) => m.key)]);
    this.repo.retire(made, x.event_id, now, entry({ field: 'merged_into', old: null, new: x.event_id }));
    const key = this.sql('SELECT event_key FROM events WHERE id = ?').pluck().get(x.event_id) as string;
    return [this.rewrite(key, now, entry({ field: 'split_to', old: x.other_id, new: null }))];
  }

  /** Rebuilds the event under `key` after a person's action (every evidence part again) and always writes a revision for it. */
  private rewrite(key: string, now: string, entry: RevisionEntry): Changed {
    const built = this.repo.rebuild(key, null, 'all')!;
    return this.repo.writeEvent(key, built.existing, built.before, built.record, now, entry, built.evidence);
  }

  private addChange(action: ChangeRow['action'], eventId: string, otherId: string | null, user: string, now: string, reason: string, data: object): number {
    const r = this.sql('INSERT INTO event_changes (action, event_id, other_id, by_user, at, reason, data) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      action,
      eventId,
      otherId,
      user,
      now,
      reason,
      JSON.stringify(data),
    );
    return Number(r.lastInsertRowid);
  }

  /** The mentions that make the event under `key` (its own and those of events merged into it), with their articles. */
  private mentionRows(key: string) {
    return this.sql(
      `SELECT m.id, m.event_key, m.data, a.id AS article_id, a.name, a.url, a.title, a.publisher, a.published FROM mentions m JOIN articles a ON a.id = m.article_id
       WHERE m.event_key IN (SELECT value FROM json_each(?)) ORDER BY m.id`,
    ).all(JSON.stringify(this.repo.ownedKeys(key))) as Array<MentionRow & { event_key: string }>;
  }

  /** The mentions an event is built from, each with its article and the sentence that reports it. */
  mentions(id: string): MentionView[] | null {
    const row = this.repo.liveRow(id);
    if (!row) return null;
    return this.mentionRows(row.event_key).map(mentionView);
  }

  /**
   * Every revision of an event, newest first, its changes as each field's old and new value, with an undo link on
   * the merges and splits that can still be undone.
   */
  history(id: string): HistoryEntry[] | null {
    if (this.sql('SELECT 1 FROM events WHERE id = ?').get(id) === undefined) return null;
    const rows = this.sql(
      'SELECT revision, created_at, by_user, action, reason, changes, change_id FROM event_revisions WHERE event_id = ? ORDER BY revision',
    ).all(id) as RevisionRow[];
    const undoable = new Map<number, boolean>();
    const canUndo = (change: number): boolean => {
      if (!undoable.has(change)) {
        const x = this.sql('SELECT id, action, event_id, other_id, data, undone_by FROM event_changes WHERE id = ?').get(change) as ChangeRow;
        undoable.set(change, this.undoBlocked(x) === null);
      }
      return undoable.get(change)!;
    };
    return historyEntries(rows, canUndo);
  }
}
