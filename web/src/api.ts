// Typed access to the read-only JSON API on the page's own origin. Every response is data, never markup.
import type { DatePrecision, EventRecord, SourceRef, Status } from '../../src/core/types.ts';

export type { EventRecord, Evidence, SourceRef, Status } from '../../src/core/types.ts';

export interface EventPage {
  events: EventRecord[];
  next_cursor: string | null;
  total: number;
}

export interface PointsResponse {
  fields: string[];
  rows: unknown[][];
}

export interface StatsRow {
  key: string | null;
  events: number;
  size_low: number | null;
  size_high: number | null;
}

export interface StatsResponse {
  group: 'day' | 'region' | 'macroevent';
  rows: StatsRow[];
}

export interface RoundupEvent {
  id: string;
  locality: string | null;
  location_detail: string | null;
  date: string | null;
  date_precision: DatePrecision;
  status: Status;
  size_text: string | null;
  size_low: number | null;
  size_high: number | null;
  sources: SourceRef[];
}

export interface RoundupGroup {
  region: string | null;
  country: string | null;
  name: string | null;
  events: RoundupEvent[];
}

export interface RoundupResponse {
  date: string | null;
  macroevent: string | null;
  summary: string;
  events: number;
  states: number;
  countries: number;
  groups: RoundupGroup[];
}

/** An error from the API (RFC 9457 problem details) or from the network. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | null,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

async function getJson<T>(path: string, params?: URLSearchParams, signal?: AbortSignal): Promise<T> {
  const qs = params && [...params.keys()].length ? `?${params.toString()}` : '';
  let res: Response;
  try {
    res = await fetch(`${path}${qs}`, { headers: { accept: 'application/json' }, signal, credentials: 'same-origin' });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'The server could not be reached', String((e as Error).message ?? e));
  }
  if (!res.ok) {
    let title = res.statusText || `HTTP ${res.status}`;
    let detail: string | null = null;
    try {
      const body = (await res.json()) as { title?: unknown; detail?: unknown };
      if (typeof body.title === 'string') title = body.title;
      if (typeof body.detail === 'string') detail = body.detail;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(res.status, title, detail);
  }
  return (await res.json()) as T;
}

/**
 * Identical GETs in flight share one request (the app asks for the day counts in two places at start-up).
 * Each caller's signal still aborts its own promise; the shared request finishes for the others.
 */
const inFlight = new Map<string, Promise<unknown>>();

function sharedJson<T>(path: string, params: URLSearchParams, signal?: AbortSignal): Promise<T> {
  const key = `${path}?${params.toString()}`;
  let shared = inFlight.get(key) as Promise<T> | undefined;
  if (!shared) {
    shared = getJson<T>(path, params);
    inFlight.set(key, shared);
    const forget = () => inFlight.delete(key);
    shared.then(forget, forget);
  }
  if (!signal) return shared;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new DOMException('The operation was aborted.', 'AbortError'));
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

export const api = {
  events: (params: URLSearchParams, signal?: AbortSignal) => getJson<EventPage>('/api/events', params, signal),
  event: (id: string, signal?: AbortSignal) => getJson<EventRecord>(`/api/events/${encodeURIComponent(id)}`, undefined, signal),
  points: (params: URLSearchParams, signal?: AbortSignal) => getJson<PointsResponse>('/api/points', params, signal),
  stats: (group: StatsResponse['group'], params: URLSearchParams, signal?: AbortSignal) => {
    const p = new URLSearchParams(params);
    p.set('group', group);
    return sharedJson<StatsResponse>('/api/stats', p, signal);
  },
  roundup: (params: URLSearchParams, signal?: AbortSignal) => getJson<RoundupResponse>('/api/roundup', params, signal),
};

export function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}
