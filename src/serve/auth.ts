// Who is calling: a bearer token (scripts) attaches its user as the caller; write routes ask for a role.
import type { Context } from 'hono';
import type { z } from 'zod';
import type { Repository } from '../store/repository.js';
import type { Caller, Role } from '../store/accounts.js';
import { BadParameter, parseBody, problem } from './problem.js';
import { MAX_BODY } from './schemas.js';

/** What the API's handlers see: the caller a bearer token stands for, or null for an anonymous request. */
export type ApiEnv = { Variables: { caller: Caller | null } };

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/;

/** The longest token looked up: ours are 47 characters; anything much longer is not one. */
const MAX_TOKEN = 512;

/**
 * Reads `Authorization: Bearer TOKEN` and attaches its user as the caller. No header: anonymous. A header that
 * is not a bearer token, or a token that is unknown or revoked (its user removed): 401.
 */
export function authenticate(repo: Pick<Repository, 'accounts'>) {
  return async (c: Context<ApiEnv>, next: () => Promise<void>): Promise<Response | void> => {
    const header = c.req.header('authorization');
    if (header === undefined) {
      c.set('caller', null);
      return next();
    }
    const token = header.length <= MAX_TOKEN + 10 ? BEARER.exec(header)?.[1] : undefined;
    const caller = token ? repo.accounts().callerForToken(token) : null;
    if (!caller) {
      const r = problem(c, 401, token ? 'the API token is unknown or has been revoked' : 'the Authorization header must be "Bearer TOKEN"');
      r.headers.set('www-authenticate', `Bearer realm="turnout", error="invalid_token"`);
      return r;
    }
    c.set('caller', caller);
    return next();
  };
}

/** Roles allowed to change the record (and to see events awaiting review). */
export const EDITORS: readonly Role[] = ['editor', 'admin'];

/**
 * The caller when they may change the record (an editor or an admin), or the 401/403 problem to answer with.
 * `doing` names the action for the message ("reviewing", "editing").
 */
export function requireEditor(c: Context<ApiEnv>, doing: string): Caller | Response {
  const caller = c.get('caller');
  if (!caller) {
    const r = problem(c, 401, `${doing} needs an editor's or an admin's session or API token (Authorization: Bearer TOKEN)`);
    r.headers.set('www-authenticate', 'Bearer realm="turnout"');
    return r;
  }
  if (!EDITORS.includes(caller.role)) return problem(c, 403, `${caller.name} is a ${caller.role}: only editors and admins may do this (${doing})`);
  return caller;
}

/**
 * A write request's JSON body checked against a strict schema: over MAX_BODY bytes a 413, not JSON a 415
 * or a 400, a field at fault a 400 naming it (thrown as BadParameter, answered by apiError).
 */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S> | Response> {
  const length = Number(c.req.header('content-length') ?? 0);
  if (length > MAX_BODY) return problem(c, 413, `the body is over ${MAX_BODY} bytes`, 'body');
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > MAX_BODY) return problem(c, 413, `the body is over ${MAX_BODY} bytes`, 'body');
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) return problem(c, 415, 'the body must be JSON (Content-Type: application/json)', 'body');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new BadParameter('body', 'the body is not valid JSON');
  }
  return parseBody(schema, raw);
}
