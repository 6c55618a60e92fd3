// The read-only JSON API. Every handler validates its query with the zod schemas in schemas.ts; bad input is a
// 400 problem naming the parameter, an unknown id a 404.
import { gzipSync } from 'node:zlib';
import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { CursorError, type EventFilter, type Repository } from '../store/repository.js';
import { authenticate, readJsonBody, requireEditor, type ApiEnv, type AuthOptions } from './auth.js';
import { acceptsGzip } from './encoding.js';
import { toCsv } from './export/csv.js';
import { toGeoJson } from './export/geojson.js';
import { regionFilter, unknownRegionMessage } from '../resolve/regions.js';
import { localDay } from '../core/planned.js';
import { openApiDocument } from './openapi.js';
import { BadParameter, parseQuery, problem } from './problem.js';
import { buildRoundup } from './roundup.js';
import { servedEvent, servedJson } from './served.js';
import { loginHandler, logoutHandler } from './session.js';
import { CsvQuery, EventIdParam, EventsQuery, FilterQuery, parseBbox, ReviewBody, RoundupQuery, StatsQuery } from './schemas.js';

/** What the map draws at first: where, occurred or planned, and how big. The rest is in /api/events. */
/** Distinct filters whose map points are kept. */
const POINTS_CACHE_ENTRIES = 16;

export const POINT_FIELDS = ['id', 'lon', 'lat', 'status', 'size'];

/** The store's filter from a validated query; a region we do not know (region=ZZ) is a bad parameter. */
export function filterFrom(q: z.output<typeof FilterQuery>, repo: Pick<Repository, 'regions'>): EventFilter {
  const region = q.region === undefined ? undefined : regionFilter(q.region, () => repo.regions());
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
}

export function apiRoutes(repo: Repository, opts: ApiOptions = {}): Hono<ApiEnv> {
  const today = opts.today ?? (() => localDay());
  const api = new Hono<ApiEnv>();
  api.onError(apiError);
  api.use('*', authenticate(repo, opts));

  api.get('/me', (c) => {
    const caller = c.get('caller');
    const user = caller ? { name: caller.name, role: caller.role } : null;
    return c.json({ user, csrf_token: c.get('session')?.csrf ?? null }, 200, { 'cache-control': 'private, no-store', vary: 'Authorization, Cookie' });
  });

  api.post('/session', loginHandler(repo, opts));
  api.delete('/session', logoutHandler(repo, opts));

  api.get('/openapi.json', (c) => c.json(openApiDocument()));

  api.get('/events', (c) => {
    const q = parseQuery(EventsQuery, c.req.url);
    const page = repo.pageEventsJson(filterFrom(q, repo), { limit: q.limit, cursor: q.cursor });
    // the stored records are already JSON: splice them in rather than parse and re-serialise each
    const day = today();
    const events = page.events.map((json) => servedJson(json, day)).join(',');
    const body = `{"events":[${events}],"next_cursor":${JSON.stringify(page.nextCursor)},"total":${page.total},"occurred":${page.total - page.planned},"planned":${page.planned}}`;
    return c.body(Buffer.from(body), 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  api.get('/events.geojson', (c) => {
    const day = today();
    const events = repo.listEvents(filterFrom(parseQuery(FilterQuery, c.req.url), repo)).map((e) => servedEvent(e, day));
    return c.body(JSON.stringify(toGeoJson(events)), 200, { 'content-type': 'application/geo+json; charset=utf-8' });
  });

  api.get('/events.csv', (c) => {
    const q = parseQuery(CsvQuery, c.req.url);
    const events = repo.listEvents(filterFrom(q, repo));
    return c.body(toCsv(events, { includePlanned: q.include_planned === 'true' || q.status === 'planned', today: today() }), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="turnout-events.csv"',
    });
  });

  api.get('/events/:id', (c) => {
    const id = c.req.param('id');
    if (!EventIdParam.safeParse(id).success) return problem(c, 404, 'no event has this id: ids are 16 hexadecimal characters', 'id');
    const event = repo.getEvent(id);
    return event ? c.json(servedEvent(event, today())) : problem(c, 404, `no event has id ${id}`, 'id');
  });

  api.post('/events/:id/review', async (c) => {
    const caller = requireEditor(c, 'reviewing');
    if (caller instanceof Response) return caller;
    const id = c.req.param('id');
    if (!EventIdParam.safeParse(id).success) return problem(c, 404, 'no event has this id: ids are 16 hexadecimal characters', 'id');
    const body = await readJsonBody(c, ReviewBody);
    if (body instanceof Response) return body;
    const result = repo.reviewEvent(id, { ...body, user: caller.name });
    if (result.outcome === 'not-found') return problem(c, 404, `no event has id ${id}`, 'id');
    if (result.outcome === 'conflict') {
      return problem(c, 409, `the event is at revision ${result.revision}, not ${body.revision}: someone changed it since; reload it and review again`, 'revision', {
        revision: result.revision,
      });
    }
    return c.json(servedEvent(result.record, today()), 200, { 'cache-control': 'no-store' });
  });

  // Every map load asks for all its points: the body (megabytes for a large store) is kept, with a fast gzip
  // of it, until the store changes.
  const pointsCache = new Map<string, { version: string; json: Buffer; gzip: Buffer | null }>();
  api.get('/points', (c) => {
    const filter = filterFrom(parseQuery(FilterQuery, c.req.url), repo);
    const key = new URL(c.req.url).search;
    const version = repo.version();
    let hit = pointsCache.get(key);
    if (!hit || hit.version !== version) {
      hit = { version, json: Buffer.from(`{"fields":${JSON.stringify(POINT_FIELDS)},"rows":${repo.pointsJson(filter)}}`), gzip: null };
      pointsCache.delete(key);
      pointsCache.set(key, hit);
      if (pointsCache.size > POINTS_CACHE_ENTRIES) pointsCache.delete(pointsCache.keys().next().value!);
    }
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', vary: 'Accept-Encoding' };
    if (!acceptsGzip(c.req.header('accept-encoding'))) return c.body(new Uint8Array(hit.json), 200, headers);
    hit.gzip ??= gzipSync(hit.json, { level: 1 });
    return c.body(new Uint8Array(hit.gzip), 200, { ...headers, 'content-encoding': 'gzip' });
  });

  api.get('/stats', (c) => {
    const q = parseQuery(StatsQuery, c.req.url);
    return c.json({ group: q.group, rows: repo.stats(q.group, filterFrom(q, repo)) });
  });

  api.get('/roundup', (c) => {
    const q = parseQuery(RoundupQuery, c.req.url);
    const events = repo.listEvents({ from: q.date, to: q.date, macroevent: q.macroevent });
    return c.json(buildRoundup(events, q));
  });

  api.all('*', (c) =>
    c.req.method === 'GET' || c.req.method === 'HEAD'
      ? problem(c, 404, `no API endpoint at ${new URL(c.req.url).pathname}; see /api/openapi.json`)
      : problem(c, 405, 'only GET and HEAD are allowed here (the write endpoints and their methods are in /api/openapi.json)'),
  );
  return api;
}

