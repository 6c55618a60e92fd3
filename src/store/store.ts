// The asynchronous storage interface (issue 11): the operations of Repository (src/store/repository.ts) that every
// backend serves, each returning a Promise. SQLite (better-sqlite3) answers synchronously and is wrapped
// (sqliteStore); PostgreSQL (src/store/pg) answers over the network. One contract suite
// (test/store-contract.test.ts) runs against both.
import type { Repository, StoreEffects } from './repository.js';

/**
 * The operations both backends serve, by name: each is the Repository operation of the same name, made
 * asynchronous. Not yet here: version, integrityCheck, and the live record (live) and accounts (accounts) on PostgreSQL.
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
type Async<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;

/** The asynchronous store: Repository's shared operations, and close. */
export type Store = { [K in StoreOperation]: Async<Repository[K]> } & {
  /** which engine holds the record */
  readonly backend: 'sqlite' | 'postgres';
  close(): Promise<void>;
};

/**
 * The Store over a synchronous Repository (SQLite): each call runs at once and its answer (or its error) comes
 * back as a settled Promise. Closing closes the repository.
 */
export function asyncStore(repo: Repository): Store {
  const ops = Object.fromEntries(
    STORE_OPERATIONS.map((op) => {
      const fn = repo[op] as (...args: unknown[]) => unknown;
      return [op, async (...args: unknown[]) => fn.apply(repo, args)];
    }),
  ) as { [K in StoreOperation]: Async<Repository[K]> };
  return { ...ops, backend: 'sqlite', close: async () => repo.close() };
}

/** Whether a store address names a PostgreSQL server (postgres:// or postgresql://) rather than a SQLite file. */
export function isPostgresUrl(address: string): boolean {
  return /^postgres(ql)?:\/\//i.test(address);
}

export interface OpenOptions {
  effects?: StoreEffects;
  /** PostgreSQL only: the schema the tables live in (created when missing); public by default */
  schema?: string;
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
