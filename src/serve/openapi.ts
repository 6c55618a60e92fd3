// The OpenAPI 3.1 document of the API, generated from the zod schemas that validate requests.
import { z } from 'zod';
import {
  ConflictSchema,
  CsvQuery,
  EditBody,
  EventListSchema,
  EventRecordSchema,
  EventsQuery,
  FilterQuery,
  HistorySchema,
  MeSchema,
  MentionsSchema,
  MergeBody,
  MergedSchema,
  PointsSchema,
  ProblemSchema,
  ReviewBody,
  RoundupQuery,
  RoundupSchema,
  SplitBody,
  SplitResultSchema,
  StatsQuery,
  StatsSchema,
  UndoBody,
} from './schemas.js';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

/** One OpenAPI query parameter per property of a strict object schema. */
function queryParameters(schema: z.ZodType): Json[] {
  const s = jsonSchema(schema) as { properties: Record<string, Json>; required?: string[] };
  return Object.entries(s.properties).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return { name, in: 'query', required: s.required?.includes(name) ?? false, description, schema: rest };
  });
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description: string) => ({ description, content: { 'application/json': { schema } } });
const problemOf = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const badRequest = { description: 'a parameter is invalid; `param` names it', content: { 'application/problem+json': { schema: ref('Problem') } } };

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{16}$' } };
const conflict = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Conflict') } } });

/** A write endpoint (editors and admins): its body, its answer, and the problems every write shares. */
function writeOperation(summary: string, description: string, body: string, ok: Record<string, unknown>, more: Record<string, unknown>, path = true): Json {
  return {
    summary,
    description,
    security: [{ bearerAuth: [] }],
    ...(path ? { parameters: [idParameter] } : {}),
    requestBody: { required: true, content: { 'application/json': { schema: ref(body) } } },
    responses: {
      ...ok,
      '400': problemOf('a body field is missing, unknown, of the wrong type or breaks a rule of the record (`param` names it), or the body is not JSON; nothing changed'),
      '401': problemOf('no bearer token, or one that is unknown or revoked'),
      '403': problemOf('the token belongs to a viewer'),
      '404': problemOf('no event has this id, or it was merged into another (merged_into names it)'),
      '413': problemOf('the body is over 64 KB'),
      '415': problemOf('the body is not sent as application/json'),
      ...more,
    },
  };
}

let cached: Json | null = null;

export function openApiDocument(): Json {
  if (cached) return cached;
  const filters = queryParameters(FilterQuery);
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Turnout API',
      version: '0.1.0',
      description:
        'The record of demonstrations Turnout extracted from news articles, to read, and for editors (with an API token) to review, correct, merge and split, every change a revision with who, when and why. Every value keeps the source article and the quote it came from.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    paths: {
      '/api/events': {
        get: {
          summary: 'Events, filtered, sorted by date, one page at a time',
          parameters: queryParameters(EventsQuery),
          responses: { '200': json(ref('EventList'), 'a page of events'), '400': badRequest },
        },
      },
      '/api/events/{id}': {
        get: {
          summary: 'One event with its sources and the evidence quotes for each field',
          parameters: [idParameter],
          responses: {
            '200': json(ref('EventRecord'), 'the event'),
            '301': {
              description: 'the event was merged into another: Location is /api/events/{that id}',
              headers: { Location: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: ref('Merged') } },
            },
            '404': { description: 'no event has this id', content: { 'application/problem+json': { schema: ref('Problem') } } },
          },
        },
        patch: writeOperation(
          'Change field values (editors and admins): each becomes a human value, kept over every later rebuild from articles',
          'One new revision with the old and new value of each field (the machine\'s value stays in the history); review_status becomes "edited" (a rejection stands). size_low and size_high, and lat and lon, are set together (the one not given keeps its value); size_mean and size_cat follow the size (CCC rules); a date makes the precision "day". A later article that disagrees with a human value adds its evidence and a dispute, never a change.',
          'EditRequest',
          { '200': json(ref('EventRecord'), 'the event as edited, at its new revision') },
          { '409': conflict('revision is not the event\'s current one: someone changed it since') },
        ),
      },
      '/api/events/{id}/mentions': {
        get: {
          summary: 'The reports (mentions) an event is built from, each with its article and sentence: the ids a split chooses among',
          parameters: [idParameter],
          responses: {
            '200': json(ref('Mentions'), 'the mentions, oldest first'),
            '301': { description: 'the event was merged into another: Location is /api/events/{that id}', content: { 'application/json': { schema: ref('Merged') } } },
            '404': problemOf('no event has this id'),
          },
        },
      },
      '/api/events/{id}/history': {
        get: {
          summary: 'Every revision of an event, newest first: who (null for the machine), when, why, the action and the field changes',
          parameters: [idParameter],
          responses: { '200': json(ref('History'), 'the revisions'), '404': problemOf('no event has this id') },
        },
      },
      '/api/events/merge': {
        post: writeOperation(
          'Merge two events reports of one demonstration (editors and admins): the second\'s mentions and evidence move into the first',
          'The second event leaves every list; its id answers 301 to the first, and later articles of its place and day join the first. Its human values stay with it, for an undo. Undo from the history (POST /api/events/{id}/undo).',
          'MergeRequest',
          { '200': json(ref('EventRecord'), 'the first event, with the mentions of both') },
          {},
          false,
        ),
      },
      '/api/events/{id}/split': {
        post: writeOperation(
          'Split an event (editors and admins): the chosen mentions move to a new event, with an id of its own',
          'At least one mention stays. Undo from the history (POST /api/events/{id}/undo).',
          'SplitRequest',
          { '201': json(ref('SplitResult'), 'the new event and the event it was split from') },
          { '409': conflict('revision is not the event\'s current one: someone changed it since') },
        ),
      },
      '/api/events/{id}/undo': {
        post: writeOperation(
          'Undo a merge or a split of this event (editors and admins), with the change id from its history (undo.id)',
          'Restores the events as they were before: a merged event stands again with its mentions and human values; split mentions go back. A new revision records the undo.',
          'UndoRequest',
          { '200': json(ref('EventRecord'), 'the event of the path (for an undone split\'s new event, the event it came from)') },
          { '409': problemOf('the change was already undone, or a later merge or split depends on it (undo that first)') },
        ),
      },
      '/api/events/{id}/review': {
        post: {
          summary: 'Verify or reject an event (editors and admins): one new revision, with who, when and why in its history',
          description:
            'The rebuilt record keeps a review whatever later articles say. A rejected event leaves every list, map, export and feed unless include_rejected=true; it stays readable at /api/events/{id}.',
          security: [{ bearerAuth: [] }],
          parameters: [idParameter],
          requestBody: { required: true, content: { 'application/json': { schema: ref('ReviewRequest') } } },
          responses: {
            '200': json(ref('EventRecord'), 'the event as reviewed, at its new revision'),
            '400': problemOf('a body field is missing, unknown or of the wrong type (`param` names it), or the body is not JSON; nothing changed'),
            '401': problemOf('no bearer token, or one that is unknown or revoked'),
            '403': problemOf('the token belongs to a viewer'),
            '404': problemOf('no event has this id'),
            '409': { description: 'revision is not the event\'s current one: someone changed it since', content: { 'application/problem+json': { schema: ref('Conflict') } } },
            '413': problemOf('the body is over 64 KB'),
            '415': problemOf('the body is not sent as application/json'),
          },
        },
      },
      '/api/events.geojson': {
        get: {
          summary: 'Events as an RFC 7946 FeatureCollection of points (the record in the properties)',
          parameters: filters,
          responses: { '200': { description: 'GeoJSON', content: { 'application/geo+json': { schema: { type: 'object' } } } }, '400': badRequest },
        },
      },
      '/api/events.csv': {
        get: {
          summary:
            'Events as CSV with the Crowd Counting Consortium column names where they apply: a US state in state, the country of an event abroad in country; planned events only with include_planned=true (or status=planned)',
          parameters: queryParameters(CsvQuery),
          responses: { '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } }, '400': badRequest },
        },
      },
      '/api/points': {
        get: {
          summary: 'Compact rows of every matching event with coordinates, for maps',
          parameters: filters,
          responses: { '200': json(ref('Points'), 'one row per event: the values of `fields` in order'), '400': badRequest },
        },
      },
      '/api/stats': {
        get: {
          summary: 'Counts of events and sums of size_low and size_high per day, region or macro-event',
          parameters: queryParameters(StatsQuery),
          responses: { '200': json(ref('Stats'), 'one row per group key'), '400': badRequest },
        },
      },
      '/api/me': {
        get: {
          summary: 'Who the caller is: the user of the bearer token, or null without an Authorization header',
          security: [{}, { bearerAuth: [] }],
          responses: {
            '200': json(ref('Me'), 'the caller'),
            '401': {
              description: 'the Authorization header is not "Bearer TOKEN", or the token is unknown or revoked',
              content: { 'application/problem+json': { schema: ref('Problem') } },
            },
          },
        },
      },
      '/api/roundup': {
        get: {
          summary: 'A day or a macro-event as "N demonstrations in M states", places grouped by state and country',
          parameters: queryParameters(RoundupQuery),
          responses: { '200': json(ref('Roundup'), 'the roundup'), '400': badRequest },
        },
      },
    },
    components: {
      schemas: {
        EventRecord: jsonSchema(EventRecordSchema),
        EventList: jsonSchema(EventListSchema),
        Points: jsonSchema(PointsSchema),
        Stats: jsonSchema(StatsSchema),
        Roundup: jsonSchema(RoundupSchema),
        Me: jsonSchema(MeSchema),
        Problem: jsonSchema(ProblemSchema),
        ReviewRequest: jsonSchema(ReviewBody),
        EditRequest: jsonSchema(EditBody),
        MergeRequest: jsonSchema(MergeBody),
        SplitRequest: jsonSchema(SplitBody),
        UndoRequest: jsonSchema(UndoBody),
        SplitResult: jsonSchema(SplitResultSchema),
        Mentions: jsonSchema(MentionsSchema),
        History: jsonSchema(HistorySchema),
        Merged: jsonSchema(MergedSchema),
        Conflict: jsonSchema(ConflictSchema),
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'an API token from "turnout users token NAME"; any endpoint answers 401 to an unknown or revoked one',
        },
      },
    },
  };
  return cached;
}
