// The asynchronous storage interface (issue 11): the operations of Repository (src/store/repository.ts) that every
// backend serves, each returning a Promise. SQLite (better-sqlite3) answers synchronously and is wrapped
// (sqliteStore); PostgreSQL (src/store/pg) answers over the network. One contract suite
// (test/store-contract.test.ts) runs against both.
import { ACCOUNT_OPERATIONS, type AccountStore } from './accounts.js';
import { LIVE_OPERATIONS, type LiveOperation, type LiveStore } from './live.js';
import type { Repository, StoreEffects } from './repository.js';

/**
 * The operations both backends serve, by name: each is the Repository operation of the same name, made
 * asynchronous. Not here: integrityCheck; accounts and the live record have their own (accounts(), live()).
 */
export const STORE_OPERATIONS = [
  'hasArticle',
  'saveArticle',
  'linkDuplicate',
  'recentChanges',
  'listEvents',
  'pageEvents',
  'pageEventsJson',
  'pointsJson',
  'stats',
  'getEvent',
  'reviewQueue',
  'reviewEvent',
  'editEvent',
  'mergeEvents',
  'splitEvent',
  'undoChange',
  'eventHistory',
  'eventMentions',
  'resolveMerged',
  'regions',
  'counts',
] as const satisfies ReadonlyArray<keyof Repository>;

export type StoreOperation = (typeof STORE_OPERATIONS)[number];

/** A function type with the same parameters, returning a Promise of what it returned. */
export type Async<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;

/** Accounts, tokens and sessions (AccountStore), each operation answering a Promise: what the HTTP API and `users` use. */
export type AsyncAccountStore = { [K in keyof AccountStore]: Async<AccountStore[K]> };

/**
 * The live record's sources, fetch log, items, near-duplicate hashes, webhooks and deliveries (LiveStore's shared
 * operations), each answering a Promise: what `sources` and `webhooks` use. Its jobs are each backend's own: SQLite's
 * job table (src/live/watch.ts), pg-boss on PostgreSQL (src/jobs/live.ts).
 */
export type AsyncLiveStore = { [K in LiveOperation]: Async<LiveStore[K]> };

/** The asynchronous store: Repository's shared operations, accounts, the live record, a cache version, and close. */
export type Store = { [K in StoreOperation]: Async<Repository[K]> } & {
  /** which engine holds the record */
  readonly backend: 'sqlite' | 'postgres';
  /** users, roles, API tokens and browser sessions on the same store */
  accounts(): AsyncAccountStore;
  /** feed sources, their items and fetch log, webhooks and their deliveries, on the same store */
  live(): AsyncLiveStore;
  /**
   * Changes whenever the stored data may have changed, for caches (Repository.version); null when the backend cannot
   * tell cheaply, and then nothing is cached.
   */
  version(): Promise<string | null>;
  /**
   * Runs `work`, a run of saveArticle calls (what `turnout ingest` makes), calling `saved` after each article: SQLite
   * commits the articles in groups (SqliteRepository.grouped); PostgreSQL commits each as it comes, since workers on
   * other machines wait on the locks a transaction holds.
   */
  grouped<T>(work: (saved: () => void) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/** The named methods of `target`, each made to answer a settled Promise (its value, or its error as a rejection). */
function promised<T extends object, K extends keyof T>(target: T, names: readonly K[]): { [P in K]: Async<T[P]> } {
  return Object.fromEntries(
    names.map((name) => {
      const fn = target[name] as (...args: unknown[]) => unknown;
      return [name, async (...args: unknown[]) => fn.apply(target, args)];
    }),
  ) as { [P in K]: Async<T[P]> };
}

/**
 * The Store over a synchronous Repository (SQLite): each call runs at once and its answer (or its error) comes
 * back as a settled Promise. Closing closes the repository.
 */
export function asyncStore(repo: Repository): Store {
  // made once, when first asked for: the API asks for the accounts on every authenticated request
  let accounts: AsyncAccountStore | undefined;
  let live: ReturnType<Store['live']> | undefined;
  return {
    ...promised(repo, STORE_OPERATIONS),
    backend: 'sqlite',
    accounts: () => (accounts ??= promised(repo.accounts(), ACCOUNT_OPERATIONS)),
    live: () => (live ??= promised(repo.live(), LIVE_OPERATIONS)),
    version: async () => repo.version(),
    grouped: (work) => repo.grouped(work),
    close: async () => repo.close(),
  };
}

/**
 * A Store as it is, or a synchronous Repository (SQLite) wrapped as one (asyncStore; closing it stays the caller's
 * business): what the HTTP app accepts, so that code holding a Repository serves it unchanged.
 */
export function toStore(source: Store | Repository): Store {
  return 'backend' in source ? source : asyncStore(source);
}

/** Whether a store address names a PostgreSQL server (postgres:// or postgresql://) rather than a SQLite file. */
export function isPostgresUrl(address: string): boolean {
  return /^postgres(ql)?:\/\//i.test(address);
}

export interface OpenOptions {
  effects?: StoreEffects;
  /** PostgreSQL only: the schema the tables live in (created when missing); public by default */
  schema?: string;
  /** PostgreSQL only: the schema of the job queue (pg-boss) the store queues its jobs on; "pgboss" by default */
  jobSchema?: string;
}

/**
 * Opens the store at `address`, applying any migration it lacks: a postgres:// URL opens PostgreSQL, anything
 * else is a SQLite file (the default). The backends are loaded only when used, so SQLite needs no `pg`.
 */
export async function openAsyncStore(address: string, options: OpenOptions = {}): Promise<Store> {
  if (isPostgresUrl(address)) {
    const { openPgStore } = await import('./pg/index.js');
    return openPgStore(address, options);
  }
  const { openStore } = await import('./sqlite/index.js');
  return asyncStore(openStore(address, options.effects));
}
