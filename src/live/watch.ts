// The scheduler of the live record on SQLite: polls due feed sources, fetches and ingests their new items, and
// delivers webhooks, all through the durable job table (the jobs' work is src/live/work.ts). A job's result commits
// in one transaction with its effects, so a process killed at any moment resumes with no item lost and none
// processed twice; two watchers on one store claim jobs atomically and never take the same one.
import { loadGazetteer } from '../resolve/gazetteer.js';
import type { DeliverPayload, ItemPayload, Job, LiveStore, PollPayload } from '../store/live.js';
import { workerId } from '../store/sqlite/live.js';
import type { Repository } from '../store/repository.js';
import { describe, LiveWork, pause, type LiveHost } from './work.js';

export interface WatchOptions {
  /** hosts admitted despite resolving to loopback or private addresses (intranet feeds, tests) */
  allowHosts: string[];
  /** how long a claimed job stays this worker's before another may take it over */
  leaseMs?: number;
  /** the first retry waits this long; each further one twice as long */
  retryBaseMs?: number;
  /** attempts before a job fails for good */
  maxAttempts?: number;
  /** minimum time between two requests to one host */
  politenessMs?: number;
  /** consecutive failed deliveries that disable a webhook */
  disableAfter?: number;
  respectRobots?: boolean;
  log?: (line: string) => void;
}

export interface DrainSummary {
  jobs: number;
  polls: number;
  items: number;
  /** items that could not be fetched or read (and will not be retried) */
  itemsFailed: number;
  /** items fetched for their page (the feed gave a title only) whose page is no protest report */
  itemsSkipped: number;
  deliveries: number;
  failures: number;
  eventsNew: number;
  eventsUpdated: number;
}

/** The job table of a SQLite store as the host of the jobs' work: each outcome commits with the job's end. */
function sqliteHost(repo: Repository, live: LiveStore, o: { retryBaseMs: number; maxAttempts: number }): LiveHost<Job> {
  const retryAt = (job: Job) => new Date(Date.now() + o.retryBaseMs * 2 ** (job.attempts - 1)).toISOString();
  return {
    getSource: (id) => live.getSource(id),
    logFetch: (entry) => live.logFetch(entry),
    finishPoll: (job, sourceId, outcome) => live.finishPoll(job.id, sourceId, outcome),
    finishItem: (job, itemId, result) => live.finishItem(job.id, itemId, result),
    nearArticles: (hash, bits, except) => live.nearArticles(hash, bits, except),
    articleEventKeys: (id) => live.articleEventKeys(id),
    getWebhook: (id) => live.getWebhook(id),
    getEvent: (id) => repo.getEvent(id),
    recordDelivery: (job, d, disableAfter) => {
      live.logDelivery(d, disableAfter);
      if (d.ok) live.completeJob(job.id);
    },
    mayRetry: (job) => job.attempts < o.maxAttempts,
    retryLater: (job, error) => live.failJob(job.id, error, retryAt(job)),
    failJob: (job, error) => live.failJob(job.id, error, null),
    completeJob: (job) => live.completeJob(job.id),
  };
}

export class Watcher {
  readonly live: LiveStore;
  private readonly worker = workerId();
  private rounds = 0;
  private readonly work: LiveWork<Job>;
  private readonly o: Required<Omit<WatchOptions, 'log'>> & Pick<WatchOptions, 'log'>;

  constructor(repo: Repository, opts: WatchOptions) {
    this.live = repo.live();
    this.o = {
      leaseMs: 120_000,
      retryBaseMs: 30_000,
      maxAttempts: 5,
      politenessMs: 1_000,
      disableAfter: 5,
      respectRobots: true,
      ...opts,
    };
    this.work = new LiveWork(sqliteHost(repo, this.live, this.o), { ...this.o, gazetteer: loadGazetteer() });
  }

  private log(line: string): void {
    this.o.log?.(line);
  }

  /**
   * Queues one poll of every source, then works until no job is left (turnout watch --once). Retries due
   * within `waitMs` are waited for; later ones are left to the next run.
   */
  async once(waitMs = 60_000): Promise<DrainSummary> {
    this.live.enqueueAllPolls(`${this.worker}-${++this.rounds}`);
    const total = await this.drain();
    for (;;) {
      const next = this.live.nextRetry();
      const wait = next === null ? Infinity : Date.parse(next) - Date.now();
      if (wait > waitMs) return total;
      await new Promise((r) => setTimeout(r, Math.max(0, wait)));
      const more = await this.drain();
      for (const k of Object.keys(total) as Array<keyof DrainSummary>) total[k] += more[k];
    }
  }

  /** Polls due sources and works the queue until `signal` aborts (turnout watch, turnout serve). */
  async run(signal: AbortSignal, tickMs = 1_000): Promise<void> {
    while (!signal.aborted) {
      this.live.enqueueDuePolls();
      await this.drain(signal);
      await pause(tickMs, signal);
    }
  }

  /** Works claimable jobs until none is left; jobs waiting for a retry later are left for later. */
  async drain(signal?: AbortSignal): Promise<DrainSummary> {
    const s: DrainSummary = { jobs: 0, polls: 0, items: 0, itemsFailed: 0, itemsSkipped: 0, deliveries: 0, failures: 0, eventsNew: 0, eventsUpdated: 0 };
    for (;;) {
      if (signal?.aborted) return s;
      const job = this.live.claim(this.worker, this.o.leaseMs);
      if (!job) return s;
      s.jobs++;
      try {
        if (job.kind === 'poll') {
          s.polls++;
          await this.work.poll(job, JSON.parse(job.payload) as PollPayload);
        } else if (job.kind === 'item') {
          s.items++;
          const out = await this.work.item(job, JSON.parse(job.payload) as ItemPayload);
          if (out === 'failed') s.itemsFailed++;
          else if (out === 'skipped') s.itemsSkipped++;
          else if (out !== 'retry') {
            s.eventsNew += out.eventsNew;
            s.eventsUpdated += out.eventsUpdated;
          }
        } else if (job.kind === 'deliver') {
          s.deliveries++;
          await this.work.deliver(job, JSON.parse(job.payload) as DeliverPayload);
        } else this.live.failJob(job.id, `unknown job kind ${job.kind}`, null);
      } catch (e) {
        // a bug, not bad input: keep the job for a retry and go on with the others
        s.failures++;
        this.log(`job ${job.id} (${job.kind}) failed: ${describe(e)}`);
        await this.work.retryOrFail(job, describe(e));
      }
    }
  }
}
