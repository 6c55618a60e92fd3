// Typed access to the JSON API on the page's own origin. Every response is data, never markup. Reads are
// plain GETs; writes (review, edit, merge, split, undo, log in and out) send the session's CSRF token.
import type { DatePrecision, EventRecord, SourceRef, Status } from '../../src/core/types.ts';

export type { EventRecord, Evidence, SourceRef, Status } from '../../src/core/types.ts';
import type { FieldChange } from '../../src/merge/edits.ts';
import type { HistoryEntry, MentionView } from '../../src/store/repository.ts';

export interface EventPage {
  events: EventRecord[];
  next_cursor: string | null;
  total: number;
}

/** A signed-in person: their name and role. */
export interface SessionUser {
  name: string;
  role: 'admin' | 'editor' | 'viewer';
}

/** GET /api/me: who the browser is signed in as, and the CSRF token its writes send. */
export interface Me {
  user: SessionUser | null;
  csrf_token: string | null;
}

export interface LoginAnswer {
  user: SessionUser;
  csrf_token: string;
}

/** A merge suggestion for a queue item: an event close in place and day. */
export interface Neighbour {
  id: string;
  title: string | null;
  date: string | null;
  locality: string | null;
  region: string | null;
  km: number | null;
}

export interface QueueItem {
  event: EventRecord;
  /** 0..1, higher = more doubt */
  doubt: number;
  reasons: string[];
  neighbours: Neighbour[];
}

export interface QueuePage {
  items: QueueItem[];
  next_cursor: string | null;
  total: number;
}

/** A field's change in a revision, and one revision of an event (the server's types). */
export type { FieldChange, HistoryEntry };

/** An article's report of an event: what a split can move to a new event (the server's type). */
export type Mention = MentionView;

export interface SplitAnswer {
  event: EventRecord;
  from: EventRecord;
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
    /** the problem document's other members (param, revision, ...) */
    readonly problem: Record<string, unknown> = {},
    /** seconds to wait, from a Retry-After header (429) */
    readonly retryAfter: number | null = null,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

/** The ApiError for a response that is not ok: its problem document when it sends one, else its status text. */
async function errorOf(res: Response): Promise<ApiError> {
  let title = res.statusText || `HTTP ${res.status}`;
  let detail: string | null = null;
  let body: Record<string, unknown> = {};
  try {
    const parsed = (await res.json()) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    if (typeof body.title === 'string') title = body.title;
    if (typeof body.detail === 'string') detail = body.detail;
  } catch {
    // not JSON: keep the status text
  }
  const wait = Number(res.headers.get('retry-after'));
  return new ApiError(res.status, title, detail, body, Number.isFinite(wait) && wait > 0 ? Math.ceil(wait) : null);
}

/** fetch(), with a failure to reach the server as an ApiError (status 0); an abort stays an AbortError. */
async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, credentials: 'same-origin' });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'The server could not be reached', String((e as Error).message ?? e));
  }
}

/**
 * A GET of JSON. `fresh` skips the browser's cache: for what an editor's change alters (a record, its history,
 * the queue, the session), and for a merged id's redirect, which a browser would otherwise keep after an undo.
 */
async function getJson<T>(path: string, params?: URLSearchParams, signal?: AbortSignal, fresh = false): Promise<T> {
  const qs = params && [...params.keys()].length ? `?${params.toString()}` : '';
  const res = await request(`${path}${qs}`, { headers: { accept: 'application/json' }, signal, cache: fresh ? 'no-store' : 'default' });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

/** The signed-in session's CSRF token (from GET /api/me or the login answer), sent with every write. */
let csrfToken: string | null = null;

/** Keeps the CSRF token every later write sends (null when signed out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * A state-changing request: a JSON body, the session cookie (same origin only) and the X-CSRF-Token header.
 * Resolves to the JSON answer, or null for 204 No Content.
 */
async function sendJson<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  if (!res.ok) throw await errorOf(res);
  return (res.status === 204 ? null : await res.json()) as T;
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

const ev = (id: string) => `/api/events/${encodeURIComponent(id)}`;

export const api = {
  events: (params: URLSearchParams, signal?: AbortSignal) => getJson<EventPage>('/api/events', params, signal),
  /** An event; the id of one merged into another answers with the survivor (the API redirects). */
  event: (id: string, signal?: AbortSignal) => getJson<EventRecord>(ev(id), undefined, signal, true),
  points: (params: URLSearchParams, signal?: AbortSignal) => getJson<PointsResponse>('/api/points', params, signal),
  stats: (group: StatsResponse['group'], params: URLSearchParams, signal?: AbortSignal) => {
    const p = new URLSearchParams(params);
    p.set('group', group);
    return sharedJson<StatsResponse>('/api/stats', p, signal);
  },
  roundup: (params: URLSearchParams, signal?: AbortSignal) => getJson<RoundupResponse>('/api/roundup', params, signal),

  // ---- accounts and review (issue 10) ----
  me: (signal?: AbortSignal) => getJson<Me>('/api/me', undefined, signal, true),
  login: (name: string, password: string) => sendJson<LoginAnswer>('POST', '/api/session', { name, password }),
  logout: () => sendJson<null>('DELETE', '/api/session'),
  queue: (params: URLSearchParams, signal?: AbortSignal) => getJson<QueuePage>('/api/review/queue', params, signal, true),
  history: (id: string, signal?: AbortSignal) => getJson<{ history: HistoryEntry[] }>(`${ev(id)}/history`, undefined, signal, true),
  mentions: (id: string, signal?: AbortSignal) => getJson<{ mentions: Mention[] }>(`${ev(id)}/mentions`, undefined, signal, true),
  review: (id: string, action: 'verify' | 'reject', reason: string, revision: number) => sendJson<EventRecord>('POST', `${ev(id)}/review`, { action, reason, revision }),
  edit: (id: string, changes: Record<string, unknown>, reason: string, revision: number) => sendJson<EventRecord>('PATCH', ev(id), { changes, reason, revision }),
  merge: (survivor: string, other: string, reason: string) => sendJson<EventRecord>('POST', '/api/events/merge', { ids: [survivor, other], reason }),
  split: (id: string, mentions: number[], reason: string, revision: number) => sendJson<SplitAnswer>('POST', `${ev(id)}/split`, { mentions, reason, revision }),
  undo: (id: string, change: number | string, reason: string) => sendJson<EventRecord>('POST', `${ev(id)}/undo`, { change, reason }),
};

export function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}
