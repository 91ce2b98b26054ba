/**
 * Evaluation engine: trec_eval-exact ranking measures (canonical names such as `nDCG@10`,
 * `R(rel=2)@1000`, see measure.ts), fast streaming run and qrels readers, a run writer,
 * per-query results, `%.4f` formatting as C, and DPR answer-match Success@k.
 *
 * @module
 */

export { compareRanked, type Scored } from "./ranking_order.ts";
export {
  formatMeasure,
  type Measure,
  measure,
  MEASURE_DEFAULTS,
  MEASURE_KINDS,
  type MeasureInfo,
  type MeasureKind,
  type MeasureOptions,
  MEASURES,
  type MissingQueries,
  parseMeasure,
  withOptions,
} from "./measure.ts";
export { formatFixed } from "./format_fixed.ts";
export {
  type Judgment,
  parseQrels,
  type Qrels,
  type QrelsFormat,
  qrelsFromJudgments,
  type QrelsOptions,
  readJudgments,
  readQrels,
} from "./qrels.ts";
export {
  entryDocId,
  rankedList,
  rankings,
  type Run,
  RunBuilder,
  runFromRankings,
  runSize,
} from "./run.ts";
export { parseRun, parseScore, readRun, type RunReadOptions } from "./run_reader.ts";
export { formatRun, formatScore, runLines, type RunWriteOptions, writeRun } from "./run_writer.ts";
export { compareIds, evaluate, type MeasureResult } from "./evaluate.ts";
export {
  answerQrels,
  answerTokens,
  evaluateAnswers,
  hasAnswer,
  type PassageText,
} from "./answer_match.ts";
