// RFC 9457 problem details: every API error is application/problem+json naming what was wrong.
import type { Context } from 'hono';
import type { z } from 'zod';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  param?: string;
}

const TITLES: Record<number, [string, string]> = {
  400: ['invalid-parameter', 'Invalid parameter'],
  401: ['unauthorized', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  409: ['conflict', 'Conflict'],
  413: ['content-too-large', 'Content too large'],
  414: ['uri-too-long', 'URI too long'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  429: ['too-many-requests', 'Too many requests'],
  500: ['internal-error', 'Internal error'],
};

export function problem(
  c: Context,
  status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 414 | 415 | 429 | 500,
  detail: string,
  param?: string,
  extra: Record<string, unknown> = {},
): Response {
  const [slug, title] = TITLES[status]!;
  const body: Problem = { type: `urn:turnout:problem:${slug}`, title, status, detail, instance: new URL(c.req.url).pathname };
  if (param) body.param = param;
  Object.assign(body, extra);
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json; charset=utf-8' });
}

/** A request that failed validation: the parameter at fault and what is wrong with it. */
export class BadParameter extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Validates a request's query string against a strict zod object schema. Unknown parameters and parameters
 * given twice are errors too, so that a typo ("regoin=CA") is not silently ignored.
 */
/**
 * Validates a JSON request body (already parsed) against a strict zod object schema: the first field at fault,
 * unknown fields included, is a BadParameter naming it.
 */
export function parseBody<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BadParameter('body', 'the body must be a JSON object');
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const { issue, name } = firstIssue(r.error, 'field', 'body');
  throw new BadParameter(name, `${name} ${issueText(issue)}`);
}

/**
 * The first issue of a failed parse and the name it concerns: the field names on its path joined by dots
 * ("changes.size_low"; an item of a list is named by its list). An unknown key is a BadParameter at once.
 */
function firstIssue(error: z.ZodError, what: 'field' | 'parameter', whole: string): { issue: z.ZodError['issues'][number]; name: string } {
  const issue = error.issues[0]!;
  const names: string[] = [];
  for (const p of issue.path) {
    if (typeof p !== 'string') break;
    names.push(p);
  }
  if (issue.code === 'unrecognized_keys') {
    const key = [...names, issue.keys[0]!].join('.');
    throw new BadParameter(key, `unknown ${what} ${JSON.stringify(key.slice(0, 80))}`);
  }
  return { issue, name: names.join('.') || whole };
}

export function parseQuery<S extends z.ZodType>(schema: S, url: string): z.output<S> {
  const params = new URL(url).searchParams;
  const raw: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k in raw) throw new BadParameter(k, `${k} is given more than once`);
    raw[k] = v;
  }
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const { issue, name: param } = firstIssue(r.error, 'parameter', 'query');
  const given = raw[param];
  const shown = given === undefined ? '' : ` (got ${JSON.stringify(given.length > 60 ? given.slice(0, 60) + '…' : given)})`;
  throw new BadParameter(param, `${param} ${issueText(issue)}${shown}`);
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
  if (issue.code === 'too_small') return `must be at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}`;
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}`;
  return issue.message.replace(/^Invalid input: /, '');
}
