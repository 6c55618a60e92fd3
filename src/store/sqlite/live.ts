// The live record's tables on SQLite (migration 3), sharing the Repository's connection and transactions.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  deliveryChange,
  deliveryOf,
  disabledReason,
  itemPayloadOf,
  itemState,
  jobKey,
  simhashText,
  webhookOf,
  type DeliverPayload,
  type Delivery,
  type FetchLogEntry,
  type ItemResult,
  type Job,
  type JobKind,
  type LiveStore,
  type PollOutcome,
  type Source,
  type Webhook,
} from '../live.js';
import type { ChangeKind, EventFilter, SaveOutcome } from '../repository.js';
import type { SqliteRepository } from './index.js';

/** Set bits of a 32-bit integer. */
function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export class SqliteLiveStore implements LiveStore {
  constructor(
    private readonly repo: SqliteRepository,
    private readonly now: () => string,
  ) {}

  /** SimHashes of stored articles as 32-bit halves, read incrementally (other processes add to them too). */
  private hashes = { ids: [] as string[], hi: [] as number[], lo: [] as number[], lastRowid: 0 };

  private get db() {
    return this.repo.handle;
  }

  private later(ms: number): string {
    return new Date(Date.parse(this.now()) + ms).toISOString();
  }

  addSource(url: string, everySeconds: number): { source: Source; added: boolean } {
    const r = this.db
      .prepare('INSERT OR IGNORE INTO sources (url, every_seconds, next_poll_at, added_at) VALUES (?, ?, ?, ?)')
      .run(url, everySeconds, this.now(), this.now());
    const source = this.repo.sql('SELECT * FROM sources WHERE url = ?').get(url) as Source;
    return { source, added: r.changes > 0 };
  }

  listSources(): Source[] {
    return this.repo.sql('SELECT * FROM sources ORDER BY id').all() as Source[];
  }

  getSource(id: number): Source | null {
    return (this.repo.sql('SELECT * FROM sources WHERE id = ?').get(id) as Source | undefined) ?? null;
  }

  removeSource(idOrUrl: string): boolean {
    const r = /^\d+$/.test(idOrUrl)
      ? this.repo.sql('DELETE FROM sources WHERE id = ?').run(Number(idOrUrl))
      : this.repo.sql('DELETE FROM sources WHERE url = ?').run(idOrUrl);
    return r.changes > 0;
  }

  fetchLog(sourceId: number | null, limit: number): FetchLogEntry[] {
    const where = sourceId === null ? '' : 'WHERE source_id = ?';
    const args = sourceId === null ? [] : [sourceId];
    return this.repo.sql(`SELECT * FROM fetch_log ${where} ORDER BY id DESC LIMIT ?`).all(...args, limit) as FetchLogEntry[];
  }

  logFetch(e: Omit<FetchLogEntry, 'id' | 'at' | 'source_id'> & { source_id?: number | null }): void {
    this.db
      .prepare('INSERT INTO fetch_log (source_id, url, at, status, items_new, items_skipped, error) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.source_id ?? null, e.url, this.now(), e.status, e.items_new, e.items_skipped, e.error);
  }

  enqueue(kind: JobKind, payload: object, dedupeKey: string | null, runAfter?: string): boolean {
    const r = this.db
      .prepare('INSERT OR IGNORE INTO jobs (kind, payload, dedupe_key, run_after, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(kind, JSON.stringify(payload), dedupeKey, runAfter ?? this.now(), this.now());
    return r.changes > 0;
  }

  enqueueDuePolls(): number {
    return this.db.transaction(() => {
      const now = this.now();
      const due = this.repo.sql('SELECT id, every_seconds, next_poll_at FROM sources WHERE next_poll_at <= ?').all(now) as Array<Pick<Source, 'id' | 'every_seconds' | 'next_poll_at'>>;
      let n = 0;
      for (const s of due) {
        if (this.enqueue('poll', { sourceId: s.id }, jobKey.poll(s.id, s.next_poll_at))) n++;
        this.repo.sql('UPDATE sources SET next_poll_at = ? WHERE id = ?').run(this.later(s.every_seconds * 1000), s.id);
      }
      return n;
    }).immediate();
  }

  enqueueAllPolls(run: string): number {
    return this.db.transaction(() => {
      let n = 0;
      for (const s of this.listSources()) if (this.enqueue('poll', { sourceId: s.id }, jobKey.pollOnce(s.id, run))) n++;
      return n;
    }).immediate();
  }

  claim(worker: string, leaseMs: number): Job | null {
    // IMMEDIATE: two watchers on one store cannot both read the same job as free
    const claim = this.db.transaction((): Job | null => {
      const now = this.now();
      const job = this.db
        .prepare(
          `SELECT id, kind, payload, attempts FROM jobs
           WHERE (state = 'pending' AND run_after <= ?) OR (state = 'running' AND locked_until < ?)
           ORDER BY run_after, id LIMIT 1`,
        )
        .get(now, now) as Job | undefined;
      const taken = job ?? this.orphan();
      if (!taken) return null;
      this.repo.sql(`UPDATE jobs SET state = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1 WHERE id = ?`).run(worker, this.later(leaseMs), taken.id);
      return { id: taken.id, kind: taken.kind, payload: taken.payload, attempts: taken.attempts + 1 };
    });
    return claim.immediate();
  }

  /** A running job whose worker was a process on this machine that no longer exists (killed mid-job). */
  private orphan(): Job | null {
    const running = this.repo.sql(`SELECT id, kind, payload, attempts, locked_by FROM jobs WHERE state = 'running' ORDER BY id LIMIT 200`).all() as Array<Job & { locked_by: string | null }>;
    return running.find((j) => workerIsGone(j.locked_by)) ?? null;
  }

  nextRetry(): string | null {
    return (this.repo.sql(`SELECT min(run_after) FROM jobs WHERE state = 'pending'`).pluck().get() as string | null) ?? null;
  }

  openJobs(): number {
    return this.repo.sql(`SELECT count(*) FROM jobs WHERE state IN ('pending', 'running')`).pluck().get() as number;
  }

  completeJob(jobId: number): void {
    this.repo.sql(`UPDATE jobs SET state = 'done', finished_at = ?, locked_by = NULL, locked_until = NULL WHERE id = ?`).run(this.now(), jobId);
  }

  failJob(jobId: number, error: string, retryAt: string | null): void {
    if (retryAt) this.repo.sql(`UPDATE jobs SET state = 'pending', run_after = ?, last_error = ?, locked_by = NULL, locked_until = NULL WHERE id = ?`).run(retryAt, error, jobId);
    else this.repo.sql(`UPDATE jobs SET state = 'failed', last_error = ?, finished_at = ?, locked_by = NULL, locked_until = NULL WHERE id = ?`).run(error, this.now(), jobId);
  }

  finishPoll(jobId: number, sourceId: number, o: PollOutcome): { itemsNew: number; itemsSkipped: number } {
    return this.db.transaction(() => {
      const now = this.now();
      let itemsNew = 0;
      let itemsSkipped = 0;
      for (const it of o.items ?? []) {
        const r = this.db
          .prepare('INSERT OR IGNORE INTO items (source_id, item_key, url, title, published, state, reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(sourceId, it.key, it.url, it.title, it.published, it.skipReason ? 'skipped' : 'queued', it.skipReason, now, now);
        if (!r.changes) continue; // seen before: nothing to do, whatever the feed says now
        if (it.skipReason) {
          itemsSkipped++;
          continue;
        }
        itemsNew++;
        const itemId = Number(r.lastInsertRowid);
        this.enqueue('item', itemPayloadOf(itemId, it), jobKey.item(itemId));
      }
      this.logFetch({ source_id: sourceId, url: this.getSource(sourceId)?.url ?? '', status: o.status, items_new: itemsNew, items_skipped: itemsSkipped, error: o.error ?? null });
      if (o.error) {
        this.repo.sql('UPDATE sources SET last_polled_at = ?, last_status = ?, failures = failures + 1 WHERE id = ?').run(now, `error: ${o.error}`, sourceId);
      } else {
        this.db
          .prepare('UPDATE sources SET last_polled_at = ?, last_status = ?, failures = 0, etag = coalesce(?, etag), last_modified = coalesce(?, last_modified) WHERE id = ?')
          .run(now, String(o.status), o.etag ?? null, o.lastModified ?? null, sourceId);
      }
      this.completeJob(jobId);
      return { itemsNew, itemsSkipped };
    }).immediate();
  }

  finishItem(jobId: number, itemId: number | null, result: ItemResult): SaveOutcome | null {
    return this.repo.writing(() => this.db.transaction(() => {
      const now = this.now();
      if ('error' in result || 'skipped' in result) {
        const { state, reason } = itemState(result);
        if (itemId !== null) this.repo.sql(`UPDATE items SET state = ?, reason = ?, updated_at = ? WHERE id = ?`).run(state, reason, now, itemId);
        this.completeJob(jobId);
        return null;
      }
      const { article, mentions, simhash, duplicateOf } = result;
      const outcome = this.repo.saveArticle(article, mentions);
      if (outcome.article === 'new') {
        this.repo.sql('INSERT OR IGNORE INTO article_hashes (article_id, simhash) VALUES (?, ?)').run(article.id, simhashText(simhash));
      }
      const changed = [...outcome.changed];
      if (duplicateOf && duplicateOf.id !== article.id) changed.push(...this.repo.linkDuplicate(article.id, duplicateOf.id, duplicateOf.distance));
      if (itemId !== null) {
        const { state, reason } = itemState(result, outcome.article);
        this.repo.sql('UPDATE items SET state = ?, reason = ?, article_id = ?, updated_at = ? WHERE id = ?').run(state, reason, article.id, now, itemId);
      }
      this.completeJob(jobId);
      return { ...outcome, changed };
    }).immediate());
  }

  /**
   * One delivery job per (active webhook whose filter the event passes, event revision), saying what kind of change
   * made the revision: the caller's word, else the action its revision row records.
   */
  queueDeliveries(changed: SaveOutcome['changed']): void {
    const hooks = this.listWebhooks().filter((h) => h.active);
    if (!hooks.length) return;
    for (const c of changed) {
      const change = deliveryChange(c, () => this.changeOf(c.id, c.revision));
      for (const h of hooks) {
        if (!this.repo.eventMatches(c.id, h.filter)) continue;
        const payload: DeliverPayload = { webhookId: h.id, eventId: c.id, revision: c.revision, created: c.created, change };
        this.enqueue('deliver', payload, jobKey.deliver(h.id, c.id, c.revision));
      }
    }
  }

  /** The kind of change that made a revision, as its history names it. */
  private changeOf(id: string, revision: number): ChangeKind | undefined {
    return this.repo.sql('SELECT action FROM event_revisions WHERE event_id = ? AND revision = ?').pluck().get(id, revision) as ChangeKind | undefined;
  }

  articleEventKeys(articleId: string): string[] {
    return this.repo.sql('SELECT DISTINCT event_key FROM mentions WHERE article_id = ?').pluck().all(articleId) as string[];
  }

  nearArticles(simhash: bigint, maxBits: number, except: string): Array<{ id: string; distance: number }> {
    const h = this.hashes;
    const rows = this.repo.sql('SELECT rowid, article_id, simhash FROM article_hashes WHERE rowid > ? ORDER BY rowid').raw(true).all(h.lastRowid) as Array<[number, string, string]>;
    for (const [rowid, id, hex] of rows) {
      const v = BigInt('0x' + hex);
      h.ids.push(id);
      h.hi.push(Number(v >> 32n));
      h.lo.push(Number(v & 0xffffffffn));
      h.lastRowid = rowid;
    }
    const hi = Number(simhash >> 32n);
    const lo = Number(simhash & 0xffffffffn);
    const near: Array<{ id: string; distance: number }> = [];
    for (let i = 0; i < h.ids.length; i++) {
      const d = popcount32((h.hi[i]! ^ hi) >>> 0) + popcount32((h.lo[i]! ^ lo) >>> 0);
      if (d <= maxBits && h.ids[i] !== except) near.push({ id: h.ids[i]!, distance: d });
    }
    return near.sort((a, b) => a.distance - b.distance);
  }

  itemCounts(): Record<string, number> {
    const rows = this.repo.sql('SELECT state, count(*) AS n FROM items GROUP BY state').all() as Array<{ state: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  addWebhook(url: string, secret: string, filter: EventFilter): Webhook {
    const r = this.repo.sql('INSERT INTO webhooks (url, secret, filter, created_at) VALUES (?, ?, ?, ?)').run(url, secret, JSON.stringify(filter), this.now());
    return this.getWebhook(Number(r.lastInsertRowid))!;
  }

  listWebhooks(): Webhook[] {
    return (this.repo.sql('SELECT * FROM webhooks ORDER BY id').all() as Array<Record<string, unknown>>).map(webhookOf);
  }

  getWebhook(id: number): Webhook | null {
    const r = this.repo.sql('SELECT * FROM webhooks WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? webhookOf(r) : null;
  }

  removeWebhook(id: number): boolean {
    return this.repo.sql('DELETE FROM webhooks WHERE id = ?').run(id).changes > 0;
  }

  logDelivery(d: Omit<Delivery, 'id' | 'at'>, disableAfter: number): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO deliveries (webhook_id, event_id, revision, attempt, at, status, ok, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(d.webhook_id, d.event_id, d.revision, d.attempt, this.now(), d.status, d.ok ? 1 : 0, d.error);
      if (d.ok) {
        this.repo.sql('UPDATE webhooks SET consecutive_failures = 0 WHERE id = ?').run(d.webhook_id);
        return;
      }
      this.repo.sql('UPDATE webhooks SET consecutive_failures = consecutive_failures + 1 WHERE id = ?').run(d.webhook_id);
      this.db
        .prepare(`UPDATE webhooks SET active = 0, disabled_reason = ? WHERE id = ? AND active = 1 AND consecutive_failures >= ?`)
        .run(disabledReason(disableAfter, d), d.webhook_id, disableAfter);
    }).immediate();
  }

  deliveries(webhookId: number): Delivery[] {
    return (this.repo.sql('SELECT * FROM deliveries WHERE webhook_id = ? ORDER BY id').all(webhookId) as Array<Record<string, unknown>>).map(deliveryOf);
  }
}

/** A worker id for job leases: host, process and run, so a dead local worker's jobs can be taken over at once. */
export function workerId(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

/** Whether a worker id names a process of this machine that has exited. Other machines' workers wait for their lease. */
export function workerIsGone(worker: string | null): boolean {
  const m = /^(.*)\/(\d+)\/[0-9a-f]{8}$/.exec(worker ?? '');
  if (!m || m[1] !== hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
