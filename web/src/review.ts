// The review queue's pure parts: the keys, the fields an editor can change (grouped as the form offers them),
// reading a typed value back into the API's types, and the words for a history entry. No DOM here.
import type { EventRecord, FieldChange, HistoryEntry } from './api.ts';
import { fieldLabel } from './evidence.ts';
import { flagText } from './format.ts';

/** What a key does on the review page. */
export type ReviewCommand = 'next' | 'previous' | 'accept' | 'edit' | 'reject' | 'merge' | 'split' | 'next-page' | 'help';

const KEYS: Record<string, ReviewCommand> = {
  j: 'next',
  ArrowDown: 'next',
  k: 'previous',
  ArrowUp: 'previous',
  a: 'accept',
  e: 'edit',
  r: 'reject',
  m: 'merge',
  s: 'split',
  n: 'next-page',
  '?': 'help',
};

/** The keys as the help lists them, in order. */
export const KEY_HELP: { keys: string[]; does: string }[] = [
  { keys: ['j', '↓'], does: 'next item' },
  { keys: ['k', '↑'], does: 'previous item' },
  { keys: ['a'], does: 'accept: mark the event verified' },
  { keys: ['e'], does: 'edit a field (with a reason)' },
  { keys: ['r'], does: 'reject: not a protest, or not this place or day (with a reason)' },
  { keys: ['m'], does: 'merge with the first suggested neighbour (with a reason)' },
  { keys: ['s'], does: 'split: move chosen reports to a new event (with a reason)' },
  { keys: ['n'], does: 'next page of the queue' },
  { keys: ['?'], does: 'this help' },
  { keys: ['Esc'], does: 'close a form without saving' },
];

/** The command a key press asks for, or null (modifier keys held, or not a review key). */
export function commandFor(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): ReviewCommand | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  return KEYS[e.key] ?? null;
}

export type FieldKind = 'text' | 'code' | 'date' | 'status' | 'int' | 'number' | 'list';

export interface EditableField {
  /** the record field the API changes */
  name: string;
  label: string;
  kind: FieldKind;
  hint?: string;
}

export interface EditGroup {
  key: string;
  label: string;
  fields: EditableField[];
}

/** The fields the write API lets an editor change, grouped as one would correct them together. */
export const EDIT_GROUPS: EditGroup[] = [
  { key: 'date', label: 'Date', fields: [{ name: 'date', label: 'Date', kind: 'date', hint: 'YYYY-MM-DD' }] },
  { key: 'status', label: 'Status', fields: [{ name: 'status', label: 'Status', kind: 'status' }] },
  {
    key: 'place',
    label: 'Place',
    fields: [
      { name: 'locality', label: 'Town or city', kind: 'text' },
      { name: 'region', label: 'State or region code', kind: 'code', hint: 'a US state code (OK) or a country code' },
      { name: 'country', label: 'Country code', kind: 'code', hint: 'US, FR, …' },
    ],
  },
  { key: 'venue', label: 'Venue', fields: [{ name: 'location_detail', label: 'Venue', kind: 'text' }] },
  {
    key: 'position',
    label: 'Map position',
    fields: [
      { name: 'lat', label: 'Latitude', kind: 'number', hint: '-90 to 90' },
      { name: 'lon', label: 'Longitude', kind: 'number', hint: '-180 to 180' },
    ],
  },
  {
    key: 'size',
    label: 'Crowd size',
    fields: [
      { name: 'size_low', label: 'Lowest count', kind: 'int' },
      { name: 'size_high', label: 'Highest count', kind: 'int' },
      { name: 'size_text', label: 'As reported, in words', kind: 'text' },
    ],
  },
  {
    key: 'arrests',
    label: 'Arrests',
    fields: [
      { name: 'arrests', label: 'Number arrested', kind: 'int' },
      { name: 'arrests_text', label: 'As reported, in words', kind: 'text' },
    ],
  },
  { key: 'injuries', label: 'Injuries', fields: [{ name: 'injuries_text', label: 'Injuries, as reported', kind: 'text' }] },
  { key: 'title', label: 'Title', fields: [{ name: 'title', label: 'Title', kind: 'text' }] },
  { key: 'macroevent', label: 'Day of action', fields: [{ name: 'macroevent', label: 'Day of action', kind: 'text' }] },
  { key: 'event_type', label: 'Type', fields: [{ name: 'event_type', label: 'Types, one a line', kind: 'list' }] },
  { key: 'organizations', label: 'Organizations', fields: [{ name: 'organizations', label: 'Organizations, one a line', kind: 'list' }] },
  { key: 'claims', label: 'Claims', fields: [{ name: 'claims', label: 'Claims, one a line', kind: 'list' }] },
  { key: 'police_measures', label: 'Police measures', fields: [{ name: 'police_measures', label: 'Police measures, one a line', kind: 'list' }] },
  { key: 'property_damage', label: 'Property damage', fields: [{ name: 'property_damage', label: 'Property damage, one a line', kind: 'list' }] },
];

/** The form's text for a record value. */
export function formText(value: unknown): string {
  if (value == null) return '';
  if (Array.isArray(value)) return value.map(String).join('\n');
  return String(value);
}

/** A field's typed text read back into the API's type; throws an Error saying what is wrong. Empty = null (lists: []). */
export function parseField(f: EditableField, text: string): unknown {
  const t = text.trim();
  switch (f.kind) {
    case 'list':
      return t
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean);
    case 'status':
      if (t !== 'occurred' && t !== 'planned') throw new Error('choose occurred or planned');
      return t;
    case 'int': {
      if (!t) return null;
      const n = Number(t.replace(/[,\s]/g, ''));
      if (!Number.isInteger(n) || n < 0) throw new Error('a whole number, 0 or more');
      return n;
    }
    case 'number': {
      if (!t) return null;
      const n = Number(t);
      if (!Number.isFinite(n)) throw new Error('a number');
      return n;
    }
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) throw new Error('a day as YYYY-MM-DD');
      return t;
    case 'code':
      return t ? t.toUpperCase() : null;
    default:
      return t || null;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The changes a filled-in group makes to the record: only the fields whose value differs. Throws
 * FieldError for the first field that cannot be read.
 */
export function groupChanges(group: EditGroup, texts: Record<string, string>, e: EventRecord): Record<string, unknown> {
  const record = e as unknown as Record<string, unknown>;
  const changes: Record<string, unknown> = {};
  for (const f of group.fields) {
    let value: unknown;
    try {
      value = parseField(f, texts[f.name] ?? '');
    } catch (err) {
      throw new FieldError(f.name, `${f.label}: ${(err as Error).message}`);
    }
    if (!same(value, record[f.name])) changes[f.name] = value;
  }
  return changes;
}

/** A value of the edit form that cannot be read, naming the record field. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The record field a 400's param names ("changes.size_low" → "size_low"), or null. */
export function paramField(param: unknown): string | null {
  return typeof param === 'string' && param.startsWith('changes.') ? param.slice('changes.'.length) : null;
}

/** A history value in plain words; `name` words a string (a source's id as its title), the identity by default. */
export function valueText(v: unknown, name: (s: string) => string = (s) => s): string {
  if (v == null || v === '') return '(none)';
  if (Array.isArray(v)) return v.length ? v.map((x) => name(String(x))).join(', ') : '(none)';
  if (typeof v === 'object') return JSON.stringify(v);
  return name(String(v));
}

const ACTION_WORDS: Record<HistoryEntry['action'], string> = {
  ingest: 'Read from the news',
  review: 'Reviewed',
  edit: 'Edited',
  merge: 'Merged',
  split: 'Split',
  undo: 'Undone',
};

/** "Edited by ana" / "Read from the news by the machine". */
export function actionText(h: HistoryEntry): string {
  return `${ACTION_WORDS[h.action] ?? h.action} by ${h.by ?? 'the machine'}`;
}

/** A record field's name in words: "Crowd size (lowest count)" for one of several in its group, else its label. */
export function editLabel(field: string): string {
  for (const g of EDIT_GROUPS) {
    const f = g.fields.find((x) => x.name === field);
    if (f) return g.fields.length > 1 ? `${g.label} (${f.label.toLowerCase()})` : g.label;
  }
  return fieldLabel(field);
}

/** Fields the history leaves out: worked out from others (the crowd's CCC mean and category from its counts). */
const DERIVED = new Set(['size_mean', 'size_cat']);

/** The changes of a history entry worth showing a reader. */
export function shownChanges(changes: FieldChange[]): FieldChange[] {
  return changes.filter((c) => !DERIVED.has(c.field));
}

/** One value of a field in words: a flag as its sentence, an edited field by its label. */
export function fieldValueWords(field: string, s: string): string {
  if (field === 'flags') return flagText(s);
  if (field === 'edited_fields') return editLabel(s);
  return s;
}

/** "Crowd size (lowest count): 200 → 350". */
export function changeText(c: FieldChange, name?: (s: string) => string): string {
  return `${editLabel(c.field)}: ${valueText(c.old, name)} → ${valueText(c.new, name)}`;
}

/** Whether a history entry can be undone from the event page: a merge or a split the API offers to undo. */
export function undoable(h: HistoryEntry): boolean {
  return (h.action === 'merge' || h.action === 'split') && h.undo != null;
}
