// Ingest jobs on pg-boss (issue 11): on a PostgreSQL store, `turnout ingest --enqueue` puts one job per article on a
// queue kept by pg-boss in its own schema ("pgboss") of the same database, and any number of `turnout worker`
// processes, on any machines that reach the server, take the jobs, extract the articles and save them through the
// Store. A job carries the article's bytes (not its path), so a worker needs no shared disk. Its id is made from the
// article's content id, so enqueueing the same article twice queues it once; a job is completed only after its save
// committed, and a job whose worker died is expired and retried by another (saveArticle is idempotent: a retry after
// the save changes nothing).
import { hash } from 'node:crypto';
import PgBoss from 'pg-boss';
import { z } from 'zod';
import { ingest, IngestError } from '../ingest/index.js';
import { ingestIntoStore, type RawInput } from '../pipeline.js';
import { loadGazetteer, type Gazetteer } from '../resolve/gazetteer.js';
import type { SaveOutcome } from '../store/repository.js';
import type { Store } from '../store/store.js';

/** The pg-boss queue of article ingest jobs. */
export const INGEST_QUEUE = 'ingest';
/** The schema pg-boss keeps its tables in, beside the store's. */
export const JOB_SCHEMA = 'pgboss';
/**
 * The largest article a job carries (bytes): a job's data is read by every fetch and copied on each retry, so big
 * rows cost; articles are tens of kilobytes, and a larger file is refused at enqueue (ingest it directly).
 */
export const MAX_JOB_BYTES = 5 * 1024 * 1024;
/** Attempts after the first for a job that failed for a passing reason (the store unreachable, a worker killed). */
const RETRY_LIMIT = 3;

/** A number of seconds from the environment (a positive integer), else `fallback`. */
function envSeconds(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v >= 1 ? v : fallback;
}

/** How long a worker may hold a job before it is taken as dead and the job retried (TURNOUT_JOB_EXPIRE_SECONDS). */
export const jobExpirySeconds = (): number => envSeconds('TURNOUT_JOB_EXPIRE_SECONDS', 120);
/** How often expired jobs are looked for, by one of the workers (TURNOUT_JOB_CHECK_SECONDS). */
export const jobCheckSeconds = (): number => envSeconds('TURNOUT_JOB_CHECK_SECONDS', 30);

/** A job's data: the input as `turnout ingest` reads it, the bytes as UTF-8 text when they are that, else base64. */
const jobData = z
  .object({
    name: z.string().min(1).max(4096),
    url: z.string().nullable(),
    published: z.string().nullable(),
    contentType: z.string().max(200).nullable(),
    today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    text: z.string().optional(),
    base64: z.string().optional(),
  })
  .refine((d) => (d.text === undefined) !== (d.base64 === undefined), 'a job carries either text or base64, not both');

export type IngestJobData = z.infer<typeof jobData>;

/** A job that can never succeed (unreadable data, input that is not an article): failed at once, not retried. */
export class BadJobError extends Error {}

/** The job's data for an input read on `today` (YYYY-MM-DD): its bytes as text when they round-trip as UTF-8. */
export function jobDataOf(input: RawInput, today: string): IngestJobData {
  const bytes = Buffer.from(input.bytes);
  if (bytes.length > MAX_JOB_BYTES) throw new IngestError('too_large', `file is too large for a job: ${(bytes.length / 1048576).toFixed(1)} MB (limit ${MAX_JOB_BYTES / 1048576} MB); ingest it without --enqueue`);
  const text = bytes.toString('utf8');
  const exact = Buffer.byteLength(text) === bytes.length && Buffer.from(text, 'utf8').equals(bytes);
  const meta = { name: input.name, url: input.url ?? null, published: input.published ?? null, contentType: input.contentType ?? null, today };
  return exact ? { ...meta, text } : { ...meta, base64: bytes.toString('base64') };
}

/** The input a job's data stands for, bytes for bytes; BadJobError naming what is wrong with data that is not a job's. */
export function inputOfJob(data: unknown): RawInput {
  const parsed = jobData.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BadJobError(`bad job data: ${issue.path.join('.') || 'data'}: ${issue.message}`);
  }
  const d = parsed.data;
  const bytes = d.text !== undefined ? Buffer.from(d.text, 'utf8') : Buffer.from(d.base64!, 'base64');
  return { bytes, name: d.name, url: d.url, published: d.published, contentType: d.contentType, today: d.today };
}

/** The job id of an article (a UUID made from its content id): the same article is one job, however often sent. */
export function jobIdOf(articleId: string): string {
  const h = hash('sha256', `turnout:ingest:${articleId}`, 'hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * pg-boss on the PostgreSQL server at `url`, started (its schema created or migrated) with the ingest queue in place.
 * `supervise`: whether this instance takes part in expiring dead workers' jobs (workers do; enqueuers need not).
 */
export async function openJobs(url: string, { supervise }: { supervise: boolean }): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: JOB_SCHEMA,
    supervise,
    schedule: false,
    maintenanceIntervalSeconds: jobCheckSeconds(),
    max: 4,
  });
  // pg-boss reports errors of its background work as events: without a listener one would end the process
  boss.on('error', (e: Error) => process.stderr.write(`turnout: job queue: ${e.message}\n`));
  await boss.start();
  if (!(await boss.getQueue(INGEST_QUEUE))) {
    await boss.createQueue(INGEST_QUEUE, { name: INGEST_QUEUE, policy: 'short', retryLimit: RETRY_LIMIT, retryDelay: 2, retryBackoff: true });
  }
  return boss;
}

/** What enqueueing one input did: queued it, found its job already queued, or found the article already stored. */
export type EnqueueOutcome = 'queued' | 'already queued' | 'already stored';

/**
 * Puts one ingest job for `input` on the queue, unless the store holds the article already or its job exists. Throws
 * IngestError for input that is not an article (checked here, so that bad input never becomes a job).
 */
export async function enqueueInput(boss: PgBoss, store: Store, input: RawInput, today: string): Promise<EnqueueOutcome> {
  const data = jobDataOf(input, today);
  const article = ingest(input);
  if (await store.hasArticle(article.id)) return 'already stored';
  const id = await boss.send(INGEST_QUEUE, data, { id: jobIdOf(article.id), singletonKey: article.id, expireInSeconds: jobExpirySeconds() });
  return id ? 'queued' : 'already queued';
}

/** A worker's running totals, for its progress lines. */
export interface WorkerTally {
  done: number;
  new: number;
  unchanged: number;
  failed: number;
  retried: number;
  eventsNew: number;
  eventsUpdated: number;
}

export interface WorkerOptions {
  concurrency: number;
  /** one line on stderr (progress, failures) */
  log(line: string): void;
  gazetteer?: Gazetteer;
  /** how long a loop waits before asking again when the queue is empty (ms) */
  idleMs?: number;
}

/** A running worker: its totals, and stop, which lets the jobs in hand finish and resolves when every loop ended. */
export interface Worker {
  tally: WorkerTally;
  stop(): Promise<void>;
}

/**
 * Marks a job failed for good with `reason`: pg-boss 10 retries every failed job while retries remain, so its retry
 * limit is first lowered to the attempts made (one statement on pg-boss's job table, by the job's name and id).
 */
async function failForGood(boss: PgBoss, id: string, reason: string): Promise<void> {
  await boss.getDb().executeSql(`UPDATE ${JOB_SCHEMA}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2`, [INGEST_QUEUE, id]);
  await boss.fail(INGEST_QUEUE, id, { reason });
}

/** Runs one job: ingest it into the store, then complete it (after the save committed), or fail it with the reason. */
async function runJob(boss: PgBoss, store: Store, job: PgBoss.Job<unknown>, gaz: Gazetteer, o: WorkerOptions, tally: WorkerTally): Promise<void> {
  let name = job.id;
  try {
    const input = inputOfJob(job.data);
    name = input.name;
    const r: SaveOutcome = await ingestIntoStore(store, input, gaz);
    await boss.complete(INGEST_QUEUE, job.id, { article: r.article, mentions: r.mentions, eventsNew: r.eventsNew, eventsUpdated: r.eventsUpdated });
    tally.done++;
    tally[r.article]++;
    tally.eventsNew += r.eventsNew;
    tally.eventsUpdated += r.eventsUpdated;
  } catch (e) {
    const reason = (e as Error).message ?? String(e);
    const permanent = e instanceof BadJobError || e instanceof IngestError;
    if (permanent) await failForGood(boss, job.id, reason);
    else await boss.fail(INGEST_QUEUE, job.id, { reason });
    tally[permanent ? 'failed' : 'retried']++;
    o.log(`job ${job.id} (${name}) ${permanent ? 'failed' : 'failed, to be retried'}: ${reason}`);
  }
}

/**
 * Starts `concurrency` loops that each take one ingest job at a time from the queue and run it (runJob), waiting
 * `idleMs` when the queue is empty. The gazetteer is loaded once for all of them.
 */
export function startWorker(boss: PgBoss, store: Store, o: WorkerOptions): Worker {
  const gaz = o.gazetteer ?? loadGazetteer();
  const tally: WorkerTally = { done: 0, new: 0, unchanged: 0, failed: 0, retried: 0, eventsNew: 0, eventsUpdated: 0 };
  let stopping = false;
  const sleepers = new Set<() => void>();
  const idle = (ms: number) => new Promise<void>((wake) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      sleepers.delete(done);
      wake();
    }
    sleepers.add(done);
  });
  const loop = async (): Promise<void> => {
    while (!stopping) {
      let jobs: PgBoss.Job<unknown>[];
      try {
        jobs = (await boss.fetch(INGEST_QUEUE, { batchSize: 1 })) ?? [];
      } catch (e) {
        o.log(`cannot fetch a job (trying again in 5 s): ${(e as Error).message}`);
        await idle(5000);
        continue;
      }
      if (!jobs.length) await idle(o.idleMs ?? 500);
      for (const job of jobs) {
        // a job neither completed nor failed (the server went away meanwhile) stays active: it expires and is retried
        await runJob(boss, store, job, gaz, o, tally).catch((e: unknown) => o.log(`job ${job.id} left to expire: ${(e as Error).message}`));
      }
    }
  };
  const loops = Array.from({ length: o.concurrency }, loop);
  return {
    tally,
    async stop() {
      stopping = true;
      for (const wake of [...sleepers]) wake();
      await Promise.all(loops);
    },
  };
}

/** A worker's totals as its progress line says them. */
export function describeTally(t: WorkerTally): string {
  return `${t.done} jobs done (${t.new} new articles, ${t.unchanged} already stored; events ${t.eventsNew} new, ${t.eventsUpdated} updated), ${t.failed} failed, ${t.retried} to be retried`;
}
