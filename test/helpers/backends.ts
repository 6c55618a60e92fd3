// The storage backends a test can run on: SQLite always, PostgreSQL when TURNOUT_TEST_PG names a server
// (postgres://postgres@127.0.0.1:5432/test). Each PostgreSQL backend works in a fresh schema of its own, dropped at
// the end; without TURNOUT_TEST_PG the PostgreSQL tests skip with NO_PG as the reason.
import { join } from 'node:path';
import pg from 'pg';
import { openPgStore } from '../../src/store/pg/index.js';
import type { StoreEffects } from '../../src/store/repository.js';
import { openStore } from '../../src/store/sqlite/index.js';
import { asyncStore, type Store } from '../../src/store/store.js';
import { tempDir } from './shared.js';

export const PG_URL = process.env.TURNOUT_TEST_PG ?? '';
export const NO_PG = PG_URL ? null : 'TURNOUT_TEST_PG is not set (e.g. postgres://postgres@127.0.0.1:5432/test): the PostgreSQL store is not tested';

/** A backend under test: stores on one record (open may be called again for a second connection), dropped at the end. */
export interface Backend {
  name: 'SQLite' | 'PostgreSQL';
  open(): Promise<Store>;
  drop(): Promise<void>;
}

/** A SQLite file in a fresh temporary directory. */
export function sqliteBackend(effects?: StoreEffects): Backend {
  const path = join(tempDir(), 'contract.db');
  return { name: 'SQLite', open: async () => asyncStore(openStore(path, effects)), drop: async () => undefined };
}

/** A PostgreSQL statement on the server's own database (to create and drop schemas and databases). */
export async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh schema on the PostgreSQL server, and one for its job queue (pg-boss), dropped with everything in them at the end. */
export function pgBackend(url: string, effects?: StoreEffects): Backend & { schema: string; jobSchema: string } {
  const schema = `turnout_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const jobSchema = `${schema}_jobs`;
  return {
    name: 'PostgreSQL',
    schema,
    jobSchema,
    open: () => openPgStore(url, { schema, jobSchema, effects }),
    drop: () => onServer(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${jobSchema} CASCADE`),
  };
}

/** The backends to run a suite on: each one's name, a maker (nothing is opened before it is called), and the reason to skip it (null: it runs). */
export function backends(effects?: StoreEffects): Array<{ name: Backend['name']; backend: () => Backend; skip: string | null }> {
  return [
    { name: 'SQLite', backend: () => sqliteBackend(effects), skip: null },
    { name: 'PostgreSQL', backend: () => pgBackend(PG_URL, effects), skip: NO_PG },
  ];
}

/**
 * A fresh database on the PostgreSQL server, for commands that keep their tables in the schema "public" (the CLI):
 * its address, and drop (which ends its connections first).
 */
export async function pgDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `turnout_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await onServer(url, `CREATE DATABASE ${name}`);
  const address = new URL(url);
  address.pathname = `/${name}`;
  return { url: address.href, drop: () => onServer(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
