/**
 * The speed check behind `deno task bench:check`: interleaved timing of a case and its reference,
 * the statistics (median, ratio, spread), the baseline file, verdicts with a confirming re-run,
 * the peers, and the speed-over-commits report (`deno task bench:report`).
 *
 * @module
 */

export {
  type Clock,
  interleave,
  type Interleaved,
  PERFORMANCE_CLOCK,
  type Timed,
} from "./interleave.ts";
export { median, type RatioSummary, summariseRatios } from "./stats.ts";
export {
  type BaselineEntry,
  BaselineError,
  type BaselineFile,
  formatBaseline,
  parseBaseline,
  readBaseline,
} from "./baseline.ts";
export { type BenchVerdict, judge, type Judgement, type MeasuredRatio } from "./verdict.ts";
export {
  type BenchOutcome,
  checkBenches,
  failed,
  type Measurement,
  updateBaseline,
} from "./check.ts";
export { caseRunner } from "./runner.ts";
export { runPeers } from "./peers.ts";
export { benchReportMain, renderBenchReport } from "./report.ts";
