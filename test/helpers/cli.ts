// `turnout` run as a user runs it: a child process of this Node with tsx, in the repository's root.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.js';

export const CLI = join(REPO_ROOT, 'src', 'cli.ts');

/** How a run ended: its exit code (null when a signal ended it) and what it wrote. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** added to this process's environment */
  env?: Record<string, string>;
  /** the run's stdin */
  input?: string | Buffer;
}

/** `turnout ARGS` run to its end (this process waits). */
export function turnout(args: string[], { env = {}, input }: RunOptions = {}): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, input, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `turnout ARGS` without blocking this process (servers it started must keep answering the run). */
export function turnoutAsync(args: string[], { env = {} }: Omit<RunOptions, 'input'> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
