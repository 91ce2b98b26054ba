/**
 * The results store: every run, cell, metric, per-query value, curve, latency, timing, size,
 * artefact and claim verdict in one SQLite file, through kysely on Deno's built-in node:sqlite,
 * safe under kills (one transaction per cell) and concurrent writers (WAL, BEGIN IMMEDIATE).
 *
 * @module
 */

export { BUSY_TIMEOUT_MS, DEFAULT_STORE_PATH, openStore, type Store } from "./open_store.ts";
export { SCHEMA_VERSION } from "./migrations.ts";
export type { CellStatus, RunKind, RunStatus, StoreSchema } from "./schema.ts";
export { beginRun, findRun, finishRun, listRuns, type RunInput, type RunSummary } from "./runs.ts";
export {
  type ArtefactInput,
  type CellCoordinates,
  cellIdOf,
  type CellInput,
  type CellStamp,
  cellStamps,
  finishedCellIds,
  isCellFinished,
  type LatencyInput,
  RUN_FILE_ARTEFACT,
  type SizesInput,
  writeCell,
} from "./cells.ts";
export {
  type CalibrationInput,
  type ComparisonInput,
  readCalibration,
  readComparisons,
  writeCalibration,
  writeComparisons,
} from "./comparisons.ts";
export { type ClaimInput, readClaims, type StoredClaim, writeClaims } from "./claims.ts";
export {
  type PerQueryValue,
  readArtefacts,
  readCurves,
  readPerQuery,
  readRun,
  type StoredArtefact,
  type StoredCell,
  type StoredRun,
  type StoredRunInfo,
} from "./read_run.ts";
export {
  readRegressChecks,
  type RegressCheckInput,
  type RegressVerdict,
  type StoredRegressCheck,
  writeRegressChecks,
} from "./regress_checks.ts";
export {
  benchHistory,
  type BenchHistoryRow,
  type BenchResultInput,
  readBenchResults,
  writeBenchResults,
} from "./bench_results.ts";
export { EXPORT_FORMATS, type ExportFormat, exportRun } from "./export_run.ts";
