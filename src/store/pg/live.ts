// The live record on PostgreSQL (migration 3's tables): feed sources and their fetch log, feed items, near-duplicate
// hashes, webhooks and their deliveries, with the same meanings as the SQLite store's (src/store/sqlite/live.ts), from
// the shared parts in src/store/live.ts. Its jobs are not in the `jobs` table but on pg-boss (src/jobs/live.ts): every
// job is queued on the transaction that makes it due (a poll's new items, an event's new revision), through a
// JobSender, so a job and its cause commit or roll back together.
import type pg from 'pg';
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
  type JobKind,
  type PollOutcome,
  type Source,
  type Webhook,
} from '../live.js';
import type { ChangeKind, EventFilter, SaveOutcome } from '../repository.js';
import type { AsyncLiveStore } from '../store.js';
import { whereOf, type Changed, type Db, type PgStore } from './index.js';

/** How the store queues a job inside one of its transactions (src/jobs/live.ts puts it on pg-boss). */
export interface JobSender {
  /** queues `data` on the queue `kind` under `key` (a key is queued once), on the transaction `c`; true when queued */
  send(c: pg.PoolClient, kind: JobKind, data: object, key: string): Promise<boolean>;
  close(): Promise<void>;
}

export class PgLiveStore implements AsyncLiveStore {
  constructor(
    private readonly store: PgStore,
    private readonly now: () => string,
    /** the sender used when none was attached: made (and its queue opened) the first time a job is queued */
    private readonly makeSender: () => Promise<JobSender>,
  ) {}

  private sender: Promise<JobSender> | null = null;
  private ownSender = false;

  /** Queues this store's jobs through `sender` (a worker's or a scheduler's pg-boss) instead of opening its own. */
  attachJobs(sender: JobSender): void {
    // a queue this store opened for itself before (a change made before the owner's queue was up) is stopped
    if (this.sender && this.ownSender) void this.sender.then((own) => own.close()).catch(() => undefined);
    this.sender = Promise.resolve(sender);
    this.ownSender = false;
  }

  private jobs(): Promise<JobSender> {
    if (!this.sender) {
      this.ownSender = true;
      this.sender = this.makeSender();
      // a sender that could not be opened is tried again next time
      this.sender.catch(() => (this.sender = null));
    }
    return this.sender;
  }

  private get pool(): pg.Pool {
    return this.store.reader;
  }

  private later(ms: number): string {
    return new Date(Date.parse(this.now()) + ms).toISOString();
  }

  async addSource(url: string, everySeconds: number): Promise<{ source: Source; added: boolean }> {
    const now = this.now();
    // (a row is made only when the URL is new, so that an id is taken only by a source added, as on SQLite)
    const added = await this.pool.query(
      'INSERT INTO sources (url, every_seconds, next_poll_at, added_at) SELECT $1, $2, $3, $3 WHERE NOT EXISTS (SELECT 1 FROM sources WHERE url = $1) ON CONFLICT (url) DO NOTHING',
      [url, everySeconds, now],
    );
    const source = (await this.store.one<Source>(this.pool, 'SELECT * FROM sources WHERE url = $1', [url]))!;
    return { source, added: (added.rowCount ?? 0) > 0 };
  }

  async listSources(): Promise<Source[]> {
    return this.store.rows<Source>(this.pool, 'SELECT * FROM sources ORDER BY id');
  }

  async getSource(id: number, db: Db = this.pool): Promise<Source | null> {
    return this.store.one<Source>(db, 'SELECT * FROM sources WHERE id = $1', [id]);
  }

  async removeSource(idOrUrl: string): Promise<boolean> {
    const r = /^\d{1,15}$/.test(idOrUrl)
      ? await this.pool.query('DELETE FROM sources WHERE id = $1', [Number(idOrUrl)])
      : await this.pool.query('DELETE FROM sources WHERE url = $1', [idOrUrl]);
    return (r.rowCount ?? 0) > 0;
  }

  async fetchLog(sourceId: number | null, limit: number): Promise<FetchLogEntry[]> {
    return sourceId === null
      ? this.store.rows<FetchLogEntry>(this.pool, 'SELECT * FROM fetch_log ORDER BY id DESC LIMIT $1', [limit])
      : this.store.rows<FetchLogEntry>(this.pool, 'SELECT * FROM fetch_log WHERE source_id = $1 ORDER BY id DESC LIMIT $2', [sourceId, limit]);
  }

  async logFetch(e: Omit<FetchLogEntry, 'id' | 'at' | 'source_id'> & { source_id?: number | null }, db: Db = this.pool): Promise<void> {
    await db.query('INSERT INTO fetch_log (source_id, url, at, status, items_new, items_skipped, error) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      e.source_id ?? null,
      e.url,
      this.now(),
      e.status,
      e.items_new,
      e.items_skipped,
      e.error,
    ]);
  }

  /**
   * Queues a poll of every source whose time has come and moves its next poll on, in one transaction; returns how
   * many were queued. Sources another scheduler is queueing at the same moment are skipped (SKIP LOCKED), and a
   * poll's key (source and due time) is queued once however many schedulers saw it due.
   */
  async enqueueDuePolls(): Promise<number> {
    const jobs = await this.jobs();
    return this.store.tx(async (c) => {
      const due = await this.store.rows<Pick<Source, 'id' | 'every_seconds' | 'next_poll_at'>>(
        c,
        'SELECT id, every_seconds, next_poll_at FROM sources WHERE next_poll_at COLLATE "C" <= $1 ORDER BY id FOR UPDATE SKIP LOCKED',
        [this.now()],
      );
      let n = 0;
      for (const s of due) {
        if (await jobs.send(c, 'poll', { sourceId: s.id }, jobKey.poll(s.id, s.next_poll_at))) n++;
        await c.query('UPDATE sources SET next_poll_at = $1 WHERE id = $2', [this.later(s.every_seconds * 1000), s.id]);
      }
      return n;
    });
  }

  /** Queues one poll of every source (watch --once); `run` makes this run's keys its own. Returns how many. */
  async enqueueAllPolls(run: string): Promise<number> {
    const jobs = await this.jobs();
    return this.store.tx(async (c) => {
      let n = 0;
      for (const s of await this.store.rows<{ id: number }>(c, 'SELECT id FROM sources ORDER BY id')) {
        if (await jobs.send(c, 'poll', { sourceId: s.id }, jobKey.pollOnce(s.id, run))) n++;
      }
      return n;
    });
  }

  /** Queues one page to fetch and ingest (turnout fetch URL) under `key`; true when queued. */
  async enqueuePage(url: string, key: string): Promise<boolean> {
    const jobs = await this.jobs();
    return this.store.tx((c) => jobs.send(c, 'item', { itemId: null, url, content: null, contentType: null, published: null, title: null }, key));
  }

  /**
   * A poll's outcome on the caller's transaction `c`: the fetch logged, the source's state, its new items recorded and
   * their item jobs queued (items seen before are left as they are, whatever the feed says now).
   */
  async finishPoll(c: pg.PoolClient, sourceId: number, o: PollOutcome): Promise<{ itemsNew: number; itemsSkipped: number }> {
    const now = this.now();
    let itemsNew = 0;
    let itemsSkipped = 0;
    for (const it of o.items ?? []) {
      const row = await this.store.one<{ id: number }>(
        c,
        `INSERT INTO items (source_id, item_key, url, title, published, state, reason, created_at, updated_at)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $8 WHERE NOT EXISTS (SELECT 1 FROM items WHERE source_id = $1 AND item_key = $2)
         ON CONFLICT (source_id, item_key) DO NOTHING RETURNING id`,
        [sourceId, it.key, it.url, it.title, it.published, it.skipReason ? 'skipped' : 'queued', it.skipReason, now],
      );
      if (!row) continue;
      if (it.skipReason) {
        itemsSkipped++;
        continue;
      }
      itemsNew++;
      await (await this.jobs()).send(c, 'item', itemPayloadOf(row.id, it), jobKey.item(row.id));
    }
    const source = await this.getSource(sourceId, c);
    await this.logFetch({ source_id: sourceId, url: source?.url ?? '', status: o.status, items_new: itemsNew, items_skipped: itemsSkipped, error: o.error ?? null }, c);
    if (o.error) {
      await c.query('UPDATE sources SET last_polled_at = $1, last_status = $2, failures = failures + 1 WHERE id = $3', [now, `error: ${o.error}`, sourceId]);
    } else {
      await c.query('UPDATE sources SET last_polled_at = $1, last_status = $2, failures = 0, etag = coalesce($3, etag), last_modified = coalesce($4, last_modified) WHERE id = $5', [
        now,
        String(o.status),
        o.etag ?? null,
        o.lastModified ?? null,
        sourceId,
      ]);
    }
    return { itemsNew, itemsSkipped };
  }

  /**
   * An item's outcome on the caller's transaction `c`: the article saved with its near-duplicate link and hash (the
   * saves join `c`, and the deliveries of the events they change are queued when it commits), the item marked; or
   * the item marked failed or skipped. Null when there is no article.
   */
  async finishItem(c: pg.PoolClient, itemId: number | null, result: ItemResult): Promise<SaveOutcome | null> {
    const now = this.now();
    if ('error' in result || 'skipped' in result) {
      const { state, reason } = itemState(result);
      if (itemId !== null) await c.query("UPDATE items SET state = $1, reason = $2, updated_at = $3 WHERE id = $4 AND state = 'queued'", [state, reason, now, itemId]);
      return null;
    }
    const { article, mentions, simhash, duplicateOf } = result;
    const outcome = await this.store.saveArticle(article, mentions);
    if (outcome.article === 'new') {
      await c.query('INSERT INTO article_hashes (article_id, simhash) VALUES ($1, $2) ON CONFLICT DO NOTHING', [article.id, simhashText(simhash)]);
    }
    const changed = [...outcome.changed];
    if (duplicateOf && duplicateOf.id !== article.id) changed.push(...(await this.store.linkDuplicate(article.id, duplicateOf.id, duplicateOf.distance)));
    if (itemId !== null) {
      const { state, reason } = itemState(result, outcome.article);
      // (an item an earlier run of its job settled keeps what that run found: a job that outlived its expiry ran twice)
      await c.query("UPDATE items SET state = $1, reason = $2, article_id = $3, updated_at = $4 WHERE id = $5 AND state = 'queued'", [state, reason, article.id, now, itemId]);
    }
    return { ...outcome, changed };
  }

  /**
   * One delivery job per (active webhook whose filter the event passes, event revision), on the transaction that made
   * the revisions. A store without an active webhook pays one query and never opens the job queue.
   */
  async queueDeliveries(c: pg.PoolClient, changed: Changed[]): Promise<void> {
    if (!changed.length) return;
    const hooks = (await this.store.rows<Record<string, unknown>>(c, 'SELECT * FROM webhooks WHERE active = 1 ORDER BY id')).map(webhookOf);
    if (!hooks.length) return;
    const jobs = await this.jobs();
    for (const ch of changed) {
      // what made the revision: said by the write itself, else (an older caller) as its revision row records it
      const recorded = ch.change || ch.created ? undefined : (await this.store.one<{ action: ChangeKind }>(c, 'SELECT action FROM event_revisions WHERE event_id = $1 AND revision = $2', [ch.id, ch.revision]))?.action;
      const change = deliveryChange(ch, () => recorded);
      for (const h of hooks) {
        if (!(await this.eventMatches(c, ch.id, h.filter))) continue;
        const payload: DeliverPayload = { webhookId: h.id, eventId: ch.id, revision: ch.revision, created: ch.created, change };
        await jobs.send(c, 'deliver', payload, jobKey.deliver(h.id, ch.id, ch.revision));
      }
    }
  }

  /** Whether one event passes a filter: the same conditions as every list of events (whereOf). */
  private async eventMatches(c: Db, id: string, filter: EventFilter): Promise<boolean> {
    const args: unknown[] = [];
    const where = whereOf(filter, args);
    args.push(id);
    const clause = `${where ? where + ' AND' : 'WHERE'} s.id = $${args.length}`;
    return (await this.store.one(c, `SELECT 1 FROM event_search s ${clause}`, args)) !== null;
  }

  async nearArticles(simhash: bigint, maxBits: number, except: string): Promise<Array<{ id: string; distance: number }>> {
    // the hashes as 64-bit strings, XORed and counted by the server: no list of hashes is kept here, so an article
    // another worker saved a moment ago is never missed
    return this.store.rows<{ id: string; distance: number }>(
      this.pool,
      `SELECT article_id AS id, d AS distance FROM (
         SELECT article_id, seq, bit_count(('x' || lpad(simhash, 16, '0'))::bit(64) # ('x' || lpad($1, 16, '0'))::bit(64))::int AS d FROM article_hashes
       ) h WHERE d <= $2 AND article_id <> $3 ORDER BY d, seq`,
      [simhashText(simhash), maxBits, except],
    );
  }

  async articleEventKeys(articleId: string): Promise<string[]> {
    return (await this.store.rows<{ event_key: string }>(this.pool, 'SELECT DISTINCT event_key FROM mentions WHERE article_id = $1', [articleId])).map((r) => r.event_key);
  }

  async itemCounts(): Promise<Record<string, number>> {
    const rows = await this.store.rows<{ state: string; n: number }>(this.pool, 'SELECT state, count(*) AS n FROM items GROUP BY state');
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  async addWebhook(url: string, secret: string, filter: EventFilter): Promise<Webhook> {
    const row = await this.store.one<{ id: number }>(this.pool, 'INSERT INTO webhooks (url, secret, filter, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [
      url,
      secret,
      JSON.stringify(filter),
      this.now(),
    ]);
    return (await this.getWebhook(row!.id))!;
  }

  async listWebhooks(): Promise<Webhook[]> {
    return (await this.store.rows<Record<string, unknown>>(this.pool, 'SELECT * FROM webhooks ORDER BY id')).map(webhookOf);
  }

  async getWebhook(id: number, db: Db = this.pool): Promise<Webhook | null> {
    const row = await this.store.one<Record<string, unknown>>(db, 'SELECT * FROM webhooks WHERE id = $1', [id]);
    return row ? webhookOf(row) : null;
  }

  async removeWebhook(id: number): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM webhooks WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  /** One delivery attempt logged (on `c`, the caller's transaction, when given); the hook disabled after `disableAfter` failures in a row. */
  async logDelivery(d: Omit<Delivery, 'id' | 'at'>, disableAfter: number, c?: pg.PoolClient): Promise<void> {
    const log = async (db: pg.PoolClient) => {
      await db.query('INSERT INTO deliveries (webhook_id, event_id, revision, attempt, at, status, ok, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
        d.webhook_id,
        d.event_id,
        d.revision,
        d.attempt,
        this.now(),
        d.status,
        d.ok ? 1 : 0,
        d.error,
      ]);
      if (d.ok) {
        await db.query('UPDATE webhooks SET consecutive_failures = 0 WHERE id = $1', [d.webhook_id]);
        return;
      }
      await db.query('UPDATE webhooks SET consecutive_failures = consecutive_failures + 1 WHERE id = $1', [d.webhook_id]);
      await db.query('UPDATE webhooks SET active = 0, disabled_reason = $1 WHERE id = $2 AND active = 1 AND consecutive_failures >= $3', [
        disabledReason(disableAfter, d),
        d.webhook_id,
        disableAfter,
      ]);
    };
    if (c) await log(c);
    else await this.store.tx(log);
  }

  async deliveries(webhookId: number): Promise<Delivery[]> {
    return (await this.store.rows<Record<string, unknown>>(this.pool, 'SELECT * FROM deliveries WHERE webhook_id = $1 ORDER BY id', [webhookId])).map(deliveryOf);
  }

  /** Stops the job queue this store opened for itself (an attached one is its owner's to stop). */
  async close(): Promise<void> {
    if (!this.sender || !this.ownSender) return;
    const sender = await this.sender.catch(() => null);
    this.sender = null;
    await sender?.close();
  }
}
