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
  LoginBody,
  MeSchema,
  MentionsSchema,
  MergeBody,
  MergedSchema,
  PointsSchema,
  ProblemSchema,
  ReviewBody,
  ReviewQueueQuery,
  ReviewQueueSchema,
  RoundupQuery,
  RoundupSchema,
  SessionSchema,
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
/** Every write route takes the session's CSRF token (a browser session must send it; a bearer token needs none). */
const csrfHeader = {
  name: 'X-CSRF-Token',
  in: 'header',
  required: false,
  description: 'the csrf_token of GET /api/me or of the login: required when the request is authenticated by the session cookie, not with a bearer token',
  schema: { type: 'string' },
};
/** Who may call a write route: a bearer token or a session cookie (with X-CSRF-Token). */
const writers = [{ bearerAuth: [] }, { sessionCookie: [] }];
const forbiddenWrite = problemOf(
  "the caller is a viewer; or the request came with a session cookie but without its X-CSRF-Token (or a wrong one); or its Origin header names another site",
);
const badRequest = { description: 'a parameter is invalid; `param` names it', content: { 'application/problem+json': { schema: ref('Problem') } } };

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{16}$' } };
const conflict = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Conflict') } } });

/** A write endpoint (editors and admins): its body, its answer, and the problems every write shares. */
function writeOperation(summary: string, description: string, body: string, ok: Record<string, unknown>, more: Record<string, unknown>, path = true): Json {
  return {
    summary,
    description,
    security: writers,
    parameters: path ? [idParameter, csrfHeader] : [csrfHeader],
    requestBody: { required: true, content: { 'application/json': { schema: ref(body) } } },
    responses: {
      ...ok,
      '400': problemOf('a body field is missing, unknown, of the wrong type or breaks a rule of the record (`param` names it), or the body is not JSON; nothing changed'),
      '401': problemOf('no bearer token or session, or a token that is unknown or revoked'),
      '403': forbiddenWrite,
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
        'The record of demonstrations Turnout extracted from news articles, to read, and for editors to review, correct, merge and split, with an API token (scripts) or a browser session (POST /api/session; its state-changing requests carry the X-CSRF-Token header); every change is a revision with who, when and why. Every value keeps the source article and the quote it came from.',
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
            '404': {
              description: 'no event has this id (or, on a server run with --verified-only, none a human has checked: editors still see it)',
              content: { 'application/problem+json': { schema: ref('Problem') } },
            },
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
        post: writeOperation(
          'Verify or reject an event (editors and admins): one new revision, with who, when and why in its history',
          'The rebuilt record keeps a review whatever later articles say. A rejected event leaves every list, map, export and feed unless include_rejected=true; it stays readable at /api/events/{id}.',
          'ReviewRequest',
          { '200': json(ref('EventRecord'), 'the event as reviewed, at its new revision') },
          { '409': conflict('revision is not the event\'s current one: someone changed it since') },
        ),
      },
      '/api/review/queue': {
        get: {
          summary: 'The review queue (editors and admins): events awaiting review, most doubt first, with why and what to merge them with',
          description:
            'Items are events never reviewed, and verified or edited ones that new evidence disputes; rejected events never. Each carries its doubt (0 to 1) and the reasons for it, and up to three neighbours (events within a day, within about 50 km or in the same town) to merge with.',
          security: writers,
          parameters: queryParameters(ReviewQueueQuery),
          responses: {
            '200': json(ref('ReviewQueue'), 'a page of the queue'),
            '400': badRequest,
            '401': problemOf('no bearer token or session, or one that is unknown or revoked'),
            '403': problemOf('the caller is a viewer'),
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
          summary: 'Who the caller is: the user of the bearer token or of the session cookie (with the session\'s CSRF token), or null',
          security: [{}, { bearerAuth: [] }, { sessionCookie: [] }],
          responses: {
            '200': json(ref('Me'), 'the caller'),
            '401': {
              description: 'the Authorization header is not "Bearer TOKEN", or the token is unknown or revoked',
              content: { 'application/problem+json': { schema: ref('Problem') } },
            },
          },
        },
      },
      '/api/session': {
        post: {
          summary: 'Log in: a name and a password start a browser session (the turnout_session cookie)',
          description:
            'The cookie is HttpOnly, SameSite=Lax, Path=/, and Secure over TLS (or behind "serve --trust-proxy" with X-Forwarded-Proto: https). A session ends after 12 hours unused or 7 days after login. Failed logins are limited to 5 per account name and 20 per client address in 15 minutes; a success clears the name\'s count.',
          security: [{}],
          requestBody: { required: true, content: { 'application/json': { schema: ref('LoginRequest') } } },
          responses: {
            '200': {
              ...json(ref('Session'), 'logged in: the user and the CSRF token to send as X-CSRF-Token'),
              headers: { 'Set-Cookie': { description: 'turnout_session=SECRET; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax (; Secure)', schema: { type: 'string' } } },
            },
            '400': problemOf('a body field is missing, unknown or of the wrong type (`param` names it)'),
            '401': problemOf('the name or the password is wrong (the same answer for both)'),
            '403': problemOf("the Origin header names another site; or the browser already has a live session and did not send its X-CSRF-Token"),
            '413': problemOf('the body is over 64 KB'),
            '415': problemOf('the body is not sent as application/json'),
            '429': {
              description: 'too many failed logins for this name or from this address in the last 15 minutes; the password was not checked',
              headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } },
              content: { 'application/problem+json': { schema: ref('Problem') } },
            },
          },
        },
        delete: {
          summary: 'Log out: ends the session and clears the cookie',
          security: [{}, { sessionCookie: [] }],
          parameters: [csrfHeader],
          responses: {
            '204': { description: 'the session (if any) has ended; the cookie is cleared' },
            '403': problemOf("the request came with a live session cookie but without its X-CSRF-Token (or a wrong one), or its Origin names another site"),
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
        LoginRequest: jsonSchema(LoginBody),
        Session: jsonSchema(SessionSchema),
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
        ReviewQueue: jsonSchema(ReviewQueueSchema),
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'an API token from "turnout users token NAME"; any endpoint answers 401 to an unknown or revoked one',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'turnout_session',
          description:
            'a browser session from POST /api/session; a stale cookie counts as no session. Requests other than GET and HEAD must send the session\'s X-CSRF-Token header, and are refused when their Origin is another site',
        },
      },
    },
  };
  return cached;
}
