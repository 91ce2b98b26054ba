/**
 * Evaluate a run against qrels for a list of measures: per-query values and the mean, with
 * trec_eval's query-set semantics (queries without judgments ignored; qrels queries missing
 * from the run count 0 under `missing=zero`, as `trec_eval -c`, or are left out under
 * `missing=skip`).
 *
 * @module
 */

import { JudgedLookup, type JudgedRanks, judgedRanks } from "./judged_ranks.ts";
import { formatMeasure, type Measure } from "./measure.ts";
import { measureValue, type QueryJudgments, queryJudgments } from "./measure_value.ts";
import type { Qrels } from "./qrels.ts";
import type { Run } from "./run.ts";

/** One measure evaluated over a query set. */
export interface MeasureResult {
  /** The measure. */
  readonly measure: Measure;
  /** Its canonical name ({@linkcode formatMeasure}), the key results are stored under. */
  readonly name: string;
  /**
   * Value per query, in query-id order (strcmp, as trec_eval prints): every query in both run
   * and qrels, plus (value 0) every qrels query missing from the run when `missing=zero`.
   */
  readonly perQuery: ReadonlyMap<string, number>;
  /** Mean over the queries of `perQuery` (sum in query-id order, as trec_eval). */
  readonly mean: number;
  /** Qrels queries absent from the run (counted as 0 or skipped, per the measure). */
  readonly missing: readonly string[];
}

/** Compare ids as C's strcmp does for ASCII (UTF-16 code unit order). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Evaluate `run` against `qrels` for every measure.
 *
 * @throws {RangeError} when no query has both results and judgments (trec_eval refuses too)
 */
export function evaluate(qrels: Qrels, run: Run, measures: readonly Measure[]): MeasureResult[] {
  const runIndex = new Map<string, number>();
  run.queryIds.forEach((id, q) => runIndex.set(id, q));
  const evaluated = run.queryIds.filter((id) => qrels.queries.has(id)).sort(compareIds);
  if (evaluated.length === 0) {
    throw new RangeError(
      `Cannot evaluate: no query has both results and judgments (run has ${run.queryIds.length} queries, qrels ${qrels.queries.size})`,
    );
  }
  const missing = [...qrels.queries.keys()].filter((id) => !runIndex.has(id)).sort(compareIds);
  const judgments = new Map<string, QueryJudgments>();
  const ranked = new Map<boolean, JudgedRanks[]>();
  const rankedFor = (drop: boolean): JudgedRanks[] => {
    let list = ranked.get(drop);
    if (list === undefined) {
      list = evaluated.map((id) =>
        judgedRanks(run, runIndex.get(id)!, new JudgedLookup(qrels.queries.get(id)!), drop)
      );
      ranked.set(drop, list);
    }
    return list;
  };
  const judgmentsOf = (id: string): QueryJudgments => {
    let j = judgments.get(id);
    if (j === undefined) judgments.set(id, j = queryJudgments(qrels.queries.get(id)!));
    return j;
  };
  return measures.map((m) => {
    const lists = rankedFor(m.dropIdenticalIds);
    const values = new Map<string, number>();
    let sum = 0;
    evaluated.forEach((id, index) => {
      const value = measureValue(m, lists[index]!, judgmentsOf(id));
      values.set(id, value);
      sum += value;
    });
    let perQuery: ReadonlyMap<string, number> = values;
    let count = evaluated.length;
    if (m.missing === "zero" && missing.length > 0) {
      const all = [...values.keys(), ...missing].sort(compareIds);
      perQuery = new Map(all.map((id) => [id, values.get(id) ?? 0]));
      count = qrels.queries.size;
    }
    return { measure: m, name: formatMeasure(m), perQuery, mean: sum / count, missing };
  });
}
