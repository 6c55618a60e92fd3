// What the benchmarks share: percentiles, and the PostgreSQL server they measure.

/** The p-th percentile of sorted values (nearest rank). */
export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The PostgreSQL server a benchmark measures: TURNOUT_BENCH_PG, else the tests' TURNOUT_TEST_PG; '' when neither is set. */
export const BENCH_PG = process.env.TURNOUT_BENCH_PG || process.env.TURNOUT_TEST_PG || '';

/** Why the PostgreSQL part of a benchmark is skipped, or null when a server is named. */
export const NO_BENCH_PG = BENCH_PG ? null : 'neither TURNOUT_BENCH_PG nor TURNOUT_TEST_PG names a server (e.g. postgres://postgres@127.0.0.1:5432/test)';
