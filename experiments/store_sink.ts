/**
 * Reproduce's results written to the SQLite store as they are produced: `cellInputOf` maps a cell
 * record (cell_records.ts) to the store's CellInput, and a {@link ResultsSink} holds one run's row
 * open: which cells are already done, each cell written in one transaction, the claims' verdicts,
 * and the run's end.
 *
 * Resume: the store keeps one row per run key (the key is unique). Opening a sink with a key that is
 * stored resumes that row whatever its status (`running` left by a killed process, `failed`, or
 * even `ok`: a rerun of a finished run reuses every cell): its cells are kept, its provenance
 * refreshed, its status set back to `running`. `fresh` (reproduce --fresh) stores the run under
 * `<run-key>-<fresh>` instead, a new row, the same name as its records' directory.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { describeHost } from "../src/engine/mod.ts";
import { type CodeVersion, codeVersion, pathExists, sha256Text } from "../src/io/mod.ts";
import {
  beginRun,
  type CellInput,
  type ClaimInput,
  finishedCellIds,
  finishRun,
  openStore,
  RUN_FILE_ARTEFACT,
  type Store,
  writeCalibration,
  writeCell,
  writeClaims,
  writeComparisons,
} from "../src/store/mod.ts";
import type { CalibrationCheck } from "./calibration.ts";
import { cellKey, formatCellId } from "./cell_id.ts";
import type { CellRecord } from "./cell_records.ts";
import { readStoredRecords } from "./store_sink_records.ts";
import { configDataset, paperValuesOf, runHashes } from "./store_sink_provenance.ts";
import type { Comparison } from "./verdicts.ts";

/** How reports name the test behind a stored comparison's adjusted p-value (verdicts.ts). */
export const COMPARISON_TEST = "paired randomisation test, Holm-adjusted over the table";

/**
 * Where a record's run file is: its `runFile` is relative to the record's folder, so the cell
 * `embeddistill/1-10/asymmetric/1` with run file `1.trec` gives `embeddistill/1-10/asymmetric/1.trec`,
 * under `runDir` when given. Null when the record has no run file.
 */
export function runFilePathOf(record: CellRecord, runDir?: string): string | null {
  if (record.runFile === null) return null;
  const relative = join(dirname(formatCellId(record.cell)), record.runFile);
  return runDir === undefined ? relative : join(runDir, relative);
}

/**
 * The store's CellInput of `record`. Its run file (see {@link runFilePathOf}; under `runDir` when
 * given) becomes an artefact of kind {@link RUN_FILE_ARTEFACT} whose content hash is
 * `sha256:<hex>` of `runFileText` (null when the text is not given).
 */
export function cellInputOf(
  record: CellRecord,
  runFileText?: string | null,
  runDir?: string,
): CellInput {
  const runFile = runFilePathOf(record, runDir);
  return {
    cell: record.cell,
    status: record.status,
    error: record.error,
    chosen: record.chosen,
    metrics: record.metrics,
    perQuery: record.perQuery,
    latency: record.latency,
    sizes: record.sizes,
    timings: record.timings,
    curves: record.curves,
    runFile: null,
    artefacts: runFile === null ? [] : [{
      kind: RUN_FILE_ARTEFACT,
      contentHash: runFileText == null ? null : `sha256:${sha256Text(runFileText)}`,
      path: runFile,
    }],
    provenance: record.provenance,
    finishedAt: record.finishedAt,
  };
}

/** The text of `record`'s run file under `runDir`, or null when it has none or it is missing. */
export async function readRunFileOf(record: CellRecord, runDir: string): Promise<string | null> {
  const path = runFilePathOf(record, runDir);
  if (path === null || !(await pathExists(path))) return null;
  return await Deno.readTextFile(path);
}

/** What reproduce knows about a run when it starts. */
export interface RunInfo {
  readonly experiment: string;
  readonly preset: string;
  /** The run key of the records (run_key.ts). */
  readonly runKey: string;
  /** The resolved configuration the key hashes (any JSON). */
  readonly config: unknown;
  readonly seeds: readonly number[];
  readonly backend: string;
  readonly threads: number;
  /** BLAS library in use (e.g. the OpenBLAS path), null when absent. Default null. */
  readonly blas?: string | null;
  /** Dataset id -> checksum. Default {}. */
  readonly datasetChecksums?: Readonly<Record<string, string>>;
  /** Model name -> content hash. Default {}. */
  readonly modelHashes?: Readonly<Record<string, string>>;
  /** Default: {@link codeVersion} of this repository; null when unknown. */
  readonly code?: CodeVersion | null;
  /** Default: {@link describeHost}. */
  readonly machine?: unknown;
  /** Default: the paper's values of the experiment now (paper.ts). */
  readonly paperValues?: unknown;
  /** The run's records folder (results/runs/<key>[-<fresh>]): run files are read and stored from it. */
  readonly runDir?: string;
  /** A new run instead of resuming: stored under `<runKey>-<fresh>` (reproduce --fresh's suffix). */
  readonly fresh?: string;
  /** ISO 8601; default now (kept when a run is resumed). */
  readonly startedAt?: string;
}

/** The key a run is stored under: its run key, suffixed for a fresh run. */
export function storedRunKey(info: Pick<RunInfo, "runKey" | "fresh">): string {
  if (info.fresh === undefined) return info.runKey;
  if (info.fresh === "" || /[\s/]/.test(info.fresh)) {
    throw new SyntaxError(
      `Cannot name a fresh run of "${info.runKey}": suffix "${info.fresh}" is empty or has a space or "/"`,
    );
  }
  return `${info.runKey}-${info.fresh}`;
}

/** One run's row in the store, open for writing (one connection; close it when done). */
export interface ResultsSink {
  /** The run's row id. */
  readonly runId: number;
  /** The key the run is stored under ({@link storedRunKey}). */
  readonly runKey: string;
  /** The store file. */
  readonly path: string;
  /** Ids (`method/size/mode[/seed]`) of the cells stored `ok` for this run: reproduce skips them. */
  finished(): Promise<Set<string>>;
  /** Every stored cell of this run (ok and failed) as a record, by cell id (to aggregate from). */
  records(): Promise<CellRecord[]>;
  /**
   * Write `record` (a cell of this run) in one transaction, replacing a stored cell of the same
   * id; its run file is read from `runDir` unless `runFileText` is given. Returns the cell's row id.
   */
  writeCell(record: CellRecord, runFileText?: string | null): Promise<number>;
  /** Replace the run's claims' verdicts (experiments' ClaimVerdict fits, `pValue` optional). */
  writeClaims(verdicts: readonly ClaimInput[]): Promise<void>;
  /** Replace the run's paired comparisons (cell ids stored seed-free), as verdicts.ts made them. */
  writeComparisons(comparisons: readonly Comparison[]): Promise<void>;
  /** Replace the run's data calibration checks (calibration.ts's CalibrationCheck). */
  writeCalibration(checks: readonly CalibrationCheck[]): Promise<void>;
  /** Mark the run finished. */
  finish(status: "ok" | "failed"): Promise<void>;
  /** Close the store (idempotent). */
  close(): Promise<void>;
}

async function sinkOf(store: Store, info: RunInfo): Promise<ResultsSink> {
  const key = storedRunKey(info);
  const code = info.code === undefined ? await codeVersion() : info.code;
  const runId = await beginRun(store, {
    kind: "reproduce",
    experiment: info.experiment,
    preset: info.preset,
    runKey: key,
    commit: code?.commit ?? null,
    dirty: code?.dirty ?? false,
    config: info.config,
    datasetChecksums: info.datasetChecksums ?? {},
    modelHashes: info.modelHashes ?? {},
    backend: info.backend,
    threads: info.threads,
    blas: info.blas ?? null,
    machine: info.machine === undefined ? describeHost() : info.machine,
    seeds: info.seeds,
    paperValues: info.paperValues === undefined ? paperValuesOf(info.experiment) : info.paperValues,
    ...(info.startedAt === undefined ? {} : { startedAt: info.startedAt }),
  });
  return {
    runId,
    runKey: key,
    path: store.path,
    finished: () => finishedCellIds(store, key),
    records: () => readStoredRecords(store, runId, info.runKey),
    async writeCell(record: CellRecord, runFileText?: string | null): Promise<number> {
      if (
        record.runKey !== info.runKey || record.experiment !== info.experiment ||
        record.preset !== info.preset
      ) {
        throw new RangeError(
          `Cannot store cell "${formatCellId(record.cell)}" in run ${runId} of "${store.path}": ` +
            `the record is of ${record.experiment}/${record.preset} run ${record.runKey}, ` +
            `expected ${info.experiment}/${info.preset} run ${info.runKey}`,
        );
      }
      const text = runFileText !== undefined
        ? runFileText
        : info.runDir === undefined
        ? null
        : await readRunFileOf(record, info.runDir);
      return await writeCell(store, runId, cellInputOf(record, text, info.runDir));
    },
    writeClaims: (verdicts) => writeClaims(store, runId, verdicts),
    writeComparisons: (comparisons) =>
      writeComparisons(
        store,
        runId,
        comparisons.map((c) => ({
          a: cellKey(c.a),
          b: cellKey(c.b),
          measure: c.measure,
          delta: c.delta,
          queries: c.queries,
          test: COMPARISON_TEST,
          tTestP: c.tTestP,
          randomizationP: c.randomizationP,
          adjustedP: c.adjustedP,
          adjustedTTestP: c.adjustedTTestP,
        })),
      ),
    writeCalibration: (checks) =>
      writeCalibration(
        store,
        runId,
        checks.map((c) => ({ statement: c.statement, verdict: c.verdict, evidence: c.evidence })),
      ),
    async finish(status: "ok" | "failed"): Promise<void> {
      const found = runHashes(
        await readStoredRecords(store, runId, info.runKey),
        configDataset(info.config) ?? info.experiment,
      );
      await finishRun(store, runId, status, undefined, {
        datasetChecksums: { ...found.datasetChecksums, ...info.datasetChecksums },
        modelHashes: { ...found.modelHashes, ...info.modelHashes },
      });
    },
    close: () => store.close(),
  };
}

/**
 * Open the store at `dbPath` (created if absent) and begin or resume the run `info` describes.
 *
 * @example
 * ```ts
 * const sink = await ResultsSink.open("results/results.sqlite", info);
 * try {
 *   const done = await sink.finished();
 *   // ... for each cell not in `done`: run it, write its record, then:
 *   await sink.writeCell(record);
 *   await sink.writeClaims(verdicts);
 *   await sink.finish("ok");
 * } finally {
 *   await sink.close();
 * }
 * ```
 */
export async function openResultsSink(dbPath: string, info: RunInfo): Promise<ResultsSink> {
  const store = await openStore(dbPath);
  try {
    return await sinkOf(store, info);
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** `ResultsSink.open(dbPath, info)`: {@link openResultsSink}. */
export const ResultsSink: { readonly open: typeof openResultsSink } = Object.freeze({
  open: openResultsSink,
});
