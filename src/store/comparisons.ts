/**
 * A run's paired comparisons (cell vs cell on one measure, with raw and Holm-adjusted p-values)
 * and its data calibration checks, stored as reproduce computed them so that reports show
 * significance without recomputing it. Each is written as one set: a rerun's replace the last.
 *
 * @module
 */

import type { Store } from "./open_store.ts";

/** A paired comparison (structurally experiments' Comparison with seed-free cell ids). */
export interface ComparisonInput {
  /** Seed-free cell id `method/size/mode`. */
  readonly a: string;
  readonly b: string;
  readonly measure: string;
  readonly delta: number;
  readonly queries: number;
  /** The test `adjustedP` is of, as a report names it. */
  readonly test: string;
  readonly tTestP: number;
  readonly randomizationP: number;
  readonly adjustedP: number;
  readonly adjustedTTestP: number;
}

/** A calibration check of a run's data. */
export interface CalibrationInput {
  readonly statement: string;
  /** `holds`, `fails` or `not measured`. */
  readonly verdict: string;
  readonly evidence: string;
}

/** Replace the comparisons of run `runId` by `comparisons`, in one transaction. */
export async function writeComparisons(
  store: Store,
  runId: number,
  comparisons: readonly ComparisonInput[],
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("comparisons").where("run_id", "=", runId).execute();
    // SQLite binds at most 32766 variables: 11 per row, written in chunks.
    for (let i = 0; i < comparisons.length; i += 500) {
      await trx.insertInto("comparisons").values(
        comparisons.slice(i, i + 500).map((c) => ({
          run_id: runId,
          a: c.a,
          b: c.b,
          measure: c.measure,
          delta: c.delta,
          queries: c.queries,
          test: c.test,
          t_test_p: c.tTestP,
          randomization_p: c.randomizationP,
          adjusted_p: c.adjustedP,
          adjusted_t_test_p: c.adjustedTTestP,
        })),
      ).execute();
    }
  });
}

/** The comparisons of run `runId`, by a, b, measure. */
export async function readComparisons(store: Store, runId: number): Promise<ComparisonInput[]> {
  const rows = await store.db.selectFrom("comparisons").selectAll().where("run_id", "=", runId)
    .orderBy("a").orderBy("b").orderBy("measure").execute();
  return rows.map((r) => ({
    a: r.a,
    b: r.b,
    measure: r.measure,
    delta: r.delta,
    queries: r.queries,
    test: r.test,
    tTestP: r.t_test_p,
    randomizationP: r.randomization_p,
    adjustedP: r.adjusted_p,
    adjustedTTestP: r.adjusted_t_test_p,
  }));
}

/** Replace the calibration checks of run `runId` by `checks` (their order kept). */
export async function writeCalibration(
  store: Store,
  runId: number,
  checks: readonly CalibrationInput[],
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("calibration").where("run_id", "=", runId).execute();
    if (checks.length === 0) return;
    await trx.insertInto("calibration").values(checks.map((c, position) => ({
      run_id: runId,
      position,
      statement: c.statement,
      verdict: c.verdict,
      evidence: c.evidence,
    }))).execute();
  });
}

/** The calibration checks of run `runId`, in the order they were written. */
export async function readCalibration(store: Store, runId: number): Promise<CalibrationInput[]> {
  const rows = await store.db.selectFrom("calibration").selectAll().where("run_id", "=", runId)
    .orderBy("position").execute();
  return rows.map((r) => ({ statement: r.statement, verdict: r.verdict, evidence: r.evidence }));
}
