// Core types shared by every stage. No I/O here.
import type { PlannedStatus } from './planned.js';

/** A character range in Article.text, with the text it covers. */
export interface Span {
  start: number;
  end: number;
  text: string;
}

export type BlockKind =
  | 'title'
  | 'heading'
  | 'paragraph'
  | 'caption'
  | 'credit' // photo credit line, e.g. "Jane Doe/AGENCY": never a place, never a fact
  | 'furniture'; // page furniture: "top of page", "Comments", "4 min read", date lines

/** One block of the cleaned article text. Offsets index Article.text. */
export interface Block {
  kind: BlockKind;
  start: number;
  end: number;
}

export type PublishedSource = 'option' | 'meta' | 'jsonld' | 'url' | 'dateline' | 'header' | null;

export interface Article {
  /** sha256 (hex) of the cleaned text: the same article ingested twice has the same id. */
  id: string;
  /** file path, URL or "-" (stdin) as given by the user */
  name: string;
  url: string | null;
  title: string | null;
  publisher: string | null;
  /** YYYY-MM-DD */
  published: string | null;
  publishedSource: PublishedSource;
  publishedEvidence: string | null;
  /** cleaned text; every offset in the system indexes this string */
  text: string;
  blocks: Block[];
  flags: string[];
}

export type GeoPrecision = 'venue' | 'locality' | 'county' | 'state' | 'country';
export type PlaceKind = 'locality' | 'neighbourhood' | 'county' | 'state' | 'country';

export interface Place {
  /** stable id, e.g. "gn:5368361" */
  id: string;
  /** CCC-style locality name: "New York", "Saint Paul", "Los Angeles" */
  name: string;
  kind: PlaceKind;
  /** US: two-letter state code; elsewhere the ISO 3166-1 alpha-2 country code */
  region: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  county: string | null;
  fips: string | null;
  lat: number;
  lon: number;
  population: number;
  /** for a neighbourhood: the id of the locality that contains it */
  parentId?: string | null;
}

export type DatePrecision = 'day' | 'week' | 'month';
export type Status = 'occurred' | 'planned';

/** A quoted piece of evidence for one field. */
export interface Evidence {
  field: string;
  /** article id */
  source: string;
  quote: string;
  start: number;
  end: number;
}

/** One report of a demonstration at a place on a day, inside one article. */
export interface Mention {
  articleId: string;
  date: string | null;
  date_precision: DatePrecision;
  status: Status;
  locality: string | null;
  region: string | null;
  country: string | null;
  county: string | null;
  fips: string | null;
  lat: number | null;
  lon: number | null;
  geo_precision: GeoPrecision;
  placeId: string | null;
  location_detail: string[];
  event_type: string[];
  macroevent: string | null;
  title: string | null;
  organizations: string[];
  claims: string[];
  size_text: string | null;
  size_low: number | null;
  size_high: number | null;
  arrests: number | null;
  arrests_text: string | null;
  injuries_text: string | null;
  police_measures: string[];
  property_damage: string[];
  evidence: Evidence[];
  confidence: number;
  flags: string[];
}

export interface SourceRef {
  id: string;
  url: string | null;
  file: string | null;
  title: string | null;
  publisher: string | null;
  published: string | null;
}

export type SizeCat = 0 | 1 | 2 | 3 | 4;

/** The merged record: one per (place, day). JSON field names are the public API. */
export interface EventRecord {
  id: string;
  date: string | null;
  date_precision: DatePrecision;
  status: Status;
  /**
   * A plan kept apart from the action held at its place that day (SAME_DAY_PLAN in src/merge/cluster.ts), once
   * another article reports that action: the id of the occurred event. Null otherwise.
   */
  realized_by: string | null;
  /** The other way: on the occurred event, the id of the same-day plan it was reported to fulfil. Null otherwise. */
  plan_of: string | null;
  locality: string | null;
  region: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
  county: string | null;
  fips: string | null;
  geo_precision: GeoPrecision;
  location_detail: string | null;
  event_type: string[];
  title: string | null;
  macroevent: string | null;
  organizations: string[];
  claims: string[];
  size_text: string | null;
  size_low: number | null;
  size_high: number | null;
  size_mean: number | null;
  size_cat: SizeCat;
  arrests: number | null;
  arrests_text: string | null;
  injuries_text: string | null;
  police_measures: string[];
  property_damage: string[];
  sources: SourceRef[];
  evidence: Evidence[];
  confidence: number;
  flags: string[];
  /** the stored revision number (1 when first stored, +1 on every change); 0 on a record never stored */
  revision: number;
  /** a human's review: unreviewed until an editor verifies or rejects it; re-ingesting never resets it */
  review_status: ReviewStatus;
  /** the name of the editor who last reviewed the event; null when unreviewed */
  reviewed_by: string | null;
  /** when it was last reviewed (ISO 8601); null when unreviewed */
  reviewed_at: string | null;
  /** the fields whose value a human set: every rebuild from the mentions keeps them (sorted) */
  edited_fields: string[];
  /** where the machine's value, rebuilt from later evidence, now differs from a human's; cleared when an editor edits or verifies again */
  disputes: Dispute[];
}

/** unreviewed until an editor acts; edited once a human changed a field value; verified or rejected by a review */
export type ReviewStatus = 'unreviewed' | 'verified' | 'edited' | 'rejected';

/** A human's value that new evidence disagrees with: the machine's rebuilt value and the article that brought it. */
export interface Dispute {
  field: string;
  human: unknown;
  machine: unknown;
  /** the article whose reading changed the machine's value; null when no article did */
  source: string | null;
}

/** The review fields of a record, carried over when the record is rebuilt from its mentions. */
export const UNREVIEWED = { review_status: 'unreviewed', reviewed_by: null, reviewed_at: null } as const;

/** The human-edit fields of a record no human has edited. */
export function noEdits(): Pick<EventRecord, 'edited_fields' | 'disputes'> {
  return { edited_fields: [], disputes: [] };
}

/** An event as the API, the exports and the feeds serve it: the record, and where a plan stands on the day served. */
export interface ServedEvent extends EventRecord {
  planned_status: PlannedStatus | null;
}
