/**
 * A `regress` run's checks in the store: one row per expected value (experiment, cell, measure)
 * with the actual value, the tolerance and the verdict; written as one set (a rewrite replaces the
 * run's rows), read back per run or as the history of every regress run (expected vs actual over
 * commits, what `deno task report regress` plots).
 *
 * @module
 */

import type { Store } from "./open_store.ts";

/** The verdicts of a check (experiments/regress: verdict.ts says when each applies). */
export type RegressVerdict = "OK" | "BETTER" | "OK*" | "FAIL";

/** One checked value. */
export interface RegressCheckInput {
  readonly experiment: string;
  /** Seed-free cell id `method/size/mode`, or the check's own name (e.g. `bm25/-/-`). */
  readonly cell: string;
  readonly measure: string;
  readonly expected: number;
  /** null when the run did not produce the value (a FAIL). */
  readonly actual: number | null;
  readonly tolerance: number;
  readonly verdict: RegressVerdict;
}

/** A stored check with the run it belongs to (commit and start time: the report's x axis). */
export interface StoredRegressCheck extends RegressCheckInput {
  readonly runId: number;
  readonly commit: string | null;
  readonly dirty: boolean;
  readonly startedAt: string;
}

const VERDICTS: readonly string[] = ["OK", "BETTER", "OK*", "FAIL"];

function verdictOf(value: string, runId: number): RegressVerdict {
  if (!VERDICTS.includes(value)) {
    throw new RangeError(
      `regress_checks of run ${runId}: verdict "${value}" is not one of ${VERDICTS.join(", ")}`,
    );
  }
  return value as RegressVerdict;
}

/** Replace the checks of run `runId` by `checks`, in one transaction. */
export async function writeRegressChecks(
  store: Store,
  runId: number,
  checks: readonly RegressCheckInput[],
): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("regress_checks").where("run_id", "=", runId).execute();
    if (checks.length === 0) return;
    await trx.insertInto("regress_checks").values(checks.map((c) => ({
      run_id: runId,
      experiment: c.experiment,
      cell: c.cell,
      measure: c.measure,
      expected: c.expected,
      actual: c.actual,
      tolerance: c.tolerance,
      verdict: c.verdict,
    }))).execute();
  });
}

/**
 * The checks of regress runs, oldest run first (then experiment, cell, measure): of run `runId`
 * when given, of every regress run otherwise.
 */
export async function readRegressChecks(
  store: Store,
  runId?: number,
): Promise<StoredRegressCheck[]> {
  let query = store.db.selectFrom("regress_checks")
    .innerJoin("runs", "runs.id", "regress_checks.run_id")
    .select([
      "regress_checks.run_id",
      "regress_checks.experiment",
      "regress_checks.cell",
      "regress_checks.measure",
      "regress_checks.expected",
      "regress_checks.actual",
      "regress_checks.tolerance",
      "regress_checks.verdict",
      "runs.code_commit",
      "runs.code_dirty",
      "runs.started_at",
    ])
    .where("runs.kind", "=", "regress");
  if (runId !== undefined) query = query.where("regress_checks.run_id", "=", runId);
  const rows = await query.orderBy("regress_checks.run_id").orderBy("regress_checks.experiment")
    .orderBy("regress_checks.cell").orderBy("regress_checks.measure").execute();
  return rows.map((r) => ({
    runId: r.run_id,
    experiment: r.experiment,
    cell: r.cell,
    measure: r.measure,
    expected: r.expected,
    actual: r.actual,
    tolerance: r.tolerance,
    verdict: verdictOf(r.verdict, r.run_id),
    commit: r.code_commit,
    dirty: r.code_dirty === 1,
    startedAt: r.started_at,
  }));
}
