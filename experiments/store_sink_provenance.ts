/**
 * What a stored run records about where its numbers came from, beyond its configuration and its
 * code version and machine (src/io codeVersion, src/engine describeHost): the datasets and models
 * its cells used, and the paper's values for its experiment.
 *
 * @module
 */

import { formatCellId } from "./cell_id.ts";
import type { CellRecord } from "./cell_records.ts";
import { PAPER_CELLS, type PaperCell } from "./paper.ts";

/** The paper's values of `experiment` (its table id), as transcribed at the time of the run. */
export function paperValuesOf(experiment: string): readonly PaperCell[] {
  return PAPER_CELLS.filter((p) => p.table === experiment);
}

/** What a run's cells were computed from: dataset id -> checksum, cell id -> model hash. */
export interface RunHashes {
  readonly datasetChecksums: Readonly<Record<string, string>>;
  readonly modelHashes: Readonly<Record<string, string>>;
}

/**
 * The datasets and models of a run, from its cells' provenance: the checksum of `dataset` (the
 * split the cells were evaluated on), and each cell's model content hash under its cell id. A
 * zero-shot cell reads them from its source cell's provenance (the model it evaluated).
 */
export function runHashes(records: readonly CellRecord[], dataset: string): RunHashes {
  const datasetChecksums: Record<string, string> = {};
  const modelHashes: Record<string, string> = {};
  for (const record of records) {
    const own = record.provenance;
    const source = own["sourceProvenance"];
    const p = typeof source === "object" && source !== null
      ? source as Readonly<Record<string, unknown>>
      : own;
    const checksum = p["datasetChecksum"];
    if (typeof checksum === "string") datasetChecksums[dataset] ??= checksum;
    const model = p["modelHash"];
    if (typeof model === "string") modelHashes[formatCellId(record.cell)] = model;
  }
  return { datasetChecksums, modelHashes };
}

/** The dataset id of a resolved run configuration (`config.data.dataset`), or null. */
export function configDataset(config: unknown): string | null {
  const data = (config as { data?: { dataset?: unknown } } | null)?.data;
  return typeof data?.dataset === "string" ? data.dataset : null;
}
