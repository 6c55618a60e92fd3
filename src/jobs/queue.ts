// The job queue on a PostgreSQL store (issue 11): pg-boss, in a schema of its own ("pgboss") beside the store's
// tables, with one queue per kind of job: "ingest" (articles queued by `turnout ingest --enqueue`, src/jobs/ingest.ts),
// and the live record's "poll", "item" and "deliver" (src/jobs/live.ts). A job queued with a key is queued once: its
// id is made from the key. A worker that dies holding a job loses nothing: the job expires and is retried.
import { hash } from 'node:crypto';
import type pg from 'pg';
import PgBoss from 'pg-boss';

/** The schema pg-boss keeps its tables in, beside the store's. */
export const JOB_SCHEMA = 'pgboss';
/** The pg-boss queue of article ingest jobs. */
export const INGEST_QUEUE = 'ingest';
/** The live record's queues: feed polls, feed items and pages to fetch and ingest, webhook deliveries. */
export const LIVE_QUEUES = ['poll', 'item', 'deliver'] as const;

/** A number of seconds from the environment (a positive integer), else `fallback`. */
function envSeconds(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v >= 1 ? v : fallback;
}

/** How long a worker may hold a job before it is taken as dead and the job retried (TURNOUT_JOB_EXPIRE_SECONDS). */
export const jobExpirySeconds = (): number => envSeconds('TURNOUT_JOB_EXPIRE_SECONDS', 120);
/** How often expired jobs are looked for, by one of the workers (TURNOUT_JOB_CHECK_SECONDS). */
export const jobCheckSeconds = (): number => envSeconds('TURNOUT_JOB_CHECK_SECONDS', 30);

/** The schema each open queue keeps its tables in (failForGood writes one of them). */
const schemas = new WeakMap<PgBoss, string>();

/**
 * pg-boss on the PostgreSQL server at `url`, started (its schema created or migrated) with every queue in place.
 * `supervise`: whether this instance takes part in expiring dead workers' jobs (workers do; enqueuers need not).
 * `schema`: where its tables are (JOB_SCHEMA unless a test keeps its own); `max`: its connections.
 */
export async function openJobs(url: string, { supervise, schema = JOB_SCHEMA, max = 4 }: { supervise: boolean; schema?: string; max?: number }): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema,
    supervise,
    schedule: false,
    maintenanceIntervalSeconds: jobCheckSeconds(),
    max,
  });
  // pg-boss reports errors of its background work as events: without a listener one would end the process
  boss.on('error', (e: Error) => process.stderr.write(`turnout: job queue: ${e.message}\n`));
  await boss.start();
  schemas.set(boss, schema);
  if (!(await boss.getQueue(INGEST_QUEUE))) {
    await boss.createQueue(INGEST_QUEUE, { name: INGEST_QUEUE, policy: 'short', retryLimit: 3, retryDelay: 2, retryBackoff: true });
  }
  // (each live job says its own retries and expiry when it is sent: see liveJobOptions)
  for (const name of LIVE_QUEUES) if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, policy: 'standard' });
  return boss;
}

/** The job id of a key (a UUID made from it): a job sent twice under one key is queued once. */
export function keyedJobId(key: string): string {
  const h = hash('sha256', `turnout:${key}`, 'hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A transaction's client as pg-boss's database: a job sent, completed or failed through it commits with the transaction. */
export function onClient(c: pg.PoolClient): PgBoss.Db {
  return { executeSql: (text: string, values?: unknown[]) => c.query(text, values) as Promise<{ rows: unknown[] }> };
}

/**
 * Marks a job failed for good with `reason` (on `c`'s transaction when given): pg-boss 10 retries every failed job
 * while retries remain, so its retry limit is first lowered to the attempts made (one statement on pg-boss's job
 * table, by the job's queue and id).
 */
export async function failForGood(boss: PgBoss, queue: string, id: string, reason: string, c?: pg.PoolClient): Promise<void> {
  const db = c ? onClient(c) : boss.getDb();
  await db.executeSql(`UPDATE ${schemas.get(boss) ?? JOB_SCHEMA}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2`, [queue, id]);
  await boss.fail(queue, id, { reason }, c ? { db } : undefined);
}
