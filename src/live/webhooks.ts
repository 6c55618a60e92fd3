// Webhook deliveries: a JSON POST per new or updated event, signed with HMAC-SHA256 over the timestamp and
// the body (so a receiver can refuse replays), sent with the same SSRF checks as every fetch.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { EventRecord } from '../core/types.js';
import { checkUrl, USER_AGENT, vetHost } from '../fetch/http.js';
import type { Webhook } from '../store/live.js';
import type { ChangeKind } from '../store/repository.js';

export const SIGNATURE_HEADER = 'turnout-signature';
/** A receiver should refuse signatures older (or newer) than this. */
export const SIGNATURE_TOLERANCE_S = 300;
const TIMEOUT_MS = 10_000;

export interface WebhookBody {
  type: 'event.created' | 'event.updated';
  /** what made this revision: articles ('ingest'), or an editor's review, edit, merge, split or undo */
  change: ChangeKind;
  /** the event's review state: 'verified' or 'edited' announce a human's check (rejections are never sent) */
  review_status: EventRecord['review_status'];
  revision: number;
  event: EventRecord;
}

export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` */
export function sign(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** What a receiver does: checks the signature and that its timestamp is recent. */
export function verifySignature(secret: string, header: string | undefined, body: string, nowMs = Date.now()): { ok: boolean; reason?: string } {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return { ok: false, reason: 'missing or malformed signature header' };
  const t = Number(m[1]);
  if (Math.abs(nowMs / 1000 - t) > SIGNATURE_TOLERANCE_S) return { ok: false, reason: 'timestamp outside the tolerance (replay?)' };
  const want = Buffer.from(sign(secret, body, t).slice(-64), 'hex');
  const got = Buffer.from(m[2]!, 'hex');
  return want.length === got.length && timingSafeEqual(want, got) ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

export interface DeliveryResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/** POSTs one signed delivery. Never throws: every failure is a result with its reason. */
export async function deliver(hook: Webhook, payload: WebhookBody, opts: { allowHosts: string[] }): Promise<DeliveryResult> {
  const now = Date.now();
  const body = JSON.stringify({ ...payload, delivered_at: new Date(now).toISOString() });
  let url: URL;
  let addresses;
  try {
    url = checkUrl(hook.url);
    addresses = await vetHost(url, opts.allowHosts);
  } catch (e) {
    return { ok: false, status: null, error: (e as Error).message };
  }
  const pinned = addresses[0]!;
  const lookup = ((_h: string, o: { all?: boolean }, cb: (...a: unknown[]) => void) =>
    o?.all ? cb(null, [pinned]) : cb(null, pinned.address, pinned.family)) as unknown as LookupFunction;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<DeliveryResult>((resolve) => {
    const req = send(
      url,
      {
        method: 'POST',
        lookup,
        timeout: TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': USER_AGENT,
          [SIGNATURE_HEADER]: sign(hook.secret, body, Math.floor(now / 1000)),
          'turnout-event': payload.type,
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume(); // the receiver's answer is not needed
        res.on('end', () => resolve(status >= 200 && status < 300 ? { ok: true, status, error: null } : { ok: false, status, error: `HTTP ${status}` }));
        res.on('error', (e) => resolve({ ok: false, status, error: e.message }));
      },
    );
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (e) => resolve({ ok: false, status: null, error: e.message }));
    req.on('close', () => clearTimeout(deadline));
    req.end(body);
  });
}
