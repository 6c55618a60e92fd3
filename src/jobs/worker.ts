// `turnout worker`'s loop (issue 11): N loops, each taking one job at a time from the queues it serves (ingest, and the
// live record's poll, item and deliver) and running it. The queues are asked in turn, starting one further each time,
// so that a long backlog on one (thousands of queued articles) does not starve the others (a webhook's deliveries).
import type PgBoss from 'pg-boss';

/** A worker's running totals, for its progress lines. */
export interface WorkerTally {
  done: number;
  new: number;
  unchanged: number;
  failed: number;
  retried: number;
  eventsNew: number;
  eventsUpdated: number;
  polls: number;
  items: number;
  deliveries: number;
}

/** A pg-boss job as a worker takes it (with its retry count and limit). */
export type TakenJob = PgBoss.JobWithMetadata<unknown>;

/** What runs the jobs of one queue. */
export interface JobHandler {
  queue: string;
  /**
   * Runs one job to its end: completes it, or fails it (for good, or to be retried), counting it in `tally`. An error
   * it throws is a passing failure: the job is failed to be retried while its retries last.
   */
  run(job: TakenJob, tally: WorkerTally): Promise<void>;
}

export interface WorkerOptions {
  concurrency: number;
  /** one line on stderr (progress, failures) */
  log(line: string): void;
  /** how long a loop waits before asking again when every queue is empty (ms) */
  idleMs?: number;
}

/** A running worker: its totals, and stop, which lets the jobs in hand finish and resolves when every loop ended. */
export interface Worker {
  tally: WorkerTally;
  stop(): Promise<void>;
}

export function emptyTally(): WorkerTally {
  return { done: 0, new: 0, unchanged: 0, failed: 0, retried: 0, eventsNew: 0, eventsUpdated: 0, polls: 0, items: 0, deliveries: 0 };
}

/** Runs a taken job with its handler; a thrown error fails it to be retried (or, when that fails too, leaves it to expire). */
async function runTaken(boss: PgBoss, handler: JobHandler, job: TakenJob, o: WorkerOptions, tally: WorkerTally): Promise<void> {
  try {
    await handler.run(job, tally);
  } catch (e) {
    const reason = (e as Error).message ?? String(e);
    tally.retried++;
    o.log(`job ${job.id} (${handler.queue}) failed, to be retried: ${reason}`);
    // a job neither completed nor failed (the server went away meanwhile) stays active: it expires and is retried
    await boss.fail(handler.queue, job.id, { reason }).catch((f: unknown) => o.log(`job ${job.id} left to expire: ${(f as Error).message}`));
  }
}

/**
 * Starts `concurrency` loops that each take one job at a time from the handlers' queues and run it, waiting `idleMs`
 * when every queue is empty.
 */
export function startWorker(boss: PgBoss, handlers: JobHandler[], o: WorkerOptions): Worker {
  const tally = emptyTally();
  let stopping = false;
  let turn = 0;
  const sleepers = new Set<() => void>();
  const idle = (ms: number) =>
    new Promise<void>((wake) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        sleepers.delete(done);
        wake();
      }
      sleepers.add(done);
    });
  /** When each queue found empty is next asked (by any loop): a busy queue's jobs cost no fetches of the idle ones. */
  const emptyUntil = new Map<string, number>();
  /** The next job of the first queue (in turn) that has one, or null when every queue is empty. */
  const take = async (): Promise<{ handler: JobHandler; job: TakenJob } | null> => {
    const first = turn++ % handlers.length;
    for (let i = 0; i < handlers.length; i++) {
      const handler = handlers[(first + i) % handlers.length]!;
      if ((emptyUntil.get(handler.queue) ?? 0) > Date.now()) continue;
      const [job] = (await boss.fetch(handler.queue, { batchSize: 1, includeMetadata: true })) ?? [];
      if (job) return { handler, job };
      emptyUntil.set(handler.queue, Date.now() + (o.idleMs ?? 500));
    }
    return null;
  };
  const loop = async (): Promise<void> => {
    while (!stopping) {
      let taken;
      try {
        taken = await take();
      } catch (e) {
        o.log(`cannot fetch a job (trying again in 5 s): ${(e as Error).message}`);
        await idle(5000);
        continue;
      }
      if (!taken) await idle(o.idleMs ?? 500);
      else await runTaken(boss, taken.handler, taken.job, o, tally);
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
  return (
    `${t.done} jobs done (${t.new} new articles, ${t.unchanged} already stored; events ${t.eventsNew} new, ${t.eventsUpdated} updated), ${t.failed} failed, ${t.retried} to be retried` +
    `; feeds: ${t.polls} polls, ${t.items} items, ${t.deliveries} deliveries`
  );
}
