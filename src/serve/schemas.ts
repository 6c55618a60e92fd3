// The API's request and response shapes, as zod schemas. They validate requests, and the OpenAPI document
// (src/serve/openapi.ts) is generated from them, so the two cannot drift apart.
import { z } from 'zod';
import { PLANNED_STATUSES, type PlannedStatus } from '../core/planned.js';
import type { ServedEvent } from '../core/types.js';
import { parseIso } from '../extract/dates.js';
import { MAX_NAME, ROLES } from '../store/accounts.js';
import { EDITABLE_FIELDS, type EditableField } from '../merge/edits.js';
import { isCountryCode } from '../resolve/regions.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((v) => parseIso(v) !== null, 'is not a calendar date');

/** true when A and B are the same type: a schema and its TypeScript type cannot drift apart (a compile error). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const NUMBER = '-?\\d{1,3}(?:\\.\\d{1,12})?';
const BBOX_PATTERN = `^${NUMBER},${NUMBER},${NUMBER},${NUMBER}$`;

/** "minLon,minLat,maxLon,maxLat" as numbers, or null when out of range. */
export function parseBbox(v: string): [number, number, number, number] | null {
  const n = v.split(',').map(Number) as [number, number, number, number];
  const [w, s, e, north] = n;
  if (n.length !== 4 || n.some((x) => !Number.isFinite(x))) return null;
  if (Math.abs(w) > 180 || Math.abs(e) > 180 || Math.abs(s) > 90 || Math.abs(north) > 90 || s > north) return null;
  return n;
}

/** Filters shared by every list endpoint (events, points, stats, exports, feeds). */
export const filterShape = {
  from: isoDate.optional().describe('first date, inclusive (YYYY-MM-DD)'),
  to: isoDate.optional().describe('last date, inclusive (YYYY-MM-DD)'),
  region: z
    .string()
    .regex(/^[A-Za-z][A-Za-z .'()-]{1,59}$/, 'must be a two-letter code: a US state, or a country outside the US')
    .optional()
    .describe(
      'two-letter US state or territory code (a code shared with a country, like CA, is the state), or outside the US a country by ISO 3166-1 alpha-2 code or by name ("France", as the region of events abroad reads); a region we do not know is a 400',
    ),
  locality: z.string().min(1).max(200).optional().describe('city or town name, exact (case-insensitive)'),
  status: z.enum(['occurred', 'planned']).optional().describe('occurred or planned'),
  macroevent: z.string().min(1).max(200).optional().describe('campaign or day of action, e.g. "National Shutdown" (case-insensitive)'),
  q: z.string().min(1).max(200).optional().describe('words that must all occur in the title, claims, organizations, places or evidence quotes'),
  bbox: z
    .string()
    .regex(new RegExp(BBOX_PATTERN), 'must be minLon,minLat,maxLon,maxLat')
    .refine((v) => parseBbox(v) !== null, 'must have longitudes within ±180, latitudes within ±90 and minLat <= maxLat')
    .optional()
    .describe('minLon,minLat,maxLon,maxLat (WGS 84); minLon > maxLon crosses the antimeridian'),
  include_rejected: z
    .enum(['true', 'false'])
    .optional()
    .describe('true keeps events an editor rejected (review_status "rejected"); by default they are left out'),
};

const dateOrder = (v: { from?: string; to?: string }, ctx: z.RefinementCtx) => {
  if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `is before from (${v.from})` });
};

export const FilterQuery = z.object(filterShape).strict().superRefine(dateOrder);

export const CsvQuery = z
  .object({
    ...filterShape,
    include_planned: z
      .enum(['true', 'false'])
      .optional()
      .describe('true keeps planned events (CCC rows are events that took place, so by default they are left out; status=planned keeps them too)'),
  })
  .strict()
  .superRefine(dateOrder);

export const MAX_PAGE = 1000;
export const EventsQuery = z
  .object({
    ...filterShape,
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100).describe(`events per page, 1 to ${MAX_PAGE}`),
    cursor: z.string().min(1).max(2000).optional().describe('next_cursor from the previous page'),
  })
  .strict()
  .superRefine(dateOrder);

/** Review queue items per page at most. */
export const MAX_QUEUE_PAGE = 100;
export const ReviewQueueQuery = z
  .object({
    from: filterShape.from,
    to: filterShape.to,
    region: filterShape.region,
    macroevent: filterShape.macroevent,
    limit: z.coerce.number().int().min(1).max(MAX_QUEUE_PAGE).default(25).describe(`items per page, 1 to ${MAX_QUEUE_PAGE}`),
    cursor: z.string().min(1).max(2000).optional().describe('next_cursor from the previous page'),
  })
  .strict()
  .superRefine(dateOrder);

export const StatsQuery = z
  .object({ ...filterShape, group: z.enum(['day', 'region', 'macroevent']).describe('what to count by') })
  .strict()
  .superRefine(dateOrder);

export const RoundupQuery = z
  .object({
    date: isoDate.optional().describe('the day (YYYY-MM-DD)'),
    macroevent: z.string().min(1).max(200).optional().describe('campaign or day of action'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.date && !v.macroevent) ctx.addIssue({ code: 'custom', path: ['date'], message: 'date or macroevent is required' });
  });

/** The largest request body a write endpoint reads. */
export const MAX_BODY = 64 * 1024;

/** Why a person changes the record: every write body has one, kept in the event's history. */
const reason = z.string().trim().min(1).max(2000).describe('why, in a few words: kept in the event\'s history');
/** The revision the editor saw: a write at any other is a 409, so no one's change is lost. */
const revision = z.number().int().min(1).describe('the event\'s current revision number; any other is a 409 (someone changed it first)');

export const ReviewBody = z
  .object({
    action: z.enum(['verify', 'reject']).describe('verify: the event is right as recorded; reject: not a protest, or not this place or day'),
    reason,
    revision,
  })
  .strict();

export const EventIdParam = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hexadecimal characters');

const editText = (max: number) => z.string().trim().min(1).max(max).nullable();
const editList = z.array(z.string().trim().min(1).max(500)).max(100).describe('a list of short texts (at most 100)');
const editCount = z.number().int().min(0).max(1e9);

/** The fields an editor may change, each with the record's rules; the store checks the rules across fields. */
export const EditChanges = z
  .object({
    date: isoDate.describe('the day it took place (or is planned), YYYY-MM-DD; the date precision becomes "day"'),
    status: z.enum(['occurred', 'planned']),
    locality: editText(200),
    region: z
      .string()
      .trim()
      .min(1)
      .max(60)
      .nullable()
      .describe('a US state code (OH), or abroad a country by ISO code (FR) or name (France), stored as records store regions; a region we do not know is a 400'),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be a two-letter ISO 3166-1 country code')
      .refine((v) => isCountryCode(v), 'is not a country code we know')
      .transform((v) => v.toUpperCase())
      .nullable(),
    lat: z.number().min(-90).max(90).nullable().describe('-90 to 90; lat and lon are both set or both null'),
    lon: z.number().min(-180).max(180).nullable().describe('-180 to 180'),
    location_detail: editText(500),
    title: editText(500),
    macroevent: editText(200),
    event_type: editList,
    organizations: editList,
    claims: editList,
    size_text: editText(500),
    size_low: editCount.nullable().describe('a non-negative whole number; size_low <= size_high; size_mean and size_cat follow (CCC rules)'),
    size_high: editCount.nullable().describe('a non-negative whole number, at least size_low'),
    arrests: editCount.nullable().describe('a non-negative whole number, or null when unknown'),
    arrests_text: editText(500),
    injuries_text: editText(500),
    police_measures: editList,
    property_damage: editList,
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'must change at least one field');

// the editable fields of the schema and of the store are the same list
const editFieldsMatch: Same<keyof z.infer<typeof EditChanges>, EditableField> = true;
void editFieldsMatch;

export const EditBody = z
  .object({
    changes: EditChanges.describe(`field: new value; the fields: ${EDITABLE_FIELDS.join(', ')}. Each becomes a human value that no later article overwrites`),
    reason,
    revision,
  })
  .strict();

export const MergeBody = z
  .object({
    ids: z
      .array(EventIdParam)
      .length(2)
      .refine((v) => v[0] !== v[1], 'must name two different events')
      .describe('[a, b]: b\'s mentions and evidence move into a; b\'s id then answers 301 to a'),
    reason,
  })
  .strict();

export const SplitBody = z
  .object({
    mentions: z
      .array(z.number().int().min(1))
      .min(1)
      .max(10000)
      .describe('the mention ids (GET /api/events/{id}/mentions) that move to a new event; at least one must stay'),
    reason,
    revision,
  })
  .strict();

export const UndoBody = z
  .object({
    change: z.number().int().min(1).describe('the change id of a merge or a split: undo.id in the event\'s history'),
    reason,
  })
  .strict();

// ---------------------------------------------------------------------------------------------
// Responses

const nullableString = z.string().nullable();

export const SourceRefSchema = z.object({
  id: z.string().describe('article id'),
  url: nullableString,
  file: nullableString.describe('file name when the article came from a file'),
  title: nullableString,
  publisher: nullableString,
  published: nullableString.describe('YYYY-MM-DD'),
});

export const EvidenceSchema = z.object({
  field: z.string().describe('the event field this quote supports'),
  source: z.string().describe('the id of the source article (sources[].id)'),
  quote: z.string().describe('the sentence or caption, with private names redacted'),
  start: z.number().int(),
  end: z.number().int(),
});

export const EventRecordSchema = z.object({
  id: z.string(),
  date: nullableString,
  date_precision: z.enum(['day', 'week', 'month']),
  status: z.enum(['occurred', 'planned']),
  planned_status: z
    .enum(PLANNED_STATUSES as [PlannedStatus, ...PlannedStatus[]])
    .nullable()
    .describe(
      'for a planned event, where it stands on the day served: "upcoming" (its day is today or later), "no report yet" (its day has passed and no article reports it held), "reported" (an article reports it held: see realized_by), "date unknown"; null for an event that occurred',
    ),
  realized_by: nullableString.describe(
    'on a plan kept apart from the action already held at its place that day, the id of that occurred event once another article reports it; else null',
  ),
  plan_of: nullableString.describe('on an occurred event, the id of the same-day plan it was reported to fulfil (realized_by the other way); else null'),
  locality: nullableString,
  region: nullableString.describe('US: the two-letter state code; abroad: the country\'s name'),
  country: nullableString.describe('ISO 3166-1 alpha-2 country code (US for the states)'),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  county: nullableString,
  fips: nullableString,
  geo_precision: z.enum(['venue', 'locality', 'county', 'state', 'country']),
  location_detail: nullableString,
  event_type: z.array(z.string()),
  title: nullableString,
  macroevent: nullableString,
  organizations: z.array(z.string()),
  claims: z.array(z.string()),
  size_text: nullableString,
  size_low: z.number().nullable(),
  size_high: z.number().nullable(),
  size_mean: z.number().nullable(),
  size_cat: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  arrests: z.number().nullable(),
  arrests_text: nullableString,
  injuries_text: nullableString,
  police_measures: z.array(z.string()),
  property_damage: z.array(z.string()),
  sources: z.array(SourceRefSchema),
  evidence: z.array(EvidenceSchema),
  confidence: z.number().min(0).max(1),
  flags: z.array(z.string()),
  revision: z.number().int().describe('the stored revision number: 1 when first stored, one more on every change; a review must name it'),
  review_status: z
    .enum(['unreviewed', 'verified', 'edited', 'rejected'])
    .describe(
      'a human\'s review: unreviewed until an editor verifies, edits or rejects the event ("edited": a person changed a field value); re-ingesting never resets it. Rejected events are left out of lists unless include_rejected=true',
    ),
  reviewed_by: nullableString.describe('the name of the editor who last reviewed or edited the event; null when unreviewed'),
  reviewed_at: nullableString.describe('when the event was last reviewed or edited (ISO 8601); null when unreviewed'),
  edited_fields: z.array(z.string()).describe('the fields whose value a person set: no later article overwrites them'),
  disputes: z
    .array(
      z.object({
        field: z.string(),
        human: z.unknown().describe('the value a person set'),
        machine: z.unknown().describe('the value the articles now give'),
        source: nullableString.describe('the article whose reading gave the machine\'s value'),
      }),
    )
    .describe('where new evidence disagrees with a value a person set: the event is back in the review queue; cleared when an editor edits or verifies it again'),
});

// The schema and the TypeScript type must describe the same record: this fails to compile when they drift.
const recordSchemaMatchesType: Same<z.infer<typeof EventRecordSchema>, ServedEvent> = true;
void recordSchemaMatchesType;

export const EventListSchema = z.object({
  events: z.array(EventRecordSchema),
  next_cursor: nullableString.describe('pass as cursor for the next page; null on the last page'),
  total: z.number().int().describe('events matching the filters, over all pages: occurred + planned'),
  occurred: z.number().int().describe('of total, the events reported as held: what "N demonstrations" counts'),
  planned: z.number().int().describe('of total, the planned events (announced, not reported held), counted apart'),
});

export const PointsSchema = z.object({
  fields: z.array(z.string()),
  rows: z
    .array(z.tuple([z.string(), z.number(), z.number(), z.enum(['occurred', 'planned']), z.number().nullable()]))
    .describe('one row per event with coordinates: [id, lon, lat, status, size (size_mean)]; the event itself is at /api/events/{id}'),
});

export const StatsSchema = z.object({
  group: z.enum(['day', 'region', 'macroevent']),
  rows: z.array(
    z.object({
      key: nullableString,
      events: z.number().int().describe('matching events in the group: occurred + planned'),
      occurred: z.number().int().describe('of events, those reported as held'),
      planned: z.number().int().describe('of events, the planned ones, counted apart'),
      size_low: z.number().describe('sum of size_low over the occurred events (a plan\'s expected turnout is no crowd)'),
      size_high: z.number().describe('sum of size_high over the occurred events'),
    }),
  ),
});

export const RoundupSchema = z.object({
  date: nullableString,
  macroevent: nullableString,
  summary: z.string(),
  events: z.number().int(),
  states: z.number().int(),
  countries: z.number().int().describe('countries other than the US'),
  groups: z.array(
    z.object({
      region: z.string(),
      country: z.string(),
      name: z.string(),
      events: z.array(
        z.object({
          id: z.string(),
          locality: nullableString,
          location_detail: nullableString,
          date: nullableString,
          date_precision: z.enum(['day', 'week', 'month']).describe('day; week: date is its Monday; month: date is its 1st'),
          status: z.enum(['occurred', 'planned']),
          size_text: nullableString,
          size_low: z.number().nullable(),
          size_high: z.number().nullable(),
          sources: z.array(SourceRefSchema),
        }),
      ),
    }),
  ),
});

const UserSchema = z.object({
  name: z.string(),
  role: z.enum(ROLES),
});

const CsrfTokenSchema = z.string().describe('send it as the X-CSRF-Token header on every request of this session that changes something');

export const MeSchema = z.object({
  user: UserSchema.nullable().describe("the user of the bearer token or of the session cookie; null for an anonymous request (no token, no live session)"),
  csrf_token: CsrfTokenSchema.nullable().describe(`${CsrfTokenSchema.description}; null unless the request came with a session cookie`),
});

export const LoginBody = z
  .object({
    name: z.string().min(1).max(MAX_NAME).describe('the user name'),
    password: z.string().min(1).max(1024).describe('the password'),
  })
  .strict();

export const SessionSchema = z.object({
  user: UserSchema,
  csrf_token: CsrfTokenSchema,
});

export const ReviewQueueSchema = z.object({
  items: z.array(
    z.object({
      event: EventRecordSchema,
      doubt: z.number().min(0).max(1).describe('the machine\'s doubt, 0 to 1: higher is more doubt; the queue is ordered by it'),
      reasons: z.array(z.string()).describe('why, most weighty first, in a few words each'),
      neighbours: z
        .array(
          z.object({
            id: z.string(),
            title: z.string(),
            date: nullableString,
            locality: nullableString,
            region: nullableString,
            km: z.number().nullable().describe('distance from the item, when both have coordinates'),
          }),
        )
        .describe('up to three merge suggestions: events within a day of this one, within about 50 km or in the same town; nearest first'),
    }),
  ),
  next_cursor: nullableString.describe('pass as cursor for the next page; null on the last page'),
  total: z.number().int().describe('queue items matching the filters, over all pages'),
});

export const MergedSchema = z.object({
  merged_into: z.string().describe('the id of the event this one was merged into (also in the Location header)'),
});

export const SplitResultSchema = z.object({
  event: EventRecordSchema.describe('the new event, made of the chosen mentions'),
  from: EventRecordSchema.describe('the event they were split from'),
});

export const MentionsSchema = z.object({
  mentions: z.array(
    z.object({
      id: z.number().int().describe('the mention id, for a split'),
      article: SourceRefSchema,
      quote: nullableString.describe('the sentence that reports it, with private names redacted'),
      date: nullableString,
      locality: nullableString,
      size_text: nullableString,
    }),
  ),
});

export const HistorySchema = z.object({
  history: z.array(
    z.object({
      revision: z.number().int(),
      at: z.string().describe('ISO 8601'),
      by: nullableString.describe('the editor; null for the machine reading articles'),
      action: z.enum(['ingest', 'review', 'edit', 'merge', 'split', 'undo']),
      reason: z.string().describe('the editor\'s reason, or the article read ("article ID")'),
      changes: z
        .array(z.object({ field: z.string(), old: z.unknown(), new: z.unknown() }))
        .describe(
          'the fields changed, old and new values (the machine\'s value stays as the old value of an edit); sources as article ids; merges and splits add merged_into, merged_from, split_to or split_from (event ids)',
        ),
      undo: z
        .object({ id: z.number().int() })
        .nullable()
        .describe('on a merge or a split that can still be undone: the change id for POST /api/events/{id}/undo'),
    }),
  ),
});

export const ConflictSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.literal(409),
  detail: z.string(),
  instance: z.string().optional(),
  param: z.string().optional(),
  revision: z.number().int().describe('the event\'s current revision: reload it, then review again'),
});

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  param: z.string().optional().describe('the query or path parameter, or the body field, at fault'),
});
