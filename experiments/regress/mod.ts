/**
 * Quality regressions (`deno task regress`): expected values per cell and measure in
 * results/expected/, derived from measured runs, checked with tolerance-aware verdicts, updated
 * with a CHANGELOG entry.
 *
 * @module
 */

export { atPrinted, judge, type Judgement, PRINTED_DECIMALS, printedUnits } from "./verdict.ts";
export {
  type ExpectedFile,
  ExpectedFileError,
  expectedFileName,
  type ExpectedScope,
  type ExpectedValue,
  type Measurement,
  type PaperNumber,
  parseExpectedFile,
  renderExpectedFile,
  TOLERANCE_RULE,
} from "./expected_file.ts";
export {
  cellMeans,
  type CellValues,
  definitionAsRun,
  experimentScope,
  type MeasuredCell,
} from "./scope.ts";
export {
  DeriveError,
  type DeriveRules,
  deriveValues,
  isDeterministicCell,
  MIN_TRAINED_TOLERANCE,
  type Observation,
  trainedTolerance,
} from "./derive.ts";
export { observationsIn } from "./derive_runs.ts";
export { type Check, checkLine, checkValues, countVerdicts, summaryLine } from "./check.ts";
export {
  CHANGELOG_HEADER,
  type ChangelogEntry,
  changelogEntry,
  type Move,
  updatedFile,
} from "./update.ts";
export {
  BM25_SCIFACT,
  BM25_SCIFACT_CELL,
  BM25_SCIFACT_MEASURES,
  BM25_SCIFACT_SCOPE,
  bm25SciFactValues,
  scifactFolder,
} from "./bm25_scifact.ts";
