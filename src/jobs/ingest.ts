// Ingest jobs on pg-boss (issue 11): on a PostgreSQL store, `turnout ingest --enqueue` puts one job per article on a
// queue kept by pg-boss in its own schema ("pgboss") of the same database, and any number of `turnout worker`
// processes, on any machines that reach the server, take the jobs, extract the articles and save them through the
// Store. A job carries the article's bytes (not its path), so a worker needs no shared disk. Its id is made from the
// article's content id, so enqueueing the same article twice queues it once; a job is completed only after its save
// committed, and a job whose worker died is expired and retried by another (saveArticle is idempotent: a retry after
// the save changes nothing).
import type PgBoss from 'pg-boss';
import { z } from 'zod';
import { ingest, IngestError } from '../ingest/index.js';
import { ingestIntoStore, type RawInput } from '../pipeline.js';
import type { Gazetteer } from '../resolve/gazetteer.js';
import type { SaveOutcome } from '../store/repository.js';
import type { Store } from '../store/store.js';
import { failForGood, INGEST_QUEUE, jobExpirySeconds, keyedJobId } from './queue.js';
import type { JobHandler } from './worker.js';

/**
 * The largest article a job carries (bytes): a job's data is read by every fetch and copied on each retry, so big
 * rows cost; articles are tens of kilobytes, and a larger file is refused at enqueue (ingest it directly).
 */
export const MAX_JOB_BYTES = 5 * 1024 * 1024;

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
  return keyedJobId(`ingest:${articleId}`);
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
  const id = jobIdOf(article.id);
  const send = () => boss.send(INGEST_QUEUE, data, { id, singletonKey: article.id, expireInSeconds: jobExpirySeconds() });
  if (await send()) return 'queued';
  // a job of the article that ended without storing it (failed once its retries were spent, or cancelled) is no
  // reason to refuse it now: sent again, it is queued again (pg-boss would keep the old job, by its id, for days)
  const old = await boss.getJobById(INGEST_QUEUE, id);
  if (old && ENDED.has(old.state)) {
    await boss.deleteJob(INGEST_QUEUE, id);
    if (await send()) return 'queued';
  }
  return 'already queued';
}

/** The states of a job that is over: its article is queued again when sent again and not stored. */
const ENDED = new Set(['failed', 'cancelled', 'completed']);

/**
 * The ingest queue's jobs: each extracted and saved through the store, then completed (after the save committed); a
 * job whose data is not an article fails for good with the reason. `log` says each failure.
 */
export function ingestHandler(boss: PgBoss, store: Store, gaz: Gazetteer, log: (line: string) => void): JobHandler {
  return {
    queue: INGEST_QUEUE,
    async run(job, tally) {
      let name = job.id;
      let r: SaveOutcome;
      try {
        const input = inputOfJob(job.data);
        name = input.name;
        r = await ingestIntoStore(store, input, gaz);
      } catch (e) {
        if (!(e instanceof BadJobError || e instanceof IngestError)) throw e;
        await failForGood(boss, INGEST_QUEUE, job.id, e.message);
        tally.failed++;
        log(`job ${job.id} (${name}) failed: ${e.message}`);
        return;
      }
      await boss.complete(INGEST_QUEUE, job.id, { article: r.article, mentions: r.mentions, eventsNew: r.eventsNew, eventsUpdated: r.eventsUpdated });
      tally.done++;
      tally[r.article]++;
      tally.eventsNew += r.eventsNew;
      tally.eventsUpdated += r.eventsUpdated;
    },
  };
}
