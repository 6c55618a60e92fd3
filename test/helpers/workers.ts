// `turnout worker` child processes and the pg-boss queue's state, for the worker test and benchmark (issue 11).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import type pg from 'pg';
import { INGEST_QUEUE, JOB_SCHEMA } from '../../src/jobs/queue.js';
import { REPO_ROOT } from './shared.js';

const CLI = join(REPO_ROOT, 'src', 'cli.ts');

/** A running `turnout worker` on the store at `url`, and what it wrote on stderr so far. */
export function startWorkerProcess(url: string, concurrency: number, env: Record<string, string> = {}): { p: ChildProcessWithoutNullStreams; stderr: () => string } {
  const p = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker', '--db', url, '--concurrency', String(concurrency)], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  p.stdout.resume();
  return { p, stderr: () => err };
}

/** How a child process ended: its exit code, or the signal that ended it. */
export function exited(p: ChildProcessWithoutNullStreams): Promise<number | string | null> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p.exitCode ?? p.signalCode);
  return new Promise((done) => p.once('exit', (code, signal) => done(code ?? signal)));
}

/** The ingest jobs by state (created, retry, active, completed, failed), and how many of them were retried. */
export async function jobStates(client: pg.Client): Promise<{ states: Record<string, number>; retried: number }> {
  const rows = (
    await client.query(
      `SELECT state::text AS state, count(*)::int AS n, sum((retry_count > 0)::int)::int AS retried FROM ${JOB_SCHEMA}.job WHERE name = $1 GROUP BY state`,
      [INGEST_QUEUE],
    )
  ).rows as Array<{ state: string; n: number; retried: number }>;
  return { states: Object.fromEntries(rows.map((r) => [r.state, r.n])), retried: rows.reduce((s, r) => s + r.retried, 0) };
}

/** Polls `check` every 200 ms until it holds; throws after `ms`, naming `what`. */
export async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
