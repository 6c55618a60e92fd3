// The read-only JSON API. Every handler validates its query with the zod schemas in schemas.ts; bad input is a
// 400 problem naming the parameter, an unknown id a 404.
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { CursorError, type EventFilter } from '../store/repository.js';
import type { Store } from '../store/store.js';
import { authenticate, readJsonBody, requireEditor, type ApiEnv, type AuthOptions } from './auth.js';
import { AnswerCache, sendAnswer, type Built } from './answers.js';
import { toCsv } from './export/csv.js';
import { toGeoJson } from './export/geojson.js';
import { regionFilter, storedRegion, unknownRegionMessage } from '../resolve/regions.js';
import { localDay } from '../core/planned.js';
import { openApiDocument } from './openapi.js';
import { BadParameter, parseQuery, problem } from './problem.js';
import { buildRoundup } from './roundup.js';
import { servedEvent, servedJsonList } from './served.js';
import { loginHandler, logoutHandler } from './session.js';
import { eventTitle } from './feeds/atom.js';
import { hideUnchecked } from './published.js';
import { CsvQuery, EditBody, EventIdParam, EventsQuery, FilterQuery, MergeBody, parseBbox, ReviewBody, ReviewQueueQuery, RoundupQuery, SplitBody, StatsQuery, UndoBody } from './schemas.js';
import type { Caller } from '../store/accounts.js';
import type { Conflict, Invalid } from '../store/repository.js';

/** What the map draws at first: where, occurred or planned, and how big. The rest is in /api/events. */
export const POINT_FIELDS = ['id', 'lon', 'lat', 'status', 'size'];

/**
 * A region as `known` (regionFilter or storedRegion) reads it: first among the states and countries we know, then
 * among the regions stored (read from the store only then); null when neither knows it.
 */
export async function knownRegion(
  input: string,
  repo: Pick<Store, 'regions'>,
  known: (input: string, present?: () => Iterable<string>) => string | null,
): Promise<string | null> {
  const region = known(input);
  if (region !== null) return region;
  const stored = await repo.regions();
  return known(input, () => stored);
}

/** The store's filter from a validated query; a region we do not know (region=ZZ) is a bad parameter. */
export async function filterFrom(q: Partial<z.output<typeof FilterQuery>>, repo: Pick<Store, 'regions'>): Promise<EventFilter> {
  const region = q.region === undefined ? undefined : await knownRegion(q.region, repo, regionFilter);
  if (region === null) throw new BadParameter('region', unknownRegionMessage('region', q.region!));
  return {
    from: q.from,
    to: q.to,
    region,
    locality: q.locality,
    status: q.status,
    macroevent: q.macroevent,
    q: q.q,
    bbox: q.bbox ? (parseBbox(q.bbox) ?? undefined) : undefined,
    includeRejected: q.include_rejected === 'true',
  };
}

/** Bad input is a 400 naming the parameter; anything else is logged and answered with a 500. */
export function apiError(err: Error, c: Context): Response {
  if (err instanceof BadParameter) return problem(c, 400, err.message, err.param);
  if (err instanceof CursorError) return problem(c, 400, err.message, 'cursor');
  console.error(`turnout serve: ${c.req.method} ${new URL(c.req.url).pathname}: ${err.stack ?? err}`);
  return problem(c, 500, 'the server failed to answer this request');
}

export interface ApiOptions extends AuthOptions {
  /** the server's calendar day, YYYY-MM-DD (tests fix it): what a plan's day is compared with */
  today?: () => string;
  /** publish only events a human has checked (serve --verified-only): see src/serve/published.ts */
  verifiedOnly?: boolean;
  /** where public answers are kept between requests (src/serve/answers.ts); each app makes its own by default */
  answers?: AnswerCache;
}

/**
 * The API. With opts.verifiedOnly, `repo` should be verifiedOnlyView's (createApp passes it so): lists, points, stats,
 * exports and roundups then hold checked events only, and the by-id routes hide the others from all but editors.
 */
export function apiRoutes(repo: Store, opts: ApiOptions = {}): Hono<ApiEnv> {
  const today = opts.today ?? (() => localDay());
  const api = new Hono<ApiEnv>();
  api.onError(apiError);
  const answers = opts.answers ?? new AnswerCache();
  /**
   * A route whose answer is the same for every caller: built from the URL, the store and the day only (never the
   * request, so never from who is calling), kept until the store changes (src/serve/answers.ts).
   */
  const publicAnswer =
    (build: (url: string, day: string) => Promise<Built>) =>
    async (c: Context<ApiEnv>): Promise<Response> => {
      const day = today();
      const url = c.req.url;
      const query = url.indexOf('?');
      // the version first: what the answer is built from is then at least as new as the version it is kept under
      const version = await repo.version();
      const answer = await answers.get(`${day} ${c.req.path}${query < 0 ? '' : url.slice(query)}`, version, () => build(url, day));
      return sendAnswer(c, answers, answer);
    };
  const JSON_TYPE = 'application/json; charset=utf-8';
  api.use('*', authenticate(repo, opts));
  if (opts.verifiedOnly) {
    api.use('/events/:id', hideUnchecked(repo));
    api.use('/events/:id/*', hideUnchecked(repo));
  }

  api.get('/me', (c) => {
    const caller = c.get('caller');
    const user = caller ? { name: caller.name, role: caller.role } : null;
    return c.json({ user, csrf_token: c.get('session')?.csrf ?? null }, 200, { 'cache-control': 'private, no-store', vary: 'Authorization, Cookie' });
  });

  api.post('/session', loginHandler(repo, opts));
  api.delete('/session', logoutHandler(repo, opts));

  api.get(
    '/openapi.json',
    publicAnswer(async () => ({ body: JSON.stringify(openApiDocument()), type: JSON_TYPE })),
  );

  api.get(
    '/events',
    publicAnswer(async (url, day) => {
      const q = parseQuery(EventsQuery, url);
      const page = await repo.pageEventsJson(await filterFrom(q, repo), { limit: q.limit, cursor: q.cursor });
      // the stored records are already JSON: spliced in rather than parsed and serialised again
      const tail = `],"next_cursor":${JSON.stringify(page.nextCursor)},"total":${page.total},"occurred":${page.total - page.planned},"planned":${page.planned}}`;
      return { body: servedJsonList('{"events":[', page.events, day, tail), type: JSON_TYPE };
    }),
  );

  api.get(
    '/events.geojson',
    publicAnswer(async (url, day) => {
      const events = (await repo.listEvents(await filterFrom(parseQuery(FilterQuery, url), repo))).map((e) => servedEvent(e, day));
      return { body: JSON.stringify(toGeoJson(events)), type: 'application/geo+json; charset=utf-8' };
    }),
  );

  api.get(
    '/events.csv',
    publicAnswer(async (url, day) => {
      const q = parseQuery(CsvQuery, url);
      const events = await repo.listEvents(await filterFrom(q, repo));
      return {
        body: toCsv(events, { includePlanned: q.include_planned === 'true' || q.status === 'planned', today: day }),
        type: 'text/csv; charset=utf-8',
        headers: { 'content-disposition': 'attachment; filename="turnout-events.csv"' },
      };
    }),
  );

  /** The event id of the path, or the 404 to answer with when it cannot be an id. */
  const pathId = (c: Context<ApiEnv>): string | Response => {
    const id = c.req.param('id')!;
    return EventIdParam.safeParse(id).success ? id : problem(c, 404, 'no event has this id: ids are 16 hexadecimal characters', 'id');
  };
  /**
   * 404 for an unknown id. An event merged into another answers a read with a 301 to the one that stands, and a write
   * with a 404 naming it (a redirected write would be replayed on an event the editor has not seen).
   */
  const missing = async (c: Context<ApiEnv>, id: string, read = false): Promise<Response> => {
    const into = await repo.resolveMerged(id);
    if (!into) return problem(c, 404, `no event has id ${id}`, 'id');
    if (!read) return problem(c, 404, `event ${id} was merged into ${into}`, 'id', { merged_into: into });
    return c.json({ merged_into: into }, 301, { location: `/api/events/${into}`, 'cache-control': 'no-store' });
  };
  /** The 409 of a write at a stale revision. */
  const conflict = (c: Context<ApiEnv>, result: Conflict, given: number, doing: string): Response =>
    problem(c, 409, `the event is at revision ${result.revision}, not ${given}: someone changed it since; reload it and ${doing} again`, 'revision', {
      revision: result.revision,
    });
  const invalid = (c: Context<ApiEnv>, result: Invalid): Response => problem(c, 400, result.message, result.field);
  const written = (c: Context<ApiEnv>, body: unknown, status: 200 | 201 = 200): Response => c.json(body, status, { 'cache-control': 'no-store' });
  /** A write route's editor and path id, or the 401/403/404 to answer with. */
  const writer = (c: Context<ApiEnv>, doing: string): { caller: Caller; id: string } | Response => {
    const caller = requireEditor(c, doing);
    if (caller instanceof Response) return caller;
    const id = pathId(c);
    return id instanceof Response ? id : { caller, id };
  };

  api.get('/events/:id', async (c) => {
    const id = pathId(c);
    if (id instanceof Response) return id;
    const event = await repo.getEvent(id);
    return event ? c.json(servedEvent(event, today())) : missing(c, id, true);
  });

  api.get('/events/:id/mentions', async (c) => {
    const id = pathId(c);
    if (id instanceof Response) return id;
    const mentions = await repo.eventMentions(id);
    return mentions ? c.json({ mentions }) : missing(c, id, true);
  });

  api.get('/events/:id/history', async (c) => {
    const id = pathId(c);
    if (id instanceof Response) return id;
    const history = await repo.eventHistory(id);
    return history ? c.json({ history }, 200, { 'cache-control': 'no-store' }) : problem(c, 404, `no event has id ${id}`, 'id');
  });

  api.post('/events/:id/review', async (c) => {
    const w = writer(c, 'reviewing');
    if (w instanceof Response) return w;
    const body = await readJsonBody(c, ReviewBody);
    if (body instanceof Response) return body;
    const result = await repo.reviewEvent(w.id, { ...body, user: w.caller.name });
    if (result.outcome === 'not-found') return missing(c, w.id);
    if (result.outcome === 'conflict') return conflict(c, result, body.revision, 'review');
    return written(c, servedEvent(result.record, today()));
  });

  api.patch('/events/:id', async (c) => {
    const w = writer(c, 'editing');
    if (w instanceof Response) return w;
    const body = await readJsonBody(c, EditBody);
    if (body instanceof Response) return body;
    // a region is checked against the regions we know (and those stored), and kept as records keep regions
    if (typeof body.changes.region === 'string') {
      const given = body.changes.region;
      const region = await knownRegion(given, repo, storedRegion);
      if (region === null) throw new BadParameter('changes.region', unknownRegionMessage('changes.region', given));
      body.changes.region = region;
    }
    const result = await repo.editEvent(w.id, { ...body, user: w.caller.name });
    if (result.outcome === 'not-found') return missing(c, w.id);
    if (result.outcome === 'conflict') return conflict(c, result, body.revision, 'edit');
    if (result.outcome === 'invalid') return invalid(c, result);
    return written(c, servedEvent(result.record, today()));
  });

  api.post('/events/merge', async (c) => {
    const caller = requireEditor(c, 'merging');
    if (caller instanceof Response) return caller;
    const body = await readJsonBody(c, MergeBody);
    if (body instanceof Response) return body;
    const result = await repo.mergeEvents({ ids: [body.ids[0]!, body.ids[1]!], reason: body.reason, user: caller.name });
    if (result.outcome === 'not-found') {
      const into = await repo.resolveMerged(result.id);
      return problem(c, 404, into ? `event ${result.id} was merged into ${into}` : `no event has id ${result.id}`, 'ids', into ? { merged_into: into } : {});
    }
    if (result.outcome === 'invalid') return invalid(c, result);
    return written(c, servedEvent(result.record, today()));
  });

  api.post('/events/:id/split', async (c) => {
    const w = writer(c, 'splitting');
    if (w instanceof Response) return w;
    const body = await readJsonBody(c, SplitBody);
    if (body instanceof Response) return body;
    const result = await repo.splitEvent(w.id, { ...body, user: w.caller.name });
    if (result.outcome === 'not-found') return missing(c, w.id);
    if (result.outcome === 'conflict') return conflict(c, result, body.revision, 'split');
    if (result.outcome === 'invalid') return invalid(c, result);
    const day = today();
    return written(c, { event: servedEvent(result.event, day), from: servedEvent(result.from, day) }, 201);
  });

  api.post('/events/:id/undo', async (c) => {
    const w = writer(c, 'undoing');
    if (w instanceof Response) return w;
    const body = await readJsonBody(c, UndoBody);
    if (body instanceof Response) return body;
    const result = await repo.undoChange(w.id, { ...body, user: w.caller.name });
    if (result.outcome === 'not-found') return problem(c, 404, `no event has id ${w.id}`, 'id');
    if (result.outcome === 'invalid') return invalid(c, result);
    if (result.outcome === 'refused') return problem(c, 409, result.message, 'change');
    return written(c, servedEvent(result.record, today()));
  });

  api.get('/review/queue', async (c) => {
    const caller = requireEditor(c, 'working the review queue');
    if (caller instanceof Response) return caller;
    const q = parseQuery(ReviewQueueQuery, c.req.url);
    const page = await repo.reviewQueue(await filterFrom(q, repo), { limit: q.limit, cursor: q.cursor });
    const day = today();
    const items = page.items.map((it) => ({
      event: servedEvent(it.record, day),
      doubt: it.doubt,
      reasons: it.reasons,
      neighbours: it.neighbours.map(({ record: n, km }) => ({ id: n.id, title: eventTitle(n), date: n.date, locality: n.locality, region: n.region, km })),
    }));
    return c.json({ items, next_cursor: page.nextCursor, total: page.total }, 200, { 'cache-control': 'private, no-store', vary: 'Authorization, Cookie' });
  });

  // every map load asks for all its points: megabytes for a large store
  api.get(
    '/points',
    publicAnswer(async (url) => {
      const filter = await filterFrom(parseQuery(FilterQuery, url), repo);
      return { body: `{"fields":${JSON.stringify(POINT_FIELDS)},"rows":${await repo.pointsJson(filter)}}`, type: JSON_TYPE };
    }),
  );

  api.get(
    '/stats',
    publicAnswer(async (url) => {
      const q = parseQuery(StatsQuery, url);
      return { body: JSON.stringify({ group: q.group, rows: await repo.stats(q.group, await filterFrom(q, repo)) }), type: JSON_TYPE };
    }),
  );

  api.get(
    '/roundup',
    publicAnswer(async (url) => {
      const q = parseQuery(RoundupQuery, url);
      const events = await repo.listEvents({ from: q.date, to: q.date, macroevent: q.macroevent });
      return { body: JSON.stringify(buildRoundup(events, q)), type: JSON_TYPE };
    }),
  );

  api.all('*', (c) =>
    c.req.method === 'GET' || c.req.method === 'HEAD'
      ? problem(c, 404, `no API endpoint at ${new URL(c.req.url).pathname}; see /api/openapi.json`)
      : problem(c, 405, 'only GET and HEAD are allowed here (the write endpoints and their methods are in /api/openapi.json)'),
  );
  return api;
}

