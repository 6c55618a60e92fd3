// Human values over the machine's (issue 10: edits are revisions). An editor's value for a field is kept apart from
// the mentions and laid over the record every time the record is rebuilt from them, so re-reading articles never
// overwrites it; when new evidence moves the machine's value away from a human's, the record lists a dispute.
// No I/O here: the store keeps the values and the history.
import type { Dispute, EventRecord } from '../core/types.js';
import { sizeMeanCat } from '../extract/size.js';

/** The fields an editor may change (PATCH /api/events/{id}); every other field follows from the mentions or from these. */
export const EDITABLE_FIELDS = [
  'date',
  'status',
  'locality',
  'region',
  'country',
  'lat',
  'lon',
  'location_detail',
  'title',
  'macroevent',
  'event_type',
  'organizations',
  'claims',
  'size_text',
  'size_low',
  'size_high',
  'arrests',
  'arrests_text',
  'injuries_text',
  'police_measures',
  'property_damage',
] as const;

export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** An editor's new values, field by field. */
export type EventChanges = Partial<Pick<EventRecord, EditableField>>;

/** Fields that only make sense together: changing one pins the other at its current value (a crowd range, a point). */
const PAIRS: ReadonlyArray<readonly [EditableField, EditableField]> = [
  ['size_low', 'size_high'],
  ['lat', 'lon'],
];

/** A human's value for one field of one event, and the machine's value when it was last compared. */
export interface Override {
  field: EditableField;
  value: unknown;
  /** the machine's value at the last rebuild: a rebuild that gives another one has new evidence */
  machine: unknown;
}

/** One field's change in an event's history. Stored values are JSON, so JSON equality is value equality. */
export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

/**
 * An array field's change as a revision stores it: `removed` taken out of the old array at index `at`, and `added`
 * put in their place. A report adds a source, a flag or a claim to an event: its revision stores that, not the
 * whole array twice, so revisions stay the same size however many reports came before.
 */
export interface ArraySplice {
  field: string;
  at: number;
  removed: unknown[];
  added: unknown[];
}

/** One field's change as stored: a value's old and new, or an array's splice. */
export type StoredChange = FieldChange | ArraySplice;

function isSplice(c: StoredChange): c is ArraySplice {
  return 'at' in c;
}

/**
 * A change as a revision stores it: an array that was an array before as the one splice from the old array to
 * the new (what lies between their common start and their common end), every other change as it is.
 */
export function compactChange(c: StoredChange): StoredChange {
  if (isSplice(c) || !Array.isArray(c.old) || !Array.isArray(c.new)) return c;
  const [a, b] = [c.old.map(elementKey), c.new.map(elementKey)];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return { field: c.field, at: start, removed: c.old.slice(start, c.old.length - end), added: c.new.slice(start, c.new.length - end) };
}

/**
 * An array element as compactChange compares it: a string as itself behind a control character (most arrays are of
 * strings: sources by id, claims, flags; no JSON to write), anything else as its JSON, which never begins with one.
 */
function elementKey(v: unknown): string {
  return typeof v === 'string' ? '\u0001' + v : JSON.stringify(v);
}

/**
 * The changes of an event's revisions, oldest first, as a history shows them (each field's old and new value),
 * from the changes stored (compactChange): an array's splices are replayed from the event's first revision on.
 */
export function expandChanges(revisions: StoredChange[][]): FieldChange[][] {
  const arrays = new Map<string, unknown[]>();
  return revisions.map((changes) =>
    changes.map((c): FieldChange => {
      if (!isSplice(c)) {
        if (Array.isArray(c.new)) arrays.set(c.field, c.new);
        else arrays.delete(c.field);
        return c;
      }
      // (an array empty when the event was made has no change of its own before its first splice)
      const old = arrays.get(c.field) ?? [];
      const now = [...old.slice(0, c.at), ...c.added, ...old.slice(c.at + c.removed.length)];
      arrays.set(c.field, now);
      return { field: c.field, old, new: now };
    }),
  );
}

/** Whether two record values are the same (records are JSON). */
export function sameValue(a: unknown, b: unknown): boolean {
  // (the same value, or arrays of different lengths, need no JSON: a report adds a source to a list of hundreds)
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) return false;
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The editor's changes with the other half of each pair pinned at the record's current value. */
export function withPairs(changes: EventChanges, current: EventRecord): EventChanges {
  const out: Record<string, unknown> = { ...changes };
  for (const [a, b] of PAIRS) {
    if (a in out && !(b in out)) out[b] = current[b];
    if (b in out && !(a in out)) out[a] = current[a];
  }
  return out as EventChanges;
}

/**
 * The rule of the record that an editor's changes break, or null: a crowd range with its low above its high or a
 * high without a low, a point with one coordinate only. Only rules on the fields changed are checked, and the field
 * named is one the editor set, so the error points at their input.
 */
export function recordRuleBroken(record: EventRecord, changed: Iterable<string>): { field: EditableField; message: string } | null {
  const edited = new Set(changed);
  const pick = (a: EditableField, b: EditableField): EditableField | null => (edited.has(a) ? a : edited.has(b) ? b : null);
  const size = pick('size_low', 'size_high');
  if (size && record.size_low !== null && record.size_high !== null && record.size_low > record.size_high) {
    return { field: size, message: `size_low (${record.size_low}) is above size_high (${record.size_high})` };
  }
  if (size && record.size_low === null && record.size_high !== null) return { field: size, message: 'size_high needs a size_low (a single count is size_low alone)' };
  const point = pick('lat', 'lon');
  if (point && (record.lat === null) !== (record.lon === null)) return { field: point, message: 'lat and lon are both set or both null' };
  return null;
}

/**
 * The record with the human values laid over `machine` (the record rebuilt from the mentions). `previous` is the
 * stored record: its review and its disputes carry over. When `source` (the article whose reading caused this
 * rebuild) is set, a machine value that moved away from a human's adds a dispute; a machine value that came round
 * to the human's settles it. `moved` are the overrides whose machine value changed (their new baseline).
 */
export function applyOverrides(
  machine: EventRecord,
  overrides: Override[],
  previous: EventRecord | null,
  source: string | null,
): { record: EventRecord; moved: Override[] } {
  const record: Record<string, unknown> = { ...machine };
  let disputes: Dispute[] = previous?.disputes ?? [];
  const moved: Override[] = [];
  for (const o of overrides) {
    const now = machine[o.field];
    if (!sameValue(now, o.machine)) {
      moved.push({ ...o, machine: now });
      const others = disputes.filter((d) => d.field !== o.field);
      if (sameValue(now, o.value)) disputes = others;
      else if (source !== null) disputes = [...others, { field: o.field, human: o.value, machine: now, source }];
    }
    record[o.field] = o.value;
  }
  const fields = overrides.map((o) => o.field);
  const out = record as unknown as EventRecord;
  Object.assign(out, derived(out, fields));
  const review = previous
    ? { review_status: previous.review_status ?? 'unreviewed', reviewed_by: previous.reviewed_by ?? null, reviewed_at: previous.reviewed_at ?? null }
    : { review_status: machine.review_status, reviewed_by: machine.reviewed_by, reviewed_at: machine.reviewed_at };
  return { record: { ...out, ...review, edited_fields: [...fields].sort(), disputes }, moved };
}

/** The fields that follow from edited ones: a crowd's mean and category (CCC rules), a day's precision. */
function derived(record: EventRecord, fields: EditableField[]): Partial<EventRecord> {
  const out: Partial<EventRecord> = {};
  if (fields.includes('size_low') || fields.includes('size_high')) Object.assign(out, sizeMeanCat(record.size_low, record.size_high));
  // an editor gives a calendar day
  if (fields.includes('date')) out.date_precision = 'day';
  return out;
}

/** Fields left out of a history's changes: the id and revision never change, the quotes follow the sources. */
const NOT_IN_HISTORY = new Set(['id', 'revision', 'evidence']);

/** How a field reads in a history: sources by article id (the rest of a source never changes). */
function historyValue(field: string, v: unknown): unknown {
  if (field === 'sources' && Array.isArray(v)) return v.map((s: { id: string }) => s.id);
  return v ?? null;
}

/** The field-level changes from one record to the next; from nothing (a new event), its fields that hold a value. */
export function recordChanges(before: EventRecord | null, after: EventRecord): FieldChange[] {
  const out: FieldChange[] = [];
  const a = after as unknown as Record<string, unknown>;
  const b = before as unknown as Record<string, unknown> | null;
  for (const field of Object.keys(a)) {
    if (NOT_IN_HISTORY.has(field)) continue;
    const old = historyValue(field, b ? b[field] : null);
    const now = historyValue(field, a[field]);
    if (sameValue(old, now)) continue;
    if (!b && (now === null || (Array.isArray(now) && !now.length))) continue;
    out.push({ field, old, new: now });
  }
  return out;
}

/** What an editor's changes come to: the record to store and the human values to keep, or the rule they break. */
export type EditOutcome =
  | { outcome: 'invalid'; field: string; message: string }
  | { outcome: 'edited'; record: EventRecord; keep: Override[] };

/**
 * An editor's changes laid over the record (any store): `machine` is the record rebuilt from the mentions, `before`
 * the stored one, `stored` its human values so far. The changed fields (with their pairs) become human values with
 * the machine's value as their baseline; the record is "edited" by `user` (a rejection stands) and the disputes of
 * the changed fields are settled.
 */
export function applyEdit(machine: EventRecord, before: EventRecord, stored: Override[], requested: EventChanges, user: string, now: string): EditOutcome {
  const changes = withPairs(requested, before);
  const overrides = new Map(stored.map((o) => [o.field, o]));
  for (const [field, value] of Object.entries(changes) as Array<[EditableField, unknown]>) {
    overrides.set(field, { field, value, machine: overrides.get(field)?.machine ?? machine[field] });
  }
  const { record } = applyOverrides(machine, [...overrides.values()], before, null);
  const broken = recordRuleBroken(record, Object.keys(requested));
  if (broken) return { outcome: 'invalid', field: `changes.${broken.field}`, message: `changes.${broken.message}` };
  const edited: EventRecord = {
    ...record,
    // a rejection stands until an editor verifies the event; any other state becomes "edited"
    ...(record.review_status === 'rejected' ? {} : { review_status: 'edited', reviewed_by: user, reviewed_at: now }),
    disputes: record.disputes.filter((d) => !(d.field in changes)),
  };
  return { outcome: 'edited', record: edited, keep: (Object.keys(changes) as EditableField[]).map((f) => overrides.get(f)!) };
}

/** The record an editor verified or rejected: verifying settles every dispute (the record stands as it is). */
export function reviewedRecord(before: EventRecord, action: 'verify' | 'reject', user: string, now: string): EventRecord {
  return {
    ...before,
    review_status: action === 'verify' ? 'verified' : 'rejected',
    reviewed_by: user,
    reviewed_at: now,
    disputes: action === 'verify' ? [] : before.disputes,
  };
}
