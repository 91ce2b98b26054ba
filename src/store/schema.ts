/**
 * The results store's tables as kysely types: one interface per table, `Generated` for columns
 * SQLite fills in (row ids), JSON columns as text holding canonical JSON.
 *
 * @module
 */

import type { Generated, Insertable, Selectable } from "kysely";

/** What produced a run: `deno task reproduce`, the regression checker, or a benchmark. */
export type RunKind = "reproduce" | "regress" | "bench";

/** A run's state: `running` until finishRun marks it `ok` or `failed` (or it was killed). */
export type RunStatus = "running" | "ok" | "failed";

/** A cell's outcome. */
export type CellStatus = "ok" | "failed";

/** One run of an experiment, with everything a report needs about where its numbers came from. */
export interface RunsTable {
  readonly id: Generated<number>;
  readonly kind: RunKind;
  readonly experiment: string;
  readonly preset: string;
  /** The run key (config + code-version salt): a restarted run with the same key resumes. */
  readonly run_key: string;
  readonly code_commit: string | null;
  /** 1 when the working tree had uncommitted changes. */
  readonly code_dirty: number;
  /** The resolved configuration, JSON. */
  readonly config: string;
  /** Dataset id -> checksum, JSON. */
  readonly dataset_checksums: string;
  /** Model name -> content hash, JSON. */
  readonly model_hashes: string;
  readonly backend: string;
  readonly threads: number;
  readonly blas: string | null;
  /** Machine description (CPU, cores, memory, OS), JSON. */
  readonly machine: string;
  /** The seeds of the run, JSON array. */
  readonly seeds: string;
  /** ISO 8601. */
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly status: RunStatus;
  /** The paper's values for the experiment at the time of the run, JSON. */
  readonly paper_values: string;
}

/** One cell (method x size x mode x seed) of a run. */
export interface CellsTable {
  readonly id: Generated<number>;
  readonly run_id: number;
  /** `method/size/mode[/seed]`. */
  readonly cell_id: string;
  readonly method: string;
  readonly size: string;
  readonly mode: string;
  readonly seed: number | null;
  readonly status: CellStatus;
  readonly error: string | null;
  /** Hyper-parameters chosen on dev, JSON. */
  readonly chosen: string;
  /** Model hash, teacher hash, dataset checksum, engine state..., JSON. */
  readonly provenance: string;
  readonly finished_at: string;
}

/** A test measure of a cell (canonical measure string, e.g. `nDCG@10`). */
export interface MetricsTable {
  readonly cell_id: number;
  readonly measure: string;
  readonly value: number;
  /** Number of queries averaged (null when not known). */
  readonly queries: number | null;
}

/** One query's value of a measure. */
export interface PerQueryTable {
  readonly cell_id: number;
  readonly measure: string;
  readonly query_id: string;
  readonly value: number;
}

/** Training curves: loss terms and dev measures by step. */
export interface CurvesTable {
  readonly cell_id: number;
  readonly name: string;
  readonly step: number;
  readonly value: number;
}

/** Query latency in milliseconds (batch 1). */
export interface LatencyTable {
  readonly cell_id: number;
  readonly p50: number;
  readonly p95: number;
  readonly tokenize_p50: number;
  readonly queries: number;
  readonly threads: number;
}

/** Wall time of a phase (tokenise, train, export, encode, search, evaluate). */
export interface TimingsTable {
  readonly cell_id: number;
  readonly phase: string;
  readonly seconds: number;
  /** Items per second (null when the phase has no natural unit). */
  readonly throughput: number | null;
}

/** Model and index sizes of a cell. */
export interface SizesTable {
  readonly cell_id: number;
  readonly query_parameters: number;
  readonly query_parameters_without_embeddings: number;
  readonly ratio: number;
  readonly ratio_without_embeddings: number;
  readonly model_bytes: number;
  readonly index_bytes_fp32: number;
  readonly index_bytes_fp16: number;
  readonly peak_rss: number;
}

/** A file a run or cell produced or used (run file, checkpoint, ONNX model). */
export interface ArtefactsTable {
  readonly run_id: number;
  readonly cell_id: number | null;
  readonly kind: string;
  readonly content_hash: string | null;
  readonly path: string;
}

/** A claim of the paper and its verdict on a run. */
export interface ClaimsTable {
  readonly run_id: number;
  readonly claim_id: string;
  readonly statement: string;
  readonly verdict: string;
  /** The numbers the verdict rests on, one line. */
  readonly evidence: string;
  readonly p_value: number | null;
}

/** A paired significance test between two cells of a run (seed-free ids) on one measure. */
export interface ComparisonsTable {
  readonly run_id: number;
  /** Seed-free cell id `method/size/mode`. */
  readonly a: string;
  readonly b: string;
  readonly measure: string;
  /** mean(a) - mean(b) over seeds' aggregates. */
  readonly delta: number;
  /** Queries paired. */
  readonly queries: number;
  /** The test the adjusted p-value is of, named for reports (e.g. paired randomisation, Holm). */
  readonly test: string;
  readonly t_test_p: number;
  readonly randomization_p: number;
  /** Holm-adjusted randomisation p over the run's comparisons: what verdicts use. */
  readonly adjusted_p: number;
  readonly adjusted_t_test_p: number;
}

/** The data calibration checks of a run, in their order. */
export interface CalibrationTable {
  readonly run_id: number;
  readonly position: number;
  readonly statement: string;
  /** `holds`, `fails` or `not measured`. */
  readonly verdict: string;
  readonly evidence: string;
}

/**
 * One bench of a `bench` run: the bench's and its reference's medians (interleaved in one
 * process), their ratio (what baselines compare: it cancels most of the machine's drift) and the
 * ratio's spread over repeats, with the verdict against the committed baseline when checked.
 */
export interface BenchResultsTable {
  readonly run_id: number;
  /** The bench's name, e.g. `bm25/search`. */
  readonly bench: string;
  /** The reference run interleaved with it, e.g. `sgemm-256` or `scalar-loop`. */
  readonly reference: string;
  readonly median_ms: number;
  readonly reference_median_ms: number;
  /** median(bench) / median(reference). */
  readonly ratio: number;
  /** (max - min) / median of the per-repeat ratios. */
  readonly spread: number;
  readonly repeats: number;
  readonly backend: string;
  readonly threads: number;
  /** The BLAS the bench ran on (null: none). */
  readonly blas: string | null;
  /** The committed baseline ratio (null: not checked or no baseline). */
  readonly baseline_ratio: number | null;
  /** The relative slowdown the bench tolerates (e.g. 0.25). */
  readonly threshold: number | null;
  /** `faster`, `same`, `slower` or null when not checked. */
  readonly verdict: string | null;
}

/** One expected value checked by a `regress` run. */
export interface RegressChecksTable {
  readonly run_id: number;
  readonly experiment: string;
  /** Seed-free cell id `method/size/mode` (or the check's own name). */
  readonly cell: string;
  readonly measure: string;
  readonly expected: number;
  /** null when the cell did not produce the measure (a FAIL). */
  readonly actual: number | null;
  readonly tolerance: number;
  /** `OK`, `BETTER`, `OK*` or `FAIL`. */
  readonly verdict: string;
}

/** Every table of the store. */
export interface StoreSchema {
  readonly runs: RunsTable;
  readonly cells: CellsTable;
  readonly metrics: MetricsTable;
  readonly per_query: PerQueryTable;
  readonly curves: CurvesTable;
  readonly latency: LatencyTable;
  readonly timings: TimingsTable;
  readonly sizes: SizesTable;
  readonly artefacts: ArtefactsTable;
  readonly claims: ClaimsTable;
  readonly comparisons: ComparisonsTable;
  readonly calibration: CalibrationTable;
  readonly bench_results: BenchResultsTable;
  readonly regress_checks: RegressChecksTable;
}

/** A stored run row. */
export type RunRow = Selectable<RunsTable>;
/** A stored cell row. */
export type CellRow = Selectable<CellsTable>;
/** A run row to insert. */
export type NewRunRow = Insertable<RunsTable>;
