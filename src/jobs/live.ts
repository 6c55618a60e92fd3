// The live record's jobs on pg-boss (issue 11): on a PostgreSQL store, feed polls, feed items (and pages queued by
// `turnout fetch`) and webhook deliveries are jobs on the queues "poll", "item" and "deliver", run by `turnout worker`
// beside the ingest jobs, with the same work as SQLite's watcher (src/live/work.ts). `turnout watch` (or `serve`)
// only schedules: it queues the polls of due sources.
// Each job's outcome commits with its effects and the job's end in one transaction: a poll's fetch log, source state,
// new items and their item jobs; an item's article, near-duplicate link, item state and the deliveries of the events
// it changed; a delivery's log row. The jobs are sent, completed and failed on that transaction's own connection
// (pg-boss's `db` option), so a worker killed at any moment leaves either all of it or none, and its job expires and
// is run again. Keys make each job once: a poll per source and due time, an item per item row, a delivery per
// webhook, event and revision.
import PgBoss from 'pg-boss';
import { z } from 'zod';
import { LiveWork, pause, type LiveHost, type WorkOptions } from '../live/work.js';
import type { PgStore } from '../store/pg/index.js';
import type { JobSender } from '../store/pg/live.js';
import type { DeliverPayload, ItemPayload, PollPayload } from '../store/live.js';
import { failForGood, jobExpirySeconds, keyedJobId, onClient, openJobs } from './queue.js';
import type { JobHandler, TakenJob, WorkerTally } from './worker.js';

/** Attempts of a live job before it fails for good (the first and its retries), as SQLite's watcher allows. */
const MAX_ATTEMPTS = 5;

/** The first retry's pause in seconds (TURNOUT_RETRY_BASE_MS, default 30 s; at least 1): each next one about twice as long. */
function retryDelaySeconds(): number {
  const ms = Number(process.env.TURNOUT_RETRY_BASE_MS);
  return Number.isFinite(ms) && ms >= 0 && process.env.TURNOUT_RETRY_BASE_MS !== '' ? Math.max(1, Math.round(ms / 1000)) : 30;
}

/** A live job's retries and expiry, said when it is sent (pg-boss's backoff doubles the pause, with some jitter). */
function liveJobOptions(): PgBoss.SendOptions {
  return { retryLimit: MAX_ATTEMPTS - 1, retryDelay: retryDelaySeconds(), retryBackoff: true, expireInSeconds: jobExpirySeconds() };
}

/** Sends the store's jobs on `boss`, each on the store's transaction, under an id made from its key. */
export function bossSender(boss: PgBoss): JobSender {
  return {
    send: async (c, kind, data, key) => (await boss.send(kind, data, { ...liveJobOptions(), id: keyedJobId(key), db: onClient(c) })) !== null,
    close: async () => undefined,
  };
}

/** The store's jobs (polls, items, deliveries) go on `boss` from now on, rather than on a queue the store opens itself. */
export function useQueue(boss: PgBoss, store: PgStore): void {
  store.live().attachJobs(bossSender(boss));
}

/** A sender with a queue of its own (two connections), for a store that queues deliveries with no worker at hand. */
export async function openJobSender(url: string, schema: string): Promise<JobSender> {
  const boss = await openJobs(url, { supervise: false, schema, max: 2 });
  return { send: bossSender(boss).send, close: () => boss.stop({ graceful: false, wait: true }) };
}

const pollData = z.object({ sourceId: z.number().int() });
const itemData = z.object({
  itemId: z.number().int().nullable(),
  url: z.string().nullable(),
  content: z.string().nullable(),
  contentType: z.string().nullable(),
  published: z.string().nullable(),
  title: z.string().nullable(),
  judgeOnPage: z.boolean().optional(),
});
const deliverData = z.object({
  webhookId: z.number().int(),
  eventId: z.string(),
  revision: z.number().int(),
  created: z.boolean(),
  change: z.enum(['ingest', 'review', 'edit', 'merge', 'split', 'undo']).optional(),
});

/** A taken job as the live work sees it: its queue, id and attempts (the first is 1), and the retries it has left. */
interface PgJob {
  name: string;
  id: string;
  attempts: number;
  retryCount: number;
  retryLimit: number;
}

export type LiveWorkerOptions = Omit<WorkOptions, 'log'> & { log: (line: string) => void };

/**
 * The handlers of the live queues for `turnout worker`: each job's work (LiveWork) on the PostgreSQL store, its
 * outcome committed with the job's end. The store queues its own jobs (items, deliveries) on `boss`.
 */
export function liveHandlers(boss: PgBoss, store: PgStore, o: LiveWorkerOptions): JobHandler[] {
  const live = store.live();
  useQueue(boss, store);
  const done = (job: PgJob, output: object, c: Parameters<typeof onClient>[0]) => boss.complete(job.name, job.id, output, { db: onClient(c) });
  const host: LiveHost<PgJob> = {
    getSource: (id) => live.getSource(id),
    logFetch: (entry) => live.logFetch(entry),
    finishPoll: (job, sourceId, outcome) =>
      store.tx(async (c) => {
        const r = await live.finishPoll(c, sourceId, outcome);
        // a feed that cannot be read (or fetched, after the retries) fails for good, with the reason
        if (outcome.error) await failForGood(boss, job.name, job.id, outcome.error, c);
        else await done(job, { status: outcome.status, ...r }, c);
        return r;
      }),
    finishItem: (job, itemId, result) =>
      store.tx(async (c) => {
        const r = await live.finishItem(c, itemId, result);
        if ('error' in result) await failForGood(boss, job.name, job.id, result.error, c);
        else await done(job, 'skipped' in result ? { skipped: result.skipped } : { article: r!.article, eventsNew: r!.eventsNew, eventsUpdated: r!.eventsUpdated }, c);
        return r;
      }),
    nearArticles: (hash, bits, except) => live.nearArticles(hash, bits, except),
    articleEventKeys: (id) => live.articleEventKeys(id),
    getWebhook: (id) => live.getWebhook(id),
    getEvent: (id) => store.getEvent(id),
    recordDelivery: (job, d, disableAfter) =>
      store.tx(async (c) => {
        await live.logDelivery(d, disableAfter, c);
        if (d.ok) await done(job, { status: d.status }, c);
      }),
    mayRetry: (job) => job.retryCount < job.retryLimit,
    retryLater: async (job, error) => void (await boss.fail(job.name, job.id, { reason: error })),
    failJob: (job, error) => failForGood(boss, job.name, job.id, error),
    completeJob: async (job) => void (await boss.complete(job.name, job.id)),
  };
  const work = new LiveWork(host, o);
  /** The job's data as `schema` reads it, or null after failing the job for good with what is wrong. */
  const read = async <T>(job: TakenJob, schema: z.ZodType<T>): Promise<{ pg: PgJob; data: T } | null> => {
    const pgJob: PgJob = { name: job.name, id: job.id, attempts: job.retryCount + 1, retryCount: job.retryCount, retryLimit: job.retryLimit };
    const parsed = schema.safeParse(job.data);
    if (parsed.success) return { pg: pgJob, data: parsed.data };
    const issue = parsed.error.issues[0]!;
    const reason = `bad job data: ${issue.path.join('.') || 'data'}: ${issue.message}`;
    await failForGood(boss, job.name, job.id, reason);
    o.log(`job ${job.id} (${job.name}) failed: ${reason}`);
    return null;
  };
  /** A queue's handler: its job's data read (a job whose data is not its kind's fails for good), then `run`. */
  const handler = <T>(queue: string, schema: z.ZodType<T>, run: (job: PgJob, data: T, tally: WorkerTally) => Promise<void>): JobHandler => ({
    queue,
    async run(job, tally) {
      const j = await read(job, schema);
      if (j) await run(j.pg, j.data, tally);
      else tally.failed++;
    },
  });
  return [
    handler<PollPayload>('poll', pollData, async (job, data, tally) => {
      await work.poll(job, data);
      tally.done++;
      tally.polls++;
    }),
    handler<ItemPayload>('item', itemData, async (job, data, tally) => {
      const out = await work.item(job, data);
      if (out === 'retry') return void tally.retried++;
      tally[out === 'failed' ? 'failed' : 'done']++;
      tally.items++;
      if (typeof out === 'object') {
        tally[out.article]++;
        tally.eventsNew += out.eventsNew;
        tally.eventsUpdated += out.eventsUpdated;
      }
    }),
    handler<DeliverPayload>('deliver', deliverData, async (job, data, tally) => {
      await work.deliver(job, data);
      tally.done++;
      tally.deliveries++;
    }),
  ];
}

/** Queues one poll of every source of the store (turnout watch --once on PostgreSQL); returns how many. */
export async function queueAllPolls(boss: PgBoss, store: PgStore, run: string): Promise<number> {
  useQueue(boss, store);
  return store.live().enqueueAllPolls(run);
}

/**
 * The scheduler (turnout watch, and serve's): every `tickMs` it queues the polls of the sources that are due, until
 * `signal` aborts. Any number of schedulers may run on one store: each due poll is queued once.
 */
export async function schedulePolls(boss: PgBoss, store: PgStore, signal: AbortSignal, log: (line: string) => void, tickMs = 1_000): Promise<void> {
  const live = store.live();
  useQueue(boss, store);
  while (!signal.aborted) {
    try {
      const n = await live.enqueueDuePolls();
      if (n) log(`queued ${n} poll${n === 1 ? '' : 's'}`);
    } catch (e) {
      log(`cannot queue the due polls (trying again): ${(e as Error).message}`);
    }
    await pause(tickMs, signal);
  }
}
