// What `serve --verified-only` publishes: only events a human has checked (review_status verified or edited). Every
// public list, map, count, export and feed reads the store through verifiedOnlyView, so no route can forget the
// rule; the by-id routes answer 404 for an event nobody has checked (hideUnchecked), except to editors and admins,
// who review it.
import type { Context, Next } from 'hono';
import { isPublished } from '../review/status.js';
import type { EventFilter } from '../store/repository.js';
import type { Store } from '../store/store.js';
import { EDITORS, type ApiEnv } from './auth.js';
import { problem } from './problem.js';
import { EventIdParam } from './schemas.js';

/** The Store methods that take a filter, and the position of the filter among their arguments. */
const FILTERED: Partial<Record<keyof Store, number>> = {
  listEvents: 0,
  pageEvents: 0,
  pageEventsJson: 0,
  pointsJson: 0,
  recentChanges: 0,
  stats: 1,
};

/**
 * The store with `verifiedOnly` added to the filter of every read that takes one (listEvents, pageEvents,
 * pageEventsJson, pointsJson, recentChanges, stats); every other method is the store's own.
 */
export function verifiedOnlyView(repo: Store): Store {
  return new Proxy(repo, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const at = FILTERED[prop as keyof Store];
      if (at === undefined) return value.bind(target);
      return (...args: unknown[]) => {
        const filtered = [...args];
        filtered[at] = { ...((args[at] as EventFilter | undefined) ?? {}), verifiedOnly: true };
        return (value as (...a: unknown[]) => unknown).apply(target, filtered);
      };
    },
  });
}

/**
 * Middleware for /events/{id} and the routes under it: an event no human has checked is no event to the public (404,
 * as for an unknown id). An unknown id goes on to the route's own answer.
 */
export function hideUnchecked(repo: Pick<Store, 'getEvent'>) {
  return async (c: Context<ApiEnv>, next: Next): Promise<Response | void> => {
    const id = c.req.param('id') ?? '';
    const caller = c.get('caller');
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && EventIdParam.safeParse(id).success && !(caller && EDITORS.includes(caller.role))) {
      const event = await repo.getEvent(id);
      if (event && !isPublished(event)) return varyByCaller(problem(c, 404, `no event has id ${id}`, 'id'));
    }
    await next();
    varyByCaller(c.res);
  };
}

/** The answer depends on who asks: caches keep one per Authorization and Cookie. */
function varyByCaller(res: Response): Response {
  res.headers.append('vary', 'Authorization, Cookie');
  return res;
}
