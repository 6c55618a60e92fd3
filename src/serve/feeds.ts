// Feeds of the record: /feeds/events.atom (new and updated events, with the API's filters) and
// /feeds/planned.ics (planned events whose day is not over, as an iCalendar for organizers' and readers' calendars).
import { Hono } from 'hono';
import type { Store } from '../store/store.js';
import { localDay } from '../core/planned.js';
import { apiError, filterFrom, type ApiOptions } from './api.js';
import { eventsAtom } from './feeds/atom.js';
import { plannedIcs } from './feeds/ics.js';
import { parseQuery } from './problem.js';
import { FilterQuery } from './schemas.js';

/** Entries in the Atom feed: the most recently changed events. */
export const ATOM_ENTRIES = 100;

export function feedRoutes(repo: Store, opts: ApiOptions = {}): Hono {
  const today = opts.today ?? (() => localDay());
  const feeds = new Hono();
  feeds.onError(apiError);

  feeds.get('/events.atom', async (c) => {
    const filter = await filterFrom(parseQuery(FilterQuery, c.req.url), repo);
    const changes = await repo.recentChanges(filter, ATOM_ENTRIES);
    const updated = new Map(changes.map((ch) => [ch.record.id, new Date(ch.updated_at)]));
    const url = new URL(c.req.url);
    const body = eventsAtom(
      changes.map((ch) => ch.record),
      {
        baseUrl: url.origin,
        selfUrl: url.href,
        title: `Turnout: new and updated protest events${url.search ? ` (${url.searchParams.toString()})` : ''}`,
        updatedAt: (e) => updated.get(e.id) ?? null,
        today: today(),
      },
    );
    return c.body(body, 200, { 'content-type': 'application/atom+xml; charset=utf-8' });
  });

  feeds.get('/planned.ics', async (c) => {
    const filter = await filterFrom(parseQuery(FilterQuery, c.req.url), repo);
    const events = await repo.listEvents({ ...filter, status: 'planned' });
    return c.body(plannedIcs(events, { baseUrl: new URL(c.req.url).origin, today: today() }), 200, {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': 'inline; filename="turnout-planned.ics"',
    });
  });
  return feeds;
}
