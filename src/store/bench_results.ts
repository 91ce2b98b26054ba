/**
 * The rows of a `bench` run (deno task bench:check): per bench its median, its reference's median
 * (run interleaved in the same process), their ratio and the spread of the per-repeat ratios, with
 * the verdict against the committed baseline; and the history of every bench over the stored
 * `bench` runs, for the speed-over-commits report. A run's rows are written as one set: a rerun's
 * replace the last.
 *
 * @module
 */

import type { Store } from "./open_store.ts";

/** One bench's result (structurally bench/check's BenchOutcome row). */
export interface BenchResultInput {
  readonly bench: string;
  readonly reference: string;
  readonly medianMs: number;
  readonly referenceMedianMs: number;
  readonly ratio: number;
  readonly spread: number;
  readonly repeats: number;
  readonly backend: string;
  readonly threads: number;
  /** The BLAS the bench ran on, null when none. */
  readonly blas: string | null;
  readonly baselineRatio: number | null;
  readonly threshold: number | null;
  readonly verdict: string | null;
}

/** A stored bench result with the run it belongs to (for plots over commits). */
export interface BenchHistoryRow extends BenchResultInput {
  readonly runId: number;
  readonly commit: string | null;
  readonly dirty: boolean;
  readonly startedAt: string;
  readonly preset: string;
}

function finite(where: string, field: string, value: number): number {
  if (!Number.isFinite(value)) {
    throw new RangeError(`Cannot write ${where}: ${field} is ${value}, expected a finite number`);
  }
  return value;
}

/** Replace the bench results of run `runId` by `rows`, in one transaction. */
export async function writeBenchResults(
  store: Store,
  runId: number,
  rows: readonly BenchResultInput[],
): Promise<void> {
  const seen = new Set<string>();
  const values = rows.map((r) => {
    const where = `bench "${r.bench}" of run ${runId} to "${store.path}"`;
    if (seen.has(r.bench)) throw new RangeError(`Cannot write ${where}: the bench appears twice`);
    seen.add(r.bench);
    return {
      run_id: runId,
      bench: r.bench,
      reference: r.reference,
      median_ms: finite(where, "median_ms", r.medianMs),
      reference_median_ms: finite(where, "reference_median_ms", r.referenceMedianMs),
      ratio: finite(where, "ratio", r.ratio),
      spread: finite(where, "spread", r.spread),
      repeats: r.repeats,
      backend: r.backend,
      threads: r.threads,
      blas: r.blas,
      baseline_ratio: r.baselineRatio,
      threshold: r.threshold,
      verdict: r.verdict,
    };
  });
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("bench_results").where("run_id", "=", runId).execute();
    if (values.length > 0) await trx.insertInto("bench_results").values(values).execute();
  });
}

type Row = {
  bench: string;
  reference: string;
  median_ms: number;
  reference_median_ms: number;
  ratio: number;
  spread: number;
  repeats: number;
  backend: string;
  threads: number;
  blas: string | null;
  baseline_ratio: number | null;
  threshold: number | null;
  verdict: string | null;
};

function fromRow(r: Row): BenchResultInput {
  return {
    bench: r.bench,
    reference: r.reference,
    medianMs: r.median_ms,
    referenceMedianMs: r.reference_median_ms,
    ratio: r.ratio,
    spread: r.spread,
    repeats: r.repeats,
    backend: r.backend,
    threads: r.threads,
    blas: r.blas,
    baselineRatio: r.baseline_ratio,
    threshold: r.threshold,
    verdict: r.verdict,
  };
}

/** The bench results of run `runId`, by bench name. */
export async function readBenchResults(store: Store, runId: number): Promise<BenchResultInput[]> {
  const rows = await store.db.selectFrom("bench_results").selectAll().where("run_id", "=", runId)
    .orderBy("bench").execute();
  return rows.map(fromRow);
}

/** Every bench result of every `bench` run that finished ok, oldest run first. */
export async function benchHistory(store: Store): Promise<BenchHistoryRow[]> {
  const rows = await store.db.selectFrom("bench_results")
    .innerJoin("runs", "runs.id", "bench_results.run_id")
    .selectAll("bench_results")
    .select(["runs.code_commit", "runs.code_dirty", "runs.started_at", "runs.preset"])
    .where("runs.kind", "=", "bench").where("runs.status", "=", "ok")
    .orderBy("runs.started_at").orderBy("runs.id").orderBy("bench_results.bench").execute();
  return rows.map((r) => ({
    ...fromRow(r),
    runId: r.run_id,
    commit: r.code_commit,
    dirty: r.code_dirty === 1,
    startedAt: r.started_at,
    preset: r.preset,
  }));
}
