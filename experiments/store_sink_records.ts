/**
 * The way back: a stored run's cells as cell records (cell_records.ts), so a run can be aggregated
 * (tables, verdicts) from the store alone, e.g. when reproduce skips cells the store holds.
 *
 * @module
 */

import { basename } from "node:path";
import {
  readArtefacts,
  readCurves,
  readPerQuery,
  readRun,
  RUN_FILE_ARTEFACT,
  type Store,
  type StoredCell,
} from "../src/store/mod.ts";
import type { CellRecord } from "./cell_records.ts";

/** Where a stored cell's record belongs: its run's experiment, preset and (records') run key. */
interface RecordRun {
  readonly experiment: string;
  readonly preset: string;
  readonly runKey: string;
}

/** The record of `cell` (its per-query values, curves and run file path given). */
function recordOf(
  run: RecordRun,
  cell: StoredCell,
  perQuery: Readonly<Record<string, Readonly<Record<string, number>>>>,
  curves: Readonly<Record<string, readonly (readonly [number, number])[]>>,
  runFile: string | null,
): CellRecord {
  const ref = { method: cell.method, size: cell.size, mode: cell.mode };
  return {
    kind: "cell",
    version: 1,
    experiment: run.experiment,
    preset: run.preset,
    runKey: run.runKey,
    cell: cell.seed === null ? ref : { ...ref, seed: cell.seed },
    status: cell.status,
    error: cell.error,
    chosen: cell.chosen,
    metrics: cell.metrics,
    perQuery,
    latency: cell.latency,
    sizes: cell.sizes,
    timings: cell.timings,
    curves,
    runFile,
    provenance: cell.provenance,
    finishedAt: cell.finishedAt,
  };
}

/**
 * The cells of run `run` (row id or stored key) as records, by cell id; `runKey` is the records'
 * run key (default: the stored key; a fresh run's records carry the key without its suffix). A
 * record reads back as it was written, except a measure or curve with no values, which is absent.
 * A run the store lacks is a RangeError.
 */
export async function readStoredRecords(
  store: Store,
  run: number | string,
  runKey?: string,
): Promise<CellRecord[]> {
  const stored = await readRun(store, run);
  if (stored === null) {
    throw new RangeError(
      `Cannot read the records of run "${run}" from "${store.path}": no such run`,
    );
  }
  const runId = stored.run.id;
  const perQuery = new Map<string, Record<string, Record<string, number>>>();
  for await (const v of readPerQuery(store, runId)) {
    let byMeasure = perQuery.get(v.cellId);
    if (byMeasure === undefined) perQuery.set(v.cellId, byMeasure = {});
    (byMeasure[v.measure] ??= {})[v.queryId] = v.value;
  }
  const curves = await readCurves(store, runId);
  const runFiles = new Map(
    (await readArtefacts(store, runId))
      .filter((a) => a.kind === RUN_FILE_ARTEFACT && a.cellId !== null)
      .map((a) => [a.cellId!, basename(a.path)]),
  );
  const info = {
    experiment: stored.run.experiment,
    preset: stored.run.preset,
    runKey: runKey ?? stored.run.runKey,
  };
  return stored.cells.map((c) =>
    recordOf(
      info,
      c,
      perQuery.get(c.cellId) ?? {},
      curves.get(c.cellId) ?? {},
      runFiles.get(c.cellId) ?? null,
    )
  );
}
