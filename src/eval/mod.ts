/**
 * Evaluation engine: trec_eval-exact ranking measures (canonical names such as `nDCG@10`,
 * `R(rel=2)@1000`, see measure.ts), the one BEIR/TREC qrels reader, a fast streaming run reader,
 * a run writer, per-query results, `%.4f` formatting as C, DPR answer-match Success@k, and paired
 * significance tests (t-test, randomisation test, Holm) over per-query values.
 *
 * @module
 */

export { compareRanked, type Scored } from "./ranking_order.ts";
export { type Measure, MEASURE_KINDS, parseMeasure, withOptions } from "./measure.ts";
export { formatFixed } from "./format_fixed.ts";
export {
  type Judgment,
  parseQrels,
  type Qrels,
  type QrelsFormat,
  qrelsFromJudgments,
  readJudgments,
  readQrels,
} from "./qrels.ts";
export { rankedList, type Run, runFromRankings } from "./run.ts";
export { parseRun, readRun } from "./run_reader.ts";
export { writeRun } from "./run_writer.ts";
export { compareIds, evaluate, type MeasureResult } from "./evaluate.ts";
export { evaluateAnswers } from "./answer_match.ts";
export {
  holmAdjust,
  pairByQuery,
  type PairedRandomizationTest,
  pairedRandomizationTest,
  type PairedTTest,
  pairedTTest,
  type PairedValues,
  type RandomizationOptions,
} from "./significance/mod.ts";
