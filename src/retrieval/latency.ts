/**
 * Query latency by the EXPERIMENTS.md protocol: batch 1, 20 warm-up queries, then
 * min(500, |queries|) timed queries; p50 and p95 in milliseconds of each timed stage.
 *
 * @module
 */

/** The protocol's constants (EXPERIMENTS.md, "Measurement protocols"). */
export const LATENCY_PROTOCOL = {
  batch: 1,
  intraOpThreads: 1,
  warmup: 20,
  maxQueries: 500,
} as const;

/** Percentiles of a stage's times, in milliseconds. */
export interface Percentiles {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly meanMs: number;
}

/**
 * The `p`-th percentile (0-100) of `values` by linear interpolation between closest ranks (numpy's
 * default). RangeError for an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError("Cannot take a percentile of no values");
  if (!(p >= 0 && p <= 100)) throw new RangeError(`Cannot take percentile ${p}: expected 0 to 100`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** p50, p95 and mean of `values` (ms). */
export function percentiles(values: readonly number[]): Percentiles {
  return {
    p50Ms: percentile(values, 50),
    p95Ms: percentile(values, 95),
    meanMs: values.reduce((a, b) => a + b, 0) / values.length,
  };
}

/** Options of {@linkcode measureLatency}. */
export interface LatencyOptions {
  /** Warm-up queries (default 20), taken cyclically from the start of the list. */
  readonly warmup?: number;
  /** Timed queries at most (default 500); the first min(this, |queries|) are timed. */
  readonly maxQueries?: number;
  /** Called after each timed query. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Timed stages of one query, in ms (e.g. `{ tokenize: 0.1, query: 0.9, total: 1.4 }`). */
export type StageTimes = Readonly<Record<string, number>>;

/** The measured latency: how many queries, and percentiles per stage. */
export interface LatencyMeasurement {
  readonly warmup: number;
  readonly queries: number;
  readonly stages: Readonly<Record<string, Percentiles>>;
}

/**
 * Run `run` on each query one at a time (batch 1): first `warmup` untimed runs, then the timed
 * ones; `run` returns the stage times it measured itself.
 */
export async function measureLatency(
  queries: readonly string[],
  run: (text: string) => Promise<StageTimes>,
  options: LatencyOptions = {},
): Promise<LatencyMeasurement> {
  const warmup = options.warmup ?? LATENCY_PROTOCOL.warmup;
  const count = Math.min(options.maxQueries ?? LATENCY_PROTOCOL.maxQueries, queries.length);
  if (count < 1) throw new RangeError("Cannot measure query latency: no queries");
  for (let i = 0; i < warmup; i++) await run(queries[i % queries.length]!);
  const samples = new Map<string, number[]>();
  for (let i = 0; i < count; i++) {
    const times = await run(queries[i]!);
    for (const [stage, ms] of Object.entries(times)) {
      let list = samples.get(stage);
      if (list === undefined) samples.set(stage, list = []);
      list.push(ms);
    }
    options.onProgress?.(i + 1, count);
  }
  const stages: Record<string, Percentiles> = {};
  for (const [stage, list] of samples) stages[stage] = percentiles(list);
  return { warmup, queries: count, stages };
}
